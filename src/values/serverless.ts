// Serverless Framework variables (`${self:...}`, `${opt:stage, 'dev'}`, `${sls:stage}`, `${env:X, d}`,
// `${param:x}`, `${file(./x.yml):a.b}`): resolve what the service's own files decide, keep the rest
// symbolic. Nothing is executed and nothing remote is read: `${ssm:...}`, `${cf:...}`, `${s3:...}`,
// `${file(./x.js)}` and unknown sources stay as written. Resolution builds a new node tree; every
// node keeps the range where it was written, so findings point at the service file.
//
// docs/FACTS.md §5.4: `provider.stage` defaults to `dev` and the CLI's `--stage` overrides it;
// `stages.<stage>.params` / `stages.default.params` hold `${param:...}` values (v4).
import fs from 'node:fs';
import path from 'node:path';
import { get, parseSource, type Entry, type TNode } from '../source/parse.js';

export interface VariableContext {
  /** Absolute folder of the service file: `${file(...)}` paths are relative to it. */
  serviceDir: string;
  /** `--stage` given to lambdalint: feeds `${opt:stage}`. */
  stage?: string;
  /**
   * `${construct:id.property}` (serverless-lift): the reference it stands for, placed at `at`, or
   * undefined when not known. Given by the loader, which knows the plugin.
   */
  construct?: (address: string, at: TNode) => TNode | undefined;
}

/** Variable sources resolved from the project's files; every other `${source:...}` stays symbolic. */
const KNOWN = new Set(['self', 'opt', 'sls', 'env', 'param', 'file', 'strToBool', 'construct']);

/** `${...}` content that is a Serverless variable (not a CloudFormation `${AWS::Region}` / `${Logical.Arn}`). */
const VARIABLE = /^\s*(?:[A-Za-z][\w]*\([^)]*\)(?::|\s*$|\s*,)|[A-Za-z][\w]*(?:\.[\w-]+)?:(?!:))/;

const MAX_DEPTH = 100;
const TOKEN = /\uE000(\d+)\uE000/g;

type Resolved =
  { kind: 'node'; node: TNode } | { kind: 'unresolved'; text: string } | { kind: 'foreign'; text: string };

export class ServerlessVariables {
  /** Scalars whose text still holds a variable that could not be resolved. */
  readonly symbolic = new WeakSet<TNode>();
  /** For a value copied from elsewhere (`${self:custom.timeout}`), the node it was copied from. */
  readonly copiedFrom = new WeakMap<TNode, TNode>();
  private memo = new Map<TNode, TNode>();
  private active = new Set<TNode>();
  private files = new Map<string, TNode | null>();
  private stageCache: string | undefined;

  constructor(
    readonly root: TNode,
    readonly ctx: VariableContext,
  ) {}

  /** The stage being deployed: `--stage`, else `provider.stage`, else `dev`. */
  stage(): string {
    if (this.stageCache !== undefined) return this.stageCache;
    this.stageCache = 'dev'; // guards `provider.stage: ${sls:stage}` loops
    let s = this.ctx.stage;
    if (s === undefined) {
      const p = get(get(this.root, 'provider'), 'stage');
      const r = p ? this.resolve(p) : undefined;
      if (r && r.kind === 'scalar' && r.value !== null && !this.symbolic.has(r)) s = String(r.value);
    }
    this.stageCache = s ?? 'dev';
    return this.stageCache;
  }

  /** A copy of `node` with every variable resolved that can be; the rest is marked in `symbolic`. */
  resolve(node: TNode, depth = 0): TNode {
    const done = this.memo.get(node);
    if (done) return done;
    if (depth > MAX_DEPTH || this.active.has(node)) {
      // A reference loop (`a: ${self:b}`, `b: ${self:a}`): nothing resolves it.
      if (node.kind !== 'scalar' || typeof node.value !== 'string' || !node.value.includes('${')) return node;
      const loop: TNode = { ...node };
      this.symbolic.add(loop);
      return loop;
    }
    this.active.add(node);
    try {
      let out: TNode;
      if (node.kind === 'map') {
        const entries: Entry[] = (node.entries ?? []).map((e) => ({ ...e, value: this.resolve(e.value, depth + 1) }));
        out = { ...node, entries };
      } else if (node.kind === 'seq') {
        out = { ...node, items: (node.items ?? []).map((i) => this.resolve(i, depth + 1)) };
      } else if (typeof node.value === 'string' && node.value.includes('${')) {
        out = this.resolveString(node, depth);
      } else out = node;
      this.memo.set(node, out);
      return out;
    } finally {
      this.active.delete(node);
    }
  }

