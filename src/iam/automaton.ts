// The two language questions behind three-valued resource matching (src/iam/evaluate.ts), on token
// lists coded as integers: "is some string in both languages" (`intersects`) and "is every string
// of a template matched by a pattern" (`included`, a subset construction over the pattern).
//
// A token is a character or a class, repeated (`star`) or once. Characters are their UTF-16 code
// (a character outside the Basic Multilingual Plane is one token, coded ASTRAL: it matches no
// character of the alphabet and meets only classes and other such characters, as the string-token
// version this replaces treated it); classes are negative: ANY (any character), NOC (any character
// but `:`), NOS (any character but `:` and `/`).

export const ANY = -1;
export const NOC = -2;
export const NOS = -3;
const ASTRAL = -4;

const COLON = 58;
const SLASH = 47;
const NUL = 0;

/** A token list: `c[i]` the character or class of token i, `star[i]` 1 when it repeats. */
export interface Toks {
  c: number[];
  star: number[];
}

export function emptyToks(): Toks {
  return { c: [], star: [] };
}

/** Appends each character of `s` (by code point, as `[...s]` splits it) as a token that appears once. */
export function pushLiteral(out: Toks, s: string): void {
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out.c.push(ASTRAL);
        out.star.push(0);
        i++;
        continue;
      }
    }
    out.c.push(code);
    out.star.push(0);
  }
}

export function pushClass(out: Toks, c: number, star: boolean): void {
  out.c.push(c);
  out.star.push(star ? 1 : 0);
}

/** Whether class (or character) `c` holds the character `ch`. */
function clsHas(c: number, ch: number): boolean {
  if (c >= 0) return c === ch;
  if (c === ANY) return true;
  if (c === NOC) return ch !== COLON;
  if (c === NOS) return ch !== COLON && ch !== SLASH;
  return false; // ASTRAL: no character of the alphabet
}

function clsIntersect(a: number, b: number): boolean {
  if (a < 0 && b < 0) return true; // two classes always share a letter
  if (a < 0) return clsHas(a, b);
  if (b < 0) return clsHas(b, a);
  return a === b;
}

/** Whether some string is in both languages. */
export function intersects(p: Toks, t: Toks): boolean {
  const pn = p.c.length;
  const tn = t.c.length;
  const w = tn + 1;
  const seen = new Uint8Array((pn + 1) * w);
  const stack: number[] = [0];
  seen[0] = 1;
  while (stack.length) {
    const k = stack.pop()!;
    const j = k % w;
    const i = (k - j) / w;
    if (i === pn && j === tn) return true;
    const ps = i < pn && p.star[i] === 1;
    const ts = j < tn && t.star[j] === 1;
    if (ps) {
      const n = k + w;
      if (!seen[n]) {
        seen[n] = 1;
        stack.push(n);
      }
    }
    if (ts) {
      const n = k + 1;
      if (!seen[n]) {
        seen[n] = 1;
        stack.push(n);
      }
    }
    if (i < pn && j < tn && clsIntersect(p.c[i], t.c[j])) {
      const n = (ps ? i : i + 1) * w + (ts ? j : j + 1);
      if (!seen[n]) {
        seen[n] = 1;
        stack.push(n);
      }
    }
  }
  return false;
}

/**
 * Sets of pattern positions (0..p.length) as bitsets, each distinct set stored once and named by
 * a number, with the result of each step by a character remembered.
 */
class StateSets {
  /** 32-bit words per set. */
  readonly width: number;
  private readonly words: number[] = [];
  private readonly byHash = new Map<number, number[]>();
  private readonly steps = new Map<number, number>();
  private readonly scratch: number[];

  constructor(private readonly p: Toks) {
    this.width = ((p.c.length + 1) >>> 5) + 1;
    this.scratch = new Array<number>(this.width).fill(0);
  }

  has(id: number, i: number): boolean {
    return (this.words[id * this.width + (i >>> 5)] & (1 << (i & 31))) !== 0;
  }

  isEmpty(id: number): boolean {
    const base = id * this.width;
    for (let k = 0; k < this.width; k++) if (this.words[base + k] !== 0) return false;
    return true;
  }

  /** The set with position 0 and what the pattern's repeated tokens reach from it without a character. */
  start(): number {
    const s = this.scratch;
    s.fill(0);
    s[0] = 1;
    return this.closeAndIntern();
  }

