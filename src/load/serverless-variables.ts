// Values of a Serverless service after variable resolution (src/values/serverless.ts resolves
// `${self:}`, `${opt:}`, `${file()}`...): strings still holding an unresolved variable become `Fn::Sub`
// expressions for the CloudFormation resolver, and config entries become model values with their
// origins (own or inherited from the provider, and where a copied value was written).
import type { Origin, Val, Via } from '../model/types.js';
import { entry, type Entry, entryRange, nodeRange, type TNode } from '../source/parse.js';
import { toVal } from '../values/cfn.js';
import { ServerlessVariables } from '../values/serverless.js';
import type { ServerlessLoader } from './serverless.js';

/**
 * Strings still holding an unresolved Serverless variable become `Fn::Sub` expressions, so the
 * CloudFormation resolver keeps them symbolic (an unknown part of an ARN, a timeout nobody can know).
 */
export function cfnify(node: TNode, vars: ServerlessVariables, underSub: boolean, depth = 0): TNode {
  if (depth > 400) return node;
  if (node.kind === 'scalar') {
    if (!underSub && vars.symbolic.has(node)) {
      return {
        kind: 'map',
        file: node.file,
        start: node.start,
        end: node.end,
        entries: [{ key: 'Fn::Sub', keyStart: node.start, keyEnd: node.start, value: node }],
      };
    }
    return node;
  }
  if (node.kind === 'seq') {
    const items = node.items!.map((i) => cfnify(i, vars, underSub, depth + 1));
    return items.every((x, i) => x === node.items![i]) ? node : { ...node, items };
  }
  const entries = node.entries!.map((e) => {
    const v = cfnify(e.value, vars, e.key === 'Fn::Sub', depth + 1);
    return v === e.value ? e : { ...e, value: v };
  });
  return entries.every((x, i) => x === node.entries![i]) ? node : { ...node, entries };
}

export function isNull(n: TNode): boolean {
  return n.kind === 'scalar' && n.value === null;
}

export function str(loader: ServerlessLoader, node: TNode): Val<string> | undefined {
  const s = loader.r.str(node);
  if (s.absent) return undefined;
  return toVal<string>(s, node);
}

export function strAt(loader: ServerlessLoader, e: Entry | undefined, via: Via): Val<string> | undefined {
  if (!e) return undefined;
  const s = loader.r.str(e.value);
  if (s.absent) return undefined;
  return withCopy(loader, toVal<string>(s, e, via), e.value);
}

export function numAt(loader: ServerlessLoader, e: Entry | undefined, via: Via): Val<number> | undefined {
  if (!e) return undefined;
  const n = loader.r.num(e.value);
  if (n.value === undefined && !n.sym && n.raw === undefined) return undefined;
  const v = withCopy(loader, toVal<number>(n, e, via), e.value);
  if (n.value === undefined && n.raw !== undefined) v.raw = n.raw;
  return v;
}

export function listAt(loader: ServerlessLoader, e: Entry | undefined, via: Via): Val<Val<string>[]> | undefined {
  if (!e) return undefined;
  const l = loader.r.list(e.value);
  if (l.absent) return undefined;
  const v = toVal<Val<string>[]>({ sym: l.sym }, e, via);
  if (l.value) {
    v.value = l.value.map((item) => {
      const iv: Val<string> = { origin: item.node ? { via, range: nodeRange(item.node) } : v.origin };
      if (item.value !== undefined) iv.value = item.value;
      else if (item.sym) iv.sym = item.sym;
      return iv;
    });
    delete v.sym;
  }
  return withCopy(loader, v, e.value);
}

/** Notes where a value copied by a variable (`${self:custom.timeout}`) was written. */
function withCopy<T>(loader: ServerlessLoader, v: Val<T>, node: TNode): Val<T> {
  const from = loader.vars.copiedFrom.get(node);
  if (from && from.end > from.start && !v.origin.also)
    v.origin.also = { range: nodeRange(from), message: 'value set here' };
  return v;
}

/** The function's own key, else the provider's (via 'provider'). */
export function pick(
  loader: ServerlessLoader,
  fn: TNode,
  key: string,
  providerKey = key,
  providerNode = loader.provider,
): { e: Entry; via: Via } | undefined {
  const own = entry(fn, key);
  if (own && !isNull(own.value)) return { e: own, via: 'direct' };
  const p = entry(providerNode, providerKey);
  if (p && !isNull(p.value)) return { e: p, via: 'provider' };
  return undefined;
}

export function originOf(e: Entry | undefined, via: Via = 'direct'): Origin | undefined {
  return e ? { via, range: entryRange(e) } : undefined;
}
