// --shard i/n: the shares of a monorepo's projects are disjoint and their findings add up to the
// findings of the whole run; each share's SARIF is a code scanning analysis of its own.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateProject } from '../bench/generate.js';
import { main, type Io } from '../src/cli/main.js';
import { parseShard, shardOfFolder } from '../src/discover/shard.js';
import { lint } from '../src/lint.js';
import { mayCallModules } from '../src/source/terraform-files.js';
import { FIXTURES } from './helpers.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-shard-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    cwd: root,
    isTTY: false,
    env: {},
  };
  const code = await main([...args, '--today', '2026-11-26', '--threads', '1'], io);
  return { code, stdout, stderr };
}

interface Report {
  findings: { ruleId: string; file: string; line: number; column: number; message: string }[];
  coverage: { functions: number; notChecked: unknown[] };
}
const key = (f: Report['findings'][number]) => `${f.file}:${f.line}:${f.column} ${f.ruleId} ${f.message}`;

beforeAll(() => {
  generateProject(root, { functions: 90, defectEvery: 3 });
  // A Terraform root whose module folder is a project folder of its own: the module is loaded with
  // its root, in the root's share, and never as a root in another share.
  fs.cpSync(path.join(FIXTURES, 'timeout-limit/positive/terraform-module-for-each'), path.join(root, 'tf-modules'), {
    recursive: true,
  });
  fs.rmSync(path.join(root, 'tf-modules/expected.json'));
});

describe('--shard', () => {
  it('splits the projects into disjoint shares whose findings add up to the whole run', async () => {
    const whole = await run(['--format', 'json', '.']);
    const all = JSON.parse(whole.stdout) as Report;
    expect(all.findings.length).toBeGreaterThan(20);
    expect(all.findings.some((f) => f.file.startsWith('tf-modules/') && f.ruleId === 'timeout-limit')).toBe(true);
    const seen = new Map<string, number>();
    let functions = 0;
    for (const i of [1, 2, 3]) {
      const part = await run(['--format', 'json', '--shard', `${i}/3`, '.']);
      expect(part.code).toBe(1);
      const r = JSON.parse(part.stdout) as Report;
      expect(r.findings.length).toBeGreaterThan(0);
      functions += r.coverage.functions;
      for (const f of r.findings) {
        expect(seen.has(key(f)), `${key(f)} in shards ${seen.get(key(f))} and ${i}`).toBe(false);
        seen.set(key(f), i);
      }
    }
    expect([...seen.keys()].sort()).toEqual(all.findings.map(key).sort());
    expect(functions).toBe(all.coverage.functions);
  }, 120_000);

  it('gives each share its own runAutomationDetails.id in SARIF', async () => {
    const id = async (args: string[]) =>
      (
        JSON.parse((await run(['--format', 'sarif', ...args, '.'])).stdout) as {
          runs: { automationDetails: { id: string } }[];
        }
      ).runs[0].automationDetails.id;
    expect(await id([])).toBe('lambdalint/');
    expect(await id(['--shard', '2/3'])).toBe('lambdalint/shard-2-of-3/');
    // upload-sarif writes its category input only into runs without one: the Action passes it here.
    expect(await id(['--sarif-category', 'lambdalint-api'])).toBe('lambdalint-api/');
    expect(await id(['--sarif-category', 'lambdalint-api', '--shard', '2/3'])).toBe('lambdalint-api/shard-2-of-3/');
    const bad = await run(['--format', 'sarif', '--sarif-category', 'has space', '.']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      "lambdalint: --sarif-category: 'has space' is not a category (letters, digits, . _ - : @ +, parts separated by /)\n",
    );
  }, 120_000);

  it("parses another share's Terraform files only when they may call a module", async () => {
    // Eight Terraform roots of one function each, and a ninth whose module block calls the first
    // (which is then a module, not a root, in every share). A share reads its own folders' files and
    // the caller's; the other roots' files, which call no module, are not parsed.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-shard-tf-'));
    try {
      const fn = (name: string) =>
        [
          `resource "aws_lambda_function" "${name}" {`,
          `  function_name = "${name}"`,
          '  runtime       = "python3.12"',
          '  handler       = "index.handler"',
          '  role          = "arn:aws:iam::123456789012:role/r"',
          '  filename      = "${path.module}/build.zip"',
          '  timeout       = 1000',
          '}',
          '',
        ].join('\n');
      for (let i = 0; i < 8; i++) {
        fs.mkdirSync(path.join(dir, `t${i}`));
        fs.writeFileSync(path.join(dir, `t${i}`, 'main.tf'), fn(`f${i}`));
      }
      fs.mkdirSync(path.join(dir, 'caller'));
      fs.writeFileSync(path.join(dir, 'caller', 'main.tf'), 'module "m" {\n  source = "../t0"\n}\n');
      const shardOf = (d: string) => shardOfFolder(dir, path.join(dir, d), 4);
      const shard = shardOf('caller') === 1 ? 2 : 1; // a share without the caller
      const mine = [0, 1, 2, 3, 4, 5, 6, 7].filter((i) => shardOf(`t${i}`) === shard);
      const r = await lint({
        cwd: dir,
        paths: ['.'],
        shard: { index: shard, count: 4 },
        threads: 1,
        today: new Date('2026-11-26'),
      });
      // Its own folders' files, and the caller's (read for its module block; another share loads it).
      expect(r.stats.files).toBe(mine.length + 1);
      // t0 is a module, in no share a root of its own.
      const roots = mine.filter((i) => i !== 0).map((i) => `f${i}`);
      expect(
        r.findings
          .filter((f) => f.ruleId === 'timeout-limit')
          .map((f) => f.function)
          .sort(),
      ).toEqual(roots.map((f) => `aws_lambda_function.${f}`).sort());
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tells a Terraform file that may call a module from one that cannot', () => {
    for (const text of ['module "m" {', '  module m {', '/* x */ module "m" {', '{ "module": { "m": {} } }'])
      expect(mayCallModules(text), text).toBe(true);
    for (const text of ['filename = "${path.module}/a.zip"', 'value = module.m.arn', 'modules = 3', '# the modules'])
      expect(mayCallModules(text), text).toBe(false);
  });

  it('puts a folder in the same share whatever the other projects, and refuses a bad i/n', async () => {
    expect(shardOfFolder('/repo', '/repo/services/orders', 4)).toBe(
      shardOfFolder('/other', '/other/services/orders', 4),
    );
    expect(parseShard('3/4')).toEqual({ index: 3, count: 4 });
    for (const bad of ['0/4', '5/4', '1/0', 'x', '1-4']) expect(typeof parseShard(bad)).toBe('string');
    const r = await run(['--shard', '5/4', '.']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("lambdalint: --shard takes i/n with 1 <= i <= n (for example 1/4), not '5/4'\n");
  });
});
