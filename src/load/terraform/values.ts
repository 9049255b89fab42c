// Terraform expression evaluation: variables (defaults, tfvars, module inputs), locals, string
// templates, the functions projects use around Lambda (jsonencode, file, format, join, concat,
// merge, lookup...), references between resources. What cannot be known stays symbolic: a
// reference to `aws_sqs_queue.q.arn` becomes a Symbolic naming the resource and its type; a
// variable without a value stays `var.x`. Nothing is guessed.
//
// Over 600 lines because: one Evaluator of Terraform expressions: its functions (jsonencode, merge,
// lookup, format, ...), templates and references recurse through it.
import fs from 'node:fs';
import path from 'node:path';
import type { Origin, SourceRange, Symbolic, Val, Via } from '../../model/types.js';
import { type Attribute, type Block, type Expr, type Span, type Step, spanRange } from '../../source/hcl.js';

/** Where a value came from when it was not written at the place it is used. */
interface From {
  range: SourceRange;
  message: string;
  via: Via;
}

interface Base {
  /** Where the value was written. */
  span?: Span;
  from?: From;
  /** The structure a `jsonencode(...)` string was built from. */
  json?: TV;
  /** The file a `file(...)` string was read from (its text is the value). */
  readFrom?: string;
  /** The data.archive_file block an `output_path` came from. */
  archive?: { block: Block; scope: Scope };
  /** The data.aws_iam_policy_document block a `.json` came from. */
  doc?: { block: Block; scope: Scope };
  /**
   * Objects only: some keys cannot be known (a `merge()` with an argument that cannot be
   * evaluated). The keys listed are certain; others may exist. Says what was unknown.
   */
  partial?: string;
}

export type TV = Base &
  (
    | { t: 'str'; v: string }
    | { t: 'num'; v: number }
    | { t: 'bool'; v: boolean }
    | { t: 'null' }
    | { t: 'list'; items: TV[] }
    | { t: 'obj'; entries: Map<string, TV> }
    | { t: 'sym'; sym: Symbolic }
    | {
        t: 'unknown';
        why?: string;
        /** Terraform itself fails here (a missing key, a null argument): what `try()` skips. */ err?: true;
      }
  );

export interface VariableInfo {
  name: string;
  block: Block;
  /** The value given by tfvars or a module call, evaluated in the caller's scope. */
  given?: TV;
}

/** One module instance: the root, or a local module called with `module "x" { source = "./..." }`. */
export interface Scope {
  /** `''` for the root, `module.x.` (nested: `module.x.module.y.`) inside local modules. */
  prefix: string;
  /** Absolute folder of the module. */
  dir: string;
  /** Absolute folder of the root module (relative paths in Terraform resolve against it). */
  rootDir: string;
  variables: Map<string, VariableInfo>;
  locals: Map<string, Attribute>;
  /** Managed resources by `type.name`. */
  resources: Map<string, Block>;
  /** Data sources by `type.name`. */
  data: Map<string, Block>;
  /**
   * Module calls by name (filled by the loader): a local module's scope, or, for a module modelled
   * from its inputs (terraform-aws-modules/lambda), its outputs (`key` is the instance key of a
   * module with count / for_each).
   */
  modules: Map<
    string,
    { block: Block; scope?: Scope; outputs?: (output: string, key: TV | undefined) => TV | undefined }
  >;
  /** Outputs by name. */
  outputs: Map<string, Attribute>;
  /** Folders of the project, so file() never reads outside it. */
  within: readonly string[];
}

/** Bindings for `each.*` / `count.index` inside one resource instance. */
export interface Instance {
  each?: { key: TV; value: TV };
  countIndex?: TV;
  /** Iterators of `dynamic` blocks being expanded (`ingress.value`, or the `iterator` name). */
  iters?: Record<string, { key: TV; value: TV }>;
}

const MAX_DEPTH = 48;
const MAX_FILE = 1024 * 1024;

/** Computed attributes: never taken from an argument of the same name. */
const COMPUTED = new Set([
  'arn',
  'id',
  'qualified_arn',
  'invoke_arn',
  'qualified_invoke_arn',
  'version',
  'stream_arn',
  'url',
  'unique_id',
  'key_id',
  'output_path',
  'output_base64sha256',
  'output_size',
  'json',
]);

/** Data sources whose attributes describe the account, region or partition of the deployment. */
const ENV_DATA = /^data\.(aws_region|aws_caller_identity|aws_partition)\./;

export class Evaluator {
  private active = new Set<string>();
  constructor(private readonly onModuleOutput: (scope: Scope, module: string) => Scope | undefined) {}

