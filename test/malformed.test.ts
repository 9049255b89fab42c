// Bad input never crashes and never hangs: every case is generated here in a temp folder, linted
// through lint(), and must yield a parse-error (or a note) for the bad file while the good template
// beside it is still linted. Durations are asserted loosely, only as a hang guard.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lint } from '../src/lint.js';
import { parseSource } from '../src/source/parse.js';
import type { LintResult } from '../src/engine/result.js';
import { TODAY } from './helpers.js';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-malformed-'));
afterAll(() => {
  // Give back permissions taken away by the unreadable-file case so the cleanup can remove it.
  for (const p of chmodded) fs.chmodSync(p, 0o755);
  fs.rmSync(tmpRoot, { recursive: true, force: true });
});
const chmodded: string[] = [];
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** A well-formed SAM template with one defect (timeout over 900 s), to prove the run goes on. */
const GOOD = [
  'AWSTemplateFormatVersion: "2010-09-09"',
  'Transform: AWS::Serverless-2016-10-31',
  'Resources:',
  '  Good:',
  '    Type: AWS::Serverless::Function',
  '    Properties:',
  '      Handler: app.handler',
  '      Runtime: nodejs22.x',
  '      InlineCode: "exports.handler = async () => 1;"',
  '      Timeout: 1200',
  '',
].join('\n');

