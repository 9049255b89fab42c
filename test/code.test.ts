// Handler code analysis: the parsers (exports, imports, SDK calls with exact ranges), the SDK
// operation → IAM action table, and lint() on handler files that do not parse.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inlinePlacer } from '../src/code/analyse.js';
import { parseJs } from '../src/code/js.js';
import { MAX_NESTING, nestingDepth } from '../src/code/nesting.js';
import { parsePython } from '../src/code/python.js';
import { actionsFor, iamPrefix, snakeToPascal } from '../src/code/sdk-map.js';
import { isKnownAction, loadActionCatalog } from '../src/iam/actions.js';
import { lint } from '../src/lint.js';
import { TODAY } from './helpers.js';

const exportsOf = (f: Awaited<ReturnType<typeof parseJs>>) =>
  Object.fromEntries([...f.exports].map(([k, v]) => [k, v.kind]));

describe('JavaScript and TypeScript handlers', () => {
  it('lists ESM exports and what they are', async () => {
    const f = await parseJs(
      '/p/a.mjs',
      [
        'export async function one() {}',
        'export const two = async () => 1;',
        "export const three = 'text';",
        'const four = function () {};',
        'export { four as five };',
        'export default () => 0;',
      ].join('\n'),
    );
    expect(exportsOf(f)).toEqual({
      one: 'function',
      two: 'function',
      three: 'not-function',
      five: 'function',
      default: 'function',
    });
    expect(f.openExports).toBe(false);
    expect(f.exports.get('two')!.range).toEqual({
      file: '/p/a.mjs',
      start: { line: 2, column: 14 },
      end: { line: 2, column: 17 },
    });
  });

  it('lists CommonJS exports, and knows when the list is open', async () => {
    const f = await parseJs(
      '/p/a.js',
      [
        'function h() {}',
        'exports.a = h;',
        'module.exports.b = 42;',
        'module.exports = { c: () => 1, h, d: [] };',
      ].join('\n'),
    );
    expect(exportsOf(f)).toEqual({ a: 'function', b: 'not-function', c: 'function', h: 'function', d: 'not-function' });
    const open = await parseJs('/p/b.js', "const impl = require('./impl');\nmodule.exports = impl;\n");
    expect(open.openExports).toBe(true);
    const star = await parseJs('/p/c.ts', "export * from './impl.js';\n");
    expect(star.openExports).toBe(true);
  });

  it('records imports with their ranges, skipping type-only imports and guarded requires', async () => {
    const f = await parseJs(
      '/p/a.ts',
      [
        "import type { Context } from 'aws-lambda';",
        "import { z } from 'zod'; export const Order = z.object({});",
        "const dayjs = require('dayjs');",
        "try { require('optional-thing'); } catch {}",
        "const lazy = () => import('./lazy.js');",
      ].join('\n'),
    );
    expect(
      f.imports.map((i) => [i.specifier, i.relative, i.range.start.line, i.range.start.column, i.range.end.column]),
    ).toEqual([
      ['zod', false, 2, 19, 24],
      ['dayjs', false, 3, 23, 30],
      ['./lazy.js', true, 5, 27, 38],
    ]);
  });

  it('maps SDK v3 commands, lib-dynamodb commands, aggregated clients and paginators', async () => {
    const f = await parseJs(
      '/p/a.ts',
      [
        "import { S3Client, GetObjectCommand, paginateListObjectsV2 } from '@aws-sdk/client-s3';",
        "import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';",
        "import { SecretsManager } from '@aws-sdk/client-secrets-manager';",
        'const s3 = new S3Client({});',
        'const sm = new SecretsManager({});',
        'const T = process.env.TABLE;',
        "await s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' }));",
        'await doc.send(new QueryCommand({ TableName: T }));',
        'for await (const p of paginateListObjectsV2({ client: s3 }, { Bucket: process.env["B"] })) {}',
        "await sm.getSecretValue({ SecretId: 'arn:aws:secretsmanager:eu-west-1:1:secret:x' });",
      ].join('\n'),
    );
    expect(
      f.calls.map((c) => [c.sdk, c.service, c.operation, c.label, c.hints, c.range.start.line, c.range.start.column]),
    ).toEqual([
      [
        'js-v3',
        's3',
        'GetObject',
        'GetObjectCommand',
        [
          { param: 'Bucket', literal: 'b' },
          { param: 'Key', literal: 'k' },
        ],
        7,
        7,
      ],
      ['js-v3', 'dynamodb', 'Query', 'QueryCommand', [{ param: 'TableName', env: 'TABLE' }], 8, 7],
      ['js-v3', 's3', 'ListObjectsV2', 'paginateListObjectsV2', [{ param: 'Bucket', env: 'B' }], 9, 23],
      [
        'js-v3',
        'secrets-manager',
        'GetSecretValue',
        'secrets-manager.getSecretValue',
        [{ param: 'SecretId', literal: 'arn:aws:secretsmanager:eu-west-1:1:secret:x' }],
        10,
        7,
      ],
    ]);
  });

  it('maps SDK v2 service objects and the DocumentClient, chained or in variables', async () => {
    const f = await parseJs(
      '/p/a.js',
      [
        "const AWS = require('aws-sdk');",
        'const ddb = new AWS.DynamoDB.DocumentClient();',
        "await new AWS.S3().getObject({ Bucket: 'b', Key: 'k' }).promise();",
        'await ddb.put({ TableName: process.env.T }).promise();',
      ].join('\n'),
    );
    expect(f.calls.map((c) => [c.sdk, c.service, c.operation, c.label])).toEqual([
      ['js-v2', 's3', 'GetObject', 's3.getObject'],
      ['js-v2', 'dynamodb', 'PutItem', 'DocumentClient.put'],
    ]);
  });

  it('reads the CommonJS that bundlers emit: namespace requires, interop wrappers, (0, ns.fn)(...) calls', async () => {
    const f = await parseJs(
      '/p/index.js',
      [
        '"use strict";',
        'var import_client_dynamodb = require("@aws-sdk/client-dynamodb");',
        'var import_client_s3 = __toESM(require("@aws-sdk/client-s3"));',
        'var db = new import_client_dynamodb.DynamoDBClient({});',
        'exports.handler = async (event) => {',
        '  await db.send(new import_client_dynamodb.PutItemCommand({ TableName: process.env.TABLE, Item: {} }));',
        '  for await (const p of (0, import_client_s3.paginateListObjectsV2)({ client: s3 }, { Bucket: "b" })) {}',
        '};',
      ].join('\n'),
    );
    expect(f.imports.map((i) => i.specifier)).toEqual(['@aws-sdk/client-dynamodb', '@aws-sdk/client-s3']);
    expect(f.calls.map((c) => [c.service, c.operation, c.hints, c.range.start.line])).toEqual([
      ['dynamodb', 'PutItem', [{ param: 'TableName', env: 'TABLE' }], 6],
      ['s3', 'ListObjectsV2', [{ param: 'Bucket', literal: 'b' }], 7],
    ]);
  });

  it('maps lib-storage Upload to PutObject, and commands of a namespace import', async () => {
    const f = await parseJs(
      '/p/a.mjs',
      [
        "import { Upload } from '@aws-sdk/lib-storage';",
        "import * as sqs from '@aws-sdk/client-sqs';",
        'const q = new sqs.SQSClient({});',
        "await new Upload({ client: s3, params: { Bucket: process.env.BUCKET, Key: 'k', Body: 'x' } }).done();",
        "await q.send(new sqs.SendMessageCommand({ QueueUrl: process.env.Q, MessageBody: 'x' }));",
      ].join('\n'),
    );
    expect(f.calls.map((c) => [c.service, c.operation, c.label, c.hints, c.range.start.line])).toEqual([
      [
        's3',
        'PutObject',
        'Upload',
        [
          { param: 'Bucket', env: 'BUCKET' },
          { param: 'Key', literal: 'k' },
        ],
        4,
      ],
      ['sqs', 'SendMessage', 'SendMessageCommand', [{ param: 'QueueUrl', env: 'Q' }], 5],
    ]);
  });

  it('sees through TypeScript-only syntax and parentheses', async () => {
    const f = await parseJs(
      '/p/a.ts',
      [
        "import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';",
        'const sqs = (new SQSClient({}) as SQSClient)!;',
        'const Q = process.env.QUEUE_URL as string;',
        'export const handler = (async (e: unknown): Promise<void> => {',
        '  await sqs.send(new SendMessageCommand({ QueueUrl: Q, MessageBody: "x" } satisfies object));',
        '}) satisfies (e: unknown) => Promise<void>;',
        'export type Event = { id: string };',
        'export interface Shape { a: number }',
      ].join('\n'),
    );
    expect(f.parseError).toBeUndefined();
    expect(exportsOf(f)).toEqual({ handler: 'function' });
    expect(f.calls.map((c) => [c.service, c.operation, c.hints, c.range.start.line, c.range.start.column])).toEqual([
      ['sqs', 'SendMessage', [{ param: 'QueueUrl', env: 'QUEUE_URL' }], 5, 9],
    ]);
  });

  it('reads the bucket of an S3 event record as the event bucket, inline or through a const', async () => {
    const f = await parseJs(
      '/p/a.mjs',
      [
        "import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';",
        'const s3 = new S3Client({});',
        'export const handler = async (event) => {',
        '  const bucket = event.Records[0].s3.bucket.name;',
        '  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "a", Body: "" }));',
        '  for (const r of event.Records) await s3.send(new PutObjectCommand({ Bucket: r.s3.bucket.name, Key: "b", Body: "" }));',
        '  await s3.send(new PutObjectCommand({ Bucket: event.detail.bucket.name, Key: "c", Body: "" }));',
        '};',
      ].join('\n'),
    );
    expect(f.calls.map((c) => [c.operation, c.hints.filter((h) => h.param === 'Bucket'), c.range.start.line])).toEqual([
      ['PutObject', [{ param: 'Bucket', event: 's3-bucket' }], 5],
      ['PutObject', [{ param: 'Bucket', event: 's3-bucket' }], 6],
      ['PutObject', [], 7],
    ]);
  });

  it('handles anonymous default exports, namespace re-exports and shorthand request parameters', async () => {
    const f = await parseJs(
      '/p/a.mjs',
      [
        "import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';",
        "export * as util from './util.mjs';",
        'export default async function () {}',
        'const TableName = process.env.TABLE;',
        'const db = new DynamoDBClient({});',
        'await db.send(new GetItemCommand({ TableName, Key: {} }));',
      ].join('\n'),
    );
    expect(exportsOf(f)).toEqual({ util: 'not-function', default: 'function' });
    expect(f.openExports).toBe(false);
    expect(f.imports.map((i) => i.specifier)).toEqual(['@aws-sdk/client-dynamodb', './util.mjs']);
    expect(f.calls.map((c) => c.hints)).toEqual([[{ param: 'TableName', env: 'TABLE' }]]);
  });

  it('parses CommonJS that returns at the top level, and reports a syntax error with the parser reason', async () => {
    const cjs = await parseJs('/p/a.cjs', 'if (process.env.SKIP) return;\nexports.handler = async () => {};\n');
    expect(cjs.parseError).toBeUndefined();
    expect(exportsOf(cjs)).toEqual({ handler: 'function' });
    const bad = await parseJs('/p/b.js', 'export const handler = async (event) => {\n  const x = ;\n};\n');
    expect(bad.parseError).toMatch(/unexpected token/i);
  });

  it('counts columns in UTF-16 code units after non-ASCII text', async () => {
    const f = await parseJs('/p/a.mjs', "const s = '😀 é'; import('./x.mjs');\n");
    expect(f.imports[0].range.start).toEqual({ line: 1, column: 26 });
  });
});

