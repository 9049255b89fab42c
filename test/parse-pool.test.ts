// Handler files parsed on worker threads (src/code/parse-pool.ts): the result is the one a single
// thread gives, byte for byte, on a generated monorepo of every format and language. Terraform
// files parsed on a worker give the trees the loader's own parse gives.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFECT_RULE, generateProject, type Defect } from '../bench/generate.js';
import { lint } from '../src/lint.js';
import { formatResult } from '../src/report/index.js';
import { ParseQueue, poolSharing, poolStats } from '../src/code/parse-pool.js';
import { HclFile, hclParser, parseHcl, spanRange } from '../src/source/hcl.js';
import { TERRAFORM_FILE, TFVARS_FILE } from '../src/source/terraform-files.js';
import { parseTfJson } from '../src/source/tf-json.js';
import { decodeHcl, encodeHcl } from '../src/source/hcl-wire.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-threads-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('parsing handler code on worker threads', () => {
  it.each([
    ['the workers parse every file offered them', false],
    ['this thread takes the files no worker has taken yet', true],
  ])(
    'reports what one thread reports, byte for byte, with the planted defects found: %s',
    async (_, share) => {
      const project = generateProject(root, { functions: 160, defectEvery: 4 });
      const today = new Date('2026-11-26');
      const one = await lint({ cwd: root, threads: 1, today });
      const before = { ...poolStats };
      poolSharing.mainThreadTakes = share;
      const three = await lint({ cwd: root, threads: 3, today }).finally(() => (poolSharing.mainThreadTakes = true));
      // Alone, the workers parsed what they were offered; shared, this thread may have taken it all first.
      if (!share) expect(poolStats.workerChunks).toBeGreaterThan(before.workerChunks);
      // Every service has a copy of the same lib/: copies of files whose facts a worker sent are
      // named by the worker and copied here (CopyAnswer).
      if (!share) expect(poolStats.copies).toBeGreaterThan(before.copies);
      // The modules the handlers import (the service's lib/ and models/) went to the workers ahead.
      expect(poolStats.listedAhead).toBeGreaterThan(before.listedAhead);
      const shown = (r: typeof one) => formatResult(r, 'json', { color: false, version: 'test' });
      expect(shown(three)).toBe(shown(one));
      expect(three.notes).toEqual(one.notes);
      expect(three.coverage).toEqual(one.coverage);
      // Every planted defect is found by its rule, and nothing else is reported.
      const byRule: Record<string, number> = {};
      for (const f of one.findings) byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
      const expected: Record<string, number> = {};
      for (const [d, n] of Object.entries(project.planted))
        if (n) expected[DEFECT_RULE[d as Defect]] = (expected[DEFECT_RULE[d as Defect]] ?? 0) + n;
      expect(byRule).toEqual(expected);
      expect(one.stats.functions).toBe(160);
    },
    120_000,
  );
});

