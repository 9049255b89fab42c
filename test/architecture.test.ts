// The floors of docs/ARCHITECTURE.md, kept true: a module may import from its own floor and the
// floors below it, never from a floor above (type-only imports included: a type that must be
// imported upward is on the wrong floor).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

/** Lowest first. A path prefix (relative to the repository) → its floor. */
const FLOORS: [string, number][] = [
  ['src/source/', 0],
  ['src/model/', 1],
  ['src/data/', 1],
  ['src/values/', 2],
  ['src/iam/', 2],
  ['src/discover/', 3],
  ['src/load/', 3],
  ['src/code/', 3],
  ['src/package/', 3],
  ['src/fix/', 3],
  ['src/engine/', 4],
  ['rules/', 5],
  ['src/config/', 5],
  ['src/report/', 5],
  ['src/lint.ts', 6],
  ['src/docs.ts', 6],
  ['src/index.ts', 7],
  ['src/cli/', 8],
  ['src/eslint/', 8],
];

const NAMES = [
  'source',
  'model/data',
  'values/iam',
  'discover/load/code/package/fix',
  'engine',
  'rules/config/report',
  'lint',
  'index',
  'cli/eslint',
];

function floorOf(rel: string): number {
  const hit = FLOORS.find(([prefix]) => rel === prefix || rel.startsWith(prefix));
  if (!hit) throw new Error(`${rel} is on no floor: add it to FLOORS and docs/ARCHITECTURE.md`);
  return hit[1];
}

function sources(): string[] {
  return ['src', 'rules'].flatMap((d) =>
    fs
      .readdirSync(path.join(ROOT, d), { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts'))
      .map((f) => `${d}/${f.split(path.sep).join('/')}`),
  );
}

/** Relative specifiers of static imports, re-exports and dynamic imports. */
export function importsOf(text: string): string[] {
  const out: string[] = [];
  const re =
    /(?:^|\n)\s*(?:import|export)\b[^;'"]*?from\s*['"](\.[^'"]+)['"]|\bimport\(\s*['"](\.[^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"](\.[^'"]+)['"]/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

describe('architecture', () => {
  it('finds the imports it checks (the check can fail)', () => {
    expect(
      importsOf(
        "import { a } from '../lint.js';\nexport * from './x.js';\nconst m = await import('../y.js');\nimport type {\n  T,\n} from '../z.js';",
      ),
    ).toEqual(['../lint.js', './x.js', '../y.js', '../z.js']);
  });

  it('no module imports from a floor above its own', () => {
    const upward: string[] = [];
    for (const rel of sources()) {
      const from = floorOf(rel);
      for (const spec of importsOf(fs.readFileSync(path.join(ROOT, rel), 'utf8'))) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(rel), spec)).replace(/\.js$/, '.ts');
        const to = floorOf(target);
        if (to > from) upward.push(`${rel} (${NAMES[from]}) imports ${target} (${NAMES[to]})`);
      }
    }
    expect(upward).toEqual([]);
  });
});
