// Fixes in the project's own dialect: every permission finding whose role lambdalint can edit
// carries an insertion; applying them (as --fix-dry-run's patch does) and linting again makes those
// findings disappear without breaking the file. Run on every positive permission fixture, so each
// dialect (CloudFormation YAML and JSON, SAM generated roles, Serverless provider, per-function and
// resources roles, Terraform aws_iam_role) is exercised as written.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lint } from '../src/lint.js';
import { applyEdits } from '../src/fix/permission.js';
import { fixEdits } from '../src/report/patch.js';
import { formatJson } from '../src/report/json.js';
import { formatSarif } from '../src/report/sarif.js';
import { main } from '../src/cli/main.js';
import { expectValidSarif, sarifSchemaExists } from './support/sarif.js';
import { FIXTURES, TODAY } from './helpers.js';
import plugin from '../src/eslint/index.js';

const PERMISSION_RULES = [
  'logs-permission',
  'xray-permission',
  'event-source-permission',
  'destination-permission',
  'sdk-permission',
  'vpc-permission',
];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-fix-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function copy(rel: string): string {
  const dir = path.join(tmp, rel.replace(/\//g, '__'));
  fs.cpSync(path.join(FIXTURES, rel), dir, { recursive: true });
  return dir;
}

const key = (f: { ruleId: string; function?: string; message: string }): string =>
  `${f.ruleId} ${f.function} ${f.message}`;

const cases = PERMISSION_RULES.flatMap((rule) => {
  const dir = path.join(FIXTURES, rule, 'positive');
  return fs.readdirSync(dir).map((name) => `${rule}/positive/${name}`);
});

describe('apply the fixes, lint again', () => {
  it.each(cases)(
    '%s',
    async (rel) => {
      const dir = copy(rel);
      const before = await lint({ cwd: dir, today: TODAY });
      const fixable = before.findings.filter((f) => f.fix?.edit);
      const framework = path.basename(rel).split('-')[0];
      if (fixable.length === 0) {
        // No edit is written for a synthesized CDK template, a registry module's role, an explicit
        // Deny or a serverless.ts: the finding still shows the statement as help (or nothing for a Deny).
        const reasons = before.findings
          .filter((f) => PERMISSION_RULES.includes(f.ruleId))
          .map((f) => f.fix?.snippet ?? 'no fix');
        expect(reasons.length).toBeGreaterThan(0);
        expect(['cdk', 'terraform', 'serverless', 'cfn']).toContain(framework);
        return;
      }
      for (const [file, edits] of fixEdits(before))
        fs.writeFileSync(file, applyEdits(fs.readFileSync(file, 'utf8'), edits));
      const after = await lint({ cwd: dir, today: TODAY });
      expect(after.findings.filter((f) => f.ruleId === 'parse-error')).toEqual([]);
      const remaining = new Set(after.findings.map(key));
      for (const f of fixable) expect(remaining.has(key(f)), `still reported after the fix: ${key(f)}`).toBe(false);
      // Nothing new appears, and the role is still read whole (the inserted statement resolves).
      const beforeKeys = new Set(before.findings.map(key));
      expect(after.findings.filter((f) => !beforeKeys.has(key(f))).map(key)).toEqual([]);
    },
    60_000,
  );
});

describe('what the fixes look like', () => {
  it('CloudFormation YAML: a policy resource for the role, resources as the template names them', async () => {
    const r = await lint({
      cwd: path.join(FIXTURES, 'event-source-permission/positive/cfn-yaml-sqs-read-only'),
      today: TODAY,
    });
    const f = r.findings.find((x) => x.ruleId === 'event-source-permission')!;
    expect(f.fix?.description).toMatch(
      /^add a statement allowing sqs:\S+(, sqs:\S+)* to a new AWS::IAM::Policy \w+ for role \w+$/,
    );
    expect(f.fix?.edit?.text).toContain('Type: AWS::IAM::Policy');
    expect(f.fix?.edit?.text).toMatch(/Fn::GetAtt: \[\w+, Arn\]/);
    expect(f.fix?.edit?.text).not.toContain("Resource: '*'");
  });

  it('Serverless generated role: an entry in provider.iam.role.statements', async () => {
    const r = await lint({
      cwd: path.join(FIXTURES, 'sdk-permission/positive/serverless-generated-role'),
      today: TODAY,
    });
    const f = r.findings.find((x) => x.ruleId === 'sdk-permission')!;
    expect(f.fix).toMatchObject({
      description: 'add a statement allowing sqs:SendMessage to provider.iam.role.statements',
      edit: {
        file: 'serverless.yml',
        line: 8,
        column: 1,
        text: '        - Effect: Allow\n          Action: sqs:SendMessage\n          Resource:\n            Fn::GetAtt: [Outbox, Arn]\n',
      },
    });
  });

  it('Terraform: an aws_iam_role_policy for the aws_iam_role, appended to its file', async () => {
    const r = await lint({
      cwd: path.join(FIXTURES, 'sdk-permission/positive/terraform-archive-python'),
      today: TODAY,
    });
    const f = r.findings.find((x) => x.ruleId === 'sdk-permission')!;
    expect(f.fix?.description).toBe(
      'add aws_iam_role_policy.fn_lambdalint_sdk_1 allowing dynamodb:PutItem to aws_iam_role.fn',
    );
    expect(f.fix?.edit?.text).toContain(
      'resource "aws_iam_role_policy" "fn_lambdalint_sdk_1" {\n  role = aws_iam_role.fn.id\n',
    );
    expect(f.fix?.edit?.text).toContain('Action   = ["dynamodb:PutItem"]');
  });

  it('terraform-aws-modules/lambda: a policy_statements entry in the module call', async () => {
    const r = await lint({
      cwd: path.join(FIXTURES, 'xray-permission/positive/terraform-lambda-module-tracing-mode'),
      today: TODAY,
    });
    const f = r.findings.find((x) => x.ruleId === 'xray-permission')!;
    expect(f.fix?.description).toBe(
      'add a policy_statements entry allowing xray:PutTraceSegments, xray:PutTelemetryRecords to module.checkout_api',
    );
    expect(f.fix?.edit?.text).toBe(
      '\n  attach_policy_statements = true\n  policy_statements = {\n    lambdalint_xray_1 = {\n      effect    = "Allow"\n      actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]\n      resources = ["*"]\n    }\n  }\n',
    );
  });

  it('a synthesized CDK template is not edited: the statement is shown as help', async () => {
    const r = await lint({ cwd: path.join(FIXTURES, 'xray-permission/positive/cdk-out-user-role'), today: TODAY });
    const f = r.findings.find((x) => x.ruleId === 'xray-permission')!;
    expect(f.fix?.edit).toBeUndefined();
    expect(f.fix?.snippet).toBe(
      "Statement:\n  - Effect: Allow\n    Action: [xray:PutTraceSegments, xray:PutTelemetryRecords]\n    Resource: '*'",
    );
  });

  it('an explicit Deny gets no fix: an Allow cannot lift it', async () => {
    const r = await lint({ cwd: path.join(FIXTURES, 'logs-permission/positive/cfn-json-explicit-deny'), today: TODAY });
    expect(r.findings.find((x) => x.ruleId === 'logs-permission')?.fix).toBeUndefined();
  });

  it('JSON carries `fix` and SARIF carries `fixes` (schema-valid)', async () => {
    const r = await lint({
      cwd: path.join(FIXTURES, 'sdk-permission/positive/serverless-generated-role'),
      today: TODAY,
    });
    const json = JSON.parse(formatJson(r));
    expect(json.findings[0].fix).toEqual({
      description: 'add a statement allowing sqs:SendMessage to provider.iam.role.statements',
      file: 'serverless.yml',
      line: 8,
      column: 1,
      text: '        - Effect: Allow\n          Action: sqs:SendMessage\n          Resource:\n            Fn::GetAtt: [Outbox, Arn]\n',
    });
    const sarif = JSON.parse(formatSarif(r, { version: '1.0.0' }));
    expect(sarif.runs[0].results[0].fixes[0].artifactChanges[0]).toEqual({
      artifactLocation: { uri: 'serverless.yml', uriBaseId: '%SRCROOT%' },
      replacements: [
        {
          deletedRegion: { startLine: 8, startColumn: 1, endLine: 8, endColumn: 1 },
          insertedContent: { text: json.findings[0].fix.text },
        },
      ],
    });
    if (sarifSchemaExists) expectValidSarif(JSON.stringify(sarif));
  });
});

describe('lambdalint --fix-dry-run', () => {
  it('prints a patch that git apply takes, after which the findings are gone', async () => {
    const dir = copy('destination-permission/positive/cfn-yaml-invoke-config-topic');
    const git = (...args: string[]) => spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
    git('init', '-q');
    let patch = '';
    const io = { stdout: (s: string) => void (patch += s), stderr: () => {}, cwd: dir, isTTY: false, env: {} };
    expect(await main(['--fix-dry-run', '--today', '2026-11-26', '.'], io)).toBe(1);
    expect(patch).toMatch(/^--- a\/template\.yaml\n\+\+\+ b\/template\.yaml\n@@ /);
    fs.writeFileSync(path.join(tmp, 'fix.patch'), patch);
    const applied = git('apply', path.join(tmp, 'fix.patch'));
    expect(applied.stderr).toBe('');
    expect(applied.status).toBe(0);
    let out = '';
    const code = await main(['--format', 'json', '--today', '2026-11-26', '.'], {
      ...io,
      stdout: (s: string) => void (out += s),
    });
    expect(JSON.parse(out).findings.filter((f: { ruleId: string }) => f.ruleId === 'destination-permission')).toEqual(
      [],
    );
    expect(code).toBe(0);
  });
});

describe('the demo project', () => {
  it('shows a permission finding with its fix for each framework, and applying the fixes clears them', async () => {
    const dir = path.join(tmp, 'demo');
    fs.cpSync(path.join(FIXTURES, 'demo'), dir, { recursive: true });
    const before = await lint({ cwd: dir, today: TODAY });
    const permission = before.findings.filter((f) => PERMISSION_RULES.includes(f.ruleId));
    expect(permission.map((f) => `${f.file}:${f.line} ${f.ruleId} ${f.fix?.edit?.file}`).sort()).toEqual([
      // CDK: the synthesized template is not edited; the finding shows the statement for the app.
      'dashboard/cdk.out/AppStack.template.json:55 xray-permission undefined',
      'infra/main.tf:40 event-source-permission infra/main.tf',
      'services/notify/handler.js:7 sdk-permission services/notify/serverless.yml',
      'src/api/app.mjs:12 sdk-permission template.yaml',
      'stacks/audit.yaml:34 logs-permission stacks/audit.yaml',
    ]);
    for (const [file, edits] of fixEdits(before))
      fs.writeFileSync(file, applyEdits(fs.readFileSync(file, 'utf8'), edits));
    const after = await lint({ cwd: dir, today: TODAY });
    const edited = permission.filter((f) => f.fix?.edit);
    expect(
      after.findings.filter((f) => (PERMISSION_RULES.includes(f.ruleId) && f.fix?.edit) || f.ruleId === 'parse-error'),
    ).toEqual([]);
    expect(after.findings.length).toBe(before.findings.length - edited.length);
  }, 60_000);
});

describe('ESLint suggestions', () => {
  it('suggest the fix where the statement goes in the file being edited; taking it clears the finding', async () => {
    const dir = copy('logs-permission/positive/cfn-yaml-s3-read-only-role');
    const { ESLint } = await import('eslint');
    const settings = { lambdalint: { today: '2026-11-26' } };
    const eslint = new ESLint({
      cwd: dir,
      overrideConfigFile: true,
      overrideConfig: [...(plugin.configs.recommended as object[]), { settings }] as never,
    });
    const file = path.join(dir, 'template.yaml');
    const text = fs.readFileSync(file, 'utf8');
    const [result] = await eslint.lintText(text, { filePath: file });
    const message = result.messages.find((m) => m.ruleId === 'lambdalint/logs-permission')!;
    expect(message.suggestions).toHaveLength(1);
    const [suggestion] = message.suggestions!;
    expect(suggestion.desc).toMatch(/^add a statement allowing logs:.* to a new AWS::IAM::Policy /);
    expect(suggestion.fix.range[0]).toBe(suggestion.fix.range[1]);
    const fixed = text.slice(0, suggestion.fix.range[0]) + suggestion.fix.text + text.slice(suggestion.fix.range[1]);
    const [after] = await eslint.lintText(fixed, { filePath: file });
    expect(after.messages.filter((m) => m.ruleId === 'lambdalint/logs-permission' || m.fatal)).toEqual([]);
  }, 60_000);
});
