// Writes a synthetic Lambda monorepo of a chosen size, shaped like real ones (issue 18: about 200
// services at 2,000 functions, 4,400 files, 7,000 SDK calls): services of 5 to 15 functions each in
// SAM, the Serverless Framework, Terraform and CloudFormation (JSON); TypeScript (built by esbuild),
// JavaScript or Python handlers of 30 to 100 lines, each using two to five wrappers of the
// service's shared lib/ (DynamoDB, S3, SQS, SNS, Secrets Manager); a model module beside about
// half of the handlers; an execution role per function (one per service in Serverless), an SQS
// queue each function polls, a VPC configuration; and a few planted defects whose kind does not
// follow the format (a timeout over 900 s, a VPC config without security groups, a role that
// cannot read its queue, an SDK call the role does not allow, an undeclared package, a handler
// file that is not there). Everything is decided by a seeded generator: the same options write
// the same bytes. The output goes to a temp folder and is never committed.
// Run alone: npx tsx bench/generate.ts <dir> [N]
// Over 600 lines because: the handler, library and template text of four formats and three
// languages is written out here line by line, so that a reader sees exactly what the benchmark lints.
import fs from 'node:fs';
import path from 'node:path';

export type BenchFormat = 'sam' | 'cloudformation' | 'serverless' | 'terraform';
export const FORMATS: readonly BenchFormat[] = ['sam', 'cloudformation', 'serverless', 'terraform'];
/** The default mix of services, in turn: SAM, Serverless and Terraform mostly, some plain CloudFormation. */
const DEFAULT_MIX: readonly BenchFormat[] = [
  'sam',
  'serverless',
  'terraform',
  'sam',
  'serverless',
  'cloudformation',
  'sam',
  'serverless',
  'terraform',
  'serverless',
];

export type Lang = 'ts' | 'js' | 'py';
export type Defect = 'timeout' | 'vpc' | 'queue' | 'sdk' | 'dependency' | 'handler';
/** The rule each planted defect is found by. */
export const DEFECT_RULE: Record<Defect, string> = {
  timeout: 'timeout-limit',
  vpc: 'vpc-config',
  queue: 'event-source-permission',
  sdk: 'sdk-permission',
  dependency: 'missing-dependency',
  handler: 'handler-not-found',
};

export interface GenerateOptions {
  /** Functions in total. */
  functions: number;
  /** Functions per service. Default: 5 to 15 (10 on average), drawn per service. */
  perFile?: number;
  /** About one function in `defectEvery` carries a defect. Default 20. */
  defectEvery?: number;
  /** Formats of the services, in turn. Default: SAM, Serverless, Terraform, some CloudFormation. */
  formats?: readonly BenchFormat[];
  /** Handler languages, by service in turn. Default: TypeScript, JavaScript and Python, drawn per service. */
  languages?: readonly Lang[];
}

export interface Generated {
  root: string;
  files: number;
  services: number;
  functions: Record<BenchFormat, number>;
  /** Functions written with a defect, per format. */
  defects: Record<BenchFormat, number>;
  /** Planted defects per kind. */
  planted: Record<Defect, number>;
  /** SDK calls the handlers reach (each wrapper of the lib a handler calls makes one). */
  sdkCalls: number;
}

/** mulberry32: a small seeded generator, so that the project is the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

/** The lib's wrappers, the action each needs, and the Python name. */
const WRAPPERS = {
  getItem: { action: 'dynamodb:GetItem', py: 'get_item' },
  putItem: { action: 'dynamodb:PutItem', py: 'put_item' },
  query: { action: 'dynamodb:Query', py: 'query' },
  deleteItem: { action: 'dynamodb:DeleteItem', py: 'delete_item' },
  getObject: { action: 's3:GetObject', py: 'get_object' },
  putObject: { action: 's3:PutObject', py: 'put_object' },
  sendMessage: { action: 'sqs:SendMessage', py: 'send_message' },
  publish: { action: 'sns:Publish', py: 'publish' },
  getSecret: { action: 'secretsmanager:GetSecretValue', py: 'get_secret' },
} as const;
type Wrapper = keyof typeof WRAPPERS;
/** What handlers draw from; deleteItem is kept for the 'sdk' defect (no role grants it). */
const USABLE: Wrapper[] = [
  'getItem',
  'putItem',
  'query',
  'getObject',
  'putObject',
  'sendMessage',
  'publish',
  'getSecret',
];

