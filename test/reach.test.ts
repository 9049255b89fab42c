// The JS/TS call graph: which SDK calls a handler export reaches (src/code/reach.ts over the
// graph src/code/js.ts builds), with exact call sites, hints through wrappers, and what stays
// unresolved.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FileFacts } from '../src/code/facts.js';
import { parseJs } from '../src/code/js.js';
import { reachCalls } from '../src/code/reach.js';

/** Parses an in-memory project and walks from `entry`'s `exportName`. */
function reach(files: Record<string, string>, entry: string, exportName: string) {
  const parsed = new Map<string, FileFacts>();
  for (const [name, text] of Object.entries(files)) parsed.set(`/p/${name}`, parseJs(`/p/${name}`, text));
  const resolve = (from: string, spec: string) => {
    if (!spec.startsWith('.')) return undefined;
    const base = path.posix.join(path.posix.dirname(from), spec);
    return [base, `${base}.js`, `${base}.mjs`, `${base}.ts`, `${base}/index.js`].find((f) => parsed.has(f));
  };
  const r = reachCalls(`/p/${entry}`, exportName, parsed, resolve);
  return {
    calls: r.calls.map(
      (c) =>
        `${c.label} ${c.operation} ${path.posix.basename(c.range.file)}:${c.range.start.line}${c.hints.length ? ` ${c.hints.map((h) => `${h.param}=${h.literal ?? `env:${h.env}`}`).join(',')}` : ''}`,
    ),
    unresolved: Object.fromEntries(r.unresolved),
  };
}

const LIB = [
  "import AWS from 'aws-sdk';",
  'const db = new AWS.DynamoDB.DocumentClient();',
  'const s3 = new AWS.S3();',
  'export default {',
  '  get: (params) => db.get(params).promise(),',
  '  put: (params) => db.put(params).promise(),',
  "  upload: (key) => s3.putObject({ Bucket: 'files', Key: key }).promise(),",
  '};',
].join('\n');

