// `--fix-dry-run`: every fix a finding carries, as one unified diff (`git apply` or `patch -p1`
// applies it from the working directory). Nothing is written. Fixes of one file are applied
// together, later offsets first; the same insertion asked for by two findings is made once.
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import type { LintResult } from '../engine/result.js';
import type { FixEdit } from '../engine/types.js';
import { applyEdits } from '../fix/permission.js';
import { readFileOrUndefined } from './read.js';

/**
 * The edits of every finding's fix, by file, in finding order, made to go together: the same
 * insertion is made once, and when two insertions at one place both open the same keys (two
 * statements for a function without `Policies:`, two for a service without `iam:`), the second
 * goes under the keys the first opens instead of opening them again.
 */
export function fixEdits(result: LintResult): Map<string, FixEdit[]> {
  const byFile = new Map<string, FixEdit[]>();
  for (const f of result.findings) {
    const e = f.fix?.edit;
    if (!e) continue;
    const list = byFile.get(e.absoluteFile) ?? [];
    byFile.set(e.absoluteFile, list);
    if (list.some((x) => x.offset === e.offset && x.text === e.text)) continue;
    const at = list.findIndex((x) => x.offset === e.offset);
    if (at >= 0) {
      const opened = headerLines(list[at].text);
      const mine = headerLines(e.text);
      let shared = 0;
      while (shared < opened.length && shared < mine.length && opened[shared] === mine[shared]) shared++;
      // What follows the shared keys goes after the first insertion's entries, under the same keys.
      if (shared > 0) {
        list[at] = { ...list[at], text: list[at].text + e.text.split('\n').slice(shared).join('\n') };
        continue;
      }
    }
    list.push(e);
  }
  return byFile;
}

/** The leading lines of an insertion that only open a key (`  Policies:`), not an entry. */
function headerLines(text: string): string[] {
  const lines = text.split('\n');
  const out: string[] = [];
  for (const l of lines) {
    if (!/^\s*[\w.-]+:\s*$/.test(l)) break;
    out.push(l);
  }
  return out;
}

export function formatPatch(
  result: LintResult,
  readFile: (abs: string) => string | undefined = readFileOrUndefined,
): string {
  const out: string[] = [];
  for (const [abs, edits] of [...fixEdits(result)].sort((a, b) => a[1][0].file.localeCompare(b[1][0].file))) {
    const before = readFile(abs);
    if (before === undefined) continue;
    const rel = edits[0].file;
    out.push(
      createTwoFilesPatch(`a/${rel}`, `b/${rel}`, before, applyEdits(before, edits), undefined, undefined, {
        headerOptions: FILE_HEADERS_ONLY,
      }),
    );
  }
  return out.join('');
}
