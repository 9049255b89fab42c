// Which SDK calls a handler can reach. Each parsed JS/TS file carries a call graph (src/code/js.ts):
// units (function bodies, the module's top level) with the names they mention and the calls they
// make. From the handler's export the walk follows local functions, classes and their methods,
// objects, imports and re-exports, CommonJS exports, instances, and functions handed to wrappers.
// A call is charged to the handler only when the walk reaches its unit; what cannot be followed (a
// computed member call, a handler built by a call to a package) is counted, never charged.
import type { ClassInfo, FileFacts, GraphArg, GraphUnit, RawSdkCall, Sym } from './facts.js';
import { isDead, type EnvLookup } from './guard.js';
import { POWERTOOLS_PROVIDERS, clientMethodOperation } from './sdk-map.js';

/** A resolved value: where it lives and what it is. */
type Val =
  | { file: string; k: 'unit'; id: number }
  | { file: string; k: 'obj'; sym: Sym & { k: 'obj' } }
  | { file: string; k: 'class'; id: number }
  | { file: string; k: 'inst'; cls: number }
  | { file: string; k: 'client'; sym: Sym & { k: 'client' } }
  | { file: string; k: 'method'; client: Sym & { k: 'client' }; name: string }
  | { file: string; k: 'lazy'; sym: Sym & { k: 'lazy' } }
  | { file: string; k: 'ns' };

export interface Reach {
  /** The calls the handler reaches, with hints and ranges of the call site for wrappers. */
  calls: RawSdkCall[];
  /** SDK calls that could not be resolved, by reason. */
  unresolved: Map<string, number>;
  /** Whether a call or a reference was skipped because its branch is dead for the environment. */
  dead: boolean;
}

const UNRESOLVED_COMPUTED = 'computed property call';
const UNRESOLVED_HANDLER = 'handler built by a call lambdalint does not follow';

interface Site {
  range: RawSdkCall['range'];
  args: GraphArg[];
}

const MAX_DEPTH = 40;

/**
 * Walks the call graph from `exportName` of `entry`. `files` holds every file the import walk
 * parsed; `resolve` gives the file a relative specifier loads (undefined for packages).
 */
