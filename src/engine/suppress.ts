// Suppressions, applied once in lint() so every front end agrees:
// - comments `# lambdalint-disable-next-line <id>[, <id>] -- <reason>` (YAML, HCL, Python) and the
//   same with `//` (code); ESLint's spelling `eslint-disable-next-line lambdalint/<id> -- <reason>`;
// - CloudFormation resource Metadata `{ lambdalint: { ignore: [{ rule, reason }] } }` (JSON
//   templates and CDK output, which have no comments);
// - a baseline: counts per file per rule, the shape of ESLint's eslint-suppressions.json.
// A suppression without a reason suppresses nothing and is reported; so is one that matched nothing.
import { get, parseSource, type ParseResult, type TNode } from '../source/parse.js';
import { copyFinding, relPath, withFingerprint } from './run.js';
import { defineRule, type Finding, type Suppression } from './types.js';
import type { Baseline } from './baseline.js';

/** Not a rule of the catalog: the id under which suppression problems are reported. */
export const SUPPRESSION_RULE = defineRule({
  id: 'suppression',
  severity: 'warning',
  category: 'internal',
  frameworks: [],
  docs: {
    summary: 'Every suppression names a rule, gives a reason and still suppresses something.',
    why: 'A suppression without a reason cannot be reviewed, and one that no longer matches a finding hides the next real problem on that line.',
    fix: 'Write the reason after ` -- `, fix the rule id, or delete the suppression that matches nothing.',
  },
  messages: {
    noReason: 'Suppression of {{rule}} gives no reason after " -- ", so it suppresses nothing.',
    unused: 'Suppression of {{rule}} matches no finding.',
    unknownRule: 'Suppression names {{rule}}, which is not a lambdalint rule.',
  },
  check() {},
});

