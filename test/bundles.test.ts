// Bundled handlers (issue #16 item 3, #14 item 4), shared code (#16 item 6) and the CLI from any
// folder (#17): the entry a bundler starts from, the sources of a cdk.out asset, path aliases and
// workspace packages, --changed through a shared file, and results that do not depend on the cwd.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../src/cli/main.js';
import { lint, loadProject } from '../src/lint.js';
import { analyseHandlers } from '../src/code/analyse.js';
import { decodeMappings, namesItsSources, readBundle } from '../src/code/bundle.js';
import { projectPathsFor } from '../src/discover/projects.js';
import { FIXTURES, ROOT, TODAY } from './helpers.js';

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-bundles-')));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let n = 0;
function project(files: Record<string, string>): string {
  const dir = path.join(tmp, `p${++n}`);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

async function run(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), cwd, isTTY: false, env: {} };
  const code = await main([...args, '--today', '2026-11-26'], io);
  return { code, stdout, stderr };
}

const SAM_TS = (metadata: string) => `Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: .
      Handler: src/app.handler
      Runtime: nodejs22.x
${metadata}`;
const APP_TS = `import { nanoid } from 'nanoid';\nexport const handler = async () => nanoid();\n`;

describe('the same findings from any working directory', () => {
  const cases = [
    'missing-dependency/negative/sam-esbuild-aliases',
    'missing-dependency/negative/serverless-v4-zero-config',
    'missing-dependency/negative/sam-esbuild-monorepo-workspace',
    'missing-dependency/positive/serverless-v4-zero-config-undeclared',
    'sdk-permission/positive/serverless-esbuild-shared-libs',
    'sdk-permission/positive/cdk-nodejs-function-sourcemap',
    'sdk-permission/positive/cdk-bundle-only-bundled-deps',
  ];
  const shape = async (cwd: string, dir: string) =>
    (await lint({ cwd, paths: cwd === dir ? undefined : [dir], today: TODAY })).findings.map(
      (f) => `${f.ruleId} ${path.relative(dir, f.absoluteFile)}:${f.line}:${f.column} ${f.message}`,
    );
  for (const c of cases) {
    it(c, async () => {
      const dir = path.join(FIXTURES, c);
      const inside = await shape(dir, dir);
      expect(await shape(ROOT, dir)).toEqual(inside);
      expect(await shape(tmp, dir)).toEqual(inside);
      expect(inside.some((f) => f.startsWith('missing-dependency'))).toBe(
        c.includes('positive/serverless-v4-zero-config-undeclared'),
      );
    });
  }
});

describe('the same JSON from the repository root, the project, a sibling folder and a subfolder of code', () => {
  // The CLI's JSON, with every file made relative to the project (paths are relative to the cwd).
  const normalized = async (args: string[], cwd: string, dir: string) => {
    const r = await run(['-f', 'json', ...args], cwd);
    const rel = (f: string) => path.relative(dir, path.resolve(cwd, f));
    const out = JSON.parse(r.stdout) as {
      findings: { file: string; related?: { file: string }[]; fix?: { file: string } }[];
      coverage?: { notChecked: { file: string }[] };
    };
    for (const f of out.findings) {
      f.file = rel(f.file);
      for (const x of f.related ?? []) x.file = rel(x.file);
      if (f.fix) f.fix.file = rel(f.fix.file);
    }
    for (const e of out.coverage?.notChecked ?? []) e.file = rel(e.file);
    return { code: r.code, stderr: r.stderr, ...out };
  };
  const cases: [string, string][] = [
    ['sdk-permission/positive/serverless-esbuild-shared-libs', 'services/orders/src/handlers'],
    ['missing-dependency/positive/serverless-v4-zero-config-undeclared', 'src'],
    ['sdk-permission/positive/cdk-nodejs-function-sourcemap', 'lambda/orders'],
  ];
  for (const [c, sub] of cases) {
    it(c, async () => {
      const dir = path.join(FIXTURES, c);
      const inside = await normalized([], dir, dir);
      expect(inside.findings.length).toBeGreaterThan(0);
      expect(inside.code).toBe(1);
      expect(await normalized([path.relative(ROOT, dir)], ROOT, dir)).toEqual(inside);
      expect(await normalized([dir], tmp, dir)).toEqual(inside);
      // From a folder of handler code, with no template in it: the project above is linted.
      expect(await normalized([], path.join(dir, sub), dir)).toEqual(inside);
    });
  }
});

