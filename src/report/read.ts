// What the reporters that show source lines share: reading a file (undefined when it cannot be
// read) and counting words.
import fs from 'node:fs';

export function readFileOrUndefined(absPath: string): string | undefined {
  try {
    return fs.readFileSync(absPath, 'utf8');
  } catch {
    return undefined;
  }
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
