// Discovery: templates by content under any name, cloud assemblies, skipped folders, .gitignore.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { discover, UsageError } from '../src/discover/index.js';
import { lint } from '../src/lint.js';
import { LOADERS, terraformLoader } from '../src/load/loaders.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-discover-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
  fs.writeFileSync(path.join(tmp, rel), text);
}

const SAM = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources: {}\n";
const CFN_JSON = '{"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}';

write('.git/HEAD', 'ref: refs/heads/main\n');
write('.gitignore', 'generated/\n*.local.yaml\n');
write('infra/stack-definition.yml', SAM);
write('infra/queues.json', CFN_JSON);
write('infra/notes.yaml', 'title: not a template\n');
write('package.json', '{"name": "x", "description": "AWS::Serverless-2016-10-31"}');
write('node_modules/dep/template.yaml', SAM);
write('.aws-sam/build/template.yaml', SAM);
write('generated/template.yaml', SAM);
write('infra/dev.local.yaml', SAM);
write('cdk.out/manifest.json', '{"version": "48.0.0", "artifacts": {}}');
write('cdk.out/tree.json', '{}');
write('cdk.out/Stack.template.json', CFN_JSON);
// Synthesized output is usually ignored by git, and still what lambdalint reads.
write('app/.gitignore', 'cdk.out\n');
write('app/cdk.out/manifest.json', '{"version": "48.0.0", "artifacts": {}}');
write('app/cdk.out/cdk.out', '{"version": "48.0.0"}');

it('finds templates by content and assemblies by their manifest, and skips the rest', () => {
  const found = discover(['.'], tmp);
  expect(found.templates.map((t) => path.relative(tmp, t))).toEqual([
    'infra/queues.json',
    'infra/stack-definition.yml',
  ]);
  expect(found.assemblies.map((a) => path.relative(tmp, a))).toEqual(['app/cdk.out', 'cdk.out']);
});

it('does not walk the packages pip installed into a folder, nor their records', () => {
  // `pip install -t layer/python boto3`: botocore's API models are JSON files that name AWS types.
  const layer = 'pip/layer/python';
  write(
    `${layer}/botocore-1.35.0.dist-info/RECORD`,
    'botocore/__init__.py,,\nbotocore/data/sqs/2012-11-05/service-2.json,,\n',
  );
  write(`${layer}/botocore-1.35.0.dist-info/direct_url.json`, CFN_JSON);
  write(`${layer}/botocore/data/sqs/2012-11-05/service-2.json`, CFN_JSON);
  write(`${layer}/legacy.egg-info/top_level.txt`, 'legacy\n');
  write(`${layer}/legacy/template.yaml`, SAM);
  // A folder of the layer that no record lists is the project's, and walked.
  write(`${layer}/own/template.yaml`, SAM);
  // Without records, a folder named like a package is walked as any other.
  write('pip/plain/botocore/template.yaml', SAM);
  const found = discover(['pip'], tmp);
  expect(found.templates.map((t) => path.relative(tmp, t))).toEqual([
    'pip/layer/python/own/template.yaml',
    'pip/plain/botocore/template.yaml',
  ]);
});

it('lints a file named on the command line whatever its name', () => {
  const found = discover(['generated/template.yaml'], tmp);
  expect(found.templates.map((t) => path.relative(tmp, t))).toEqual(['generated/template.yaml']);
});

it('refuses a path that does not exist with a usage error', () => {
  expect(() => discover(['nope'], tmp)).toThrow(UsageError);
});

it('survives a symlink loop', () => {
  fs.mkdirSync(path.join(tmp, 'loop'), { recursive: true });
  fs.symlinkSync('..', path.join(tmp, 'loop', 'up'));
  const found = discover(['loop'], tmp);
  expect(found.templates.length).toBeGreaterThan(0);
});

it('hands every kind of input discovery finds to exactly one loader (src/load/loaders.ts)', () => {
  const found = discover(['.'], tmp);
  // Tell the lists apart by identity: how many loaders read each list? (loadProject itself reports
  // the unreadable files and the CDK apps never synthesized.)
  const readers = Object.fromEntries(
    (Object.keys(found) as (keyof typeof found)[])
      .filter((k) => k !== 'unreadable' && k !== 'cdkApps')
      .map((k) => [k, [...LOADERS, terraformLoader].filter((l) => l.inputs(found) === found[k]).length]),
  );
  expect(readers).toEqual({ templates: 1, assemblies: 1, serverless: 1, terraform: 1 });
});

it('names the CDK apps that were never synthesized, and only those', async () => {
  const MANIFEST = '{"version": "48.0.0", "artifacts": {}}';
  write('cdk/.git/HEAD', 'ref: refs/heads/main\n');
  write('cdk/fresh/cdk.json', '{"app": "npx ts-node bin/app.ts"}');
  write('cdk/fresh/bin/app.ts', 'new App();\n');
  write('cdk/synthesized/cdk.json', '{"app": "npx ts-node bin/app.ts"}');
  write('cdk/synthesized/cdk.out/manifest.json', MANIFEST);
  write('cdk/synthesized/cdk.out/cdk.out', '{"version": "48.0.0"}');
  // `output` in cdk.json: where `cdk synth` writes the assembly.
  write('cdk/elsewhere/cdk.json', '{"app": "python3 app.py", "output": "build/assembly"}');
  write('cdk/elsewhere/build/assembly/manifest.json', MANIFEST);
  write('cdk/elsewhere/build/assembly/tree.json', '{}');
  write('cdk/node_modules/aws-cdk-lib/cdk.json', '{}');
  const cwd = path.join(tmp, 'cdk');
  expect(discover(['.'], cwd).cdkApps.map((f) => path.relative(cwd, f))).toEqual([
    'elsewhere/cdk.json',
    'fresh/cdk.json',
    'synthesized/cdk.json',
  ]);
  const r = await lint({ cwd, today: new Date('2026-12-05') });
  expect(r.coverage).toEqual({
    functions: 0,
    notChecked: [
      {
        file: 'fresh/cdk.json',
        rules: [],
        reason:
          'CDK app not synthesized: its stacks and functions are not checked (no cloud assembly at cdk.out: run `cdk synth`, then lint again)',
      },
    ],
  });
});
