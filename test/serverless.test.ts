// Serverless Framework services: variable resolution, the model the loader builds (provider
// defaults, the generated role, custom roles in `resources:`), and serverless.ts read statically.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSource, type TNode } from '../src/source/parse.js';
import { ServerlessVariables } from '../src/values/serverless.js';
import { loadProject, lint } from '../src/lint.js';
import { normalizedName } from '../src/load/serverless-config.js';
import { discover } from '../src/discover/index.js';
import { parseServerlessScript } from '../src/load/serverless-script.js';
import type { Model, Statement } from '../src/model/types.js';
import { TODAY } from './helpers.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-sls-'));
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

/** Resolves `key` of a one-file service; returns its value (or the text kept when unresolved). */
function resolveIn(yml: string, address: string, opts: { stage?: string; files?: Record<string, string> } = {}) {
  const dir = project({ 'serverless.yml': yml, ...(opts.files ?? {}) });
  const file = path.join(dir, 'serverless.yml');
  const parsed = parseSource(file, fs.readFileSync(file, 'utf8'));
  if (!parsed.ok) throw new Error(parsed.error.message);
  const vars = new ServerlessVariables(parsed.root, { serviceDir: dir, stage: opts.stage });
  const node = vars.lookup(parsed.root, address, 0) ?? raw(vars, parsed.root, address);
  return { value: plain(node), symbolic: node ? vars.symbolic.has(node) : undefined, stage: vars.stage(), node };
}

function raw(vars: ServerlessVariables, root: TNode, address: string): TNode | undefined {
  let cur: TNode | undefined = vars.resolve(root);
  for (const seg of address.split('.')) cur = cur?.entries?.find((e) => e.key === seg)?.value;
  return cur;
}

function plain(n: TNode | undefined): unknown {
  if (!n) return undefined;
  if (n.kind === 'scalar') return n.value;
  if (n.kind === 'seq') return n.items!.map(plain);
  return Object.fromEntries(n.entries!.map((e) => [e.key, plain(e.value)]));
}

describe('Serverless variables', () => {
  const svc = (body: string) => `service: shop\nprovider:\n  name: aws\n${body}`;

  it('resolves self references, nested variables and defaults', () => {
    const yml = svc(
      `  stage: \${opt:stage, 'dev'}\ncustom:\n  sizes:\n    dev: 256\n    prod: 2048\n  memory: \${self:custom.sizes.\${sls:stage}}\n  name: shop-\${sls:stage}-orders\n`,
    );
    expect(resolveIn(yml, 'custom.memory').value).toBe(256);
    expect(resolveIn(yml, 'custom.name').value).toBe('shop-dev-orders');
    expect(resolveIn(yml, 'custom.memory', { stage: 'prod' }).value).toBe(2048);
    expect(resolveIn(yml, 'custom.name', { stage: 'prod' }).stage).toBe('prod');
  });

  it('uses provider.stage, then dev, when --stage is not given', () => {
    expect(resolveIn(svc('  stage: live\ncustom:\n  s: ${sls:stage}\n'), 'custom.s').value).toBe('live');
    expect(resolveIn(svc('custom:\n  s: ${sls:stage}\n'), 'custom.s').value).toBe('dev');
    expect(resolveIn(svc('custom:\n  s: ${opt:stage, "qa"}\n'), 'custom.s').value).toBe('qa');
    expect(resolveIn(svc('custom:\n  s: t-${self:provider.stage}\n'), 'custom.s', { stage: 'prod' }).value).toBe(
      't-prod',
    );
  });

  it('takes the fallback of env variables and keeps those without one symbolic', () => {
    const yml = svc(
      "custom:\n  a: ${env:TABLE, 'orders'}\n  e: ${env:TABLE, orders}\n  b: ${env:TABLE}\n  c: arn:aws:sqs:us-east-1:123456789012:${env:QUEUE}\n  d: ${env:TIMEOUT, 30}\n",
    );
    expect(resolveIn(yml, 'custom.a').value).toBe('orders');
    const b = resolveIn(yml, 'custom.b');
    expect(b.value).toBe('${env:TABLE}');
    expect(b.symbolic).toBe(true);
    const c = resolveIn(yml, 'custom.c');
    expect(c.value).toBe('arn:aws:sqs:us-east-1:123456789012:${env:QUEUE}');
    expect(c.symbolic).toBe(true);
    expect(resolveIn(yml, 'custom.d').value).toBe(30);
    expect(resolveIn(yml, 'custom.e').symbolic).toBe(true); // an unquoted word is not a literal
  });

  it('reads dotenv files of the service when the framework would', () => {
    const files = { '.env': 'TABLE=orders\nQUEUE="jobs"\n', '.env.prod': 'TABLE=orders-prod\n' };
    const used = "useDotenv: true\ncustom:\n  t: ${env:TABLE}\n  q: ${env:QUEUE, 'x'}\n";
    expect(resolveIn(svc(used), 'custom.t', { files }).value).toBe('orders');
    expect(resolveIn(svc(used), 'custom.q', { files }).value).toBe('jobs');
    expect(resolveIn(svc(used), 'custom.t', { files, stage: 'prod' }).value).toBe('orders-prod');
    expect(resolveIn(svc('custom:\n  t: ${env:TABLE}\n'), 'custom.t', { files }).symbolic).toBe(true);
  });

  it('never resolves remote sources, even with a fallback', () => {
    const yml = svc(
      "custom:\n  a: ${ssm:/shop/table, 'x'}\n  b: ${cf:other-stack.QueueArn}\n  c: ${file(./config.js):value}\n",
    );
    for (const k of ['a', 'b', 'c']) expect(resolveIn(yml, `custom.${k}`).symbolic).toBe(true);
  });

  it('reads params per stage, then the default stage', () => {
    const yml = svc(
      'stages:\n  default:\n    params:\n      table: t-default\n      size: 1\n  prod:\n    params:\n      table: t-prod\ncustom:\n  t: ${param:table}\n  s: ${param:size}\n  m: ${param:missing, 7}\n',
    );
    expect(resolveIn(yml, 'custom.t').value).toBe('t-default');
    expect(resolveIn(yml, 'custom.t', { stage: 'prod' }).value).toBe('t-prod');
    expect(resolveIn(yml, 'custom.s', { stage: 'prod' }).value).toBe(1);
    expect(resolveIn(yml, 'custom.m').value).toBe(7);
  });

  it('reads local YAML and JSON files, whole or by address, relative to the service', () => {
    const files = {
      'config/dev.yml': 'timeout: 20\nvpc:\n  subnetIds: [subnet-1]\n',
      'config/names.json': '{ "queue": "jobs" }',
    };
    const yml = svc(
      'custom:\n  cfg: ${file(./config/${sls:stage}.yml)}\n  t: ${file(./config/dev.yml):timeout}\n  q: q-${file(./config/names.json):queue}\n  missing: ${file(./config/none.yml):x, 5}\n',
    );
    expect(resolveIn(yml, 'custom.cfg', { files }).value).toEqual({ timeout: 20, vpc: { subnetIds: ['subnet-1'] } });
    expect(resolveIn(yml, 'custom.t', { files }).value).toBe(20);
    expect(resolveIn(yml, 'custom.q', { files }).value).toBe('q-jobs');
    expect(resolveIn(yml, 'custom.missing', { files }).value).toBe(5);
  });

  it('leaves CloudFormation placeholders alone and survives reference loops', () => {
    const yml = svc(
      'custom:\n  arn: arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:q\n  a: ${self:custom.b}\n  b: ${self:custom.a}\n',
    );
    const arn = resolveIn(yml, 'custom.arn');
    expect(arn.value).toBe('arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:q');
    expect(arn.symbolic).toBe(false);
    expect(() => resolveIn(yml, 'custom.a')).not.toThrow();
  });

  it('names logical ids as the framework does', () => {
    expect(normalizedName('hello-world_x')).toBe('HelloDashworldUnderscorex');
  });
});

