// The ESLint plugin: parity with the CLI on every positive fixture (same rule, line, column, end,
// message) on real ESLint 10, 9 (flat config) and 8 (eslintrc, through .eslintrc.cjs), ESLint's
// own directives in YAML, and the real eslint CLI on a small project.
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import tsParser from '@typescript-eslint/parser';
import plugin, {
  CODE_FILES,
  IAC_FILES,
  findingsForFile,
  lintRuns as runs,
  processorLints,
  projectRoot,
  workerParses,
} from '../src/eslint/index.js';
import { lint } from '../src/lint.js';
import { listCases, ROOT, TODAY } from './helpers.js';

const TODAY_ISO = TODAY.toISOString().slice(0, 10);
/** What ESLint can open: YAML/JSON templates and JS/TS handlers (no .tf, no .py, no package.json scripts). */
// Terraform (`.tf`, and its JSON syntax `.tf.json`) is the CLI's alone, as `.tf` files are.
const ESLINT_FILE = /(?<!(^|\/)package)(?<!\.tf)\.(ya?ml|json|[cm]?[jt]sx?)$/;

type Row = string; // rule:line:column:endLine:endColumn:message
type Lint = (cwd: string, files: string[]) => Promise<{ rows: Row[]; fatal: string[] }>;

const settings = { lambdalint: { today: TODAY_ISO } };

function rowsOf(
  results: {
    filePath: string;
    messages: {
      ruleId: string | null;
      line: number;
      column: number;
      endLine?: number;
      endColumn?: number;
      message: string;
      fatal?: boolean;
    }[];
  }[],
  cwd: string,
) {
  const rows: Row[] = [];
  const fatal: string[] = [];
  for (const r of results) {
    for (const m of r.messages) {
      if (!m.ruleId?.startsWith('lambdalint/')) fatal.push(`${path.relative(cwd, r.filePath)}: ${m.message}`);
      else
        rows.push(
          `${path.relative(cwd, r.filePath)}:${m.ruleId.slice('lambdalint/'.length)}:${m.line}:${m.column}:${m.endLine}:${m.endColumn}:${m.message}`,
        );
    }
  }
  return { rows: rows.sort(), fatal };
}

async function flat(pkg: 'eslint' | 'eslint9'): Promise<Lint> {
  const { ESLint } = (await import(pkg)) as typeof import('eslint');
  return async (cwd, files) => {
    const eslint = new ESLint({
      cwd,
      overrideConfigFile: true,
      overrideConfig: [
        ...(plugin.configs.recommended as object[]),
        { files: ['**/*.{ts,mts,cts,tsx}'], languageOptions: { parser: tsParser } },
        { settings },
      ] as never,
    });
    return rowsOf(await eslint.lintFiles(files), cwd);
  };
}

async function legacy(): Promise<Lint> {
  // @ts-expect-error eslint 8 under an npm alias ships no types
  const { ESLint } = (await import('eslint8')) as {
    ESLint: new (o: object) => { lintFiles(f: string[]): Promise<never> };
  };
  return async (cwd, files) => {
    const eslint = new ESLint({
      cwd,
      useEslintrc: false,
      overrideConfigFile: path.join(ROOT, '.eslintrc.cjs'),
      overrideConfig: { settings },
      plugins: { lambdalint: plugin },
    });
    return rowsOf(await eslint.lintFiles(files), cwd);
  };
}

/** Every positive case with findings ESLint can show, and the CLI's rows for them. */
async function expectations() {
  const out: { name: string; dir: string; files: string[]; rows: Row[]; fatal: string[] }[] = [];
  for (const c of listCases().filter((x) => x.kind === 'positive')) {
    const result = await lint({ cwd: c.dir, today: TODAY });
    const shown = result.findings.filter((f) => f.ruleId !== 'parse-error' && ESLINT_FILE.test(f.file));
    if (shown.length === 0) continue;
    // A YAML file with a duplicate key: the CLI lints it (with the last value) beside its parse-error,
    // while ESLint's YAML parser refuses it, so the editor shows that parsing error instead.
    const duplicates = new Set(
      result.findings
        .filter((f) => f.ruleId === 'parse-error' && / is written twice in /.test(f.message) && /\.ya?ml$/.test(f.file))
        .map((f) => f.file),
    );
    out.push({
      name: `${c.rule}/${c.name}`,
      dir: c.dir,
      files: [...new Set(shown.map((f) => f.file))].sort(),
      rows: shown
        .filter((f) => !duplicates.has(f.file))
        .map((f) => `${f.file}:${f.ruleId}:${f.line}:${f.column}:${f.endLine}:${f.endColumn}:${f.message}`)
        .sort(),
      fatal: [...duplicates].sort().map((f) => `${f}: Parsing error: Map keys must be unique`),
    });
  }
  return out;
}