interface Fn {
  i: number;
  lang: Lang;
  uses: Wrapper[];
  defect?: Defect;
  model: boolean;
  lines: number;
}

const HANDLER_PATH = (lang: Lang, i: number): string =>
  lang === 'py' ? `handlers.fn${i}.handler` : `handlers/fn${i}.handler`;
const RUNTIME = (lang: Lang): string => (lang === 'py' ? 'python3.12' : 'nodejs22.x');
/** Actions the role of `fn` grants: what its handler calls, less DeleteItem (never granted). */
const actionsOf = (fn: Fn): string[] => fn.uses.filter((u) => u !== 'deleteItem').map((u) => WRAPPERS[u].action);

/** The service's shared modules: SDK wrappers, validation, logging, configuration, and its manifest. */
function libFiles(lang: Lang): Record<string, string> {
  if (lang !== 'py') {
    const ext = lang === 'ts' ? 'ts' : 'mjs';
    const t = (ts: string, js = ''): string => (lang === 'ts' ? ts : js);
    const files: Record<string, string> = {
      [`lib/aws.${ext}`]: [
        "import { DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand, DeleteItemCommand } from '@aws-sdk/client-dynamodb';",
        "import { S3Client, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';",
        "import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';",
        "import { SNSClient, PublishCommand } from '@aws-sdk/client-sns';",
        "import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';",
        ...(lang === 'ts'
          ? [
              "import type { AttributeValue } from '@aws-sdk/client-dynamodb';",
              '',
              'type Key = Record<string, AttributeValue>;',
            ]
          : []),
        '',
        'const ddb = new DynamoDBClient({});',
        'const s3 = new S3Client({});',
        'const sqs = new SQSClient({});',
        'const sns = new SNSClient({});',
        'const secrets = new SecretsManagerClient({});',
        '',
        `export const getItem = (TableName${t(': string')}, Key${t(': Key')}) => ddb.send(new GetItemCommand({ TableName, Key }));`,
        `export const putItem = (TableName${t(': string')}, Item${t(': Key')}) => ddb.send(new PutItemCommand({ TableName, Item }));`,
        `export const query = (TableName${t(': string')}, pk${t(': string')}) =>`,
        '  ddb.send(',
        "    new QueryCommand({ TableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: pk } } }),",
        '  );',
        `export const deleteItem = (TableName${t(': string')}, Key${t(': Key')}) => ddb.send(new DeleteItemCommand({ TableName, Key }));`,
        `export const getObject = (Bucket${t(': string')}, Key${t(': string')}) => s3.send(new GetObjectCommand({ Bucket, Key }));`,
        `export const putObject = (Bucket${t(': string')}, Key${t(': string')}, Body${t(': string')}) => s3.send(new PutObjectCommand({ Bucket, Key, Body }));`,
        `export const sendMessage = (QueueUrl${t(': string')}, body${t(': unknown')}) =>`,
        '  sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify(body) }));',
        `export const publish = (TopicArn${t(': string')}, body${t(': unknown')}) => sns.send(new PublishCommand({ TopicArn, Message: JSON.stringify(body) }));`,
        `export const getSecret = async (SecretId${t(': string')}) => (await secrets.send(new GetSecretValueCommand({ SecretId }))).SecretString;`,
        '',
      ].join('\n'),
      [`lib/validate.${ext}`]: [
        `export function validate(body${t(': Record<string, unknown>')}, fields${t(': string[]')})${t(': string[]')} {`,
        `  const errors${t(': string[]')} = [];`,
        "  for (const f of fields) if (body[f] === undefined || body[f] === null || body[f] === '') errors.push(`${f} is required`);",
        "  if (body.amount !== undefined && (typeof body.amount !== 'number' || body.amount < 0)) errors.push('amount must be a positive number');",
        '  return errors;',
        '}',
        '',
      ].join('\n'),
      [`lib/logger.${ext}`]: `export function log(level${t(': string')}, message${t(': string')}, extra${t(': Record<string, unknown>')} = {})${t(': void')} {\n  console.log(JSON.stringify({ level, message, ...extra, at: new Date().toISOString() }));\n}\n`,
      [`lib/config.${ext}`]:
        "export const config = {\n  table: process.env.TABLE_NAME ?? '',\n  bucket: process.env.BUCKET_NAME ?? '',\n  queueUrl: process.env.OUT_URL ?? '',\n  topicArn: process.env.TOPIC_ARN ?? '',\n  secretId: process.env.SECRET_ID ?? '',\n};\n",
      'package.json':
        JSON.stringify(
          {
            name: 'service',
            private: true,
            type: 'module',
            dependencies: {},
            ...(lang === 'ts' ? { devDependencies: { '@types/aws-lambda': '^8.10.0', typescript: '^5.9.0' } } : {}),
          },
          null,
          2,
        ) + '\n',
    };
    if (lang === 'ts')
      files['tsconfig.json'] =
        JSON.stringify(
          { compilerOptions: { target: 'es2022', module: 'esnext', moduleResolution: 'bundler', strict: true } },
          null,
          2,
        ) + '\n';
    return files;
  }
  return {
    'lib/__init__.py': '',
    'handlers/__init__.py': '',
    'models/__init__.py': '',
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
      ...(
        [
          ['get_item(table, key)', 'ddb.get_item(TableName=table, Key=key)'],
          ['put_item(table, item)', 'ddb.put_item(TableName=table, Item=item)'],
          [
            'query(table, pk)',
            "ddb.query(TableName=table, KeyConditionExpression='pk = :pk', ExpressionAttributeValues={':pk': {'S': pk}})",
          ],
          ['delete_item(table, key)', 'ddb.delete_item(TableName=table, Key=key)'],
          ['get_object(bucket, key)', 's3.get_object(Bucket=bucket, Key=key)'],
          ['put_object(bucket, key, body)', 's3.put_object(Bucket=bucket, Key=key, Body=body)'],
          ['send_message(queue_url, body)', 'sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(body))'],
          ['publish(topic_arn, body)', 'sns.publish(TopicArn=topic_arn, Message=json.dumps(body))'],
          ['get_secret(secret_id)', "secrets.get_secret_value(SecretId=secret_id)['SecretString']"],
        ] as const
      ).flatMap(([sig, body]) => ['', `def ${sig}:`, `    return ${body}`, '']),
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

/** What each wrapper call looks like in a handler's loop (JS/TS, Python). */
const USE_JS: Record<Wrapper, string> = {
  getItem: 'const existing = fromItem(await getItem(config.table, { pk: { S: body.id } }));',
  putItem: 'await putItem(config.table, toItem(order));',
  query: "const history = await query(config.table, body.id);\n    log('info', 'history', { count: history.Count });",
  deleteItem: 'await deleteItem(config.table, { pk: { S: body.id } });',
  getObject:
    "const doc = await getObject(config.bucket, `orders/${body.id}.json`);\n    log('info', 'document', { size: doc.ContentLength });",
  putObject: 'await putObject(config.bucket, `receipts/${body.id}.json`, JSON.stringify(order));',
  sendMessage: 'await sendMessage(config.queueUrl, order);',
  publish: 'await publish(config.topicArn, { id: order.id, total: order.total });',
  getSecret: 'apiKey ??= await getSecret(config.secretId);',
};
const USE_PY: Record<Wrapper, string> = {
  getItem: "existing = from_item(get_item(config.TABLE, {'pk': {'S': body['id']}}))",
  putItem: 'put_item(config.TABLE, to_item(order))',
  query: "history = query(config.TABLE, body['id'])\n        log('info', 'history', count=history['Count'])",
  deleteItem: "delete_item(config.TABLE, {'pk': {'S': body['id']}})",
  getObject:
    "doc = get_object(config.BUCKET, f\"orders/{body['id']}.json\")\n        log('info', 'document', size=doc['ContentLength'])",
  putObject: 'put_object(config.BUCKET, f"receipts/{body[\'id\']}.json", json.dumps(order))',
  sendMessage: 'send_message(config.QUEUE_URL, order)',
  publish: "publish(config.TOPIC_ARN, {'id': order['id'], 'total': order['total']})",
  getSecret: 'api_key = api_key or get_secret(config.SECRET_ID)',
};

const MODEL_JS = (lang: Lang): string =>
  lang === 'ts'
    ? "import type { AttributeValue } from '@aws-sdk/client-dynamodb';\n\nexport const toItem = (o: Record<string, unknown>): Record<string, AttributeValue> =>\n  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, { S: String(v) }]));\nexport const fromItem = (r: { Item?: Record<string, AttributeValue> } | undefined): Record<string, string> =>\n  Object.fromEntries(Object.entries(r?.Item ?? {}).map(([k, v]) => [k, v.S ?? '']));\n"
    : 'export const toItem = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, { S: String(v) }]));\nexport const fromItem = (r) => Object.fromEntries(Object.entries(r?.Item ?? {}).map(([k, v]) => [k, v.S]));\n';
const MODEL_PY =
  "def to_item(order):\n    return {k: {'S': str(v)} for k, v in order.items()}\n\n\ndef from_item(result):\n    return {k: v['S'] for k, v in (result or {}).get('Item', {}).items()}\n";

/** A handler of `fn.lines` lines (30 to 100) that uses its wrappers, and its model module when it has one. */
function handlerFiles(fn: Fn): Record<string, string> {
  const { i, lang } = fn;
  const file = `handlers/fn${i}`;
  if (fn.defect === 'handler') {
    // The template names handlers/fn<i>; the file was renamed to handlers/fn<i>-handler and the template not updated.
    return Object.fromEntries(
      Object.entries(handlerFiles({ ...fn, defect: undefined })).map(([k, v]) => [
        k.replace(`${file}.`, `${file}-handler.`),
        v,
      ]),
    );
  }
  const helpers = fn.model ? [] : lang === 'py' ? MODEL_PY.split('\n') : MODEL_JS(lang).split('\n');
  if (lang !== 'py') {
    const ts = lang === 'ts';
    const head = [
      ...(ts ? ["import type { SQSEvent, SQSBatchResponse } from 'aws-lambda';"] : []),
      ...helpers.filter((l) => l.startsWith('import')),
      `import { ${fn.uses.join(', ')} } from '../lib/aws${ts ? '' : '.mjs'}';`,
      `import { validate } from '../lib/validate${ts ? '' : '.mjs'}';`,
      `import { log } from '../lib/logger${ts ? '' : '.mjs'}';`,
      `import { config } from '../lib/config${ts ? '' : '.mjs'}';`,
      ...(fn.model ? [`import { toItem, fromItem } from '../models/fn${i}${ts ? '' : '.mjs'}';`] : []),
      ...(fn.defect === 'dependency' ? ["import { z } from 'zod';"] : []),
      ...helpers.filter((l) => !l.startsWith('import')),
      '',
      `let apiKey${ts ? ': string | undefined' : ''};`,
      `type Order = Record<string, unknown> & { id?: string; amount?: number; total?: number };`,
      '',
    ].filter((l) => ts || !l.startsWith('type '));
    const tail = [
      `export const handler = async (event${ts ? ': SQSEvent' : ''})${ts ? ': Promise<SQSBatchResponse>' : ''} => {`,
      `  const results${ts ? ': string[]' : ''} = [];`,
      '  for (const record of event.Records ?? []) {',
      `    const body = JSON.parse(record.body)${ts ? ' as Order' : ''};`,
      ...(fn.defect === 'dependency' ? ['    z.object({ id: z.string() }).parse(body);'] : []),
      "    const errors = validate(body, ['id', 'amount']);",
      '    if (errors.length > 0) {',
      "      log('warn', 'invalid message', { errors });",
      '      continue;',
      '    }',
      ...(fn.uses.includes('getItem') ? [] : ['    const existing = {};']),
      ...fn.uses.filter((u) => u === 'getItem' || u === 'getSecret').map((u) => `    ${USE_JS[u]}`),
      `    let order${ts ? ': Order' : ''} = { ...existing, ...body };`,
    ];
    const end = [
      ...fn.uses.filter((u) => u !== 'getItem' && u !== 'getSecret').map((u) => `    ${USE_JS[u]}`),
      '    results.push(String(order.id));',
      '  }',
      "  log('info', 'done', { count: results.length });",
      '  return { batchItemFailures: [] };',
      '};',
      '',
    ];
    const steps: string[] = [];
    const calls: string[] = [];
    for (let k = 0; head.length + tail.length + end.length + steps.length + calls.length + 6 <= fn.lines; k++) {
      steps.push(
        `function step${k}(order${ts ? ': Order' : ''})${ts ? ': Order' : ''} {`,
        `  const total = (order.amount ?? 0) * ${k + 1} + ${i};`,
        `  return { ...order, step${k}: total > ${100 * (k + 1)} ? 'high' : 'low', total };`,
        '}',
        '',
      );
      calls.push(`    order = step${k}(order);`);
    }
    const text = [...head, ...steps, ...tail, ...calls, ...end].join('\n');
    const ext = ts ? 'ts' : 'mjs';
    return {
      [`${file}.${ext}`]: text,
      ...(fn.model ? { [`models/fn${i}.${ext}`]: MODEL_JS(lang) } : {}),
    };
  }
  const head = [
    'import json',
    ...(fn.defect === 'dependency' ? ['import requests'] : []),
    '',
    `from lib.aws import ${fn.uses.map((u) => WRAPPERS[u].py).join(', ')}`,
    'from lib.validate import validate',
    'from lib.logger import log',
    'from lib import config',
    ...(fn.model ? [`from models.fn${i}_model import to_item, from_item`] : []),
    '',
    ...helpers,
  ];
  const tail = [
    '',
    'def handler(event, context):',
    '    api_key = None',
    '    results = []',
    "    for record in event.get('Records', []):",
    "        body = json.loads(record['body'])",
    ...(fn.defect === 'dependency'
      ? ["        requests.post('https://hooks.example.com/orders', json=body, timeout=5)"]
      : []),
    "        errors = validate(body, ['id', 'amount'])",
    '        if errors:',
    "            log('warn', 'invalid message', errors=errors)",
    '            continue',
    ...(fn.uses.includes('getItem') ? [] : ['        existing = {}']),
    ...fn.uses.filter((u) => u === 'getItem' || u === 'getSecret').map((u) => `        ${USE_PY[u]}`),
    '        order = {**existing, **body}',
  ];
  const end = [
    ...fn.uses.filter((u) => u !== 'getItem' && u !== 'getSecret').map((u) => `        ${USE_PY[u]}`),
    "        results.append(order['id'])",
    "    log('info', 'done', count=len(results))",
    "    return {'batchItemFailures': []}",
    '',
  ];
  const steps: string[] = [];
  const calls: string[] = [];
  for (let k = 0; head.length + tail.length + end.length + steps.length + calls.length + 6 <= fn.lines; k++) {
    steps.push(
      '',
      `def step${k}(order):`,
      `    total = order.get('amount', 0) * ${k + 1} + ${i}`,
      `    return {**order, 'step${k}': 'high' if total > ${100 * (k + 1)} else 'low', 'total': total}`,
      '',
    );
    calls.push(`        order = step${k}(order)`);
  }
  return {
    [`${file}.py`]: [...head, ...steps, ...tail, ...calls, ...end].join('\n'),
    ...(fn.model ? { [`models/fn${i}_model.py`]: MODEL_PY } : {}),
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

function samTemplate(fns: Fn[], lang: Lang): string {
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
  for (const fn of fns) {
    const { i, defect: d } = fn;
    out.push(
      `  Queue${i}:`,
      '    Type: AWS::SQS::Queue',
      '    Properties:',
      `      VisibilityTimeout: ${d === 'timeout' ? 7200 : 180}`,
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
      `        - Statement: [{ Effect: Allow, Action: [${actionsOf(fn).join(', ')}], Resource: '*' }]`,
      ...(d === 'queue' ? [] : [`        - SQSPollerPolicy: { QueueName: !GetAtt Queue${i}.QueueName }`]),
      '      Events:',
      '        Jobs:',
      '          Type: SQS',
      `          Properties: { Queue: !GetAtt Queue${i}.Arn, BatchSize: 10 }`,
      ...(lang === 'ts'
        ? [
            '    Metadata:',
            '      BuildMethod: esbuild',
            '      BuildProperties:',
            '        Format: esm',
            '        Target: es2022',
            `        EntryPoints: [handlers/fn${i}.ts]`,
          ]
        : []),
    );
  }
  return out.join('\n') + '\n';
}

function cfnTemplate(fns: Fn[], lang: Lang): string {
  const resources: Record<string, unknown> = {};
  for (const fn of fns) {
    const { i, defect: d } = fn;
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
    statements.push({ Effect: 'Allow', Action: actionsOf(fn), Resource: '*' });
    resources[`Queue${i}`] = {
      Type: 'AWS::SQS::Queue',
      Properties: { VisibilityTimeout: d === 'timeout' ? 7200 : 180 },
    };
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

function serverlessConfig(service: string, fns: Fn[], lang: Lang): string {
  const actions = [...new Set(fns.flatMap(actionsOf))].sort();
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
  for (const fn of fns) {
    const { i, defect: d } = fn;
    out.push(`  fn${i}:`, `    handler: handlers/fn${i}.handler`);
    if (d === 'timeout') out.push('    timeout: 1200');
    out.push('    events:', `      - sqs: { arn: !GetAtt Queue${i}.Arn, batchSize: 10 }`);
    resources.push(
      `    Queue${i}:`,
      '      Type: AWS::SQS::Queue',
      '      Properties:',
      `        VisibilityTimeout: ${d === 'timeout' ? 7200 : 180}`,
    );
  }
  return [...out, ...resources].join('\n') + '\n';
}

function terraformRoot(fns: Fn[], lang: Lang): string {
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
  for (const fn of fns) {
    const { i, defect: d } = fn;
    out.push(
      `resource "aws_sqs_queue" "q${i}" {`,
      `  name                       = "queue-${i}"`,
      `  visibility_timeout_seconds = ${d === 'timeout' ? 7200 : 180}`,
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
      `resource "aws_iam_role_policy" "app${i}" {`,
      `  role   = aws_iam_role.r${i}.id`,
      '  policy = jsonencode({',
      '    Version   = "2012-10-17"',
      `    Statement = [{ Effect = "Allow", Action = [${actionsOf(fn)
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

/**
 * Defects a format can carry. SAM adds the queue permissions of an SQS event to the role it makes,
 * and so does the Serverless Framework; a Serverless function's own `vpc` is left out (whether it
 * inherits the provider's security groups is not a settled fact here).
 */
const DEFECTS: Record<BenchFormat, readonly Defect[]> = {
  sam: ['timeout', 'vpc', 'sdk', 'dependency', 'handler'],
  cloudformation: ['timeout', 'vpc', 'queue', 'sdk', 'dependency', 'handler'],
  serverless: ['timeout', 'sdk', 'dependency', 'handler'],
  terraform: ['timeout', 'vpc', 'queue', 'sdk', 'dependency', 'handler'],
};

/** Writes the project under `root` (created if missing) and says what it wrote. */
export function generateProject(root: string, options: GenerateOptions): Generated {
  const formats = options.formats ?? DEFAULT_MIX;
  const every = options.defectEvery ?? 20;
  const counter = { files: 0 };
  const functions = Object.fromEntries(FORMATS.map((f) => [f, 0])) as Record<BenchFormat, number>;
  const defects = Object.fromEntries(FORMATS.map((f) => [f, 0])) as Record<BenchFormat, number>;
  const planted = Object.fromEntries(Object.keys(DEFECT_RULE).map((d) => [d, 0])) as Record<Defect, number>;
  let sdkCalls = 0;
  fs.mkdirSync(root, { recursive: true });
  const r = random(18);
  let group = 0;
  for (let start = 0; start < options.functions; group++) {
    const size = options.perFile ?? 5 + Math.floor(r() * 11);
    const fmt = formats[group % formats.length];
    const lang: Lang = options.languages?.[group % options.languages.length] ?? pick(r, ['ts', 'ts', 'js', 'py', 'py']);
    // TypeScript needs a build lambdalint knows of: esbuild in SAM and Serverless v4; plain JavaScript elsewhere.
    const l: Lang = lang === 'ts' && (fmt === 'cloudformation' || fmt === 'terraform') ? 'js' : lang;
    const fns: Fn[] = [];
    for (let i = start; i < Math.min(options.functions, start + size); i++) {
      const count = 2 + Math.floor(r() * 4);
      const pool = [...USABLE];
      for (let k = pool.length - 1; k > 0; k--) {
        const j = Math.floor(r() * (k + 1));
        [pool[k], pool[j]] = [pool[j], pool[k]];
      }
      const uses = pool.slice(0, count);
      // A renamed TypeScript handler in Serverless v4 leaves a folder lambdalint does not judge (no JavaScript in it).
      const kinds = DEFECTS[fmt].filter((d) => d !== 'handler' || fmt !== 'serverless' || l !== 'ts');
      const defect = r() < 1 / every ? pick(r, kinds) : undefined;
      if (defect === 'sdk') uses.push('deleteItem');
      // The lib's own order, so that an import lists them as a person would.
      uses.sort((a, b) => Object.keys(WRAPPERS).indexOf(a) - Object.keys(WRAPPERS).indexOf(b));
      fns.push({ i, lang: l, uses, defect, model: r() < 0.4, lines: 30 + Math.floor(r() * 71) });
    }
    start += fns.length;
    const dir = path.join(root, fmt, `${fmt}-${group}`);
    // The Serverless Framework packages the service folder, whose root is the import root.
    const code = fmt === 'serverless' ? dir : path.join(dir, 'src');
    for (const [rel, text] of Object.entries(libFiles(l))) write(path.join(code, rel), text, counter);
    for (const fn of fns) {
      for (const [rel, text] of Object.entries(handlerFiles(fn))) write(path.join(code, rel), text, counter);
      if (fn.defect) planted[fn.defect]++;
      if (fn.defect !== 'handler') sdkCalls += fn.uses.length;
    }
    functions[fmt] += fns.length;
    defects[fmt] += fns.filter((fn) => fn.defect).length;
    if (fmt === 'sam') write(path.join(dir, 'template.yaml'), samTemplate(fns, l), counter);
    else if (fmt === 'cloudformation') write(path.join(dir, 'template.json'), cfnTemplate(fns, l), counter);
    else if (fmt === 'serverless')
      write(path.join(dir, 'serverless.yml'), serverlessConfig(`svc-${group}`, fns, l), counter);
    else write(path.join(dir, 'main.tf'), terraformRoot(fns, l), counter);
  }
  return { root, files: counter.files, services: group, functions, defects, planted, sdkCalls };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: npx tsx bench/generate.ts <dir> [functions]');
    process.exit(2);
  }
  const g = generateProject(path.resolve(dir), { functions: Number(process.argv[3] ?? 2000) });
  console.log(
    `wrote ${g.files} files to ${g.root}: ${g.services} services, ${JSON.stringify(g.functions)}, ${g.sdkCalls} SDK calls, planted ${JSON.stringify(g.planted)}`,
  );
}