let counter = 0;
/** A new project folder holding good/template.yaml plus the given files. */
function project(files: Record<string, string | Buffer>): string {
  const dir = path.join(tmpRoot, `p${counter++}`);
  fs.mkdirSync(path.join(dir, 'good'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'good', 'template.yaml'), GOOD);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

async function run(dir: string, paths?: string[]): Promise<{ result: LintResult; ms: number }> {
  const t0 = performance.now();
  const result = await lint({ cwd: dir, paths, today: TODAY });
  return { result, ms: performance.now() - t0 };
}

function parseErrors(r: LintResult): { file: string; line: number; column: number; message: string }[] {
  return r.findings
    .filter((f) => f.ruleId === 'parse-error')
    .map((f) => ({ file: f.file, line: f.line, column: f.column, message: f.message }));
}

/** The good template's finding is there: the run went on past the bad file. */
function expectGoodLinted(r: LintResult): void {
  const t = r.findings.filter((f) => f.ruleId === 'timeout-limit');
  expect(t.map((f) => `${f.file}:${f.line}:${f.column}`)).toEqual(['good/template.yaml:10:7']);
  expect(r.toolErrors).toEqual([]);
}

const HANG_GUARD_MS = 10_000;

describe('truncated files', () => {
  it('reports a YAML template cut inside a quoted string', async () => {
    const cut = GOOD.replace('Handler: app.handler', 'Handler: "app.hand').split('\n').slice(0, 7).join('\n');
    const { result, ms } = await run(project({ 'bad/template.yaml': cut }));
    expect(parseErrors(result)).toEqual([
      { file: 'bad/template.yaml', line: 7, column: 25, message: 'invalid YAML: Missing closing "quote' },
    ]);
    expectGoodLinted(result);
    expect(ms).toBeLessThan(HANG_GUARD_MS);
  });

  it('reports a JSON template cut in the middle of an object', async () => {
    const json =
      '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Timeout": 12';
    const { result } = await run(project({ 'bad/template.json': json }));
    expect(parseErrors(result)).toEqual([
      { file: 'bad/template.json', line: 1, column: 126, message: 'invalid JSON: close brace expected' },
    ]);
    expectGoodLinted(result);
  });
});

describe('truncated Terraform', () => {
  it('reports a .tf file cut inside a block, and one holding binary bytes', async () => {
    const cut = [
      'resource "aws_lambda_function" "f" {',
      '  function_name = "x"',
      '  timeout = 1200',
      '  vpc_config {',
      '    subnet_ids = ["a",',
      '',
    ].join('\n');
    const { result, ms } = await run(
      project({ 'tf/main.tf': cut, 'tf/noise.tf': Buffer.from([0, 1, 2, 0x72, 0x65, 0x73]) }),
    );
    const errors = parseErrors(result);
    expect(errors.map((e) => `${e.file}:${e.line}:${e.column}`)).toEqual(['tf/main.tf:1:1', 'tf/noise.tf:1:1']);
    expect(errors.every((e) => e.message.startsWith('syntax error: '))).toBe(true);
    expect(result.findings.filter((f) => f.ruleId === 'timeout-limit').map((f) => f.file)).toEqual([
      'good/template.yaml',
    ]);
    expectGoodLinted(result);
    expect(ms).toBeLessThan(HANG_GUARD_MS);
  });
});

describe('files that are not text', () => {
  it('reports a binary file that carries a template name and a template signature', async () => {
    const bin = Buffer.concat([
      Buffer.from('AWSTemplateFormatVersion: "2010-09-09"\n'),
      Buffer.from([0, 1, 2, 255, 254, 0, 7]),
    ]);
    const { result } = await run(project({ 'bad/template.yaml': bin }));
    expect(parseErrors(result)).toEqual([
      { file: 'bad/template.yaml', line: 1, column: 1, message: 'binary file, not a template' },
    ]);
    expectGoodLinted(result);
  });

  it('ignores binary noise under a template name that does not look like a template', async () => {
    const noise = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    const { result } = await run(project({ 'bad/template.yaml': noise, 'bad/template.json': noise }));
    expect(parseErrors(result)).toEqual([]);
    expectGoodLinted(result);
  });

  it('reports invalid UTF-8 in a template named on the command line', async () => {
    const dir = project({
      'bad/template.yaml': Buffer.concat([Buffer.from('Resources:\n  X: ['), Buffer.from([0xc3, 0x28, 0xa0, 0xa1])]),
    });
    const { result } = await run(dir, ['bad/template.yaml', 'good']);
    expect(parseErrors(result).map((e) => e.file)).toEqual(['bad/template.yaml']);
    expect(parseErrors(result)[0].message).toMatch(/^invalid YAML: /);
    expectGoodLinted(result);
  });
});

describe('resource exhaustion', () => {
  it('survives a billion-laughs alias bomb in a function property', async () => {
    const lines = [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Metadata:',
      '  a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
    ];
    for (let i = 1; i < 10; i++)
      lines.push(`  a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]`);
    lines.push(
      'Resources:',
      '  Bomb:',
      '    Type: AWS::Lambda::Function',
      '    Properties:',
      '      Handler: index.handler',
      '      Runtime: nodejs22.x',
      '      Role: arn:aws:iam::123456789012:role/outside',
      '      Code: { ZipFile: "exports.handler = async () => 1;" }',
      '      Tags: *a9',
      '      Environment: { Variables: *a9 }',
      '      Layers: *a9',
      '      Timeout: 30',
    );
    const { result, ms } = await run(project({ 'bad/template.yaml': lines.join('\n') + '\n' }));
    expectGoodLinted(result);
    expect(ms).toBeLessThan(HANG_GUARD_MS);
    expect(process.memoryUsage().rss).toBeLessThan(1.5 * 1024 ** 3);
  });

  it('lints a 10 MB template in bounded time', async () => {
    const parts = ['AWSTemplateFormatVersion: "2010-09-09"', 'Resources:'];
    let size = 0;
    for (let i = 0; size < 10 * 1024 * 1024; i++) {
      const block = [
        `  Queue${i}:`,
        '    Type: AWS::SQS::Queue',
        '    Properties:',
        `      QueueName: queue-${i}-${'x'.repeat(40)}`,
        '      VisibilityTimeout: 60',
        '      Tags:',
        `        - { Key: team, Value: "payments-${i}" }`,
      ].join('\n');
      parts.push(block);
      size += block.length + 1;
    }
    parts.push(
      '  Late:',
      '    Type: AWS::Lambda::Function',
      '    Properties:',
      '      Handler: index.handler',
      '      Runtime: nodejs22.x',
    );
    parts.push(
      '      Role: arn:aws:iam::123456789012:role/outside',
      '      Code: { ZipFile: "x" }',
      '      Timeout: 901',
    );
    const text = parts.join('\n') + '\n';
    expect(text.length).toBeGreaterThan(10 * 1024 * 1024);
    const { result, ms } = await run(project({ 'big/template.yaml': text }));
    expect(parseErrors(result)).toEqual([]);
    const t = result.findings.filter((f) => f.ruleId === 'timeout-limit').map((f) => `${f.file}:${f.line}`);
    expect(t).toEqual([
      `big/template.yaml:${text.split('\n').indexOf('      Timeout: 901') + 1}`,
      'good/template.yaml:10',
    ]);
    expect(ms).toBeLessThan(30_000);
  }, 60_000);

  it('reports a file over the size lambdalint reads instead of parsing it', async () => {
    const dir = project({
      'big/template.yaml': 'AWSTemplateFormatVersion: "2010-09-09"\n#' + 'x'.repeat(2 * 1024 * 1024) + '\n',
    });
    const result = await lint({ cwd: dir, today: TODAY, maxFileBytes: 1024 * 1024 });
    expect(parseErrors(result)).toEqual([
      {
        file: 'big/template.yaml',
        line: 1,
        column: 1,
        message: 'file is 2.0 MB, over the 1 MB lambdalint reads; CloudFormation accepts at most 1 MB',
      },
    ]);
    expectGoodLinted(result);
  });

  it('reports 1,000-deep nesting in YAML flow, YAML block and JSON', async () => {
    const flow =
      'AWSTemplateFormatVersion: "2010-09-09"\nMetadata:\n  Deep: ' +
      '['.repeat(1000) +
      ']'.repeat(1000) +
      '\nResources: {}\n';
    let block = 'AWSTemplateFormatVersion: "2010-09-09"\nMetadata:\n';
    for (let i = 0; i < 1000; i++) block += ' '.repeat(2 + i) + `k${i}:\n`;
    const json =
      '{"AWSTemplateFormatVersion": "2010-09-09", "Metadata": ' +
      '{"a": '.repeat(1000) +
      '1' +
      '}'.repeat(1000) +
      ', "Resources": {}}';
    const { result, ms } = await run(
      project({ 'flow/template.yaml': flow, 'block/template.yaml': block, 'json/template.json': json }),
    );
    expect(parseErrors(result).map((e) => `${e.file}: ${e.message}`)).toEqual([
      'block/template.yaml: nesting deeper than 500 levels',
      'flow/template.yaml: nesting deeper than 500 levels',
      'json/template.json: nesting deeper than 500 levels',
    ]);
    expectGoodLinted(result);
    expect(ms).toBeLessThan(HANG_GUARD_MS);
  });
});

describe('deeply nested handler code', () => {
  // Each shape overflows oxc-parser's native stack (a crash no try/catch sees) a few thousand levels
  // deep on an 8 MB stack; 20,000 is well past every one of them.
  const N = 20_000;
  const SHAPES: Record<string, string> = {
    'parens.js': 'export const handler = () => ' + '('.repeat(N) + '1' + ')'.repeat(N) + ';\n',
    'templates.js': 'export const handler = () => ' + '`${'.repeat(N) + '1' + '}`'.repeat(N) + ';\n',
    'ternaries.js': 'export const handler = () => ' + 'a ?\n b :\n '.repeat(N) + 'c;\n',
    'arrows.js': 'export const handler = ' + '() =>\n'.repeat(N) + '1;\n',
    'ifs.js': 'export function handler() {\n' + 'if (a)\n'.repeat(N) + ';\n}\n',
    'labels.js': 'export function handler() {\n' + 'a:\n'.repeat(N) + ';\n}\n',
    'generics.ts': 'export const handler = (): ' + 'Array<'.repeat(N) + 'number' + '>'.repeat(N) + ' => [];\n',
    'concat.js': 'export const handler = () => ' + Array(200_000).fill('"x"').join(' +\n') + ';\n',
  };

  it('skips each pathological shape with a note instead of crashing, and lints the rest', async () => {
    const functions = Object.keys(SHAPES).map((file, i) => {
      const base = file.replace(/\.[jt]s$/, '');
      const fn = [
        `  Fn${i}:`,
        '    Type: AWS::Serverless::Function',
        `    Properties: { CodeUri: src, Handler: ${base}.handler, Runtime: nodejs22.x }`,
      ];
      // TypeScript is read where a build step lambdalint follows compiles it: SAM's esbuild.
      if (file.endsWith('.ts'))
        fn.push(`    Metadata: { BuildMethod: esbuild, BuildProperties: { EntryPoints: [${file}] } }`);
      return fn.join('\n');
    });
    const files: Record<string, string> = {
      'deep/template.yaml': ['Transform: AWS::Serverless-2016-10-31', 'Resources:', ...functions, ''].join('\n'),
    };
    for (const [file, text] of Object.entries(SHAPES)) files[`deep/src/${file}`] = text;
    const { result, ms } = await run(project(files));
    expect(result.findings.filter((f) => f.file.startsWith('deep/'))).toEqual([]);
    const skipped = result.notes.filter((n) => n.includes('nests more than 1000 levels deep'));
    expect(skipped.map((n) => /src\/([\w.]+):/.exec(n)?.[1]).sort()).toEqual(Object.keys(SHAPES).sort());
    expectGoodLinted(result);
    expect(ms).toBeLessThan(HANG_GUARD_MS);
  });
});

describe('odd but valid text', () => {
  it('reports a duplicate key at the second one and lints the file with the last value, as CloudFormation deploys it', async () => {
    // The second Timeout (1200) is the one CloudFormation uses: timeout-limit still fires on it.
    const dup = GOOD.replace('      Timeout: 1200', '      Timeout: 30\n      Timeout: 1200').replace(
      '  Good:',
      '  Dup:',
    );
    const { result } = await run(project({ 'dup/template.yaml': dup }));
    const found = result.findings.filter((f) => f.ruleId === 'parse-error');
    expect(
      found.map((f) => ({
        file: f.file,
        line: f.line,
        column: f.column,
        endColumn: f.endColumn,
        message: f.message,
        related: f.related,
      })),
    ).toEqual([
      {
        file: 'dup/template.yaml',
        line: 11,
        column: 7,
        endColumn: 14,
        message:
          'Timeout is written twice in Resources.Dup.Properties: CloudFormation uses this last value and ignores the first.',
        related: [
          {
            file: 'dup/template.yaml',
            line: 10,
            column: 7,
            endLine: 10,
            endColumn: 14,
            message: 'Timeout first written here',
          },
        ],
      },
    ]);
    expect(
      result.findings
        .filter((f) => f.ruleId === 'timeout-limit')
        .map((f) => `${f.file}:${f.line}:${f.column} ${f.function}`),
    ).toEqual(['dup/template.yaml:11:7 Dup', 'good/template.yaml:10:7 Good']);
  });

  it('reports a duplicate key in a JSON template, in a sequence item, at the second key', async () => {
    const json =
      '{"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Handler": "a.b", "Runtime": "nodejs22.x",\n "Code": {"ZipFile": "x"}, "Layers": [{"Ref": "A"}], "Tags": [{"Key": "k", "Value": "1", "Key": "j"}]}}}}';
    const { result } = await run(project({ 'dup/template.json': json }));
    expect(parseErrors(result)).toEqual([
      {
        file: 'dup/template.json',
        line: 2,
        column: 90,
        message:
          'Key is written twice in Resources.Fn.Properties.Tags[0]: CloudFormation uses this last value and ignores the first.',
      },
    ]);
    expectGoodLinted(result);
  });

  it('reports a duplicate key in serverless.yml, which the Serverless Framework refuses', async () => {
    const yml = [
      'service: dup',
      'provider:',
      '  name: aws',
      '  runtime: nodejs22.x',
      'functions:',
      '  api:',
      '    handler: h.main',
      '    timeout: 10',
      '    timeout: 20',
      '',
    ].join('\n');
    const { result } = await run(project({ 'svc/serverless.yml': yml }));
    expect(parseErrors(result)).toEqual([
      {
        file: 'svc/serverless.yml',
        line: 9,
        column: 5,
        message:
          'timeout is written twice in functions.api: the Serverless Framework refuses to read the file (duplicated mapping key); lambdalint reads this last value.',
      },
    ]);
    expectGoodLinted(result);
  });

  it('finds no duplicate in YAML merge keys, in the same key under sibling mappings, or in short-form tags', async () => {
    const yml = [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Resources:',
      '  A:',
      '    Type: AWS::SNS::Topic',
      '    Properties: &common',
      '      TopicName: a',
      '  B:',
      '    Type: AWS::SNS::Topic',
      '    Properties:',
      '      <<: *common',
      '      TopicName: b',
      '  C:',
      '    Type: AWS::SNS::Topic',
      '    Properties:',
      '      TopicName: !Ref AWS::StackName',
      '      DisplayName: !Ref AWS::StackName',
      '',
    ].join('\n');
    const { result } = await run(project({ 'nodup/template.yaml': yml }));
    expect(parseErrors(result)).toEqual([]);
    expectGoodLinted(result);
  });

  it('gives exact lines and columns in a template with a BOM and CRLF line ends', async () => {
    const crlf = '\ufeff' + GOOD.replace('  Good:', '  Crlf:').split('\n').join('\r\n');
    const { result } = await run(project({ 'crlf/template.yaml': crlf }));
    const t = result.findings
      .filter((f) => f.ruleId === 'timeout-limit')
      .map((f) => `${f.file}:${f.line}:${f.column}-${f.endLine}:${f.endColumn}`);
    expect(t).toEqual(['crlf/template.yaml:10:7-10:20', 'good/template.yaml:10:7-10:20']);
  });
});

describe('the file system', () => {
  it('walks a symlink loop once and finishes', async () => {
    const dir = project({});
    fs.symlinkSync('..', path.join(dir, 'good', 'loop'));
    fs.symlinkSync(path.join(dir, 'good'), path.join(dir, 'same-again'));
    const { result, ms } = await run(dir);
    expectGoodLinted(result);
    expect(result.stats.templates).toBe(1);
    expect(ms).toBeLessThan(HANG_GUARD_MS);
  });

  it.skipIf(isRoot)(
    'notes an unreadable template and folder and goes on (skipped when running as root: root reads everything)',
    async () => {
      const dir = project({ 'locked/template.yaml': GOOD, 'closed/template.yaml': GOOD });
      fs.chmodSync(path.join(dir, 'locked', 'template.yaml'), 0o000);
      fs.chmodSync(path.join(dir, 'closed'), 0o000);
      chmodded.push(path.join(dir, 'locked', 'template.yaml'), path.join(dir, 'closed'));
      const { result } = await run(dir);
      expect(result.notes).toEqual([
        'closed: cannot be read (EACCES)',
        'locked/template.yaml: cannot be read (EACCES)',
      ]);
      expectGoodLinted(result);
    },
  );
});

describe('paths escaping the project', () => {
  it('does not measure a CodeUri outside the project', async () => {
    const dir = project({});
    const outside = path.join(tmpRoot, `secret-${counter}`);
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'private-key.pem'), 'x'.repeat(300 * 1024));
    fs.truncateSync(path.join(outside, 'private-key.pem'), 300 * 1024 * 1024);
    const rel = path.relative(path.join(dir, 'esc'), outside);
    const tpl = GOOD.replace('  Good:', '  Esc:')
      .replace('      InlineCode: "exports.handler = async () => 1;"', `      CodeUri: ${rel}`)
      .replace('Timeout: 1200', 'Timeout: 30');
    fs.mkdirSync(path.join(dir, 'esc'));
    fs.writeFileSync(path.join(dir, 'esc', 'template.yaml'), tpl);
    const second = await run(dir);
    const text = JSON.stringify(second.result);
    expect(text).not.toContain('private-key');
    expect(second.result.findings.filter((f) => f.ruleId === 'package-size')).toEqual([]);
    expect(second.result.notes).toContain(
      `esc/template.yaml: Esc: the code folder ${rel} is outside the project; its size is not measured`,
    );
    expectGoodLinted(second.result);
  });

  it('does not report on handler code that CodeUri or Handler places outside the project', async () => {
    const dir = project({});
    const outside = path.join(tmpRoot, `elsewhere-${counter}`);
    fs.mkdirSync(outside);
    const secret =
      "export const handler = async () => s3.send(new DeleteBucketCommand({ Bucket: 'very-secret-bucket' }));";
    fs.writeFileSync(
      path.join(outside, 'index.mjs'),
      `import { S3Client, DeleteBucketCommand } from '@aws-sdk/client-s3';\nconst s3 = new S3Client({});\n${secret}\n`,
    );
    const rel = path.relative(path.join(dir, 'esc'), outside);
    const tpl = [
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  ByCodeUri:',
      '    Type: AWS::Serverless::Function',
      `    Properties: { CodeUri: ${rel}, Handler: index.handler, Runtime: nodejs22.x }`,
      '  ByHandler:',
      '    Type: AWS::Serverless::Function',
      `    Properties: { CodeUri: ., Handler: ${rel}/index.handler, Runtime: nodejs22.x }`,
      '',
    ].join('\n');
    fs.mkdirSync(path.join(dir, 'esc'));
    fs.writeFileSync(path.join(dir, 'esc', 'template.yaml'), tpl);
    const { result } = await run(dir);
    expect(JSON.stringify(result.findings)).not.toContain('very-secret-bucket');
    expect(result.findings.filter((f) => !f.file.startsWith('esc/') && !f.file.startsWith('good/'))).toEqual([]);
    expect(result.notes).toContain(
      `${path.relative(dir, path.join(outside, 'index.mjs'))}: outside the project; findings in it are not reported`,
    );
    expectGoodLinted(result);
  });

  it('does not read a CDK stack template the manifest places outside the assembly', async () => {
    const outside = path.join(tmpRoot, `stolen-${counter}.template.json`);
    fs.writeFileSync(
      outside,
      '{"Resources": {"Stolen": {"Type": "AWS::Lambda::Function", "Properties": {"Timeout": 5000}}}}',
    );
    const manifest = {
      version: '48.0.0',
      artifacts: {
        Evil: {
          type: 'aws:cloudformation:stack',
          properties: { templateFile: path.relative(path.join(tmpRoot, 'x', 'cdk.out'), outside) },
        },
      },
    };
    const dir = project({
      'cdk.out/manifest.json': JSON.stringify(manifest),
      'cdk.out/cdk.out': '{"version": "48.0.0"}',
    });
    const { result } = await run(dir);
    expect(JSON.stringify(result.findings)).not.toContain('Stolen');
    expect(parseErrors(result)).toEqual([
      {
        file: 'cdk.out/manifest.json',
        line: 1,
        column: 1,
        message: `the stack Evil points at ${manifest.artifacts.Evil.properties.templateFile}, outside the cloud assembly; not read`,
      },
    ]);
    expectGoodLinted(result);
  });
});