describe('the project root from a subfolder', () => {
  const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: nodejs22.x
      Timeout: 1200
`;
  const APP = `import { nanoid } from 'nanoid';\nexport const handler = async () => nanoid();\n`;
  const TIMEOUT = 'timeout-limit ../template.yaml:10:7 Timeout is 1200 s; Lambda stops every function at 900 s.';
  const NANOID = (file: string) =>
    `missing-dependency ${file}:1:24 Orders imports nanoid, which neither its package, its layers nor the nodejs22.x runtime provides.`;
  const repo = () => {
    const dir = project({
      'template.yaml': TEMPLATE,
      'src/app.mjs': APP,
      'src/util.mjs': 'export const x = 1;\n',
      'package.json': '{ "name": "orders", "type": "module" }\n',
    });
    const git = (...a: string[]) =>
      execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...a], { cwd: dir, stdio: 'pipe' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'init');
    return { dir, git };
  };
  const found = async (args: string[], cwd: string) => {
    const r = await run(['-f', 'json', ...args], cwd);
    const out = JSON.parse(r.stdout) as {
      findings: { ruleId: string; file: string; line: number; column: number; message: string }[];
    };
    return {
      code: r.code,
      findings: out.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}:${f.column} ${f.message}`),
    };
  };

  it('a handler file given as a path lints the project that owns it and reports on that file', async () => {
    const { dir } = repo();
    const src = path.join(dir, 'src');
    expect(await found(['src/app.mjs'], dir)).toEqual({ code: 1, findings: [NANOID('src/app.mjs')] });
    expect(await found(['app.mjs'], src)).toEqual({ code: 1, findings: [NANOID('app.mjs')] });
    // A folder of code reports what is inside it; another handler file of the project has nothing.
    expect(await found(['src'], dir)).toEqual({ code: 1, findings: [NANOID('src/app.mjs')] });
    expect(await found(['util.mjs'], src)).toEqual({ code: 0, findings: [] });
    // No path: the whole project, whatever subfolder lambdalint runs from.
    expect(await found([], src)).toEqual({ code: 1, findings: [TIMEOUT, NANOID('app.mjs')] });
  });

  it('--changed and --staged from a subfolder lint the project the changes belong to', async () => {
    const { dir, git } = repo();
    const src = path.join(dir, 'src');
    expect(await found(['--changed'], src)).toEqual({ code: 0, findings: [] });
    fs.appendFileSync(path.join(src, 'util.mjs'), '// edited\n');
    expect(await found(['--changed'], src)).toEqual({ code: 1, findings: [TIMEOUT, NANOID('app.mjs')] });
    expect(await found(['--staged'], src)).toEqual({ code: 0, findings: [] });
    git('add', 'src/util.mjs');
    expect(await found(['--staged'], src)).toEqual({ code: 1, findings: [TIMEOUT, NANOID('app.mjs')] });
  });

  it('a handler file with no project above it up to the git root is a usage error', async () => {
    const dir = project({ 'tools/script.mjs': 'export const x = 1;\n' });
    execFileSync('git', ['init', '-q'], { cwd: dir });
    const r = await run(['tools/script.mjs'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "lambdalint: tools/script.mjs is handler code, and no folder above it (up to the repository's top) holds a template, serverless file or .tf file\n",
    );
  });
});

