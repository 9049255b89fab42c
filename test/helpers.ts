import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURES = path.join(ROOT, 'fixtures');
/**
 * The Node binaries a test runs a child on: this one, and those named by LAMBDALINT_NODE_22 /
 * LAMBDALINT_NODE_24 (.ci/run sets both); `usable` is false when the variable is unset or names no file.
 */
export function nodesAtHand(): { name: string; node: string | undefined; usable: boolean }[] {
  return (
    [
      ['this Node', process.execPath],
      ['Node 22', process.env.LAMBDALINT_NODE_22],
      ['Node 24', process.env.LAMBDALINT_NODE_24],
    ] as const
  ).map(([name, node]) => ({ name, node, usable: !!node && fs.existsSync(node) }));
}

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
