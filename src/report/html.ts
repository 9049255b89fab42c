// `--format html`: one self-contained page (inline CSS and a few lines of script; no network, no
// fonts, no images) for a team lead or a reviewer. From the top: totals by severity and rule, what
// was not checked, the function × need matrix (what each function needs against what its role or
// resource policy grants), then every finding with its code frame, help and related places,
// filterable by rule and severity. The page prints (filters and hover hide; every detail shows) and
// reads on a phone (the matrix scrolls sideways inside its own box).
import type { AnyRule, Finding, Severity } from '../engine/types.js';
import type { LintResult, NeedCell, NeedRow, PlaceRef } from '../engine/result.js';
import { PARSE_ERROR_RULE } from '../engine/parse-error.js';
import { coverageLine } from './stylish.js';
import { plural, readFileOrUndefined } from './read.js';

export interface HtmlOptions {
  /** lambdalint's version, shown in the footer. */
  version: string;
  /** Reads a source file for code frames (tests pass texts); default: the file on disk. */
  readFile?: (absPath: string) => string | undefined;
}

/** The matrix's columns: the permission rules, in the order a function meets its needs. */
const NEED_COLUMNS: readonly { rule: string; title: string; what: string }[] = [
  { rule: 'logs-permission', title: 'Logs', what: 'writing its CloudWatch logs' },
  { rule: 'xray-permission', title: 'X-Ray', what: 'sending traces (active tracing)' },
  { rule: 'event-source-permission', title: 'Event sources', what: 'reading the queues and streams its mappings poll' },
  { rule: 'destination-permission', title: 'Destinations', what: 'sending to its dead-letter queue and destinations' },
  { rule: 'sdk-permission', title: 'SDK calls', what: 'the AWS SDK calls its handler code reaches' },
  { rule: 'vpc-permission', title: 'VPC ENIs', what: 'managing its network interfaces in a VPC' },
  { rule: 'invoke-permission', title: 'Invoke', what: 'being invoked by its triggers (resource policy)' },
];

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function placeText(p: PlaceRef): string {
  if (!p.file) return p.note ?? '';
  return `${p.file}:${p.line}:${p.column}${p.note ? ` (${p.note})` : ''}`;
}

type CellStatus = 'missing' | 'unknown' | 'allowed' | 'none';

/** A cell's overall status: missing beats unknown beats allowed; nothing evaluated is "none". */
export function cellStatus(cells: readonly NeedCell[]): CellStatus {
  if (cells.some((c) => c.status === 'missing')) return 'missing';
  if (cells.some((c) => c.status === 'unknown')) return 'unknown';
  return cells.length ? 'allowed' : 'none';
}

const MARK: Record<CellStatus, string> = {
  missing: '✗ missing',
  unknown: '? unknown',
  allowed: '✓ allowed',
  none: '–',
};

function cellDetail(c: NeedCell): string {
  const by = c.decidedBy?.length
    ? ` — ${c.status === 'missing' ? 'refused by' : 'granted by'} ${c.decidedBy.map(placeText).join('; ')}`
    : '';
  return `${c.status}: ${c.item}${c.reason ? ` (${c.reason})` : ''}${by}`;
}

function matrixCell(cells: readonly NeedCell[]): string {
  const status = cellStatus(cells);
  if (status === 'none') return '<td class="none" title="not needed">–</td>';
  const lines = cells.map(cellDetail);
  const counts =
    cells.length > 1 ? ` <small>${cells.filter((c) => c.status === status).length}/${cells.length}</small>` : '';
  const list = cells.map((c) => `<li class="${c.status}">${escapeHtml(cellDetail(c))}</li>`).join('');
  return `<td class="${status}" title="${escapeHtml(lines.join('\n'))}"><details><summary>${MARK[status]}${counts}</summary><ul>${list}</ul></details></td>`;
}

