// Writes a synthetic Lambda project of a chosen size: N functions spread evenly over SAM,
// CloudFormation (JSON), the Serverless Framework and Terraform, each with a handler file, an
// execution role, an SQS queue it polls, a VPC configuration, and a share of real defects (timeouts
// over 900 s, a VPC config without security groups, a role that cannot read its queue). The output
// goes to a temp folder and is never committed. Run alone: npx tsx bench/generate.ts <dir> [N]
import fs from 'node:fs';
import path from 'node:path';

export type BenchFormat = 'sam' | 'cloudformation' | 'serverless' | 'terraform';
export const FORMATS: readonly BenchFormat[] = ['sam', 'cloudformation', 'serverless', 'terraform'];

export interface GenerateOptions {
  /** Functions in total, spread evenly over the formats. */
  functions: number;
  /** Functions per template / service / Terraform root. Default 25. */
  perFile?: number;
  /** One function in `defectEvery` carries a defect. Default 10. */
  defectEvery?: number;
  formats?: readonly BenchFormat[];
}

export interface Generated {
  root: string;
  files: number;
  functions: Record<BenchFormat, number>;
  /** Functions written with a defect, per format. */
  defects: Record<BenchFormat, number>;
}

const HANDLER = (i: number): string =>
  [
    "import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';",
    '',
    'const sqs = new SQSClient({});',
    '',
    `export const handler = async (event) => {`,
    '  for (const record of event.Records ?? []) {',
    `    await sqs.send(new SendMessageCommand({ QueueUrl: process.env.OUT_URL, MessageBody: record.body + ' ${i}' }));`,
    '  }',
    '  return { ok: true };',
    '};',
    '',
  ].join('\n');

/** Which defect function `i` carries, if any: a timeout too long, a half VPC config, or a role that cannot read its queue. */
function defectOf(i: number, every: number): 'timeout' | 'vpc' | 'queue' | undefined {
  if (i % every !== every - 1) return undefined;
  return (['timeout', 'vpc', 'queue'] as const)[Math.floor(i / every) % 3];
}

function write(file: string, text: string, counter: { files: number }): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  counter.files++;
}

function samTemplate(ids: number[], every: number): string {
  const out = ['AWSTemplateFormatVersion: "2010-09-09"', 'Transform: AWS::Serverless-2016-10-31', 'Parameters:', '  SubnetA: { Type: String, Default: subnet-0a1b2c3d }', 'Globals:', '  Function:', '    Runtime: nodejs22.x', '    MemorySize: 256', '    Timeout: 30', 'Resources:'];
  for (const i of ids) {
    const d = defectOf(i, every);
    out.push(
      `  Queue${i}:`,
      '    Type: AWS::SQS::Queue',
      '    Properties:',
      '      VisibilityTimeout: 1200',
      `  Fn${i}:`,
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      `      CodeUri: src/fn${i}`,
      '      Handler: index.handler',
      ...(d === 'timeout' ? ['      Timeout: 1200'] : []),
      '      VpcConfig:',
      '        SubnetIds: [!Ref SubnetA]',
      ...(d === 'vpc' ? [] : ['        SecurityGroupIds: [sg-0123456789abcdef0]']),
      '      Policies:',
      '        - AWSLambdaVPCAccessExecutionRole',
      ...(d === 'queue' ? [] : [`        - SQSPollerPolicy: { QueueName: !GetAtt Queue${i}.QueueName }`]),
      '      Events:',
      '        Jobs:',
      '          Type: SQS',
      `          Properties: { Queue: !GetAtt Queue${i}.Arn, BatchSize: 10 }`,
    );
  }
  return out.join('\n') + '\n';
}

function cfnTemplate(ids: number[], every: number): string {
  const resources: Record<string, unknown> = {};
  for (const i of ids) {
    const d = defectOf(i, every);
    const statements: unknown[] = [
      { Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' },
      { Effect: 'Allow', Action: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'], Resource: '*' },
    ];
    if (d !== 'queue') statements.push({ Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], Resource: { 'Fn::GetAtt': [`Queue${i}`, 'Arn'] } });
    resources[`Queue${i}`] = { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 1200 } };
    resources[`Role${i}`] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
        Policies: [{ PolicyName: 'fn', PolicyDocument: { Version: '2012-10-17', Statement: statements } }],
      },
    };
    const vpc: Record<string, unknown> = { SubnetIds: ['subnet-0a1b2c3d'] };
    if (d !== 'vpc') vpc.SecurityGroupIds = ['sg-0123456789abcdef0'];
    resources[`Fn${i}`] = {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Code: `src/fn${i}`,
        Role: { 'Fn::GetAtt': [`Role${i}`, 'Arn'] },
        Timeout: d === 'timeout' ? 1200 : 30,
        MemorySize: 256,
        VpcConfig: vpc,
      },
    };
    resources[`Mapping${i}`] = {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: { FunctionName: { Ref: `Fn${i}` }, EventSourceArn: { 'Fn::GetAtt': [`Queue${i}`, 'Arn'] }, BatchSize: 10 },
    };
  }
  return JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: resources }, null, 2) + '\n';
}