  eval(e: Expr, scope: Scope, inst: Instance = {}, depth = 0): TV {
    if (depth > MAX_DEPTH) return { t: 'unknown', span: e.span, why: 'too deep' };
    const d = depth + 1;
    switch (e.k) {
      case 'lit':
        if (e.value === null) return { t: 'null', span: e.span };
        if (typeof e.value === 'string') return { t: 'str', v: e.value, span: e.span };
        if (typeof e.value === 'number') return { t: 'num', v: e.value, span: e.span };
        return { t: 'bool', v: e.value, span: e.span };
      case 'template':
        return this.template(e.parts, e.span, scope, inst, d);
      case 'tuple':
        return { t: 'list', items: e.items.map((x) => this.eval(x, scope, inst, d)), span: e.span };
      case 'object': {
        const entries = new Map<string, TV>();
        for (const en of e.entries) {
          const k = this.eval(en.key, scope, inst, d);
          const key = k.t === 'str' ? k.v : k.t === 'num' || k.t === 'bool' ? String(k.v) : undefined;
          if (key === undefined) return { t: 'unknown', span: e.span, why: 'computed key' };
          entries.set(key, { ...this.eval(en.value, scope, inst, d), span: en.value.span });
        }
        return { t: 'obj', entries, span: e.span };
      }
      case 'ref':
        return this.ref(e.root, e.steps, e.span, scope, inst, d);
      case 'postfix':
        return this.steps(this.eval(e.base, scope, inst, d), e.steps, scope, inst, d, e.span);
      case 'cond': {
        const t = this.eval(e.test, scope, inst, d);
        if (t.t === 'bool') return this.eval(t.v ? e.then : e.else, scope, inst, d);
        if (t.t === 'str' && (t.v === 'true' || t.v === 'false'))
          return this.eval(t.v === 'true' ? e.then : e.else, scope, inst, d);
        return { t: 'unknown', span: e.span, why: 'condition' };
      }
      case 'call':
        return this.call(e.name, e.args, e.expand, e.span, scope, inst, d);
      case 'binop':
        return binop(e.op, this.eval(e.left, scope, inst, d), this.eval(e.right, scope, inst, d), e.span);
      case 'unop': {
        const x = this.eval(e.x, scope, inst, d);
        if (e.op === '!' && x.t === 'bool') return { t: 'bool', v: !x.v, span: e.span };
        if (e.op === '-' && x.t === 'num') return { t: 'num', v: -x.v, span: e.span };
        return { t: 'unknown', span: e.span, why: e.op };
      }
      default:
        return { t: 'unknown', span: e.span, why: e.what };
    }
  }

  private template(parts: (string | Expr)[], span: Span, scope: Scope, inst: Instance, depth: number): TV {
    if (parts.length === 1 && typeof parts[0] !== 'string') return { ...this.eval(parts[0], scope, inst, depth), span };
    let text = '';
    let symbolic = false;
    let from: From | undefined;
    for (const p of parts) {
      if (typeof p === 'string') {
        text += p;
        continue;
      }
      const v = this.eval(p, scope, inst, depth);
      from ??= v.from;
      const s = scalarText(v);
      if (s !== undefined) text += s;
      else if (v.t === 'sym') {
        text += placeholderOf(v.sym);
        symbolic = true;
      } else {
        return {
          t: 'unknown',
          span,
          why: 'template part',
          ...(v.t === 'unknown' && v.err ? { err: true as const } : {}),
        };
      }
    }
    if (!symbolic) return { t: 'str', v: text, span, from };
    return { t: 'sym', sym: { kind: 'expr', key: `expr:${text}`, text }, span, from };
  }

