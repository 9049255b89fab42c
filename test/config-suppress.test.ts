// Configuration files, suppressions (comments, resource Metadata, baseline), changed-file
// selection, `explain`, and the command lines of .pre-commit-hooks.yaml and action.yml.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { main, type Io } from '../src/cli/main.js';
import { lint } from '../src/lint.js';
import { configSchema } from '../src/config/schema.js';
import { findConfig } from '../src/config/load.js';
import { KNOWN_RULES } from '../src/data/known-rules.js';
import { checkOptions, withDefaults } from '../src/engine/options.js';
import { projectPathsFor } from '../src/discover/projects.js';
import { rules } from '../rules/index.js';
import { listCases, ROOT, TODAY } from './helpers.js';

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-cfg-')));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let n = 0;
function project(files: Record<string, string>): string {
  const dir = path.join(tmp, `p${++n}`);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

async function run(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), cwd, isTTY: false, env: {} };
  const code = await main([...args, '--today', '2026-11-26'], io);
  return { code, stdout, stderr };
}

type F = { ruleId: string; file: string; line: number; column: number; severity: string; message: string };
const json = (stdout: string): F[] => JSON.parse(stdout).findings;

// One function, a role outside the stack (so no permission rule can speak), timeout over 900 s.
const TEMPLATE = (timeout = 1200, extra = '') => `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn:
    Type: AWS::Lambda::Function${extra}
    Properties:
      Runtime: nodejs22.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Timeout: ${timeout}
      Code:
        S3Bucket: b
        S3Key: k.zip
`;

