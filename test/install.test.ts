// Install-level tests: lambdalint as users install it, never from this checkout's node_modules.
// - prebuilt/ (what the hook, the package and the Action run) is exactly what `npm run bundle`
//   builds from the committed sources;
// - pre-commit installs the hook from a clone of this repository at HEAD, with Debian's pre-commit
//   3.0 (npm install + npm pack + npm install -g) and with the procedure of pre-commit 4.6
//   (`npm install --allow-git=root --install-links -g git+file://<clone>`, languages/node.py), and
//   a planted finding fails the commit while its fix passes it.
// npm talks only to a local registry serving the locked versions from npm's cache (support/registry.ts).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';
import { startRegistry, type LocalRegistry } from './support/registry.js';
import { expectValidSarif, sarifSchemaExists } from './support/sarif.js';
import { parse as parseYaml } from 'yaml';

const isGit =
  spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim() === 'true';
const preCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
const preCommitVersion = preCommit.status === 0 ? preCommit.stdout.trim() : undefined;

let tmp: string;
let hook: string; // a clone of this repository at HEAD
let registry: LocalRegistry;

interface Ran {
  status: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** Runs a command without blocking this process: the local registry answers npm from here. */
function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      env: { ...process.env, ...registry.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 240_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

function must(r: Ran, what: string): string {
  if (r.status !== 0) throw new Error(`${what} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** A SAM project in a new git repository whose function's timeout is over Lambda's limit. */
function project(dir: string): { fix: () => void } {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  fs.mkdirSync(dir, { recursive: true });
  git('init', '-q');
  git('config', 'user.email', 'dev@example.com');
  git('config', 'user.name', 'dev');
  const template = (timeout: number) =>
    [
      "AWSTemplateFormatVersion: '2010-09-09'",
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  Orders:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Runtime: nodejs22.x',
      '      Handler: app.handler',
      '      CodeUri: src/',
      `      Timeout: ${timeout}`,
      '',
    ].join('\n');
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, 'src/app.mjs'), 'export const handler = async () => ({ statusCode: 200 });\n');
  fs.writeFileSync(path.join(dir, 'template.yaml'), template(1200));
  return { fix: () => fs.writeFileSync(path.join(dir, 'template.yaml'), template(900)) };
}

const PLANTED =
  /template\.yaml\s*\n\s*10:7\s+error\s+Timeout is 1200 s; Lambda stops every function at 900 s\.\s+timeout-limit/;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-install-'));
  registry = await startRegistry(path.join(ROOT, 'npm-shrinkwrap.json'), tmp);
  if (isGit) {
    hook = path.join(tmp, 'hook');
    execFileSync('git', ['clone', '-q', ROOT, hook], { stdio: 'ignore' });
  }
}, 120_000);

afterAll(async () => {
  await registry?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}, 120_000);

describe('prebuilt/', () => {
  it('is ASCII: Node decodes a one-byte file in half the time (a non-ASCII character esbuild keeps is in a comment: write it in ASCII)', () => {
    for (const name of fs.readdirSync(path.join(ROOT, 'prebuilt')).filter((n) => /\.c?js$/.test(n))) {
      const text = fs.readFileSync(path.join(ROOT, 'prebuilt', name), 'utf8');
      const at = text.search(/[\u0080-\uffff]/);
      const line = at < 0 ? '' : text.slice(text.lastIndexOf('\n', at) + 1, text.indexOf('\n', at));
      expect(line, `prebuilt/${name}`).toBe('');
    }
  });

  it.skipIf(!isGit)(
    'is what `npm run bundle` builds from the committed sources (run it and commit prebuilt/ when this fails)',
    async () => {
      const { build } = await import('esbuild');
      // @ts-expect-error a plain ES module script without types
      const { builds } = (await import('../scripts/bundle.mjs')) as { builds: object[] };
      // Build HEAD's sources (the clone), so that uncommitted edits do not count either way. The CLI
      // inlines a few packages: the clone finds them in this checkout's node_modules through a link,
      // kept as the path (preserveSymlinks) so the module paths esbuild writes into the bundle are
      // the ones a build in place writes.
      const built = new Map<string, string>();
      const modules = path.join(hook, 'node_modules');
      fs.symlinkSync(path.join(ROOT, 'node_modules'), modules);
      try {
        for (const options of builds) {
          const out = await build({
            ...(options as Record<string, unknown>),
            absWorkingDir: hook,
            outdir: path.join(hook, 'prebuilt'),
            preserveSymlinks: true,
            write: false,
            logLevel: 'silent',
          });
          for (const f of out.outputFiles) built.set(path.relative(hook, f.path).split(path.sep).join('/'), f.text);
        }
      } finally {
        fs.rmSync(modules);
      }
      const committed = execFileSync('git', ['ls-tree', '-r', '--name-only', 'HEAD', 'prebuilt/'], {
        cwd: hook,
        encoding: 'utf8',
      })
        .split('\n')
        .filter(Boolean);
      expect(committed.sort(), 'the files in prebuilt/').toEqual([...built.keys()].sort());
      for (const [file, text] of built)
        expect(fs.readFileSync(path.join(hook, file), 'utf8') === text, `${file} is stale`).toBe(true);
    },
  );

  it('is what the package runs, with no build script npm would run at install time', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    // pacote installs devDependencies and builds a git dependency that has any of these.
    for (const s of ['prepare', 'prepack', 'build', 'preinstall', 'install', 'postinstall'])
      expect(pkg.scripts[s], s).toBeUndefined();
    expect(pkg.bin).toEqual({ lambdalint: 'bin/lambdalint.js' });
    expect(fs.readFileSync(path.join(ROOT, 'bin/lambdalint.js'), 'utf8')).toContain("require('../prebuilt/cli.cjs')");
    expect(pkg.exports['.']).toBe('./prebuilt/index.js');
    expect(pkg.exports['./eslint-plugin']).toBe('./prebuilt/eslint-plugin.js');
  });
});

// The two installs wait mostly on npm's file work: side by side they take about as long as the slower.
describe('the package', () => {
  it('packs only what it runs: bin, prebuilt, the config schema, the ESLint 8 entry, the lock file', () => {
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' }),
    ) as { files: { path: string }[] }[];
    const top = [...new Set(packed.files.map((f) => f.path.split('/')[0]))].sort();
    expect(top).toEqual([
      'LICENSE',
      'README.md',
      'bin',
      'docs',
      'eslint-plugin-lambdalint',
      'npm-shrinkwrap.json',
      'package.json',
      'prebuilt',
      'src',
    ]);
    // From src/, only the data the IAM evaluation reads at run time: the AWS managed policy
    // documents and the IAM action names.
    expect(packed.files.filter((f) => f.path.startsWith('src/')).map((f) => f.path)).toEqual([
      'src/data/aws-managed-policies.jsonl',
      'src/data/iam-actions.json',
    ]);
    expect(packed.files.filter((f) => f.path.startsWith('docs/')).map((f) => f.path)).toEqual([
      'docs/lambdalint.schema.json',
    ]);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.license).toBe('MIT');
    expect(fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
    expect(JSON.parse(fs.readFileSync(path.join(ROOT, 'eslint-plugin-lambdalint/package.json'), 'utf8')).version).toBe(
      pkg.version,
    );
    expect(fs.readFileSync(path.join(ROOT, '.gitignore'), 'utf8').split('\n')).toContain('*.tgz');
  });
});

describe.concurrent('pre-commit', () => {
  it.skipIf(!isGit || !preCommitVersion)(
    `installs the hook with ${preCommitVersion ?? 'pre-commit (SKIPPED: pre-commit is not installed; apt-get install -y pre-commit)'} and fails the commit with the finding, passes the fix`,
    async () => {
      const dir = path.join(tmp, 'pc3');
      const p = project(dir);
      const sha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: hook, encoding: 'utf8' }).trim();
      const example = fs.readFileSync(path.join(ROOT, 'docs/examples/pre-commit-config.yaml'), 'utf8');
      const config = example.replace(/repo: \S+/, `repo: ${hook}`).replace(/rev: \S+/, `rev: ${sha}`);
      expect(config).not.toBe(example);
      fs.writeFileSync(path.join(dir, '.pre-commit-config.yaml'), config);
      const env = { PRE_COMMIT_HOME: path.join(tmp, 'pc3-home'), PRE_COMMIT_COLOR: 'never' };
      must(await run('pre-commit', ['install'], dir, env), 'pre-commit install');
      execFileSync('git', ['add', '-A'], { cwd: dir });
      const failed = await run('git', ['commit', '-q', '-m', 'orders'], dir, env);
      const log = `${failed.stdout}${failed.stderr}`;
      fs.writeFileSync(path.join(tmp, 'pre-commit-fail.log'), log);
      expect(log, log).toMatch(/lambdalint\.+Failed/);
      expect(log).toMatch(PLANTED);
      expect(failed.status).not.toBe(0);
      p.fix();
      execFileSync('git', ['add', '-A'], { cwd: dir });
      const passed = await run('git', ['commit', '-q', '-m', 'orders'], dir, env);
      const log2 = `${passed.stdout}${passed.stderr}`;
      expect(log2, log2).toMatch(/lambdalint\.+Passed/);
      expect(passed.status).toBe(0);
      process.stdout.write(
        `\n--- pre-commit (${preCommitVersion}), planted finding:\n${log}\n--- after the fix:\n${log2}\n`,
      );
    },
    300_000,
  );

  it.skipIf(!isGit)(
    "installs with pre-commit 4.6's procedure (npm install --allow-git=root --install-links -g git+file://<clone>) and runs the hook's entry",
    async () => {
      const env = path.join(tmp, 'node_env');
      // languages/node.py (pre-commit 4.6): NPM_CONFIG_PREFIX is the hook's environment.
      const vars = { NPM_CONFIG_PREFIX: env, npm_config_prefix: env };
      must(
        await run('npm', ['install', '--allow-git=root', '--install-links', '-g', `git+file://${hook}`], tmp, vars),
        'npm install -g git+file://',
      );
      const hooks = fs.readFileSync(path.join(hook, '.pre-commit-hooks.yaml'), 'utf8');
      const entry = /- id: lambdalint\n(?:\s+\w+:.*\n)*?\s+entry: (.+)\n/.exec(hooks)![1].split(' ');
      expect(entry).toEqual(['lambdalint', '--changed-files']);
      const dir = path.join(tmp, 'pc4');
      const p = project(dir);
      const bin = path.join(env, 'bin', entry[0]);
      const failed = await run(bin, [...entry.slice(1), 'template.yaml', 'src/app.mjs'], dir, { NO_COLOR: '1' });
      expect(failed.stdout).toMatch(PLANTED);
      expect(failed.status).toBe(1);
      p.fix();
      const passed = await run(bin, [...entry.slice(1), 'template.yaml'], dir, { NO_COLOR: '1' });
      expect(passed.stdout + passed.stderr).not.toContain('error');
      expect(passed.status).toBe(0);
    },
    300_000,
  );

