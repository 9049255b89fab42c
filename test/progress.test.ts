// The progress line (src/cli/progress.ts): drawn on stderr when it is a terminal and the run has
// taken 2 s, cleared before the report; never in CI, never when stderr is not a terminal, never
// in a run shorter than 2 s. The clock is injected: each reading advances it by 700 ms.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../src/cli/main.js';
import { FIXTURES } from './helpers.js';

const DEMO = path.join(FIXTURES, 'demo');

async function run(io: Partial<Io>): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(['--format', 'json', '--today', '2026-11-26', '--threads', '1', '.'], {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    cwd: DEMO,
    isTTY: false,
    env: {},
    ...io,
  });
  return { code, stdout, stderr };
}

const slowClock = () => {
  let t = 0;
  return () => (t += 700);
};

describe('the progress line', () => {
  it('is drawn on a terminal once the run passes 2 s, and cleared before the report', async () => {
    const plain = await run({});
    const shown = await run({ stderrIsTTY: true, columns: 200, now: slowClock() });
    expect(shown.stdout).toBe(plain.stdout);
    expect(shown.code).toBe(plain.code);
    const lines = shown.stderr.split('\r\u001b[K');
    // Each update rewrites the line; the last write clears it.
    expect(lines[0]).toBe('');
    expect(lines[lines.length - 1]).toBe('');
    const drawn = lines.slice(1, -1);
    expect(drawn.length).toBeGreaterThan(2);
    expect(drawn.every((l) => l.startsWith('lambdalint: '))).toBe(true);
    expect(drawn.some((l) => /^lambdalint: \d+\/\d+ projects loaded, reading \S+/.test(l))).toBe(true);
    expect(drawn.some((l) => /^lambdalint: handler code of \d+\/\d+ functions read, last in \S+/.test(l))).toBe(true);
    expect(drawn).toContain(`lambdalint: checking ${JSON.parse(plain.stdout).coverage.functions} functions`);
  });

  it('is cut to the width of the terminal', async () => {
    const narrow = await run({ stderrIsTTY: true, columns: 30, now: slowClock() });
    const drawn = narrow.stderr.split('\r\u001b[K').slice(1, -1);
    expect(drawn.length).toBeGreaterThan(0);
    expect(Math.max(...drawn.map((l) => l.length))).toBe(29);
  });

  it('is never drawn in CI, when stderr is not a terminal, or in a run under 2 s', async () => {
    for (const io of [
      { stderrIsTTY: true, env: { CI: 'true' }, now: slowClock() },
      { stderrIsTTY: true, env: { CI: '1' }, now: slowClock() },
      { stderrIsTTY: false, now: slowClock() },
      { stderrIsTTY: true },
    ]) {
      const r = await run(io);
      expect(r.stderr).toBe('');
    }
  });
});