const cases = await expectations();

describe.each([
  ['ESLint 10, flat config', () => flat('eslint')],
  ['ESLint 9, flat config', () => flat('eslint9')],
  ['ESLint 8, eslintrc (.eslintrc.cjs)', legacy],
])('parity with the CLI: %s', (_name, make) => {
  it('covers template and handler findings', () => {
    expect(cases.length).toBeGreaterThan(40);
    expect(cases.some((c) => c.files.some((f) => /\.[cm]?[jt]s$/.test(f)))).toBe(true);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_n, c) => {
    const run = await make();
    const { rows, fatal } = await run(c.dir, c.files);
    expect(fatal).toEqual(c.fatal);
    expect(rows).toEqual(c.rows);
  });
});

describe('plugin shape', () => {
  it('has meta, a flat recommended config over the IaC language, and a legacy config', () => {
    expect(plugin.meta).toEqual({
      name: 'lambdalint',
      version: JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version,
      namespace: 'lambdalint',
    });
    const [iac, code] = plugin.configs.recommended as {
      name: string;
      files: string[];
      language?: string;
      processor?: string;
      rules: Record<string, string>;
    }[];
    expect([iac.name, iac.language, iac.files]).toEqual(['lambdalint/recommended/iac', 'lambdalint/iac', IAC_FILES]);
    expect([code.name, code.language, code.files]).toEqual(['lambdalint/recommended/handlers', undefined, CODE_FILES]);
    // The handler processor passes the text through unchanged (it only starts the worker early).
    expect(code.processor).toBe('lambdalint/handler');
    expect(plugin.processors.handler.preprocess('\uFEFFconst a = 1;\n', path.join(tmp, 'none.js'))).toEqual([
      '\uFEFFconst a = 1;\n',
    ]);
    expect(plugin.processors.handler.postprocess([[{ ruleId: 'x' }]])).toEqual([{ ruleId: 'x' }]);
    expect(iac.rules['lambdalint/timeout-limit']).toBe('error');
    expect(Object.keys(plugin.rules)).toContain('timeout-limit');
    expect(plugin.configs['legacy-recommended']).toMatchObject({ plugins: ['lambdalint'] });
  });

  it('is the package export lambdalint/eslint-plugin', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.exports['./eslint-plugin']).toBe('./prebuilt/eslint-plugin.js');
  });
});

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-eslint-')));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs22.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      # eslint-disable-next-line lambdalint/timeout-limit -- nightly batch, moving to Fargate
      Timeout: 1200
      MemorySize: 64
      Code:
        S3Bucket: b
        S3Key: k.zip
