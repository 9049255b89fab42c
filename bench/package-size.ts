// Times measureFolder on a ~300 MB, 20,000-file package made of sparse files (no real disk use). Run: npx tsx bench/package-size.ts
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { measureFolder, UNZIPPED_LIMIT } from '../src/package/size.js';

const FILES = 20000;
const FILE_SIZE = 15 * 1024;
const PACKAGES = 400;

export interface PackageSizeBench {
  files: number;
  bytes: number;
  firstMs: number;
  medianMs: number;
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
      firstMs: runs[0],
      medianMs: sorted[Math.floor(sorted.length / 2)],
    };
  } finally {
    await fs.promises.rm(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchPackageSize();
