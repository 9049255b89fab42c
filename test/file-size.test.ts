// Source files stay small enough to read: one over 600 lines says why in its header comment, on a
// line `// Over 600 lines because: ...` (issue 19).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const LIMIT = 600;
const FOLDERS = ['src', 'rules', 'scripts', 'bench'];

/** Why a file of `text` may be long, from its header comment (the `//` lines it starts with); undefined if it does not say. */
export function lengthReason(text: string): string | undefined {
  const header: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('//')) break;
    header.push(line.replace(/^\/\/ ?/, ''));
  }
  const at = header.findIndex((l) => l.startsWith('Over 600 lines because: '));
  if (at < 0) return undefined;
  const rest = header.slice(at + 1);
  const end = rest.findIndex((l) => l.trim() === '');
  const reason = [header[at].slice('Over 600 lines because: '.length), ...(end < 0 ? rest : rest.slice(0, end))]
    .join(' ')
    .trim();
  return reason.length >= 40 ? reason : undefined;
}

function sources(): string[] {
  return FOLDERS.flatMap((d) =>
    fs
      .readdirSync(path.join(ROOT, d), { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.(ts|mts|js|mjs)$/.test(f) && !f.endsWith('.d.ts'))
      .map((f) => `${d}/${f.split(path.sep).join('/')}`),
  );
}

describe('file size', () => {
  it('reads the reason from the header comment only (the check can fail)', () => {
    const reason = 'one walk of the file collects its exports, imports and calls together.';
    expect(
      lengthReason(`// What this file does.\n//\n// Over 600 lines because: ${reason}\nimport x from 'y';\n`),
    ).toBe(reason);
    expect(
      lengthReason(`// What this file does.\nimport x from 'y';\n// Over 600 lines because: ${reason}\n`),
    ).toBeUndefined();
    expect(lengthReason('// Over 600 lines because: it is long.\n')).toBeUndefined();
  });

  it(`every source file over ${LIMIT} lines says why in its header`, () => {
    const unexplained: string[] = [];
    for (const rel of sources()) {
      const text = fs.readFileSync(path.join(ROOT, rel), 'utf8');
      const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
      if (lines > LIMIT && !lengthReason(text)) unexplained.push(`${rel} (${lines} lines)`);
    }
    expect(unexplained).toEqual([]);
  });
});