describe('nesting bound before parsing', () => {
  it('does not count brackets in strings, comments, templates and regular expressions', () => {
    const quoted = [
      '"((((("',
      "'[[[['",
      '`{{{{ ${"("} ((((`',
      '// ((((((',
      '/* [[[[[ */',
      'x = /[(((]\\(/g.test(s)',
    ].join(';\n');
    expect(nestingDepth(quoted)).toBeLessThan(5);
    expect(nestingDepth('f(g(h(1)));\n')).toBe(3);
  });

  it('ends statements at semicolons, commas and line breaks, but not after if (...)', () => {
    expect(nestingDepth('a = !b\nc = !d\ne = !f\n')).toBe(2);
    expect(nestingDepth('a = !b; c = !d; e = !f')).toBe(2);
    expect(nestingDepth('if (a)\nif (b)\nif (c)\nx = 1\n')).toBeGreaterThanOrEqual(4);
  });

  it('counts a quarter for a `:`, an eighth for a binary operator, a sixteenth for a postfix step', () => {
    expect(nestingDepth('x: y')).toBe(0.25);
    expect(nestingDepth('a ?? b')).toBe(0.125);
    expect(nestingDepth('a.b.c')).toBe(0.125);
    expect(nestingDepth('x = a.b')).toBe(1.0625);
    expect(nestingDepth('f()()')).toBe(1.0625);
    expect(nestingDepth('v as T')).toBe(0.0625);
    // The limit is in levels: counting stops once past it.
    expect(nestingDepth('((((((', 2)).toBe(3);
  });

  it("keeps this project's own sources far below the bound", () => {
    const dirs = ['src', 'rules', 'test'].map((d) => path.join(path.dirname(import.meta.dirname), d));
    const files = dirs.flatMap((d) =>
      fs
        .readdirSync(d, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts'))
        .map((f) => path.join(d, f)),
    );
    expect(files.length).toBeGreaterThan(50);
    const deepest = Math.max(...files.map((f) => nestingDepth(fs.readFileSync(f, 'utf8'))));
    expect(deepest).toBeLessThan(MAX_NESTING / 4);
  });
});

describe('inline code in a template', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-inline-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const place = (template: string, code: string, keyLine: number, keyColumn: number) => {
    const file = path.join(tmp, `t${keyLine}-${keyColumn}.yaml`);
    fs.writeFileSync(file, template);
    const entry = { file, start: { line: keyLine, column: keyColumn }, end: { line: keyLine, column: keyColumn + 7 } };
    return inlinePlacer(entry, code)({ file: 'index.py', start: { line: 2, column: 8 }, end: { line: 2, column: 16 } });
  };

  it('maps a literal block line for line, blank lines and trailing line breaks included', () => {
    const template =
      'Code:\n  ZipFile: |\n    import json\n    import requests\n\n    def handler(e, c):\n        return 1\nOther: x\n';
    const code = 'import json\nimport requests\n\ndef handler(e, c):\n    return 1\n';
    expect(place(template, code, 2, 3)).toMatchObject({ start: { line: 4, column: 12 }, end: { line: 4, column: 20 } });
  });

  it('gives the whole entry when the code is a quoted string or a folded block', () => {
    const quoted = 'Code:\n  ZipFile: "import json\\nimport requests\\n"\n';
    expect(place(quoted, 'import json\nimport requests\n', 2, 3)).toMatchObject({
      start: { line: 2, column: 3 },
      end: { line: 2, column: 10 },
    });
    const folded = 'Code:\n  ZipFile: >\n    import json\n\n    import requests\n';
    expect(place(folded, 'import json\nimport requests\n', 2, 3)).toMatchObject({ start: { line: 2, column: 3 } });
  });
});

