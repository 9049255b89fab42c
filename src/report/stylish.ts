// `--format stylish`: for people. ESLint's layout (grouped by file, `line:col  severity  message
// rule`) plus what ESLint leaves out: the offending source line with a caret under the range, the
// rule's fix as a `help:` line, and related locations as notes.
import { createRequire } from 'node:module';
import type { AnyRule, Finding, Severity } from '../engine/types.js';
import type { LintResult } from '../engine/result.js';
import { PARSE_ERROR_RULE } from '../engine/parse-error.js';
import { plural, readFileOrUndefined } from './read.js';

export interface StylishOptions {
  color: boolean;
  /** Source text of a file, or undefined when it cannot be read. Defaults to the file system. */
  readFile?: (absPath: string) => string | undefined;
}

type Colors = Pick<
  ReturnType<typeof import('picocolors').createColors>,
  'red' | 'yellow' | 'blue' | 'cyan' | 'green' | 'bold' | 'dim' | 'underline'
>;

/**
 * No colour: what picocolors' createColors(false) gives (String for every colour), without loading
 * picocolors. Its module reads process.stdout.isTTY as it loads, which makes Node build the stdout
 * stream, and the CLI writes to a pipe or a file without one (src/cli/stdio.ts).
 */
const PLAIN: Colors = {
  red: String,
  yellow: String,
  blue: String,
  cyan: String,
  green: String,
  bold: String,
  dim: String,
  underline: String,
};

function colors(color: boolean): Colors {
  if (!color) return PLAIN;
  const pc = createRequire(import.meta.url)('picocolors') as typeof import('picocolors');
  return pc.createColors(true);
}

/** A tab is shown as this many spaces, in the source line and the caret line alike. */
const TAB_WIDTH = 4;
/** Longer lines (minified JSON templates) are cut to a window around the finding. */
const MAX_FRAME_WIDTH = 140;
/** How much of the line before the finding stays visible when a long line is cut. */
const LEAD = 20;

function paint(c: Colors, severity: Severity, s: string): string {
  return severity === 'error' ? c.red(s) : severity === 'warning' ? c.yellow(s) : c.blue(s);
}

/**
 * A source line as terminal cells: tabs expanded, a surrogate pair kept in one cell, control
 * characters replaced (a template must not be able to send escape sequences to the terminal).
 * `at[i]` is the cell where UTF-16 code unit i starts; `at[length]` is the line's width.
 */
interface Cells {
  cells: string[];
  at: number[];
}

function toCells(line: string): Cells {
  const cells: string[] = [];
  const at: number[] = [];
  for (let i = 0; i < line.length; i++) {
    at[i] = cells.length;
    const code = line.charCodeAt(i);
    const next = line.charCodeAt(i + 1);
    if (code === 0x09) {
      for (let k = 0; k < TAB_WIDTH; k++) cells.push(' ');
    } else if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      at[i + 1] = cells.length;
      cells.push(line.slice(i, i + 2));
      i++;
    } else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) {
      cells.push('\ufffd');
    } else {
      cells.push(line[i]);
    }
  }
  at[line.length] = cells.length;
  return { cells, at };
}

/** The cell a 1-based UTF-16 column falls on; columns past the end land just after the line. */
function cellOf(c: Cells, column: number): number {
  const unit = Math.min(Math.max(column - 1, 0), c.at.length - 1);
  return c.at[unit];
}

function showWindow(c: Cells, from: number): string {
  const to = from + MAX_FRAME_WIDTH;
  return (from > 0 ? '…' : '') + c.cells.slice(from, to).join('') + (c.cells.length > to ? '…' : '');
}

/** The line before the finding, the finding's line, and a caret line under its first line. */
function codeFrame(f: Finding, lines: string[], c: Colors): string[] {
  if (f.line < 1 || f.line > lines.length) return [];
  const target = toCells(lines[f.line - 1]);
  const start = cellOf(target, f.column);
  const rawEnd = f.endLine === f.line ? cellOf(target, f.endColumn) : target.cells.length;
  const end = Math.max(rawEnd, start + 1);

  const from = target.cells.length > MAX_FRAME_WIDTH && start > LEAD ? start - LEAD : 0;
  const shift = from > 0 ? 1 : 0; // the leading ellipsis takes one cell
  const caretStart = start - from + shift;
  const caretLength = Math.max(1, Math.min(end - from, MAX_FRAME_WIDTH) + shift - caretStart);

  const width = String(f.line).length;
  const gutter = (n: number | undefined): string =>
    c.dim(`${n === undefined ? ' '.repeat(width) : String(n).padStart(width)} |`);
  const row = (text: string): string => (text.length > 0 ? ` ${text}` : '');

  const out: string[] = [];
  if (f.line > 1) out.push(`    ${gutter(f.line - 1)}${row(showWindow(toCells(lines[f.line - 2]), from))}`);
  out.push(`  ${paint(c, f.severity, '>')} ${gutter(f.line)}${row(showWindow(target, from))}`);
  out.push(`    ${gutter(undefined)} ${' '.repeat(caretStart)}${paint(c, f.severity, '^'.repeat(caretLength))}`);
  return out;
}