describe('config file', () => {
  it('is found upward from the working directory and sets severities', async () => {
    const dir = project({
      'lambdalint.config.json': '{ "rules": { "timeout-limit": "warn" } }',
      'svc/template.yaml': TEMPLATE(),
    });
    const r = await run(['-f', 'json', '.'], path.join(dir, 'svc'));
    expect(json(r.stdout)).toMatchObject([
      { ruleId: 'timeout-limit', severity: 'warning', file: 'template.yaml', line: 9, column: 7 },
    ]);
    expect(r.code).toBe(0);
  });

  it('reads YAML, package.json#lambdalint and .mjs, and the CLI --rule overrides it', async () => {
    for (const [name, text] of [
      ['lambdalint.config.yaml', 'rules:\n  timeout-limit: off\n'],
      ['package.json', '{ "name": "x", "lambdalint": { "rules": { "timeout-limit": ["off"] } } }'],
      ['lambdalint.config.mjs', 'export default { rules: { "timeout-limit": { severity: "off" } } };\n'],
    ]) {
      const dir = project({ [name]: text, 'template.yaml': TEMPLATE() });
      expect(json((await run(['-f', 'json'], dir)).stdout), name).toEqual([]);
      const back = await run(['-f', 'json', '--rule', 'timeout-limit:error'], dir);
      expect(
        json(back.stdout).map((f) => f.ruleId),
        name,
      ).toEqual(['timeout-limit']);
      expect(back.code).toBe(1);
    }
  });

  it("is the first in each folder, nearest first, of package.json with a lambdalint key and lambdalint.config.{json,yaml,yml,mjs,cjs,js}; blank files and package.json without the key are passed over (lilconfig's search)", async () => {
    const cases: [Record<string, string>, string | undefined][] = [
      [{ 'package.json': '{ "name": "x" }', 'lambdalint.config.json': '{}' }, 'lambdalint.config.json'],
      [{ 'package.json': '{ "lambdalint": {} }', 'lambdalint.config.json': '{}' }, 'package.json'],
      [{ 'package.json': '{ "lambdalint": null }', 'lambdalint.config.yml': 'rules: {}\n' }, 'lambdalint.config.yml'],
      [
        { 'package.json': '{ "lambdalint": false }', 'lambdalint.config.cjs': 'module.exports = {};\n' },
        'lambdalint.config.cjs',
      ],
      [{ 'lambdalint.config.json': ' \n', 'lambdalint.config.yaml': 'rules: {}\n' }, 'lambdalint.config.yaml'],
      [
        { 'lambdalint.config.js': 'export default {};\n', 'lambdalint.config.mjs': 'export default {};\n' },
        'lambdalint.config.mjs',
      ],
      [{ 'sub/package.json': '{ "lambdalint": {} }', 'lambdalint.config.json': '{}' }, 'sub/package.json'],
      [{ 'sub/package.json': '{ "name": "x" }', 'lambdalint.config.json': '{}' }, 'lambdalint.config.json'],
      [{ 'sub/lambdalint.config.json': '', 'package.json': '{ "lambdalint": { "rules": {} } }' }, 'package.json'],
      [{ 'sub/package.json': '{ "name": "x" }' }, undefined],
    ];
    for (const [files, expected] of cases) {
      const dir = project({ 'sub/.keep': '', ...files });
      const config = await findConfig(path.join(dir, 'sub'), KNOWN_RULES);
      expect(config.file && path.relative(dir, config.file), JSON.stringify(files)).toBe(expected);
    }
    // A package.json that is not JSON stops the search, naming the file.
    const bad = project({ 'sub/package.json': '{ "lambdalint": ', 'lambdalint.config.json': '{}' });
    await expect(findConfig(path.join(bad, 'sub'), KNOWN_RULES)).rejects.toThrow(/sub\/package\.json: invalid JSON/);
  });

  it('drops findings in ignored files, relative to the config file', async () => {
    const dir = project({
      'lambdalint.config.json': '{ "ignores": ["legacy/"] }',
      'legacy/template.yaml': TEMPLATE(),
      'new/template.yaml': TEMPLATE(1000),
    });
    const r = await run(['-f', 'json'], dir);
    expect(json(r.stdout).map((f) => `${f.file}:${f.message}`)).toEqual([
      'new/template.yaml:Timeout is 1000 s; Lambda stops every function at 900 s.',
    ]);
  });

  it('exits 2 naming the file, the line and column (JSON, YAML) or the key path (modules), and the problem', async () => {
    const options = `{
  "rules": {
    "timeout-limit": "warn",
    "reserved-concurrency": ["error", { "accountLimt": 3000 }]
  }
}
`;
    const yamlOptions = `rules:
  reserved-concurrency:
    severity: error
    options:
      accountLimit: "3000"
`;
    for (const [name, text, problem] of [
      [
        'lambdalint.config.json',
        '{ "rules": { "timeout-limit": "loud" } }',
        '1:31: rules.timeout-limit: severity must be one of error, warning, warn, info, off (got "loud")',
      ],
      [
        'lambdalint.config.json',
        '{ "rules": { "no-such": "off" } }',
        "1:14: rules.no-such: unknown rule (run 'lambdalint --help' or see docs/rules/)",
      ],
      [
        'lambdalint.config.json',
        '{ "rulez": {} }',
        "1:3: unknown key 'rulez' (allowed: $schema, rules, ignores, productionStages, stage, accountConcurrencyLimit)",
      ],
      ['lambdalint.config.json', '{ "rules": ', 'invalid JSON'],
      [
        'lambdalint.config.yaml',
        'productionStages: prod\n',
        '1:19: productionStages must be a list of non-empty strings',
      ],
      ['lambdalint.config.yaml', 'ignores:\n  - a/\n  - 3\n', '3:5: ignores must be a list of non-empty strings'],
      [
        'lambdalint.config.yaml',
        'accountConcurrencyLimit: -5\n',
        '1:26: accountConcurrencyLimit must be a whole number of at least 101 (got -5)',
      ],
      // Rule options, checked against the schemas in the rules' metadata.
      [
        'lambdalint.config.json',
        options,
        "4:41: rules.reserved-concurrency[1].accountLimt: unknown option 'accountLimt' (reserved-concurrency takes accountLimit)",
      ],
      [
        'lambdalint.config.yml',
        yamlOptions,
        '5:21: rules.reserved-concurrency.options.accountLimit: must be a whole number of at least 101 (got "3000")',
      ],
      [
        'lambdalint.config.json',
        '{ "rules": { "memory-limit": ["error", { "max": 1 }] } }',
        "1:42: rules.memory-limit[1].max: unknown option 'max' (memory-limit takes no options)",
      ],
      [
        'lambdalint.config.json',
        '{ "rules": { "memory-limit": { "severity": "off", "option": {} } } }',
        "1:51: rules.memory-limit: unknown key 'option' (allowed: severity, options)",
      ],
      [
        'package.json',
        '{\n  "name": "x",\n  "lambdalint": { "rules": { "timeout-limit": "loud" } }\n}\n',
        '3:47: rules.timeout-limit: severity must be one of error, warning, warn, info, off (got "loud")',
      ],
      // Modules: no positions to read, the key path says where.
      [
        'lambdalint.config.mjs',
        "export default { rules: { 'reserved-concurrency': ['error', { accountLimit: 50 }] } };\n",
        'rules.reserved-concurrency[1].accountLimit: must be a whole number of at least 101 (got 50)',
      ],
      [
        'lambdalint.config.cjs',
        'module.exports = { rules: { "timeout-limit": { severity: "error", options: { seconds: 1 } } } };\n',
        "rules.timeout-limit.options.seconds: unknown option 'seconds' (timeout-limit takes no options)",
      ],
    ]) {
      const dir = project({ [name]: text, 'template.yaml': TEMPLATE() });
      const r = await run(['-f', 'json'], dir);
      expect(r.code, text).toBe(2);
      expect(r.stderr).toContain(
        `lambdalint: invalid configuration in ${name}${/^\d/.test(problem) ? ':' : ': '}${problem}`,
      );
      expect(r.stdout).toBe('');
    }
  });

  it('gives a rule its options, defaults for the rest', async () => {
    const dir = project({
      'lambdalint.config.yaml': 'rules:\n  reserved-concurrency: [error, { accountLimit: 3000 }]\n',
      'template.yaml': TEMPLATE(),
    });
    const r = await run(['-f', 'json'], dir);
    expect(r.code).toBe(1);
    const { readConfigFile } = await import('../src/config/load.js');
    const config = await readConfigFile(path.join(dir, 'lambdalint.config.yaml'), rules);
    expect(config.ruleOptions).toEqual({ 'reserved-concurrency': { accountLimit: 3000 } });
    // Every declared option's default passes its own schema.
    for (const r of rules) expect(checkOptions(r.id, r.options, withDefaults(r.options, {})), r.id).toBeUndefined();
    expect(withDefaults(rules.find((r) => r.id === 'reserved-concurrency')!.options, {})).toEqual({
      accountLimit: 1000,
    });
  });

  it('takes --config and --no-config', async () => {
    const dir = project({
      'lambdalint.config.json': '{ "rules": { "timeout-limit": "off" } }',
      'ci.yaml': 'rules: { timeout-limit: info }\n',
      'template.yaml': TEMPLATE(),
    });
    expect(json((await run(['-f', 'json', '--config', 'ci.yaml'], dir)).stdout).map((f) => f.severity)).toEqual([
      'info',
    ]);
    expect(json((await run(['-f', 'json', '--no-config'], dir)).stdout).map((f) => f.severity)).toEqual(['error']);
    const missing = await run(['--config', 'nope.json'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.json: cannot read the file (ENOENT)');
  });

  it('names production stages and the stage', async () => {
    const tpl = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Stage:
    Type: String
    Default: main
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs22.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: { S3Bucket: b, S3Key: k.zip }
  Alias:
    Type: AWS::Lambda::Alias
    Properties:
      FunctionName: !Ref Fn
      FunctionVersion: $LATEST
      Name: live
`;
    const plain = project({ 'template.yaml': tpl });
    expect(json((await run(['-f', 'json'], plain)).stdout).filter((f) => f.ruleId === 'latest-in-production')).toEqual(
      [],
    );
    const named = project({ 'lambdalint.config.json': '{ "productionStages": ["main"] }', 'template.yaml': tpl });
    expect(
      json((await run(['-f', 'json'], named)).stdout).filter((f) => f.ruleId === 'latest-in-production').length,
    ).toBeGreaterThan(0);
  });

  it('has a JSON schema that accepts what the loader accepts and rejects what it rejects', () => {
    const ajv = new Ajv2020({ allErrors: true });
    const validate = ajv.compile(configSchema(rules));
    const good = {
      rules: {
        'timeout-limit': 'warn',
        'reserved-concurrency': ['error', { accountLimit: 3000 }],
        'vpc-config': { severity: 'off' },
      },
      ignores: ['a/'],
      productionStages: ['main'],
      stage: 'dev',
      accountConcurrencyLimit: 3000,
    };
    expect(validate(good), ajv.errorsText(validate.errors)).toBe(true);
    const bads = [
      { rules: { 'timeout-limit': 'loud' } },
      { rules: { nope: 'off' } },
      { rulez: {} },
      { accountConcurrencyLimit: 0 },
      { accountConcurrencyLimit: 100 },
      { ignores: 'a/' },
      { rules: { 'memory-limit': ['error', { x: 1 }] } },
      { rules: { 'reserved-concurrency': { options: { accountLimit: '3000' } } } },
      { rules: { 'reserved-concurrency': ['error', { accountLimt: 3000 }] } },
    ];
    for (const bad of bads) {
      expect(validate(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it('has a JSON schema for editors that is current and lists every rule', () => {
    const file = path.join(ROOT, 'docs/lambdalint.schema.json');
    expect(JSON.parse(fs.readFileSync(file, 'utf8')), 'run `npm run docs`').toEqual(configSchema(rules));
    const props = (configSchema(rules).properties as { rules: { properties: object } }).rules.properties;
    expect(Object.keys(props).sort()).toEqual(rules.map((r) => r.id).sort());
  });
});

describe('suppressions', () => {
  it('honours # lambdalint-disable-next-line with a reason, and the ESLint spelling', async () => {
    for (const comment of [
      '# lambdalint-disable-next-line timeout-limit -- batch job, runs on Fargate soon',
      '# eslint-disable-next-line lambdalint/timeout-limit -- batch job',
    ]) {
      const dir = project({
        'template.yaml': TEMPLATE().replace('      Timeout:', `      ${comment}\n      Timeout:`),
      });
      const res = await lint({ cwd: dir, today: TODAY });
      expect(res.findings, comment).toEqual([]);
      expect(res.suppressed!.map((f) => [f.ruleId, f.line, f.suppressions])).toEqual([
        ['timeout-limit', 10, [{ kind: 'directive', justification: comment.split(' -- ')[1] }]],
      ]);
    }
  });

  it('reads a template a second time only when it mentions lambdalint (a 15 MB one was twice in memory)', async () => {
    const plain = project({ 'template.yaml': TEMPLATE() });
    const marked = project({
      'template.yaml': TEMPLATE().replace(
        '      Timeout:',
        '      # lambdalint-disable-next-line timeout-limit -- batch\n      Timeout:',
      ),
    });
    const reads = vi.spyOn(fs, 'readFileSync');
    try {
      const readsOf = async (dir: string) => {
        reads.mockClear();
        const res = await lint({ cwd: dir, today: TODAY });
        const file = path.join(dir, 'template.yaml');
        return { res, count: reads.mock.calls.filter(([f]) => f === file).length };
      };
      const a = await readsOf(plain);
      expect(a.count).toBe(1);
      expect(a.res.findings.map((f) => [f.ruleId, f.line])).toEqual([['timeout-limit', 9]]);
      const b = await readsOf(marked);
      expect(b.count).toBe(2);
      expect(b.res.findings).toEqual([]);
      expect(b.res.suppressed!.map((f) => [f.ruleId, f.line])).toEqual([['timeout-limit', 10]]);
    } finally {
      reads.mockRestore();
    }
  });

  it('does not suppress without a reason, and reports it', async () => {
    const dir = project({
      'template.yaml': TEMPLATE().replace(
        '      Timeout:',
        '      # lambdalint-disable-next-line timeout-limit\n      Timeout:',
      ),
    });
    const r = await run(['-f', 'json'], dir);
    expect(json(r.stdout).map((f) => [f.ruleId, f.line, f.column, f.severity, f.message])).toEqual([
      [
        'suppression',
        9,
        7,
        'warning',
        'Suppression of timeout-limit gives no reason after " -- ", so it suppresses nothing.',
      ],
      ['timeout-limit', 10, 7, 'error', 'Timeout is 1200 s; Lambda stops every function at 900 s.'],
    ]);
  });

  it('reports unused suppressions and unknown rule ids', async () => {
    const dir = project({
      'template.yaml': TEMPLATE(30).replace(
        '      Timeout:',
        '      # lambdalint-disable-next-line timeout-limit, no-such-rule -- was too long once\n      Timeout:',
      ),
    });
    const r = await run(['-f', 'json'], dir);
    expect(json(r.stdout).map((f) => [f.ruleId, f.line, f.message])).toEqual([
      ['suppression', 9, 'Suppression names no-such-rule, which is not a lambdalint rule.'],
      ['suppression', 9, 'Suppression of timeout-limit matches no finding.'],
    ]);
    expect(r.code).toBe(0);
  });

  it('honours CloudFormation Metadata in JSON templates', async () => {
    const tpl = (reason: string) =>
      JSON.stringify(
        {
          AWSTemplateFormatVersion: '2010-09-09',
          Resources: {
            Fn: {
              Type: 'AWS::Lambda::Function',
              Metadata: { lambdalint: { ignore: [{ rule: 'timeout-limit', reason }] } },
              Properties: {
                Runtime: 'nodejs22.x',
                Handler: 'index.handler',
                Role: 'arn:aws:iam::123456789012:role/fn',
                Timeout: 1200,
                Code: { S3Bucket: 'b', S3Key: 'k' },
              },
            },
          },
        },
        null,
        2,
      );
    const ok = await lint({ cwd: project({ 'template.json': tpl('approved in ADR-7') }), today: TODAY });
    expect(ok.findings).toEqual([]);
    expect(ok.suppressed!.map((f) => [f.ruleId, f.suppressions])).toEqual([
      ['timeout-limit', [{ kind: 'metadata', justification: 'approved in ADR-7' }]],
    ]);
    const noReason = await lint({ cwd: project({ 'template.json': tpl('') }), today: TODAY });
    expect(noReason.findings.map((f) => [f.ruleId, f.line, f.messageId])).toEqual([
      ['suppression', 9, 'noReason'],
      ['timeout-limit', 20, 'tooLong'],
    ]);
  });

  it('honours // comments in handler code, and reports unused ones there', async () => {
    const src = listCases().find(
      (c) => c.rule === 'sdk-permission' && c.kind === 'positive' && fs.existsSync(path.join(c.dir, 'notify/index.js')),
    );
    expect(src).toBeDefined();
    const dir = path.join(tmp, `p${++n}`);
    fs.cpSync(src!.dir, dir, { recursive: true });
    const before = (await lint({ cwd: dir, today: TODAY })).findings.find((f) => f.file === 'notify/index.js')!;
    expect(before.ruleId).toBe('sdk-permission');
    const file = path.join(dir, 'notify/index.js');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines.splice(
      before.line - 1,
      0,
      '  // lambdalint-disable-next-line sdk-permission -- the topic policy grants it',
      '  // lambdalint-disable-next-line timeout-limit -- nothing to do here',
    );
    fs.writeFileSync(file, lines.join('\n'));
    const after = await lint({ cwd: dir, today: TODAY });
    expect(
      after.findings.filter((f) => f.file === 'notify/index.js').map((f) => [f.ruleId, f.line, f.message]),
    ).toEqual([['suppression', before.line + 1, 'Suppression of timeout-limit matches no finding.']]);
    expect(after.suppressed!.map((f) => [f.file, f.line, f.suppressions![0].justification])).toEqual([
      ['notify/index.js', before.line + 2, 'the topic policy grants it'],
    ]);
  });

  it('keeps suppressed findings out of SARIF', async () => {
    const dir = project({
      'template.yaml': TEMPLATE().replace(
        '      Timeout:',
        '      # lambdalint-disable-next-line timeout-limit -- reviewed\n      Timeout:',
      ),
    });
    const r = await run(['-f', 'sarif'], dir);
    expect(JSON.parse(r.stdout).runs[0].results).toEqual([]);
  });

  it('creates and applies a baseline, failing only on new findings', async () => {
    const dir = project({ 'a/template.yaml': TEMPLATE(), 'b/template.yaml': TEMPLATE(1000) });
    const created = await run(['--baseline-create', 'baseline.json'], dir);
    expect(created.code).toBe(0);
    expect(created.stderr).toBe('lambdalint: wrote 2 findings in 2 files to baseline.json\n');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'baseline.json'), 'utf8'))).toEqual({
      'a/template.yaml': { 'timeout-limit': { count: 1 } },
      'b/template.yaml': { 'timeout-limit': { count: 1 } },
    });
    const same = await run(['-f', 'json', '--baseline', 'baseline.json'], dir);
    expect([same.code, json(same.stdout)]).toEqual([0, []]);
    fs.mkdirSync(path.join(dir, 'c'));
    fs.writeFileSync(path.join(dir, 'c/template.yaml'), TEMPLATE(2000));
    const more = await run(['-f', 'json', '--baseline', 'baseline.json'], dir);
    expect(more.code).toBe(1);
    expect(json(more.stdout).map((f) => f.file)).toEqual(['c/template.yaml']);
    fs.writeFileSync(path.join(dir, 'b/template.yaml'), TEMPLATE(30));
    const fixed = await run(['-f', 'json', '--verbose', '--baseline', 'baseline.json', 'a', 'b'], dir);
    expect([fixed.code, json(fixed.stdout)]).toEqual([0, []]);
    expect(fixed.stderr).toContain(
      'note: b/template.yaml: the baseline allows 1 more timeout-limit finding than there are; --baseline-create records the new count',
    );
    fs.writeFileSync(path.join(dir, 'bad.json'), '{ "a/template.yaml": { "timeout-limit": 3 } }');
    const bad = await run(['--baseline', 'bad.json'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      `invalid baseline bad.json: 'a/template.yaml' → 'timeout-limit' needs a whole "count"`,
    );
  });
});

describe('changed files', () => {
  const layout = () =>
    project({
      'orders/template.yaml': TEMPLATE(),
      'orders/src/handler.mjs': 'export const handler = async () => {};\n',
      'billing/template.yaml': TEMPLATE(1000),
      'billing/src/pay.mjs': 'export const handler = async () => {};\n',
      'README.md': '# x\n',
    });

  it('lints the projects changed files belong to (--changed-files, as pre-commit passes them)', async () => {
    const dir = layout();
    const handler = await run(['-f', 'json', '--changed-files', 'orders/src/handler.mjs', 'README.md'], dir);
    expect(json(handler.stdout).map((f) => f.file)).toEqual(['orders/template.yaml']);
    const template = await run(['-f', 'json', '--changed-files', 'billing/template.yaml'], dir);
    expect(json(template.stdout).map((f) => f.file)).toEqual(['billing/template.yaml']);
    const nothing = await run(['-f', 'json', '--changed-files', 'README.md'], dir);
    expect([nothing.code, json(nothing.stdout)]).toEqual([0, []]);
  });

  it('maps Terraform files and handlers to their root module folder', () => {
    const dir = project({
      'infra/main.tf': 'resource "aws_lambda_function" "f" {}\n',
      'infra/prod.tfvars': 'stage = "prod"\n',
      'infra/lambda/index.js': 'exports.handler = async () => {};\n',
      'app/cdk.out/manifest.json': '{}',
      'app/cdk.out/App.template.json': '{}',
      'app/cdk.out/tree.json': '{}',
    });
    expect(projectPathsFor(['infra/lambda/index.js', 'infra/main.tf', 'infra/prod.tfvars'], dir)).toEqual(['infra']);
    expect(projectPathsFor(['app/cdk.out/App.template.json', 'docs/notes.txt', '../elsewhere.yaml'], dir)).toEqual([
      'app/cdk.out',
    ]);
  });

  it('reads git for --staged and --changed', async () => {
    const dir = layout();
    const git = (...a: string[]) =>
      execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...a], { cwd: dir, stdio: 'pipe' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'init');
    fs.appendFileSync(path.join(dir, 'billing/src/pay.mjs'), '// changed\n');
    expect(json((await run(['-f', 'json', '--staged'], dir)).stdout)).toEqual([]);
    expect(json((await run(['-f', 'json', '--changed'], dir)).stdout).map((f) => f.file)).toEqual([
      'billing/template.yaml',
    ]);
    git('add', 'billing/src/pay.mjs');
    expect(json((await run(['-f', 'json', '--staged'], dir)).stdout).map((f) => f.file)).toEqual([
      'billing/template.yaml',
    ]);
    // --staged lints what is staged: a template staged with a problem and fixed only in the work tree.
    const tpl = path.join(dir, 'billing/template.yaml');
    const saved = fs.readFileSync(tpl, 'utf8');
    expect(saved).toContain('Timeout: 1000');
    fs.writeFileSync(tpl, saved.replace('Timeout: 1000', 'Timeout: 1200'));
    git('add', 'billing/template.yaml');
    fs.writeFileSync(tpl, saved);
    const messages = async (flag: string) =>
      json((await run(['-f', 'json', flag], dir)).stdout).map(
        (f) => `${f.file}:${(f as { message?: string }).message}`,
      );
    expect(await messages('--staged')).toEqual([
      'billing/template.yaml:Timeout is 1200 s; Lambda stops every function at 900 s.',
    ]);
    expect(await messages('--changed')).toEqual([
      'billing/template.yaml:Timeout is 1000 s; Lambda stops every function at 900 s.',
    ]);
    const bad = await run(['--changed=no-such-ref'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('git diff --name-only --diff-filter=ACMR no-such-ref -- failed');
  });
});

describe('explain', () => {
  it('prints the rule docs, and exits 2 for an unknown rule', async () => {
    // run() appends --today; explain takes exactly one id, so main is called directly.
    let out = '';
    const io: Io = { stdout: (s) => void (out += s), stderr: () => {}, cwd: tmp, isTTY: false, env: {} };
    expect(await main(['explain', 'lambdalint/timeout-limit'], io)).toBe(0);
    expect(out).toContain('# timeout-limit');
    expect(out).toContain(rules.find((x) => x.id === 'timeout-limit')!.docs.fix);
    let err = '';
    expect(await main(['explain', 'nope'], { ...io, stderr: (s) => void (err += s) })).toBe(2);
    expect(err).toContain("unknown rule 'nope'");
    expect(await main(['explain'], { ...io, stderr: () => {} })).toBe(2);
  });
});

// The hook and the action run `lambdalint`; here that name is the CLI run from source.
const BIN_DIR = path.join(tmp, 'bin');
fs.mkdirSync(BIN_DIR, { recursive: true });
fs.writeFileSync(
  path.join(BIN_DIR, 'lambdalint'),
  `#!/bin/sh\nexec "${path.join(ROOT, 'node_modules/.bin/tsx')}" "${path.join(ROOT, 'test/support/cli.ts')}" "$@"\n`,
  { mode: 0o755 },
);

describe('.pre-commit-hooks.yaml', () => {
  const hooks = parseYaml(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Record<
    string,
    unknown
  >[];

  it('declares node hooks that run serially', () => {
    expect(hooks.map((h) => [h.id, h.language, h.require_serial])).toEqual([
      ['lambdalint', 'node', true],
      ['lambdalint-project', 'node', true],
    ]);
  });

  it("runs the hook's entry on the changed files pre-commit passes", () => {
    const hook = hooks[0];
    const dir = layout();
    const files = ['billing/src/pay.mjs', 'README.md'].filter((f) => new RegExp(hook.files as string).test(f));
    expect(files).toEqual(['billing/src/pay.mjs']);
    const [cmd, ...args] = (hook.entry as string).split(' ');
    const r = spawnSync(cmd, [...args, '--today', '2026-11-26', ...files], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${BIN_DIR}:${process.env.PATH}` },
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('billing/template.yaml');
    expect(r.stdout).toContain('Timeout is 1000 s; Lambda stops every function at 900 s.');
    expect(r.stdout).not.toContain('orders/');
  });

  function layout() {
    return project({
      'billing/template.yaml': TEMPLATE(1000),
      'billing/src/pay.mjs': 'export const handler = 1;\n',
      'orders/template.yaml': TEMPLATE(),
      'README.md': '#\n',
    });
  }
});