describe('Python handlers', () => {
  it('finds top-level functions, imports outside try blocks, and boto3 calls', async () => {
    const f = await parsePython(
      '/p/app.py',
      [
        'import os',
        'import boto3',
        'from requests import Session',
        'try:',
        '    import ujson',
        'except ImportError:',
        '    ujson = None',
        's3 = boto3.client("s3")',
        'table = boto3.resource("dynamodb").Table(os.environ["TABLE"])',
        'handler_alias = None',
        '',
        '',
        'def handler(event, context):',
        '    s3.put_object(Bucket=os.getenv("BUCKET"), Key="k", Body=b"")',
        '    table.get_item(Key={"id": "1"})',
        '    s3.get_paginator("list_objects_v2")',
        '    s3.generate_presigned_url("get_object")',
      ].join('\n'),
    );
    expect(Object.fromEntries([...f.exports].map(([k, v]) => [k, v.kind]))).toEqual({
      handler: 'function',
      handler_alias: 'unknown',
      s3: 'unknown',
      table: 'unknown',
      ujson: 'unknown',
      Session: 'unknown',
    });
    expect(f.imports.map((i) => i.specifier)).toEqual(['os', 'boto3', 'requests']);
    expect(
      f.calls.map((c) => [c.service, c.operation, c.label, c.hints, c.range.start.line, c.range.start.column]),
    ).toEqual([
      [
        's3',
        'PutObject',
        's3.put_object',
        [
          { param: 'Bucket', env: 'BUCKET' },
          { param: 'Key', literal: 'k' },
        ],
        14,
        5,
      ],
      ['dynamodb', 'GetItem', 'Table.get_item', [{ param: 'TableName', env: 'TABLE' }], 15, 5],
      ['s3', 'ListObjectsV2', "s3.get_paginator('list_objects_v2')", [], 16, 5],
    ]);
  });

  it('leaves out the imports of `if TYPE_CHECKING:`, which never run, and keeps those of its else', async () => {
    const f = await parsePython(
      '/p/app.py',
      [
        'import typing',
        'from typing import TYPE_CHECKING',
        'import typing as t',
        'if TYPE_CHECKING:',
        '    from mypy_boto3_s3 import S3Client',
        '    import boto3_stubs_extra',
        'else:',
        '    import runtime_only',
        'if typing.TYPE_CHECKING:',
        '    from typing_extensions import Literal',
        'if t.TYPE_CHECKING:',
        '    from lib.models import Order',
        'if not TYPE_CHECKING:',
        '    import fast_json',
        'def handler(event, context):',
        '    return 1',
      ].join('\n'),
    );
    expect(f.imports.map((i) => i.specifier)).toEqual(['typing', 'typing', 'typing', 'runtime_only', 'fast_json']);
    // Nothing under TYPE_CHECKING loads: no reference of the module's top level names lib.models.
    expect(f.units?.get('')?.refs.some((r) => 'spec' in r && r.spec === 'lib.models')).toBe(false);
  });

  it('maps the S3 Bucket resource: put_object, upload_file, download_file, delete_objects', async () => {
    const f = await parsePython(
      '/p/app.py',
      [
        'import os',
        'import boto3',
        'bucket = boto3.resource("s3").Bucket(os.environ["BUCKET"])',
        'def handler(event, context):',
        '    bucket.put_object(Key="a", Body=b"")',
        '    bucket.upload_file("/tmp/x", "b")',
        '    bucket.download_file("c", "/tmp/c")',
        '    bucket.objects.all()',
        '',
      ].join('\n'),
    );
    expect(f.calls.map((c) => [c.operation, c.label, c.hints, c.range.start.line])).toEqual([
      [
        'PutObject',
        'Bucket.put_object',
        [
          { param: 'Bucket', env: 'BUCKET' },
          { param: 'Key', literal: 'a' },
        ],
        5,
      ],
      ['UploadFile', 'Bucket.upload_file', [{ param: 'Bucket', env: 'BUCKET' }], 6],
      ['DownloadFile', 'Bucket.download_file', [{ param: 'Bucket', env: 'BUCKET' }], 7],
    ]);
  });

  it('reads the bucket of an S3 event record (subscripts, attributes, a local name) as the event bucket', async () => {
    const f = await parsePython(
      '/p/app.py',
      [
        'import boto3',
        's3 = boto3.client("s3")',
        'def handler(event, context):',
        '    for record in event["Records"]:',
        '        src = record["s3"]["bucket"]["name"]',
        '        s3.put_object(Bucket=src, Key="out/x", Body=b"")',
        '        s3.copy_object(Bucket=record.s3.bucket.name, Key="y", CopySource="z")',
        '        s3.put_object(Bucket=record["s3"]["object"]["key"], Key="k", Body=b"")',
        '',
      ].join('\n'),
    );
    expect(f.calls.map((c) => [c.operation, c.hints.filter((h) => h.param === 'Bucket'), c.range.start.line])).toEqual([
      ['PutObject', [{ param: 'Bucket', event: 's3-bucket' }], 6],
      ['CopyObject', [{ param: 'Bucket', event: 's3-bucket' }], 7],
      ['PutObject', [], 8],
    ]);
  });

  it('counts columns in UTF-16 code units after non-ASCII text', async () => {
    const f = await parsePython('/p/app.py', 'x = "é😀"; import json\n');
    expect(f.imports[0].range.start).toEqual({ line: 1, column: 19 });
  });
});

