// CloudFormation intrinsic functions: resolve what the template alone decides, keep the rest
// symbolic. Parameters resolve to their defaults (or to values the user passed); pseudo parameters
// such as AWS::Region and AWS::Partition stay symbolic, since they depend on where it is deployed.
import { entry, get, type Entry, type TNode } from '../source/parse.js';
import type { Origin, Symbolic, Val, Via } from '../model/types.js';
import { entryRange, nodeRange } from '../source/parse.js';

export interface ParameterInfo {
  name: string;
  entry: Entry;
  type?: string;
  defaultEntry?: Entry;
  /** A value passed by the user (samconfig.toml, --parameter). */
  override?: string;
}

export interface ResourceInfo {
  id: string;
  type: string;
  entry: Entry;
  node: TNode;
}

export interface CfnScope {
  parameters: Map<string, ParameterInfo>;
  conditions: Map<string, TNode>;
  mappings?: TNode;
  resources: Map<string, ResourceInfo>;
}

const PSEUDO = new Set([
  'AWS::Region',
  'AWS::AccountId',
  'AWS::Partition',
  'AWS::StackName',
  'AWS::StackId',
  'AWS::URLSuffix',
  'AWS::NotificationARNs',
]);

const MAX_DEPTH = 64;

/** Result of following structural intrinsics (Fn::If, Ref to a parameter, FindInMap, Select). */
export type Evaluated =
  | { k: 'node'; node: TNode; param?: ParameterInfo }
  | { k: 'str'; value: string; param?: ParameterInfo }
  | { k: 'sym'; sym: Symbolic }
  | { k: 'novalue' };

/** The one intrinsic key of a map like `{ "Fn::GetAtt": [...] }`, if it is one. */
export function intrinsicKey(node: TNode): string | undefined {
  if (node.kind !== 'map' || node.entries?.length !== 1) return undefined;
  const k = node.entries[0].key;
  return k === 'Ref' || k === 'Condition' || k.startsWith('Fn::') ? k : undefined;
}

export class CfnResolver {
  private condCache = new Map<string, boolean | undefined>();
  private condActive = new Set<string>();

  constructor(readonly scope: CfnScope) {}

  refSymbol(name: string): Symbolic {
    if (PSEUDO.has(name)) return { kind: 'ref', key: `Ref:${name}`, text: name };
    const res = this.scope.resources.get(name);
    if (res) return { kind: 'ref', key: `Ref:${name}`, text: `!Ref ${name}`, target: name, resourceType: res.type };
    return { kind: 'param', key: `Ref:${name}`, text: `!Ref ${name}` };
  }

  getAttSymbol(target: string, attribute: string): Symbolic {
    const res = this.scope.resources.get(target);
    return {
      kind: 'getatt',
      key: `GetAtt:${target}.${attribute}`,
      text: `!GetAtt ${target}.${attribute}`,
      target,
      attribute,
      resourceType: res?.type,
    };
  }