function summary(result: LintResult, c: Colors): string {
  const count = (s: Severity): number => result.findings.filter((f) => f.severity === s).length;
  const errors = count('error');
  const warnings = count('warning');
  const infos = count('info');
  const total = result.findings.length;
  if (total === 0) {
    const { templates, functions } = result.stats;
    return c.green(`✔ No problems found in ${plural(templates, 'template')}, ${plural(functions, 'function')}`);
  }
  // "info" is a mass noun here: "1 info", "3 info".
  const parts = `${plural(errors, 'error')}, ${plural(warnings, 'warning')}${infos > 0 ? `, ${infos} info` : ''}`;
  const text = `✖ ${plural(total, 'problem')} (${parts})`;
  const tint = errors > 0 ? c.red : warnings > 0 ? c.yellow : c.blue;
  return c.bold(tint(text));
}

/**
 * The kind of a reason, for the summary line: without the detail in a trailing parenthesis or a
 * trailing ARN ("role in another stack (ImportValue Shared-Role)" → "role in another stack").
 * `--verbose`, JSON and SARIF carry the reason whole.
 */
export function reasonKind(reason: string): string {
  return reason.replace(/ \([^()]*\)$/, '').replace(/ arn:\S+$/, '');
}

/**
 * One line on what was not checked: "24 functions checked; permission rules skipped for 3: role
 * from parameter RoleArn (2), role in another stack (1)". Counts functions per kind of reason.
 */
export function coverageLine(result: LintResult): string | undefined {
  const cov = result.coverage;
  if (!cov || cov.notChecked.length === 0) return undefined;
  const permissionRules = new Set(result.rules.filter((r) => r.category === 'permissions').map((r) => r.id));
  const byReason = new Map<string, Set<string>>();
  const fns = new Set<string>();
  let onlyPermissions = true;
  for (const e of cov.notChecked) {
    const who = e.function !== undefined ? `${e.file}\u0000${e.function}` : e.file;
    fns.add(who);
    if (e.rules.length === 0 || e.rules.some((r) => !permissionRules.has(r))) onlyPermissions = false;
    const kind = reasonKind(e.reason);
    const set = byReason.get(kind) ?? new Set<string>();
    set.add(who);
    byReason.set(kind, set);
  }
  const reasons = [...byReason].sort((a, b) => b[1].size - a[1].size || a[0].localeCompare(b[0]));
  const shown = reasons.slice(0, 5).map(([r, s]) => `${r} (${s.size})`);
  if (reasons.length > 5) shown.push(`${reasons.length - 5} more reasons (--verbose)`);
  const what = onlyPermissions ? 'permission rules skipped' : 'some checks skipped';
  return `${plural(cov.functions, 'function')} checked; ${what} for ${fns.size}: ${shown.join(', ')}`;
}

export function formatStylish(result: LintResult, options: StylishOptions): string {
  const c = colors(options.color);
  const read = options.readFile ?? readFileOrUndefined;
  const sourceLines = new Map<string, string[] | undefined>();
  const linesOf = (abs: string): string[] => {
    if (!sourceLines.has(abs)) {
      const text = read(abs);
      sourceLines.set(abs, text === undefined ? undefined : text.replace(/^\ufeff/, '').split(/\r\n|\r|\n/));
    }
    return sourceLines.get(abs) ?? [];
  };
  const rules = new Map<string, AnyRule>([[PARSE_ERROR_RULE.id, PARSE_ERROR_RULE]]);
  for (const r of result.rules) rules.set(r.id, r);

  // Findings arrive sorted by file; grouping keeps that order.
  const groups = new Map<string, Finding[]>();
  for (const f of result.findings) {
    const list = groups.get(f.file);
    if (list) list.push(f);
    else groups.set(f.file, [f]);
  }

  const out: string[] = [];
  for (const [file, findings] of groups) {
    const lineWidth = Math.max(...findings.map((f) => String(f.line).length));
    const columnWidth = Math.max(...findings.map((f) => String(f.column).length));
    const severityWidth = Math.max(...findings.map((f) => f.severity.length));
    out.push(c.underline(file));
    findings.forEach((f, i) => {
      if (i > 0) out.push('');
      const where = `${String(f.line).padStart(lineWidth)}:${String(f.column).padEnd(columnWidth)}`;
      out.push(
        `  ${c.dim(where)}  ${paint(c, f.severity, f.severity.padEnd(severityWidth))}  ${f.message}  ${c.dim(f.ruleId)}`,
      );
      out.push(...codeFrame(f, linesOf(f.absoluteFile), c));
      const rule = rules.get(f.ruleId);
      if (rule) out.push(`    ${c.cyan(c.bold('help:'))} ${rule.docs.fix}`);
      if (f.fix) {
        const at = f.fix.edit ? ` (${f.fix.edit.file}:${f.fix.edit.line}; --fix-dry-run prints the patch)` : '';
        out.push(`    ${c.cyan(c.bold('fix:'))} ${f.fix.description}${at}`);
        const shown = (f.fix.edit?.text ?? f.fix.snippet).replace(/^\n+|\n+$/g, '').split('\n');
        const indent = Math.min(...shown.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
        for (const l of shown) out.push(c.dim(`      ${l.slice(indent)}`));
      }
      for (const r of f.related ?? [])
        out.push(`    ${c.bold('= note:')} ${r.message} at ${r.file}:${r.line}:${r.column}`);
    });
    out.push('');
  }
  out.push(summary(result, c));
  const cov = coverageLine(result);
  if (cov) out.push(c.dim(cov));
  return `${out.join('\n')}\n`;
}