describe('TypeScript handlers without build metadata', () => {
  it('get a note in the default output that says what to add', async () => {
    const dir = project({ 'template.yaml': SAM_TS(''), 'src/app.ts': APP_TS, 'package.json': '{}' });
    const r = await run(['.'], dir);
    expect(r.code).toBe(0);
    // The summary line groups reasons by kind; the JSON and --verbose carry the whole reason.
    expect(r.stdout).toContain(
      '1 function checked; some checks skipped for 1: TypeScript handler src/app.ts without build metadata (1)',
    );
    const json = JSON.parse((await run(['-f', 'json', '.'], dir)).stdout);
    expect(json.findings).toEqual([]);
    expect(json.coverage.notChecked).toEqual([
      {
        function: 'Api',
        file: 'template.yaml',
        rules: expect.arrayContaining(['handler-not-found', 'missing-dependency', 'sdk-permission']),
        reason: 'TypeScript handler src/app.ts without build metadata (add Metadata.BuildMethod: esbuild)',
      },
    ]);
  });

  it('are analysed once Metadata names esbuild', async () => {
    const dir = project({
      'template.yaml': SAM_TS('    Metadata:\n      BuildMethod: esbuild\n'),
      'src/app.ts': APP_TS,
      'package.json': '{}',
    });
    const r = await run(['-f', 'json', '.'], dir);
    expect(JSON.parse(r.stdout).coverage.notChecked).toEqual([]);
    const f = JSON.parse(r.stdout).findings as { ruleId: string; file: string; line: number; message: string }[];
    expect(f.map((x) => [x.ruleId, x.file, x.line, x.message])).toEqual([
      [
        'missing-dependency',
        'src/app.ts',
        1,
        'Api imports nanoid, which neither its package, its layers nor the nodejs22.x runtime provides.',
      ],
    ]);
  });

  it('Serverless: v3 without a build plugin gets the note; v4 builds TypeScript, not JavaScript; build.esbuild: false turns it off', async () => {
    const sls = (version: string, extra = '') =>
      `service: s\nframeworkVersion: '${version}'\n${extra}provider:\n  name: aws\n  runtime: nodejs22.x\nfunctions:\n  ts:\n    handler: src/app.handler\n  js:\n    handler: src/plain.handler\n`;
    const files = {
      'src/app.ts': APP_TS,
      'src/plain.js': `const { ulid } = require('ulid');\nexports.handler = async () => ulid();\n`,
      'package.json': '{ "devDependencies": { "nanoid": "^5.0.0" } }',
    };
    const built = async (dir: string) => {
      const project = loadProject({ cwd: dir });
      await analyseHandlers(project.model, { cwd: dir, note: () => {} });
      return project.model.functions.map(
        (f) => `${f.id}: ${f.handlerCode?.status} ${f.handlerCode?.bundled ? 'bundled' : 'as is'}`,
      );
    };
    const v3 = project({ 'serverless.yml': sls('3'), ...files });
    const reasons = async (dir: string) =>
      (await lint({ cwd: dir, today: TODAY })).coverage?.notChecked.map((e) => `${e.file}: ${e.function}: ${e.reason}`);
    expect(await reasons(v3)).toEqual([
      'serverless.yml: ts: TypeScript handler src/app.ts without build metadata (add the serverless-esbuild plugin, or deploy with Framework v4 and no build.esbuild: false)',
    ]);
    expect(await built(v3)).toEqual(['ts: unchecked as is', 'js: found as is']);
    const v4 = project({ 'serverless.yml': sls('4'), ...files });
    const r4 = await lint({ cwd: v4, today: TODAY });
    expect(r4.coverage?.notChecked).toEqual([]);
    expect(r4.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`)).toEqual(['missing-dependency src/plain.js:1']);
    expect(await built(v4)).toEqual(['ts: found bundled', 'js: found as is']);
    const off = project({ 'serverless.yml': sls('4', 'build:\n  esbuild: false\n'), ...files });
    expect(await reasons(off)).toEqual([
      'serverless.yml: ts: TypeScript handler src/app.ts without build metadata (add the serverless-esbuild plugin, or deploy with Framework v4 and no build.esbuild: false)',
    ]);
    const all = project({ 'serverless.yml': sls('4', 'build:\n  esbuild:\n    minify: true\n'), ...files });
    expect(await built(all)).toEqual(['ts: found bundled', 'js: found bundled']);
    const plugin = project({ 'serverless.yml': sls('3', 'plugins:\n  - serverless-plugin-typescript\n'), ...files });
    expect(await built(plugin)).toEqual(['ts: found as is', 'js: found as is']);
  });
});

describe('handlers compiled into a git-ignored folder', () => {
  it('are a build output not built yet, not a missing file', async () => {
    const sls =
      'service: s\nprovider:\n  name: aws\n  runtime: nodejs22.x\nfunctions:\n  job:\n    handler: dist/index.handler\n';
    const files = {
      'serverless.yml': sls,
      'src/index.ts': 'export const handler = async () => 1;\n',
      'eslint.config.mjs': 'export default [];\n',
      'package.json': '{ "scripts": { "build": "tsc" } }',
    };
    const ignored = await lint({
      cwd: project({ ...files, '.gitignore': 'node_modules/\ndist/**/*\n' }),
      today: TODAY,
    });
    expect(ignored.findings.filter((f) => f.ruleId === 'handler-not-found')).toEqual([]);
    expect(ignored.coverage?.notChecked.map((e) => e.reason)).toEqual([
      'handler file dist/index.js is ignored by git (a build output not built yet): not checked',
    ]);
    const tracked = await lint({ cwd: project(files), today: TODAY });
    expect(tracked.findings.filter((f) => f.ruleId === 'handler-not-found').map((f) => f.message)).toEqual([
      'Handler dist/index.handler of job names dist/index.{js,ts}, which is not in its code folder.',
    ]);
  });
});

describe('code folders ignored by git', () => {
  it('leave the functions of a folder not built yet unchecked, whichever is read first', async () => {
    const fn = (name: string, uri: string) =>
      `  ${name}:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: ${uri}\n      Handler: index.handler\n      Runtime: nodejs22.x\n`;
    const cwd = project({
      'template.yaml': `Transform: AWS::Serverless-2016-10-31\nResources:\n${fn('A', 'build/a/')}${fn('B', 'src/')}${fn('C', 'build/a/')}${fn('D', 'src/build/')}`,
      // Anchored to the root: src/build is not ignored, and its missing handler is reported.
      '.gitignore': '/build/\n',
      'src/.gitignore': '*.log\n',
      'src/index.js': 'exports.handler = async () => 1;\n',
      'build/a/other.js': 'exports.other = 1;\n',
      'src/build/other.js': 'exports.other = 1;\n',
    });
    const r = await lint({ cwd, today: TODAY });
    expect(r.coverage?.notChecked.map((e) => `${e.function}: ${e.reason}`)).toEqual([
      'A: code folder build/a is ignored by git (a build output): handler index.handler not checked',
      'C: code folder build/a is ignored by git (a build output): handler index.handler not checked',
    ]);
    expect(r.findings.map((f) => `${f.ruleId} ${f.function}`)).toEqual(['handler-not-found D']);
  });
});

describe('bundles', () => {
  it('decodes source map mappings (ECMA-426 base64 VLQ)', () => {
    // Line 1: column 0 → source 0; column 4 → source 1 (relative +1). Line 2: column 2 → source 1.
    expect(decodeMappings('AAAA,ICAA;EAAA')).toEqual([
      { cols: [0, 4], srcs: [0, 1] },
      { cols: [2], srcs: [1] },
    ]);
  });

  it('tells whether a file names its sources itself (else only a .map beside it can), as readBundle reads them', () => {
    expect(namesItsSources('import a from "./a";\n// not a region comment\nexport const x = 1;\n')).toBe(false);
    expect(namesItsSources('const x = 1; // lambda/a.ts\n')).toBe(false);
    expect(namesItsSources('//lambda/a.ts\n')).toBe(false);
    expect(namesItsSources('// lambda/a.ts\nvar a = 1;\n')).toBe(true);
    expect(namesItsSources('"use strict";\r\n// node_modules/@aws-sdk/x/index.js\r\nvar b;\r\n')).toBe(true);
    expect(namesItsSources('var a = 1;\n//# sourceMappingURL=index.js.map\n')).toBe(true);
    const dir = path.join(FIXTURES, 'sdk-permission/positive/cdk-bundle-only-bundled-deps/cdk.out');
    const asset = fs.readdirSync(dir).find((d) => d.startsWith('asset.'))!;
    expect(namesItsSources(fs.readFileSync(path.join(dir, asset, 'index.js'), 'utf8'))).toBe(true);
  });

  it('tells bundled node_modules code apart, by source map or by region comments', () => {
    const dir = path.join(FIXTURES, 'sdk-permission/positive/cdk-bundle-only-bundled-deps/cdk.out');
    const asset = fs.readdirSync(dir).find((d) => d.startsWith('asset.'))!;
    const file = path.join(dir, asset, 'index.js');
    const text = fs.readFileSync(file, 'utf8');
    const info = readBundle(file, text, [tmp], () => true);
    expect(info.via).toBe('comments');
    expect(info.sources).toEqual([]);
    expect(info.named).toEqual(['lambda/worker.ts']);
    const lineOf = (s: string) => text.split('\n').findIndex((l) => l.includes(s)) + 1;
    expect(info.inDependency(lineOf('AssumeRoleCommand({'), 5)).toBe(true);
    expect(info.inDependency(lineOf('SendMessageCommand({'), 5)).toBe(false);

    const cdk = path.join(FIXTURES, 'sdk-permission/positive/cdk-nodejs-function-sourcemap');
    const out = path.join(cdk, 'cdk.out');
    const a2 = fs.readdirSync(out).find((d) => d.startsWith('asset.'))!;
    const f2 = path.join(out, a2, 'index.js');
    const mapped = readBundle(f2, fs.readFileSync(f2, 'utf8'), [cdk], () => true);
    expect(mapped.via).toBe('sourcemap');
    expect(mapped.sources).toEqual([
      path.join(cdk, 'lambda/orders/index.ts'),
      path.join(cdk, 'lambda/shared/orders-table.ts'),
    ]);
  });

  it('reads the entry a cdk.out asset was built from, and says when only the bundle is there', async () => {
    const r = await lint({
      cwd: path.join(FIXTURES, 'sdk-permission/positive/cdk-nodejs-function-sourcemap'),
      today: TODAY,
    });
    expect(r.notes).toContain(
      'handler code: 1 of 1 handlers resolved, 0 not checked; 2 of 2 AWS SDK calls reached mapped to IAM actions, 0 not resolved',
    );
    const only = await lint({
      cwd: path.join(FIXTURES, 'sdk-permission/positive/cdk-bundle-only-bundled-deps'),
      today: TODAY,
    });
    expect(
      only.notes.some((x) =>
        /Worker1A2B3C4D: cdk\.out\/asset\.\w+\/index\.js is a bundle whose sources \(lambda\/worker\.ts\) are not here: the bundle is read instead, without its bundled node_modules code$/.test(
          x,
        ),
      ),
    ).toBe(true);
  });
});

describe('--changed through shared code', () => {
  const SLS = (name: string, handler: string) =>
    `service: ${name}\nframeworkVersion: '3'\nplugins:\n  - serverless-esbuild\nprovider:\n  name: aws\n  runtime: nodejs22.x\n  timeout: 1000\nfunctions:\n  main:\n    handler: ${handler}\n`;
  const layout = () =>
    project({
      'package.json': '{ "private": true, "workspaces": ["packages/*"] }',
      'tsconfig.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "@libs/*": ["libs/*"] } } }',
      'libs/money.ts': 'export const cents = (n: number) => Math.round(n * 100);\n',
      'libs/dates.ts': 'export const today = () => new Date().toISOString().slice(0, 10);\n',
      'packages/audit/package.json': '{ "name": "@shop/audit", "main": "dist/index.js" }',
      'packages/audit/src/index.ts': 'export const audit = (s: string) => console.log(s);\n',
      'services/orders/serverless.yml': SLS('orders', 'src/handler.main'),
      'services/orders/src/handler.ts':
        "import { cents } from '../../../libs/money';\nexport const main = async () => cents(1);\n",
      'services/billing/serverless.yml': SLS('billing', 'src/handler.main'),
      'services/billing/src/handler.ts':
        "import { today } from '@libs/dates';\nimport { audit } from '@shop/audit';\nexport const main = async () => audit(today());\n",
      'infra/modules/fn/main.tf': 'variable "name" {}\n',
      'infra/envs/dev/main.tf': 'module "fn" {\n  source = "../../modules/fn"\n  name   = "x"\n}\n',
      'infra/envs/other/main.tf': 'module "y" {\n  source = "../../modules/other"\n}\n',
    });

  it('pulls in every function whose code imports a changed shared file', async () => {
    const dir = layout();
    const git = (...a: string[]) =>
      execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...a], { cwd: dir, stdio: 'pipe' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'init');
    const files = async (args: string[]) => [
      ...new Set(
        (JSON.parse((await run(['-f', 'json', ...args], dir)).stdout).findings as { file: string }[]).map(
          (f) => f.file,
        ),
      ),
    ];
    fs.appendFileSync(path.join(dir, 'libs/money.ts'), '// changed\n');
    expect(await files(['--changed'])).toEqual(['services/orders/serverless.yml']);
    git('checkout', '-q', '.');
    fs.appendFileSync(path.join(dir, 'libs/dates.ts'), '// changed\n');
    expect(await files(['--changed'])).toEqual(['services/billing/serverless.yml']);
    git('checkout', '-q', '.');
    fs.appendFileSync(path.join(dir, 'packages/audit/src/index.ts'), '// changed\n');
    expect(await files(['--changed'])).toEqual(['services/billing/serverless.yml']);
  });

  it('maps a changed local Terraform module to the configurations that call it', () => {
    const dir = layout();
    expect(projectPathsFor(['infra/modules/fn/main.tf'], dir)).toEqual(['infra/envs/dev', 'infra/modules/fn']);
  });
});