function statementsOf(
  model: Model,
  roleId: string,
): { effect: string; actions: string[]; resources: string[]; note?: string; line?: number }[] {
  const role = model.roles.find((r) => r.id === roleId);
  if (!role) throw new Error(`no role ${roleId}`);
  return role.inline.flatMap((d) =>
    d.statements.map((s: Statement) => ({
      effect: s.effect,
      actions: (s.actions ?? []).map((a) => a.value ?? ''),
      resources: (s.resources ?? []).map((r) => r.value ?? r.sym?.text ?? '?'),
      note: s.origin.note,
      line: s.origin.range?.start.line,
    })),
  );
}

describe('Serverless loader', () => {
  const generated = [
    'service: jobs',
    'provider:',
    '  name: aws',
    '  runtime: nodejs22.x',
    '  timeout: 30',
    '  tracing:',
    '    lambda: true',
    '  iam:',
    '    role:',
    '      statements:',
    '        - Effect: Allow',
    '          Action: dynamodb:PutItem',
    '          Resource: !GetAtt Table.Arn',
    'functions:',
    '  worker:',
    '    handler: handler.main',
    '    events:',
    '      - sqs: !GetAtt Queue.Arn',
    '      - stream:',
    '          type: dynamodb',
    '          arn: !GetAtt Table.StreamArn',
    '  api:',
    '    handler: handler.api',
    '    name: public-api',
    '    timeout: 10',
    '    events:',
    '      - httpApi: GET /items',
    'resources:',
    '  Resources:',
    '    Queue:',
    '      Type: AWS::SQS::Queue',
    '    Table:',
    '      Type: AWS::DynamoDB::Table',
    '',
  ].join('\n');

  it('builds IamRoleLambdaExecution with the statements the framework adds', () => {
    const { model, parseErrors } = loadProject({ cwd: project({ 'serverless.yml': generated }) });
    expect(parseErrors).toEqual([]);
    const LOGS = 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:';
    expect(statementsOf(model, 'IamRoleLambdaExecution')).toEqual([
      {
        effect: 'Allow',
        actions: ['logs:CreateLogStream', 'logs:CreateLogGroup', 'logs:TagResource'],
        resources: [`${LOGS}/aws/lambda/jobs-dev*:*`, `${LOGS}/aws/lambda/public-api:*`],
        note: "added by the Serverless Framework for the functions' logs",
        line: 2,
      },
      {
        effect: 'Allow',
        actions: ['logs:PutLogEvents'],
        resources: [`${LOGS}/aws/lambda/jobs-dev*:*:*`, `${LOGS}/aws/lambda/public-api:*:*`],
        note: "added by the Serverless Framework for the functions' logs",
        line: 2,
      },
      {
        effect: 'Allow',
        actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
        resources: ['!GetAtt Queue.Arn'],
        note: 'added by the Serverless Framework for the sqs event of worker',
        line: 18,
      },
      {
        effect: 'Allow',
        actions: [
          'dynamodb:GetRecords',
          'dynamodb:GetShardIterator',
          'dynamodb:DescribeStream',
          'dynamodb:ListStreams',
        ],
        resources: ['!GetAtt Table.StreamArn'],
        note: 'added by the Serverless Framework for the stream event of worker',
        line: 19,
      },
      {
        effect: 'Allow',
        actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
        resources: ['*'],
        note: 'added by the Serverless Framework for tracing',
        line: 7,
      },
      { effect: 'Allow', actions: ['dynamodb:PutItem'], resources: ['!GetAtt Table.Arn'], note: undefined, line: 11 },
    ]);
    const role = model.roles.find((r) => r.id === 'IamRoleLambdaExecution')!;
    expect(role.generated).toBe(true);
    expect(role.managedPolicyArns).toEqual([]);
  });

  it('builds a role per function (v4): in perFunction mode, or for a function with its own iam.role', () => {
    const yml = (extra: string) =>
      [
        'service: jobs',
        'provider:',
        '  name: aws',
        '  iam:',
        '    role:',
        extra,
        '      statements:',
        '        - { Effect: Allow, Action: dynamodb:GetItem, Resource: "*" }',
        'functions:',
        '  reader:',
        '    handler: h.reader',
        '  writer:',
        '    handler: h.writer',
        '    iam:',
        '      role:',
        '        statements:',
        '          - { Effect: Allow, Action: dynamodb:PutItem, Resource: "*" }',
        '  legacy:',
        '    handler: h.legacy',
        '    iamRoleStatements:',
        '      - { Effect: Allow, Action: s3:GetObject, Resource: "*" }',
        '',
      ].join('\n');
    const actions = (model: Model, id: string) =>
      statementsOf(model, id)
        .filter((st) => st.note === undefined)
        .flatMap((st) => st.actions);
    const roleOf = (model: Model, fn: string) => model.functions.find((f) => f.id === fn)!.role.roleId;

    const mixed = loadProject({ cwd: project({ 'serverless.yml': yml('      name: shared') }) }).model;
    expect([roleOf(mixed, 'reader'), roleOf(mixed, 'writer'), roleOf(mixed, 'legacy')]).toEqual([
      'IamRoleLambdaExecution',
      'WriterIamRoleLambdaExecution',
      undefined,
    ]);
    // In the default (shared) mode a function's own role does not inherit the provider's statements
    // unless `iam.inheritStatements: true` (roles-per-function.js, docs/sf/providers/aws/guide/iam.md).
    expect(actions(mixed, 'WriterIamRoleLambdaExecution')).toEqual(['dynamodb:PutItem']);
    const inheriting = loadProject({
      cwd: project({
        'serverless.yml': yml('      name: shared').replace(
          '    iam:\n      role:\n        statements:',
          '    iam:\n      inheritStatements: true\n      role:\n        statements:',
        ),
      }),
    }).model;
    expect(actions(inheriting, 'WriterIamRoleLambdaExecution')).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);

    const perFunction = loadProject({ cwd: project({ 'serverless.yml': yml('      mode: perFunction') }) }).model;
    expect([roleOf(perFunction, 'reader'), roleOf(perFunction, 'writer'), roleOf(perFunction, 'legacy')]).toEqual([
      'ReaderIamRoleLambdaExecution',
      'WriterIamRoleLambdaExecution',
      'LegacyIamRoleLambdaExecution',
    ]);
    expect(actions(perFunction, 'LegacyIamRoleLambdaExecution')).toEqual(['dynamodb:GetItem', 's3:GetObject']);
    expect(perFunction.roles.some((r) => r.id === 'IamRoleLambdaExecution')).toBe(false);
    expect(actions(perFunction, 'ReaderIamRoleLambdaExecution')).toEqual(['dynamodb:GetItem']);
    const writer = perFunction.roles.find((r) => r.id === 'WriterIamRoleLambdaExecution')!;
    expect([writer.generated, writer.complete]).toEqual([true, true]);
    expect(
      statementsOf(perFunction, 'WriterIamRoleLambdaExecution').some((st) => st.actions.includes('logs:PutLogEvents')),
    ).toBe(true);

    // Framework v3 ignores a function's iam and iamRoleStatements (no plugin): the shared role.
    const v3 = loadProject({
      cwd: project({ 'serverless.yml': "frameworkVersion: '3'\n" + yml('      name: shared') }),
    }).model;
    expect([roleOf(v3, 'writer'), roleOf(v3, 'legacy')]).toEqual(['IamRoleLambdaExecution', 'IamRoleLambdaExecution']);
    expect(v3.roles.map((r) => r.id)).toEqual(['IamRoleLambdaExecution']);

    // A policy resource may attach to these roles under ids lambdalint does not know.
    const withPolicy =
      yml('      mode: perFunction') +
      'resources:\n  Resources:\n    Extra:\n      Type: AWS::IAM::Policy\n      Properties: { PolicyName: x, Roles: [!Ref SomeRole], PolicyDocument: { Statement: [] } }\n';
    const incomplete = loadProject({ cwd: project({ 'serverless.yml': withPolicy }) }).model;
    expect(incomplete.roles.filter((r) => r.generated).map((r) => r.complete)).toEqual([false, false, false]);
  });

  it('builds the roles serverless-iam-roles-per-function makes, with exactly what the plugin adds', () => {
    // The plugin's createRoleForFunction (v3.2.0, src/lib/index.ts): logs for the function's own
    // group, VPC policy, stream and SQS reads, onError publish; no X-Ray, no destinations, no
    // provider managed policies; provider statements only when inheriting.
    const yml = (extra = '') =>
      [
        'service: jobs',
        "frameworkVersion: '3'",
        'plugins:',
        '  - serverless-iam-roles-per-function',
        extra,
        'provider:',
        '  name: aws',
        '  tracing: { lambda: true }',
        '  vpc: { securityGroupIds: [sg-1], subnetIds: [subnet-1] }',
        '  iam:',
        '    role:',
        '      managedPolicies: [arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess]',
        '      statements:',
        '        - { Effect: Allow, Action: dynamodb:GetItem, Resource: "*" }',
        'functions:',
        '  worker:',
        '    handler: h.worker',
        '    onError: arn:aws:sns:us-east-1:123456789012:errors',
        '    iamRoleStatements:',
        '      - { Effect: Allow, Action: s3:PutObject, Resource: "*" }',
        '    events:',
        '      - sqs: arn:aws:sqs:us-east-1:123456789012:jobs',
        '      - stream: { type: dynamodb, arn: arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/1 }',
        '  api:',
        '    handler: h.api',
        '',
      ].join('\n');
    const LOGS = 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:';
    const model = loadProject({ cwd: project({ 'serverless.yml': yml() }) }).model;
    const roleOf = (m: Model, fn: string) => m.functions.find((f) => f.id === fn)!.role.roleId;
    expect([roleOf(model, 'worker'), roleOf(model, 'api')]).toEqual([
      'WorkerIamRoleLambdaExecution',
      'IamRoleLambdaExecution',
    ]);
    expect(model.roles.map((r) => r.id).sort()).toEqual(['IamRoleLambdaExecution', 'WorkerIamRoleLambdaExecution']);
    expect(
      statementsOf(model, 'WorkerIamRoleLambdaExecution').map(({ actions, resources, note }) => ({
        actions,
        resources,
        note,
      })),
    ).toEqual([
      {
        actions: ['logs:CreateLogStream', 'logs:CreateLogGroup', 'logs:PutLogEvents'],
        resources: [`${LOGS}/aws/lambda/jobs-dev-worker:*:*`],
        note: 'added by serverless-iam-roles-per-function for the logs of worker',
      },
      {
        actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
        resources: ['arn:aws:sqs:us-east-1:123456789012:jobs'],
        note: 'added by serverless-iam-roles-per-function for the sqs event of worker',
      },
      {
        actions: [
          'dynamodb:GetRecords',
          'dynamodb:GetShardIterator',
          'dynamodb:DescribeStream',
          'dynamodb:ListStreams',
        ],
        resources: ['arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/1'],
        note: 'added by serverless-iam-roles-per-function for the stream event of worker',
      },
      {
        actions: ['sns:Publish'],
        resources: ['arn:aws:sns:us-east-1:123456789012:errors'],
        note: 'added by serverless-iam-roles-per-function for onError of worker',
      },
      { actions: ['s3:PutObject'], resources: ['*'], note: undefined },
    ]);
    const worker = model.roles.find((r) => r.id === 'WorkerIamRoleLambdaExecution')!;
    expect([worker.generated, worker.complete, worker.managedPolicyArns.map((a) => a.value)]).toEqual([
      true,
      true,
      ['arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole'],
    ]);
    // The framework still puts every function's events on the shared role (v3).
    expect(statementsOf(model, 'IamRoleLambdaExecution').some((st) => st.actions.includes('sqs:ReceiveMessage'))).toBe(
      true,
    );

    // defaultInherit copies the provider's statements; a function's iamRoleStatementsInherit: false wins.
    const inherit = loadProject({
      cwd: project({
        'serverless.yml': yml('custom:\n  serverless-iam-roles-per-function:\n    defaultInherit: true'),
      }),
    }).model;
    expect(
      statementsOf(inherit, 'WorkerIamRoleLambdaExecution')
        .filter((st) => st.note === undefined)
        .flatMap((st) => st.actions),
    ).toEqual(['dynamodb:GetItem', 's3:PutObject']);
    const optOut = loadProject({
      cwd: project({
        'serverless.yml': yml('custom:\n  serverless-iam-roles-per-function:\n    defaultInherit: true').replace(
          '    iamRoleStatements:',
          '    iamRoleStatementsInherit: false\n    iamRoleStatements:',
        ),
      }),
    }).model;
    expect(
      statementsOf(optOut, 'WorkerIamRoleLambdaExecution')
        .filter((st) => st.note === undefined)
        .flatMap((st) => st.actions),
    ).toEqual(['s3:PutObject']);

    // Without the plugin, v3 ignores iamRoleStatements: the shared role.
    const noPlugin = loadProject({
      cwd: project({
        'serverless.yml': yml().replace('  - serverless-iam-roles-per-function', '  - serverless-offline'),
      }),
    }).model;
    expect(roleOf(noPlugin, 'worker')).toBe('IamRoleLambdaExecution');
    // A fork of the plugin, or no frameworkVersion and no plugin: not known, and said so.
    const fork = loadProject({
      cwd: project({
        'serverless.yml': yml().replace(
          '  - serverless-iam-roles-per-function',
          '  - "@acme/serverless-iam-roles-per-function"',
        ),
      }),
    });
    expect(roleOf(fork.model, 'worker')).toBeUndefined();
    expect(fork.model.notChecked.map((n) => [n.fn, n.reason, n.rules.length])).toEqual([
      [
        'worker',
        'role made by the plugin @acme/serverless-iam-roles-per-function, a fork lambdalint does not model',
        6,
      ],
    ]);
    const unversioned = loadProject({
      cwd: project({
        'serverless.yml': yml()
          .replace("frameworkVersion: '3'\n", '')
          .replace('  - serverless-iam-roles-per-function', '  - serverless-offline'),
      }),
    }).model;
    expect(roleOf(unversioned, 'worker')).toBeUndefined();
  });

  it('applies serverless-lift constructs: statements per installed version, queue workers, what it does not model', () => {
    const yml = (extra = '') =>
      [
        'service: svc',
        'plugins: [serverless-lift]',
        'provider: { name: aws, runtime: nodejs22.x }',
        'constructs:',
        '  jobs: { type: queue, batchSize: 3, worker: { handler: w.handler } }',
        '  files: { type: storage }',
        extra,
        'functions:',
        '  api: { handler: a.handler, environment: { Q: "${construct:jobs.queueUrl}", B: "${construct:files.bucketArn}" } }',
        '',
      ].join('\n');
    const lock = (v: string) => JSON.stringify({ packages: { 'node_modules/serverless-lift': { version: v } } });
    const actionsOf = (m: Model) =>
      statementsOf(m, 'IamRoleLambdaExecution')
        .filter((st) => st.note === undefined)
        .map((st) => [st.actions.length, st.resources]);
    const latest = loadProject({ cwd: project({ 'serverless.yml': yml() }) }).model;
    expect(actionsOf(latest)).toEqual([
      [2, ['!GetAtt jobsQueue.Arn']],
      [14, ['!GetAtt filesBucket.Arn', '${filesBucket.Arn}/*']],
    ]);
    // Before 1.25.1 no ChangeMessageVisibility; before 1.37.4 four storage actions.
    const old = loadProject({ cwd: project({ 'serverless.yml': yml(), 'package-lock.json': lock('1.20.0') }) }).model;
    expect(actionsOf(old)).toEqual([
      [1, ['!GetAtt jobsQueue.Arn']],
      [4, ['!GetAtt filesBucket.Arn', '${filesBucket.Arn}/*']],
    ]);
    // The worker is a function of the service with an sqs event on the queue; variables resolve to the construct's resources.
    expect(latest.functions.map((f) => f.id)).toEqual(['api', 'jobsWorker']);
    expect(
      latest.mappings.map((mp) => [mp.target.functionId, mp.kind, mp.source?.sym?.text, mp.batchSize?.value]),
    ).toEqual([['jobsWorker', 'sqs', '!GetAtt jobsQueue.Arn', 3]]);
    expect(latest.functions[0].environment?.Q?.sym?.text).toBe('!Ref jobsQueue');
    // automaticPermissions: false adds nothing; a vpc construct and an unknown type are said.
    const off = loadProject({ cwd: project({ 'serverless.yml': yml('lift: { automaticPermissions: false }') }) }).model;
    expect(actionsOf(off)).toEqual([]);
    const gaps = loadProject({
      cwd: project({ 'serverless.yml': yml('  net: { type: vpc }\n  mail: { type: acme/mailer }') }),
    }).model;
    expect(gaps.notChecked.map((n) => [n.reason, n.rules.length])).toEqual([
      ['VPC set by serverless-lift construct net', 3],
      ['serverless-lift construct mail of type acme/mailer not modelled', 6],
    ]);
    expect(gaps.roles.find((r) => r.id === 'IamRoleLambdaExecution')?.complete).toBe(false);
  });

  it('gives the shared role execute-api:ManageConnections for websocket events unless the API is an existing one', () => {
    const yml = (extra = '') =>
      [
        'service: svc',
        `provider: { name: aws${extra} }`,
        'functions:',
        '  a: { handler: h.a }',
        '  b: { handler: h.b, events: [{ websocket: $default }] }',
        '',
      ].join('\n');
    const ws = statementsOf(
      loadProject({ cwd: project({ 'serverless.yml': yml() }) }).model,
      'IamRoleLambdaExecution',
    ).filter((st) => st.actions.includes('execute-api:ManageConnections'));
    expect(ws.map((st) => [st.resources, st.note, st.line])).toEqual([
      [
        ['arn:${AWS::Partition}:execute-api:*:*:*/@connections/*'],
        'added by the Serverless Framework for websocket events',
        5,
      ],
    ]);
    const existing = statementsOf(
      loadProject({ cwd: project({ 'serverless.yml': yml(', apiGateway: { websocketApiId: abc123 }') }) }).model,
      'IamRoleLambdaExecution',
    );
    expect(existing.some((st) => st.actions.includes('execute-api:ManageConnections'))).toBe(false);
  });

  it('reads tracing turned on by serverless-plugin-tracing, which depends on --stage', () => {
    const yml = [
      'service: svc',
      'plugins: [serverless-plugin-tracing]',
      'provider: { name: aws, tracing: true }',
      'functions:',
      '  a: { handler: h.a }',
      '  b: { handler: h.b, tracing: false }',
      '  c: { handler: h.c, name: svc-c }',
      '',
    ].join('\n');
    const cwd = project({ 'serverless.yml': yml });
    const noStage = loadProject({ cwd }).model;
    expect(noStage.functions.map((f) => [f.id, f.tracing?.value, f.tracing?.sym?.text])).toEqual([
      ['a', undefined, 'tracing set by serverless-plugin-tracing'],
      ['b', undefined, undefined],
      ['c', 'Active', undefined],
    ]);
    expect(noStage.notChecked.map((n) => [n.fn, n.reason])).toEqual([
      ['a', 'serverless-plugin-tracing turns tracing on only when deployed with --stage'],
    ]);
    const staged = loadProject({ cwd, stage: 'dev' }).model;
    expect(staged.functions.map((f) => f.tracing?.value)).toEqual(['Active', undefined, 'Active']);
  });

  it('merges provider defaults into functions with their origin', () => {
    const { model } = loadProject({ cwd: project({ 'serverless.yml': generated }) });
    const worker = model.functions.find((f) => f.id === 'worker')!;
    const api = model.functions.find((f) => f.id === 'api')!;
    expect(worker.framework).toBe('serverless');
    expect(worker.timeout?.value).toBe(30);
    expect(worker.timeout?.origin.via).toBe('provider');
    expect(worker.timeout?.origin.range?.start).toEqual({ line: 5, column: 3 });
    expect(api.timeout).toMatchObject({ value: 10, origin: { via: 'direct' } });
    expect(worker.runtime).toMatchObject({ value: 'nodejs22.x', origin: { via: 'provider' } });
    expect(worker.tracing).toMatchObject({ value: 'Active', origin: { via: 'provider' } });
    expect(worker.name?.value).toBe('jobs-dev-worker');
    expect(worker.memorySize).toBeUndefined(); // the framework default (1024) is written nowhere
    expect(worker.role.roleId).toBe('IamRoleLambdaExecution');
    expect(model.mappings.map((m) => [m.id, m.kind, m.target.functionId, m.target.qualifier])).toEqual([
      ['worker.events[0]', 'sqs', 'worker', 'unqualified'],
      ['worker.events[1]', 'dynamodb', 'worker', 'unqualified'],
    ]);
    expect(model.triggers.map((t) => [t.id, t.kind, t.implicitPermission])).toEqual([
      ['api.events[0]', 'http-api', true],
    ]);
    expect(model.logGroups.map((g) => g.name?.value)).toEqual([
      '/aws/lambda/jobs-dev-worker',
      '/aws/lambda/public-api',
    ]);
  });

  it('follows a custom role in resources and generates nothing for it', () => {
    const yml = [
      'service: jobs',
      'provider:',
      '  name: aws',
      '  runtime: nodejs22.x',
      'functions:',
      '  worker:',
      '    handler: handler.main',
      '    role: WorkerRole',
      '    events:',
      '      - sqs:',
      '          arn: !GetAtt Queue.Arn',
      'resources:',
      '  Resources:',
      '    Queue:',
      '      Type: AWS::SQS::Queue',
      '    WorkerRole:',
      '      Type: AWS::IAM::Role',
      '      Properties:',
      '        Policies:',
      '          - PolicyName: poll',
      '            PolicyDocument:',
      '              Statement:',
      '                - Effect: Allow',
      '                  Action: sqs:ReceiveMessage',
      '                  Resource: !GetAtt Queue.Arn',
      '',
    ].join('\n');
    const { model } = loadProject({ cwd: project({ 'serverless.yml': yml }) });
    expect(model.roles.map((r) => r.id)).toEqual(['WorkerRole']);
    expect(model.functions[0].role).toMatchObject({
      roleId: 'WorkerRole',
      origin: { via: 'direct', range: { start: { line: 8, column: 5 } } },
    });
    expect(statementsOf(model, 'WorkerRole')).toEqual([
      { effect: 'Allow', actions: ['sqs:ReceiveMessage'], resources: ['!GetAtt Queue.Arn'], note: undefined, line: 23 },
    ]);
  });

  it('keeps a role given as an ARN outside the project unknown', async () => {
    const yml =
      'service: jobs\nprovider:\n  name: aws\n  runtime: nodejs22.x\n  iam:\n    role: arn:aws:iam::123456789012:role/shared\nfunctions:\n  worker:\n    handler: handler.main\n    events:\n      - sqs: arn:aws:sqs:us-east-1:123456789012:jobs\n';
    const cwd = project({ 'serverless.yml': yml, 'handler.js': 'export const main = async () => {};\n' });
    const { model } = loadProject({ cwd });
    expect(model.roles).toEqual([]);
    expect(model.functions[0].role.roleId).toBeUndefined();
    expect(model.functions[0].role.ref?.value).toBe('arn:aws:iam::123456789012:role/shared');
    const result = await lint({ cwd, today: TODAY });
    expect(result.findings.filter((f) => f.ruleId.endsWith('-permission'))).toEqual([]);
  });

  it('decides production from provider.stage and --stage, and retargets events to the provisioned alias', () => {
    const yml =
      "service: s\nprovider:\n  name: aws\n  stage: ${opt:stage, 'dev'}\nfunctions:\n  f:\n    handler: h.f\n    provisionedConcurrency: 1\n    events:\n      - schedule: rate(1 minute)\n";
    const cwd = project({ 'serverless.yml': yml });
    expect(loadProject({ cwd }).model.deployments[0].production).toEqual({ isProduction: false });
    const prod = loadProject({ cwd, stage: 'prod' }).model;
    expect(prod.deployments[0].production).toMatchObject({ isProduction: true, reason: '--stage prod' });
    expect(prod.triggers[0].target).toMatchObject({
      functionId: 'f',
      qualifier: 'alias',
      aliasId: 'FProvConcLambdaAlias',
    });
    expect(prod.aliases.map((a) => [a.id, a.name?.value, a.pointsToPublished])).toEqual([
      ['FProvConcLambdaAlias', 'provisioned', true],
    ]);
  });

  it('reports a service file that does not parse and goes on', async () => {
    const cwd = project({
      'serverless.yml': 'service: s\nprovider:\n  name: aws\n  timeout: [1,\n',
      'b/serverless.yml': 'service: b\nprovider:\n  name: aws\n  timeout: 1200\nfunctions:\n  f:\n    handler: h.f\n',
    });
    const result = await lint({ cwd, today: TODAY });
    expect(result.findings.map((f) => [f.ruleId, f.file, f.line])).toEqual(
      [
        ['timeout-limit', 'b/serverless.yml', 4],
        ['parse-error', 'serverless.yml', 5],
      ].sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
    );
  });

  it('models package.artifact as a prebuilt zip and framework packaging as the service folder, unmeasured, both through S3', () => {
    const yml =
      'service: s\nprovider:\n  name: aws\npackage:\n  patterns:\n    - "!tests/**"\nfunctions:\n  a:\n    handler: h.a\n    package:\n      artifact: dist/a.zip\n  b:\n    handler: h.b\n';
    const cwd = project({ 'serverless.yml': yml });
    const [a, b] = loadProject({ cwd }).model.functions;
    expect(a.code).toMatchObject({
      kind: 'local-zip',
      path: path.join(cwd, 'dist/a.zip'),
      directUpload: false,
      built: true,
      origin: { via: 'direct', range: { start: { line: 11, column: 7 } } },
    });
    expect(b.code).toMatchObject({
      kind: 'local-dir',
      path: cwd,
      directUpload: false,
      built: false,
      unmeasured: 'packaged by the Serverless Framework through package.patterns',
      origin: { range: { start: { line: 5, column: 3 } } },
    });
  });

  it("loads the service's layers and links functions to them", () => {
    const yml =
      'service: s\nprovider:\n  name: aws\n  layers:\n    - arn:aws:lambda:us-east-1:123456789012:layer:shared:3\nlayers:\n  deps:\n    path: layers/deps\nfunctions:\n  a:\n    handler: h.a\n    layers:\n      - !Ref DepsLambdaLayer\n  b:\n    handler: h.b\n';
    const cwd = project({ 'serverless.yml': yml });
    const { model } = loadProject({ cwd });
    expect(model.layers.map((l) => [l.id, l.code.kind, l.code.path])).toEqual([
      ['DepsLambdaLayer', 'local-dir', path.join(cwd, 'layers/deps')],
    ]);
    const [a, b] = model.functions;
    expect(a.layers.map((l) => l.target)).toEqual(['DepsLambdaLayer']);
    expect(b.layers.map((l) => [l.target, l.ref.value, l.ref.origin.via])).toEqual([
      [undefined, 'arn:aws:lambda:us-east-1:123456789012:layer:shared:3', 'provider'],
    ]);
  });

  it('discovers service files by name, outside dependency and build folders', () => {
    const cwd = project({
      'a/serverless.yml': 'x: 1\n',
      'b/serverless.ts': '',
      'c/serverless.json': '{}',
      'node_modules/p/serverless.yml': '',
      '.serverless/serverless.yml': '',
      'd/serverless.test.ts': '',
      'e/my-serverless.yml': '',
    });
    expect(discover(['.'], cwd).serverless.map((f) => path.relative(cwd, f))).toEqual([
      'a/serverless.yml',
      'b/serverless.ts',
      'c/serverless.json',
    ]);
    expect(discover(['e/my-serverless.yml'], cwd).serverless).toEqual([]);
  });

  it('ignores services of other providers', () => {
    const { model } = loadProject({
      cwd: project({ 'serverless.yml': 'service: s\nprovider:\n  name: azure\nfunctions:\n  f:\n    handler: h.f\n' }),
    });
    expect(model.functions).toEqual([]);
    expect(model.deployments).toEqual([]);
  });
});

