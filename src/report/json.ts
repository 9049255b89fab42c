// `--format json`: the output contract of docs/RULES.md, and nothing more. Engine-only fields
// (absoluteFile, fingerprint, messageId) stay out so scripts see one stable shape.
import type { Finding, RelatedFinding } from '../engine/types.js';
import type { Coverage, LintResult } from '../engine/result.js';

interface JsonRelated {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

interface JsonFinding {
  ruleId: string;
  severity: Finding['severity'];
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  function?: string;
  resource?: string;
  related?: JsonRelated[];
  /** The fix, when lambdalint can write it: insert `text` at `line`:`column` of `file`. */
  fix?: JsonFix;
}

interface JsonFix {
  description: string;
  file: string;
  line: number;
  column: number;
  text: string;
}

interface JsonReport {
  version: 1;
  findings: JsonFinding[];
  /** What could not be checked, and why (docs/RULES.md: optional, added in version 1). */
  coverage?: Coverage;
}

function relatedEntry(r: RelatedFinding): JsonRelated {
  return {
    file: r.file,
    line: r.line,
    column: r.column,
    endLine: r.endLine,
    endColumn: r.endColumn,
    message: r.message,
  };
}

// Keys are listed one by one (not spread) so their order is the contract's order and no
// field added to Finding later leaks into the output by accident.
function jsonFinding(f: Finding): JsonFinding {
  const out: JsonFinding = {
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
  };
  if (f.function !== undefined) out.function = f.function;
  if (f.resource !== undefined) out.resource = f.resource;
  if (f.related && f.related.length > 0) out.related = f.related.map(relatedEntry);
  const edit = f.fix?.edit;
  if (edit)
    out.fix = {
      description: f.fix!.description,
      file: edit.file,
      line: edit.line,
      column: edit.column,
      text: edit.text,
    };
  return out;
}

function toJsonReport(result: LintResult): JsonReport {
  const report: JsonReport = { version: 1, findings: result.findings.map(jsonFinding) };
  if (result.coverage) {
    report.coverage = {
      functions: result.coverage.functions,
      notChecked: result.coverage.notChecked.map((e) => ({
        ...(e.function !== undefined ? { function: e.function } : {}),
        file: e.file,
        rules: [...e.rules],
        reason: e.reason,
      })),
    };
  }
  return report;
}

export function formatJson(result: LintResult): string {
  return `${JSON.stringify(toJsonReport(result), null, 2)}\n`;
}
