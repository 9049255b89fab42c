// Cheap checks lint() makes before it loads the code analysis (and its parsers) at all.
import type { LambdaFunction } from '../model/types.js';

/**
 * Whether a function has Node.js or Python code lambdalint could read (a folder, a zip, inline
 * code), or code it cannot (in S3, a location that does not resolve) that the coverage names.
 */
export function hasHandlerCode(fn: LambdaFunction): boolean {
  const rt = fn.runtime?.value ?? '';
  if (!rt.startsWith('nodejs') && !rt.startsWith('python')) return false;
  return fn.packageType !== 'Image' && fn.code.kind !== 'image';
}
