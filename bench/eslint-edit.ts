// `npm run bench:eslint`: the ESLint plugin as an editor drives it. A SAM project with one function
// whose handler has 1,000 lines; after a warm-up, each iteration types a small edit into the buffer
// (not saved) and lints it the way the VS Code ESLint extension does on every change: a new ESLint
// instance (its `withClass` makes one per validation, in a server process that stays up, so the
// plugin's module, its worker and its caches stay warm) and `lintText(text, { filePath,
// warnIgnored })`, with the project's eslint.config.js importing the bundled plugin (prebuilt/, what
// users install).
//
// Each edit is also linted by ESLint with a config without the plugin (the same files): what ESLint
// costs on its own, which the plugin cannot make faster. The plugin's share is measured directly,
// not as a difference of two noisy timings: ESLint's own `stats` option times every rule's
// listeners, and the time in the plugin's processor (which starts the worker before ESLint parses)
// is added; that is all of its work on ESLint's thread, waiting for its worker included. Prints
// p50 / p95 / max; a benchmark, not a test.
// LAMBDALINT_PLUGIN=path/to/eslint-plugin.js compares another build (e.g. before a change).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

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

export const percentile = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.max(0, Math.ceil((p / 100) * xs.length) - 1))];

export interface EditBench {
  /** Wall time of each re-lint with the plugin (lintText, new ESLint instance), ms. */
  withPlugin: number[];
  /** The same edits linted by ESLint without the plugin, ms. */
  alone: number[];
  /** Time in the plugin's rules (ESLint's stats) and processor during each re-lint with the plugin, ms. */
  share: number[];
  /** Of which in the processor (starting the worker's lint before ESLint parses), ms. */
  processor: number[];
  /** ESLint's parse of the file during each re-lint with the plugin (ESLint's stats), ms. */
  parse: number[];
  /** CPU time (user + system, every thread of the process) per re-lint, with and without the plugin, ms. */
  cpu: number[];
  cpuAlone: number[];
  /** The first lint (worker start, parsers load), ms. */
  coldMs: number;
  /** lambdalint findings in the handler after the first lint and after the last edit. */
  findingsFirst: number;
  findingsLast: number;
  pluginFile: string;
}

interface Stats {
  times: { passes: { parse: { total: number }; rules?: Record<string, { total: number }> }[] };
}
interface LintResult {
  messages: { ruleId: string | null }[];
  stats?: Stats;
}
interface EslintLike {
  lintText(text: string, options: { filePath: string; warnIgnored?: boolean }): Promise<LintResult[]>;
}
type EslintClass = new (options: Record<string, unknown>) => EslintLike;