function serverlessConfig(service: string, ids: number[], every: number): string {
  const out = [
    `service: ${service}`,
    'frameworkVersion: "4"',
    'provider:',
    '  name: aws',
    '  runtime: nodejs22.x',
    '  memorySize: 256',
    '  timeout: 30',
    '  vpc:',
    '    subnetIds: [subnet-0a1b2c3d]',
    '    securityGroupIds: [sg-0123456789abcdef0]',
    '  iam:',
    '    role:',
    '      statements:',
    '        - Effect: Allow',
    '          Action: [sqs:SendMessage]',
    '          Resource: "*"',
    'functions:',
  ];
  const resources = ['resources:', '  Resources:'];
  for (const i of ids) {
    const d = defectOf(i, every);
    out.push(`  fn${i}:`, `    handler: src/fn${i}/index.handler`);
    if (d === 'timeout') out.push('    timeout: 1200');
    if (d === 'vpc') out.push('    vpc:', '      subnetIds: [subnet-0a1b2c3d]');
    out.push('    events:', `      - sqs: { arn: !GetAtt Queue${i}.Arn, batchSize: 10 }`);
    resources.push(`    Queue${i}:`, '      Type: AWS::SQS::Queue', '      Properties:', '        VisibilityTimeout: 1200');
  }
  return [...out, ...resources].join('\n') + '\n';
}

function terraformRoot(ids: number[], every: number): string {
  const out = [
    'terraform {',
    '  required_providers {',
    '    aws = { source = "hashicorp/aws", version = "~> 5.0" }',
    '  }',
    '}',
    '',
    'data "aws_iam_policy_document" "assume" {',
    '  statement {',
    '    actions = ["sts:AssumeRole"]',
    '    principals {',
    '      type        = "Service"',
    '      identifiers = ["lambda.amazonaws.com"]',
    '    }',
    '  }',
    '}',
    '',
  ];
  for (const i of ids) {
    const d = defectOf(i, every);
    out.push(
      `resource "aws_sqs_queue" "q${i}" {`,
      `  name                       = "queue-${i}"`,
      '  visibility_timeout_seconds = 1200',
      '}',
      '',
      `resource "aws_iam_role" "r${i}" {`,
      `  name               = "fn-${i}"`,
      '  assume_role_policy = data.aws_iam_policy_document.assume.json',
      '}',
      '',
      `resource "aws_iam_role_policy_attachment" "vpc${i}" {`,
      `  role       = aws_iam_role.r${i}.name`,
      '  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"',
      '}',
      '',
    );
    if (d !== 'queue') {
      out.push(
        `resource "aws_iam_role_policy_attachment" "sqs${i}" {`,
        `  role       = aws_iam_role.r${i}.name`,
        '  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"',
        '}',
        '',
      );
    }
    out.push(
      `data "archive_file" "z${i}" {`,
      '  type        = "zip"',
      `  source_dir  = "\${path.module}/src/fn${i}"`,
      `  output_path = "\${path.module}/build/fn${i}.zip"`,
      '}',
      '',
      `resource "aws_lambda_function" "f${i}" {`,
      `  function_name    = "fn-${i}"`,
      `  role             = aws_iam_role.r${i}.arn`,
      '  runtime          = "nodejs22.x"',
      '  handler          = "index.handler"',
      `  filename         = data.archive_file.z${i}.output_path`,
      `  source_code_hash = data.archive_file.z${i}.output_base64sha256`,
      `  timeout          = ${d === 'timeout' ? 1200 : 30}`,
      '  memory_size      = 256',
      '  vpc_config {',
      '    subnet_ids         = ["subnet-0a1b2c3d"]',
      d === 'vpc' ? '    security_group_ids = []' : '    security_group_ids = ["sg-0123456789abcdef0"]',
      '  }',
      '}',
      '',
      `resource "aws_lambda_event_source_mapping" "m${i}" {`,
      `  event_source_arn = aws_sqs_queue.q${i}.arn`,
      `  function_name    = aws_lambda_function.f${i}.arn`,
      '  batch_size       = 10',
      '}',
      '',
    );
  }
  return out.join('\n');
}

/** Writes the project under `root` (created if missing) and says what it wrote. */
export function generateProject(root: string, options: GenerateOptions): Generated {
  const formats = options.formats ?? FORMATS;
  const perFile = options.perFile ?? 25;
  const every = options.defectEvery ?? 10;
  const counter = { files: 0 };
  const functions = Object.fromEntries(FORMATS.map((f) => [f, 0])) as Record<BenchFormat, number>;
  const defects = Object.fromEntries(FORMATS.map((f) => [f, 0])) as Record<BenchFormat, number>;
  fs.mkdirSync(root, { recursive: true });
  for (let start = 0, group = 0; start < options.functions; start += perFile, group++) {
    const ids: number[] = [];
    for (let i = start; i < Math.min(options.functions, start + perFile); i++) ids.push(i);
    const fmt = formats[group % formats.length];
    const dir = path.join(root, fmt, `${fmt}-${group}`);
    for (const i of ids) write(path.join(dir, 'src', `fn${i}`, 'index.mjs'), HANDLER(i), counter);
    functions[fmt] += ids.length;
    defects[fmt] += ids.filter((i) => defectOf(i, every)).length;
    if (fmt === 'sam') write(path.join(dir, 'template.yaml'), samTemplate(ids, every), counter);
    else if (fmt === 'cloudformation') write(path.join(dir, 'template.json'), cfnTemplate(ids, every), counter);
    else if (fmt === 'serverless') write(path.join(dir, 'serverless.yml'), serverlessConfig(`svc-${group}`, ids, every), counter);
    else write(path.join(dir, 'main.tf'), terraformRoot(ids, every), counter);
  }
  return { root, files: counter.files, functions, defects };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: npx tsx bench/generate.ts <dir> [functions]');
    process.exit(2);
  }
  const g = generateProject(path.resolve(dir), { functions: Number(process.argv[3] ?? 2000) });
  console.log(`wrote ${g.files} files to ${g.root}: ${JSON.stringify(g.functions)}`);
}
