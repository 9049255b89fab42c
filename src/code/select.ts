// Cheap checks lint() makes before it loads the code analysis (and its parsers) at all.
import type { LambdaFunction } from '../model/types.js';

/** Whether a function has Node.js or Python code lambdalint could read (a folder, a zip, inline code). */
export function hasHandlerCode(fn: LambdaFunction): boolean {
  const rt = fn.runtime?.value ?? '';
  if (!rt.startsWith('nodejs') && !rt.startsWith('python')) return false;
  return fn.code.kind === 'local-dir' || fn.code.kind === 'local-zip' || fn.code.kind === 'inline';
}
