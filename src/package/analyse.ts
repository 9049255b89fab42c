// Measures the deployment packages that are on disk, once each, before rules run.
import { inlineZipSize, measureFolder, measureZip, UNZIPPED_LIMIT, type SizeReport } from './size.js';
import type { CodeLocation, Model, PackageSize } from '../model/types.js';

/** Folders `sam build` does not copy from a source folder as they are (dependencies are installed anew). */
const SOURCE_SKIP = ['node_modules', '.git', '.aws-sam', '.venv', 'venv', '__pycache__', '.pytest_cache', '.mypy_cache', 'tests', 'test', '__tests__'];

export async function analysePackages(model: Model): Promise<void> {
  const cache = new Map<string, Promise<PackageSize | undefined>>();
  const measure = (code: CodeLocation): Promise<PackageSize | undefined> | undefined => {
    if (code.kind === 'inline' && code.inline !== undefined) {
      const zipped = inlineZipSize(code.inline);
      return Promise.resolve({ unzippedBytes: Buffer.byteLength(code.inline), zippedBytes: zipped, biggest: [], truncated: false });
    }
    if ((code.kind !== 'local-dir' && code.kind !== 'local-zip') || !code.path) return undefined;
    const key = `${code.kind}:${code.built}:${code.path}`;
    let p = cache.get(key);
    if (!p) {
      p = (async () => {
        if (code.kind === 'local-zip') {
          const r = await measureZip(code.path!);
          return 'error' in r ? undefined : toSize(r, r.zippedBytes);
        }
        const r = await measureFolder(code.path!, { stopAbove: UNZIPPED_LIMIT * 2, skipDirs: code.built ? [] : SOURCE_SKIP });
        return r.files === 0 && r.bytes === 0 ? undefined : toSize(r);
      })();
      cache.set(key, p);
    }
    return p;
  };
  const jobs: Promise<void>[] = [];
  for (const c of [...model.functions.map((f) => f.code), ...model.layers.map((l) => l.code)]) {
    const m = measure(c);
    if (m) jobs.push(m.then((s) => void (s && (c.size = s))));
  }
  await Promise.all(jobs);
}

function toSize(r: SizeReport, zippedBytes?: number): PackageSize {
  const s: PackageSize = { unzippedBytes: r.bytes, biggest: r.biggest, truncated: r.truncated };
  if (zippedBytes !== undefined) s.zippedBytes = zippedBytes;
  return s;
}
