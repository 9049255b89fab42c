// Writes a synthetic Lambda monorepo of a chosen size, shaped like real ones: services of ten
// functions each, spread over SAM, CloudFormation (JSON), the Serverless Framework and Terraform;
// each service has JavaScript or Python handlers of 30 to 100 lines that use a few wrappers of
// the service's shared lib/ (DynamoDB, S3, SQS, SNS, Secrets Manager), an execution role per
// function, an SQS queue each function polls, a VPC configuration, and a share of real defects
// (timeouts over 900 s, a VPC config without security groups, a role that cannot read its queue,
// a handler that publishes to SNS without the permission). The output goes to a temp folder and is
// never committed. Run alone: npx tsx bench/generate.ts <dir> [N]
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
  /** Handler languages, by service in turn. Default: JavaScript and Python, alternately per round of formats. */
  languages?: readonly Lang[];
}

export interface Generated {
  root: string;
  files: number;
  functions: Record<BenchFormat, number>;
  /** Functions written with a defect, per format. */
  defects: Record<BenchFormat, number>;
}

/** Which defect function `i` carries, if any: a timeout too long, a half VPC config, or a role that cannot read its queue. */
function defectOf(i: number, every: number): 'timeout' | 'vpc' | 'queue' | 'sdk' | undefined {
  if (i % every !== every - 1) return undefined;
  return (['timeout', 'vpc', 'queue', 'sdk'] as const)[Math.floor(i / every) % 4];
}

export type Lang = 'js' | 'py';

/** Whether function `i` publishes to SNS (the 'sdk' defect removes that permission from its role). */
const publishes = (i: number, every: number): boolean => i % 3 === 0 || defectOf(i, every) === 'sdk';

/** Actions the handler of function `i` reaches through the lib, by service (what its role grants). */
function actionsOf(i: number, every: number): string[] {
  const out = [
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:Query',
    'sqs:SendMessage',
    's3:GetObject',
    'secretsmanager:GetSecretValue',
  ];
  if (publishes(i, every) && defectOf(i, every) !== 'sdk') out.push('sns:Publish');
  return out;
}

const HANDLER_PATH = (lang: Lang, i: number): string =>
  lang === 'js' ? `handlers/fn${i}.handler` : `handlers.fn${i}.handler`;
const RUNTIME = (lang: Lang): string => (lang === 'js' ? 'nodejs22.x' : 'python3.12');

