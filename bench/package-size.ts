// Times measureFolder on a ~300 MB, 20,000-file package made of sparse files (no real disk use): the
// synchronous walk the CLI runs (src/package/size.ts, one lstat per file). The first call runs in a
// fresh process, so the walk's code is not yet compiled (what a CLI run pays); the next five run in
// this process, warm. The file system's caches are warm in both: the folder was just written, and
// emptying the kernel's caches needs root and would slow every other process on the machine.
// Run: npx tsx bench/package-size.ts
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureFolder, UNZIPPED_LIMIT } from '../src/package/size.js';

const FILES = 20000;
const FILE_SIZE = 15 * 1024;
const PACKAGES = 400;

export interface PackageSizeBench {
  files: number;
  bytes: number;
  /** The walk in a fresh process (its code not yet compiled). */
  coldMs: number;
  /** The first call in this process. */
  firstMs: number;
  /** The median of five calls in this process. */
  medianMs: number;
}

/** One measureFolder call in a fresh process: its milliseconds, checked against the expected totals. */
function coldRun(root: string): number {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--once', root], {
    encoding: 'utf8',
  });
  const m = /^once (\d+(?:\.\d+)?) ms (\d+) files (\d+) bytes$/m.exec(r.stdout ?? '');
  if (!m) throw new Error(`the fresh-process walk failed: ${r.stdout}${r.stderr}`);
  if (Number(m[2]) !== FILES || Number(m[3]) !== FILES * FILE_SIZE)
    throw new Error(`wrong result in the fresh process: ${m[3]} bytes, ${m[2]} files`);
  return Number(m[1]);
}

/** Builds the sparse 300 MB folder, measures it five times, and removes it. */
export async function benchPackageSize(log: (line: string) => void = console.log): Promise<PackageSizeBench> {
  const root = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'lambdalint-bench-size-'));
  try {
    let t = performance.now();
    for (let p = 0; p < PACKAGES; p++) {
      await fs.promises.mkdir(path.join(root, 'node_modules', `pkg${p}`, 'lib'), { recursive: true });
    }
    for (let i = 0; i < FILES; i++) {
      const file = path.join(root, 'node_modules', `pkg${i % PACKAGES}`, 'lib', `f${i}.js`);
      await fs.promises.writeFile(file, '');
      await fs.promises.truncate(file, FILE_SIZE); // sparse
    }
    log(
      `created ${FILES} files of ${FILE_SIZE} bytes (${((FILES * FILE_SIZE) / 1e6).toFixed(0)} MB, sparse) in ${(performance.now() - t).toFixed(0)} ms`,
    );

    const coldMs = coldRun(root);
    log(`fresh process: measureFolder ${coldMs.toFixed(1)} ms`);
    const runs: number[] = [];
    for (let run = 0; run < 5; run++) {
      t = performance.now();
      const r = await measureFolder(root);
      const ms = performance.now() - t;
      runs.push(ms);
      if (r.bytes !== FILES * FILE_SIZE || r.files !== FILES)
        throw new Error(`wrong result: ${r.bytes} bytes, ${r.files} files`);
      log(
        `run ${run + 1}: measureFolder ${ms.toFixed(1)} ms (${r.files} files, ${r.bytes} bytes, top ${r.biggest[0]?.path})`,
      );
    }
    const sorted = [...runs].sort((a, b) => a - b);
    log(`first ${runs[0].toFixed(1)} ms, median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms`);

    t = performance.now();
    const early = await measureFolder(root, { stopAbove: UNZIPPED_LIMIT / 2 });
    log(
      `stopAbove ${UNZIPPED_LIMIT / 2}: ${(performance.now() - t).toFixed(1)} ms (${early.files} files, truncated ${early.truncated})`,
    );
    return {
      files: FILES,
      bytes: FILES * FILE_SIZE,
      coldMs,
      firstMs: runs[0],
      medianMs: sorted[Math.floor(sorted.length / 2)],
    };
  } finally {
    await fs.promises.rm(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv[2] === '--once') {
    const t = performance.now();
    const r = await measureFolder(process.argv[3]);
    console.log(`once ${(performance.now() - t).toFixed(1)} ms ${r.files} files ${r.bytes} bytes`);
  } else await benchPackageSize();
}
