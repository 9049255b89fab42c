// The fast path for YAML. Profiling a 10 MB template showed the `yaml` package's document model
// taking 3-10 s and most of the garbage collection; js-yaml's event parser reads the same file in
// about 0.6 s and gives source offsets for every node. Events become the same TNode tree that
// source.ts builds from `yaml`, with YAML 1.2 core-schema scalars (what `yaml` resolves by default).
// Anything unusual (errors, several documents, complex keys, deep nesting) returns undefined and the
// caller reads the file with `yaml` as before, so messages for bad files do not change. Compared on
// every YAML file of the fixtures (test/yaml-fast.test.ts) and of the real-world corpus
// (scripts/yaml-diff.ts: 2,205 files, none accepted here that `yaml` rejects): same kinds,
// keys, values, tags, starts and key ranges; only the end of a block collection followed by blank
// and comment lines can differ (`yaml` sometimes counts those lines in).
import { EVENT_ID, getScalarValue, parseEvents, SCALAR_STYLE, type Event } from 'js-yaml';
import type { Entry, Scalar, SourceFile, TNode } from './parse.js';

/** Files at least this long take the fast path: all of them, since the trees agree. */
export const FAST_YAML_MIN_CHARS = 0;

export class YamlLimitError extends Error {}

/** The children of a collection not closed yet (fastYaml sets them when it closes). */
const NONE: readonly never[] = Object.freeze([]);

/** What the pieces of one document share: the node budget left, and the strings already made. */
export interface Shared {
  left: number;
  strings: Map<string, string>;
  /** Set when an alias shared a node (parse.ts: a tree without them is walked without a set of visited nodes). */
  aliased: boolean;
}

export function newShared(budget: number): Shared {
  return { left: budget, strings: new Map(), aliased: false };
}

// YAML 1.2 core schema, as the `yaml` package tests plain scalars.
const NULL_RE = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL_RE = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_RE = /^[-+]?[0-9]+$/;
const OCT_RE = /^0o[0-7]+$/;
const HEX_RE = /^0x[0-9a-fA-F]+$/;
const FLOAT_RE = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const INF_RE = /^[-+]?\.(?:inf|Inf|INF)$/;
const NAN_RE = /^\.(?:nan|NaN|NAN)$/;

function plainValue(s: string): Scalar {
  if (NULL_RE.test(s)) return null;
  if (BOOL_RE.test(s)) return s[0] === 't' || s[0] === 'T';
  if (INT_RE.test(s)) return Number(s);
  if (OCT_RE.test(s)) return parseInt(s.slice(2), 8);
  if (HEX_RE.test(s)) return parseInt(s.slice(2), 16);
  if (FLOAT_RE.test(s)) return parseFloat(s);
  if (INF_RE.test(s)) return s[0] === '-' ? -Infinity : Infinity;
  if (NAN_RE.test(s)) return NaN;
  return s;
}

function tagToKey(tag: string): string | undefined {
  const name = tag.replace(/^!/, '');
  if (!/^[A-Za-z]+$/.test(name)) return undefined;
  if (name === 'Ref' || name === 'Condition') return name;
  return `Fn::${name}`;
}

interface Open {
  node: TNode;
  flow: boolean;
  /** Where this collection's children start in the shared child stack (`kids`). */
  base: number;
  /** Mapping: the key waiting for its value. */
  pendingKey?: { key: string; start: number; end: number };
  tag?: string;
  anchor?: string;
}

/**
 * The end `yaml` gives a block collection that starts at `start` and whose last value ends at `end`
 * (offsets in the file; `text` begins at file offset `skip`): past the last line's comment and line
 * break, and the comment lines after it indented at least as deep.
 */
function blockEndIn(text: string, skip: number, end: number, start: number): number {
  const skipSpaces = (i: number): number => {
    while (text[i] === ' ' || text[i] === '\t') i++;
    return i;
  };
  const column = start - skip - (text.lastIndexOf('\n', start - skip - 1) + 1);
  if (text[end - skip - 1] === '\n') return end; // a nested collection already took its line end
  let i = skipSpaces(end - skip);
  if (text[i] === '#') i = text.indexOf('\n', i) < 0 ? text.length : text.indexOf('\n', i);
  if (text[i] === '\r') i++;
  if (text[i] !== '\n') return end;
  i++;
  for (;;) {
    const j = skipSpaces(i);
    if (text[j] !== '#' || j - i < column) break; // a comment indented less belongs to what follows
    const nl = text.indexOf('\n', j);
    if (nl < 0) return text.length + skip;
    i = nl + 1;
  }
  return i + skip;
}

