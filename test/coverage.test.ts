// What could not be checked reaches the user: `coverage` in JSON, notes in SARIF, one line in
// stylish output, details with --verbose (docs/RULES.md, output contract).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRules } from '../src/engine/run.js';
import { defineRule } from '../src/engine/types.js';
import { coverageOf } from '../src/lint.js';
import { notChecked } from '../src/model/coverage.js';
import { emptyModel, type LambdaFunction } from '../src/model/types.js';
import { formatJson } from '../src/report/json.js';
import { formatSarif } from '../src/report/sarif.js';
import { coverageLine, reasonKind } from '../src/report/stylish.js';
import type { LintResult } from '../src/engine/result.js';

const cwd = path.resolve('/project');
const file = path.join(cwd, 'stacks', 'api.yaml');

function modelWith(ids: string[]) {
  const model = emptyModel();
  const deployment = { id: 'api', framework: 'sam' as const, file, production: { isProduction: false }, notes: [] };
  model.deployments.push(deployment);
  for (const id of ids)
    model.functions.push({
      id,
      deployment,
      origin: { via: 'direct' },
      role: { origin: { via: 'direct' } },
      layers: [],
    } as unknown as LambdaFunction);
  return model;
}

const skipping = defineRule({
  id: 'logs-permission',
  severity: 'error',
  category: 'permissions',
  docs: { summary: 's', why: 'w', fix: 'f' },
  messages: { m: 'm' },
  frameworks: [],
  check({ model, skip }) {
    for (const fn of model.functions) if (fn.id !== 'Checked') skip(fn, 'role from parameter RoleArn');
  },
});

describe('coverage', () => {
  it('records what rules skip and what loaders could not read, once each, for the enabled rules', () => {
    const model = modelWith(['Ingest', 'Report', 'Checked']);
    notChecked(model, { fn: 'Report', file, rules: ['sdk-permission'], reason: 'handler code in a layer' });
    notChecked(model, { fn: 'Report', file, rules: ['sdk-permission'], reason: 'handler code in a layer' });
    notChecked(model, { fn: 'Report', file, rules: ['vpc-config'], reason: 'subnets from parameter Subnets' });
    notChecked(model, { file, rules: [], reason: 'functions built at run time' });
    runRules(model, [skipping], { cwd, today: new Date(0), severities: {}, ruleOptions: {} });
    const cov = coverageOf(model, [skipping, { ...skipping, id: 'sdk-permission' }], cwd);
    expect(cov).toEqual({
      functions: 3,
      notChecked: [
        { file: 'stacks/api.yaml', rules: [], reason: 'functions built at run time' },
        {
          function: 'Ingest',
          file: 'stacks/api.yaml',
          rules: ['logs-permission'],
          reason: 'role from parameter RoleArn',
        },
        { function: 'Report', file: 'stacks/api.yaml', rules: ['sdk-permission'], reason: 'handler code in a layer' },
        {
          function: 'Report',
          file: 'stacks/api.yaml',
          rules: ['logs-permission'],
          reason: 'role from parameter RoleArn',
        },
      ],
    });
  });

  const result: LintResult = {
    findings: [],
    rules: [skipping, { ...skipping, id: 'xray-permission' }],
    cwd,
    stats: { files: 1, templates: 1, functions: 24, durationMs: 1 },
    toolErrors: [],
    notes: [],
    coverage: {
      functions: 24,
      notChecked: [
        { function: 'A', file: 'stacks/api.yaml', rules: ['logs-permission'], reason: 'role from parameter RoleArn' },
        { function: 'A', file: 'stacks/api.yaml', rules: ['xray-permission'], reason: 'role from parameter RoleArn' },
        { function: 'B', file: 'stacks/api.yaml', rules: ['logs-permission'], reason: 'role from parameter RoleArn' },
        {
          function: 'C',
          file: 'stacks/jobs.yaml',
          rules: ['logs-permission'],
          reason: 'role in another stack (ImportValue Shared-RoleArn)',
        },
      ],
    },
  };

  it('says it in one line, counting functions per kind of reason', () => {
    expect(coverageLine(result)).toBe(
      '24 functions checked; permission rules skipped for 3: role from parameter RoleArn (2), role in another stack (1)',
    );
    expect(coverageLine({ ...result, coverage: { functions: 2, notChecked: [] } })).toBeUndefined();
    // Entries of other rules make it "some checks".
    const mixed = {
      ...result,
      coverage: {
        functions: 24,
        notChecked: [
          ...result.coverage!.notChecked,
          { function: 'D', file: 'stacks/jobs.yaml', rules: ['vpc-config'], reason: 'subnets from parameter Subnets' },
        ],
      },
    };
    expect(coverageLine(mixed)).toBe(
      '24 functions checked; some checks skipped for 4: role from parameter RoleArn (2), role in another stack (1), subnets from parameter Subnets (1)',
    );
  });

  it('groups reasons by kind: a trailing parenthesis or ARN is detail', () => {
    expect(reasonKind('role in another stack (ImportValue Shared-RoleArn)')).toBe('role in another stack');
    expect(reasonKind('unknown managed policy arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole')).toBe(
      'unknown managed policy',
    );
    expect(reasonKind('role from parameter RoleArn')).toBe('role from parameter RoleArn');
  });

  it('carries it in JSON and as SARIF notifications at the declaring file', () => {
    expect(JSON.parse(formatJson(result)).coverage).toEqual(result.coverage);
    const sarif = JSON.parse(formatSarif(result, { version: '0.0.0' }));
    const notes = sarif.runs[0].invocations[0].toolExecutionNotifications;
    expect(notes).toHaveLength(4);
    expect(notes[3]).toEqual({
      level: 'note',
      message: { text: 'C: not checked (logs-permission): role in another stack (ImportValue Shared-RoleArn)' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'stacks/jobs.yaml', uriBaseId: '%SRCROOT%' } } }],
      properties: {
        function: 'C',
        rules: ['logs-permission'],
        reason: 'role in another stack (ImportValue Shared-RoleArn)',
      },
    });
  });
});

describe('cross-stack imports', () => {
  it('records an import whose export is not in the run, and follows it when it is', async () => {
    const { lint } = await import('../src/lint.js');
    const dir = path.resolve('fixtures/invoke-permission/positive/cfn-import-sibling-stack');
    const alone = await lint({ cwd: dir, paths: ['events.template.yaml'], today: new Date('2026-11-26T00:00:00Z') });
    expect(alone.findings.filter((f) => f.ruleId === 'invoke-permission')).toEqual([]);
    expect(alone.coverage?.notChecked).toEqual([
      {
        file: 'events.template.yaml',
        rules: ['invoke-permission', 'api-gateway-timeout', 'async-failure-destination'],
        reason: 'EventBridge rule OrderClosedRule target archiver: import of orders-archiver-arn from another stack',
      },
    ]);
    const both = await lint({ cwd: dir, today: new Date('2026-11-26T00:00:00Z') });
    expect(
      both.findings.filter((f) => f.ruleId === 'invoke-permission').map((f) => `${f.file}:${f.line} ${f.function}`),
    ).toEqual(['events.template.yaml:13 OrderArchiver']);
    expect(both.coverage?.notChecked.filter((e) => /import of/.test(e.reason))).toEqual([]);
  });
});