  /** A variable, local, resource attribute, data source, module output, each / count. */
  private ref(root: string, steps: Step[], span: Span, scope: Scope, inst: Instance, depth: number): TV {
    const attr = (i: number): string | undefined => {
      const s = steps[i];
      return s && 'attr' in s ? s.attr : undefined;
    };
    switch (root) {
      case 'var': {
        const name = attr(0);
        const info = name ? scope.variables.get(name) : undefined;
        if (!name || !info) return { t: 'unknown', span };
        return this.steps(this.variable(info, scope, depth), steps.slice(1), scope, inst, depth, span);
      }
      case 'local': {
        const name = attr(0);
        const a = name ? scope.locals.get(name) : undefined;
        if (!name || !a) return { t: 'unknown', span };
        const key = `${scope.prefix}local.${name}`;
        if (this.active.has(key)) return { t: 'unknown', span, why: 'cycle' };
        this.active.add(key);
        try {
          const v = this.eval(a.expr, scope, {}, depth);
          // `merge(var.defaults, { role = ... })` with an unknown argument: a key set by a later
          // argument is still known.
          const first = steps[1];
          if (v.t === 'unknown' && a.expr.k === 'call' && a.expr.name === 'merge' && first && 'attr' in first) {
            const got = this.mergeLookup(a.expr.args, first.attr, scope, depth);
            if (got) return this.steps(got, steps.slice(2), scope, inst, depth, span);
          }
          return this.steps(v, steps.slice(1), scope, inst, depth, span);
        } finally {
          this.active.delete(key);
        }
      }
      case 'each': {
        const which = attr(0);
        const v = which === 'key' ? inst.each?.key : which === 'value' ? inst.each?.value : undefined;
        if (!v)
          return { t: 'sym', sym: { kind: 'param', key: `each.${which}@${span.start}`, text: `each.${which}` }, span };
        return this.steps(v, steps.slice(1), scope, inst, depth, span);
      }
      case 'count':
        return (
          inst.countIndex ?? {
            t: 'sym',
            sym: { kind: 'param', key: `count.index@${span.start}`, text: 'count.index' },
            span,
          }
        );
      case 'path': {
        const which = attr(0);
        if (which === 'module') return { t: 'str', v: rel(scope.rootDir, scope.dir), span };
        if (which === 'root') return { t: 'str', v: '.', span };
        if (which === 'cwd') return { t: 'str', v: scope.rootDir, span };
        return { t: 'unknown', span };
      }
      case 'terraform':
        return { t: 'sym', sym: { kind: 'param', key: 'terraform.workspace', text: 'terraform.workspace' }, span };
      case 'data':
        return this.dataRef(steps, span, scope, inst, depth);
      case 'module': {
        const name = attr(0);
        const synthetic = name ? scope.modules.get(name)?.outputs : undefined;
        if (synthetic) {
          const first = steps[1];
          const keyed = !!first && 'index' in first;
          const key = first && 'index' in first ? this.eval(first.index, scope, inst, depth) : undefined;
          const output = attr(keyed ? 2 : 1);
          const v = output ? synthetic(output, key) : undefined;
          if (!v) return { t: 'unknown', span, why: `module.${name}` };
          return this.steps({ ...v, span }, steps.slice(keyed ? 3 : 2), scope, inst, depth, span);
        }
        const out = attr(1);
        if (!name || !out) return { t: 'unknown', span };
        const child = this.onModuleOutput(scope, name);
        const a = child?.outputs.get(out);
        if (!child || !a) return { t: 'unknown', span, why: `module.${name}.${out}` };
        const key = `${child.prefix}output.${out}`;
        if (this.active.has(key)) return { t: 'unknown', span, why: 'cycle' };
        this.active.add(key);
        try {
          const v = this.eval(a.expr, child, {}, depth);
          return this.steps({ ...v, span }, steps.slice(2), scope, inst, depth, span);
        } finally {
          this.active.delete(key);
        }
      }
      default: {
        const it = inst.iters && Object.hasOwn(inst.iters, root) ? inst.iters[root] : undefined;
        if (it) {
          const which = attr(0);
          const v = which === 'key' ? it.key : which === 'value' ? it.value : undefined;
          return v ? this.steps(v, steps.slice(1), scope, inst, depth, span) : { t: 'unknown', span };
        }
        return this.resourceRef(root, steps, span, scope, inst, depth);
      }
    }
  }

  /** The value `merge(...)` gives one key: the last argument that sets it, unless an unknown one follows. */
  private mergeLookup(args: Expr[], key: string, scope: Scope, depth: number): TV | undefined {
    for (let i = args.length - 1; i >= 0; i--) {
      const a = this.eval(args[i], scope, {}, depth);
      if (a.t === 'null') continue;
      if (a.t !== 'obj') return undefined;
      const v = a.entries.get(key);
      if (v) return { ...v, from: v.from ?? a.from };
    }
    return undefined;
  }

  variable(info: VariableInfo, scope: Scope, depth: number): TV {
    if (info.given) return info.given;
    const def = info.block.body.attrs.get('default');
    if (def) {
      const v = this.eval(def.expr, { ...scope, variables: new Map() }, {}, depth);
      if (v.t !== 'unknown')
        return { ...v, from: { range: spanRange(def.span), message: `default of var.${info.name}`, via: 'default' } };
    }
    return { t: 'sym', sym: { kind: 'param', key: `${scope.prefix}var.${info.name}`, text: `var.${info.name}` } };
  }

