// src/code/python-wasm.ts: in the CLI's process the Python parser's WebAssembly stays with V8's
// baseline compiler for a run of a few dozen inline functions (--liftoff-only; on V8 13, where that
// flag set at run time does not hold, a tiering budget such a run does not reach), and tiers up as
// by V8's default in a run whose inputs reach isBigRun's size. V8 reports each function its
// optimizing compiler compiles with --trace-wasm-compilation-times ("using TurboFan"). Checked on
// each Node at hand (this one, and those named by LAMBDALINT_NODE_22 / LAMBDALINT_NODE_24).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, nodesAtHand } from './helpers.js';
import { shardOfFolder } from '../src/discover/shard.js';

/** A template with 30 inline Python functions of about 2 KB each (bench-cfn52 has 26 inline functions). */
function template(): string {
  const body = (i: number) =>
    [
      'import json',
      'import os',
      'import boto3',
      '',
      "TABLE = os.environ.get('TABLE', 'orders')",
      "dynamodb = boto3.resource('dynamodb')",
      "s3 = boto3.client('s3')",
      '',
      ...Array.from({ length: 4 }, (_, k) => [
        `def step_${i}_${k}(event, items):`,
        `    total = sum(int(x.get('n', 0)) * ${k + 1} for x in items if x and 'n' in x)`,
        `    if total > ${100 * k} and event.get('mode') == 'full':`,
        `        s3.put_object(Bucket=os.environ['BUCKET'], Key=f"out/{total}-${k}.json", Body=json.dumps(items))`,
        `    return {'total': total, 'count': len(items), 'keys': [str(x) for x in items[:${k + 2}]]}`,
        '',
      ]).flat(),
      'def handler(event, context):',
      '    table = dynamodb.Table(TABLE)',
      "    items = table.scan().get('Items', [])",
      `    return step_${i}_0(event, items)`,
    ].join('\n');
  const fns = Array.from({ length: 30 }, (_, i) =>
    [
      `  Fn${i}:`,
      '    Type: AWS::Lambda::Function',
      '    Properties:',
      '      Runtime: python3.12',
      '      Handler: index.handler',
      '      Role: arn:aws:iam::123456789012:role/r',
      '      Code:',
      '        ZipFile: |',
      ...body(i)
        .split('\n')
        .map((l) => (l ? `          ${l}` : '')),
    ].join('\n'),
  );
  return ['Resources:', ...fns, ''].join('\n');
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-wasm-tier-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI on `target` with V8's trace of WebAssembly compiles: the trace and the JSON report. */
function traced(node: string, target: string, args: string[] = [], cwd?: string): { trace: string; functions: number } {
  const r = spawnSync(
    node,
    ['--trace-wasm-compilation-times', path.join(ROOT, 'bin/lambdalint.js'), '--format', 'json', ...args, target],
    { encoding: 'utf8', timeout: 120_000, maxBuffer: 256 * 1024 * 1024, ...(cwd ? { cwd } : {}) },
  );
  const at = r.stdout.indexOf('{\n');
  const json = JSON.parse(r.stdout.slice(at)) as { coverage: { functions: number } };
  return { trace: r.stdout.slice(0, at), functions: json.coverage.functions };
}

describe('the Python parser in the CLI', () => {
  const file = path.join(dir, 'template.yaml');
  fs.writeFileSync(file, template());
  // A big run: 16 such templates, ~0.9 MB (isBigRun counts from 768 KB, 384 KB on V8 13), 480 inline functions.
  const big = path.join(dir, 'big');
  fs.mkdirSync(big);
  for (let i = 0; i < 16; i++) fs.writeFileSync(path.join(big, `t${i}.yaml`), template());
  // Between the two sizes: 9 templates, ~0.55 MB. Big on V8 13 (Node 24), where tiering up pays
  // sooner (python-wasm.ts, BIG_RUN_BYTES_BY_V8), not on V8 11 and 12.
  const middle = path.join(dir, 'middle');
  fs.mkdirSync(middle);
  for (let i = 0; i < 9; i++) fs.writeFileSync(path.join(middle, `t${i}.yaml`), template());
  // As big, in 16 projects of one template each: a shard holding one of them (`--shard k/8`,
  // src/discover/shard.ts) is a small run, whatever the whole monorepo's size.
  const monorepo = path.join(dir, 'monorepo');
  for (let i = 0; i < 16; i++) {
    fs.mkdirSync(path.join(monorepo, `p${i}`), { recursive: true });
    fs.writeFileSync(path.join(monorepo, `p${i}`, 'template.yaml'), template());
  }
  const shards = Array.from({ length: 16 }, (_, i) => shardOfFolder(monorepo, path.join(monorepo, `p${i}`), 8));
  const single = [1, 2, 3, 4, 5, 6, 7, 8].find((k) => shards.filter((s) => s === k).length === 1);
  for (const { name, node, usable } of nodesAtHand()) {
    const skipped = usable ? '' : ' (skipped: no binary; .ci/run sets it)';
    it.skipIf(!usable)(`parses 30 inline functions without V8's optimizing compiler on ${name}${skipped}`, () => {
      const { trace, functions } = traced(node!, file);
      // Liftoff compiled the parser (the trace works), TurboFan nothing.
      expect(trace).toContain('using Liftoff');
      expect(trace).not.toContain('using TurboFan');
      expect(functions).toBe(30);
    });
    it.skipIf(!usable)(`tiers the parser up to V8's optimizing compiler in a big run on ${name}${skipped}`, () => {
      const { trace, functions } = traced(node!, big);
      expect(trace).toContain('using Liftoff');
      expect(trace).toContain('using TurboFan');
      expect(functions).toBe(480);
    });
    it.skipIf(!usable)(`tiers a big run up with --baseline too on ${name}${skipped}`, () => {
      // The baseline is checked before discovery without loading the engine, whose first load fixes
      // the flags (src/cli/main.ts): the run is sized as any other.
      const baseline = path.join(dir, 'baseline.json');
      fs.writeFileSync(baseline, '{}');
      const { trace, functions } = traced(node!, big, ['--baseline', baseline]);
      expect(trace).toContain('using TurboFan');
      expect(functions).toBe(480);
    });
    it.skipIf(!usable)(`tiers a middle-sized run up only on V8 13 on ${name}${skipped}`, () => {
      const v8 = Number(
        spawnSync(node!, ['-p', "process.versions.v8.split('.')[0]"], { encoding: 'utf8' }).stdout.trim(),
      );
      const { trace, functions } = traced(node!, middle);
      const turbofan = trace.split('\n').filter((l) => l.includes('using TurboFan')).length;
      expect(functions).toBe(270);
      // V8 13 alone: the run tiers up as by default (44 compiles here), where its small-run budget
      // lets a few of the hottest through (6).
      if (v8 === 13) expect(turbofan).toBeGreaterThan(20);
      else expect(turbofan).toBe(0);
    });
    it.skipIf(!usable)(`sizes a shard of a big monorepo by its own projects on ${name}${skipped}`, () => {
      expect(single).toBeDefined();
      const { trace, functions } = traced(node!, '.', ['--shard', `${single}/8`], monorepo);
      expect(trace).toContain('using Liftoff');
      expect(trace).not.toContain('using TurboFan');
      expect(functions).toBe(30);
    });
  }
});
