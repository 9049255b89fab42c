// Positions in source files: the one shape every layer uses for "where".

/** 1-based line and column; columns count UTF-16 code units (SARIF's default). */
export interface Position {
  line: number;
  column: number;
}

/** A range in a file; `end` is exclusive (the column after the last character). */
export interface SourceRange {
  /** Absolute path of the file. */
  file: string;
  start: Position;
  end: Position;
}
