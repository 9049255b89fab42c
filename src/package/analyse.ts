// Measures the deployment packages that are on disk, once each, before rules run.
import { inlineZipSize, measureFolder, measureZip, UNZIPPED_LIMIT, type SizeReport } from './size.js';
import fs from 'node:fs';
import path from 'node:path';
import type { CodeLocation, Model, PackageSize } from '../model/types.js';

/** Folders `sam build` does not copy from a source folder as they are (dependencies are installed anew). */
const SOURCE_SKIP = [
  'node_modules',
  '.git',
  '.aws-sam',
  '.venv',
  'venv',
  '__pycache__',
  '.pytest_cache',
  '.mypy_cache',
  'tests',
  'test',
  '__tests__',
];

export interface AnalyseOptions {
  /** Folders code may be measured in (the project); code elsewhere is left unmeasured. Default: anywhere. */
  within?: readonly string[];
  /** Told about each package left unmeasured because it lies outside `within`. */
  onOutside?: (owner: string, code: CodeLocation) => void;
}

/** True when `p` is `root` or inside it. */
function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export async function analysePackages(model: Model, options: AnalyseOptions = {}): Promise<void> {
  const cache = new Map<string, Promise<PackageSize | undefined>>();
  const measure = (code: CodeLocation): Promise<PackageSize | undefined> | undefined => {
    if (code.kind === 'inline' && code.inline !== undefined) {
      const inline = code.inline;
      const size: PackageSize = { unzippedBytes: Buffer.byteLength(inline), biggest: [], truncated: false };
      // Deflated when first read (node:zlib loads then): package-size reads it only for inline
      // code big enough to come near the limit.
      let zipped: number | undefined;
      Object.defineProperty(size, 'zippedBytes', { enumerable: true, get: () => (zipped ??= inlineZipSize(inline)) });
      return Promise.resolve(size);
    }
    if ((code.kind !== 'local-dir' && code.kind !== 'local-zip') || !code.path || code.unmeasured) return undefined;
    const key = `${code.kind}:${code.built}:${code.path}`;
    let p = cache.get(key);
    if (!p) {
      p = (async () => {
        if (code.kind === 'local-zip') {
          const r = await measureZip(code.path!);
          return 'error' in r ? undefined : toSize(r, r.zippedBytes);
        }
        const r = await measureFolder(code.path!, {
          stopAbove: UNZIPPED_LIMIT * 2,
          skipDirs: code.built ? [] : SOURCE_SKIP,
        });
        return r.files === 0 && r.bytes === 0 ? undefined : toSize(r);
      })();
      cache.set(key, p);
    }
    return p;
  };
  const jobs: Promise<void>[] = [];
  const owned = [
    ...model.functions.map((f) => [f.id, f.code] as const),
    ...model.layers.map((l) => [l.id, l.code] as const),
  ];
  for (const [owner, c] of owned) {
    // A CodeUri such as ../../etc must not make lambdalint read (and name) files outside the project.
    if (
      options.within &&
      c.path &&
      (c.kind === 'local-dir' || c.kind === 'local-zip') &&
      !options.within.some((r) => inside(r, c.path!))
    ) {
      options.onOutside?.(owner, c);
      continue;
    }
    const m = measure(c);
    if (m) jobs.push(m.then((s) => void (s && (c.size = s))));
  }
  await Promise.all(jobs);
  const devDeps = new Map<string, Record<string, unknown>>();
  for (const fn of model.functions) annotate(fn.code, fn.runtime?.value, devDeps);
}

/**
 * Says why a large dependency need not be in the package: the Node.js runtime provides the AWS
 * SDK (v3 from nodejs18.x on, v2 before; LDG lambda-runtimes), and a devDependency is not needed
 * at run time.
 */
function annotate(
  code: CodeLocation,
  runtime: string | undefined,
  devDeps: Map<string, Record<string, unknown>>,
): void {
  if (!code.size || !code.path || code.kind !== 'local-dir') return;
  const major = /^nodejs(\d+)/.exec(runtime ?? '')?.[1];
  const dir = code.path;
  // The package folder's devDependencies: read once per folder, and only when a dependency is among the biggest.
  const devOf = (): Record<string, unknown> => {
    let dev = devDeps.get(dir);
    if (dev) return dev;
    dev = {};
    try {
      dev =
        (
          JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
            devDependencies?: Record<string, unknown>;
          }
        ).devDependencies ?? {};
    } catch {
      // no package.json in the package folder
    }
    devDeps.set(dir, dev);
    return dev;
  };
  const biggest = code.size.biggest.map((b) => {
    const pkg = /^node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(b.path)?.[1];
    if (!pkg) return b;
    const v3 = /^@(aws-sdk|smithy)\//.test(pkg);
    if (major !== undefined && ((v3 && Number(major) >= 18) || (pkg === 'aws-sdk' && Number(major) < 18)))
      return { ...b, note: 'provided by the runtime' };
    if (pkg in devOf()) return { ...b, note: 'a devDependency' };
    return b;
  });
  code.size = { ...code.size, biggest };
}

function toSize(r: SizeReport, zippedBytes?: number): PackageSize {
  const s: PackageSize = { unzippedBytes: r.bytes, biggest: r.biggest, truncated: r.truncated };
  if (zippedBytes !== undefined) s.zippedBytes = zippedBytes;
  return s;
}
