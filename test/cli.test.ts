// The command line: formats, exit codes, usage errors, parse errors, --output-file.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../src/cli/main.js';
import { FIXTURES, ROOT } from './helpers.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function run(args: string[], cwd = FIXTURES): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), cwd, isTTY: false, env: {} };
  const code = await main([...args, '--today', '2026-11-26'], io);
  return { code, stdout, stderr };
}

function project(name: string, files: Record<string, string>): string {
  const dir = path.join(tmp, name);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const CLEAN = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs22.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Timeout: 30
      Code:
        S3Bucket: b
        S3Key: k.zip
`;

describe('json output', () => {
  it('follows the docs/RULES.md contract exactly', async () => {
    const { code, stdout } = await run(['--format', 'json', 'timeout-limit/positive/sam-globals-inherited']);
    expect(code).toBe(1);
    const out = JSON.parse(stdout);
    expect(Object.keys(out)).toEqual(['version', 'findings', 'coverage']);
    expect(out.version).toBe(1);
    expect(out.coverage).toEqual({ functions: 2, notChecked: [] });
    const timeout = out.findings.find((f: { ruleId: string }) => f.ruleId === 'timeout-limit');
    // The timeout comes from Globals: the finding points at that line and names the function.
    expect(timeout).toEqual({
      ruleId: 'timeout-limit',
      severity: 'error',
      message: 'Timeout is 1200 s; Lambda stops every function at 900 s.',
      file: 'timeout-limit/positive/sam-globals-inherited/template.yaml',
      line: 8,
      column: 5,
      endLine: 8,
      endColumn: 18,
      function: 'ReportBuilder',
      related: [
        {
          file: 'timeout-limit/positive/sam-globals-inherited/template.yaml',
          line: 12,
          column: 3,
          endLine: 12,
          endColumn: 16,
          message: 'inherited by ReportBuilder',
        },
      ],
    });
  });

  it('reports a value many functions inherit once, with every function as related', async () => {
    const { stdout } = await run(['--format', 'json', 'demo']);
    const runtime = JSON.parse(stdout).findings.filter((f: { ruleId: string }) => f.ruleId === 'deprecated-runtime');
    expect(runtime).toHaveLength(1);
    expect(runtime[0]).toMatchObject({ file: 'demo/template.yaml', line: 19, column: 5, function: 'OrderWorker' });
    expect(runtime[0].related.map((r: { line: number; message: string }) => `${r.line} ${r.message}`)).toEqual([
      '63 inherited by OrderWorker',
      '78 inherited by NightlyReport',
    ]);
  });

  it('ends the quick start demo with the coverage summary line', async () => {
    const { code, stdout } = await run(['demo']);
    expect(code).toBe(1);
    const lines = stdout.trimEnd().split('\n');
    expect(lines.at(-2)).toBe('✖ 14 problems (9 errors, 5 warnings)');
    expect(lines.at(-1)).toBe(
      '8 functions checked; permission rules skipped for 1: role from parameter AuditExportRoleArn (1)',
    );
    // The headline findings stay.
    for (const rule of [
      'timeout-limit',
      'vpc-config',
      'memory-limit',
      'deprecated-runtime',
      'latest-in-production',
      'sqs-visibility-timeout',
    ])
      expect(stdout).toContain(`  ${rule}`);
  });

  it('does not report a VpcConfig completed by merging with Globals', async () => {
    const { code, stdout } = await run(['-f', 'json', 'vpc-config/negative/sam-globals-completed']);
    expect(JSON.parse(stdout).findings).toEqual([]);
    expect(code).toBe(0);
  });
});

describe('exit codes', () => {
  it('exits 0 on a clean project', async () => {
    const dir = project('clean', { 'template.yaml': CLEAN });
    const r = await run(['-f', 'json', dir]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).findings).toEqual([]);
  });

  it('exits 1 on errors, and on warnings past --max-warnings only', async () => {
    const warnOnly = 'latest-in-production/positive/sam-stage-default-prod';
    expect((await run(['-f', 'json', warnOnly])).code).toBe(0);
    const r = await run(['-f', 'json', '--max-warnings', '0', warnOnly]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('too many warnings (maximum: 0)');
    expect((await run(['-f', 'json', '--max-warnings', '5', warnOnly])).code).toBe(0);
  });

  it('exits 2 with one clear line for an unknown option, format, rule or missing path', async () => {
    for (const [args, msg] of [
      [['--frobnicate'], "Unknown option '--frobnicate'"],
      [['--format', 'xml'], "unknown format 'xml'"],
      [['--rule', 'no-such-rule=off'], "unknown rule 'no-such-rule'"],
      [['--rule', 'timeout-limit=loud'], '--rule takes id=severity'],
      [['--max-warnings', 'many'], '--max-warnings takes a whole number'],
      [['does/not/exist'], 'No such file or directory: does/not/exist'],
    ] as const) {
      const r = await run([...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(msg);
      expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
      expect(r.stdout).toBe('');
    }
  });

  it('turns a rule off with --rule id=off', async () => {
    const r = await run(['-f', 'json', '--rule', 'timeout-limit=off', 'timeout-limit/positive/cfn-json-not-whole']);
    expect(JSON.parse(r.stdout).findings.filter((f: { ruleId: string }) => f.ruleId === 'timeout-limit')).toEqual([]);
  });

  it('changes a severity with --rule id=warning', async () => {
    const r = await run(['-f', 'json', '--rule', 'timeout-limit=warn', 'timeout-limit/positive/cdk-out-too-long']);
    const sev = JSON.parse(r.stdout)
      .findings.filter((f: { ruleId: string }) => f.ruleId === 'timeout-limit')
      .map((f: { severity: string }) => f.severity);
    expect(sev.length).toBeGreaterThan(0);
    expect(new Set(sev)).toEqual(new Set(['warning']));
    expect(r.code).toBe(0);
  });
});

describe('bad input', () => {
  it('reports an unparseable template as parse-error at the parser position and goes on', async () => {
    const dir = project('broken', {
      'good/template.yaml': CLEAN.replace('Timeout: 30', 'Timeout: 1000'),
      'bad/template.yaml':
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: [unclosed\n",
      'bad/other.json':
        '{ "AWSTemplateFormatVersion": "2010-09-09", "Resources": { "A": { "Type": "AWS::SQS::Queue" }, }',
    });
    const r = await run(['-f', 'json', '.'], dir);
    const findings = JSON.parse(r.stdout).findings as { ruleId: string; file: string; line: number; message: string }[];
    expect(r.code).toBe(1);
    const parse = findings.filter((f) => f.ruleId === 'parse-error');
    expect(parse.map((f) => f.file).sort()).toEqual(['bad/other.json', 'bad/template.yaml']);
    expect(parse.find((f) => f.file === 'bad/template.yaml')!.message).toMatch(/^invalid YAML: /);
    expect(parse.find((f) => f.file === 'bad/other.json')).toMatchObject({
      line: 1,
      message: 'invalid JSON: property name expected',
    });
    expect(findings.some((f) => f.ruleId === 'timeout-limit' && f.file === 'good/template.yaml')).toBe(true);
    expect(r.stderr).toBe('');
  });
});

describe('other formats', () => {
  it('prints stylish output with a code frame, a help line and a summary', async () => {
    const r = await run(['timeout-limit/positive/cfn-yaml-parameter-default']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('timeout-limit/positive/cfn-yaml-parameter-default/template.yaml');
    expect(r.stdout).toContain('Timeout is 1800 s; Lambda stops every function at 900 s.');
    expect(r.stdout).toContain('Timeout: !Ref ExportTimeout');
    expect(r.stdout).toMatch(/help: /);
    expect(r.stdout).toMatch(/1 problem|problems/);
    expect(r.stdout.includes('\u001b[')).toBe(false); // no colours when not a terminal
  });

  it('writes the report to --output-file and prints nothing', async () => {
    const out = path.join(tmp, 'out', 'report.sarif');
    const r = await run(['-f', 'sarif', '-o', out, 'timeout-limit/positive/cdk-out-too-long']);
    expect(r.stdout).toBe('');
    const sarif = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results[0].ruleId).toBe('timeout-limit');
  });

  it('prints workflow commands with --format github', async () => {
    const r = await run(['-f', 'github', 'vpc-config/positive/cfn-yaml-empty-subnets']);
    expect(r.stdout).toMatch(/^::error file=vpc-config\/positive\/cfn-yaml-empty-subnets\/template\.yaml,line=13,/m);
  });

  it('prints --help and --version', async () => {
    expect((await run(['--help'])).stdout).toContain('Usage: lambdalint');
    expect((await run(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  // What users run is bin/lambdalint.js → prebuilt/cli.cjs, bundled by `npm run bundle` (which
  // `npm test` runs first; test/install.test.ts checks the committed copy): the same report as the
  // sources, for every format and parser the fixtures use.
  it('the built CLI reports exactly what the sources report', { timeout: 180_000 }, async () => {
    const bin = path.join(ROOT, 'bin', 'lambdalint.js');
    const built = path.join(ROOT, 'prebuilt', 'cli.cjs');
    expect(fs.existsSync(built), 'prebuilt/cli.cjs is missing: run npm run bundle (npm test does)').toBe(true);
    const newest = Math.max(
      ...['src', 'rules'].flatMap((d) =>
        fs
          .readdirSync(path.join(ROOT, d), { recursive: true, encoding: 'utf8' })
          .map((f) => fs.statSync(path.join(ROOT, d, f)).mtimeMs),
      ),
    );
    expect(
      fs.statSync(built).mtimeMs >= newest,
      'prebuilt/ is older than the sources: run npm run bundle (npm test does)',
    ).toBe(true);
    const cli = spawnSync(process.execPath, [bin, '--format', 'json', '--today', '2026-11-26', '.'], {
      cwd: FIXTURES,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(cli.stderr).toBe('');
    const fromSource = await run(['--format', 'json', '.']);
    expect(cli.status).toBe(fromSource.code);
    const files = new Set(
      (JSON.parse(cli.stdout) as { findings: { file: string }[] }).findings.map((f) => path.extname(f.file)),
    );
    expect([...files].sort()).toEqual(expect.arrayContaining(['.js', '.json', '.mjs', '.py', '.tf', '.ts', '.yaml']));
    expect(cli.stdout).toBe(fromSource.stdout);
  }); // two complete runs over every fixture: past the default timeout on a loaded machine

  it('says why handler code was not read when the JavaScript parser cannot load', () => {
    const bin = path.join(ROOT, 'bin', 'lambdalint.js');
    const dir = path.join(FIXTURES, 'handler-not-found', 'positive', 'cdk-asset-wrong-export');
    // napi-rs loaders take their native library from this variable: a path that does not exist is a
    // platform without a binding.
    const r = spawnSync(process.execPath, [bin, '--verbose', '--today', '2026-11-26', '.'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NAPI_RS_NATIVE_LIBRARY_PATH: path.join(tmp, 'missing.node') },
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('No problems found');
    expect(r.stderr).toMatch(/asset\.7d1c0ffee\/index\.js could not be parsed \(Cannot find native binding/);
  });
});

describe('a CDK app never synthesized', () => {
  it('is named on the summary line and in JSON, not passed as an empty folder', async () => {
    const dir = project('cdk-not-synthesized', {
      '.git/HEAD': 'ref: refs/heads/main\n',
      'cdk.json': '{"app": "npx ts-node --prefer-ts-exts bin/app.ts"}',
      'bin/app.ts': "import { App } from 'aws-cdk-lib';\nnew App();\n",
    });
    const text = await run([], dir);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      '0 functions checked; some checks skipped for 1: CDK app not synthesized: its stacks and functions are not checked (1)',
    );
    const json = await run(['--format', 'json'], dir);
    expect(JSON.parse(json.stdout).coverage.notChecked).toEqual([
      {
        file: 'cdk.json',
        rules: [],
        reason:
          'CDK app not synthesized: its stacks and functions are not checked (no cloud assembly at cdk.out: run `cdk synth`, then lint again)',
      },
    ]);
  });
});
