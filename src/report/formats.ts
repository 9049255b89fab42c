// The report formats' names (what `--format` accepts), and the reporters that print from the
// result alone: the CLI checks the option and prints these without loading the rules' metadata or
// the other reporters (src/cli/main.ts).
import type { LintResult } from '../engine/result.js';
import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import { formatStylish } from './stylish.js';

export type Format = 'stylish' | 'json' | 'sarif' | 'github' | 'html';

export const formats: Format[] = ['stylish', 'json', 'sarif', 'github', 'html'];

/** The formats formatPlain prints: they read rules only from the result's findings and coverage. */
export const PLAIN_FORMATS: ReadonlySet<Format> = new Set<Format>(['stylish', 'json', 'github']);

/** The report in one of PLAIN_FORMATS; undefined for the others (SARIF and HTML: report/index.ts). */
export function formatPlain(result: LintResult, format: Format, options: { color: boolean }): string | undefined {
  switch (format) {
    case 'stylish':
      return formatStylish(result, { color: options.color });
    case 'json':
      return formatJson(result);
    case 'github':
      return formatGithub(result);
    default:
      return undefined;
  }
}
