// What a parsed handler file holds, independent of the function that runs it: exports, imports,
// SDK calls (with hints about the resource they act on), tracer use. Parsers fill it; the analysis
// (analyse.ts) joins it with the function.
import path from 'node:path';
import type { SourceRange } from '../model/types.js';
import { digest } from '../source/builtins.js';

export type ExportKind = 'function' | 'not-function' | 'unknown';

/** Where a call's resource may come from: a literal, or an environment variable. */
export interface ResourceHint {
  /** The request parameter it was read from (`TableName`, `Bucket`, `QueueUrl`...). */
  param: string;
  literal?: string;
  env?: string;
  /** The known start of a value built at run time (`f"uploads/{name}"` → `uploads/`). */
  prefix?: string;
  /** The value is the bucket an S3 notification record names (`record.s3.bucket.name`). */
  event?: 's3-bucket';
}

export interface RawSdkCall {
  sdk: 'js-v3' | 'js-v2' | 'boto3';
  /** SDK service name as the code names it (`s3`, `dynamodb`, `secrets-manager`). */
  service: string;
  /** Operation in PascalCase (`GetObject`). */
  operation: string;
  /** How the operation is shown in messages (`S3.GetObject`). */
  label: string;
  hints: ResourceHint[];
  range: SourceRange;
  /** The code unit the call is made in (see FileFacts.units); absent when the parser builds no call graph. */
  unit?: string;
  /** The conditions of the branches the call sits in (src/code/guard.ts), when some can be decided. */
  guard?: Guard;
}

/** A value a branch condition tests: an environment variable (after `.lower()` and the like) or a literal (null: None / undefined). */
export type GuardValue = { env: string; ops?: ('lower' | 'upper' | 'strip')[] } | { lit: string | null };

/** A branch condition, as far as it is made of environment variables and literals (src/code/guard.ts). */
export type Guard =
  | { k: 'and' | 'or'; of: Guard[] }
  | { k: 'not'; of: Guard }
  | { k: 'eq'; a: GuardValue; b: GuardValue }
  | { k: 'truthy'; v: GuardValue }
  /** `s.startswith(a)` / `s.endsWith(a)` / `a in s`, true when any of `args` matches. */
  | { k: 'starts' | 'ends' | 'contains'; s: GuardValue; args: string[] }
  /** `v in ('a', 'b')` / `['a', 'b'].includes(v)`. */
  | { k: 'oneOf'; v: GuardValue; list: (string | null)[] }
  /** `'X' in os.environ`. */
  | { k: 'has'; env: string }
  | { k: 'unknown' };

/**
 * What a unit of code reaches: a unit of the same file (`handler`, `Repo.save`), a name reached
 * through an import (the import's specifier and the attribute path after it: `from lib import
 * notify` + `notify.send()` → `{ spec: 'lib', path: ['notify', 'send'] }`; `load` when the import
 * statement itself names it: the module loads, the name does not run), or a method called on
 * an object whose class cannot be told (by name only: not followed, counted as unresolved).
 */
export type CodeRef = ({ local: string } | { spec: string; path: string[]; load?: true } | { method: string }) & {
  /** The conditions of the branches the reference sits in. */
  guard?: Guard;
};

/** A function, a method, or the module top level (''), with what it reaches. */
export interface CodeUnit {
  refs: CodeRef[];
}

/** What a module-level name of a file holds, for the files that import it. */
export type ModuleBinding =
  { unit: string } | { cls: string } | { spec: string; path: string[] } | { instanceOf: CodeRef } | { client: unknown };

/** A method call on a name another module binds (a client created there): resolved by the analysis. */
export interface DeferredCall {
  unit: string;
  spec: string;
  path: string[];
  method: string;
  hints: ResourceHint[];
  firstString?: string;
  range: SourceRange;
  guard?: Guard;
}

interface RawImport {
  /** The specifier as written (`./util.js`, `@aws-sdk/client-s3/dist`, `requests.adapters`). */
  specifier: string;
  range: SourceRange;
  relative: boolean;
}

export interface FileFacts {
  file: string;
  /** Export name → what it is; `*` present when a re-export makes the list open-ended. */
  exports: Map<string, { kind: ExportKind; range: SourceRange }>;
  /** The list of exports cannot be known (export * from, module.exports = identifier...). */
  openExports: boolean;
  imports: RawImport[];
  calls: RawSdkCall[];
  tracer?: SourceRange;
  /**
   * The call graph, when the parser builds one (Python): units by id ('' is the module top level,
   * always run when the module is loaded), module-level names for importers, calls on clients of
   * other modules, `from x import *` modules.
   */
  units?: Map<string, CodeUnit>;
  bindings?: Map<string, ModuleBinding>;
  deferred?: DeferredCall[];
  starImports?: string[];
  parseError?: string;
  /** Why the file was not parsed at all (a limit on pathological input); nothing in it is judged. */
  skipped?: string;
  /** The call graph (JS/TS): which of `calls` a handler reaches. Without it every call counts. */
  graph?: CodeGraph;
  /**
   * The text mentions `lambdalint` (it may hold suppression comments); absent when it does not, so
   * that lint() need not read the file again to look for them (src/engine/suppress.ts).
   */
  mentionsLambdalint?: true;
  /** JS: the text names what it was bundled from (a source map comment, esbuild's region comments: src/code/bundle.ts). */
  namesSources?: true;
}