  /** A node at a dotted path of the service (`custom.tables.orders`), resolved. */
  lookup(root: TNode, address: string, depth: number): TNode | undefined {
    let cur: TNode | undefined = this.resolve(root, depth + 1);
    if (address.trim() === '') return cur;
    for (const seg of address.split('.')) {
      if (!cur) return undefined;
      if (cur.kind === 'map') cur = get(cur, seg);
      else if (cur.kind === 'seq' && /^\d+$/.test(seg)) cur = cur.items?.[Number(seg)];
      else return undefined;
      if (cur) cur = this.resolve(cur, depth + 1);
      if (cur && this.symbolic.has(cur)) return undefined;
    }
    return cur;
  }

  private resolveString(node: TNode, depth: number): TNode {
    const outer = this.at;
    this.at = node;
    try {
      return this.resolveStringAt(node, depth);
    } finally {
      this.at = outer;
    }
  }

  /** The string being resolved: where a reference made from a variable (`${construct:...}`) is placed. */
  private at: TNode | undefined;

  private resolveStringAt(node: TNode, depth: number): TNode {
    const text = String(node.value);
    const saved: string[] = [];
    let unresolved = false;
    let work = text;
    let whole: TNode | undefined;
    for (let guard = 0; guard < 200; guard++) {
      const m = /\$\{([^${}]*)\}/.exec(work);
      if (!m) break;
      const isWhole = m.index === 0 && m[0].length === work.length;
      const r = this.variable(m[1], depth + 1);
      let replacement: string;
      if (r.kind === 'node') {
        if (isWhole && !work.includes('\uE000') && (r.node.kind !== 'scalar' || typeof r.node.value !== 'string')) {
          whole = r.node;
          break;
        }
        if (r.node.kind !== 'scalar' || r.node.value === null) {
          unresolved = true;
          saved.push(m[0]);
          replacement = `\uE000${saved.length - 1}\uE000`;
        } else if (this.symbolic.has(r.node)) {
          unresolved = true;
          saved.push(String(r.node.value));
          replacement = `\uE000${saved.length - 1}\uE000`;
        } else replacement = String(r.node.value);
      } else {
        if (r.kind === 'unresolved') unresolved = true;
        saved.push(r.kind === 'unresolved' ? r.text : m[0]);
        replacement = `\uE000${saved.length - 1}\uE000`;
      }
      work = work.slice(0, m.index) + replacement + work.slice(m.index + m[0].length);
    }
    if (whole) {
      if (whole.kind === 'scalar') {
        const copy: TNode = { ...whole, file: node.file, start: node.start, end: node.end };
        this.copiedFrom.set(copy, whole);
        return copy;
      }
      this.copiedFrom.set(whole, whole);
      return whole;
    }
    const restore = (s: string, d = 0): string =>
      d > 20 ? s : s.replace(TOKEN, (_, i: string) => restore(saved[Number(i)], d + 1));
    const value = restore(work);
    const out: TNode = { ...node, value };
    if (unresolved) this.symbolic.add(out);
    return out;
  }