describe('lenient YAML accepted by CloudFormation', () => {
  const lenient = [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Resources:',
    '  Role:',
    '    Type: AWS::IAM::Role',
    '    Properties:',
    '      Policies:',
    '        - PolicyDocument:',
    '            Statement:',
    '              - Effect: Allow',
    '                Action: "lambda:InvokeFunction"',
    '                Resource: [',
    '                !GetAtt "Fn.Arn",',
    '                "arn:aws:lambda:*:*:function:x # not a comment, ]"',
    '                ]',
    '  Fn:',
    '    Type: AWS::Lambda::Function',
    '    Properties:',
    '      Schema: {"type": "object",',
    '      "title": "Stats"',
    '      }',
    '      Description: |',
    '        text with [ an open bracket',
    '      Timeout: 1000',
    '',
  ].join('\n');

  it('parses flow collections indented less than their key, with exact positions', () => {
    const r = parseSource('t.yaml', lenient);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const res = r.root.entries!.find((e) => e.key === 'Resources')!.value;
    const fn = res.entries!.find((e) => e.key === 'Fn')!.value;
    const props = fn.entries!.find((e) => e.key === 'Properties')!.value;
    const timeout = props.entries!.find((e) => e.key === 'Timeout')!;
    expect(r.file.position(timeout.keyStart)).toEqual({ line: 23, column: 7 });
    expect(r.file.position(timeout.value.start)).toEqual({ line: 23, column: 16 });
    const schema = props.entries!.find((e) => e.key === 'Schema')!.value;
    const title = schema.entries!.find((e) => e.key === 'title')!;
    expect(r.file.position(title.keyStart)).toEqual({ line: 19, column: 7 });
    expect(title.value.value).toBe('Stats');
    const stmt =
      res.entries![0].value.entries![1].value.entries![0].value.items![0].entries![0].value.entries![0].value.items![0];
    const resource = stmt.entries!.find((e) => e.key === 'Resource')!.value;
    expect(
      resource.items!.map((i) =>
        i.kind === 'scalar' ? i.value : Object.keys(Object.fromEntries(i.entries!.map((e) => [e.key, 1])))[0],
      ),
    ).toEqual(['Fn::GetAtt', 'arn:aws:lambda:*:*:function:x # not a comment, ]']);
    // A tagged node starts at its value, as in a strictly valid file.
    expect(r.file.position(resource.items![0].start)).toEqual({ line: 12, column: 25 });
    expect(props.entries!.find((e) => e.key === 'Description')!.value.value).toBe('text with [ an open bracket\n');
  });

  it('lints such a template instead of reporting a parse error', async () => {
    const { result } = await run(project({ 'lenient/template.yaml': lenient }));
    expect(parseErrors(result)).toEqual([]);
    expect(
      result.findings.filter((f) => f.ruleId === 'timeout-limit').map((f) => `${f.file}:${f.line}:${f.column}`),
    ).toEqual(['good/template.yaml:10:7', 'lenient/template.yaml:23:7']);
  });

  it('parses a quoted scalar whose closing line is indented like its key', () => {
    const text = [
      'Resources:',
      '  P:',
      '    Type: AWS::IAM::Policy',
      '    Properties:',
      "      PolicyDocument: !Sub '{",
      '        "Version": "2012-10-17"',
      "      }'",
      '      Roles: [r]',
      '',
    ].join('\n');
    const r = parseSource('t.yaml', text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const props = r.root.entries![0].value.entries![0].value.entries![1].value;
    expect(props.entries!.map((e) => [e.key, r.file.position(e.keyStart).line])).toEqual([
      ['PolicyDocument', 5],
      ['Roles', 8],
    ]);
    expect(props.entries![0].value.entries![0]).toMatchObject({
      key: 'Fn::Sub',
      value: { value: '{ "Version": "2012-10-17" }' },
    });
  });

  it('still reports YAML that no reader accepts', () => {
    const r = parseSource('t.yaml', 'Resources:\n  A: [\n  b: c\n');
    expect(r.ok).toBe(false);
  });
});
