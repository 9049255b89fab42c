// A run with nothing to lint loads no engine (issue #18, fixed cost): prebuilt/cli.cjs (and whatever
// it imports statically) holds the options, the config, discovery and the plain reporters; the
// loaders, the handler-code analysis, the rules and the other reporters are in prebuilt/cli-engine.cjs,
// which its dynamic import loads once discovery finds something (src/cli/main.ts, scripts/bundle.mjs).
// Its report is the engine's.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../src/cli/main.js';
import { lint, type LintOptions } from '../src/lint.js';
import { formatResult, formats } from '../src/report/index.js';
import { packageVersion } from '../src/cli/version.js';
import { FIXTURES, ROOT } from './helpers.js';

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-start-')));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const PREBUILT = path.join(ROOT, 'prebuilt');

/** The files of prebuilt/ that loading `entry` loads: its static imports and requires, transitively. */
function staticClosure(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const text = fs.readFileSync(path.join(PREBUILT, name), 'utf8');
    // `import {...} from "./x.js"` and `import "./x.js"`; not `import("./x.js")`.
    for (const m of text.matchAll(/^(?:import|export)\s[^;(]*?["']\.\/([\w.-]+\.js)["'];?$/gm)) visit(m[1]);
    // `require("./x.cjs")` (the CommonJS entry).
    for (const m of text.matchAll(/\brequire\(["']\.\/([\w.-]+\.c?js)["']\)/g)) visit(m[1]);
  };
  visit(entry);
  return [...seen].sort();
}

/** The source modules esbuild wrote into the files (its `// src/...` comments). */
function modulesIn(files: readonly string[]): string[] {
  return files.flatMap((f) =>
    [...fs.readFileSync(path.join(PREBUILT, f), 'utf8').matchAll(/^\/\/ ((?:src|rules)\/[\w/.-]+\.ts)$/gm)].map(
      (m) => m[1],
    ),
  );
}

function emptyProject(name: string, files: Record<string, string> = {}): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(path.join(dir, '.git'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "empty" }\n');
  for (const [rel, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, rel), text);
  return dir;
}

async function run(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), cwd, isTTY: false, env: {} };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

describe('a run with nothing to lint', () => {
  it('prebuilt/cli.cjs imports no engine statically: the loaders, code analysis, rules and SARIF/HTML reporters are in a file loaded on demand', async () => {
    const files = staticClosure('cli.cjs');
    const modules = modulesIn(files);
    // What the entry needs, and nothing of the engine (src/code/python-wasm.ts: the V8 flags the CLI
    // sets before the engine loads; the parser is elsewhere).
    expect(modules).toEqual(expect.arrayContaining(['src/cli/main.ts', 'src/discover/index.ts', 'src/config/load.ts']));
    const engine = modules.filter((m) =>
      /^(rules\/|src\/(lint|docs)\.ts|src\/code\/(?!python-wasm\.ts)|src\/(load|iam|values|package|fix|model)\/|src\/engine\/(run|suppress)\.ts|src\/report\/(sarif|html|patch)\.ts|src\/source\/parse\.ts)/.test(
        m,
      ),
    );
    expect(engine, `engine modules in prebuilt/${files.join(', prebuilt/')}`).toEqual([]);
    // ... and the engine is in the build: the file outside the closure holds it (the modules of its
    // build, as esbuild lists them: the file itself is minified, without esbuild's comments).
    const rest = fs.readdirSync(PREBUILT).filter((f) => f.startsWith('cli-') && !files.includes(f));
    expect(rest).toEqual(['cli-engine.cjs']);
    // @ts-expect-error a plain ES module script without types
    const { builds } = (await import('../scripts/bundle.mjs')) as { builds: Record<string, unknown>[] };
    const { build } = await import('esbuild');
    const engineBuild = builds.find((b) => (b.entryPoints as Record<string, string>)['cli-engine'])!;
    const out = await build({ ...engineBuild, outdir: PREBUILT, write: false, metafile: true });
    expect(Object.keys(out.metafile.inputs)).toEqual(
      expect.arrayContaining(['src/lint.ts', 'rules/index.ts', 'src/code/analyse.ts']),
    );
  });

  it('runs from prebuilt/cli.cjs and its static imports alone (a real spawn with every other file removed), printing what the full build prints', () => {
    // A copy of the package whose only files in prebuilt/ are cli.cjs and what it imports statically:
    // a run that loaded any other would fail with ERR_MODULE_NOT_FOUND.
    const pkg = path.join(tmp, 'pkg');
    fs.mkdirSync(path.join(pkg, 'prebuilt'), { recursive: true });
    fs.cpSync(path.join(ROOT, 'bin'), path.join(pkg, 'bin'), { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(pkg, 'package.json'));
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(pkg, 'node_modules'));
    for (const f of staticClosure('cli.cjs')) fs.copyFileSync(path.join(PREBUILT, f), path.join(pkg, 'prebuilt', f));
    const dir = emptyProject('spawned');
    const spawn = (root: string, args: string[]) =>
      spawnSync(process.execPath, [path.join(root, 'bin', 'lambdalint.js'), ...args], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      });
    for (const args of [
      [],
      ['--verbose'],
      ['-f', 'json'],
      ['-f', 'json', '--verbose'],
      ['-f', 'github'],
      ['--rule', 'vpc-config=off'],
    ]) {
      const light = spawn(pkg, args);
      const full = spawn(ROOT, args);
      expect(light.stderr, args.join(' ')).toBe('');
      expect({ status: light.status, stdout: light.stdout }, args.join(' ')).toEqual({
        status: full.status,
        stdout: full.stdout,
      });
      expect(light.status).toBe(0);
    }
    expect(spawn(pkg, []).stdout).toBe('✔ No problems found in 0 templates, 0 functions\n');
    // SARIF lists every rule: it loads the engine, which this copy lacks.
    expect(spawn(pkg, ['-f', 'sarif']).stderr).toMatch(/no such file .*prebuilt\/cli-engine\.cjs/);
    expect(spawn(ROOT, ['-f', 'sarif']).status).toBe(0);
  });

  it('writes its report to a pipe or a socket without building a Node stream: node:net, node:stream and node:tty stay unloaded', () => {
    const dir = emptyProject('streamless');
    // At exit, the built-in modules the process loaded, on stderr (written directly: no stream either).
    const probe = path.join(tmp, 'probe.cjs');
    fs.writeFileSync(
      probe,
      "process.on('exit', () => require('node:fs').writeSync(2, JSON.stringify(process.moduleLoadList)));\n",
    );
    for (const args of [['-f', 'json'], []]) {
      // spawnSync's stdout and stderr are sockets; the shell's `|` makes a pipe.
      const r = spawnSync(process.execPath, ['--require', probe, path.join(ROOT, 'bin', 'lambdalint.js'), ...args], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      });
      expect(r.status, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(' ')).toBe(
        args.length
          ? '{\n  "version": 1,\n  "findings": [],\n  "coverage": {\n    "functions": 0,\n    "notChecked": []\n  }\n}\n'
          : '✔ No problems found in 0 templates, 0 functions\n',
      );
      const loaded = (JSON.parse(r.stderr) as string[]).filter((m) => /^NativeModule (net|stream|tty)$/.test(m));
      expect(loaded, args.join(' ')).toEqual([]);
    }
  });

  it("prints what the engine's lint() and reporters print for it, in every format, with a config or none", async () => {
    const bare = emptyProject('bare');
    const configured = emptyProject('configured', {
      'lambdalint.config.json': JSON.stringify({
        rules: { 'tracing-disabled': 'off', 'reserved-concurrency': ['warning', { accountLimit: 2000 }] },
        ignores: ['build/**'],
        accountConcurrencyLimit: 3000,
      }),
    });
    for (const dir of [bare, configured]) {
      for (const format of formats) {
        for (const extra of [[], ['--verbose'], ['--rule', 'memory-limit:info']]) {
          const cli = await run(['-f', format, '--today', '2026-11-26', ...extra], dir);
          const severities: LintOptions['rules'] = extra[0] === '--rule' ? { 'memory-limit': 'info' } : {};
          const config: LintOptions =
            dir === configured
              ? {
                  rules: { 'tracing-disabled': 'off', 'reserved-concurrency': 'warning', ...severities },
                  ruleOptions: { 'reserved-concurrency': { accountLimit: 3000 } },
                  ignores: ['build/**'],
                }
              : { rules: severities };
          const result = await lint({
            cwd: dir,
            today: new Date('2026-11-26T00:00:00Z'),
            collectNeeds: format === 'html',
            ...config,
          });
          const report = formatResult(result, format, {
            color: false,
            version: packageVersion(),
            category: 'lambdalint',
          });
          const what = `${path.basename(dir)} -f ${format} ${extra.join(' ')}`;
          expect(cli, what).toEqual({ code: 0, stdout: report, stderr: '' });
        }
      }
    }
  });

  it('goes through the engine once discovery finds something', async () => {
    const dir = path.join(FIXTURES, 'vpc-config', 'positive', 'cfn-yaml-empty-subnets');
    const cli = await run(['-f', 'stylish', '--today', '2026-11-26'], dir);
    const result = await lint({ cwd: dir, today: new Date('2026-11-26T00:00:00Z') });
    expect(result.findings.map((f) => f.ruleId)).toEqual(['vpc-config', 'vpc-config']);
    expect(cli).toEqual({
      code: 1,
      stdout: formatResult(result, 'stylish', { color: false, version: '' }),
      stderr: '',
    });
  });
});
