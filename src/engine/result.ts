import type { AnyRule, Finding } from './types.js';

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
  /** Findings a suppression comment, resource Metadata or the baseline took out of `findings`. */
  suppressed?: Finding[];
}
