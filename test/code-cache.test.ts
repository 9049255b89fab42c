// The CLI runs its engine (prebuilt/cli-engine.cjs) with V8's code cache (src/cli/code-cache.ts):
// the data is written once, used by the runs after, never used for another text of the engine
// (V8 itself checks only the source's length), and a cache that cannot be used or written changes
// nothing but the time a run takes.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-code-cache-')));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A copy of the installed package (bin, prebuilt, package.json; node_modules linked). */
function packageCopy(name: string): string {
  const pkg = path.join(tmp, name);
  fs.mkdirSync(pkg, { recursive: true });
  for (const dir of ['bin', 'prebuilt']) fs.cpSync(path.join(ROOT, dir), path.join(pkg, dir), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(pkg, 'package.json'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(pkg, 'node_modules'));
  return pkg;
}

const env = (cache: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
  const e: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', NODE_COMPILE_CACHE: cache, ...extra };
  if (!extra.NODE_DISABLE_COMPILE_CACHE) delete e.NODE_DISABLE_COMPILE_CACHE;
  return e;
};

function explain(pkg: string, cache: string, extra: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [path.join(pkg, 'bin', 'lambdalint.js'), 'explain', 'timeout-limit'], {
    cwd: tmp,
    encoding: 'utf8',
    env: env(cache, extra),
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The cache files, by name, with their modification times. */
function cached(cache: string): Map<string, number> {
  const uid = process.getuid?.();
  const dir = path.join(cache, `lambdalint-${uid ?? 'user'}`);
  if (!fs.existsSync(dir)) return new Map();
  return new Map(fs.readdirSync(dir).map((f) => [f, fs.statSync(path.join(dir, f)).mtimeMs]));
}

const FIRST_LINE = '# timeout-limit\n\n> Keep every function timeout within what Lambda allows.\n';

describe("the engine's code cache", () => {
  it('is written by the first run, used as it is by the next, and written again for an engine file edited to the same length', () => {
    const pkg = packageCopy('edited');
    const cache = path.join(tmp, 'cache-edited');
    const first = explain(pkg, cache);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout.startsWith(FIRST_LINE)).toBe(true);
    const written = cached(cache);
    expect(written.size).toBe(1);
    expect([...written.keys()][0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}\.bin$/);
    // Used, not written again: the same output, the same file.
    expect(explain(pkg, cache)).toEqual(first);
    expect(cached(cache)).toEqual(written);
    // The same number of characters, other text: V8 would take the old data (it checks the length).
    const engineFile = path.join(pkg, 'prebuilt', 'cli-engine.cjs');
    const text = fs.readFileSync(engineFile, 'utf8');
    const edited = text.replace('Keep every function timeout within', 'KEEP EVERY function timeout within');
    expect(edited).not.toBe(text);
    expect(edited.length).toBe(text.length);
    fs.writeFileSync(engineFile, edited);
    const after = explain(pkg, cache);
    expect(after.stderr).toBe('');
    expect(after.stdout.startsWith('# timeout-limit\n\n> KEEP EVERY function timeout within')).toBe(true);
    // The old file's data replaced by the new file's.
    const rewritten = cached(cache);
    expect(rewritten.size).toBe(1);
    expect([...rewritten.keys()]).not.toEqual([...written.keys()]);
  });

  it("is kept apart for a big run, whose WebAssembly flags differ (V8 would reject the other's data): each kind of run uses its own", () => {
    const pkg = packageCopy('tiers');
    const cache = path.join(tmp, 'cache-tiers');
    // Over isBigRun's 768 KB (src/code/python-wasm.ts), mostly a comment.
    const big = path.join(tmp, 'big-run');
    fs.mkdirSync(big);
    fs.writeFileSync(
      path.join(big, 'template.yaml'),
      `Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n${'# padding\n'.repeat(90_000)}`,
    );
    const lint = () =>
      spawnSync(process.execPath, [path.join(pkg, 'bin', 'lambdalint.js'), '--format', 'json', big], {
        cwd: tmp,
        encoding: 'utf8',
        env: env(cache),
      }).status;
    expect(explain(pkg, cache).status).toBe(0);
    const small = cached(cache);
    expect(small.size).toBe(1);
    expect(lint()).toBe(0);
    const both = cached(cache);
    expect(both.size).toBe(2);
    // Neither written again by the next run of its kind.
    expect(explain(pkg, cache).status).toBe(0);
    expect(lint()).toBe(0);
    expect(cached(cache)).toEqual(both);
    for (const [name, mtime] of small) expect(both.get(name)).toBe(mtime);
  });

  it('changes nothing when it is unusable: damaged data, a cache path that is a file, a folder others can write to, turned off', () => {
    const pkg = packageCopy('unusable');
    const reference = explain(pkg, path.join(tmp, 'cache-reference'));
    expect(reference.status).toBe(0);
    expect(reference.stderr).toBe('');

    // Damaged data: rejected by V8, compiled from the source, written again.
    const damaged = path.join(tmp, 'cache-damaged');
    explain(pkg, damaged);
    const [name] = cached(damaged).keys();
    const dir = path.join(damaged, `lambdalint-${process.getuid?.() ?? 'user'}`);
    fs.writeFileSync(path.join(dir, name), Buffer.alloc(4096, 7));
    expect(explain(pkg, damaged)).toEqual(reference);
    expect(fs.statSync(path.join(dir, name)).size).toBeGreaterThan(4096);

    // A file where the folder would be.
    const file = path.join(tmp, 'cache-file');
    fs.writeFileSync(file, 'not a folder\n');
    expect(explain(pkg, file)).toEqual(reference);
    expect(fs.readFileSync(file, 'utf8')).toBe('not a folder\n');

    // Turned off as Node's own cache is.
    const off = path.join(tmp, 'cache-off');
    expect(explain(pkg, off, { NODE_DISABLE_COMPILE_CACHE: '1' })).toEqual(reference);
    expect(fs.existsSync(off)).toBe(false);
  });

  it.skipIf(process.getuid === undefined)('is not read from, nor written to, a folder other users can write to', () => {
    const pkg = packageCopy('shared');
    const cache = path.join(tmp, 'cache-shared');
    const dir = path.join(cache, `lambdalint-${process.getuid!()}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.chmodSync(dir, 0o777);
    const r = explain(pkg, cache);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.startsWith(FIRST_LINE)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