  /** The set reached from set `id` by the character `ch`. */
  step(id: number, ch: number): number {
    const key = id * 0x10000 + ch;
    const known = this.steps.get(key);
    if (known !== undefined) return known;
    const { c, star } = this.p;
    const s = this.scratch;
    s.fill(0);
    const base = id * this.width;
    for (let k = 0; k < this.width; k++) {
      // Each position in the set, lowest first.
      for (let bits = this.words[base + k]; bits !== 0; bits &= bits - 1) {
        const i = (k << 5) + (31 - Math.clz32(bits & -bits));
        if (i >= c.length || !clsHas(c[i], ch)) continue;
        const to = star[i] === 1 ? i : i + 1;
        s[to >>> 5] |= 1 << (to & 31);
      }
    }
    const out = this.closeAndIntern();
    this.steps.set(key, out);
    return out;
  }

  private closeAndIntern(): number {
    const s = this.scratch;
    close(s, this.p.star);
    let h = 0;
    for (let k = 0; k < this.width; k++) h = (Math.imul(h, 31) + s[k]) | 0;
    let same = this.byHash.get(h);
    if (same) {
      for (const id of same) {
        const base = id * this.width;
        let k = 0;
        while (k < this.width && this.words[base + k] === s[k]) k++;
        if (k === this.width) return id;
      }
    } else this.byHash.set(h, (same = []));
    const id = this.words.length / this.width;
    for (let k = 0; k < this.width; k++) this.words.push(s[k]);
    same.push(id);
    return id;
  }
}

/** Whether every string of `t` is matched by `p` (subset construction over `p`). */
export function included(t: Toks, p: Toks): boolean {
  // The characters that can tell pattern positions apart: those of the pattern, `:`, `/`, and one
  // that is none of them (NUL, or a character of the template when the pattern has a NUL).
  const alphabet: number[] = [COLON, SLASH, NUL];
  for (const ch of p.c) if (ch >= 0 && !alphabet.includes(ch)) alphabet.push(ch);
  if (p.c.includes(NUL)) {
    const other = t.c.find((ch) => ch >= 0 && !alphabet.includes(ch));
    if (other !== undefined) alphabet.push(other);
  }
  if (t.c.every((c, j) => (c >= 0 || c === ASTRAL) && t.star[j] === 0)) return includedText(t, p);
  const sets = new StateSets(p);
  const pn = p.c.length;
  const tn = t.c.length;
  const w = tn + 1;
  const seen = new Set<number>();
  const queue: number[] = [sets.start() * w];
  while (queue.length) {
    const k = queue.pop()!;
    if (seen.has(k)) continue;
    seen.add(k);
    const j = k % w;
    const s = (k - j) / w;
    if (sets.isEmpty(s)) return false;
    if (j === tn) {
      if (!sets.has(s, pn)) return false;
      continue;
    }
    const c = t.c[j];
    const star = t.star[j] === 1;
    if (star) queue.push(k + 1);
    const next = star ? j : j + 1;
    if (c >= 0) queue.push(sets.step(s, c) * w + next);
    else for (const ch of alphabet) if (clsHas(c, ch)) queue.push(sets.step(s, ch) * w + next);
  }
  return true;
}

/**
 * `included` for a template of characters only (its env holes filled in): one string, followed
 * through the pattern's positions. A character outside the Basic Multilingual Plane ends the walk
 * with nothing left to reject, as in the general case.
 */
function includedText(t: Toks, p: Toks): boolean {
  const { c, star } = p;
  const pn = c.length;
  const width = ((pn + 1) >>> 5) + 1;
  let s = new Array<number>(width).fill(0);
  let n = new Array<number>(width).fill(0);
  s[0] = 1;
  close(s, star);
  for (let j = 0; ; j++) {
    let empty = true;
    for (let k = 0; k < width; k++) if (s[k] !== 0) empty = false;
    if (empty) return false;
    if (j === t.c.length) return (s[pn >>> 5] & (1 << (pn & 31))) !== 0;
    const ch = t.c[j];
    if (ch < 0) return true; // ASTRAL
    n.fill(0);
    for (let k = 0; k < width; k++) {
      for (let bits = s[k]; bits !== 0; bits &= bits - 1) {
        const i = (k << 5) + (31 - Math.clz32(bits & -bits));
        if (i >= pn || !clsHas(c[i], ch)) continue;
        const to = star[i] === 1 ? i : i + 1;
        n[to >>> 5] |= 1 << (to & 31);
      }
    }
    close(n, star);
    const done = s;
    s = n;
    n = done;
  }
}

/** Adds to a set of positions what the repeated tokens reach from it without a character (in increasing order). */
function close(s: number[], star: number[]): void {
  for (let i = 0; i < star.length; i++) {
    if (star[i] === 1 && (s[i >>> 5] & (1 << (i & 31))) !== 0) s[(i + 1) >>> 5] |= 1 << ((i + 1) & 31);
  }
}
