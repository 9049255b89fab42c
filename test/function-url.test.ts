// Function URLs as triggers, in every framework that declares them: the endpoint, its AuthType, the
// function version it invokes, and whether the framework adds the public permission itself.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject, loadTerraformDirs } from '../src/lint.js';
import { FIXTURES } from './helpers.js';

async function model(rule: string, kind: 'positive' | 'negative', name: string) {
  const cwd = path.join(FIXTURES, rule, kind, name);
  const p = loadProject({ cwd });
  await loadTerraformDirs(p, { cwd });
  expect(p.parseErrors).toEqual([]);
  return p.model;
}

const urls = (m: Awaited<ReturnType<typeof model>>) =>
  m.triggers
    .filter((t) => t.kind === 'function-url')
    .map((t) => [
      t.id,
      t.target.functionId,
      t.target.qualifier,
      t.authType?.value,
      t.implicitPermission,
      t.origin.range?.start.line,
    ]);

describe('function URLs', () => {
  it('CloudFormation: AWS::Lambda::Url on the function, with the permissions as written (action and principal)', async () => {
    const m = await model('invoke-permission', 'negative', 'cfn-yaml-function-url-public-permitted');
    expect(m.functions.map((f) => f.id)).toEqual(['WebhookFunction', 'AdminFunction']);
    expect(m.roles.map((r) => r.id)).toEqual(['WebhookRole']);
    expect(urls(m)).toEqual([
      ['WebhookUrl', 'WebhookFunction', 'unqualified', 'NONE', false, 24],
      ['AdminUrl', 'AdminFunction', 'unqualified', 'AWS_IAM', false, 40],
    ]);
    expect(m.permissions.map((p) => [p.id, p.target.functionId, p.principal?.value, p.action?.value])).toEqual([
      ['WebhookInvoke', 'WebhookFunction', '*', 'lambda:InvokeFunction'],
      ['WebhookPublicUrl', 'WebhookFunction', '*', 'lambda:InvokeFunctionUrl'],
    ]);
  });

  it('SAM: FunctionUrlConfig on the AutoPublishAlias when there is one; SAM adds the public permission', async () => {
    const prod = await model('latest-in-production', 'positive', 'sam-function-url-prod');
    expect(urls(prod)).toEqual([['ResizeFunctionUrl', 'ResizeFunction', 'unqualified', 'NONE', true, 19]]);
    const alias = await model('latest-in-production', 'negative', 'sam-function-url-alias');
    expect(urls(alias)).toEqual([['ResizeFunctionUrl', 'ResizeFunction', 'alias', 'NONE', true, 20]]);
    expect(alias.triggers[0].target.aliasId).toBe('ResizeFunctionAliaslive');
  });

  it('Serverless: url (NONE) and url.authorizer aws_iam; the framework adds the public permission', async () => {
    const m = await model('invoke-permission', 'negative', 'serverless-function-url');
    expect(m.functions.map((f) => f.id)).toEqual(['preview', 'internalStats']);
    expect(urls(m)).toEqual([
      ['preview.url', 'preview', 'unqualified', 'NONE', true, 12],
      ['internalStats.url', 'internalStats', 'unqualified', 'AWS_IAM', true, 16],
    ]);
  });

  it('Terraform: aws_lambda_function_url; the AWS provider adds the public permission', async () => {
    const m = await model('invoke-permission', 'negative', 'terraform-function-url-public');
    expect(m.functions.map((f) => f.id)).toEqual(['aws_lambda_function.feed']);
    expect(urls(m)).toEqual([
      ['aws_lambda_function_url.feed', 'aws_lambda_function.feed', 'unqualified', 'NONE', true, 34],
    ]);
  });

  it('terraform-aws-modules/lambda: create_lambda_function_url on $LATEST, or on the current version', async () => {
    const latest = await model('latest-in-production', 'positive', 'terraform-lambda-module-function-url');
    expect(latest.functions.map((f) => f.id)).toEqual(['module.og_image.aws_lambda_function.this']);
    expect(urls(latest)).toEqual([
      [
        'module.og_image.aws_lambda_function_url.this',
        'module.og_image.aws_lambda_function.this',
        'unqualified',
        'NONE',
        true,
        14,
      ],
    ]);
    const version = await model('latest-in-production', 'negative', 'terraform-lambda-module-function-url-alias');
    expect(urls(version)).toEqual([
      [
        'module.og_image.aws_lambda_function_url.this',
        'module.og_image.aws_lambda_function.this',
        'version',
        'NONE',
        true,
        15,
      ],
    ]);
  });
});
