// What a parsed handler file holds, independent of the function that runs it: exports, imports,
// SDK calls (with hints about the resource they act on), tracer use. Parsers fill it; the analysis
// (analyse.ts) joins it with the function.
import type { SourceRange } from '../model/types.js';

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
}

/**
 * What a unit of code reaches: a unit of the same file (`handler`, `Repo.save`), a name reached
 * through an import (the import's specifier and the attribute path after it: `from lib import
 * notify` + `notify.send()` → `{ spec: 'lib', path: ['notify', 'send'] }`), or a method called on
 * an object whose class cannot be told (by name only: not followed, counted as unresolved).
 */
export type CodeRef = { local: string } | { spec: string; path: string[] } | { method: string };

/** A function, a method, or the module top level (''), with what it reaches. */
export interface CodeUnit {
  refs: CodeRef[];
}

/** What a module-level name of a file holds, for the files that import it. */
export type ModuleBinding = { unit: string } | { cls: string } | { spec: string; path: string[] } | { instanceOf: CodeRef } | { client: unknown };

/** A method call on a name another module binds (a client created there): resolved by the analysis. */
export interface DeferredCall {
  unit: string;
  spec: string;
  path: string[];
  method: string;
  hints: ResourceHint[];
  firstString?: string;
  range: SourceRange;
}

export interface RawImport {
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
}
