// Handler files parsed on worker threads (src/code/parse-pool.ts): the result is the one a single
// thread gives, byte for byte, on a generated monorepo of every format and language.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFECT_RULE, generateProject, type Defect } from '../bench/generate.js';
import { lint } from '../src/lint.js';
import { formatResult } from '../src/report/index.js';
import { poolStats } from '../src/code/parse-pool.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-threads-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('parsing handler code on worker threads', () => {
  it('reports what one thread reports, byte for byte, with the planted defects found', async () => {
    const project = generateProject(root, { functions: 160, defectEvery: 4 });
    const today = new Date('2026-11-26');
    const one = await lint({ cwd: root, threads: 1, today });
    const before = poolStats.workerChunks;
    const three = await lint({ cwd: root, threads: 3, today });
    expect(poolStats.workerChunks).toBeGreaterThan(before);
    const shown = (r: typeof one) => formatResult(r, 'json', { color: false, version: 'test' });
    expect(shown(three)).toBe(shown(one));
    expect(three.notes).toEqual(one.notes);
    expect(three.coverage).toEqual(one.coverage);
    // Every planted defect is found by its rule, and nothing else is reported.
    const byRule: Record<string, number> = {};
    for (const f of one.findings) byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
    const expected: Record<string, number> = {};
    for (const [d, n] of Object.entries(project.planted))
      if (n) expected[DEFECT_RULE[d as Defect]] = (expected[DEFECT_RULE[d as Defect]] ?? 0) + n;
    expect(byRule).toEqual(expected);
    expect(one.stats.functions).toBe(160);
  }, 120_000);
});