  evaluate(node: TNode | undefined, depth = 0): Evaluated {
    if (!node) return { k: 'novalue' };
    if (depth > MAX_DEPTH) return { k: 'sym', sym: { kind: 'expr', key: 'expr:too-deep', text: '${...}' } };
    const key = intrinsicKey(node);
    if (!key) return { k: 'node', node };
    const arg = node.entries![0].value;
    switch (key) {
      case 'Ref': {
        const name = scalarString(arg);
        if (name === undefined) return { k: 'sym', sym: { kind: 'expr', key: 'expr:ref', text: '${Ref}' } };
        if (name === 'AWS::NoValue') return { k: 'novalue' };
        const param = this.scope.parameters.get(name);
        if (param) {
          if (param.override !== undefined) return { k: 'str', value: param.override, param };
          if (param.defaultEntry) {
            const r = this.evaluate(param.defaultEntry.value, depth + 1);
            if (r.k === 'node') return { ...r, param };
            if (r.k === 'str') return { ...r, param };
            return r;
          }
          return { k: 'sym', sym: { kind: 'param', key: `Ref:${name}`, text: `!Ref ${name}` } };
        }
        return { k: 'sym', sym: this.refSymbol(name) };
      }
      case 'Fn::If': {
        const items = arg.kind === 'seq' ? arg.items! : [];
        if (items.length !== 3) return { k: 'sym', sym: { kind: 'condition', key: 'If:?', text: '!If' } };
        const condName = scalarString(items[0]);
        const c = condName === undefined ? undefined : this.condition(condName);
        if (c === undefined)
          return { k: 'sym', sym: { kind: 'condition', key: `If:${condName}`, text: `!If ${condName}` } };
        return this.evaluate(c ? items[1] : items[2], depth + 1);
      }
      case 'Fn::FindInMap': {
        const items = arg.kind === 'seq' ? arg.items! : [];
        if (items.length < 3) break;
        const names = items.slice(0, 3).map((i) => this.str(i, depth + 1));
        if (names.some((n) => n.value === undefined)) break;
        const found = get(get(get(this.scope.mappings, names[0].value!), names[1].value!), names[2].value!);
        if (found) return this.evaluate(found, depth + 1);
        if (items[3]) {
          const def = get(items[3], 'DefaultValue');
          if (def) return this.evaluate(def, depth + 1);
        }
        break;
      }
      case 'Fn::Select': {
        const items = arg.kind === 'seq' ? arg.items! : [];
        if (items.length !== 2) break;
        const idx = this.num(items[0], depth + 1);
        const list = this.list(items[1], depth + 1);
        if (idx.value === undefined || !list.value) break;
        const item = list.value[idx.value];
        if (!item) break;
        if (item.value !== undefined) return { k: 'str', value: item.value };
        if (item.sym) return { k: 'sym', sym: item.sym };
        break;
      }
      default:
        return { k: 'node', node };
    }
    return { k: 'sym', sym: exprSymbol(node) };
  }

  /** A string value, resolved as far as the template allows. */
  str(node: TNode | undefined, depth = 0): { value?: string; sym?: Symbolic; param?: ParameterInfo; absent?: boolean } {
    const r = this.evaluate(node, depth);
    if (r.k === 'novalue') return { absent: true };
    if (r.k === 'str') return { value: r.value, param: r.param };
    if (r.k === 'sym') return { sym: r.sym };
    const n = r.node;
    if (n.kind === 'scalar') {
      return n.value === null ? { absent: true } : { value: String(n.value), param: r.param };
    }
    const key = intrinsicKey(n);
    if (!key) return { sym: exprSymbol(n) };
    const arg = n.entries![0].value;
    switch (key) {
      case 'Fn::GetAtt': {
        let target: string | undefined;
        let attr: string | undefined;
        if (arg.kind === 'scalar' && typeof arg.value === 'string') {
          const dot = arg.value.indexOf('.');
          target = dot > 0 ? arg.value.slice(0, dot) : arg.value;
          attr = dot > 0 ? arg.value.slice(dot + 1) : '';
        } else if (arg.kind === 'seq' && arg.items!.length >= 2) {
          target = scalarString(arg.items![0]);
          attr = this.str(arg.items![1], depth + 1).value;
        }
        if (target === undefined || attr === undefined) return { sym: exprSymbol(n) };
        return { sym: this.getAttSymbol(target, attr) };
      }
      case 'Fn::ImportValue': {
        const name = this.str(arg, depth + 1);
        const text = name.value ?? name.sym?.text ?? '?';
        return { sym: { kind: 'import', key: `Import:${text}`, text: `!ImportValue ${text}` } };
      }
      case 'Fn::Sub':
        return this.sub(arg, depth + 1);
      case 'Fn::Join': {
        const items = arg.kind === 'seq' ? arg.items! : [];
        if (items.length !== 2) return { sym: exprSymbol(n) };
        const delim = this.str(items[0], depth + 1).value ?? '';
        const list = this.list(items[1], depth + 1);
        if (!list.value) return { sym: list.sym ?? exprSymbol(n) };
        const parts = list.value.map((v) => (v.value !== undefined ? v.value : placeholder(v.sym!)));
        const text = parts.join(delim);
        if (list.value.every((v) => v.value !== undefined)) return { value: text };
        return { sym: { kind: 'expr', key: `expr:${text}`, text } };
      }
      case 'Fn::Base64':
        return this.str(arg, depth + 1);
      default:
        return { sym: exprSymbol(n) };
    }
  }