function matrix(rows: readonly NeedRow[]): string {
  if (rows.length === 0) return '<p>No functions.</p>';
  const groups = new Map<string, NeedRow[]>();
  for (const r of rows) {
    const key = r.stack;
    const list = groups.get(key) ?? [];
    list.push(r);
    groups.set(key, list);
  }
  const head = `<tr><th scope="col">Function</th>${NEED_COLUMNS.map((c) => `<th scope="col" title="${escapeHtml(c.what)}">${escapeHtml(c.title)}</th>`).join('')}</tr>`;
  const body = [...groups]
    .map(([stack, list]) => {
      const title = `<tr class="group"><th colspan="${NEED_COLUMNS.length + 1}" scope="rowgroup">${escapeHtml(stack)} <small>${escapeHtml(list[0].framework)}</small></th></tr>`;
      const trs = list.map((r) => {
        const where = `${r.file}${r.line ? `:${r.line}` : ''}`;
        const cells = NEED_COLUMNS.map((c) => matrixCell(r.cells.filter((x) => x.rule === c.rule))).join('');
        return `<tr data-function="${escapeHtml(r.function)}"><th scope="row">${escapeHtml(r.function)}<br><small>${escapeHtml(where)}</small></th>${cells}</tr>`;
      });
      return title + trs.join('');
    })
    .join('');
  return `<div class="scroll"><table class="matrix"><thead>${head}</thead><tbody>${body}</tbody></table></div>`;
}

function codeFrame(f: Finding, lines: readonly string[]): string {
  if (lines.length === 0 || f.line < 1 || f.line > lines.length) return '';
  const from = Math.max(1, f.line - 2);
  const to = Math.min(lines.length, Math.max(f.endLine, f.line) + 2, f.line + 8);
  const width = String(to).length;
  const out: string[] = [];
  for (let n = from; n <= to; n++) {
    const text = lines[n - 1] ?? '';
    const marked = n >= f.line && n <= f.endLine;
    out.push(`<span class="${marked ? 'hit' : ''}">${String(n).padStart(width)} | ${escapeHtml(text)}</span>`);
  }
  return `<pre class="frame">${out.join('\n')}</pre>`;
}

function findingsList(result: LintResult, rules: Map<string, AnyRule>, linesOf: (abs: string) => string[]): string {
  if (result.findings.length === 0) return '<p>No findings.</p>';
  return result.findings
    .map((f) => {
      const rule = rules.get(f.ruleId);
      const related = f.related?.length
        ? `<ul class="related">${f.related.map((r) => `<li>${escapeHtml(`${r.file}:${r.line}:${r.column}`)}: ${escapeHtml(r.message)}</li>`).join('')}</ul>`
        : '';
      const help = rule?.docs.fix ? `<p class="help"><b>Fix:</b> ${escapeHtml(rule.docs.fix)}</p>` : '';
      const fix = f.fix
        ? `<p class="help"><b>The statement that fixes it:</b> ${escapeHtml(f.fix.description)}${f.fix.edit ? ` (<code>${escapeHtml(`${f.fix.edit.file}:${f.fix.edit.line}`)}</code>)` : ''}</p><pre class="patch">${escapeHtml((f.fix.edit?.text ?? f.fix.snippet).replace(/^\n+|\n+$/g, ''))}</pre>`
        : '';
      return `<article class="finding ${f.severity}" data-rule="${escapeHtml(f.ruleId)}" data-severity="${f.severity}">
<h3><span class="sev">${f.severity}</span> ${escapeHtml(f.message)}</h3>
<p class="where"><code>${escapeHtml(`${f.file}:${f.line}:${f.column}`)}</code> · <code>${escapeHtml(f.ruleId)}</code>${f.function ? ` · function <code>${escapeHtml(f.function)}</code>` : ''}</p>
${codeFrame(f, linesOf(f.absoluteFile))}${help}${fix}${related}</article>`;
    })
    .join('\n');
}