describe('parsing Terraform files on worker threads', () => {
  it.each([
    ['parsed by the workers alone', false],
    ['shared with this thread, which takes the files no worker has taken yet', true],
  ])(
    'gives the trees this thread gives, of every .tf, .tf.json and tfvars file of the fixtures: %s',
    async (_, help) => {
      const dirs = [
        ...new Set(
          fs
            .readdirSync('fixtures', { recursive: true, encoding: 'utf8' })
            .filter((f) => TERRAFORM_FILE.test(f) || TFVARS_FILE.test(path.basename(f)))
            .map((f) => path.resolve('fixtures', path.dirname(f))),
        ),
      ].sort();
      expect(dirs.length).toBeGreaterThan(50);
      const pool = new ParseQueue(2, 0);
      const before = poolStats.workerChunks;
      poolSharing.mainThreadTakes = help;
      pool.prefetchTerraform(dirs);
      const got = await pool.terraformParsed().finally(() => (poolSharing.mainThreadTakes = true));
      await pool.close();
      // Alone, the workers parsed them; shared, this thread may have taken every file before a worker started.
      if (!help) expect(poolStats.workerChunks).toBeGreaterThan(before);
      const parser = await hclParser();
      let files = 0;
      for (const dir of dirs) {
        for (const name of fs.readdirSync(dir).filter((n) => TERRAFORM_FILE.test(n) || TFVARS_FILE.test(n))) {
          const file = path.join(dir, name);
          const text = fs.readFileSync(file, 'utf8');
          const here = file.endsWith('.tf.json') ? parseTfJson(parser, file, text) : parseHcl(parser, file, text);
          const there = got.get(file);
          expect(there, file).toBeDefined();
          // The same tree, with its file an HclFile again (structured clone drops classes).
          expect(there!.file).toBeInstanceOf(HclFile);
          expect(there).toStrictEqual(here);
          if (there!.error) expect(spanRange(there!.error.span)).toEqual(spanRange(here.error!.span));
          files++;
        }
      }
      expect(files).toBe(got.size);
    },
    60_000,
  );

  it('sends a .tf tree as numbers and strings (hcl-wire.ts): read back, the same tree, no span shared', async () => {
    // Every kind of expression (a postfix, a heredoc template), a repeated attribute, a syntax error.
    const text = [
      'locals {',
      '  a = var.x[0].y[*].z',
      '  b = [1, -2.5, true, null, "s\\n${var.y}"]',
      '  c = { k = 1, (local.k) = 2, "q" = f(var.l...) }',
      '  d = !var.b && (1 + 2 * 3) > 4 ? "yes" : null',
      '  e = <<-EOT',
      '    line ${upper(var.n)}',
      '      %{ if true }x%{ endif }',
      '    EOT',
      '  f = [foo][0].bar',
      '}',
      'resource "aws_s3_bucket" "b" {',
      '  bucket = "x"',
      '  bucket = "again"',
      '  dynamic "rule" {',
      '    for_each = [for x in var.l : x]',
      '  }',
      '}',
      'broken = ',
    ].join('\n');
    const tree = parseHcl(await hclParser(), '/p/main.tf', text);
    expect(tree.error).toBeDefined();
    const back = decodeHcl(structuredClone(encodeHcl(tree)));
    expect(back).toStrictEqual(tree);
    expect(back.file).toBeInstanceOf(HclFile);
    const spans = new Set<object>();
    let count = 0;
    const walk = (x: unknown): void => {
      if (x === null || typeof x !== 'object' || x instanceof HclFile) return;
      if ('start' in x && 'file' in x) {
        spans.add(x);
        count++;
      }
      for (const v of x instanceof Map ? x.values() : Object.values(x)) walk(v);
    };
    walk(back);
    expect(count).toBeGreaterThan(50);
    expect(spans.size).toBe(count);
  });

  it('leaves small projects to the loader: no worker starts for them', async () => {
    const pool = new ParseQueue(2);
    const before = poolStats.workerChunks;
    pool.prefetchTerraform([path.resolve('fixtures/timeout-limit/positive/terraform-json-timeout')]);
    expect((await pool.terraformParsed()).size).toBe(0);
    await pool.close();
    expect(poolStats.workerChunks).toBe(before);
  });
});

describe('what the analysis learns about paths, on worker threads', () => {
  it('is learnt again by each run: a dependency declared between two runs is seen by the second', async () => {
    const dir = fs.mkdtempSync(path.join(root, 'rerun-'));
    fs.cpSync('fixtures/missing-dependency/positive/sam-undeclared', dir, { recursive: true });
    const today = new Date('2026-11-26');
    const lodash = (r: Awaited<ReturnType<typeof lint>>) =>
      r.findings.filter((f) => f.ruleId === 'missing-dependency' && f.message.includes(' lodash,')).map((f) => f.file);
    expect(lodash(await lint({ cwd: dir, threads: 2, today }))).toEqual(['resize/lib/util.js']);
    const pj = path.join(dir, 'resize', 'package.json');
    const pkg = JSON.parse(fs.readFileSync(pj, 'utf8')) as { dependencies: Record<string, string> };
    pkg.dependencies.lodash = '^4.17.21';
    fs.writeFileSync(pj, JSON.stringify(pkg));
    expect(lodash(await lint({ cwd: dir, threads: 2, today }))).toEqual([]);
    expect(lodash(await lint({ cwd: dir, threads: 1, today }))).toEqual([]);
  }, 60_000);
});