  private sub(arg: TNode, depth: number): { value?: string; sym?: Symbolic } {
    let template: string | undefined;
    let vars: TNode | undefined;
    if (arg.kind === 'scalar') template = scalarString(arg);
    else if (arg.kind === 'seq' && arg.items!.length >= 1) {
      template = scalarString(arg.items![0]);
      vars = arg.items![1];
    }
    if (template === undefined) return { sym: { kind: 'expr', key: 'expr:sub', text: '${Sub}' } };
    let unresolved = false;
    const text = template.replace(/\$\{(!?)([^}]*)\}/g, (whole, bang: string, name: string) => {
      if (bang) return '${' + name + '}';
      const local = entry(vars, name.trim());
      if (local) {
        const v = this.str(local.value, depth + 1);
        if (v.value !== undefined) return v.value;
        unresolved = true;
        return v.sym ? placeholder(v.sym) : whole;
      }
      const n = name.trim();
      const dot = n.indexOf('.');
      if (dot > 0 && !n.startsWith('AWS::')) {
        unresolved = true;
        return placeholder(this.getAttSymbol(n.slice(0, dot), n.slice(dot + 1)));
      }
      const param = this.scope.parameters.get(n);
      if (param) {
        const v = this.str(
          {
            kind: 'map',
            file: arg.file,
            start: arg.start,
            end: arg.end,
            entries: [
              {
                key: 'Ref',
                keyStart: arg.start,
                keyEnd: arg.start,
                value: { kind: 'scalar', file: arg.file, start: arg.start, end: arg.end, value: n },
              },
            ],
          },
          depth + 1,
        );
        if (v.value !== undefined) return v.value;
      }
      unresolved = true;
      return '${' + n + '}';
    });
    if (!unresolved) return { value: text };
    return { sym: { kind: 'expr', key: `expr:${text}`, text } };
  }

  num(node: TNode | undefined, depth = 0): { value?: number; sym?: Symbolic; param?: ParameterInfo; raw?: string } {
    const s = this.str(node, depth);
    if (s.value === undefined) return { sym: s.sym, param: s.param };
    const t = s.value.trim();
    const v = t === '' ? NaN : Number(t);
    return Number.isFinite(v) ? { value: v, param: s.param, raw: t } : { raw: t, param: s.param };
  }

  /** A list of strings; `sym` when the list itself is not known (a List parameter without default). */
  list(
    node: TNode | undefined,
    depth = 0,
  ): {
    value?: { value?: string; sym?: Symbolic; node?: TNode }[];
    sym?: Symbolic;
    absent?: boolean;
    param?: ParameterInfo;
  } {
    const r = this.evaluate(node, depth);
    if (r.k === 'novalue') return { absent: true };
    if (r.k === 'sym') return { sym: r.sym };
    if (r.k === 'str') {
      // A comma-delimited list parameter passed by the user.
      return { value: splitList(r.value).map((v) => ({ value: v })), param: r.param };
    }
    const n = r.node;
    if (n.kind === 'seq') {
      const out: { value?: string; sym?: Symbolic; node?: TNode }[] = [];
      for (const item of n.items!) {
        const e = this.evaluate(item, depth + 1);
        if (e.k === 'novalue') continue;
        const s = this.str(item, depth + 1);
        if (s.absent) continue;
        out.push({ value: s.value, sym: s.sym, node: item });
      }
      return { value: out, param: r.param };
    }
    if (n.kind === 'scalar') {
      if (n.value === null) return { absent: true };
      if (r.param) return { value: splitList(String(n.value)).map((v) => ({ value: v })), param: r.param };
      return { value: [{ value: String(n.value), node: n }] };
    }
    const key = intrinsicKey(n);
    if (key && key !== 'Fn::Split') {
      // One value where a list may stand (`Resource: !GetAtt Queue.Arn`): a list of that value.
      const one = this.str(n, depth + 1);
      return one.absent ? { absent: true } : { value: [{ value: one.value, sym: one.sym, node: n }] };
    }
    if (key === 'Fn::Split') {
      const items = n.entries![0].value.items ?? [];
      if (items.length === 2) {
        const delim = this.str(items[0], depth + 1).value;
        const source = this.str(items[1], depth + 1);
        if (delim !== undefined && source.value !== undefined) {
          return { value: source.value.split(delim).map((v) => ({ value: v })) };
        }
      }
    }
    return { sym: exprSymbol(n) };
  }

  condition(name: string): boolean | undefined {
    if (this.condCache.has(name)) return this.condCache.get(name);
    if (this.condActive.has(name)) return undefined;
    this.condActive.add(name);
    const node = this.scope.conditions.get(name);
    const v = node ? this.condExpr(node, 0) : undefined;
    this.condActive.delete(name);
    this.condCache.set(name, v);
    return v;
  }

  private condExpr(node: TNode, depth: number): boolean | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const key = intrinsicKey(node);
    if (!key) return node.kind === 'scalar' && typeof node.value === 'boolean' ? node.value : undefined;
    const arg = node.entries![0].value;
    const items = arg.kind === 'seq' ? arg.items! : [];
    switch (key) {
      case 'Condition': {
        const n = scalarString(arg);
        return n === undefined ? undefined : this.condition(n);
      }
      case 'Fn::Equals': {
        if (items.length !== 2) return undefined;
        const a = this.str(items[0], depth + 1);
        const b = this.str(items[1], depth + 1);
        if (a.value === undefined || b.value === undefined) return undefined;
        return a.value === b.value;
      }
      case 'Fn::Not': {
        const v = items[0] ? this.condExpr(items[0], depth + 1) : undefined;
        return v === undefined ? undefined : !v;
      }
      case 'Fn::And': {
        const vs = items.map((i) => this.condExpr(i, depth + 1));
        if (vs.some((v) => v === false)) return false;
        return vs.every((v) => v === true) ? true : undefined;
      }
      case 'Fn::Or': {
        const vs = items.map((i) => this.condExpr(i, depth + 1));
        if (vs.some((v) => v === true)) return true;
        return vs.every((v) => v === false) ? false : undefined;
      }
      default:
        return undefined;
    }
  }
}