describe('Python call graph', () => {
  it('records units, what they reach, and what the module binds for importers', async () => {
    const f = await parsePython(
      '/p/lib/repo.py',
      [
        'import os',
        'import boto3',
        'from . import audit',
        'class Repo:',
        '    def __init__(self, name):',
        '        self.table = boto3.resource("dynamodb").Table(name)',
        '    def save(self, item):',
        '        self.table.put_item(Item=item)',
        '        audit.record(item)',
        '    def load(self, key):',
        '        return self.table.get_item(Key=key)',
        'repo = Repo(os.environ["T"])',
        'def purge(store, key):',
        '    store.remove(key)',
        '',
      ].join('\n'),
    );
    expect(f.calls.map((c) => [c.label, c.unit, c.hints])).toEqual([
      ['Table.put_item', 'Repo.save', []],
      ['Table.get_item', 'Repo.load', []],
    ]);
    expect(f.units?.get('Repo.save')?.refs).toEqual([{ spec: '.', path: ['audit', 'record'] }]);
    expect(f.units?.get('purge')?.refs).toEqual([{ method: 'remove' }]);
    expect(f.units?.get('')?.refs).toContainEqual({ local: 'Repo' });
    expect(f.bindings?.get('repo')).toEqual({ instanceOf: { local: 'Repo' } });
    expect(f.bindings?.get('Repo')).toEqual({ cls: 'Repo' });
    expect(f.bindings?.get('purge')).toEqual({ unit: 'purge' });
  });
});

