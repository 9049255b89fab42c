import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURES = path.join(ROOT, 'fixtures');
/** Fixed "today" so dated rules give the same answer every day. */
export const TODAY = new Date('2026-11-26T00:00:00Z');

export interface FixtureCase {
  rule: string;
  kind: 'positive' | 'negative';
  name: string;
  dir: string;
}

export function listCases(): FixtureCase[] {
  const out: FixtureCase[] = [];
  for (const rule of fs.readdirSync(FIXTURES).sort()) {
    for (const kind of ['positive', 'negative'] as const) {
      const dir = path.join(FIXTURES, rule, kind);
      if (!fs.existsSync(dir)) continue;
      for (const name of fs.readdirSync(dir).sort()) out.push({ rule, kind, name, dir: path.join(dir, name) });
    }
  }
  return out;
}

/** The framework a case is written in, from its name (`<framework>-<situation>`). */
export function caseFramework(name: string): string {
  const prefix = name.split('-')[0];
  return (
    (
      { cfn: 'cloudformation', sam: 'sam', cdk: 'cdk', serverless: 'serverless', terraform: 'terraform' } as Record<
        string,
        string
      >
    )[prefix] ?? prefix
  );
}