/**
 * The TNode tree of `text` (offsets shifted by `skip` into `file`), or undefined when the fast
 * path declines and `yaml` should read the file. Throws YamlLimitError past the node budget or depth.
 */
export function fastYaml(
  file: SourceFile,
  text: string,
  skip: number,
  maxDepth: number,
  budget: number | Shared,
): TNode | undefined {
  const nodes: Shared = typeof budget === 'number' ? newShared(budget) : budget;
  /** One copy of each short string: keys and values repeat in every resource of a big template. */
  const intern = (s: string): string => {
    if (s.length > 64) return s;
    const known = nodes.strings.get(s);
    if (known !== undefined) return known;
    nodes.strings.set(s, s);
    return s;
  };
  let events: Event[];
  try {
    events = parseEvents(text, { maxDepth });
  } catch {
    return undefined; // errors, or deeper than maxDepth: `yaml` says what is wrong
  }
  const anchors = new Map<string, TNode>();
  const stack: Open[] = [];
  /**
   * The children of every open collection, innermost last: a collection's entries (or items) are
   * copied out at their exact size when it closes. Arrays grown by push, then copied, were most of
   * the garbage of a big template's parse.
   */
  const kids: (TNode | Entry)[] = [];
  const lastItem = (o: Open): TNode | undefined =>
    kids.length > o.base ? (kids[kids.length - 1] as TNode) : undefined;
  let root: TNode | undefined;
  let docs = 0;
  const off = (o: number): number => o + skip;

  const wrapTag = (n: TNode, tag: string | undefined): TNode => {
    const tagKey = tag && !tag.startsWith('!!') ? tagToKey(tag) : undefined;
    if (!tagKey) return n;
    return {
      kind: 'map',
      file,
      start: n.start,
      end: n.end,
      tag,
      entries: [{ key: tagKey, keyStart: n.start, keyEnd: n.start, value: n }],
    };
  };

  const skipSpaces = (i: number): number => {
    while (text[i] === ' ' || text[i] === '\t') i++;
    return i;
  };

  /** Where a value that is not written sits: after the key's `:` (or the item's `-`) and the spaces that follow. */
  const emptyAt = (parent: Open | undefined): number => {
    const from = parent?.pendingKey
      ? parent.pendingKey.end
      : parent
        ? (lastItem(parent)?.end ?? parent.node.start)
        : skip;
    const i = text.indexOf(parent?.pendingKey || parent?.node.kind !== 'seq' ? ':' : '-', from - skip);
    return i < 0 ? from : off(skipSpaces(i + 1));
  };

  const blockEnd = (end: number, start: number): number => blockEndIn(text, skip, end, start);

  /** Attaches a finished node to its parent; false when the fast path must give up. */
  const attach = (n: TNode, keyText?: string): boolean => {
    if (--nodes.left < 0) throw new YamlLimitError('document too large to analyse');
    const parent = stack[stack.length - 1];
    if (!parent) {
      root = n;
      return true;
    }
    if (parent.node.kind === 'seq') {
      kids.push(n);
    } else if (parent.pendingKey) {
      const k = parent.pendingKey;
      parent.pendingKey = undefined;
      kids.push({ key: k.key, keyStart: k.start, keyEnd: k.end, value: n } satisfies Entry);
    } else {
      if (keyText === undefined) return false; // a collection or alias as a key
      parent.pendingKey = { key: keyText, start: n.start, end: n.end };
      return true;
    }
    if (!parent.flow) parent.node.end = Math.max(parent.node.end, n.end);
    return true;
  };

  for (const e of events) {
    switch (e.type) {
      case EVENT_ID.DOCUMENT:
        if (++docs > 1) return undefined; // `yaml` reports several documents
        break;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        if (stack.length >= maxDepth) throw new YamlLimitError(`nesting deeper than ${maxDepth} levels`);
        // The children are set when the collection closes (`kids`).
        const node: TNode =
          e.type === EVENT_ID.MAPPING
            ? { kind: 'map', file, start: off(e.start), end: off(e.start), entries: NONE as unknown as Entry[] }
            : { kind: 'seq', file, start: off(e.start), end: off(e.start), items: NONE as unknown as TNode[] };
        const parent = stack[stack.length - 1];
        if (parent && parent.node.kind === 'map' && !parent.pendingKey) return undefined; // complex key
        stack.push({
          node,
          flow: e.style === 2,
          base: kids.length,
          tag: e.tagStart >= 0 ? text.slice(e.tagStart, e.tagEnd) : undefined,
          anchor: e.anchorStart >= 0 ? text.slice(e.anchorStart, e.anchorEnd).replace(/^&/, '') : undefined,
        });
        break;
      }
      case EVENT_ID.POP: {
        const open = stack.pop();
        if (!open) break; // end of document
        if (open.pendingKey) {
          // A key with no value at the end of a mapping.
          const at = emptyAt({ ...open });
          kids.push({
            key: open.pendingKey.key,
            keyStart: open.pendingKey.start,
            keyEnd: open.pendingKey.end,
            value: { kind: 'scalar', file, start: at, end: at, value: null },
          });
          open.node.end = Math.max(open.node.end, at);
        }
        // Exact-size arrays: one grown by push keeps room for 17 items, most of it unused in a template.
        const children = kids.slice(open.base);
        kids.length = open.base;
        if (open.node.kind === 'map') open.node.entries = children as Entry[];
        else open.node.items = children as TNode[];
        if (!open.flow && children.length) open.node.end = blockEnd(open.node.end, open.node.start);
        else if (open.flow && text[open.node.start - skip] !== '{' && text[open.node.start - skip] !== '[') {
          // A single-pair mapping inside a flow sequence (`[Ref: X]`) ends with its value.
          open.node.end = open.node.entries?.at(-1)?.value.end ?? open.node.end;
        }
        if (open.flow && text[open.node.start - skip] === (open.node.kind === 'map' ? '{' : '[')) {
          // The closing bracket after the last item (or right after the opening one).
          const close = open.node.kind === 'map' ? '}' : ']';
          const last = open.node.kind === 'map' ? open.node.entries!.at(-1)?.value.end : open.node.items!.at(-1)?.end;
          const i = text.indexOf(close, (last ?? open.node.start + 1) - skip);
          open.node.end = i < 0 ? open.node.end : off(i + 1);
        }
        const done = wrapTag(open.node, open.tag);
        if (open.anchor) anchors.set(open.anchor, done);
        if (!attach(done)) return undefined;
        break;
      }
      case EVENT_ID.SCALAR: {
        const tag = e.tagStart >= 0 ? text.slice(e.tagStart, e.tagEnd) : undefined;
        let start: number;
        let end: number;
        let value: Scalar;
        if (e.valueStart < 0) {
          // Nothing written: `Key:` or a lone `!Ref`.
          start = end = tag ? off(skipSpaces(e.tagEnd)) : emptyAt(stack[stack.length - 1]);
          value = tag && !tag.startsWith('!!') ? '' : null;
        } else {
          const raw = getScalarValue(text, e);
          start = off(e.valueStart);
          end = off(e.valueEnd);
          if (e.style === SCALAR_STYLE.SINGLE_QUOTED || e.style === SCALAR_STYLE.DOUBLE_QUOTED) {
            start--;
            end++;
          } else if (e.style === SCALAR_STYLE.LITERAL_BLOCK || e.style === SCALAR_STYLE.FOLDED_BLOCK) {
            // The range starts at the `|` / `>` indicator on the line before the content.
            const header = text.lastIndexOf('\n', e.valueStart - 2) + 1;
            const line = text.slice(header, e.valueStart);
            const ind = Math.max(line.lastIndexOf('|'), line.lastIndexOf('>'));
            if (ind >= 0) start = off(header + ind);
            // Trailing blank lines belong to the chomping, not to the range.
            const body = text.slice(e.valueStart, e.valueEnd);
            const lastText = body.trimEnd().length;
            const nl = body.indexOf('\n', lastText);
            if (lastText > 0 && nl >= 0) end = off(e.valueStart + nl + 1);
          }
          value =
            e.style === SCALAR_STYLE.PLAIN && (!tag || tag === '!')
              ? plainValue(raw)
              : tag === '!!int' || tag === '!!float'
                ? Number(raw)
                : tag === '!!bool'
                  ? plainValue(raw)
                  : tag === '!!null'
                    ? null
                    : raw;
        }
        if (typeof value === 'string') value = intern(value);
        const n = wrapTag({ kind: 'scalar', file, start, end, value }, tag);
        if (e.anchorStart >= 0) anchors.set(text.slice(e.anchorStart, e.anchorEnd).replace(/^&/, ''), n);
        if (!attach(n, value === null ? 'null' : typeof value === 'string' ? value : intern(String(value))))
          return undefined;
        break;
      }
      case EVENT_ID.ALIAS: {
        const target = anchors.get(text.slice(e.anchorStart, e.anchorEnd).replace(/^\*/, ''));
        const parent = stack[stack.length - 1];
        if (!target || (parent && parent.node.kind === 'map' && !parent.pendingKey)) return undefined;
        // Aliases share the node: a billion-laughs document stays linear.
        nodes.aliased = true;
        if (!attach(target)) return undefined;
        break;
      }
    }
  }
  return root ?? { kind: 'scalar', file, start: 0, end: 0, value: null };
}

