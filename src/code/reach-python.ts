// Which SDK calls a handler can reach: a walk over the call graph the parser recorded
// (FileFacts.units), from the handler function and the top level of every module it loads. A
// call is charged to the function only when reached; a method called on an object whose class
// cannot be told is not followed, and the calls it might reach are counted as unresolved.
import path from 'node:path';
import type { CodeRef, FileFacts, ModuleBinding, RawSdkCall } from './facts.js';
import { isDead, type EnvLookup } from './guard.js';

export interface ReachOptions {
  /** Parses a file of the package (once). */
  load: (file: string) => Promise<FileFacts | undefined>;
  /** The file an import specifier names from a file: null for a folder without a module file, undefined when not in the package. */
  resolve: (fromFile: string, spec: string) => string | null | undefined;
  /** The file of a submodule `name` of the package whose `__init__` (or folder) is `pkg`. */
  submodule: (pkgFile: string, name: string) => string | undefined;
  /** An SDK call on a client another module binds. */
  deferred: (d: NonNullable<FileFacts['deferred']>[number], client: unknown) => RawSdkCall | undefined;
  /** At most this many files are read. */
  maxFiles?: number;
  /** The function's environment: branches it rules out are not walked (src/code/guard.ts). */
  env?: EnvLookup;
}

export interface ReachResult {
  calls: RawSdkCall[];
  /** SDK calls of the modules loaded that the handler might reach through a dispatch lambdalint cannot follow. */
  unresolved: number;
  /** Every file loaded (its top level runs). */
  files: string[];
  /** Whether a call or a reference was skipped because its branch is dead for the environment. */
  dead: boolean;
}

/** A file's SDK calls and deferred calls by the unit they are made in ('' for the top level). */
interface ByUnit {
  calls: Map<string, RawSdkCall[]>;
  deferred: Map<string, NonNullable<FileFacts['deferred']>>;
}

/**
 * Made once per file and kept with its facts: the walks of every function that loads a shared
 * module read it (2,000 functions, a few shared modules each), where each unit reached scanned
 * the module's every call and deferred call.
 */
const byUnitOf = new WeakMap<FileFacts, ByUnit>();

function byUnit(f: FileFacts): ByUnit {
  let b = byUnitOf.get(f);
  if (!b) {
    b = { calls: new Map(), deferred: new Map() };
    for (const c of f.calls) {
      const u = c.unit ?? '';
      const list = b.calls.get(u);
      if (list) list.push(c);
      else b.calls.set(u, [c]);
    }
    for (const d of f.deferred ?? []) {
      const list = b.deferred.get(d.unit);
      if (list) list.push(d);
      else b.deferred.set(d.unit, [d]);
    }
    byUnitOf.set(f, b);
  }
  return b;
}

/** A value, or a promise of it when it waits for a file. */
type Maybe<T> = T | Promise<T>;

/** `f` of the value, at once when there is no promise to wait for. */
function then<A, B>(v: Maybe<A>, f: (a: A) => Maybe<B>): Maybe<B> {
  return v instanceof Promise ? v.then(f) : f(v);
}

