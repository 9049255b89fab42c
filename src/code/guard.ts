// Branches a function cannot take. A parser records, on each SDK call and each call-graph edge,
// the conditions of the `if` / `else` / `? :` / `and` / `or` branches it sits in (a Guard), as far
// as they are made of environment variables, literals and the tests people write on them. The
// reach walk then evaluates the guard with the environment of the function being analysed (the
// same shared module may be reached by two functions with different values): a branch whose
// guard is definitely false is dead for that function and its calls are not charged. Anything
// not known (a variable the model does not resolve, a test not understood) leaves the branch live.
import type { Guard, GuardValue } from './facts.js';

/** An environment variable's value for the function, undefined when it cannot be known. */
export type EnvLookup = (name: string) => string | undefined;

/** Three-valued: true, false, or undefined when it cannot be told. */
type Tri = boolean | undefined;

export const UNKNOWN: Guard = { k: 'unknown' };

export function and(a: Guard | undefined, b: Guard): Guard {
  if (!a) return b;
  return { k: 'and', of: [...(a.k === 'and' ? a.of : [a]), b] };
}

export function not(g: Guard): Guard {
  return g.k === 'not' ? g.of : { k: 'not', of: g };
}

/** Whether the guard is worth keeping: something in it can be decided. */
export function decidable(g: Guard): boolean {
  switch (g.k) {
    case 'unknown':
      return false;
    case 'and':
    case 'or':
      return g.of.some(decidable);
    case 'not':
      return decidable(g.of);
    default:
      return true;
  }
}

/** A guard kept on a call or an edge: undefined when nothing in it can ever be decided. */
export function keep(g: Guard | undefined): Guard | undefined {
  return g && decidable(g) ? g : undefined;
}

function valueOf(v: GuardValue, env: EnvLookup): string | null | undefined {
  if ('lit' in v) return v.lit;
  let s = env(v.env);
  if (s === undefined) return undefined;
  for (const op of v.ops ?? []) s = op === 'lower' ? s.toLowerCase() : op === 'upper' ? s.toUpperCase() : s.trim();
  return s;
}

function evaluate(g: Guard, env: EnvLookup): Tri {
  switch (g.k) {
    case 'unknown':
      return undefined;
    case 'not': {
      const r = evaluate(g.of, env);
      return r === undefined ? undefined : !r;
    }
    case 'and': {
      let out: Tri = true;
      for (const x of g.of) {
        const r = evaluate(x, env);
        if (r === false) return false;
        if (r === undefined) out = undefined;
      }
      return out;
    }
    case 'or': {
      let out: Tri = false;
      for (const x of g.of) {
        const r = evaluate(x, env);
        if (r === true) return true;
        if (r === undefined) out = undefined;
      }
      return out;
    }
    case 'eq': {
      const a = valueOf(g.a, env);
      const b = valueOf(g.b, env);
      return a === undefined || b === undefined ? undefined : a === b;
    }
    case 'truthy': {
      const v = valueOf(g.v, env);
      return v === undefined ? undefined : v !== null && v !== '';
    }
    case 'starts':
    case 'ends':
    case 'contains': {
      const s = valueOf(g.s, env);
      if (s === undefined || s === null) return undefined;
      return g.args.some((a) => (g.k === 'starts' ? s.startsWith(a) : g.k === 'ends' ? s.endsWith(a) : s.includes(a)));
    }
    case 'oneOf': {
      const v = valueOf(g.v, env);
      return v === undefined ? undefined : g.list.includes(v);
    }
    case 'has':
      // A variable the function sets is there; one it does not set may still be (Lambda's own).
      return env(g.env) !== undefined ? true : undefined;
  }
}

/** True when the guard is definitely false with this environment: the branch is not taken. */
export function isDead(g: Guard | undefined, env: EnvLookup | undefined): boolean {
  return !!g && !!env && evaluate(g, env) === false;
}

/**
 * The binding of a name that holds at offset `at`, among the bindings of one scope in text order:
 * the last one before `at`, when it is unconditional (`plain`), and no later binding sits in a
 * loop around `at` (it would hold on the next round).
 */
export function reachingBinding<B extends { start: number; plain: boolean }>(
  bindings: readonly B[],
  at: number,
  loops: readonly (readonly [number, number])[],
): B | undefined {
  let last: B | undefined;
  for (const b of bindings) {
    if (b.start < at) last = b;
    else if (loops.some(([s, e]) => b.start >= s && b.start < e)) return undefined;
  }
  return last?.plain ? last : undefined;
}