export function reachCalls(
  entry: string,
  exportName: string,
  files: Map<string, FileFacts>,
  resolve: (from: string, spec: string) => string | undefined,
  env?: EnvLookup,
): Reach {
  const calls: RawSdkCall[] = [];
  let dead = false;
  const live = (g: RawSdkCall['guard']): boolean => {
    if (!isDead(g, env)) return true;
    dead = true;
    return false;
  };
  const charged = new Set<string>();
  const unresolved = new Map<string, number>();
  const doneUnits = new Set<string>();
  const doneSites = new Set<string>();
  const loaded = new Set<string>();
  const dynamicTargets: Val[] = [];
  const queue: (() => void)[] = [];

  const count = (reason: string, n: number) => {
    if (n > 0) unresolved.set(reason, (unresolved.get(reason) ?? 0) + n);
  };
  const charge = (c: RawSdkCall) => {
    if (!live(c.guard)) return;
    const key = `${c.range.file}:${c.range.start.line}:${c.range.start.column}:${c.operation}:${JSON.stringify(c.hints)}`;
    if (charged.has(key)) return;
    charged.add(key);
    calls.push(c);
  };
  const graphOf = (file: string) => files.get(file)?.graph;

  const load = (file: string | undefined) => {
    if (!file || loaded.has(file)) return;
    loaded.add(file);
    const f = files.get(file);
    if (!f) return;
    if (!f.graph) {
      // A file without a graph (not parsed completely): all its calls count, as before.
      for (const c of f.calls) charge(c);
      for (const imp of f.imports) if (imp.relative) load(resolve(file, imp.specifier));
      return;
    }
    queue.push(() => reachUnit(file, 0));
    for (const spec of f.graph.staticImports) load(resolve(file, spec));
  };

  // --- values -------------------------------------------------------------------------------
  const exportValue = (file: string | undefined, name: string, depth: number): Val | undefined => {
    if (!file || depth > MAX_DEPTH) return undefined;
    load(file);
    const g = graphOf(file);
    if (!g) return undefined;
    const s = g.exports.get(name);
    if (s) return value(file, s, depth + 1);
    if (g.cjs) {
      const c = value(file, g.cjs, depth + 1);
      return name === 'default' ? c : c && member(c, name, depth + 1);
    }
    // An ES module imported as a whole by a bundler or `require()` of ESM: its namespace.
    if (name === 'default' && !g.exports.size && !g.exportAll.length) return undefined;
    for (const spec of g.exportAll) {
      const v = exportValue(resolve(file, spec), name, depth + 1);
      if (v) return v;
    }
    return undefined;
  };

  const value = (file: string, s: Sym, depth: number): Val | undefined => {
    if (depth > MAX_DEPTH) return undefined;
    switch (s.k) {
      case 'unit':
        return { file, k: 'unit', id: s.id };
      case 'obj':
        return { file, k: 'obj', sym: s };
      case 'class':
        return { file, k: 'class', id: s.id };
      case 'client':
        return { file, k: 'client', sym: s };
      case 'lazy':
        return { file, k: 'lazy', sym: s };
      case 'new': {
        const of = value(file, s.of, depth + 1);
        return of?.k === 'class' ? { file: of.file, k: 'inst', cls: of.id } : undefined;
      }
      case 'local': {
        const b = graphOf(file)?.bindings.get(s.name);
        return b ? value(file, b, depth + 1) : undefined;
      }
      case 'import': {
        const target = resolve(file, s.module);
        if (!target) return undefined;
        load(target);
        if (s.name !== '*') return exportValue(target, s.name, depth + 1);
        const g = graphOf(target);
        if (g?.cjs) return value(target, g.cjs, depth + 1);
        return { file: target, k: 'ns' };
      }
      case 'member': {
        const of = value(file, s.of, depth + 1);
        return of && member(of, s.name, depth + 1);
      }
      default:
        return undefined;
    }
  };

  const member = (v: Val, name: string, depth: number): Val | undefined => {
    if (depth > MAX_DEPTH) return undefined;
    const g = graphOf(v.file);
    switch (v.k) {
      case 'ns':
        return exportValue(v.file, name, depth + 1);
      case 'obj': {
        const m = v.sym.members.get(name);
        if (m) return value(v.file, m, depth + 1);
        for (const sp of v.sym.spreads) {
          const o = value(v.file, sp, depth + 1);
          const r = o && member(o, name, depth + 1);
          if (r) return r;
        }
        return undefined;
      }
      case 'class':
      case 'inst': {
        const info = g?.classes[v.k === 'class' ? v.id : v.cls];
        if (!info) return undefined;
        const m = info.members.get(name) ?? (v.k === 'inst' ? info.fields.get(name) : undefined);
        if (m) return value(v.file, m, depth + 1);
        const base = info.base && value(v.file, info.base, depth + 1);
        if (base?.k === 'class')
          return member(v.k === 'inst' ? { file: base.file, k: 'inst', cls: base.id } : base, name, depth + 1);
        return undefined;
      }
      case 'unit':
        // handler.bind(this), fn.call(...), fn.apply(...): the same function.
        return name === 'bind' || name === 'call' || name === 'apply' ? v : undefined;
      case 'client':
        return { file: v.file, k: 'method', client: v.sym, name };
      default:
        return undefined;
    }
  };

  // --- reaching -------------------------------------------------------------------------------
  const reachVal = (v: Val | undefined, site: Site | undefined, isNew: boolean) => {
    if (!v) return;
    if (v.k === 'unit') reachUnit(v.file, v.id, site);
    else if (v.k === 'lazy') {
      for (const r of v.sym.refs) reachRef(v.file, r.sym, r.call);
      const f = files.get(v.file);
      for (const i of v.sym.calls) if (f?.calls[i]) charge(f.calls[i]);
    } else if (v.k === 'inst' && isNew) {
      // `new Service()`: its constructor (and the base's) runs.
      for (
        let cls: Val | undefined = { file: v.file, k: 'class', id: v.cls }, n = 0;
        cls?.k === 'class' && n < 10;
        n++
      ) {
        const info: ClassInfo | undefined = graphOf(cls.file)?.classes[cls.id];
        const ctor = info?.members.get('constructor');
        if (ctor) reachVal(value(cls.file, ctor, 0), site, false);
        cls = info?.base ? value(cls.file, info.base, 0) : undefined;
      }
    } else if (v.k === 'method' && site) clientCall(v, site);
  };

  const reachRef = (file: string, s: Sym, site: Site | undefined) => {
    if (s.k === 'new' && site) reachVal(value(file, s, 0), site, true);
    else reachVal(value(file, s, 0), site, false);
  };

  /** A method called on a client made in another unit or module (`db.put(params)`, `this.client.get()`). */
  const clientCall = (v: Val & { k: 'method' }, site: Site) => {
    const c = v.client;
    const arg = site.args[0];
    if (c.provider) {
      const h = POWERTOOLS_PROVIDERS[c.provider]?.methods[v.name];
      if (!h) return;
      const hints =
        h.hint && arg?.literal !== undefined ? [{ param: h.hint, literal: arg.literal }] : [...(c.hints ?? [])];
      for (const op of h.operations)
        charge({
          sdk: 'js-v3',
          service: h.service,
          operation: op,
          label: `${c.provider}.${v.name}`,
          hints,
          range: site.range,
        });
      return;
    }
    const op = clientMethodOperation(c, v.name);
    if (op)
      charge({
        sdk: c.sdk,
        service: c.service,
        operation: op,
        label: `${c.document ? 'DocumentClient' : c.service}.${v.name}`,
        hints: arg?.hints ?? [],
        range: site.range,
      });
  };

  const reachUnit = (file: string, id: number, site?: Site) => {
    const g = graphOf(file);
    const u = g?.units[id];
    if (!u) return;
    const f = files.get(file)!;
    const key = `${file}#${id}`;
    if (!doneUnits.has(key)) {
      doneUnits.add(key);
      for (const i of u.calls) if (!u.callParams?.has(i)) charge(f.calls[i]);
      for (const [reason, n] of u.unresolved ?? []) count(reason, n);
      queue.push(() => {
        for (const r of u.refs) if (live(r.guard)) reachRef(file, r.sym, r.call);
        for (const spec of u.loads) load(resolve(file, spec));
        for (const d of u.dynamic) {
          const v = value(file, d, 0);
          if (v) dynamicTargets.push(v);
        }
      });
    }
    // What depends on the call site: requests handed in, operations named by the caller.
    const siteKey = `${key}@${site ? `${site.range.file}:${site.range.start.line}:${site.range.start.column}` : '-'}`;
    if (doneSites.has(siteKey)) return;
    doneSites.add(siteKey);
    for (const [i, p] of u.callParams ?? []) {
      const c = f.calls[i];
      if (site) charge({ ...c, hints: site.args[p]?.hints ?? [], range: site.range });
      else charge(c);
    }
    for (const d of u.dispatch) {
      const op = site?.args[d.opParam]?.literal;
      const operation = op !== undefined ? clientMethodOperation(d.call, op) : undefined;
      if (!site || operation === undefined) {
        count(UNRESOLVED_COMPUTED, 1);
        continue;
      }
      charge({
        sdk: d.call.sdk,
        service: d.call.service,
        operation,
        label: `${d.call.document ? 'DocumentClient' : d.call.service}.${op}`,
        hints: d.hintsParam !== undefined ? (site.args[d.hintsParam]?.hints ?? []) : [],
        range: site.range,
      });
    }
  };

  const drain = () => {
    for (let i = 0; i < queue.length && i < 200_000; i++) queue[i]();
    queue.length = 0;
  };

  load(entry);
  drain();
  const [first, ...rest] = exportName.split('.');
  let v = exportValue(entry, first, 0);
  for (const r of rest) v = v && member(v, r, 0);
  if (v && (v.k === 'unit' || v.k === 'lazy' || v.k === 'inst')) reachVal(v, undefined, false);
  drain();
  if (!v || (v.k === 'lazy' && !v.sym.refs.length && !v.sym.calls.length)) {
    // The handler is made by something the graph cannot follow: what it would run is not charged.
    count(UNRESOLVED_HANDLER, unreachedCalls([...loaded], undefined));
  }
  // Computed member calls: the SDK calls of the members nobody reached otherwise.
  for (const t of dynamicTargets) count(UNRESOLVED_COMPUTED, unreachedCalls([t.file], t));
  return { calls, unresolved, dead };

  /** SDK calls in units of these files (or of the members of `of`) that the walk did not reach. */
  function unreachedCalls(fileList: string[], of: Val | undefined): number {
    let n = 0;
    const countUnit = (file: string, u: GraphUnit, id: number) => {
      if (doneUnits.has(`${file}#${id}`)) return;
      n += u.calls.length + u.dispatch.length;
    };
    for (const file of fileList) {
      const g = graphOf(file);
      if (!g) continue;
      if (!of) {
        g.units.forEach((u, id) => countUnit(file, u, id));
        continue;
      }
      const members: Sym[] =
        of.k === 'obj'
          ? [...of.sym.members.values()]
          : of.k === 'class' || of.k === 'inst'
            ? [...(g.classes[of.k === 'class' ? of.id : of.cls]?.members.values() ?? [])]
            : of.k === 'ns'
              ? [...g.exports.values()]
              : [];
      for (const m of members) {
        const mv = value(file, m, 0);
        if (mv?.k === 'unit') {
          const u = graphOf(mv.file)?.units[mv.id];
          if (u) countUnit(mv.file, u, mv.id);
        }
      }
    }
    return n;
  }
}