/**
 * What a name or expression of a module stands for, as far as a syntactic reading can tell: the
 * nodes of the call graph that decides which SDK calls a handler can reach (src/code/reach.ts).
 */
export type Sym =
  /** A function body: `units[id]`. */
  | { k: 'unit'; id: number }
  /** An object literal: its members by name; spread objects are looked in after them. */
  | { k: 'obj'; members: Map<string, Sym>; spreads: Sym[] }
  /** A class: `classes[id]`. */
  | { k: 'class'; id: number }
  /** An instance of what `of` names (`new Service()`), or `this` inside a class. */
  | { k: 'new'; of: Sym }
  /** A binding of the module's top level (or of the unit that refers to it), by name. */
  | { k: 'local'; name: string; unit?: number }
  /** An imported name; `*` is the module itself (a namespace, `require()`, CommonJS `module.exports`). */
  | { k: 'import'; module: string; name: string }
  /** A static property of what `of` names. */
  | { k: 'member'; of: Sym; name: string }
  /** An AWS SDK client (or a Powertools provider). */
  | {
      k: 'client';
      sdk: 'js-v3' | 'js-v2';
      service: string;
      document?: boolean;
      provider?: string;
      hints?: ResourceHint[];
    }
  /**
   * The result of a call at the top level (`middy(handler)`, `makeIdempotent(fn, { store })`): the
   * functions handed to it run when the result runs, and `calls` are SDK calls made on its behalf
   * (`new DynamoDBPersistenceLayer(...)` makes them when the idempotent function runs).
   */
  | { k: 'lazy'; refs: GraphRef[]; calls: number[] }
  | { k: 'unknown' };

/** A name a unit's code mentions (and, when it is called, the call). */
export interface GraphRef {
  sym: Sym;
  /** Present when the reference is called: the call's range and what each argument holds. */
  call?: { range: SourceRange; args: GraphArg[] };
  /** The conditions of the branches the reference sits in. */
  guard?: Guard;
}

/** What a call-site argument holds, as far as it matters to wrappers. */
export interface GraphArg {
  /** A string literal (the operation a `client[action](params)` wrapper calls). */
  literal?: string;
  /** Resource hints of an object literal (or of a const holding one). */
  hints: ResourceHint[];
}

/** A function body (or the module's top level, unit 0) and what running it does. */
export interface GraphUnit {
  name: string;
  params: string[];
  refs: GraphRef[];
  /** Indices into FileFacts.calls made by this unit's own code. */
  calls: number[];
  /**
   * Calls whose request is a parameter of the unit: their hints come from the caller's argument.
   * Absent when there are none, as `unresolved`: most units have neither, and two empty Maps per
   * unit were 27,000 of the 38,600 Maps in the facts of the 2,000-function bench's 3,911 handler
   * files (each cloned to the main thread when a worker parsed the file: structured clone of all
   * those facts 15.6 -> 15.2 MB, reading them back ~330 -> ~300 ms CPU).
   */
  callParams?: Map<number, number>;
  /** `client[op](params)` where `op` is a parameter: an SDK call per caller, named by its argument. */
  dispatch: {
    call: Omit<RawSdkCall, 'operation' | 'label' | 'hints' | 'range'> & { document?: boolean };
    opParam: number;
    hintsParam?: number;
  }[];
  /** Modules it loads when it runs (`import()`, `require()` in a body). */
  loads: string[];
  /** SDK calls in it that cannot be resolved, by reason; absent when there are none. */
  unresolved?: Map<string, number>;
  /** Objects whose members it calls through a computed name (`lib[name]()`): not followed. */
  dynamic: Sym[];
}

export interface ClassInfo {
  name: string;
  /** Methods (static and instance alike), the constructor as `constructor`. */
  members: Map<string, Sym>;
  /** What `this.x` holds: class fields, `this.x = ...` assignments, TypeScript parameter properties. */
  fields: Map<string, Sym>;
  base?: Sym;
}

export interface CodeGraph {
  units: GraphUnit[];
  classes: ClassInfo[];
  bindings: Map<string, Sym>;
  exports: Map<string, Sym>;
  /** `export * from 'x'`. */
  exportAll: string[];
  /** `module.exports = ...` / `export = ...`. */
  cjs?: Sym;
  /** Modules imported at the top level: loaded (their top level runs) with this one. */
  staticImports: string[];
}