  it.skipIf(!isGit)(
    'ESLint 8 (eslintrc) in a project that installed the tarball, with docs/examples/.eslintrc.cjs',
    async () => {
      const dir = path.join(tmp, 'eslint8');
      const p = project(dir);
      const tarball = must(await run('npm', ['pack', '--silent', '--pack-destination', tmp], hook), 'npm pack')
        .trim()
        .split('\n')
        .pop()!;
      fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "orders", "private": true }\n');
      must(
        await run('npm', ['install', '--save-dev', path.join(tmp, tarball), 'eslint@8.57.1'], dir),
        'npm install lambdalint eslint@8',
      );
      must(
        await run(
          'npm',
          ['install', '--save-dev', 'eslint-plugin-lambdalint@file:node_modules/lambdalint/eslint-plugin-lambdalint'],
          dir,
        ),
        'npm install eslint-plugin-lambdalint',
      );
      fs.copyFileSync(path.join(ROOT, 'docs/examples/.eslintrc.cjs'), path.join(dir, '.eslintrc.cjs'));
      // The lambdalint config applies in ESLint too: the finding becomes a warning (severity 1).
      fs.writeFileSync(path.join(dir, 'lambdalint.config.json'), '{ "rules": { "timeout-limit": "warning" } }\n');
      const eslint = path.join(dir, 'node_modules/eslint/bin/eslint.js');
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'node_modules/eslint/package.json'), 'utf8')).version).toMatch(
        /^8\./,
      );
      const r = await run(process.execPath, [eslint, '--format', 'json', 'template.yaml', 'src/app.mjs'], dir);
      expect(r.stderr).toBe('');
      const results = JSON.parse(r.stdout) as {
        filePath: string;
        messages: { ruleId: string; severity: number; line: number; column: number; message: string }[];
      }[];
      expect(
        results
          .map((x) => [
            path.relative(dir, x.filePath),
            x.messages.map((m) => [m.ruleId, m.severity, m.line, m.column, m.message]),
          ])
          .sort(),
      ).toEqual([
        ['src/app.mjs', []],
        [
          'template.yaml',
          [['lambdalint/timeout-limit', 1, 10, 7, 'Timeout is 1200 s; Lambda stops every function at 900 s.']],
        ],
      ]);
      p.fix();
      const fixed = await run(process.execPath, [eslint, 'template.yaml', 'src/app.mjs'], dir);
      expect(fixed.stdout + fixed.stderr).toBe('');
      expect(fixed.status).toBe(0);
    },
    300_000,
  );

  it.skipIf(!isGit)(
    "the GitHub Action's script, run as Actions runs it, lints a project in a working-directory and writes valid SARIF",
    async () => {
      // A checkout of the action as the runner makes it: the repository at a commit, nothing installed.
      const actionPath = path.join(tmp, 'action');
      execFileSync('git', ['clone', '-q', hook, actionPath], { stdio: 'ignore' });
      const action = parseYaml(fs.readFileSync(path.join(actionPath, 'action.yml'), 'utf8')) as {
        inputs: Record<string, { default: string }>;
        runs: {
          steps: {
            id?: string;
            run?: string;
            uses?: string;
            env?: Record<string, string>;
            with?: Record<string, string>;
          }[];
        };
      };
      expect(action.runs.steps.find((x) => x.uses?.startsWith('github/codeql-action/upload-sarif@'))?.uses).toMatch(
        /@[0-9a-f]{40}$/,
      );
      const step = action.runs.steps.find((x) => x.id === 'lint')!;
      expect(step.run).not.toMatch(/npx|lambdalint@/);
      const workspace = path.join(tmp, 'workspace');
      const p = project(path.join(workspace, 'services/orders'));
      fs.writeFileSync(
        path.join(workspace, 'services/orders/lambdalint.config.json'),
        '{ "rules": { "memory-limit": "off" } }\n',
      );
      const runStep = async (inputs: Record<string, string>) => {
        const values = {
          ...Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default])),
          ...inputs,
        };
        const env: Record<string, string> = {};
        // The runner gives a composite step its `env` with the expressions evaluated, and inputs as INPUT_*.
        for (const [k, v] of Object.entries(values)) env[`INPUT_${k.toUpperCase()}`] = v;
        for (const [k, v] of Object.entries(step.env!))
          env[k] = v.replace(/\$\{\{ inputs\.([a-z-]+) \}\}/g, (_, name: string) => values[name]);
        const output = path.join(tmp, 'github-output');
        fs.writeFileSync(output, '');
        const r = await run('bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', step.run!], workspace, {
          ...env,
          GITHUB_ACTION_PATH: actionPath,
          GITHUB_WORKSPACE: workspace,
          GITHUB_OUTPUT: output,
          GITHUB_ACTIONS: 'true',
          CI: 'true',
        });
        const outputs = Object.fromEntries(
          fs
            .readFileSync(output, 'utf8')
            .trim()
            .split('\n')
            .filter(Boolean)
            .map((l) => l.split('=') as [string, string]),
        );
        return { ...r, outputs };
      };
      const r = await runStep({ 'working-directory': 'services/orders', args: '--today 2026-11-26' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.outputs).toEqual({ 'sarif-file': 'services/orders/lambdalint.sarif', 'exit-code': '1' });
      expect(r.stdout).toMatch(/^::error file=template\.yaml,line=10,col=7,/m);
      const text = fs.readFileSync(path.join(workspace, 'services/orders/lambdalint.sarif'), 'utf8');
      if (sarifSchemaExists) expectValidSarif(text);
      const sarif = JSON.parse(text) as {
        runs: {
          automationDetails: { id: string };
          tool: { driver: { name: string; rules: unknown[] } };
          results: {
            ruleId: string;
            level: string;
            message: { text: string };
            locations: {
              physicalLocation: {
                artifactLocation: { uri: string };
                region: { startLine: number; startColumn: number };
              };
            }[];
          }[];
        }[];
      };
      const results = sarif.runs[0].results.map((x) => [
        x.ruleId,
        x.level,
        x.locations[0].physicalLocation.artifactLocation.uri,
        x.locations[0].physicalLocation.region.startLine,
        x.locations[0].physicalLocation.region.startColumn,
        x.message.text,
      ]);
      expect(results).toEqual([
        ['timeout-limit', 'error', 'template.yaml', 10, 7, 'Timeout is 1200 s; Lambda stops every function at 900 s.'],
      ]);
      expect(sarif.runs[0].automationDetails.id).toBe('lambdalint/');
      process.stdout.write(
        `\n--- Action simulation: SARIF ${path.relative(workspace, path.join(workspace, r.outputs['sarif-file']))}: tool ${sarif.runs[0].tool.driver.name}, ${sarif.runs[0].tool.driver.rules.length} rules, ${results.length} result(s): ${JSON.stringify(results)}; schema ${sarifSchemaExists ? 'valid' : 'not checked (no shared/ schema)'}\n`,
      );
      // A config given as an input, the fix, and a usage error.
      p.fix();
      const clean = await runStep({
        'working-directory': 'services/orders',
        config: 'lambdalint.config.json',
        format: 'stylish',
        category: 'lambdalint-orders',
      });
      expect(clean.outputs['exit-code']).toBe('0');
      // The category input reaches the SARIF (upload-sarif keeps a run's own automationDetails).
      const cleanSarif = JSON.parse(
        fs.readFileSync(path.join(workspace, 'services/orders/lambdalint.sarif'), 'utf8'),
      ) as { runs: { automationDetails: { id: string } }[] };
      expect(cleanSarif.runs[0].automationDetails.id).toBe('lambdalint-orders/');
      const bad = await runStep({ 'working-directory': 'services/orders', config: 'missing.json' });
      expect(bad.outputs['exit-code']).toBe('2');
      expect(bad.stdout).toContain('::error title=lambdalint::');
    },
    300_000,
  );
});