/** The service's shared modules: eight SDK wrappers, validation, logging, configuration. */
function libFiles(lang: Lang): Record<string, string> {
  if (lang === 'js') {
    return {
      'lib/aws.mjs': [
        "import { DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand, DeleteItemCommand } from '@aws-sdk/client-dynamodb';",
        "import { S3Client, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';",
        "import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';",
        "import { SNSClient, PublishCommand } from '@aws-sdk/client-sns';",
        "import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';",
        '',
        'const ddb = new DynamoDBClient({});',
        'const s3 = new S3Client({});',
        'const sqs = new SQSClient({});',
        'const sns = new SNSClient({});',
        'const secrets = new SecretsManagerClient({});',
        '',
        'export const getItem = (TableName, Key) => ddb.send(new GetItemCommand({ TableName, Key }));',
        'export const putItem = (TableName, Item) => ddb.send(new PutItemCommand({ TableName, Item }));',
        'export const query = (TableName, pk) => ddb.send(new QueryCommand({ TableName, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": { S: pk } } }));',
        'export const deleteItem = (TableName, Key) => ddb.send(new DeleteItemCommand({ TableName, Key }));',
        'export const getObject = (Bucket, Key) => s3.send(new GetObjectCommand({ Bucket, Key }));',
        'export const putObject = (Bucket, Key, Body) => s3.send(new PutObjectCommand({ Bucket, Key, Body }));',
        'export const sendMessage = (QueueUrl, body) => sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify(body) }));',
        'export const publish = (TopicArn, body) => sns.send(new PublishCommand({ TopicArn, Message: JSON.stringify(body) }));',
        'export const getSecret = async (SecretId) => (await secrets.send(new GetSecretValueCommand({ SecretId }))).SecretString;',
        '',
      ].join('\n'),
      'lib/validate.mjs':
        "export function validate(body, fields) {\n  const errors = [];\n  for (const f of fields) if (body[f] === undefined || body[f] === null || body[f] === '') errors.push(`${f} is required`);\n  if (body.amount !== undefined && (typeof body.amount !== 'number' || body.amount < 0)) errors.push('amount must be a positive number');\n  return errors;\n}\n",
      'lib/logger.mjs':
        'export function log(level, message, extra = {}) {\n  console.log(JSON.stringify({ level, message, ...extra, at: new Date().toISOString() }));\n}\n',
      'lib/config.mjs':
        'export const config = {\n  table: process.env.TABLE_NAME,\n  bucket: process.env.BUCKET_NAME,\n  queueUrl: process.env.OUT_URL,\n  topicArn: process.env.TOPIC_ARN,\n  secretId: process.env.SECRET_ID,\n};\n',
      'package.json':
        JSON.stringify({ name: 'service', private: true, type: 'module', dependencies: {} }, null, 2) + '\n',
    };
  }
  return {
    'lib/__init__.py': '',
    'handlers/__init__.py': '',
    'lib/aws.py': [
      'import json',
      'import boto3',
      '',
      "ddb = boto3.client('dynamodb')",
      "s3 = boto3.client('s3')",
      "sqs = boto3.client('sqs')",
      "sns = boto3.client('sns')",
      "secrets = boto3.client('secretsmanager')",
      '',
      '',
      'def get_item(table, key):',
      '    return ddb.get_item(TableName=table, Key=key)',
      '',
      '',
      'def put_item(table, item):',
      '    return ddb.put_item(TableName=table, Item=item)',
      '',
      '',
      'def query(table, pk):',
      "    return ddb.query(TableName=table, KeyConditionExpression='pk = :pk', ExpressionAttributeValues={':pk': {'S': pk}})",
      '',
      '',
      'def delete_item(table, key):',
      '    return ddb.delete_item(TableName=table, Key=key)',
      '',
      '',
      'def get_object(bucket, key):',
      '    return s3.get_object(Bucket=bucket, Key=key)',
      '',
      '',
      'def put_object(bucket, key, body):',
      '    return s3.put_object(Bucket=bucket, Key=key, Body=body)',
      '',
      '',
      'def send_message(queue_url, body):',
      '    return sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(body))',
      '',
      '',
      'def publish(topic_arn, body):',
      '    return sns.publish(TopicArn=topic_arn, Message=json.dumps(body))',
      '',
      '',
      'def get_secret(secret_id):',
      "    return secrets.get_secret_value(SecretId=secret_id)['SecretString']",
      '',
    ].join('\n'),
    'lib/validate.py':
      "def validate(body, fields):\n    errors = [f'{f} is required' for f in fields if body.get(f) in (None, '')]\n    amount = body.get('amount')\n    if amount is not None and (not isinstance(amount, (int, float)) or amount < 0):\n        errors.append('amount must be a positive number')\n    return errors\n",
    'lib/logger.py':
      "import json\nimport time\n\n\ndef log(level, message, **extra):\n    print(json.dumps({'level': level, 'message': message, 'at': time.time(), **extra}))\n",
    'lib/config.py':
      "import os\n\nTABLE = os.environ.get('TABLE_NAME')\nBUCKET = os.environ.get('BUCKET_NAME')\nQUEUE_URL = os.environ.get('OUT_URL')\nTOPIC_ARN = os.environ.get('TOPIC_ARN')\nSECRET_ID = os.environ.get('SECRET_ID')\n",
    'requirements.txt': 'boto3\n',
  };
}