/** The key of a file's text in a FactsCache. */
export function textHash(text: string): string {
  return digest('sha1', text, 'base64');
}

/**
 * Facts of parsed files kept between runs, for a long-running caller (the ESLint plugin's worker):
 * a file is parsed again only when its text changed. Entries are keyed by path and a hash of the
 * text, so a hit is the parse of the same text (an editor goes back and forth between a buffer
 * and the saved file: both stay); the analysis never changes a FileFacts. The least recently used
 * entries go past `max`.
 */
export class FactsCache {
  private readonly entries = new Map<string, FileFacts>();
  /** Files parsed (cache misses) since the cache was made, for tests and the benchmark. */
  parses = 0;
  constructor(private readonly max = 20_000) {}

  get(file: string, hash: string): FileFacts | undefined {
    const key = `${file}\u0000${hash}`;
    const facts = this.entries.get(key);
    if (!facts) return undefined;
    this.entries.delete(key);
    this.entries.set(key, facts);
    return facts;
  }

  set(file: string, hash: string, facts: FileFacts): void {
    const key = `${file}\u0000${hash}`;
    this.entries.delete(key);
    this.entries.set(key, facts);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }
}

/** Raised by copyFacts for a value that is not plain data. */
const NOT_PLAIN = Symbol('not plain data');

/**
 * A deep copy of plain data (objects, arrays, Maps, Sets, primitives) with every `file` property
 * that names `from` naming `to`; objects shared in `v` are shared alike in the copy.
 */
function copyFacts(v: unknown, from: string, to: string, seen: Map<object, unknown>): unknown {
  if (typeof v !== 'object' || v === null) return v;
  const known = seen.get(v);
  if (known !== undefined) return known;
  if (Array.isArray(v)) {
    const a: unknown[] = [];
    seen.set(v, a);
    for (const x of v as unknown[]) a.push(copyFacts(x, from, to, seen));
    return a;
  }
  if (v instanceof Map) {
    const m = new Map<unknown, unknown>();
    seen.set(v, m);
    for (const [k, x] of v) m.set(copyFacts(k, from, to, seen), copyFacts(x, from, to, seen));
    return m;
  }
  if (v instanceof Set) {
    const s = new Set<unknown>();
    seen.set(v, s);
    for (const x of v) s.add(copyFacts(x, from, to, seen));
    return s;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype) throw NOT_PLAIN;
  const o: Record<string, unknown> = {};
  seen.set(v, o);
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[k];
    o[k] = k === 'file' && x === from ? to : copyFacts(x, from, to, seen);
  }
  return o;
}

/** The facts of a copy, at `to`, of the file at `from` these are the facts of (undefined if they are not plain data). */
export function factsOfCopy(facts: FileFacts, from: string, to: string): FileFacts | undefined {
  try {
    return copyFacts(facts, from, to, new Map()) as FileFacts;
  } catch (e) {
    if (e === NOT_PLAIN) return undefined;
    throw e;
  }
}

/**
 * The facts of the texts one thread has parsed in a run, by the text and its file's extension: a
 * copy of a file (a service's lib/ copied from another's, an empty `__init__.py`) is not parsed
 * again. A parse reads a file's path for its extension (the language and module kind, parseJs;
 * Python or not, parseOne) and writes it into the facts (`file`, every range), nothing else, so
 * the facts of another file of the same extension and text are those of the first with its path
 * in them (test/same-text.test.ts checks that on every handler file of the fixtures). A copy costs
 * a walk of the facts, a parse costs reading the text's syntax tree. Where it pays: services made
 * from one template, each with its own lib/. The 2,000-function bench project is such a monorepo
 * (bench/generate.ts writes every service's lib/ from the same text): 1,652 of the 3,645 files a
 * run parses are copies; wall median 3,150 -> 2,952 ms, CPU 5,433 -> 5,069 ms (8 alternating cold
 * runs, Node 20). In aws-samples/serverless-patterns, independent projects, 19 of 486: no change.
 */
export class SameText {
  private readonly byExtension = new Map<string, Map<string, { file: string; facts: FileFacts }>>();

  /** The first file of `file`'s extension this thread parsed with this text, and its facts. */
  first(file: string, text: string): { file: string; facts: FileFacts } | undefined {
    return this.byExtension.get(path.extname(file))?.get(text);
  }

  /** The facts of `file` if this thread parsed its text under a path of the same extension. */
  get(file: string, text: string): FileFacts | undefined {
    const first = this.first(file, text);
    if (!first) return undefined;
    return first.file === file ? first.facts : factsOfCopy(first.facts, first.file, file);
  }

  set(file: string, text: string, facts: FileFacts): void {
    const ext = path.extname(file);
    let texts = this.byExtension.get(ext);
    if (!texts) this.byExtension.set(ext, (texts = new Map()));
    if (!texts.has(text)) texts.set(text, { file, facts });
  }
}