  private resourceRef(type: string, steps: Step[], span: Span, scope: Scope, inst: Instance, depth: number): TV {
    const nameStep = steps[0];
    if (!nameStep || !('attr' in nameStep)) return { t: 'unknown', span };
    let address = `${type}.${nameStep.attr}`;
    const block = scope.resources.get(address);
    // An instance of a for_each resource is its own address (`aws_lambda_function.f["a"]`), and so
    // is one of a resource with a count of 2 or more (`aws_lambda_function.f[1]`).
    const first = steps[1];
    if (block?.body.attrs.has('for_each') && first && 'index' in first) {
      const k = this.eval(first.index, scope, inst, depth);
      if (k.t === 'str') address += `[${JSON.stringify(k.v)}]`;
    } else if (block?.body.attrs.has('count') && first && 'index' in first) {
      const n = countOf(this, block, scope);
      const k = n !== undefined && n >= 2 ? this.eval(first.index, scope, inst, depth) : undefined;
      if (k?.t === 'num' && k.v >= 0 && k.v < n!) address += `[${k.v}]`;
    }
    // Instance keys (`[0]`, `["a"]`, `[*]`) are skipped: every instance shares the resource's type and shape.
    let i = 1;
    let splat = false;
    while (i < steps.length && !('attr' in steps[i])) {
      if ('splat' in steps[i]) splat = true;
      i++;
    }
    const attribute = steps[i] && 'attr' in steps[i] ? (steps[i] as { attr: string }).attr : undefined;
    if (!attribute) return { t: 'unknown', span };
    let v: TV | undefined;
    if (block && !COMPUTED.has(attribute) && !block.body.attrs.has('for_each') && !block.body.attrs.has('count')) {
      const a = block.body.attrs.get(attribute);
      if (a) {
        const key = `${scope.prefix}${address}.${attribute}`;
        if (!this.active.has(key)) {
          this.active.add(key);
          try {
            const got = this.eval(a.expr, scope, {}, depth);
            if (got.t === 'str' || got.t === 'num' || got.t === 'bool') v = { ...got, span };
          } finally {
            this.active.delete(key);
          }
        }
      }
    }
    if (
      !v &&
      block &&
      type === 'aws_lambda_function' &&
      attribute === 'version' &&
      !publishes(this, block, scope, depth)
    ) {
      // docs/FACTS.md §8.1: without `publish = true` nothing is published and `version` reads $LATEST.
      v = { t: 'str', v: '$LATEST', span };
    }
    v ??= {
      t: 'sym',
      sym: {
        kind: 'getatt',
        key: `${scope.prefix}${address}.${attribute}`,
        text: `${scope.prefix}${address}.${attribute}`,
        target: `${scope.prefix}${address}`,
        attribute,
        resourceType: block ? type : undefined,
      },
      span,
    };
    const rest = this.steps(v, steps.slice(i + 1), scope, inst, depth, span);
    return splat ? { t: 'list', items: [rest], span } : rest;
  }

  private dataRef(steps: Step[], span: Span, scope: Scope, inst: Instance, depth: number): TV {
    const names = steps.map((s) => ('attr' in s ? s.attr : undefined));
    const [type, name] = names;
    if (!type || !name) return { t: 'unknown', span };
    const address = `data.${type}.${name}`;
    let i = 2;
    while (i < steps.length && !('attr' in steps[i])) i++;
    const attribute = names[i];
    const block = scope.data.get(`${type}.${name}`);
    if (type === 'aws_iam_policy_document' && attribute === 'json' && block) {
      return {
        t: 'sym',
        sym: {
          kind: 'getatt',
          key: `${scope.prefix}${address}.json`,
          text: `${scope.prefix}${address}.json`,
          target: `${scope.prefix}${address}`,
          attribute: 'json',
        },
        doc: { block, scope },
        span,
      };
    }
    if (type === 'archive_file' && block && attribute === 'output_path') {
      const a = block.body.attrs.get('output_path');
      const v = a ? this.eval(a.expr, scope, {}, depth) : ({ t: 'unknown' } as TV);
      return { ...v, span, archive: { block, scope } };
    }
    if (type === 'aws_iam_policy' && block && attribute === 'arn') {
      // An AWS managed policy looked up by name has a well-known ARN.
      const n = block.body.attrs.get('name');
      const nv = n ? this.eval(n.expr, scope, {}, depth) : undefined;
      const a = block.body.attrs.get('arn');
      const av = a ? this.eval(a.expr, scope, {}, depth) : undefined;
      if (av?.t === 'str') return { ...av, span };
      if (nv?.t === 'str' && /^AWS|^Amazon|^CloudWatch/.test(nv.v)) {
        return {
          t: 'sym',
          sym: {
            kind: 'expr',
            key: `expr:managed:${nv.v}`,
            text: `arn:\${data.aws_partition.current.partition}:iam::aws:policy/${nv.v}`,
          },
          span,
        };
      }
    }
    if (attribute === undefined) return { t: 'unknown', span };
    const text = `${address}.${attribute}`;
    if (ENV_DATA.test(address))
      return { t: 'sym', sym: { kind: 'expr', key: `expr:\${${text}}`, text: `\${${text}}` }, span };
    return {
      t: 'sym',
      sym: {
        kind: 'getatt',
        key: `${scope.prefix}${text}`,
        text: `${scope.prefix}${text}`,
        target: `${scope.prefix}${address}`,
        attribute,
      },
      span,
    };
  }

