// `npm run bench:eslint`: the ESLint plugin as an editor drives it. A SAM project with one function
// whose handler has 1,000 lines; after a warm-up, each iteration types a small edit into the buffer
// (not saved) and lints it with ESLint's lintText and the bundled plugin (prebuilt/, what users
// install). Each edit is also linted by ESLint with the same config and every lambdalint rule off:
// ESLint's own parse and traversal of the file, which the plugin cannot make faster; the
// difference is the plugin's share. Prints p50 / p95 / max; a benchmark, not a test.
// LAMBDALINT_PLUGIN=path/to/eslint-plugin.js compares another build (e.g. before a change).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ITERATIONS = Number(process.env.ITERATIONS ?? 60);

function handler(lines: number): string {
  const out = [
    "import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';",
    "import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';",
    'const db = new DynamoDBClient({});',
    'const sqs = new SQSClient({});',
    '',
  ];
  let n = 0;
  while (out.length < lines - 12) {
    n++;
    out.push(
      `export function step${n}(input) {`,
      `  const value = input.items.map((x) => x * ${n}).filter((x) => x % 3 !== 0);`,
      `  if (value.length > ${n % 7}) return { ok: true, total: value.reduce((a, b) => a + b, 0) };`,
      `  return { ok: false, reason: 'too few items in step ${n}' };`,
      '}',
      '',
    );
  }
  out.push(
    'export const handler = async (event) => {',
    '  const item = await db.send(new GetItemCommand({ TableName: process.env.TABLE, Key: { id: { S: event.id } } }));',
    '  await db.send(new PutItemCommand({ TableName: process.env.TABLE, Item: { id: { S: event.id } } }));',
    '  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: JSON.stringify(item) }));',
    '  return step1(event);',
    '};',
  );
  return `${out.join('\n')}\n`;
}

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
      KeySchema: [{ AttributeName: id, KeyType: HASH }]
  Jobs:
    Type: AWS::SQS::Queue
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: nodejs22.x
      Environment:
        Variables:
          TABLE: !Ref Table
          QUEUE_URL: !Ref Jobs
      Policies:
        - DynamoDBReadPolicy:
            TableName: !Ref Table
`;

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-bench-eslint-'));
  try {
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'template.yaml'), TEMPLATE);
    fs.writeFileSync(
      path.join(dir, 'package.json'),
      '{ "name": "orders", "type": "module", "dependencies": { "@aws-sdk/client-dynamodb": "^3.0.0", "@aws-sdk/client-sqs": "^3.0.0" } }\n',
    );
    const file = path.join(dir, 'src/app.mjs');
    const saved = handler(1000);
    fs.writeFileSync(file, saved);
    const lines = saved.split('\n');
    const pluginFile = path.resolve(process.env.LAMBDALINT_PLUGIN ?? path.join(ROOT, 'prebuilt/eslint-plugin.js'));
    const plugin = (
      (await import(pathToFileURL(pluginFile).href)) as {
        default: { configs: { recommended: { rules?: Record<string, string> }[] } };
      }
    ).default;
    const { ESLint } = await import('eslint');
    const eslint = new ESLint({
      cwd: dir,
      overrideConfigFile: true,
      overrideConfig: plugin.configs.recommended as never,
    });
    // The same files and language, every lambdalint rule off: what ESLint costs without the plugin.
    const off = plugin.configs.recommended.map((c) => ({
      ...c,
      rules: Object.fromEntries(Object.keys(c.rules ?? {}).map((r) => [r, 'off'])),
    }));
    const bare = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: off as never });
    const edit = (i: number) => {
      const copy = [...lines];
      const at = 10 + ((i * 37) % 900);
      copy[at] = `${copy[at]} // edit ${i}`;
      return copy.join('\n');
    };
    const t0 = performance.now();
    const first = await eslint.lintText(saved, { filePath: file });
    const cold = performance.now() - t0;
    for (let i = 0; i < 5; i++) await eslint.lintText(edit(i), { filePath: file });
    for (let i = 0; i < 5; i++) await bare.lintText(edit(i), { filePath: file });
    const times: number[] = [];
    const alone: number[] = [];
    const share: number[] = [];
    // CPU time of the whole process (every thread: ESLint, the worker, GC): steadier than the wall
    // clock on a machine that others share.
    const cpu: number[] = [];
    const cpuAlone: number[] = [];
    const cpuMs = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    let findings = 0;
    for (let i = 5; i < 5 + ITERATIONS; i++) {
      const text = edit(i);
      let c = cpuMs();
      let t = performance.now();
      const [r] = await eslint.lintText(text, { filePath: file });
      times.push(performance.now() - t);
      cpu.push(cpuMs() - c);
      findings = r.messages.filter((m) => m.ruleId?.startsWith('lambdalint/')).length;
      c = cpuMs();
      t = performance.now();
      await bare.lintText(text, { filePath: file });
      alone.push(performance.now() - t);
      cpuAlone.push(cpuMs() - c);
      share.push(times[times.length - 1] - alone[alone.length - 1]);
    }
    const f = (x: number) => `${x.toFixed(1)} ms`;
    const line = (xs: number[]) => `p50 ${f(pct(xs, 50))}  p95 ${f(pct(xs, 95))}  max ${f(Math.max(...xs))}`;
    console.log(
      `ESLint plugin, 1,000-line handler, re-lint after a small unsaved edit (${ITERATIONS} edits, lintText, ${path.relative(ROOT, pluginFile)})`,
    );
    console.log(
      `  first lint (worker start, parsers load): ${f(cold)}; findings in the handler: ${first[0].messages.length} first, ${findings} last`,
    );
    console.log(`  with the plugin:              ${line(times)}  (target p95 < 30 ms)`);
    console.log(`  ESLint alone (rules off):     ${line(alone)}`);
    console.log(`  the plugin's share (per edit): ${line(share)}`);
    console.log(`  CPU, with the plugin:         ${line(cpu)}`);
    console.log(`  CPU, ESLint alone:            ${line(cpuAlone)}`);
    console.log(
      `  load average: ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')} on ${os.cpus().length} CPUs`,
    );
  } finally {
    if (process.env.KEEP) console.log(`  kept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
