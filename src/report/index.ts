// One entry point for the CLI and the library: every reporter is a pure function of a LintResult.
import type { LintResult } from '../engine/result.js';
import { formatPlain, type Format } from './formats.js';
import { formatHtml } from './html.js';
import { formatSarif } from './sarif.js';

export { formats, type Format } from './formats.js';

export interface FormatOptions {
  /** Colours for stylish; the machine formats ignore it. */
  color: boolean;
  /** lambdalint's version, written into SARIF. */
  version: string;
  /** SARIF: the code scanning category (report/sarif.ts). */
  category?: string;
}

export function formatResult(result: LintResult, format: Format, options: FormatOptions): string {
  if (format === 'sarif') return formatSarif(result, { version: options.version, category: options.category });
  if (format === 'html') return formatHtml(result, { version: options.version });
  return formatPlain(result, format, options)!;
}