/** Texts at least this long are read piece by piece (piecewiseYaml). */
export const PIECEWISE_MIN_CHARS = 1_000_000;
/** A top-level entry longer than this is read one of its own entries at a time. */
const PIECE_SPLIT_CHARS = 64 * 1024;

/** A simple key at the start of a line (after its indentation): `Name:` followed by a space, a comment or the line end. */
const SIMPLE_KEY = /[A-Za-z0-9_][A-Za-z0-9_.-]*:(?:[ \t]|\r?\n|$)/y;
/** A simple key and nothing else on its line but a comment: its value is the block below. */
const BLOCK_KEY = /[A-Za-z0-9_][A-Za-z0-9_.-]*:[ \t]*(?:#[^\n]*)?\r?(?:\n|$)/y;

/**
 * The lines of text[from, to), each as its start and its columns of indentation (-1 for a blank or
 * comment-only line); `visit` returns false to stop. A callback, not a generator: a big template
 * has half a million lines, and an object per line was a tenth of its parse's garbage.
 */
function eachLine(text: string, from: number, to: number, visit: (start: number, indent: number) => boolean): void {
  for (let start = from; start < to;) {
    let i = start;
    while (text.charCodeAt(i) === 32) i++;
    const c = text.charCodeAt(i);
    const blank = i >= to || c === 10 || c === 13 || c === 35 || c === 9; // \n \r # \t
    if (!visit(start, blank ? -1 : i - start)) return;
    const nl = text.indexOf('\n', i);
    start = nl < 0 || nl >= to ? to : nl + 1;
  }
}

/**
 * The tree of a large block-mapping document (a CloudFormation template of megabytes), read one
 * top-level entry at a time, and the big ones (`Resources`) one of their entries at a time: js-yaml's
 * event list for the whole file took as much memory as the tree itself, and both were alive at once
 * (a 15 MB template: 114 MB of events). The tree is the one fastYaml builds of the whole text
 * (test/yaml-fast.test.ts compares them): a piece is cut only at a line that starts a simple key at
 * the piece's own indentation, and whatever such a cut could split (a quoted or flow value running
 * over lines, an alias to an anchor in another piece) makes that piece fail, and then this returns
 * undefined and the caller reads the whole text as before. Also undefined for anything but a block
 * mapping of simple keys at the top.
 */
export function piecewiseYaml(
  file: SourceFile,
  text: string,
  skip: number,
  maxDepth: number,
  budget: number | Shared,
  splitAbove = PIECE_SPLIT_CHARS,
): TNode | undefined {
  const nodes: Shared = typeof budget === 'number' ? newShared(budget) : budget;
  /** The entries of the mapping of simple keys at `indent` in text[from, to); undefined when it is not one. */
  const entriesOf = (from: number, to: number, indent: number, depth: number): Entry[] | undefined => {
    const starts: number[] = [];
    let simple = true;
    eachLine(text, from, to, (start, lineIndent) => {
      if (lineIndent < 0 || lineIndent > indent) return true;
      if (lineIndent < indent) return (simple = false);
      // A sequence written at its key's indentation (`Layers:` then `- x` below it) belongs to that key.
      if (starts.length && text[start + indent] === '-' && /[ \t\r\n]/.test(text[start + indent + 1] ?? ''))
        return true;
      SIMPLE_KEY.lastIndex = start + indent;
      if (!SIMPLE_KEY.test(text)) return (simple = false);
      starts.push(start);
      return true;
    });
    if (!simple) return undefined;
    const entries: Entry[] = [];
    /** Entries starts[run] .. starts[k - 1], not read yet: read together, as one piece. */
    let run = 0;
    const flush = (k: number): boolean => {
      if (run === k) return true;
      const a = starts[run];
      const b = k < starts.length ? starts[k] : to;
      const root = fastYaml(file, text.slice(a, b), a + skip, maxDepth - depth, nodes);
      if (!root || root.kind !== 'map' || root.tag || root.entries?.length !== k - run) return false;
      // Each entry is the key its line starts with (a value running over into the next key's line would not be).
      for (let i = 0; i < k - run; i++) if (root.entries[i].keyStart !== starts[run + i] + indent + skip) return false;
      for (const e of root.entries) entries.push(e);
      run = k;
      return true;
    };
    for (let k = 0; k < starts.length; k++) {
      const a = starts[k];
      const b = k + 1 < starts.length ? starts[k + 1] : to;
      const valueIndent = b - a > splitAbove ? blockIndent(a + indent, b) : undefined;
      if (valueIndent !== undefined && depth + 1 < maxDepth) {
        if (!flush(k)) return undefined;
        run = k + 1;
        // A big entry whose value is a block mapping: its key here, its value read entry by entry.
        const colon = text.indexOf(':', a + indent);
        const bodyStart = text.indexOf('\n', colon) + 1;
        const inner = entriesOf(bodyStart, b, valueIndent, depth + 1);
        if (!inner) return undefined;
        const first = inner[0];
        if (!first) return undefined;
        const end = inner.reduce((m, e) => Math.max(m, e.value.end), first.keyStart);
        const start = first.keyStart;
        const raw = plainValue(text.slice(a + indent, colon));
        entries.push({
          key: raw === null ? 'null' : String(raw),
          keyStart: a + indent + skip,
          keyEnd: colon + skip,
          value: { kind: 'map', file, start, end: blockEndIn(text, skip, end, start), entries: inner },
        });
        continue;
      }
      // Small entries are read a piece of about `splitAbove` characters at a time: one js-yaml call
      // per entry (a resource of a few hundred bytes) cost a parser state each, six times the time
      // of the same text in one call and a third of the parse's garbage.
      if (b - starts[run] > splitAbove && !flush(k)) return undefined;
    }
    return flush(starts.length) ? entries : undefined;
  };
  /** The indentation of the block mapping that is the value of the key at `keyAt`, if it is one. */
  const blockIndent = (keyAt: number, to: number): number | undefined => {
    BLOCK_KEY.lastIndex = keyAt;
    if (!BLOCK_KEY.test(text)) return undefined;
    const keyIndent = keyAt - (text.lastIndexOf('\n', keyAt - 1) + 1);
    let found: number | undefined;
    eachLine(text, BLOCK_KEY.lastIndex, to, (_start, lineIndent) => {
      if (lineIndent < 0) return true;
      if (lineIndent > keyIndent) found = lineIndent;
      return false;
    });
    return found;
  };
  try {
    const entries = entriesOf(0, text.length, 0, 0);
    const first = entries?.[0];
    if (!entries || !first) return undefined;
    const end = entries.reduce((m, e) => Math.max(m, e.value.end), first.keyStart);
    return { kind: 'map', file, start: first.keyStart, end: blockEndIn(text, skip, end, first.keyStart), entries };
  } catch (e) {
    if (e instanceof YamlLimitError) throw e;
    return undefined;
  }
}