/** A handler of 30 to 100 lines that uses some of the lib's wrappers, and a model file beside it. */
function handlerFiles(lang: Lang, i: number, every: number): Record<string, string> {
  const steps = 3 + (i % 12); // business logic of varying length
  if (lang === 'js') {
    const uses = [
      'getItem',
      'putItem',
      'sendMessage',
      'getSecret',
      ...(i % 2 ? ['query'] : ['getObject']),
      ...(publishes(i, every) ? ['publish'] : []),
    ];
    const body = [
      `import { ${uses.join(', ')} } from '../lib/aws.mjs';`,
      "import { validate } from '../lib/validate.mjs';",
      "import { log } from '../lib/logger.mjs';",
      "import { config } from '../lib/config.mjs';",
      `import { toItem, fromItem } from './fn${i}.model.mjs';`,
      '',
      'let apiKey;',
      '',
    ];
    for (let k = 0; k < steps; k++)
      body.push(
        `function step${k}(order) {`,
        `  const total = (order.amount ?? 0) * ${k + 1} + ${i};`,
        `  return { ...order, step${k}: total > ${100 * (k + 1)} ? 'high' : 'low', total };`,
        '}',
        '',
      );
    body.push(
      'export const handler = async (event) => {',
      '  apiKey ??= await getSecret(config.secretId);',
      '  const results = [];',
      '  for (const record of event.Records ?? []) {',
      '    const body = JSON.parse(record.body);',
      "    const errors = validate(body, ['id', 'amount']);",
      '    if (errors.length > 0) {',
      "      log('warn', 'invalid message', { errors });",
      '      continue;',
      '    }',
      '    const existing = fromItem(await getItem(config.table, { pk: { S: body.id } }));',
      '    let order = { ...existing, ...body };',
      ...Array.from({ length: steps }, (_, k) => `    order = step${k}(order);`),
      ...(i % 2
        ? [
            '    const history = await query(config.table, body.id);',
            "    log('info', 'history', { count: history.Count });",
          ]
        : [
            '    const doc = await getObject(config.bucket, `orders/${body.id}.json`);',
            "    log('info', 'document', { size: doc.ContentLength });",
          ]),
      '    await putItem(config.table, toItem(order));',
      '    await sendMessage(config.queueUrl, order);',
      ...(publishes(i, every) ? ['    await publish(config.topicArn, { id: order.id, total: order.total });'] : []),
      '    results.push(order.id);',
      '  }',
      "  log('info', 'done', { count: results.length });",
      '  return { batchItemFailures: [] };',
      '};',
      '',
    );
    return {
      [`handlers/fn${i}.mjs`]: body.join('\n'),
      [`handlers/fn${i}.model.mjs`]:
        'export const toItem = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, { S: String(v) }]));\nexport const fromItem = (r) => Object.fromEntries(Object.entries(r?.Item ?? {}).map(([k, v]) => [k, v.S]));\n',
    };
  }
  const uses = [
    'get_item',
    'put_item',
    'send_message',
    'get_secret',
    ...(i % 2 ? ['query'] : ['get_object']),
    ...(publishes(i, every) ? ['publish'] : []),
  ];
  const body = [
    'import json',
    '',
    `from lib.aws import ${uses.join(', ')}`,
    'from lib.validate import validate',
    'from lib.logger import log',
    'from lib import config',
    `from handlers.fn${i}_model import to_item, from_item`,
    '',
    'API_KEY = None',
    '',
  ];
  for (let k = 0; k < steps; k++)
    body.push(
      '',
      `def step${k}(order):`,
      `    total = order.get('amount', 0) * ${k + 1} + ${i}`,
      `    return {**order, 'step${k}': 'high' if total > ${100 * (k + 1)} else 'low', 'total': total}`,
      '',
    );
  body.push(
    '',
    'def handler(event, context):',
    '    global API_KEY',
    '    if API_KEY is None:',
    '        API_KEY = get_secret(config.SECRET_ID)',
    '    results = []',
    "    for record in event.get('Records', []):",
    "        body = json.loads(record['body'])",
    "        errors = validate(body, ['id', 'amount'])",
    '        if errors:',
    "            log('warn', 'invalid message', errors=errors)",
    '            continue',
    "        existing = from_item(get_item(config.TABLE, {'pk': {'S': body['id']}}))",
    '        order = {**existing, **body}',
    ...Array.from({ length: steps }, (_, k) => `        order = step${k}(order)`),
    ...(i % 2
      ? ["        history = query(config.TABLE, body['id'])", "        log('info', 'history', count=history['Count'])"]
      : [
          '        doc = get_object(config.BUCKET, f"orders/{body[\'id\']}.json")',
          "        log('info', 'document', size=doc['ContentLength'])",
        ]),
    '        put_item(config.TABLE, to_item(order))',
    '        send_message(config.QUEUE_URL, order)',
    ...(publishes(i, every) ? ["        publish(config.TOPIC_ARN, {'id': order['id'], 'total': order['total']})"] : []),
    "        results.append(order['id'])",
    "    log('info', 'done', count=len(results))",
    "    return {'batchItemFailures': []}",
    '',
  );
  return {
    [`handlers/fn${i}.py`]: body.join('\n'),
    [`handlers/fn${i}_model.py`]:
      "def to_item(order):\n    return {k: {'S': str(v)} for k, v in order.items()}\n\n\ndef from_item(result):\n    return {k: v['S'] for k, v in (result or {}).get('Item', {}).items()}\n",
  };
}