`;

describe('ESLint directives', () => {
  it('suppresses in YAML with the reason, and leaves other findings', async () => {
    const dir = path.join(tmp, 'directives');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'template.yaml'), TEMPLATE);
    const { ESLint } = await import('eslint');
    const eslint = new ESLint({
      cwd: dir,
      overrideConfigFile: true,
      overrideConfig: [...(plugin.configs.recommended as object[]), { settings }] as never,
    });
    const [r] = await eslint.lintFiles(['template.yaml']);
    expect(r.messages.map((m) => [m.ruleId, m.line, m.column])).toEqual([['lambdalint/memory-limit', 11, 7]]);
    expect(r.suppressedMessages.map((m) => [m.ruleId, m.line, m.suppressions])).toEqual([
      ['lambdalint/timeout-limit', 10, [{ kind: 'directive', justification: 'nightly batch, moving to Fargate' }]],
    ]);
  });
});

describe('ESLint directives in handler code', () => {
  it('suppress a code finding with eslint-disable-next-line', async () => {
    const src = listCases().find(
      (c) => c.rule === 'sdk-permission' && c.kind === 'positive' && fs.existsSync(path.join(c.dir, 'notify/index.js')),
    );
    expect(src).toBeDefined();
    const dir = path.join(tmp, 'code-directives');
    fs.cpSync(src!.dir, dir, { recursive: true });
    const { ESLint } = await import('eslint');
    const eslint = new ESLint({
      cwd: dir,
      overrideConfigFile: true,
      overrideConfig: [...(plugin.configs.recommended as object[]), { settings }] as never,
    });
    const [before] = await eslint.lintFiles(['notify/index.js']);
    const hit = before.messages.find((m) => m.ruleId === 'lambdalint/sdk-permission')!;
    expect(hit).toBeDefined();
    const file = path.join(dir, 'notify/index.js');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines.splice(
      hit.line - 1,
      0,
      '// eslint-disable-next-line lambdalint/sdk-permission -- the topic policy allows it',
    );
    fs.writeFileSync(file, lines.join('\n'));
    const [after] = await eslint.lintFiles(['notify/index.js']);
    expect(after.messages.filter((m) => m.ruleId === 'lambdalint/sdk-permission')).toEqual([]);
    expect(after.suppressedMessages.map((m) => [m.ruleId, m.line, m.suppressions])).toEqual([
      ['lambdalint/sdk-permission', hit.line + 1, [{ kind: 'directive', justification: 'the topic policy allows it' }]],
    ]);
  });
});

describe('the eslint CLI end to end', () => {
  it('reports findings in a template and in a handler file', () => {
    // A SAM project whose handlers (JS and TS) call AWS APIs their roles do not allow...
    const sdkCase = listCases().find(
      (c) =>
        c.rule === 'sdk-permission' &&
        c.kind === 'positive' &&
        fs.existsSync(path.join(c.dir, 'template.yaml')) &&
        /"file": "[^"]+\.(ts|js)"/.test(fs.readFileSync(path.join(c.dir, 'expected.json'), 'utf8')),
    );
    expect(sdkCase).toBeDefined();
    const dir = path.join(tmp, 'e2e');
    fs.cpSync(sdkCase!.dir, dir, { recursive: true });
    fs.rmSync(path.join(dir, 'expected.json'));
    // ...and, in its template, a timeout Lambda refuses.
    const tpl = path.join(dir, 'template.yaml');
    fs.writeFileSync(tpl, fs.readFileSync(tpl, 'utf8').replace(/^( +)Runtime: /m, '$1Timeout: 1200\n$1Runtime: '));
    fs.writeFileSync(
      path.join(dir, 'eslint.config.mjs'),
      `import tsParser from ${JSON.stringify(path.join(ROOT, 'node_modules/@typescript-eslint/parser/dist/index.js'))};
