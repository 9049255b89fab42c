// Every folder fixtures/<rule>/{positive,negative}/<case>/ is a small project linted through the
// public lint() call. Positive cases pin that rule's findings in expected.json (a file snapshot:
// `vitest -u` rewrites it; in CI a missing or changed one fails); negative cases have none.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lint } from '../src/lint.js';
import { FIXTURES, TODAY, listCases, type FixtureCase } from './helpers.js';
import { writeSparseZip } from './zip-fixture.js';

const tmpDirs: string[] = [];
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Cases with a fixture.json get a scratch copy with the large (sparse) files it asks for. */
function prepare(c: FixtureCase): string {
  const setupFile = path.join(c.dir, 'fixture.json');
  if (!fs.existsSync(setupFile)) return c.dir;
  const setup = JSON.parse(fs.readFileSync(setupFile, 'utf8')) as {
    sparseFiles?: Record<string, number>;
    sparseZips?: Record<string, Record<string, number>>;
  };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-fixture-'));
  tmpDirs.push(tmp);
  fs.cpSync(c.dir, tmp, { recursive: true });
  for (const [rel, bytes] of Object.entries(setup.sparseFiles ?? {})) {
    const file = path.join(tmp, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '');
    fs.truncateSync(file, bytes);
  }
  // Real zips (stored entries of zeros, sparse on disk): the zipped-size checks read their central directory.
  for (const [rel, entries] of Object.entries(setup.sparseZips ?? {})) writeSparseZip(path.join(tmp, rel), entries);
  return tmp;
}

async function findingsOf(c: FixtureCase) {
  const cwd = prepare(c);
  const result = await lint({ cwd, today: TODAY });
  expect(result.toolErrors).toEqual([]);
  // A case with a coverage.json pins what that rule could not check, and why (RULES.md `coverage`).
  const coverageFile = path.join(c.dir, 'coverage.json');
  if (fs.existsSync(coverageFile)) {
    const entries = (result.coverage?.notChecked ?? []).filter((e) => e.rules.includes(c.rule));
    expect(entries.length, 'a coverage.json case must record what it could not check').toBeGreaterThan(0);
    await expect(JSON.stringify(entries, null, 2) + '\n').toMatchFileSnapshot(coverageFile);
  }
  return result.findings
    .filter((f) => f.ruleId === c.rule)
    .map((f) => ({
      file: f.file,
      line: f.line,
      column: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn,
      severity: f.severity,
      message: f.message,
      messageId: f.messageId,
      function: f.function,
      ...(f.resource ? { resource: f.resource } : {}),
      ...(f.related
        ? { related: f.related.map((r) => ({ file: r.file, line: r.line, column: r.column, message: r.message })) }
        : {}),
    }));
}

const cases = listCases();

describe.each([...new Set(cases.map((c) => c.rule))])('%s', (rule) => {
  for (const c of cases.filter((x) => x.rule === rule)) {
    if (c.kind === 'positive') {
      it(`reports ${c.name}`, async () => {
        const findings = await findingsOf(c);
        expect(findings.length, 'a positive case must produce a finding').toBeGreaterThan(0);
        await expect(JSON.stringify(findings, null, 2) + '\n').toMatchFileSnapshot(path.join(c.dir, 'expected.json'));
      });
    } else {
      it(`stays quiet on ${c.name}`, async () => {
        expect(await findingsOf(c)).toEqual([]);
        expect(fs.existsSync(path.join(c.dir, 'expected.json')), 'negative cases have no expected.json').toBe(false);
      });
    }
  }
});

it('finds fixture cases at all', () => {
  expect(cases.length).toBeGreaterThan(20);
  expect(fs.existsSync(FIXTURES)).toBe(true);
});
