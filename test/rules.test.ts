// Rule behaviour that fixture folders cannot hold: situations only a later loader produces, and
// inputs too large to keep in the repository.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lint } from '../src/lint.js';
import { runRules } from '../src/engine/run.js';
import { emptyModel, type Deployment, type LambdaFunction } from '../src/model/types.js';
import packageSize from '../rules/package-size.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-rules-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const range = (line: number) => ({
  file: path.join(tmp, 'main.tf'),
  start: { line, column: 3 },
  end: { line, column: 30 },
});

function fn(overrides: Partial<LambdaFunction>): LambdaFunction {
  const deployment: Deployment = {
    id: 'root',
    framework: 'terraform',
    file: path.join(tmp, 'main.tf'),
    production: { isProduction: false },
    notes: [],
  };
  return {
    id: 'aws_lambda_function.api',
    deployment,
    framework: 'terraform',
    origin: { via: 'direct', range: range(1) },
    packageType: 'Zip',
    code: { kind: 'local-zip', directUpload: false, built: true, origin: { via: 'direct', range: range(4) } },
    layers: [],
    role: { origin: { via: 'direct' } },
    environment: {},
    meta: {},
    ...overrides,
  };
}

describe('package-size', () => {
  it('reports a zip over 50 MB that is uploaded directly, naming the largest entries', () => {
    const model = emptyModel();
    const size = {
      unzippedBytes: 120 * 1048576,
      zippedBytes: 60 * 1048576,
      biggest: [{ path: 'node_modules/sharp', bytes: 90 * 1048576 }],
      truncated: false,
    };
    model.functions.push(
      fn({
        code: { kind: 'local-zip', directUpload: true, built: true, origin: { via: 'direct', range: range(4) }, size },
      }),
    );
    const { findings } = runRules(model, [packageSize], {
      cwd: tmp,
      today: new Date(),
      severities: {},
      ruleOptions: {},
    });
    expect(findings.map((f) => [f.line, f.severity, f.message])).toEqual([
      [
        4,
        'error',
        'The zip is 60.0 MB, over the 50 MB Lambda accepts in a direct upload; largest: node_modules/sharp (90.0 MB).',
      ],
    ]);
  });

  it('says nothing about the same zip deployed through S3', () => {
    const model = emptyModel();
    const size = { unzippedBytes: 120 * 1048576, zippedBytes: 60 * 1048576, biggest: [], truncated: false };
    model.functions.push(
      fn({
        code: { kind: 'local-zip', directUpload: false, built: true, origin: { via: 'direct', range: range(4) }, size },
      }),
    );
    expect(
      runRules(model, [packageSize], { cwd: tmp, today: new Date(), severities: {}, ruleOptions: {} }).findings,
    ).toEqual([]);
  });

  it('reports inline code whose zip exceeds 4 MB', async () => {
    // Random base64 barely compresses: 6 MB of it zips to about 4.5 MB.
    const code = randomBytes(4_500_000).toString('base64');
    const template = [
      'Resources:',
      '  Big:',
      '    Type: AWS::Lambda::Function',
      '    Properties:',
      '      Runtime: python3.13',
      '      Handler: index.handler',
      '      Role: arn:aws:iam::123456789012:role/big',
      '      Code:',
      `        ZipFile: "${code}"`,
      '',
    ].join('\n');
    fs.writeFileSync(path.join(tmp, 'template.yaml'), template);
    const result = await lint({ cwd: tmp, paths: ['template.yaml'] });
    const f = result.findings.filter((x) => x.ruleId === 'package-size');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ line: 9, column: 9, function: 'Big' });
    expect(f[0].message).toMatch(/^Inline code zips to 4\.\d MB, over CloudFormation's 4 MB limit for ZipFile\.$/);
  });
});

describe('the engine', () => {
  it('turns a rule that throws into a tool error and runs the others', async () => {
    const { defineRule } = await import('../src/engine/types.js');
    const boom = defineRule({
      id: 'boom',
      severity: 'error',
      category: 'internal',
      frameworks: [],
      docs: { summary: 'x', why: 'x', fix: 'x' },
      messages: {},
      check() {
        throw new Error('kaput');
      },
    });
    const model = emptyModel();
    model.functions.push(fn({}));
    const { findings, toolErrors } = runRules(model, [boom, packageSize], {
      cwd: tmp,
      today: new Date(),
      severities: {},
      ruleOptions: {},
    });
    expect(toolErrors).toEqual(['rule boom failed: kaput']);
    expect(findings).toEqual([]);
  });
});
