// A parsed .tf file (hcl.ts) written as numbers and a list of values, for the trip from a parse
// worker to the main thread (src/code/parse-pool.ts), and read back into the same tree there.
//
// Structured clone writes every object of a tree with the names of its fields, and the receiving
// thread reads it back field by field. The 41 .tf files of the 2,000-function bench (761 KB) made
// 110,000 objects, 4.6 MB to clone; here the numbers (spans, counts, kinds) go into one Int32Array,
// copied whole, the strings and literal values into one array, and plain code that knows the shapes
// builds the tree again: 2.2 MB. All 41 trees, CPU, min / median of 9 rounds at load ~10: clone
// 28 / 33 ms -> encode and clone 9 / 23 ms; read back 58 / 82 ms -> read back and decode 4 / 14 ms.
// Spans point at the file, which crosses once, as its path and text.
//
// Only trees of parseHcl go this way: no two of their nodes share a span object, and so none of the
// decoded ones do. A .tf.json tree shares spans between nodes, and identity of spans is compared
// (src/load/terraform/triggers.ts): it crosses by structured clone, which keeps it.
import {
  type Attribute,
  type Block,
  type Body,
  type Expr,
  HclFile,
  type ParsedHcl,
  type Span,
  type Step,
} from './hcl.js';

/** A tree as it crosses threads. */
export interface HclWire {
  path: string;
  text: string;
  ints: Int32Array;
  vals: unknown[];
}

const KINDS = [
  'lit',
  'template',
  'tuple',
  'object',
  'ref',
  'call',
  'cond',
  'postfix',
  'binop',
  'unop',
  'other',
] as const;
const KIND = new Map<string, number>(KINDS.map((k, i) => [k, i]));

export function encodeHcl(tree: ParsedHcl): HclWire {
  const ints: number[] = [];
  const vals: unknown[] = [];
  const span = (s: Span): void => {
    ints.push(s.start, s.end);
  };
  const steps = (list: Step[]): void => {
    ints.push(list.length);
    for (const s of list) {
      if ('attr' in s) {
        ints.push(0);
        vals.push(s.attr);
      } else if ('index' in s) {
        ints.push(1);
        expr(s.index);
      } else ints.push(2);
    }
  };
  const exprs = (list: Expr[]): void => {
    ints.push(list.length);
    for (const e of list) expr(e);
  };
  const expr = (e: Expr): void => {
    ints.push(KIND.get(e.k)!);
    switch (e.k) {
      case 'lit':
        vals.push(e.value);
        break;
      case 'template':
        ints.push(e.parts.length, e.heredoc ? 1 : 0);
        for (const p of e.parts) {
          if (typeof p === 'string') {
            ints.push(0);
            vals.push(p);
          } else {
            ints.push(1);
            expr(p);
          }
        }
        break;
      case 'tuple':
        exprs(e.items);
        break;
      case 'object':
        ints.push(e.entries.length);
        for (const x of e.entries) {
          expr(x.key);
          expr(x.value);
          span(x.span);
        }
        break;
      case 'ref':
        vals.push(e.root);
        steps(e.steps);
        break;
      case 'call':
        vals.push(e.name);
        ints.push(e.expand ? 1 : 0);
        exprs(e.args);
        break;
      case 'cond':
        expr(e.test);
        expr(e.then);
        expr(e.else);
        break;
      case 'postfix':
        expr(e.base);
        steps(e.steps);
        break;
      case 'binop':
        vals.push(e.op);
        expr(e.left);
        expr(e.right);
        break;
      case 'unop':
        vals.push(e.op);
        expr(e.x);
        break;
      case 'other':
        vals.push(e.what);
        break;
    }
    span(e.span);
  };
  const body = (b: Body): void => {
    ints.push(b.attrs.size);
    for (const [key, a] of b.attrs) {
      vals.push(key, a.name);
      expr(a.expr);
      span(a.span);
      span(a.nameSpan);
    }
    ints.push(b.blocks.length);
    for (const x of b.blocks) {
      vals.push(x.type);
      ints.push(x.labels.length);
      for (const l of x.labels) vals.push(l);
      body(x.body);
      span(x.headSpan);
      span(x.span);
    }
  };
  body(tree.body);
  if (tree.error) {
    ints.push(1);
    span(tree.error.span);
    vals.push(tree.error.message);
  } else ints.push(0);
  return { path: tree.file.path, text: tree.file.text, ints: Int32Array.from(ints), vals };
}

export function decodeHcl(wire: HclWire): ParsedHcl {
  const file = new HclFile(wire.path, wire.text);
  const { ints, vals } = wire;
  let i = 0;
  let v = 0;
  const span = (): Span => ({ file, start: ints[i++], end: ints[i++] });
  const steps = (): Step[] => {
    const out: Step[] = [];
    for (let n = ints[i++]; n > 0; n--) {
      const t = ints[i++];
      out.push(t === 0 ? { attr: vals[v++] as string } : t === 1 ? { index: expr() } : { splat: true });
    }
    return out;
  };
  const exprs = (): Expr[] => {
    const out: Expr[] = [];
    for (let n = ints[i++]; n > 0; n--) out.push(expr());
    return out;
  };
  const expr = (): Expr => {
    const k = KINDS[ints[i++]];
    switch (k) {
      case 'lit':
        return { k, value: vals[v++] as string | number | boolean | null, span: span() };
      case 'template': {
        const parts: (string | Expr)[] = [];
        let n = ints[i++];
        const heredoc = ints[i++] === 1;
        for (; n > 0; n--) parts.push(ints[i++] === 0 ? (vals[v++] as string) : expr());
        const e: Expr = { k, parts, span: span() };
        if (heredoc) e.heredoc = true;
        return e;
      }
      case 'tuple':
        return { k, items: exprs(), span: span() };
      case 'object': {
        const entries: { key: Expr; value: Expr; span: Span }[] = [];
        for (let n = ints[i++]; n > 0; n--) entries.push({ key: expr(), value: expr(), span: span() });
        return { k, entries, span: span() };
      }
      case 'ref':
        return { k, root: vals[v++] as string, steps: steps(), span: span() };
      case 'call': {
        const name = vals[v++] as string;
        const expand = ints[i++] === 1;
        return { k, name, args: exprs(), expand, span: span() };
      }
      case 'cond':
        return { k, test: expr(), then: expr(), else: expr(), span: span() };
      case 'postfix':
        return { k, base: expr(), steps: steps(), span: span() };
      case 'binop':
        return { k, op: vals[v++] as string, left: expr(), right: expr(), span: span() };
      case 'unop':
        return { k, op: vals[v++] as string, x: expr(), span: span() };
      case 'other':
        return { k, what: vals[v++] as string, span: span() };
    }
  };
  const body = (): Body => {
    const attrs = new Map<string, Attribute>();
    for (let n = ints[i++]; n > 0; n--) {
      const key = vals[v++] as string;
      attrs.set(key, { name: vals[v++] as string, expr: expr(), span: span(), nameSpan: span() });
    }
    const blocks: Block[] = [];
    for (let n = ints[i++]; n > 0; n--) {
      const type = vals[v++] as string;
      const labels: string[] = [];
      for (let m = ints[i++]; m > 0; m--) labels.push(vals[v++] as string);
      blocks.push({ type, labels, body: body(), headSpan: span(), span: span() });
    }
    return { attrs, blocks };
  };
  const out: ParsedHcl = { file, body: body() };
  if (ints[i++] === 1) out.error = { span: span(), message: vals[v++] as string };
  return out;
}