describe('lint() on Python packages with shared code', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-pyreach-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('charges only the calls the handler reaches, and counts a dispatch it cannot follow as unresolved', async () => {
    fs.mkdirSync(path.join(tmp, 'src/lib'), { recursive: true });
    fs.writeFileSync(
      path.join(tmp, 'template.yaml'),
      [
        "AWSTemplateFormatVersion: '2010-09-09'",
        'Transform: AWS::Serverless-2016-10-31',
        'Resources:',
        '  Purge:',
        '    Type: AWS::Serverless::Function',
        '    Properties:',
        '      CodeUri: src/',
        '      Handler: purge.handler',
        '      Runtime: python3.12',
        '      Policies:',
        '        - SQSPollerPolicy:',
        '            QueueName: jobs',
        '',
      ].join('\n'),
    );
    fs.writeFileSync(path.join(tmp, 'src/lib/__init__.py'), '');
    fs.writeFileSync(
      path.join(tmp, 'src/lib/store.py'),
      [
        'import boto3',
        '',
        'class Store:',
        '    def __init__(self):',
        '        self.t = boto3.resource("dynamodb").Table("jobs")',
        '    def remove(self, key):',
        '        self.t.delete_item(Key=key)',
        '    def add(self, item):',
        '        self.t.put_item(Item=item)',
        '',
        'def make():',
        '    return Store()',
        '',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(tmp, 'src/purge.py'),
      [
        'from lib import store',
        '',
        'def handler(event, context):',
        '    s = store.make()',
        '    s.remove({"id": event["id"]})',
        '',
      ].join('\n'),
    );
    const r = await lint({ cwd: tmp, today: TODAY });
    expect(r.findings.filter((f) => f.ruleId === 'sdk-permission')).toEqual([]);
    expect(r.notes).toContain(
      'template.yaml: Purge: 0 AWS SDK calls reached from handler purge.handler (of 2 in the 3 modules it loads), 1 not resolved',
    );
  });
});