export async function reachFrom(entry: FileFacts, exportName: string, o: ReachOptions): Promise<ReachResult> {
  const facts = new Map<string, FileFacts>([[entry.file, entry]]);
  /** The units walked (or queued), by file. */
  const done = new Map<string, Set<string>>();
  const queue: [string, string][] = [];
  const dynamic = new Set<string>();
  const calls: RawSdkCall[] = [];
  const max = o.maxFiles ?? 200;
  let dead = false;
  const live = (g: RawSdkCall['guard']): boolean => {
    if (!isDead(g, o.env)) return true;
    dead = true;
    return false;
  };

  const enqueue = (file: string, unit: string) => {
    let units = done.get(file);
    if (!units) done.set(file, (units = new Set()));
    if (units.has(unit)) return;
    units.add(unit);
    queue.push([file, unit]);
  };
  // The walk goes on synchronously while the files it needs are loaded (most are, after the first
  // function of a package): a step returns a promise only when it waits for a file (`o.load`).
  // The order of the steps is the same either way.
  const loadFile = (file: string): Maybe<FileFacts | undefined> => {
    const f = facts.get(file);
    if (f) {
      enqueue(file, ''); // a module's top level runs when it is imported
      return f;
    }
    if (facts.size >= max) return undefined;
    return o.load(file).then((loaded) => {
      if (!loaded) return undefined;
      facts.set(file, loaded);
      enqueue(file, '');
      return loaded;
    });
  };
  const method = (file: string, f: FileFacts, cls: string, name: string) => {
    if (f.units?.has(`${cls}.${name}`)) enqueue(file, `${cls}.${name}`);
    else dynamic.add(name);
  };

  /** Follows `path` inside the module `file` (loaded). Returns the binding reached at the end, for clients. */
  const inModule = (
    file: string,
    f: FileFacts,
    p: string[],
    depth: number,
    only = false,
  ): Maybe<ModuleBinding | undefined> => {
    if (!p.length || depth > 12) return undefined;
    const b = f.bindings?.get(p[0]);
    if (!b) {
      // `from lib import notify`: a submodule of the package; `from x import *` re-exports.
      const sub = o.submodule(file, p[0]);
      if (sub) return viaFile(sub, p.slice(1), depth + 1, only);
      const stars = f.starImports ?? [];
      const star = (k: number): Maybe<ModuleBinding | undefined> =>
        k < stars.length ? then(viaImport(file, stars[k], p, depth + 1, only), (r) => r ?? star(k + 1)) : undefined;
      return star(0);
    }
    if ('unit' in b) {
      // `x = f(...)` then `x.m()`: a method of what the function returned (the call to f is a
      // reference of its own, where it is made; naming x again does not run f).
      if (p.length > 1) dynamic.add(p[1]);
      else if (!only) enqueue(file, b.unit);
      return b;
    }
    if ('cls' in b) {
      if (p.length > 1) method(file, f, b.cls, p[1]);
      else if (!only && f.units?.has(`${b.cls}.__init__`)) enqueue(file, `${b.cls}.__init__`);
      return b;
    }
    if ('spec' in b) return viaImport(file, b.spec, [...b.path, ...p.slice(1)], depth + 1, only);
    if ('instanceOf' in b) {
      const ref = b.instanceOf;
      if (p.length < 2) return b;
      if ('local' in ref) method(file, f, ref.local, p[1]);
      else if ('spec' in ref) return viaImport(file, ref.spec, [...ref.path, p[1]], depth + 1);
      return b;
    }
    return p.length === 1 ? b : undefined; // a client: its methods are SDK calls (deferred)
  };
  const viaFile = (file: string, p: string[], depth: number, only = false): Maybe<ModuleBinding | undefined> =>
    then(loadFile(file), (f) => (f ? inModule(file, f, p, depth, only) : undefined));
  const viaImport = (
    fromFile: string,
    spec: string,
    p: string[],
    depth: number,
    only = false,
  ): Maybe<ModuleBinding | undefined> => {
    if (depth > 12) return undefined;
    const target = o.resolve(fromFile, spec);
    if (target === undefined) return undefined; // not in the package: a library
    if (target) return viaFile(target, p, depth, only);
    // A folder without __init__.py (a namespace package): only its submodules can be named.
    return p.length
      ? viaImport(fromFile, spec.endsWith('.') ? spec + p[0] : `${spec}.${p[0]}`, p.slice(1), depth + 1, only)
      : undefined;
  };
  const follow = (file: string, ref: CodeRef): Maybe<unknown> => {
    if ('method' in ref) {
      dynamic.add(ref.method);
      return undefined;
    }
    const f = facts.get(file)!;
    if ('local' in ref) {
      if (f.units?.has(ref.local)) enqueue(file, ref.local);
      else {
        const b = f.bindings?.get(ref.local);
        if (b && 'cls' in b && f.units?.has(`${b.cls}.__init__`)) enqueue(file, `${b.cls}.__init__`);
      }
      return undefined;
    }
    // `from lib import f` loads lib (its top level runs); f runs where it is called.
    return viaImport(file, ref.spec, ref.path, 0, !!ref.load);
  };

  // The handler: a function of the file, a name it imports, or a value built at the top level.
  enqueue(entry.file, '');
  const top = exportName.split('.')[0];
  const b = entry.bindings?.get(top);
  if (b && 'unit' in b) enqueue(entry.file, b.unit);
  else if (b) {
    const step = inModule(entry.file, entry, [top], 0);
    if (step instanceof Promise) await step;
  }

  while (queue.length) {
    const [file, unit] = queue.shift()!;
    const f = facts.get(file);
    if (!f) continue;
    const here = byUnit(f);
    for (const c of here.calls.get(unit) ?? []) if (live(c.guard)) calls.push(c);
    for (const d of here.deferred.get(unit) ?? []) {
      if (!live(d.guard)) continue;
      const step = viaImport(file, d.spec, d.path, 0);
      const held = step instanceof Promise ? await step : step;
      if (held && 'client' in held) {
        const c = o.deferred(d, held.client);
        if (c) calls.push(c);
      }
    }
    for (const ref of f.units?.get(unit)?.refs ?? []) {
      if (!live(ref.guard)) continue;
      const step = follow(file, ref);
      if (step instanceof Promise) await step;
    }
  }

  // Calls in methods the handler may reach through a call lambdalint could not follow.
  let unresolved = 0;
  for (const [file, f] of facts) {
    const units = done.get(file);
    for (const c of f.calls) {
      const u = c.unit ?? '';
      if (units?.has(u)) continue;
      const name = u.slice(u.lastIndexOf('.') + 1);
      if (u && dynamic.has(name)) unresolved++;
    }
  }
  return { calls, unresolved, files: [...facts.keys()], dead };
}

/** `pkg/__init__.py` + `notify` → `pkg/notify.py` or `pkg/notify/__init__.py`, when there. */
export function submoduleFile(pkgFile: string, name: string, isFile: (p: string) => boolean): string | undefined {
  if (path.basename(pkgFile) !== '__init__.py') return undefined;
  const dir = path.dirname(pkgFile);
  return [path.join(dir, `${name}.py`), path.join(dir, name, '__init__.py')].find(isFile);
}