describe('call graph from the handler export', () => {
  it("charges a shared module's wrapper at the handler's call, with the caller's request", () => {
    const files = {
      'lib.js': LIB,
      'create.js': [
        "import db from './lib.js';",
        'export const main = async (e) => {',
        '  const params = { TableName: process.env.TABLE, Item: e };',
        '  await db.put(params);',
        '};',
      ].join('\n'),
    };
    expect(reach(files, 'create.js', 'main')).toEqual({
      calls: ['DocumentClient.put PutItem create.js:4 TableName=env:TABLE'],
      unresolved: {},
    });
  });

  it('follows class methods, this.method(), this.client, and an instance kept in a module variable', () => {
    const files = {
      'svc.js': [
        "const { S3Client, GetObjectCommand, PutObjectCommand } = require('@aws-sdk/client-s3');",
        "const AWS = require('aws-sdk');",
        'class Files {',
        '  constructor() { this.s3 = new S3Client({}); this.sqs = new AWS.SQS(); }',
        "  read(k) { return this.s3.send(new GetObjectCommand({ Bucket: 'b', Key: k })); }",
        "  write(k) { return this.s3.send(new PutObjectCommand({ Bucket: 'b', Key: k })); }",
        '  async copy(k) { await this.read(k); return this.notify(k); }',
        "  notify(k) { return this.sqs.sendMessage({ QueueUrl: 'q', MessageBody: k }).promise(); }",
        '}',
        'module.exports = { Files };',
      ].join('\n'),
      'h.js': [
        "const { Files } = require('./svc');",
        'const files = new Files();',
        'exports.handler = async (e) => files.copy(e.key);',
      ].join('\n'),
      'h2.js': ["const { Files } = require('./svc');", 'exports.handler = async (e) => new Files().write(e.key);'].join(
        '\n',
      ),
    };
    expect(reach(files, 'h.js', 'handler').calls).toEqual([
      'GetObjectCommand GetObject svc.js:5 Bucket=b',
      'sqs.sendMessage SendMessage svc.js:8 QueueUrl=q',
    ]);
    expect(reach(files, 'h2.js', 'handler').calls).toEqual(['PutObjectCommand PutObject svc.js:6 Bucket=b']);
  });

  it('follows middleware wrappers, re-exports, default exports and CommonJS exports', () => {
    const files = {
      'lib.js': LIB,
      'impl.mjs': [
        "import db from './lib.js';",
        'const base = async () => db.get({});',
        'export const handler = middy(base).use(cors());',
        "import middy from '@middy/core';",
        "import cors from '@middy/http-cors';",
      ].join('\n'),
      'index.mjs': "export { handler as main } from './impl.mjs';\nexport * from './other.mjs';",
      'other.mjs':
        "import db from './lib.js';\nexport default async function () { await db.upload('k'); }\nexport const extra = () => db.put({});",
      'cjs.js':
        "const lib = require('./lib.js');\nfunction h() { return lib.default.put({}); }\nmodule.exports = { h };",
    };
    expect(reach(files, 'index.mjs', 'main').calls).toEqual(['DocumentClient.get GetItem impl.mjs:2']);
    expect(reach(files, 'index.mjs', 'extra').calls).toEqual(['DocumentClient.put PutItem other.mjs:3']);
    expect(reach(files, 'other.mjs', 'default').calls).toEqual(['s3.putObject PutObject lib.js:7 Bucket=files']);
    expect(reach(files, 'cjs.js', 'h').calls).toEqual(['DocumentClient.put PutItem cjs.js:2']);
  });

  it('always charges module top-level code, and code loaded by a dynamic import only when its loader runs', () => {
    const files = {
      'boot.js':
        "import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';\nexport const config = await new SSMClient({}).send(new GetParameterCommand({ Name: 'cfg' }));",
      'h.mjs': [
        "import './boot.js';",
        'export const a = async () => 1;',
        "export const b = async () => { const { run } = await import('./job.mjs'); return run(); };",
      ].join('\n'),
      'job.mjs':
        "import { SNSClient, PublishCommand } from '@aws-sdk/client-sns';\nconst sns = new SNSClient({});\nexport const run = () => sns.send(new PublishCommand({ TopicArn: process.env.T }));",
    };
    expect(reach(files, 'h.mjs', 'a').calls).toEqual(['GetParameterCommand GetParameter boot.js:2 Name=cfg']);
    expect(reach(files, 'h.mjs', 'b').calls).toEqual([
      'GetParameterCommand GetParameter boot.js:2 Name=cfg',
      'PublishCommand Publish job.mjs:3 TopicArn=env:T',
    ]);
  });

  it('names the operation of a client[action](params) wrapper from each caller, and counts what it cannot name', () => {
    const files = {
      'dyn.js':
        "const AWS = require('aws-sdk');\nconst c = new AWS.DynamoDB.DocumentClient();\nmodule.exports.call = (action, params) => c[action](params).promise();",
      'h.js': [
        "const dyn = require('./dyn');",
        "exports.a = async () => dyn.call('query', { TableName: 'T' });",
        'exports.b = async (e) => dyn.call(e.op, {});',
        "exports.c = async (e) => { const AWS = require('aws-sdk'); const s3 = new AWS.S3(); return s3[e.op]({}); };",
      ].join('\n'),
    };
    expect(reach(files, 'h.js', 'a')).toEqual({
      calls: ['DocumentClient.query Query h.js:2 TableName=T'],
      unresolved: {},
    });
    expect(reach(files, 'h.js', 'b')).toEqual({ calls: [], unresolved: { 'computed property call': 1 } });
    expect(reach(files, 'h.js', 'c')).toEqual({ calls: [], unresolved: { 'computed property call': 1 } });
  });

  it('counts the calls behind lib[name]() and behind a handler made by a package as not resolved', () => {
    const files = {
      'lib.js': LIB,
      'h.mjs':
        "import lib from './lib.js';\nexport const h = async (e) => lib[e.op]({});\nimport { make } from 'factory';\nexport const made = make();",
    };
    expect(reach(files, 'h.mjs', 'h')).toEqual({ calls: [], unresolved: { 'computed property call': 3 } });
    expect(reach(files, 'h.mjs', 'made')).toEqual({
      calls: [],
      unresolved: { 'handler built by a call lambdalint does not follow': 3 },
    });
  });

  it('maps Powertools parameters, providers and the idempotency persistence layer where they are used', () => {
    const files = {
      'h.ts': [
        "import { getParameter, SSMProvider } from '@aws-lambda-powertools/parameters/ssm';",
        "import { getSecret } from '@aws-lambda-powertools/parameters/secrets';",
        "import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';",
        "import { makeIdempotent } from '@aws-lambda-powertools/idempotency';",
        'const ssm = new SSMProvider();',
        'const store = new DynamoDBPersistenceLayer({ tableName: process.env.IDEMPOTENCY });',
        'const unused = new DynamoDBPersistenceLayer({ tableName: "other" });',
        "export const params = async () => [await getParameter('/app/url'), await getSecret(process.env.KEY!), await ssm.getMultiple('/app/')];",
        'export const handler = makeIdempotent(async (e: unknown) => e, { persistenceStore: store });',
      ].join('\n'),
    };
    expect(reach(files, 'h.ts', 'params').calls).toEqual([
      'getParameter GetParameter h.ts:8 Name=/app/url',
      'getSecret GetSecretValue h.ts:8 SecretId=env:KEY',
      'SSMProvider.getMultiple GetParametersByPath h.ts:8 Path=/app/',
    ]);
    expect(reach(files, 'h.ts', 'handler').calls).toEqual(
      ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'].map(
        (op) => `DynamoDBPersistenceLayer ${op} h.ts:6 TableName=env:IDEMPOTENCY`,
      ),
    );
  });

  it('reads TypeScript parameter properties and typed class fields as the clients they hold', () => {
    const files = {
      'repo.ts': [
        "import { DocumentClient } from 'aws-sdk/clients/dynamodb';",
        'export class Repo {',
        '  constructor(private readonly db: DocumentClient) {}',
        "  find(id: string) { return this.db.get({ TableName: 'T', Key: { id } }).promise(); }",
        "  drop(id: string) { return this.db.delete({ TableName: 'T', Key: { id } }).promise(); }",
        '}',
      ].join('\n'),
      'h.ts':
        "import { Repo } from './repo';\nimport { DocumentClient } from 'aws-sdk/clients/dynamodb';\nconst repo = new Repo(new DocumentClient());\nexport const handler = async (e: { id: string }) => repo.find(e.id);",
    };
    expect(reach(files, 'h.ts', 'handler').calls).toEqual(['DocumentClient.get GetItem repo.ts:4 TableName=T']);
  });
});

describe('lint() on a project with calls it cannot resolve', () => {
  it('records them in the coverage of sdk-permission for that function, and nothing for the others', async () => {
    const { lint } = await import('../src/lint.js');
    const { FIXTURES, TODAY } = await import('./helpers.js');
    const cwd = path.join(FIXTURES, 'sdk-permission', 'negative', 'serverless-commonjs-dispatch-wrapper-granted');
    const result = await lint({ cwd, today: TODAY });
    expect(result.coverage?.notChecked.filter((n) => n.rules.includes('sdk-permission'))).toEqual([
      {
        function: 'admin',
        file: 'serverless.yml',
        rules: ['sdk-permission'],
        reason: '1 SDK call in the handler code not resolved (computed property call)',
      },
    ]);
    expect(result.notes).toContain(
      'serverless.yml: admin: handler code reaches 1 SDK call, 1 mapped to IAM actions; 1 not resolved (computed property call)',
    );
    expect(result.notes).toContain(
      'serverless.yml: list: handler code reaches 2 SDK calls, 2 mapped to IAM actions; 0 not resolved',
    );
  });
});