describe('lint() on a copy of the AWS SDK for Python in a layer or the package', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-sdk-copy-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("walks neither boto3 nor botocore: the calls are the handler's, on its clients", async () => {
    const write = (file: string, lines: string[]) => {
      fs.mkdirSync(path.dirname(path.join(tmp, file)), { recursive: true });
      fs.writeFileSync(path.join(tmp, file), lines.join('\n'));
    };
    write('template.yaml', [
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  SdkLayer:',
      '    Type: AWS::Serverless::LayerVersion',
      '    Properties:',
      '      ContentUri: layer/',
      '  Upload:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      CodeUri: src/',
      '      Handler: app.handler',
      '      Runtime: python3.12',
      '      Layers: [!Ref SdkLayer]',
      '      Policies:',
      '        - S3WritePolicy:',
      '            BucketName: reports',
      '',
    ]);
    // A pip-installed copy, as `pip install -t layer/python boto3` leaves it.
    write('layer/python/boto3-1.35.0.dist-info/RECORD', ['boto3/__init__.py,,', 'boto3/session.py,,', '']);
    write('layer/python/botocore-1.35.0.dist-info/RECORD', ['botocore/__init__.py,,', 'botocore/session.py,,', '']);
    write('layer/python/boto3/__init__.py', [
      'from boto3.session import Session',
      '',
      'def client(*args, **kwargs):',
      '    return Session().client(*args, **kwargs)',
      '',
    ]);
    write('layer/python/boto3/session.py', [
      'import botocore.session',
      '',
      'class Session:',
      '    def client(self, name, **kwargs):',
      '        return botocore.session.get_session().create_client(name, **kwargs)',
      '',
    ]);
    write('layer/python/botocore/__init__.py', ['']);
    write('layer/python/botocore/session.py', ['def get_session():', '    return None', '']);
    // Vendored in the package too (`pip install -t src`): the import graph does not walk it either.
    write('src/boto3/__init__.py', ['import botocore.session', '']);
    write('src/botocore/__init__.py', ['']);
    write('src/botocore/session.py', ['import json', '']);
    write('src/app.py', [
      'import boto3',
      '',
      's3 = boto3.client("s3")',
      '',
      'def handler(event, context):',
      '    s3.put_object(Bucket="reports", Key=event["key"], Body=b"")',
      '',
    ]);
    const r = await lint({ cwd: tmp, today: TODAY });
    expect(r.findings).toEqual([]);
    expect(r.notes).toContain(
      'template.yaml: Upload: 1 AWS SDK call reached from handler app.handler (of 1 in the 1 module it loads), 0 not resolved',
    );
  });
});