function write(file: string, text: string, counter: { files: number }): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  counter.files++;
}

const ENV = {
  TABLE_NAME: 'orders',
  BUCKET_NAME: 'order-docs',
  OUT_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/out',
  TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:orders',
  SECRET_ID: 'api-key',
};

function samTemplate(ids: number[], every: number, lang: Lang): string {
  const out = [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Transform: AWS::Serverless-2016-10-31',
    'Parameters:',
    '  SubnetA: { Type: String, Default: subnet-0a1b2c3d }',
    'Globals:',
    '  Function:',
    `    Runtime: ${RUNTIME(lang)}`,
    '    MemorySize: 256',
    '    Timeout: 30',
    '    Environment:',
    '      Variables:',
    ...Object.entries(ENV).map(([k, v]) => `        ${k}: ${v}`),
    'Resources:',
  ];
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
      '      CodeUri: src',
      `      Handler: ${HANDLER_PATH(lang, i)}`,
      ...(d === 'timeout' ? ['      Timeout: 1200'] : []),
      '      VpcConfig:',
      '        SubnetIds: [!Ref SubnetA]',
      ...(d === 'vpc' ? [] : ['        SecurityGroupIds: [sg-0123456789abcdef0]']),
      '      Policies:',
      '        - AWSLambdaVPCAccessExecutionRole',
      `        - Statement: [{ Effect: Allow, Action: [${actionsOf(i, every).join(', ')}], Resource: '*' }]`,
      ...(d === 'queue' ? [] : [`        - SQSPollerPolicy: { QueueName: !GetAtt Queue${i}.QueueName }`]),
      '      Events:',
      '        Jobs:',
      '          Type: SQS',
      `          Properties: { Queue: !GetAtt Queue${i}.Arn, BatchSize: 10 }`,
    );
  }
  return out.join('\n') + '\n';
}

function cfnTemplate(ids: number[], every: number, lang: Lang): string {
  const resources: Record<string, unknown> = {};
  for (const i of ids) {
    const d = defectOf(i, every);
    const statements: unknown[] = [
      { Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' },
      {
        Effect: 'Allow',
        Action: [
          'ec2:CreateNetworkInterface',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses',
          'ec2:UnassignPrivateIpAddresses',
        ],
        Resource: '*',
      },
    ];
    if (d !== 'queue')
      statements.push({
        Effect: 'Allow',
        Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
        Resource: { 'Fn::GetAtt': [`Queue${i}`, 'Arn'] },
      });
    statements.push({ Effect: 'Allow', Action: actionsOf(i, every), Resource: '*' });
    resources[`Queue${i}`] = { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 1200 } };
    resources[`Role${i}`] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
        Policies: [{ PolicyName: 'fn', PolicyDocument: { Version: '2012-10-17', Statement: statements } }],
      },
    };
    const vpc: Record<string, unknown> = { SubnetIds: ['subnet-0a1b2c3d'] };
    if (d !== 'vpc') vpc.SecurityGroupIds = ['sg-0123456789abcdef0'];
    resources[`Fn${i}`] = {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Runtime: RUNTIME(lang),
        Handler: HANDLER_PATH(lang, i),
        Code: 'src',
        Environment: { Variables: ENV },
        Role: { 'Fn::GetAtt': [`Role${i}`, 'Arn'] },
        Timeout: d === 'timeout' ? 1200 : 30,
        MemorySize: 256,
        VpcConfig: vpc,
      },
    };
    resources[`Mapping${i}`] = {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: {
        FunctionName: { Ref: `Fn${i}` },
        EventSourceArn: { 'Fn::GetAtt': [`Queue${i}`, 'Arn'] },
        BatchSize: 10,
      },
    };
  }
  return JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: resources }, null, 2) + '\n';
}