import lambdalint from ${JSON.stringify(path.join(ROOT, 'src/eslint/index.ts'))};
export default [
  ...lambdalint.configs.recommended,
  { files: ['**/*.ts'], languageOptions: { parser: tsParser } },
  { settings: { lambdalint: { today: '${TODAY_ISO}' } } },
];
`,
    );
    const eslintBin = path.join(ROOT, 'node_modules/eslint/bin/eslint.js');
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href,
        eslintBin,
        '--format',
        'json',
        '.',
      ],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') } },
    );
    expect(r.stderr).toBe('');
    expect(r.status, r.stdout).toBe(1);
    const results = JSON.parse(r.stdout) as { filePath: string; messages: { ruleId: string }[] }[];
    const withFindings = results
      .filter((x) => x.messages.some((m) => m.ruleId?.startsWith('lambdalint/')))
      .map((x) => path.relative(dir, x.filePath));
    const template = results.find((x) => x.filePath === tpl)!;
    expect(template.messages.map((m) => m.ruleId)).toContain('lambdalint/timeout-limit');
    expect(withFindings.some((f) => /\.[cm]?[jt]s$/.test(f))).toBe(true);
  }, 120_000);
});

describe('the project cache', () => {
  it("finds a handler's project upward and revalidates on mtime and size", () => {
    const dir = path.join(tmp, 'cache');
    fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
    fs.mkdirSync(path.join(dir, '.git'));
    fs.writeFileSync(path.join(dir, 'template.yaml'), TEMPLATE.replace(/ *# eslint-disable.*\n/, ''));
    fs.writeFileSync(path.join(dir, 'src/index.mjs'), 'export const handler = async () => {};\n');
    expect(projectRoot(path.join(dir, 'src/index.mjs'))).toBe(dir);
    expect(projectRoot(path.join(tmp, 'nowhere.js'))).toBeUndefined();
    const tpl = path.join(dir, 'template.yaml');
    const opts = { cwd: dir, today: TODAY_ISO };
    expect(findingsForFile(tpl, opts).map((f) => [f.ruleId, f.line])).toEqual([
      ['timeout-limit', 9],
      ['memory-limit', 10],
    ]);
    fs.writeFileSync(
      tpl,
      fs
        .readFileSync(tpl, 'utf8')
        .replace('Timeout: 1200', 'Timeout: 30')
        .replace('MemorySize: 64', 'MemorySize: 99999'),
    );
    expect(findingsForFile(tpl, opts).map((f) => [f.ruleId, f.line])).toEqual([['memory-limit', 10]]);
    expect(findingsForFile(path.join(dir, 'src/index.mjs'), opts)).toEqual([]);
  });
});

describe('the buffer being edited (lintText)', () => {
  const SDK_CASE = path.join(ROOT, 'fixtures/sdk-permission/positive/sam-js-and-python');
  async function eslintIn(dir: string) {
    const { ESLint } = await import('eslint');
    return new ESLint({
      cwd: dir,
      overrideConfigFile: true,
      overrideConfig: [...(plugin.configs.recommended as object[]), { settings }] as never,
    });
  }
  const rows = (r: { messages: { ruleId: string | null; line: number; column: number; message: string }[] }) =>
    r.messages.map((m) => `${m.ruleId}:${m.line}:${m.column}:${m.message}`);

  it('lints an unsaved handler against the templates on disk, at the lines of the buffer', async () => {
    const dir = path.join(tmp, 'buffer-handler');
    fs.cpSync(SDK_CASE, dir, { recursive: true });
    const file = path.join(dir, 'notify/index.js');
    const saved = fs.readFileSync(file, 'utf8');
    const eslint = await eslintIn(dir);
    const before = runs();
    const early = processorLints();
    const [onDisk] = await eslint.lintText(saved, { filePath: file });
    expect(rows(onDisk)).toEqual([
      'lambdalint/sdk-permission:6:9:sns.publish needs sns:Publish, which role NotifyRole of Notify does not allow on !Ref Alerts.',
    ]);
    // Two lines typed above the call, not saved: the finding follows the buffer.
    const [typed] = await eslint.lintText(`// TODO\n// more\n${saved}`, { filePath: file });
    expect(rows(typed)).toEqual([
      'lambdalint/sdk-permission:8:9:sns.publish needs sns:Publish, which role NotifyRole of Notify does not allow on !Ref Alerts.',
    ]);
    // The call deleted in the buffer: nothing to report, though the saved file still has it.
    const [deleted] = await eslint.lintText(saved.replace(/ *await sns\.publish.*\n/, ''), { filePath: file });
    expect(rows(deleted)).toEqual([]);
    expect(fs.readFileSync(file, 'utf8')).toBe(saved);
    // One lint() per file and lint pass, whatever the number of rules (three passes, three texts).
    expect(runs() - before).toBe(3);
    // The file linted before: the second and third passes were started by the processor, before
    // ESLint parsed the text, and their lint was the one the rules used.
    expect(processorLints() - early).toBe(2);
  });

  it('lints an unsaved template against the handlers on disk', async () => {
    const dir = path.join(tmp, 'buffer-template');
    fs.cpSync(SDK_CASE, dir, { recursive: true });
    const file = path.join(dir, 'template.yaml');
    const saved = fs.readFileSync(file, 'utf8');
    const eslint = await eslintIn(dir);
    const edited = saved.replace('      Handler: main.handler\n', '      Handler: main.handler\n      Timeout: 1200\n');
    expect(edited).not.toBe(saved);
    const line = edited.split('\n').indexOf('      Timeout: 1200') + 1;
    const [r] = await eslint.lintText(edited, { filePath: file });
    expect(rows(r).filter((x) => x.startsWith('lambdalint/timeout-limit'))).toEqual([
      `lambdalint/timeout-limit:${line}:7:Timeout is 1200 s; Lambda stops every function at 900 s.`,
    ]);
    // The handler on disk is linted with the template on disk: its finding is unchanged.
    const [h] = await eslint.lintText(fs.readFileSync(path.join(dir, 'notify/index.js'), 'utf8'), {
      filePath: path.join(dir, 'notify/index.js'),
    });
    expect(rows(h)).toEqual([
      'lambdalint/sdk-permission:6:9:sns.publish needs sns:Publish, which role NotifyRole of Notify does not allow on !Ref Alerts.',
    ]);
  });

  it('re-analyses only the edited file, and reports after every edit what the CLI reports for the saved text', async () => {
    const template = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
      KeySchema: [{ AttributeName: id, KeyType: HASH }]
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: nodejs22.x
      Environment:
        Variables:
          TABLE: !Ref Table
      Policies:
        - DynamoDBReadPolicy:
            TableName: !Ref Table
`;
    const app = `import { DynamoDBClient, GetItemCommand, DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { save } from './lib.mjs';

const db = new DynamoDBClient({});

export const handler = async (event) => {
  const item = await db.send(new GetItemCommand({ TableName: process.env.TABLE, Key: { id: { S: event.id } } }));
  await save(item);
  return item;
};
`;
    const lib = `import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';

const db = new DynamoDBClient({});

export async function save(item) {
  await db.send(new PutItemCommand({ TableName: process.env.TABLE, Item: item.Item }));
}
`;
    const files = {
      'template.yaml': template,
      'src/app.mjs': app,
      'src/lib.mjs': lib,
      'package.json': '{ "name": "orders", "type": "module" }\n',
    };
    const write = (dir: string, over: Record<string, string> = {}) => {
      for (const [rel, text] of Object.entries({ ...files, ...over })) {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), text);
      }
    };
    const dir = path.join(tmp, 'incremental');
    write(dir);
    // The CLI's findings in one file, with the edited text saved (in a copy of the project).
    let copies = 0;
    const cli = async (rel: string, text: string) => {
      const copy = path.join(tmp, `incremental-cli-${++copies}`);
      write(copy, { [rel]: text });
      const r = await lint({ cwd: copy, today: TODAY });
      return r.findings
        .filter((f) => f.file === rel)
        .map((f) => `lambdalint/${f.ruleId}:${f.line}:${f.column}:${f.message}`);
    };
    const eslint = await eslintIn(dir);
    const edit = async (rel: string, text: string) => {
      const before = workerParses();
      const [r] = await eslint.lintText(text, { filePath: path.join(dir, rel) });
      return { rows: rows(r), parsed: workerParses() - before };
    };
    const put =
      'lambdalint/sdk-permission:6:9:PutItemCommand needs dynamodb:PutItem, which role OrdersRole of Orders does not allow on !GetAtt Table.Arn.';
    // The saved project: both handler files parsed once by the worker.
    expect(await edit('src/lib.mjs', lib)).toEqual({ rows: [put], parsed: 2 });
    expect(await cli('src/lib.mjs', lib)).toEqual([put]);
    // A call typed into app.mjs: the finding appears there. The worker parses the buffer (with the
    // CLI's parser) and nothing else: lib.mjs's facts come from its cache.
    const typed = app.replace(
      '  await save(item);\n',
      '  await save(item);\n  await db.send(new DeleteItemCommand({ TableName: process.env.TABLE, Key: { id: { S: event.id } } }));\n',
    );
    const del =
      'lambdalint/sdk-permission:9:9:DeleteItemCommand needs dynamodb:DeleteItem, which role OrdersRole of Orders does not allow on !GetAtt Table.Arn.';
    expect(await edit('src/app.mjs', typed)).toEqual({ rows: [del], parsed: 1 });
    expect(await cli('src/app.mjs', typed)).toEqual([del]);
    // Lines added above it: the finding moves with them.
    const moved = `// one\n// two\n${typed}`;
    expect(await edit('src/app.mjs', moved)).toEqual({ rows: [del.replace(':9:9:', ':11:9:')], parsed: 1 });
    expect(await cli('src/app.mjs', moved)).toEqual([del.replace(':9:9:', ':11:9:')]);
    // The call removed again (the saved text): it disappears, and the saved project's lint is reused.
    expect(await edit('src/app.mjs', app)).toEqual({ rows: [], parsed: 0 });
    expect(await cli('src/app.mjs', app)).toEqual([]);
    // An edit in lib.mjs, with app.mjs unchanged: its finding follows the buffer.
    const libEdited = lib.replace('export async function save', '// saved as is\nexport async function save');
    expect(await edit('src/lib.mjs', libEdited)).toEqual({ rows: [put.replace(':6:9:', ':7:9:')], parsed: 1 });
    expect(await cli('src/lib.mjs', libEdited)).toEqual([put.replace(':6:9:', ':7:9:')]);
    // findingsForFile alone (no ESLint): the worker parses the edited text, and only it.
    const again = `// again\n${libEdited}`;
    const before = workerParses();
    expect(
      findingsForFile(path.join(dir, 'src/lib.mjs'), { cwd: dir, today: TODAY_ISO, text: again }).map(
        (f) => `${f.ruleId}:${f.line}:${f.column}`,
      ),
    ).toEqual(['sdk-permission:8:9']);
    expect(workerParses() - before).toBe(1);
  });

  it('reports an eslint-disable without a reason, as the CLI does, while ESLint applies it', async () => {
    const dir = path.join(tmp, 'buffer-directive');
    fs.mkdirSync(dir, { recursive: true });
    const text = TEMPLATE.replace(' -- nightly batch, moving to Fargate', '');
    fs.writeFileSync(path.join(dir, 'template.yaml'), TEMPLATE);
    const eslint = await eslintIn(dir);
    const [r] = await eslint.lintText(text, { filePath: path.join(dir, 'template.yaml') });
    expect(rows(r)).toEqual([
      'lambdalint/suppression:9:7:Suppression of timeout-limit gives no reason after " -- ", so it suppresses nothing.',
      'lambdalint/memory-limit:11:7:' + r.messages.find((m) => m.ruleId === 'lambdalint/memory-limit')!.message,
    ]);
    expect(r.errorCount + r.warningCount).toBe(2);
    expect(r.suppressedMessages.map((m) => [m.ruleId, m.line])).toEqual([['lambdalint/timeout-limit', 10]]);
  });
});

describe("the project's lambdalint config", () => {
  it('turns rules off and sets their ESLint level (the eslint CLI with the bundled plugin)', () => {
    const dir = path.join(tmp, 'config');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'template.yaml'), TEMPLATE.replace(/ *# eslint-disable.*\n/, ''));
    fs.writeFileSync(
      path.join(dir, 'lambdalint.config.json'),
      '{ "rules": { "timeout-limit": "off", "memory-limit": "warning" } }\n',
    );
    fs.writeFileSync(
      path.join(dir, 'eslint.config.mjs'),
      `import lambdalint from ${JSON.stringify(path.join(ROOT, 'prebuilt/eslint-plugin.js'))};\nexport default [...lambdalint.configs.recommended];\n`,
    );
    const r = spawnSync(
      process.execPath,
      [path.join(ROOT, 'node_modules/eslint/bin/eslint.js'), '--format', 'json', 'template.yaml'],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    const [res] = JSON.parse(r.stdout) as { messages: { ruleId: string; severity: number; line: number }[] }[];
    expect(res.messages.map((m) => [m.ruleId, m.severity, m.line])).toEqual([['lambdalint/memory-limit', 1, 10]]);
    expect(r.status).toBe(0);
  }, 60_000);
});