describe('lint() on serverless-wsgi services', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-wsgi-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const service = (dir: string, custom: string[]) => {
    fs.mkdirSync(path.join(tmp, dir), { recursive: true });
    fs.writeFileSync(
      path.join(tmp, dir, 'serverless.yml'),
      [
        'service: shop',
        "frameworkVersion: '3'",
        'plugins:',
        '  - serverless-wsgi',
        ...custom,
        'provider:',
        '  name: aws',
        '  runtime: python3.12',
        'functions:',
        '  site:',
        '    handler: wsgi_handler.handler',
        '',
      ].join('\n'),
    );
    fs.writeFileSync(path.join(tmp, dir, 'app.py'), 'from flask import Flask\napp = Flask(__name__)\n');
    fs.writeFileSync(path.join(tmp, dir, 'requirements.txt'), 'flask\n');
  };

  it('says why the handler code is not read when custom.wsgi.app is not set or names no file, and reports no missing handler', async () => {
    service('unset', []);
    service('elsewhere', ['custom:', '  wsgi:', '    app: api/main.app']);
    for (const [dir, reason] of [
      [
        'unset',
        'handler wsgi_handler.handler is generated by serverless-wsgi when it packages, and custom.wsgi.app is not set: not checked',
      ],
      [
        'elsewhere',
        'handler wsgi_handler.handler is generated by serverless-wsgi; its app api/main.app names api/main.py, which is not there: not checked',
      ],
    ]) {
      const r = await lint({ cwd: path.join(tmp, dir), today: TODAY });
      expect(r.findings.filter((f) => f.ruleId === 'handler-not-found')).toEqual([]);
      expect(r.coverage?.notChecked).toContainEqual(
        expect.objectContaining({ function: 'site', file: 'serverless.yml', reason }),
      );
    }
  });
});