export function scalarString(n: TNode | undefined): string | undefined {
  if (!n || n.kind !== 'scalar' || n.value === null) return undefined;
  return String(n.value);
}

/** `${...}` form of a symbolic value, for building partially resolved strings. */
export function placeholder(sym: Symbolic): string {
  switch (sym.kind) {
    case 'ref':
      return '${' + (sym.target ?? sym.text) + '}';
    case 'getatt':
      return '${' + `${sym.target}.${sym.attribute}` + '}';
    case 'param':
      return '${' + sym.key.replace(/^Ref:/, '') + '}';
    case 'expr':
      return sym.text;
    default:
      return '${' + sym.text + '}';
  }
}

function exprSymbol(n: TNode): Symbolic {
  const key = intrinsicKey(n) ?? 'value';
  const text = '${' + key.replace(/^Fn::/, '') + '}';
  return { kind: 'expr', key: `expr:${key}@${n.start}`, text };
}

function splitList(s: string): string[] {
  return s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x.length > 0);
}

/** Builds a Val from a resolution result, pointing at `at` (a property) and noting a parameter default. */
export function toVal<T>(
  r: { value?: T; sym?: Symbolic; param?: ParameterInfo },
  at: Entry | TNode | undefined,
  via: Via = 'direct',
): Val<T> {
  // Each object made with all its fields: one given a field later keeps it in a separate property
  // array (a big template's model held 300,000 of them).
  const origin: Origin = at ? { via, range: 'key' in at ? entryRange(at) : nodeRange(at) } : { via };
  if (r.param?.defaultEntry && r.param.override === undefined) {
    origin.also = { range: entryRange(r.param.defaultEntry), message: `default of parameter ${r.param.name}` };
  }
  return r.value !== undefined ? { origin, value: r.value } : r.sym ? { origin, sym: r.sym } : { origin };
}
