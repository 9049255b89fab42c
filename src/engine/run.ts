// Runs rules over the model and turns what they report into findings with exact locations.
// A rule that throws becomes a tool error; the other rules still run.
import { withDefaults } from './options.js';
import path from 'node:path';
import { digest } from '../source/builtins.js';
import type { LambdaFunction, Model, Origin, SourceRange, Val } from '../model/types.js';
import { notChecked, type NeedOutcome } from '../model/coverage.js';
import { linkModel } from '../model/link.js';
import type { Anchor, AnyRule, Finding, FindingFix, RelatedFinding, ReportDescriptor, Severity } from './types.js';
import { linkPolicies, type Grant } from '../iam/check.js';

export interface RunOptions {
  cwd: string;
  today: Date;
  /** Severity per rule id as configured; `off` disables it. */
  severities: Record<string, Severity | 'off'>;
  ruleOptions: Record<string, Record<string, unknown>>;
  /**
   * Where to report a finding whose place is in code the user does not edit (a downloaded
   * Terraform module): another place, and the message that keeps the original one as related.
   */
  relocate?: (
    fn: LambdaFunction,
    range: SourceRange,
    given?: SourceRange,
  ) => { range: SourceRange; message: string } | undefined;
  /** Writes the fix of a permission finding (src/fix/); `label` tells fixes of one role apart. */
  fix?: (fn: LambdaFunction, grant: Grant, label: string) => FindingFix | undefined;
  /** Given when the run collects what each function needs: every requirement a rule evaluates. */
  record?: (ruleId: string, fn: LambdaFunction, outcome: NeedOutcome) => void;
}

function originOf(anchor: Anchor): Origin {
  return 'origin' in anchor && typeof (anchor as Val<unknown>).origin === 'object'
    ? (anchor as Val<unknown>).origin
    : (anchor as Origin);
}

export function relPath(cwd: string, abs: string): string {
  return path.relative(cwd, abs).split(path.sep).join('/') || path.basename(abs);
}

function interpolate(template: string, data: Record<string, string | number> | undefined): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (whole, name: string) =>
    data && name in data ? String(data[name]) : whole,
  );
}

function fingerprint(parts: (string | undefined)[]): string {
  return digest('sha256', parts.map((p) => p ?? '').join('\u0000'), 'hex').slice(0, 16);
}

/**
 * `finding` with its fingerprint (a hash of `parts`), computed when first read: only SARIF reads
 * it, and hashing loads node:crypto, which other runs need not pay for.
 */
export function withFingerprint(finding: Omit<Finding, 'fingerprint'>, parts: (string | undefined)[]): Finding {
  let value: string | undefined;
  Object.defineProperty(finding, 'fingerprint', {
    enumerable: true,
    configurable: true,
    get: () => (value ??= fingerprint(parts)),
    set: (v: string) => {
      value = v;
    },
  });
  return finding as Finding;
}

/** A copy of `f` with `extra` over it that keeps the fingerprint unhashed until read (a spread reads it). */
export function copyFinding<E extends object>(f: Finding, extra: E): Finding & E {
  return Object.assign(Object.defineProperties({}, Object.getOwnPropertyDescriptors(f)) as Finding, extra);
}

function location(cwd: string, range: SourceRange) {
  return {
    file: relPath(cwd, range.file),
    absoluteFile: range.file,
    line: range.start.line,
    column: range.start.column,
    endLine: range.end.line,
    endColumn: range.end.column,
  };
}