describe('lint() on code lambdalint cannot read, and on distributions named after more words', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-s3code-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('says in the coverage that code in S3 is not read', async () => {
    fs.writeFileSync(
      path.join(tmp, 'template.yaml'),
      [
        "AWSTemplateFormatVersion: '2010-09-09'",
        'Transform: AWS::Serverless-2016-10-31',
        'Resources:',
        '  Orders:',
        '    Type: AWS::Serverless::Function',
        '    Properties:',
        '      CodeUri: s3://artifacts-bucket/orders.zip',
        '      Handler: app.handler',
        '      Runtime: python3.12',
        '',
      ].join('\n'),
    );
    const r = await lint({ cwd: tmp, today: TODAY });
    expect(r.coverage?.notChecked).toContainEqual(
      expect.objectContaining({
        function: 'Orders',
        reason: 'code is in S3, not in the project: handler not checked',
      }),
    );
  });

  it('does not call an import missing when a listed distribution holds its words in order', async () => {
    const dir = path.join(tmp, 'agents');
    fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'template.yaml'),
      [
        "AWSTemplateFormatVersion: '2010-09-09'",
        'Transform: AWS::Serverless-2016-10-31',
        'Resources:',
        '  Agent:',
        '    Type: AWS::Serverless::Function',
        '    Properties:',
        '      CodeUri: src/',
        '      Handler: main.handler',
        '      Runtime: python3.13',
        '',
      ].join('\n'),
    );
    fs.writeFileSync(path.join(dir, 'src/requirements.txt'), 'strands-agents-tools>=0.2\n');
    fs.writeFileSync(
      path.join(dir, 'src/main.py'),
      'import strands_tools\nimport tools_strands\n\ndef handler(event, context):\n    return {}\n',
    );
    const r = await lint({ cwd: dir, today: TODAY });
    // strands_tools may come from strands-agents-tools; tools_strands (words out of order) is missing.
    expect(r.findings.filter((f) => f.ruleId === 'missing-dependency').map((f) => f.line)).toEqual([2]);
  });
});

describe('SDK operation → IAM action', () => {
  it('uses prefix + operation, the exceptions table, and SDK service names', () => {
    expect(actionsFor('s3', 'PutObject').actions).toEqual(['s3:PutObject']);
    expect(actionsFor('s3', 'ListObjectsV2').actions).toEqual(['s3:ListBucket']);
    expect(actionsFor('s3', 'HeadObject').actions).toEqual(['s3:GetObject']);
    expect(actionsFor('lambda', 'Invoke').actions).toEqual(['lambda:InvokeFunction']);
    expect(actionsFor('sts', 'GetCallerIdentity').actions).toEqual([]);
    expect(iamPrefix('sfn')).toBe('states');
    expect(iamPrefix('secrets-manager')).toBe('secretsmanager');
    expect(iamPrefix('stepfunctions')).toBe('states');
    expect(snakeToPascal('list_objects_v2')).toBe('ListObjectsV2');
  });

  it('names only actions that the IAM catalog holds in its exceptions', async () => {
    const src = fs.readFileSync(path.join(__dirname, '../src/code/sdk-map.ts'), 'utf8');
    const targets = [...src.matchAll(/actions: \[([^\]]*)\]/g)].flatMap((m) =>
      [...m[1].matchAll(/'([a-z0-9-]+:[A-Za-z0-9]+)'/g)].map((x) => x[1]),
    );
    expect(targets.length).toBeGreaterThan(20);
    await loadActionCatalog(targets);
    for (const a of targets) expect(isKnownAction(a), a).toBe(true);
  });
});

describe('lint() on handler code', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-code-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('does not crash on handler files that do not parse, and reports nothing it cannot judge', async () => {
    fs.mkdirSync(path.join(tmp, 'src'));
    fs.writeFileSync(
      path.join(tmp, 'template.yaml'),
      [
        "AWSTemplateFormatVersion: '2010-09-09'",
        'Transform: AWS::Serverless-2016-10-31',
        'Resources:',
        '  Broken:',
        '    Type: AWS::Serverless::Function',
        '    Properties:',
        '      CodeUri: src/',
        '      Handler: app.handler',
        '      Runtime: nodejs20.x',
        '  BrokenPy:',
        '    Type: AWS::Serverless::Function',
        '    Properties:',
        '      CodeUri: src/',
        '      Handler: main.handler',
        '      Runtime: python3.12',
        '',
      ].join('\n'),
    );
    fs.writeFileSync(path.join(tmp, 'src/app.js'), 'exports.other = (;\n\u0000');
    fs.writeFileSync(path.join(tmp, 'src/main.py'), 'def other(:\n  import requests\n');
    const r = await lint({ cwd: tmp, today: TODAY });
    expect(r.toolErrors).toEqual([]);
    expect(
      r.findings.filter((f) => ['handler-not-found', 'missing-dependency', 'sdk-permission'].includes(f.ruleId)),
    ).toEqual([]);
    expect(r.notes).toContain('template.yaml: Broken: src/app.js: the handler file has syntax errors');
    expect(r.notes).toContain('template.yaml: BrokenPy: src/main.py: the handler file has syntax errors');
  });
});
