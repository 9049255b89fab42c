import type { AnyRule, Finding } from './types.js';

/** One thing that could not be checked (the contract's `coverage.notChecked[]`). */
export interface CoverageEntry {
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
  /** Findings a suppression comment, resource Metadata or the baseline took out of `findings`. */
  suppressed?: Finding[];
}