export function runRules(
  model: Model,
  rules: readonly AnyRule[],
  options: RunOptions,
): { findings: Finding[]; toolErrors: string[] } {
  // Rules follow object references (src/model/link.ts): set them once, after every loader and analysis
  // stage; then each role a function runs as gets its effective policy set (src/iam/check.ts).
  linkModel(model);
  linkPolicies(model);
  const findings: Finding[] = [];
  const toolErrors: string[] = [];
  const fixCount = new Map<Grant['role'], number>();
  for (const rule of rules) {
    const configured = options.severities[rule.id];
    if (configured === 'off') continue;
    const report = (d: ReportDescriptor<Record<string, string>>): void => {
      const origin = originOf(d.at);
      const range = origin.range ?? d.fn.origin.range;
      if (!range) return; // nothing to point at: never invent a location
      const template = rule.messages[d.messageId];
      const message = interpolate(template, d.data as Record<string, string | number> | undefined);
      const related: RelatedFinding[] = [];
      // A related value inherited from SAM Globals or Serverless provider settings says so, the
      // same way in every rule (README "Values inherited from Globals").
      const addRelated = (at: Anchor, msg: string): void => {
        const o = originOf(at);
        if (!o.range) return;
        const from = o.via === 'globals' ? 'Globals' : o.via === 'provider' ? 'provider' : undefined;
        related.push({
          ...location(options.cwd, o.range),
          message: from && !msg.includes('inherit') ? `${msg} (inherited from ${from})` : msg,
        });
      };
      if (origin.also) related.push({ ...location(options.cwd, origin.also.range), message: origin.also.message });
      if (origin.via === 'globals' || origin.via === 'provider') {
        if (d.fn.origin.range && d.fn.origin.range !== range) addRelated(d.fn.origin, `inherited by ${d.fn.id}`);
      }
      for (const rel of d.related ?? []) addRelated(rel.at, rel.message);
      // Role settings the framework does not apply (RoleRef.ignored): said where they are written,
      // beside the role the function runs as instead.
      const { role, ignored } = d.fn.role;
      if (ignored && role && d.related?.some((r) => r.at === role.origin)) addRelated(ignored.origin, ignored.message);
      // `given`: where the value was handed in (a module input), the better place when it is the user's.
      const moved = options.relocate?.(d.fn, range, origin.also?.range);
      if (moved) {
        const at = location(options.cwd, moved.range);
        const same = related.findIndex((r) => r.file === at.file && r.line === at.line && r.column === at.column);
        if (same >= 0) related.splice(same, 1);
        related.unshift({ ...location(options.cwd, range), message: moved.message });
      }
      const loc = location(options.cwd, moved ? moved.range : range);
      const finding = withFingerprint(
        {
          ruleId: rule.id,
          severity: configured ?? d.severity ?? rule.severity,
          message,
          messageId: d.messageId,
          ...loc,
          function: d.fn.id,
        },
        [rule.id, loc.file, d.fn.id, d.resource, d.messageId, message],
      );
      if (d.resource !== undefined && d.resource !== d.fn.id) finding.resource = d.resource;
      if (related.length) finding.related = related;
      if (d.grant && d.grant.requests.length && options.fix) {
        const n = (fixCount.get(d.grant.role) ?? 0) + 1;
        fixCount.set(d.grant.role, n);
        const fix = options.fix(
          d.fn,
          d.grant,
          `${rule.id.replace(/-permission$/, '').replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase())}${n}`,
        );
        if (fix) finding.fix = fix;
      }
      findings.push(finding);
    };
    try {
      const skip = (fn: LambdaFunction, reason: string): void =>
        notChecked(model, { fn: fn.id, file: fn.deployment.file, rules: [rule.id], reason });
      const collect = options.record;
      const record = collect
        ? (fn: LambdaFunction, outcome: NeedOutcome): void => collect(rule.id, fn, outcome)
        : undefined;
      rule.check({
        model,
        today: options.today,
        options: withDefaults(rule.options, options.ruleOptions[rule.id]),
        report,
        skip,
        ...(record ? { record } : {}),
      });
    } catch (e) {
      toolErrors.push(`rule ${rule.id} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return { findings, toolErrors };
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}

/**
 * One finding for a value many functions inherit (SAM `Globals`, a Serverless `provider` setting):
 * the rule reports it once per function at the same place with the same message; the user fixes it
 * once. The first function stays `function`; every inheriting function is listed as related.
 */
export function mergeInherited(findings: Finding[]): Finding[] {
  const out: Finding[] = [];
  const first = new Map<string, Finding>();
  for (const f of findings) {
    if (!f.related?.some((r) => r.message.startsWith('inherited by '))) {
      out.push(f);
      continue;
    }
    const k = [
      f.ruleId,
      f.severity,
      f.absoluteFile,
      f.line,
      f.column,
      f.endLine,
      f.endColumn,
      f.message,
      f.messageId ?? '',
      f.resource ?? '',
    ].join('\u0000');
    const kept = first.get(k);
    if (!kept) {
      const copy = copyFinding(f, { related: [...f.related] });
      first.set(k, copy);
      out.push(copy);
      continue;
    }
    for (const r of f.related) {
      if (
        !kept.related!.some(
          (x) => x.file === r.file && x.line === r.line && x.column === r.column && x.message === r.message,
        )
      )
        kept.related!.push(r);
    }
  }
  return out;
}

/** Drops exact repeats (the same rule, place and message reported twice). */
export function dedupeFindings(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.ruleId}\u0000${f.file}\u0000${f.line}\u0000${f.column}\u0000${f.message}\u0000${f.function ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