describe('serverless.ts', () => {
  const ts = [
    "import type { AWS } from '@serverless/typescript';",
    "import hello from '@functions/hello';",
    'const timeout = 1200;',
    'const serverlessConfiguration: AWS = {',
    "  service: 'typed',",
    "  provider: { name: 'aws', runtime: 'nodejs22.x', timeout, environment: { TABLE: process.env.TABLE } },",
    '  functions: {',
    '    hello,',
    "    world: { handler: 'src/world.main', memorySize: 64, events: [{ sqs: { arn: 'arn:aws:sqs:us-east-1:123456789012:q' } }] },",
    '  },',
    '};',
    'export default serverlessConfiguration;',
    '',
  ].join('\n');

  it('reads the exported object literal with exact positions and never guesses the rest', () => {
    const parsed = parseServerlessScript('/x/serverless.ts', ts);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const prov = parsed.root.entries!.find((e) => e.key === 'provider')!.value;
    const t = prov.entries!.find((e) => e.key === 'timeout')!;
    expect(t.value.value).toBe(1200);
    expect(parsed.file.range(t.keyStart, t.keyEnd).start).toEqual({ line: 6, column: 51 });
    const env = prov.entries!.find((e) => e.key === 'environment')!.value.entries![0].value;
    expect(String(env.value)).toMatch(/^\$\{code:/);
  });

  it('lints a serverless.ts service like a serverless.yml one', async () => {
    const cwd = project({ 'serverless.ts': ts });
    const result = await lint({ cwd, today: TODAY });
    expect(result.stats.functions).toBe(1); // `hello` comes from a module that is not in the project
    expect(result.coverage?.notChecked).toEqual([
      {
        function: 'hello',
        file: 'serverless.ts',
        rules: [],
        reason: 'function hello imported from @functions/hello, not a file of the project in serverless.ts (line 2)',
      },
      // The service's handler files are not written here: the handler-code rules say so.
      {
        function: 'world',
        file: 'serverless.ts',
        rules: [
          'aws-sdk-v2-runtime',
          'handler-not-found',
          'latest-in-production',
          'missing-dependency',
          'recursive-trigger',
          'sdk-permission',
          'tracing-disabled',
        ],
        reason: 'code folder . holds no Node.js source file: handler src/world.main not checked',
      },
    ]);
    expect(
      result.findings
        .filter((f) => f.ruleId !== 'deprecated-runtime')
        .map((f) => [f.ruleId, f.function, f.line, f.column]),
    ).toEqual([
      ['timeout-limit', 'world', 6, 51],
      ['memory-limit', 'world', 9, 41],
    ]);
    const { model } = loadProject({ cwd });
    expect(model.functions[0].environment.TABLE.sym?.text).toMatch(/^\$\{code:/);
  });

  it('follows the aws-nodejs-typescript starter: path aliases, re-exports, handlerPath(__dirname), constants', () => {
    const cwd = path.resolve('fixtures/event-source-permission/positive/serverless-ts-starter-custom-role');
    const { model, parseErrors } = loadProject({ cwd });
    expect(parseErrors).toEqual([]);
    expect(model.functions.map((f) => [f.id, f.handler?.value, f.role.roleId, f.timeout?.value])).toEqual([
      ['hello', 'src/functions/hello/handler.main', 'IamRoleLambdaExecution', undefined],
      ['worker', 'src/functions/worker/handler.main', 'WorkerRole', 30],
    ]);
    expect(model.roles.map((r) => r.id).sort()).toEqual(['IamRoleLambdaExecution', 'WorkerRole']);
    expect(model.triggers.map((t) => [t.id, t.kind])).toEqual([['hello.events[0]', 'api']]);
    expect(
      model.mappings.map((m) => [
        m.id,
        m.kind,
        m.source?.sym?.target,
        m.origin.range?.file.endsWith('src/functions/worker/index.ts'),
        m.origin.range?.start.line,
      ]),
    ).toEqual([['worker.events[0]', 'sqs', 'JobsQueue', true, 9]]);
    // Each function's key is where serverless.ts got it: the re-export in src/functions/index.ts.
    expect(model.functions.map((f) => [path.relative(cwd, f.origin.range!.file), f.origin.range!.start.line])).toEqual([
      ['src/functions/index.ts', 1],
      ['src/functions/index.ts', 2],
    ]);
    expect(model.notChecked).toEqual([]);

    const timeouts = loadProject({ cwd: path.resolve('fixtures/timeout-limit/positive/serverless-ts-starter') }).model;
    expect(timeouts.functions.map((f) => [f.id, f.timeout?.value, f.timeout?.origin.range?.start.line])).toEqual([
      ['hello', undefined, undefined],
      ['report', 1200, 7],
    ]);
  });

  it('evaluates helpers, CommonJS and spreads, and names what it cannot follow', () => {
    const dir = project({
      'serverless.js': [
        "const path = require('path');",
        "const common = require('./common');",
        "const { jobs } = require('./fns/jobs.js');",
        'const stage = process.env.STAGE;',
        'module.exports = {',
        "  service: 'svc',",
        "  provider: { name: 'aws', runtime: 'nodejs22.x', ...common.provider },",
        '  functions: {',
        '    ...jobs,',
        "    api: { handler: path.join(path.relative(process.cwd(), __dirname), 'src', 'api.main'), timeout: common.timeout + 3 },",
        '    ...buildMore(stage),',
        '  },',
        '};',
        '',
      ].join('\n'),
      'common.js': 'exports.timeout = 27;\nexports.provider = { memorySize: 64 };\n',
      'fns/jobs.js': [
        "const dir = (d) => d.split('/').slice(-1).join('');",
        'module.exports.jobs = {',
        '  nightly: { handler: `fns/${dir(__dirname)}.nightly`, events: [{ schedule: `rate(${24} hours)` }] },',
        '  [`dyn${Date.now()}`]: { handler: "x.y" },',
        '};',
        '',
      ].join('\n'),
    });
    const { model } = loadProject({ cwd: dir });
    expect(model.functions.map((f) => [f.id, f.handler?.value, f.timeout?.value, f.memorySize?.value])).toEqual([
      ['nightly', 'fns/fns.nightly', undefined, 64],
      ['api', 'src/api.main', 30, 64],
    ]);
    expect(model.notChecked.map((n) => [n.fn, n.reason])).toEqual([
      [undefined, 'functions built dynamically in fns/jobs.js (line 4)'],
      [undefined, 'functions built dynamically in serverless.js (line 11)'],
    ]);
  });

  it('reports a syntax error as a parse error', async () => {
    const cwd = project({ 'serverless.ts': 'export default { service: "x", provider: { name: "aws" ,, };\n' });
    const result = await lint({ cwd, today: TODAY });
    expect(result.findings.map((f) => f.ruleId)).toEqual(['parse-error']);
  });
});
