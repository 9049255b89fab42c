// Keeps the house in order: the rule index, fixtures per format, message coverage, docs/RULES.md ids,
// generated docs.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { knownRulesModule, ruleDoc, rulesIndex } from '../src/docs.js';
import { FIXTURES, ROOT, caseFramework, listCases } from './helpers.js';

// The contract and the fact sheet are kept in the repository (docs/), copied from the team's shared
// folder; when that folder is beside the checkout, the copies must be current.
const RULES_MD = path.join(ROOT, 'docs', 'RULES.md');
const SHARED = path.resolve(ROOT, '../shared');

/** Messages no format loaded so far can produce, with the reason; each must be tested elsewhere. */
const UNREACHABLE_IN_FIXTURES: Record<string, string> = {
  'package-size.inline':
    'a template small enough for CloudFormation cannot hold 4 MB of zipped code; covered in test/rules.test.ts',
};

describe('rule index', () => {
  const files = fs.readdirSync(path.join(ROOT, 'rules')).filter((f) => f.endsWith('.ts') && f !== 'index.ts');

  it('lists every rule file, once, under its file name', () => {
    expect(rules.map((r) => `${r.id}.ts`).sort()).toEqual(files.sort());
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
  });

  it('uses only rule ids that docs/RULES.md defines, and defines no rule it lacks', () => {
    const text = fs.readFileSync(RULES_MD, 'utf8');
    const ids = new Set([...text.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]));
    for (const r of rules) expect(ids, r.id).toContain(r.id);
    expect([...ids].sort()).toEqual(rules.map((r) => r.id).sort());
  });

  it.skipIf(!fs.existsSync(SHARED))(
    'keeps docs/RULES.md, docs/FACTS.md and docs/CONVENTIONS.md identical to the shared copies',
    () => {
      for (const name of ['RULES.md', 'FACTS.md', 'CONVENTIONS.md']) {
        const shared = path.join(SHARED, name);
        if (!fs.existsSync(shared)) continue;
        expect(
          fs.readFileSync(path.join(ROOT, 'docs', name), 'utf8'),
          `docs/${name} differs from ../shared/${name}: copy it again`,
        ).toBe(fs.readFileSync(shared, 'utf8'));
      }
    },
  );

  it('gives every rule docs and messages with no "should"', () => {
    for (const r of rules) {
      expect(r.docs.summary.length, r.id).toBeGreaterThan(10);
      expect(r.docs.why.length, r.id).toBeGreaterThan(10);
      expect(r.docs.fix.length, r.id).toBeGreaterThan(10);
      for (const m of Object.values(r.messages)) expect(m).not.toMatch(/\bshould\b/i);
    }
  });
});

describe('fixtures', () => {
  const cases = listCases();

  it('has positive and negative cases for every rule in every format it claims', () => {
    for (const r of rules) {
      for (const fw of r.frameworks) {
        for (const kind of ['positive', 'negative'] as const) {
          const found = cases.some((c) => c.rule === r.id && c.kind === kind && caseFramework(c.name) === fw);
          expect(found, `${r.id}: no ${kind} ${fw} case`).toBe(true);
        }
      }
    }
  });

  it('names every case <framework>-<situation> after a known framework', () => {
    for (const c of cases)
      expect(['cloudformation', 'sam', 'cdk', 'serverless', 'terraform'], c.dir).toContain(caseFramework(c.name));
  });

  it('has no fixture folder for an unknown rule', () => {
    const folders = fs.readdirSync(FIXTURES).filter((f) => f !== 'demo');
    for (const f of folders)
      expect(
        rules.map((r) => r.id),
        f,
      ).toContain(f);
  });

  it('produces every message of every rule somewhere', () => {
    const seen = new Set<string>();
    for (const c of cases.filter((x) => x.kind === 'positive')) {
      const file = path.join(c.dir, 'expected.json');
      if (!fs.existsSync(file)) continue;
      for (const f of JSON.parse(fs.readFileSync(file, 'utf8')) as { messageId: string }[])
        seen.add(`${c.rule}.${f.messageId}`);
    }
    for (const r of rules) {
      for (const id of Object.keys(r.messages)) {
        const key = `${r.id}.${id}`;
        if (UNREACHABLE_IN_FIXTURES[key]) continue;
        expect(seen, `${key} appears in no expected.json`).toContain(key);
      }
    }
  });
});

describe('generated docs', () => {
  it('are current (run `npm run docs` after changing rule metadata)', () => {
    const dir = path.join(ROOT, 'docs/rules');
    for (const r of rules) expect(fs.readFileSync(path.join(dir, `${r.id}.md`), 'utf8'), r.id).toBe(ruleDoc(r));
    expect(fs.readFileSync(path.join(dir, 'README.md'), 'utf8')).toBe(rulesIndex(rules));
  });

  it("src/data/known-rules.ts holds every rule's id and options (run `npm run docs` after changing them)", async () => {
    const { KNOWN_RULES } = await import('../src/data/known-rules.js');
    expect(KNOWN_RULES).toEqual(rules.map((r) => ({ id: r.id, ...(r.options ? { options: r.options } : {}) })));
    expect(fs.readFileSync(path.join(ROOT, 'src/data/known-rules.ts'), 'utf8')).toBe(knownRulesModule(rules));
  });

  it("keeps the README's option table and setup snippets current (npm run docs)", async () => {
    const { currentReadme } = await import('../scripts/readme.js');
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('<!-- example: docs/examples/pre-commit-config.yaml -->');
    expect(readme).toContain('<!-- generated: cli-options -->');
    expect(readme === currentReadme(ROOT), 'README.md is not current: run npm run docs').toBe(true);
  });
});