const DIRECTIVE = /^\s*(?:#|\/\/)\s*(lambdalint-disable-next-line|eslint-disable-next-line)(?=\s|$)(.*)$/;

interface Directive {
  kind: 'directive' | 'metadata';
  file: string;
  /** Where the directive is written (reported when unused or without reason). */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  reason: string;
  /** Comments: the line it covers. Metadata: the logical id and the lines of the resource. */
  targetLine?: number;
  logicalId?: string;
  lines?: [number, number];
  used: boolean;
  /** ESLint's spelling under the ESLint plugin: ESLint applies it; lambdalint only checks its reason. */
  checkOnly?: boolean;
}

export interface SuppressOptions {
  cwd: string;
  /** Reads a file's text; undefined when it cannot be read. */
  readText(file: string): string | undefined;
  /** Files to read directives from besides those with findings (the templates loaded). */
  files?: readonly string[];
  /** The parse the run already made of a file, so templates are not parsed a second time. */
  parsed?(file: string): ParseResult | undefined;
  /** Ids of every rule (to report unknown ids) and of the enabled ones (to report unused ones). */
  knownRules: readonly string[];
  enabledRules: readonly string[];
  /**
   * Whether to honour `eslint-disable-next-line lambdalint/<id>` here. The ESLint plugin says
   * 'reason-only': ESLint applies its own directives and reports the unused ones, and lambdalint
   * reports those without a reason, as the CLI does.
   */
  eslintDirectives?: boolean | 'reason-only';
  baseline?: Baseline;
}

export interface SuppressResult {
  findings: Finding[];
  suppressed: Finding[];
  /** Findings of the `suppression` rule: no reason, unused, unknown rule. */
  problems: Finding[];
  /** For verbose output: baseline entries that now cover more findings than there are. */
  notes: string[];
}

function commentDirectives(file: string, text: string, eslintToo: boolean | 'reason-only'): Directive[] {
  const out: Directive[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = DIRECTIVE.exec(lines[i]);
    if (!m) continue;
    const eslintSpelling = m[1] === 'eslint-disable-next-line';
    if (eslintSpelling && !eslintToo) continue;
    const sep = m[2].indexOf(' --');
    const idsPart = sep >= 0 ? m[2].slice(0, sep) : m[2];
    const reason = sep >= 0 ? m[2].slice(sep + 3).trim() : '';
    // The line it covers: the next one that is not itself a directive, so directives can stack.
    let target = i + 1;
    while (target < lines.length && DIRECTIVE.test(lines[target])) target++;
    const col = lines[i].search(/\S/) + 1;
    for (const raw of idsPart.split(/[\s,]+/).filter(Boolean)) {
      let rule = raw;
      if (eslintSpelling) {
        if (!raw.startsWith('lambdalint/')) continue; // another plugin's rule: ESLint's business
        rule = raw.slice('lambdalint/'.length);
      } else if (raw.startsWith('lambdalint/')) rule = raw.slice('lambdalint/'.length);
      out.push({
        kind: 'directive',
        file,
        line: i + 1,
        column: col,
        endLine: i + 1,
        endColumn: lines[i].length + 1,
        rule,
        reason,
        targetLine: target + 1,
        used: false,
        ...(eslintSpelling && eslintToo === 'reason-only' ? { checkOnly: true } : {}),
      });
    }
  }
  return out;
}

function metadataDirectives(file: string, text: string, known?: ParseResult): Directive[] {
  const parsed = known ?? parseSource(file, text);
  if (!parsed.ok) return [];
  const resources = get(parsed.root, 'Resources');
  const out: Directive[] = [];
  const pos = (_n: TNode, offset: number) => parsed.file.position(offset);
  for (const e of resources?.entries ?? []) {
    const ignore = get(get(get(e.value, 'Metadata'), 'lambdalint'), 'ignore');
    if (!ignore || ignore.kind !== 'seq') continue;
    const first = pos(e.value, e.keyStart).line;
    const last = pos(e.value, e.value.end).line;
    for (const item of ignore.items ?? []) {
      const rule = get(item, 'rule')?.value;
      const reason = get(item, 'reason')?.value;
      const s = pos(item, item.start);
      const en = pos(item, item.end);
      out.push({
        kind: 'metadata',
        file,
        line: s.line,
        column: s.column,
        endLine: en.line,
        endColumn: en.column,
        rule: typeof rule === 'string' ? rule : String(rule ?? ''),
        reason: typeof reason === 'string' ? reason.trim() : '',
        logicalId: e.key,
        lines: [first, last],
        used: false,
      });
    }
  }
  return out;
}

function covers(d: Directive, f: Finding): boolean {
  if (d.rule !== f.ruleId || d.file !== f.absoluteFile || !d.reason || d.checkOnly) return false;
  if (d.kind === 'directive') return f.line === d.targetLine;
  return f.function === d.logicalId || f.resource === d.logicalId || (f.line >= d.lines![0] && f.line <= d.lines![1]);
}

export function applySuppressions(findings: readonly Finding[], options: SuppressOptions): SuppressResult {
  const files = new Set<string>([...(options.files ?? []), ...findings.map((f) => f.absoluteFile)]);
  const directives: Directive[] = [];
  for (const file of [...files].sort()) {
    const text = options.readText(file);
    if (text === undefined) continue;
    if (
      text.includes('lambdalint-disable-next-line') ||
      (text.includes('eslint-disable-next-line') && text.includes('lambdalint/'))
    ) {
      directives.push(...commentDirectives(file, text, options.eslintDirectives ?? true));
    }
    if (/\.(json|ya?ml)$/i.test(file) && text.includes('lambdalint') && text.includes('Metadata'))
      directives.push(...metadataDirectives(file, text, options.parsed?.(file)));
  }
  const kept: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const f of findings) {
    const by = directives.filter((d) => covers(d, f));
    if (by.length === 0) {
      kept.push(f);
      continue;
    }
    for (const d of by) d.used = true;
    suppressed.push(
      copyFinding(f, { suppressions: by.map((d): Suppression => ({ kind: d.kind, justification: d.reason })) }),
    );
  }
  // Baseline last: it absorbs only what inline suppressions left, up to the recorded count.
  const findingsOut: Finding[] = [];
  const notes: string[] = [];
  if (options.baseline) {
    const left = new Map<string, number>();
    for (const [file, byRule] of Object.entries(options.baseline)) {
      for (const [rule, { count }] of Object.entries(byRule)) left.set(`${file}\u0000${rule}`, count);
    }
    for (const f of kept) {
      const k = `${f.file}\u0000${f.ruleId}`;
      const n = left.get(k) ?? 0;
      if (n > 0) {
        left.set(k, n - 1);
        suppressed.push(copyFinding(f, { suppressions: [{ kind: 'baseline', justification: 'in the baseline' }] }));
      } else findingsOut.push(f);
    }
    for (const [k, n] of left) {
      const [file, rule] = k.split('\u0000');
      if (n > 0)
        notes.push(
          `${file}: the baseline allows ${n} more ${rule} finding${n === 1 ? '' : 's'} than there are; --baseline-create records the new count`,
        );
    }
  } else findingsOut.push(...kept);

  const problems: Finding[] = [];
  for (const d of directives) {
    let messageId: 'noReason' | 'unused' | 'unknownRule' | undefined;
    if (!options.knownRules.includes(d.rule)) messageId = 'unknownRule';
    else if (!d.reason) messageId = 'noReason';
    else if (!d.used && !d.checkOnly && options.enabledRules.includes(d.rule)) messageId = 'unused';
    if (!messageId) continue;
    const message = SUPPRESSION_RULE.messages[messageId].replace('{{rule}}', d.rule || '(no rule)');
    const file = relPath(options.cwd, d.file);
    problems.push(
      withFingerprint(
        {
          ruleId: SUPPRESSION_RULE.id,
          severity: 'warning',
          message,
          messageId,
          file,
          absoluteFile: d.file,
          line: d.line,
          column: d.column,
          endLine: d.endLine,
          endColumn: d.endColumn,
          ...(d.logicalId ? { resource: d.logicalId } : {}),
        },
        [SUPPRESSION_RULE.id, file, d.logicalId, messageId, d.rule],
      ),
    );
  }
  return { findings: findingsOut, suppressed, problems, notes };
}

/** The baseline for a set of findings: how many of each rule each file has. */
export function createBaseline(findings: readonly Finding[]): Baseline {
  const out: Baseline = {};
  for (const f of [...findings].sort((a, b) =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : a.ruleId.localeCompare(b.ruleId),
  )) {
    if (f.ruleId === SUPPRESSION_RULE.id || f.ruleId === 'parse-error') continue;
    const byRule = (out[f.file] ??= {});
    (byRule[f.ruleId] ??= { count: 0 }).count++;
  }
  return out;
}