function totals(result: LintResult): string {
  const bySeverity = SEVERITIES.map(
    (s) =>
      `<li class="${s}"><b>${result.findings.filter((f) => f.severity === s).length}</b> ${s === 'info' ? 'info' : `${s}s`}</li>`,
  ).join('');
  const byRule = new Map<string, number>();
  for (const f of result.findings) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
  const ruleRows = [...byRule]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([id, n]) => `<tr><td><code>${escapeHtml(id)}</code></td><td>${n}</td></tr>`)
    .join('');
  const ruleTable = ruleRows
    ? `<table class="rules"><thead><tr><th scope="col">Rule</th><th scope="col">Findings</th></tr></thead><tbody>${ruleRows}</tbody></table>`
    : '';
  return `<ul class="totals">${bySeverity}<li><b>${result.stats.functions}</b> ${result.stats.functions === 1 ? 'function' : 'functions'}</li><li><b>${result.stats.templates}</b> ${result.stats.templates === 1 ? 'template' : 'templates'}</li></ul>${ruleTable}`;
}

function notChecked(result: LintResult): string {
  const cov = result.coverage;
  if (!cov || cov.notChecked.length === 0) return '<p>Every rule could decide for every function.</p>';
  const line = coverageLine(result) ?? '';
  const items = cov.notChecked
    .map(
      (e) =>
        `<li><code>${escapeHtml(e.file)}</code>${e.function ? ` · <code>${escapeHtml(e.function)}</code>` : ''}: ${escapeHtml(e.reason)}${e.rules.length ? ` <small>(${escapeHtml(e.rules.join(', '))})</small>` : ''}</li>`,
    )
    .join('');
  return `<p>${escapeHtml(line)}</p><details><summary>Details (${cov.notChecked.length})</summary><ul>${items}</ul></details>`;
}

function filters(result: LintResult): string {
  const ruleIds = [...new Set(result.findings.map((f) => f.ruleId))].sort();
  if (ruleIds.length === 0) return '';
  return `<form class="filters" aria-label="Filter findings"><label>Rule <select id="f-rule"><option value="">all</option>${ruleIds.map((id) => `<option>${escapeHtml(id)}</option>`).join('')}</select></label>
<label>Severity <select id="f-sev"><option value="">all</option>${SEVERITIES.map((s) => `<option>${s}</option>`).join('')}</select></label> <span id="f-count"></span></form>`;
}

const CSS = `
:root{--err:#b3261e;--warn:#8a5a00;--info:#1b5fa8;--ok:#1e6b34;--unk:#5d5d5d;--line:#ddd;font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d1d1f;background:#fff}
body{margin:0 auto;max-width:1200px;padding:1rem;line-height:1.4}
h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.15rem;border-bottom:1px solid var(--line);padding-bottom:.2rem;margin-top:1.6rem}h3{font-size:1rem;margin:.2rem 0}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85rem}
.totals{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;padding:0}.totals li{border:1px solid var(--line);border-radius:6px;padding:.3rem .7rem}
.totals .error b,.sev.error,.finding.error .sev{color:var(--err)}.totals .warning b,.finding.warning .sev{color:var(--warn)}.totals .info b,.finding.info .sev{color:var(--info)}
table{border-collapse:collapse}th,td{border:1px solid var(--line);padding:.3rem .45rem;text-align:left;vertical-align:top}
.scroll{overflow-x:auto;max-width:100%}.matrix th[scope=row]{white-space:nowrap}.matrix small{color:#666}
.matrix tr.group th{background:#f3f3f5}
td.allowed{background:#e8f4ea;color:var(--ok)}td.missing{background:#fbe9e7;color:var(--err);font-weight:600}td.unknown{background:#f1f1f1;color:var(--unk)}td.none{color:#aaa;text-align:center}
td details summary{cursor:pointer;white-space:nowrap}td ul{margin:.3rem 0 0;padding-left:1rem;font-weight:400;color:#1d1d1f;min-width:16rem}
li.missing{color:var(--err)}li.unknown{color:var(--unk)}li.allowed{color:var(--ok)}
.finding{border:1px solid var(--line);border-left:4px solid var(--info);border-radius:4px;padding:.5rem .8rem;margin:.7rem 0;overflow-wrap:anywhere}
.finding.error{border-left-color:var(--err)}.finding.warning{border-left-color:var(--warn)}
.sev{text-transform:uppercase;font-size:.75rem;font-weight:700;margin-right:.3rem}
.where{margin:.2rem 0;color:#444;overflow-wrap:anywhere}
.frame{background:#f6f8fa;padding:.5rem;overflow-x:auto;border-radius:4px}.frame .hit{background:#fff2b3;display:inline-block;min-width:100%}
.help{margin:.3rem 0}.patch{background:#eef7ee;padding:.5rem;overflow-x:auto;border-radius:4px}.related{margin:.2rem 0;font-size:.9rem}
.filters{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;margin:.5rem 0}
footer{margin-top:2rem;color:#666;font-size:.85rem}
@media (max-width:600px){body{padding:.5rem}.matrix th,.matrix td{padding:.2rem .3rem;font-size:.85rem}}
@media print{.filters{display:none}.finding{break-inside:avoid}.finding[hidden]{display:block}.scroll{overflow:visible}details>summary{list-style:none}details:not([open])>ul{display:block}body{max-width:none}}
`;

