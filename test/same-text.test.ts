// A handler file whose text a thread has already parsed under another path is not parsed again
// (SameText, src/code/facts.ts): its facts are the first file's with its own path in them. They
// must be exactly what a parse of it gives, and a finding in a copied file is reported in that copy.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lint } from '../src/lint.js';
import { formatResult } from '../src/report/index.js';
import { SameText } from '../src/code/facts.js';
import { ParseQueue, parseOne, poolSharing, poolStats } from '../src/code/parse-pool.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-same-text-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const FIXTURES = path.resolve(__dirname, '../fixtures');
const CODE = /\.(?:[cm]?[jt]s|tsx|py)$/;

/** Every handler-code file of the fixtures (not their expected output, nor a cdk.out's bundles). */
function codeFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== 'node_modules') codeFiles(p, out);
    else if (e.isFile() && CODE.test(e.name) && fs.statSync(p).size < 256 * 1024) out.push(p);
  }
  return out;
}

/** Every object reachable from `v` (Maps and Sets included). */
function objectsOf(v: unknown, seen = new Set<object>()): Set<object> {
  if (typeof v !== 'object' || v === null || seen.has(v)) return seen;
  seen.add(v);
  const children = v instanceof Map ? [...v.keys(), ...v.values()] : v instanceof Set ? [...v] : Object.values(v);
  for (const c of children) objectsOf(c, seen);
  return seen;
}

describe('a copy of a handler file already parsed', () => {
  const files = codeFiles(FIXTURES);

  it('has the facts a parse of it gives, for every handler file of the fixtures, sharing no object with the first', async () => {
    expect(files.length).toBeGreaterThan(400);
    let copied = 0;
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const copy = path.join(root, 'elsewhere', `copy${path.extname(file)}`);
      const same = new SameText();
      const first = await parseOne(file, text, same);
      const before = poolStats.copies;
      const fromMemo = await parseOne(copy, text, same);
      const parsed = await parseOne(copy, text);
      expect(fromMemo, file).toEqual(parsed);
      if (!('facts' in first)) continue;
      expect(poolStats.copies, file).toBe(before + 1);
      copied++;
      const mine = objectsOf(first.facts);
      for (const o of objectsOf('facts' in fromMemo ? fromMemo.facts : undefined))
        expect(mine.has(o), `${file}: an object shared with the first file's facts`).toBe(false);
    }
    expect(copied).toBeGreaterThan(400);
  }, 120_000);

  it('is parsed again under another extension: the language and module kind come from it', async () => {
    const same = new SameText();
    const text = "import type { Thing } from './thing';\nexport const handler = async () => 1;\n";
    const ts = await parseOne(path.join(root, 'a.ts'), text, same);
    const before = poolStats.copies;
    const js = await parseOne(path.join(root, 'a.js'), text, same);
    expect(poolStats.copies).toBe(before);
    expect('facts' in ts && ts.facts.parseError).toBeFalsy();
    // `import type` is TypeScript: a syntax error in a .js file.
    expect('facts' in js && js.facts.parseError).toBeTruthy();
  });

  it.each([1, 2])(
    'gives each copy its own findings, where one thread or several parse them (threads: %i)',
    async (threads) => {
      // Two services made from one: the same template, handlers and lib/ in two folders.
      const dir = path.join(root, `services-${threads}`);
      for (const name of ['orders-eu', 'orders-us'])
        fs.cpSync(path.join(FIXTURES, 'sdk-permission/positive/sam-python-shared-lib'), path.join(dir, name), {
          recursive: true,
          filter: (src) => path.basename(src) !== 'expected.json',
        });
      const before = poolStats.copies;
      const result = await lint({ cwd: dir, threads, today: new Date('2026-12-05') });
      if (threads === 1) expect(poolStats.copies - before).toBeGreaterThanOrEqual(8);
      const json = JSON.parse(formatResult(result, 'json', { color: false, version: 'test' })) as {
        findings: { ruleId: string; file: string; line: number; function: string; related: { file: string }[] }[];
      };
      const sdk = json.findings
        .filter((f) => f.ruleId === 'sdk-permission')
        .map((f) => ({ file: f.file, line: f.line, function: f.function, role: f.related[0]?.file }));
      expect(sdk).toEqual([
        {
          file: 'orders-eu/src/lib/notify.py',
          line: 11,
          function: 'CreateOrderFunction',
          role: 'orders-eu/template.yaml',
        },
        {
          file: 'orders-us/src/lib/notify.py',
          line: 11,
          function: 'CreateOrderFunction',
          role: 'orders-us/template.yaml',
        },
      ]);
    },
    60_000,
  );

  it('is copied from the facts of its own text on the main thread, when a worker names them (inline code is all index.py)', async () => {
    // Inline code is parsed under one name whatever its text: two different texts at index.py, then
    // a file with the first text. The worker names the answer that held the first; the facts copied
    // are that text's, not the last ones sent for index.py.
    const withCall = 'import boto3\n\ndef handler(event, context):\n    boto3.client("s3").list_buckets()\n';
    const plain = 'def handler(event, context):\n    return 1\n';
    const filler = (wave: number, n: number) =>
      Array.from({ length: n }, (_, k) => [path.join(root, `w${wave}`, `f${k}.py`), `x${wave}_${k} = ${k}\n`] as const);
    const queue = new ParseQueue(2);
    poolSharing.mainThreadTakes = false;
    try {
      const first = [['index.py', withCall] as const, ['index.py', plain] as const, ...filler(1, 70)];
      const one = await Promise.all(first.map(([f, t]) => queue.parse(f, t)));
      expect(one.every((o) => 'facts' in o)).toBe(true);
      const copy = path.join(root, 'svc', 'handler.py');
      const before = poolStats.copies;
      const two = await Promise.all([[copy, withCall] as const, ...filler(2, 30)].map(([f, t]) => queue.parse(f, t)));
      expect(poolStats.copies).toBe(before + 1);
      expect(two[0]).toEqual(await parseOne(copy, withCall));
      expect('facts' in two[0] && two[0].facts.calls.map((c) => c.label)).toEqual(['s3.list_buckets']);
    } finally {
      poolSharing.mainThreadTakes = true;
      await queue.close();
    }
  }, 60_000);
});
