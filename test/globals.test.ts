// A value inherited from SAM Globals is reported one way in every rule (README "Values inherited
// from Globals"): the finding points at the line in Globals where the value is written, each
// function that inherits it is a related location "inherited by <function>", and a Globals value
// that is only a related location says "(inherited from Globals)".
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lint } from '../src/lint.js';
import { TODAY } from './helpers.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-globals-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const ROLE = `  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - !Sub arn:\${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
`;

// Line numbers below are those of these templates.
const JOBS = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs16.x
    Handler: app.handler
    CodeUri: src/
    Timeout: 1200
    MemorySize: 64
    Tracing: Active
    ReservedConcurrentExecutions: 500
    DeadLetterQueue:
      Type: SQS
      TargetArn: !GetAtt DeadLetters.Arn
    VpcConfig:
      SubnetIds:
        - subnet-0a1b2c3d4e5f60001
Resources:
  DeadLetters:
    Type: AWS::SQS::Queue
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 60
${ROLE}  Api:
    Type: AWS::Serverless::Function
    Properties:
      Role: !GetAtt WorkerRole.Arn
      Events:
        Get:
          Type: Api
          Properties:
            Path: /items
            Method: get
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Role: !GetAtt WorkerRole.Arn
      Events:
        Jobs:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
`;

const NETWORK = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Handler: main.handler
    CodeUri: src/
    Timeout: 30
    VpcConfig:
      SubnetIds:
        - subnet-0a1b2c3d4e5f60001
      SecurityGroupIds:
        - sg-0a1b2c3d4e5f60001
Resources:
${ROLE}  Ingest:
    Type: AWS::Serverless::Function
    Properties:
      Role: !GetAtt WorkerRole.Arn
  Export:
    Type: AWS::Serverless::Function
    Properties:
      Role: !GetAtt WorkerRole.Arn
`;

function project(name: string, template: string, code: Record<string, string>): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'template.yaml'), template);
  for (const [file, text] of Object.entries(code)) fs.writeFileSync(path.join(dir, 'src', file), text);
  return dir;
}

async function findings(dir: string) {
  const result = await lint({ cwd: dir, today: TODAY });
  expect(result.toolErrors).toEqual([]);
  return result.findings.map((f) => ({
    rule: f.ruleId,
    at: `${f.line}:${f.column}`,
    function: f.function,
    related: (f.related ?? []).map((r) => `${r.line}:${r.column} ${r.message}`),
  }));
}

describe('values inherited from SAM Globals', () => {
  it('are reported at the Globals line, with each inheriting function related, in every rule', async () => {
    const dir = project('jobs', JOBS, { 'app.js': 'exports.handler = async () => ({ statusCode: 200 });\n' });
    const all = await findings(dir);
    const of = (rule: string) => all.filter((f) => f.rule === rule);
    // Api is declared at line 36, Worker at line 46.
    expect(of('deprecated-runtime')).toEqual([
      {
        rule: 'deprecated-runtime',
        at: '5:5',
        function: 'Api',
        related: ['36:3 inherited by Api', '46:3 inherited by Worker'],
      },
    ]);
    expect(of('timeout-limit')).toEqual([
      {
        rule: 'timeout-limit',
        at: '8:5',
        function: 'Api',
        related: ['36:3 inherited by Api', '46:3 inherited by Worker'],
      },
    ]);
    expect(of('memory-limit')).toEqual([
      {
        rule: 'memory-limit',
        at: '9:5',
        function: 'Api',
        related: ['36:3 inherited by Api', '46:3 inherited by Worker'],
      },
    ]);
    expect(of('vpc-config')).toEqual([
      {
        rule: 'vpc-config',
        at: '15:5',
        function: 'Api',
        related: ['36:3 inherited by Api', '46:3 inherited by Worker'],
      },
    ]);
    expect(of('api-gateway-timeout')).toEqual([
      {
        rule: 'api-gateway-timeout',
        at: '8:5',
        function: 'Api',
        related: ['36:3 inherited by Api', '41:9 API integration here'],
      },
    ]);
    // Messages that name the function stay one finding per function, each at the Globals line.
    expect(of('xray-permission')).toEqual([
      {
        rule: 'xray-permission',
        at: '10:5',
        function: 'Api',
        related: ['36:3 inherited by Api', '25:3 role WorkerRole defined here'],
      },
      {
        rule: 'xray-permission',
        at: '10:5',
        function: 'Worker',
        related: ['46:3 inherited by Worker', '25:3 role WorkerRole defined here'],
      },
    ]);
    expect(of('destination-permission')).toEqual([
      {
        rule: 'destination-permission',
        at: '14:7',
        function: 'Api',
        related: ['36:3 inherited by Api', '25:3 role WorkerRole defined here'],
      },
      {
        rule: 'destination-permission',
        at: '14:7',
        function: 'Worker',
        related: ['46:3 inherited by Worker', '25:3 role WorkerRole defined here'],
      },
    ]);
    expect(of('reserved-concurrency')).toEqual([
      {
        rule: 'reserved-concurrency',
        at: '11:5',
        function: 'Worker',
        related: ['46:3 inherited by Worker', '36:3 Api reserves 500 (inherited from Globals)'],
      },
    ]);
    // A finding about something else (the queue) names the inherited value as a related location.
    expect(of('sqs-visibility-timeout')).toEqual([
      {
        rule: 'sqs-visibility-timeout',
        at: '51:9',
        function: 'Worker',
        related: ['24:7 visibility timeout set here', '8:5 timeout of Worker set here (inherited from Globals)'],
      },
    ]);
  });

  it('are reported the same way by the permission and code rules', async () => {
    const dir = project('network', NETWORK, { 'app.py': 'def handler(event, context):\n    return {}\n' });
    const all = await findings(dir);
    // Ingest is declared at line 26, Export at line 30.
    expect(all.filter((f) => f.rule === 'vpc-permission')).toEqual([
      {
        rule: 'vpc-permission',
        at: '9:5',
        function: 'Export',
        related: ['30:3 inherited by Export', '15:3 role WorkerRole defined here'],
      },
      {
        rule: 'vpc-permission',
        at: '9:5',
        function: 'Ingest',
        related: ['26:3 inherited by Ingest', '15:3 role WorkerRole defined here'],
      },
    ]);
    expect(all.filter((f) => f.rule === 'handler-not-found')).toEqual([
      {
        rule: 'handler-not-found',
        at: '6:5',
        function: 'Export',
        related: ['30:3 inherited by Export', '7:5 code location (inherited from Globals)'],
      },
      {
        rule: 'handler-not-found',
        at: '6:5',
        function: 'Ingest',
        related: ['26:3 inherited by Ingest', '7:5 code location (inherited from Globals)'],
      },
    ]);
  });
});
