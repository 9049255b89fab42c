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
  parseError?: string;
  /** Why the file was not parsed at all (a limit on pathological input); nothing in it is judged. */
  skipped?: string;
}
