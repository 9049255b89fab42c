// `--format github`: GitHub Actions workflow commands, so findings show as annotations on the diff.
import type { Finding, Severity } from '../engine/types.js';
import type { LintResult } from '../engine/result.js';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

// The runner reads the message up to the end of the line, so line breaks and the escape
// character itself must be percent-encoded.
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

// Properties are `key=value` pairs separated by `,` and ended by `::`, so those two go too.
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function annotation(f: Finding): string {
  const props: [string, string | number][] = [
    ['file', f.file],
    ['line', f.line],
  ];
  // GitHub accepts columns only for a range on one line; with them on a multi-line range the
  // annotation is rejected or misplaced, so a multi-line finding gives lines only.
  if (f.endLine === f.line) props.push(['col', f.column], ['endLine', f.endLine], ['endColumn', f.endColumn]);
  else props.push(['endLine', f.endLine]);
  props.push(['title', `lambdalint/${f.ruleId}`]);
  const list = props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',');
  return `::${COMMAND[f.severity]} ${list}::${escapeData(f.message)}`;
}

export function formatGithub(result: LintResult): string {
  return result.findings.map((f) => `${annotation(f)}\n`).join('');
}
