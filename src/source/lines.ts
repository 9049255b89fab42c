// Offsets (UTF-16 code units, as JavaScript strings count) → 1-based line/column ranges.
import type { Position, SourceRange } from './range.js';

/**
 * A text's line starts, computed on first use: offsets → 1-based lines and columns. Shared by every
 * parser's file type (templates, .tf files, handler code), so positions are counted one way.
 */
export class LineIndex {
  private starts: LineStarts | undefined;
  constructor(
    readonly path: string,
    readonly text: string,
  ) {}

  private lines(): LineStarts {
    return (this.starts ??= new LineStarts(this.path, lineStarts(this.text)));
  }

  position(offset: number): Position {
    return this.lines().position(offset);
  }

  /** The 1-based line of an offset (no Position made). */
  lineOf(offset: number): number {
    return this.lines().lineOf(offset);
  }

  range(start: number, end: number): SourceRange {
    return { file: this.path, start: this.position(start), end: this.position(Math.max(start, end)) };
  }

  /**
   * The same range as `range`, kept as two offsets: its positions are computed when read. A big
   * template's model holds one per value it read (170,000 in a 15 MB template) and reads a few,
   * for its findings; a range with its two positions was three objects. It holds the line starts,
   * not the text.
   */
  offsetRange(start: number, end: number): SourceRange {
    return new OffsetRange(this.lines(), start, end);
  }

  /** The text of line `line` (1-based), without its line break. */
  lineText(line: number): string {
    const starts = this.lines().starts;
    const s = starts[line - 1];
    if (s === undefined) return '';
    const e = line < starts.length ? starts[line] : this.text.length;
    return this.text.slice(s, e).replace(/\r?\n$/, '');
  }
}

/** A file's path and line starts: what positions are computed from. */
class LineStarts {
  constructor(
    readonly path: string,
    readonly starts: Uint32Array,
  ) {}

  lineOf(offset: number): number {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  position(offset: number): Position {
    const line = this.lineOf(offset);
    return { line, column: offset - this.starts[line - 1] + 1 };
  }
}

/**
 * A SourceRange whose `start` and `end` are made from its offsets on each read (LineIndex.offsetRange).
 * The fields are private (#), so that the range shows only `file`, `start` and `end`: JSON.stringify
 * writes those (toJSON), and `{ ...range }` is never used on a range.
 */
class OffsetRange implements SourceRange {
  readonly #lines: LineStarts;
  readonly #start: number;
  readonly #end: number;
  constructor(lines: LineStarts, start: number, end: number) {
    this.#lines = lines;
    this.#start = start;
    this.#end = Math.max(start, end);
  }
  get file(): string {
    return this.#lines.path;
  }
  get start(): Position {
    return this.#lines.position(this.#start);
  }
  get end(): Position {
    return this.#lines.position(this.#end);
  }
  toJSON(): SourceRange {
    return { file: this.file, start: this.start, end: this.end };
  }
}

/**
 * Where each line starts, counted first and then written into an array of exactly that size: a
 * 15 MB template has half a million lines, and an array grown by push (a number of 8 bytes each,
 * and the copies it left behind as it grew) was 4 MB alive and more as garbage.
 */
function lineStarts(text: string): Uint32Array {
  let n = 1;
  // indexOf scans natively: 4x faster than a loop over charCodeAt until the JIT has warmed up.
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  const starts = new Uint32Array(n);
  for (let i = text.indexOf('\n'), k = 1; i >= 0; i = text.indexOf('\n', i + 1)) starts[k++] = i + 1;
  return starts;
}