/** Runs the benchmark in a temp project: `iterations` edits after a warm-up of five. */
export async function benchEslintEdit(
  options: { iterations?: number; pluginFile?: string; lines?: number } = {},
): Promise<EditBench> {
  const iterations = options.iterations ?? 60;
  const pluginFile = path.resolve(options.pluginFile ?? path.join(ROOT, 'prebuilt/eslint-plugin.js'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-bench-eslint-'));
  try {
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'template.yaml'), TEMPLATE);
    fs.writeFileSync(
      path.join(dir, 'package.json'),
      '{ "name": "orders", "type": "module", "dependencies": { "@aws-sdk/client-dynamodb": "^3.0.0", "@aws-sdk/client-sqs": "^3.0.0" } }\n',
    );
    // The user's config with the plugin, and the same without it.
    const withConfig = path.join(dir, 'eslint.config.js');
    fs.writeFileSync(
      withConfig,
      `import lambdalint from ${JSON.stringify(pathToFileURL(pluginFile).href)};\nexport default [...lambdalint.configs.recommended];\n`,
    );
    const aloneConfig = path.join(dir, 'eslint.alone.config.js');
    fs.writeFileSync(aloneConfig, `export default [{ files: ['**/*.{js,mjs,cjs}'] }];\n`);
    const file = path.join(dir, 'src/app.mjs');
    const saved = handler(options.lines ?? 1000);
    fs.writeFileSync(file, saved);
    const lines = saved.split('\n');
    // ESLint from this repository's node_modules, as an editor's ESLint server loads the project's.
    const eslintModule = (await import('eslint')) as unknown as {
      ESLint: EslintClass;
      loadESLint?: (o: { useFlatConfig?: boolean; cwd?: string }) => Promise<EslintClass>;
    };
    const ESLint = eslintModule.loadESLint
      ? await eslintModule.loadESLint({ useFlatConfig: true, cwd: dir })
      : eslintModule.ESLint;
    // What vscode-eslint does per change: a new instance, then lintText.
    // The time in the plugin's processor, added to its share (the module instance the config imports).
    let preprocessMs = 0;
    const processor = (
      (await import(pathToFileURL(pluginFile).href)) as {
        default: { processors?: Record<string, { preprocess: (text: string, file: string) => unknown }> };
      }
    ).default.processors?.handler;
    if (processor) {
      const preprocess = processor.preprocess.bind(processor);
      processor.preprocess = (text, name) => {
        const t = performance.now();
        try {
          return preprocess(text, name);
        } finally {
          preprocessMs += performance.now() - t;
        }
      };
    }
    const lintWith = async (text: string, stats = false) =>
      (
        await new ESLint({ cwd: dir, overrideConfigFile: withConfig, stats }).lintText(text, {
          filePath: file,
          warnIgnored: true,
        })
      )[0];
    const lintAlone = async (text: string) =>
      (
        await new ESLint({ cwd: dir, overrideConfigFile: aloneConfig }).lintText(text, {
          filePath: file,
          warnIgnored: true,
        })
      )[0];
    const edit = (i: number) => {
      const copy = [...lines];
      const at = 10 + ((i * 37) % 900);
      copy[at] = `${copy[at]} // edit ${i}`;
      return copy.join('\n');
    };
    const lambdalintMessages = (r: LintResult) => r.messages.filter((m) => m.ruleId?.startsWith('lambdalint/')).length;
    const t0 = performance.now();
    const first = await lintWith(saved);
    const coldMs = performance.now() - t0;
    for (let i = 0; i < 5; i++) {
      await lintWith(edit(i));
      await lintAlone(edit(i));
    }
    const out: EditBench = {
      withPlugin: [],
      alone: [],
      share: [],
      processor: [],
      parse: [],
      cpu: [],
      cpuAlone: [],
      coldMs,
      findingsFirst: lambdalintMessages(first),
      findingsLast: 0,
      pluginFile,
    };
    // CPU time of the whole process (every thread: ESLint, the worker, GC): steadier than the wall
    // clock on a machine that others share.
    const cpuMs = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    const withPlugin = async (text: string) => {
      const c = cpuMs();
      preprocessMs = 0;
      const t = performance.now();
      const r = await lintWith(text, true);
      out.withPlugin.push(performance.now() - t);
      out.cpu.push(cpuMs() - c);
      const passes = r.stats?.times.passes ?? [];
      out.parse.push(passes.reduce((s, p) => s + p.parse.total, 0));
      out.processor.push(preprocessMs);
      out.share.push(
        preprocessMs +
          passes.reduce(
            (s, p) =>
              s +
              Object.entries(p.rules ?? {})
                .filter(([id]) => id.startsWith('lambdalint/'))
                .reduce((a, [, v]) => a + v.total, 0),
            0,
          ),
      );
      out.findingsLast = lambdalintMessages(r);
    };
    const alone = async (text: string) => {
      const c = cpuMs();
      const t = performance.now();
      await lintAlone(text);
      out.alone.push(performance.now() - t);
      out.cpuAlone.push(cpuMs() - c);
    };
    for (let i = 5; i < 5 + iterations; i++) {
      const text = edit(i);
      // Alternated, so that neither side always runs right after the other's garbage.
      if (i % 2) {
        await withPlugin(text);
        await alone(text);
      } else {
        await alone(text);
        await withPlugin(text);
      }
    }
    return out;
  } finally {
    if (process.env.KEEP) console.log(`  kept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const iterations = Number(process.env.ITERATIONS ?? 60);
  const load = () =>
    os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ');
  const loadBefore = load();
  const r = await benchEslintEdit({ iterations, pluginFile: process.env.LAMBDALINT_PLUGIN });
  const f = (x: number) => `${x.toFixed(1)} ms`;
  const line = (xs: number[]) =>
    `p50 ${f(percentile(xs, 50))}  p95 ${f(percentile(xs, 95))}  max ${f(Math.max(...xs))}`;
  console.log(
    `ESLint plugin, 1,000-line handler, re-lint after a small unsaved edit (${iterations} edits; per edit a new ESLint instance and lintText, as vscode-eslint does; ${path.relative(ROOT, r.pluginFile)})`,
  );
  console.log(
    `  first lint (worker start, parsers load): ${f(r.coldMs)}; lambdalint findings in the handler: ${r.findingsFirst} first, ${r.findingsLast} last`,
  );
  console.log(`  whole re-lint, with the plugin:  ${line(r.withPlugin)}`);
  console.log(`  the plugin's share (on ESLint's thread): ${line(r.share)}  (target p95 < 30 ms)`);
  console.log(`    of which in its processor:    ${line(r.processor)}`);
  console.log(`  ESLint alone (no plugin):        ${line(r.alone)}`);
  console.log(`  ESLint's parse, with the plugin: ${line(r.parse)}`);
  console.log(`  CPU per edit, with the plugin:   ${line(r.cpu)}`);
  console.log(`  CPU per edit, ESLint alone:      ${line(r.cpuAlone)}`);
  console.log(`  load average: ${loadBefore} before, ${load()} after, on ${os.cpus().length} CPUs`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
