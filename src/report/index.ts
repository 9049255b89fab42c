// One entry point for the CLI and the library: every reporter is a pure function of a LintResult.
import type { LintResult } from '../engine/result.js';
import { formatGithub } from './github.js';
import { formatHtml } from './html.js';
import { formatJson } from './json.js';
import { formatSarif } from './sarif.js';
import { formatStylish } from './stylish.js';

export type Format = 'stylish' | 'json' | 'sarif' | 'github' | 'html';

export const formats: Format[] = ['stylish', 'json', 'sarif', 'github', 'html'];

export interface FormatOptions {
  /** Colours for stylish; the machine formats ignore it. */
  color: boolean;
  /** lambdalint's version, written into SARIF. */
  version: string;
  /** SARIF: the code scanning category (report/sarif.ts). */
  category?: string;
}

export function formatResult(result: LintResult, format: Format, options: FormatOptions): string {
  switch (format) {
    case 'stylish':
      return formatStylish(result, { color: options.color });
    case 'json':
      return formatJson(result);
    case 'sarif':
      return formatSarif(result, { version: options.version, category: options.category });
    case 'github':
      return formatGithub(result);
    case 'html':
      return formatHtml(result, { version: options.version });
  }
}
