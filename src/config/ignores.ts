// `ignores` from the configuration: gitignore-style patterns relative to the config file's folder.
import path from 'node:path';
import ignore from 'ignore';

/** A predicate that is true for absolute paths the patterns ignore. */
export function ignoredBy(patterns: readonly string[], baseDir: string): (absFile: string) => boolean {
  if (patterns.length === 0) return () => false;
  const ig = ignore().add([...patterns]);
  return (absFile) => {
    const rel = path.relative(baseDir, absFile).split(path.sep).join('/');
    if (!rel || rel.startsWith('../') || path.isAbsolute(rel)) return false;
    return ig.ignores(rel);
  };
}