function serverlessConfig(service: string, ids: number[], every: number, lang: Lang): string {
  const actions = [...new Set(ids.flatMap((i) => actionsOf(i, every)))];
  if (ids.some((i) => defectOf(i, every) === 'sdk'))
    actions.splice(actions.indexOf('sns:Publish'), actions.includes('sns:Publish') ? 1 : 0);
  const out = [
    `service: ${service}`,
    'frameworkVersion: "4"',
    'provider:',
    '  name: aws',
    `  runtime: ${RUNTIME(lang)}`,
    '  environment:',
    ...Object.entries(ENV).map(([k, v]) => `    ${k}: ${v}`),
    '  memorySize: 256',
    '  timeout: 30',
    '  vpc:',
    '    subnetIds: [subnet-0a1b2c3d]',
    '    securityGroupIds: [sg-0123456789abcdef0]',
    '  iam:',
    '    role:',
    '      statements:',
    '        - Effect: Allow',
    `          Action: [${actions.join(', ')}]`,
    '          Resource: "*"',
    'functions:',
  ];
  const resources = ['resources:', '  Resources:'];
  for (const i of ids) {
    const d = defectOf(i, every);
    out.push(`  fn${i}:`, `    handler: handlers/fn${i}.handler`);
    if (d === 'timeout') out.push('    timeout: 1200');
    if (d === 'vpc') out.push('    vpc:', '      subnetIds: [subnet-0a1b2c3d]');
    out.push('    events:', `      - sqs: { arn: !GetAtt Queue${i}.Arn, batchSize: 10 }`);
    resources.push(
      `    Queue${i}:`,
      '      Type: AWS::SQS::Queue',
      '      Properties:',
      '        VisibilityTimeout: 1200',
    );
  }
  return [...out, ...resources].join('\n') + '\n';
}

function terraformRoot(ids: number[], every: number, lang: Lang): string {
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
    out.push(
      `resource "aws_iam_role_policy" "app${i}" {`,
      `  role   = aws_iam_role.r${i}.id`,
      '  policy = jsonencode({',
      '    Version   = "2012-10-17"',
      `    Statement = [{ Effect = "Allow", Action = [${actionsOf(i, every)
        .map((a) => `"${a}"`)
        .join(', ')}], Resource = "*" }]`,
      '  })',
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
      '  source_dir  = "${path.module}/src"',
      `  output_path = "\${path.module}/build/fn${i}.zip"`,
      '}',
      '',
      `resource "aws_lambda_function" "f${i}" {`,
      `  function_name    = "fn-${i}"`,
      `  role             = aws_iam_role.r${i}.arn`,
      `  runtime          = "${RUNTIME(lang)}"`,
      `  handler          = "${HANDLER_PATH(lang, i)}"`,
      `  filename         = data.archive_file.z${i}.output_path`,
      `  source_code_hash = data.archive_file.z${i}.output_base64sha256`,
      `  timeout          = ${d === 'timeout' ? 1200 : 30}`,
      '  memory_size      = 256',
      '  environment {',
      `    variables = { ${Object.entries(ENV)
        .map(([k, v]) => `${k} = "${v}"`)
        .join(', ')} }`,
      '  }',
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
  const perFile = options.perFile ?? 10;
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
    const lang: Lang =
      options.languages?.[group % options.languages.length] ??
      (['js', 'py'] as const)[Math.floor(group / formats.length) % 2];
    // The Serverless Framework packages the service folder, whose root is the import root.
    const code = fmt === 'serverless' ? dir : path.join(dir, 'src');
    for (const [rel, text] of Object.entries(libFiles(lang))) write(path.join(code, rel), text, counter);
    for (const i of ids)
      for (const [rel, text] of Object.entries(handlerFiles(lang, i, every)))
        write(path.join(code, rel), text, counter);
    functions[fmt] += ids.length;
    defects[fmt] += ids.filter((i) => defectOf(i, every)).length;
    if (fmt === 'sam') write(path.join(dir, 'template.yaml'), samTemplate(ids, every, lang), counter);
    else if (fmt === 'cloudformation') write(path.join(dir, 'template.json'), cfnTemplate(ids, every, lang), counter);
    else if (fmt === 'serverless')
      write(path.join(dir, 'serverless.yml'), serverlessConfig(`svc-${group}`, ids, every, lang), counter);
    else write(path.join(dir, 'main.tf'), terraformRoot(ids, every, lang), counter);
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
