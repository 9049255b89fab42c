// Offsets (UTF-16 code units, as JavaScript strings count) → 1-based line/column ranges.
import type { SourceRange } from '../model/types.js';

export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(
    readonly file: string,
    text: string,
  ) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  private pos(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo] + 1 };
  }

  range(start: number, end: number): SourceRange {
    return { file: this.file, start: this.pos(start), end: this.pos(end) };
  }
}

/** Byte offsets (tree-sitter) → UTF-16 offsets, for text that may hold non-ASCII characters. */
export function byteToUtf16(text: string): (byte: number) => number {
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7f]/.test(text)) return (b) => b;
  const buf = Buffer.from(text, 'utf8');
  return (b) => buf.subarray(0, b).toString('utf8').length;
}
