import type { AnyRule, Finding } from './types.js';

/** One thing that could not be checked (the contract's `coverage.notChecked[]`). */
interface CoverageEntry {
  function?: string;
  /** Relative to the working directory, `/`-separated. */
  file: string;
  /** Enabled rules that could not decide; empty: every rule about it. */
  rules: string[];
  reason: string;
}

export interface Coverage {
  /** Functions in the model. */
  functions: number;
  notChecked: CoverageEntry[];
}

/** Where something is written, for reports (relative file, 1-based line and column). */
export interface PlaceRef {
  file: string;
  line: number;
  column: number;
  /** Words for what nobody wrote in that place: "added by SAM for the SQS event Jobs". */
  note?: string;
}

/** One requirement of a function as a permission rule evaluated it (LintOptions.collectNeeds). */
export interface NeedCell {
  /** The rule that evaluated it: the matrix's column. */
  rule: string;
  item: string;
  status: 'allowed' | 'missing' | 'unknown';
  reason?: string;
  /** The statements or permission that decide it; empty when nothing wrote it (a default). */
  decidedBy?: PlaceRef[];
}

/** One function's row of the needs matrix. */
export interface NeedRow {
  function: string;
  framework: string;
  /** The file declaring the function's deployment (relative), and the function's line in it. */
  file: string;
  line?: number;
  /** The stack or service the function belongs to: the stack name when known, else its file. */
  stack: string;
  cells: NeedCell[];
}

/** What one lint run produced; reporters are pure functions of this. */
export interface LintResult {
  /** Sorted by file, line, column, rule. */
  findings: Finding[];
  /** Every rule that was enabled for the run (SARIF lists them all). */
  rules: AnyRule[];
  /** Absolute working directory; finding files are relative to it. */
  cwd: string;
  stats: {
    files: number;
    templates: number;
    functions: number;
    durationMs: number;
  };
  /** Internal problems that did not stop the run (a rule that threw). */
  toolErrors: string[];
  /** What could not be checked, for verbose output. */
  notes: string[];
  /** What could not be checked, and why (optional: results built by hand may leave it out). */
  coverage?: Coverage;
  /** Per function, what the permission rules evaluated (only when LintOptions.collectNeeds). */
  needs?: NeedRow[];
  /** Findings a suppression comment, resource Metadata or the baseline took out of `findings`. */
  suppressed?: Finding[];
}