  private steps(v: TV, steps: Step[], scope: Scope, inst: Instance, depth: number, span: Span): TV {
    let cur = v;
    for (const s of steps) {
      if (cur.t === 'unknown') return cur;
      if (cur.t === 'sym') {
        // `var.cfg.timeout` of an unknown variable: still one unknown thing with a stable name.
        const more = 'attr' in s ? `.${s.attr}` : '[*]';
        const text = cur.sym.kind === 'expr' ? cur.sym.text : cur.sym.text + more;
        cur = {
          t: 'sym',
          sym: { kind: cur.sym.kind === 'expr' ? 'expr' : 'param', key: cur.sym.key + more, text },
          span,
          from: cur.from,
        };
        continue;
      }
      if ('splat' in s) continue;
      if ('attr' in s) {
        if (cur.t !== 'obj')
          return {
            t: 'unknown',
            span,
            ...(cur.t === 'null' || cur.t === 'list' || cur.t === 'str' || cur.t === 'num' || cur.t === 'bool'
              ? { err: true as const }
              : {}),
          };
        const next = cur.entries.get(s.attr);
        if (!next) return cur.partial ? { t: 'unknown', span, why: cur.partial } : { t: 'unknown', span, err: true };
        cur = { ...next, from: next.from ?? cur.from };
        continue;
      }
      const ix = this.eval(s.index, scope, inst, depth);
      if (cur.t === 'list' && ix.t === 'num') {
        const next = cur.items[ix.v];
        if (!next) return { t: 'unknown', span, err: true };
        cur = { ...next, from: next.from ?? cur.from };
      } else if (cur.t === 'obj' && (ix.t === 'str' || ix.t === 'num')) {
        const next = cur.entries.get(String(ix.v));
        if (!next) return cur.partial ? { t: 'unknown', span, why: cur.partial } : { t: 'unknown', span, err: true };
        cur = { ...next, from: next.from ?? cur.from };
      } else return { t: 'unknown', span };
    }
    return cur;
  }