// Filters the findings list; open every <details> before printing so the paper shows all.
const SCRIPT = `
(function(){var r=document.getElementById('f-rule'),s=document.getElementById('f-sev'),c=document.getElementById('f-count');
function apply(){var n=0,all=document.querySelectorAll('article.finding');all.forEach(function(a){var ok=(!r.value||a.dataset.rule===r.value)&&(!s.value||a.dataset.severity===s.value);a.hidden=!ok;if(ok)n++;});c.textContent=n+' of '+all.length+' shown';}
if(r&&s){r.addEventListener('change',apply);s.addEventListener('change',apply);apply();}
window.addEventListener('beforeprint',function(){document.querySelectorAll('details').forEach(function(d){d.open=true;});});})();
`;

export function formatHtml(result: LintResult, options: HtmlOptions): string {
  const read = options.readFile ?? readFileOrUndefined;
  const cache = new Map<string, string[]>();
  const linesOf = (abs: string): string[] => {
    let lines = cache.get(abs);
    if (!lines) {
      const text = read(abs);
      lines = text === undefined ? [] : text.replace(/^\ufeff/, '').split(/\r\n|\r|\n/);
      cache.set(abs, lines);
    }
    return lines;
  };
  const rules = new Map<string, AnyRule>([[PARSE_ERROR_RULE.id, PARSE_ERROR_RULE]]);
  for (const r of result.rules) rules.set(r.id, r);
  const count = result.findings.length;
  const title = `lambdalint report: ${plural(count, 'finding')}`;
  const needs = result.needs
    ? `<h2 id="matrix">What each function needs</h2>
<p>Rows are functions by stack; columns are what each needs a permission for. Each cell is allowed, missing or unknown; open it (or hover) for every requirement, the reason, and the statement or framework default that grants it.</p>
${matrix(result.needs)}`
    : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>lambdalint report</h1><p>${escapeHtml(plural(result.stats.functions, 'function'))} in ${escapeHtml(plural(result.stats.templates, 'template'))}; ${escapeHtml(plural(count, 'finding'))}.</p></header>
<main>
<h2 id="totals">Totals</h2>
${totals(result)}
<h2 id="not-checked">Not checked</h2>
${notChecked(result)}
${needs}
<h2 id="findings">Findings</h2>
${filters(result)}
${findingsList(result, rules, linesOf)}
</main>
<footer>lambdalint ${escapeHtml(options.version)}</footer>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