  /** One `${...}` body, inner variables already replaced. */
  private variable(body: string, depth: number): Resolved {
    const original = '${' + body.replace(TOKEN, () => '?') + '}';
    if (!VARIABLE.test(body)) return { kind: 'foreign', text: original };
    if (depth > MAX_DEPTH) return { kind: 'unresolved', text: original };
    const parts = splitTopLevel(body);
    for (const part of parts) {
      const p = part.trim();
      if (p === '') continue;
      const lit = /^(['"])([\s\S]*)\1$/.exec(p);
      if (lit) return { kind: 'node', node: this.literal(lit[2]) };
      if (/^-?\d+(\.\d+)?$/.test(p)) return { kind: 'node', node: this.literal(Number(p)) };
      if (p === 'true' || p === 'false' || p === 'null')
        return { kind: 'node', node: this.literal(p === 'null' ? null : p === 'true') };
      if (p.includes('\uE000')) return { kind: 'unresolved', text: original }; // built from an unresolved variable
      const r = this.source(p, depth);
      if (r === 'absent') continue; // try the fallback
      if (r === 'unknown') return { kind: 'unresolved', text: '${' + body + '}' };
      return { kind: 'node', node: r };
    }
    return { kind: 'unresolved', text: '${' + body + '}' };
  }

  /** A resolved source, 'absent' when it certainly has no value (so a fallback applies), 'unknown' otherwise. */
  private source(p: string, depth: number): TNode | 'absent' | 'unknown' {
    const fileM = /^file\(\s*([^)]*?)\s*\)(?::(.*))?$/.exec(p);
    if (fileM) return this.fromFile(fileM[1].replace(/^['"]|['"]$/g, ''), fileM[2] ?? '', depth);
    const boolM = /^strToBool\(\s*(.*?)\s*\)$/.exec(p);
    if (boolM) return /^(true|false)$/i.test(boolM[1]) ? this.literal(boolM[1].toLowerCase() === 'true') : 'unknown';
    const m = /^([A-Za-z][\w]*)(?:\.[\w-]+)?:(.*)$/.exec(p);
    if (!m) return 'unknown';
    const [, src, address] = m;
    if (!KNOWN.has(src)) return 'unknown';
    switch (src) {
      case 'self': {
        const n = this.lookup(this.root, address.trim(), depth);
        // The framework fills in provider.stage before it resolves variables.
        if (!n && address.trim() === 'provider.stage') return this.literal(this.stage());
        return n ?? 'absent';
      }
      case 'opt':
        // A CLI option lambdalint was not given is absent: the variable's fallback applies.
        if (address.trim() === 'stage' && this.ctx.stage !== undefined) return this.literal(this.ctx.stage);
        return 'absent';
      case 'sls':
        if (address.trim() === 'stage') return this.literal(this.stage());
        return 'unknown';
      case 'env': {
        // The deploying machine's environment is not the linting machine's: only the service's
        // dotenv files (read by v3 with `useDotenv: true`, by v4 always) and a fallback decide.
        const v = this.dotenv().get(address.trim());
        return v !== undefined ? this.literal(v) : 'absent';
      }
      case 'param': {
        const name = address.trim();
        const stages = get(this.root, 'stages');
        const v =
          get(get(get(stages, this.stage()), 'params'), name) ??
          get(get(get(stages, 'default'), 'params'), name) ??
          get(get(this.root, 'params'), name);
        return v ? this.resolve(v, depth + 1) : 'absent';
      }
      case 'construct':
        // serverless-lift's constructs (src/load/serverless-lift.ts).
        return this.ctx.construct?.(address, this.at ?? this.root) ?? 'unknown';
      default:
        return 'unknown';
    }
  }

  private dotenvCache: Map<string, string> | undefined;

  /** `.env.<stage>` then `.env` in the service folder, when the framework reads them. */
  private dotenv(): Map<string, string> {
    if (this.dotenvCache) return this.dotenvCache;
    const out = new Map<string, string>();
    this.dotenvCache = out;
    const version = scalarText(get(this.root, 'frameworkVersion'));
    const use = get(this.root, 'useDotenv');
    if (!(use?.kind === 'scalar' && use.value === true) && !(version !== undefined && /^\D*4/.test(version)))
      return out;
    for (const name of [`.env.${this.stage()}`, '.env']) {
      let text: string;
      try {
        text = fs.readFileSync(path.join(this.ctx.serviceDir, name), 'utf8');
      } catch {
        continue;
      }
      for (const line of text.split(/\r?\n/)) {
        const m = /^\s*(?:export\s+)?([A-Za-z_][\w.-]*)\s*=\s*(.*?)\s*$/.exec(line);
        if (!m || out.has(m[1])) continue;
        const q = /^(['"])([\s\S]*)\1$/.exec(m[2]);
        const value = q ? q[2] : m[2].replace(/\s+#.*$/, '');
        if (!value.includes('${')) out.set(m[1], value);
      }
    }
    return out;
  }

  private fromFile(rel: string, address: string, depth: number): TNode | 'absent' | 'unknown' {
    if (!/\.(ya?ml|json)$/i.test(rel) || /^[a-z]+:\/\//i.test(rel)) return 'unknown';
    const abs = path.resolve(this.ctx.serviceDir, rel);
    let root = this.files.get(abs);
    if (root === undefined) {
      root = null;
      try {
        const st = fs.statSync(abs);
        if (st.isFile() && st.size < 4 * 1024 * 1024) {
          const parsed = parseSource(abs, fs.readFileSync(abs, 'utf8'));
          if (parsed.ok) root = parsed.root;
        }
      } catch {
        // a missing file: Serverless uses the fallback
      }
      this.files.set(abs, root);
    }
    if (!root) return fs.existsSync(abs) ? 'unknown' : 'absent';
    const n = this.lookup(root, address.trim(), depth);
    return n ?? 'absent';
  }

  private literal(value: string | number | boolean | null): TNode {
    return { kind: 'scalar', file: this.root.file, start: 0, end: 0, value };
  }
}

function scalarText(n: TNode | undefined): string | undefined {
  return n?.kind === 'scalar' && n.value !== null ? String(n.value) : undefined;
}

/** Splits `a, 'b, c', ${d}` at top-level commas. */
function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote = '';
  let paren = 0;
  for (const ch of s) {
    if (quote) {
      if (ch === quote) quote = '';
      cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      cur += ch;
    } else if (ch === '(') {
      paren++;
      cur += ch;
    } else if (ch === ')') {
      paren = Math.max(0, paren - 1);
      cur += ch;
    } else if (ch === ',' && paren === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}