  private call(
    name: string,
    argExprs: Expr[],
    expand: boolean,
    span: Span,
    scope: Scope,
    inst: Instance,
    depth: number,
  ): TV {
    if (name === 'try' || name === 'can') {
      // An argument is skipped only when Terraform itself would fail on it (a missing key, a null
      // argument); one lambdalint merely cannot evaluate might succeed, so then nothing is known.
      for (const a of argExprs) {
        const v = this.eval(a, scope, inst, depth);
        if (v.t !== 'unknown') return name === 'can' ? { t: 'bool', v: true, span } : v;
        if (!v.err) return { t: 'unknown', span, why: `${name}()` };
        if (name === 'can') return { t: 'bool', v: false, span };
      }
      return { t: 'unknown', span, err: true };
    }
    let args = argExprs.map((a) => this.eval(a, scope, inst, depth));
    if (expand && args.length) {
      const last = args[args.length - 1];
      if (last.t !== 'list') return { t: 'unknown', span };
      args = [...args.slice(0, -1), ...last.items];
    }
    const unknown: TV = { t: 'unknown', span, why: `${name}()` };
    const str = (i: number): string | undefined => scalarText(args[i]);
    // A failing argument fails the call.
    const failed = args.find((a) => a.t === 'unknown' && a.err);
    if (failed) return { ...failed, span };
    // String functions fail on a null argument (Terraform: "argument must not be null").
    if (STRING_FUNCTIONS.has(name) && args.some((a) => a.t === 'null')) return { ...unknown, err: true };
    switch (name) {
      case 'replace': {
        const [s0, from, to] = [str(0), str(1), str(2)];
        if (s0 === undefined || from === undefined || to === undefined) return unknown;
        // A /regex/ pattern follows RE2 syntax, which lambdalint does not evaluate.
        if (from.length > 1 && from.startsWith('/') && from.endsWith('/')) return unknown;
        return { t: 'str', v: s0.split(from).join(to), span };
      }
      case 'split': {
        const [sep, s0] = [str(0), str(1)];
        if (sep === undefined || s0 === undefined) return unknown;
        return { t: 'list', items: (sep === '' ? [...s0] : s0.split(sep)).map((v) => ({ t: 'str', v, span })), span };
      }
      case 'basename':
      case 'dirname': {
        const p = str(0);
        if (p === undefined) return unknown;
        return { t: 'str', v: name === 'basename' ? path.posix.basename(p) : path.posix.dirname(p), span };
      }
      case 'trimprefix':
      case 'trimsuffix': {
        const [s0, x] = [str(0), str(1)];
        if (s0 === undefined || x === undefined) return unknown;
        const v =
          name === 'trimprefix'
            ? s0.startsWith(x)
              ? s0.slice(x.length)
              : s0
            : x !== '' && s0.endsWith(x)
              ? s0.slice(0, -x.length)
              : s0;
        return { t: 'str', v, span };
      }
      case 'keys':
      case 'values': {
        const m = args[0];
        if (m?.t !== 'obj' || m.partial) return unknown;
        // Terraform returns a map's keys in lexical order, and its values in the order of their keys.
        const ks = [...m.entries.keys()].sort();
        return {
          t: 'list',
          items: ks.map((k) => (name === 'keys' ? { t: 'str', v: k, span } : m.entries.get(k)!)),
          span,
        };
      }
      case 'jsonencode': {
        const a = args[0];
        if (!a) return unknown;
        const plain = toPlain(a);
        if (plain !== NOT_PLAIN) return { t: 'str', v: JSON.stringify(plain), json: a, span };
        return {
          t: 'sym',
          sym: { kind: 'param', key: `jsonencode@${span.file.path}:${span.start}`, text: 'jsonencode(...)' },
          json: a,
          span,
        };
      }
      case 'file':
      case 'templatefile': {
        const p = str(0);
        if (p === undefined) return unknown;
        const abs = path.resolve(scope.rootDir, p);
        if (!scope.within.some((w) => abs === w || abs.startsWith(w + path.sep))) return unknown;
        try {
          if (fs.statSync(abs).size > MAX_FILE) return unknown;
          const text = fs.readFileSync(abs, 'utf8');
          if (name === 'templatefile' && /[$%]\{/.test(text)) return unknown;
          return { t: 'str', v: text, readFrom: abs, span };
        } catch {
          return unknown;
        }
      }
      case 'format': {
        const f = str(0);
        if (f === undefined) return unknown;
        let i = 1;
        let ok = true;
        let symbolic = false;
        const out = f.replace(/%(%|[-+# 0-9.]*[sdvfqt])/g, (m, spec: string) => {
          if (spec === '%') return '%';
          const a = args[i++];
          const s = a ? scalarText(a) : undefined;
          if (s !== undefined) return spec.endsWith('q') ? JSON.stringify(s) : s;
          if (a?.t === 'sym') {
            symbolic = true;
            return placeholderOf(a.sym);
          }
          ok = false;
          return m;
        });
        if (!ok) return unknown;
        return symbolic
          ? { t: 'sym', sym: { kind: 'expr', key: `expr:${out}`, text: out }, span }
          : { t: 'str', v: out, span };
      }
      case 'join': {
        const sep = str(0);
        const l = args[1];
        if (sep === undefined || l?.t !== 'list') return unknown;
        const parts = l.items.map(scalarText);
        return parts.every((p) => p !== undefined) ? { t: 'str', v: parts.join(sep), span } : unknown;
      }
      case 'lower':
      case 'upper':
      case 'trimspace': {
        const s = str(0);
        if (s === undefined) return unknown;
        return {
          t: 'str',
          v: name === 'lower' ? s.toLowerCase() : name === 'upper' ? s.toUpperCase() : s.trim(),
          span,
        };
      }
      case 'tostring':
        return args[0] && scalarText(args[0]) !== undefined
          ? { t: 'str', v: scalarText(args[0])!, span, from: args[0].from }
          : (args[0] ?? unknown);
      case 'tonumber': {
        const s = args[0] ? scalarText(args[0]) : undefined;
        return s !== undefined && s.trim() !== '' && Number.isFinite(Number(s))
          ? { t: 'num', v: Number(s), span, from: args[0].from }
          : args[0]?.t === 'sym'
            ? args[0]
            : unknown;
      }
      case 'tolist':
      case 'toset':
      case 'tomap':
      case 'sensitive':
      case 'nonsensitive':
        return args[0] ?? unknown;
      case 'concat': {
        const items: TV[] = [];
        for (const a of args) {
          if (a.t !== 'list') return unknown;
          items.push(...a.items);
        }
        return { t: 'list', items, span };
      }
      case 'flatten': {
        const flat = (v: TV): TV[] | undefined =>
          v.t === 'list' ? v.items.flatMap((x) => (x.t === 'list' ? (flat(x) ?? [x]) : [x])) : undefined;
        const f = args[0] ? flat(args[0]) : undefined;
        return f ? { t: 'list', items: f, span } : unknown;
      }
      case 'compact': {
        const l = args[0];
        if (l?.t !== 'list') return unknown;
        return { t: 'list', items: l.items.filter((x) => !(x.t === 'null' || (x.t === 'str' && x.v === ''))), span };
      }
      case 'merge': {
        // An argument that cannot be known may set any key: the keys set before it are unknown, the
        // keys later arguments set are certain (the last argument that sets a key wins).
        const entries = new Map<string, TV>();
        let partial: string | undefined;
        args.forEach((a, i) => {
          if (a.t === 'null') return;
          if (a.t !== 'obj' || a.partial) {
            entries.clear();
            partial = a.t === 'obj' ? a.partial : exprWords(argExprs[i]);
            if (a.t !== 'obj') return;
          }
          for (const [k, v] of a.entries) entries.set(k, v);
        });
        return partial === undefined ? { t: 'obj', entries, span } : { t: 'obj', entries, span, partial };
      }
      case 'lookup': {
        const m = args[0];
        const k = str(1);
        if (m?.t !== 'obj' || k === undefined) return unknown;
        return m.entries.get(k) ?? (m.partial ? unknown : args[2]) ?? unknown;
      }
      case 'element': {
        const l = args[0];
        const i = args[1];
        if (l?.t !== 'list' || i?.t !== 'num' || l.items.length === 0) return unknown;
        return l.items[Math.floor(i.v) % l.items.length];
      }
      case 'coalesce': {
        for (const a of args) {
          // A template with text of its own is never null or empty.
          if (a.t === 'sym' && a.sym.kind === 'expr' && a.sym.text.replace(/\$\{[^}]*\}/g, '') !== '') return a;
          if (a.t === 'unknown' || a.t === 'sym') return unknown;
          if (a.t !== 'null' && !(a.t === 'str' && a.v === '')) return a;
        }
        return unknown;
      }
      case 'length': {
        const a = args[0];
        if (a?.t === 'list') return { t: 'num', v: a.items.length, span };
        if (a?.t === 'obj' && !a.partial) return { t: 'num', v: a.entries.size, span };
        if (a?.t === 'str') return { t: 'num', v: a.v.length, span };
        return unknown;
      }
      case 'min':
      case 'max': {
        const ns = args.map((a) => (a.t === 'num' ? a.v : undefined));
        if (ns.some((n) => n === undefined) || ns.length === 0) return unknown;
        return { t: 'num', v: name === 'min' ? Math.min(...(ns as number[])) : Math.max(...(ns as number[])), span };
      }
      case 'abspath': {
        const p = str(0);
        return p === undefined ? unknown : { t: 'str', v: path.resolve(scope.rootDir, p), span };
      }
      default:
        return unknown;
    }
  }
}

const NEVER_EMPTY = new Set(['arn', 'id', 'invoke_arn', 'qualified_arn']);

const STRING_FUNCTIONS = new Set([
  'replace',
  'split',
  'basename',
  'dirname',
  'trimprefix',
  'trimsuffix',
  'lower',
  'upper',
  'trimspace',
  'format',
  'join',
]);

/** An argument as written, short, for coverage reasons ("merge() with var.extra"). */
function exprWords(e: Expr): string {
  const t = e.span.file.text.slice(e.span.start, e.span.end).replace(/\s+/g, ' ').trim();
  return `merge() with ${t.length > 40 ? `${t.slice(0, 37)}...` : t}`;
}

/** Operators over known values; anything symbolic or unknown makes the result unknown. */
function binop(op: string, a: TV, b: TV, span: Span): TV {
  const unknown: TV = { t: 'unknown', span, why: op };
  const known = (v: TV) => v.t === 'str' || v.t === 'num' || v.t === 'bool' || v.t === 'null';
  if (op === '==' || op === '!=') {
    // The ARN or id of a resource, once created, is never empty nor null.
    const created = (v: TV) =>
      v.t === 'sym' && v.sym.kind === 'getatt' && !!v.sym.resourceType && NEVER_EMPTY.has(v.sym.attribute ?? '');
    const empty = (v: TV) => v.t === 'null' || (v.t === 'str' && v.v === '');
    if ((created(a) && empty(b)) || (created(b) && empty(a))) return { t: 'bool', v: op === '!=', span };
    if (!known(a) || !known(b)) return unknown;
    const av = a.t === 'null' ? null : (a as { v: unknown }).v;
    const bv = b.t === 'null' ? null : (b as { v: unknown }).v;
    // Terraform compares without conversion: "1" == 1 is false.
    const eq = a.t === b.t && av === bv;
    return { t: 'bool', v: op === '==' ? eq : !eq, span };
  }
  if (op === '&&' || op === '||') {
    if (a.t === 'bool' && b.t === 'bool') return { t: 'bool', v: op === '&&' ? a.v && b.v : a.v || b.v, span };
    // false && x, true || x: decided by the known side.
    if (a.t === 'bool' && (op === '&&' ? !a.v : a.v)) return { t: 'bool', v: a.v, span };
    if (b.t === 'bool' && (op === '&&' ? !b.v : b.v)) return { t: 'bool', v: b.v, span };
    return unknown;
  }
  const num = (v: TV) =>
    v.t === 'num' ? v.v : v.t === 'str' && v.v.trim() !== '' && Number.isFinite(Number(v.v)) ? Number(v.v) : undefined;
  const x = num(a);
  const y = num(b);
  if (x === undefined || y === undefined) return unknown;
  switch (op) {
    case '+':
      return { t: 'num', v: x + y, span };
    case '-':
      return { t: 'num', v: x - y, span };
    case '*':
      return { t: 'num', v: x * y, span };
    case '/':
      return y === 0 ? unknown : { t: 'num', v: x / y, span };
    case '%':
      return y === 0 ? unknown : { t: 'num', v: x % y, span };
    case '<':
      return { t: 'bool', v: x < y, span };
    case '>':
      return { t: 'bool', v: x > y, span };
    case '<=':
      return { t: 'bool', v: x <= y, span };
    case '>=':
      return { t: 'bool', v: x >= y, span };
    default:
      return unknown;
  }
}

/** Most instances a `count` makes distinct ids for; a larger count is modelled as one instance. */
const MAX_COUNT = 64;

/** The known `count` of a block (undefined when it has none or it cannot be known or is too large). */
export function countOf(ev: Evaluator, block: Block, scope: Scope): number | undefined {
  const a = block.body.attrs.get('count');
  if (!a) return undefined;
  const v = ev.eval(a.expr, scope);
  const n = v.t === 'num' ? v.v : undefined;
  if (n === undefined || !Number.isInteger(n)) return undefined;
  if (n <= 0) return 0;
  return n > MAX_COUNT ? undefined : n;
}

function publishes(ev: Evaluator, block: Block, scope: Scope, depth: number): boolean {
  const a = block.body.attrs.get('publish');
  if (!a) return false;
  const v = ev.eval(a.expr, scope, {}, depth);
  // An unknown `publish` may be true: then nothing is claimed about the version.
  return !(v.t === 'bool' && v.v === false) && !(v.t === 'str' && v.v === 'false');
}

function rel(from: string, to: string): string {
  return path.relative(from, to).split(path.sep).join('/') || '.';
}

export function scalarText(v: TV | undefined): string | undefined {
  if (!v) return undefined;
  if (v.t === 'str') return v.v;
  if (v.t === 'num' || v.t === 'bool') return String(v.v);
  return undefined;
}

/** `${...}` form of a symbolic value inside a larger string. */
function placeholderOf(sym: Symbolic): string {
  return sym.kind === 'expr' ? sym.text : '${' + sym.text + '}';
}

const NOT_PLAIN = Symbol('not plain');

/** The plain JSON value of a fully known TV, or NOT_PLAIN. */
function toPlain(v: TV): unknown {
  switch (v.t) {
    case 'str':
    case 'num':
    case 'bool':
      return v.v;
    case 'null':
      return null;
    case 'list': {
      const out: unknown[] = [];
      for (const x of v.items) {
        const p = toPlain(x);
        if (p === NOT_PLAIN) return NOT_PLAIN;
        out.push(p);
      }
      return out;
    }
    case 'obj': {
      if (v.partial) return NOT_PLAIN;
      const out: Record<string, unknown> = {};
      for (const [k, x] of v.entries) {
        const p = toPlain(x);
        if (p === NOT_PLAIN) return NOT_PLAIN;
        out[k] = p;
      }
      return out;
    }
    default:
      return NOT_PLAIN;
  }
}

/** Where a finding about an attribute points: `name = value` on one line, else its name. */
export function attrRange(a: Attribute): SourceRange {
  const r = spanRange(a.span);
  return r.start.line === r.end.line ? r : spanRange(a.nameSpan);
}

/** An origin for a value used at `at` (an attribute or an element span). */
export function originAt(at: Attribute | Span, v: TV | undefined, via: Via = 'direct'): Origin {
  const range = 'expr' in at ? attrRange(at) : spanRange(at);
  const o: Origin = { via: v?.from?.via === 'module' ? 'module' : via, range };
  if (v?.from) o.also = { range: v.from.range, message: v.from.message };
  return o;
}

/** A model value: resolved when the TV is known and of the right kind, symbolic otherwise. */
export function strVal(v: TV, origin: Origin): Val<string> {
  const s = scalarText(v);
  if (s !== undefined) return { value: s, origin };
  if (v.t === 'sym') return { sym: v.sym, origin };
  return { sym: unknownSym(v), origin };
}

export function numVal(v: TV, origin: Origin): Val<number> {
  if (v.t === 'num') return { value: v.v, origin };
  if (v.t === 'str') {
    const n = Number(v.v);
    return v.v.trim() !== '' && Number.isFinite(n) ? { value: n, origin } : { raw: v.v, origin };
  }
  if (v.t === 'sym') return { sym: v.sym, origin };
  return { sym: unknownSym(v), origin };
}

export function unknownSym(v: TV): Symbolic {
  const at = v.span ? `${v.span.file.path}:${v.span.start}` : 'value';
  // An output of a module that is not loaded keeps its name, so coverage can say where it comes from.
  const text = v.t === 'unknown' && v.why?.startsWith('module.') ? v.why : 'an unknown value';
  return { kind: 'param', key: `unknown:tf:${at}`, text };
}

/** Items of a list-like TV; a single value counts as one item; undefined when unknown. */
export function listItems(v: TV): TV[] | undefined {
  if (v.t === 'list') return v.items;
  if (v.t === 'unknown' || v.t === 'null' || v.t === 'obj' || v.t === 'sym') return undefined;
  return [v];
}
