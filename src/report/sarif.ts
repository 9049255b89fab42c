// `--format sarif`: SARIF 2.1.0 shaped for GitHub code scanning (docs/CONVENTIONS.md section 2).
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Location, Log, Notification, ReportingDescriptor, Result } from 'sarif';
import type { AnyRule, Finding, FindingLocation, Severity } from '../engine/types.js';
import type { LintResult } from '../engine/result.js';
import { PARSE_ERROR_RULE } from '../engine/parse-error.js';

export interface SarifOptions {
  /** Tool version, as semanticVersion. */
  version: string;
  /** Rule docs live at `helpUriBase + id`; without it no helpUri is written. */
  helpUriBase?: string;
  /** Where to read about the tool; defaults to the npm package page. */
  informationUri?: string;
  /**
   * The code scanning category (`runAutomationDetails.id` is the category and a slash). Default
   * `lambdalint`; each shard of a --shard run has its own, so that GitHub keeps the shards'
   * analyses apart. github/codeql-action's upload-sarif writes its `category` input only into runs
   * that have no automationDetails (src/upload-lib.ts, populateRunAutomationDetails), so this id is
   * the one code scanning sees. Format: https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning#runautomationdetails-object
   */
  category?: string;
}

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const DEFAULT_INFORMATION_URI = 'https://www.npmjs.com/package/lambdalint';
const SRCROOT = '%SRCROOT%';

const LEVEL: Record<Severity, Result.level> = { error: 'error', warning: 'warning', info: 'note' };
// GitHub's `problem.severity` vocabulary has no "info"; "recommendation" is its lowest level.
const PROBLEM_SEVERITY: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'recommendation' };

// ---------------------------------------------------------------------------------------------
// primaryLocationLineHash, byte-compatible with github/codeql-action (src/fingerprints.ts).
// upload-sarif keeps a value we send and only warns when its own differs, so ours must match.
//
// Each line's hash is a polynomial rolling hash (base 37, 64-bit wrap-around) over a window of
// the 100 characters that start at the line's first non-blank character, where blanks (space,
// tab) are dropped everywhere, CR LF / CR / LF all count as one LF, the end of the input is one
// 0xFFFF code unit and the window is padded with zeros past it. Equal hashes in one file are
// told apart by a 1-based occurrence counter: `<hex>:<n>`. The hex is not zero-padded.
// ---------------------------------------------------------------------------------------------

const WINDOW = 100;
const BASE = 37n;
const U64 = (1n << 64n) - 1n;
// BASE^WINDOW: the weight of the code unit that falls out of the window.
const OUTGOING_WEIGHT = (() => {
  let w = 1n;
  for (let i = 0; i < WINDOW; i++) w = (w * BASE) & U64;
  return w;
})();
// Most input is ASCII; reusing those BigInts saves an allocation per character.
const SMALL = Array.from({ length: 128 }, (_, i) => BigInt(i));
const big = (n: number): bigint => (n < 128 ? SMALL[n] : BigInt(n));

/** The primaryLocationLineHash of every line of `text`; index 0 is line 1. */
export function lineHashes(text: string): string[] {
  const units = new Array<number>(WINDOW).fill(0);
  // Line number whose first character sits in that slot of the window, 0 when none.
  const lineAt = new Array<number>(WINDOW).fill(0);
  const occurrences = new Map<string, number>();
  const hashes: string[] = [];
  let hash = 0n;
  let slot = 0;
  let line = 0;
  let startOfLine = true;
  let afterCr = false;

  const emit = (): void => {
    const hex = hash.toString(16);
    const n = (occurrences.get(hex) ?? 0) + 1;
    occurrences.set(hex, n);
    hashes[lineAt[slot] - 1] = `${hex}:${n}`;
    lineAt[slot] = 0;
  };
  const push = (unit: number): void => {
    hash = (hash * BASE + big(unit) - OUTGOING_WEIGHT * big(units[slot])) & U64;
    units[slot] = unit;
    slot = (slot + 1) % WINDOW;
  };

  for (let i = 0; i <= text.length; i++) {
    let unit = i === text.length ? 0xffff : text.charCodeAt(i);
    if (unit === 0x20 || unit === 0x09 || (afterCr && unit === 0x0a)) {
      afterCr = false;
      continue;
    }
    afterCr = unit === 0x0d;
    if (afterCr) unit = 0x0a;
    // The slot about to be overwritten holds a line start 100 units back: its window is complete.
    if (lineAt[slot] !== 0) emit();
    if (startOfLine) {
      startOfLine = false;
      line++;
      lineAt[slot] = line;
    }
    if (unit === 0x0a) startOfLine = true;
    push(unit);
  }
  for (let i = 0; i < WINDOW; i++) {
    if (lineAt[slot] !== 0) emit();
    push(0);
  }
  return hashes;
}

// ---------------------------------------------------------------------------------------------

function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

// `new URL` without a base accepts absolute URLs only; its href is the normalised, valid form.
function absoluteUri(s: string): string | undefined {
  try {
    return new URL(s).href;
  } catch {
    return undefined;
  }
}

function descriptor(rule: AnyRule, helpUriBase: string | undefined): ReportingDescriptor {
  // parse-error is not a rule of the catalog and has no docs page of its own.
  const documented = helpUriBase !== undefined && rule.id !== PARSE_ERROR_RULE.id;
  const helpUri = documented ? absoluteUri(helpUriBase + rule.id) : undefined;
  const markdown = [`**${rule.docs.summary}**`, rule.docs.why, `**How to fix:** ${rule.docs.fix}`];
  if (helpUri) markdown.push(`[Rule documentation](${helpUri})`);
  const d: ReportingDescriptor = {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.docs.summary },
    fullDescription: { text: rule.docs.why },
    help: { text: rule.docs.fix, markdown: markdown.join('\n\n') },
  };
  if (helpUri) d.helpUri = helpUri;
  d.defaultConfiguration = { level: LEVEL[rule.severity] };
  d.properties = {
    tags: [rule.category, 'aws-lambda'],
    precision: 'high',
    'problem.severity': PROBLEM_SEVERITY[rule.severity],
  };
  return d;
}

// A finding whose rule is not among the run's rules still needs a descriptor, or its ruleIndex
// would point nowhere and GitHub would have no description to show.
function fallbackDescriptor(id: string): ReportingDescriptor {
  return {
    id,
    name: pascalCase(id),
    shortDescription: { text: `Findings of the lambdalint check ${id}.` },
    fullDescription: { text: `lambdalint reported this finding under ${id}, which is not a rule of this run.` },
    help: { text: 'See the finding message.' },
    properties: { tags: ['aws-lambda'], precision: 'high' },
  };
}

function buildRules(result: LintResult, helpUriBase: string | undefined): ReportingDescriptor[] {
  const byId = new Map<string, ReportingDescriptor>();
  for (const rule of result.rules) if (!byId.has(rule.id)) byId.set(rule.id, descriptor(rule, helpUriBase));
  for (const f of result.findings) {
    if (byId.has(f.ruleId)) continue;
    byId.set(
      f.ruleId,
      f.ruleId === PARSE_ERROR_RULE.id ? descriptor(PARSE_ERROR_RULE, undefined) : fallbackDescriptor(f.ruleId),
    );
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** `file` is relative and `/`-separated; each segment is percent-encoded so the URI is valid. */
function fileUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

// The schema wants every line and column >= 1; a location that says less is clamped, not dropped.
function region(l: FindingLocation): { startLine: number; startColumn: number; endLine: number; endColumn: number } {
  const startLine = Math.max(1, l.line);
  const startColumn = Math.max(1, l.column);
  const endLine = Math.max(startLine, l.endLine);
  const endColumn = Math.max(1, endLine === startLine ? Math.max(startColumn, l.endColumn) : l.endColumn);
  return { startLine, startColumn, endLine, endColumn };
}

function physical(l: FindingLocation): Location['physicalLocation'] {
  return { artifactLocation: { uri: fileUri(l.file), uriBaseId: SRCROOT }, region: region(l) };
}

function dirUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : `${href}/`;
}

function toSarifLog(result: LintResult, options: SarifOptions): Log {
  const rules = buildRules(result, options.helpUriBase);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));

  // Each file is read and hashed once, however many findings point into it.
  const hashCache = new Map<string, string[] | undefined>();
  const hashesOf = (abs: string): string[] | undefined => {
    if (!hashCache.has(abs)) {
      let hashes: string[] | undefined;
      try {
        hashes = lineHashes(fs.readFileSync(abs, 'utf8'));
      } catch {
        hashes = undefined; // unreadable: leave the hash to upload-sarif
      }
      hashCache.set(abs, hashes);
    }
    return hashCache.get(abs);
  };

  const results: Result[] = result.findings.map((f: Finding) => {
    const r: Result = {
      ruleId: f.ruleId,
      ruleIndex: ruleIndex.get(f.ruleId),
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [{ physicalLocation: physical(f) }],
    };
    if (f.related && f.related.length > 0) {
      r.relatedLocations = f.related.map((rel, i) => ({
        id: i + 1,
        physicalLocation: physical(rel),
        message: { text: rel.message },
      }));
    }
    // The fix as an insertion: an empty deleted region at the insertion point (SARIF §3.57.3).
    const edit = f.fix?.edit;
    if (edit) {
      r.fixes = [
        {
          description: { text: f.fix!.description },
          artifactChanges: [
            {
              artifactLocation: { uri: fileUri(edit.file), uriBaseId: SRCROOT },
              replacements: [
                {
                  deletedRegion: {
                    startLine: edit.line,
                    startColumn: edit.column,
                    endLine: edit.line,
                    endColumn: edit.column,
                  },
                  insertedContent: { text: edit.text },
                },
              ],
            },
          ],
        },
      ];
    }
    const fingerprints: Record<string, string> = {};
    const lineHash = hashesOf(f.absoluteFile)?.[region(f).startLine - 1];
    if (lineHash !== undefined) fingerprints.primaryLocationLineHash = lineHash;
    if (f.fingerprint) fingerprints['lambdalint/v1'] = f.fingerprint;
    if (Object.keys(fingerprints).length > 0) r.partialFingerprints = fingerprints;
    return r;
  });

  const root = dirUri(result.cwd);
  const notifications: Notification[] = result.toolErrors.map((text) => ({ level: 'error', message: { text } }));
  // What could not be checked (docs/RULES.md `coverage`): one note per entry, at the declaring file.
  for (const e of result.coverage?.notChecked ?? []) {
    const n: Notification = {
      level: 'note',
      message: {
        text: `${e.function ? `${e.function}: ` : ''}not checked (${e.rules.length > 0 ? e.rules.join(', ') : 'all rules'}): ${e.reason}`,
      },
      locations: [{ physicalLocation: { artifactLocation: { uri: fileUri(e.file), uriBaseId: SRCROOT } } }],
    };
    if (e.function !== undefined) n.properties = { function: e.function, rules: e.rules, reason: e.reason };
    else n.properties = { rules: e.rules, reason: e.reason };
    notifications.push(n);
  }
  return {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'lambdalint',
            semanticVersion: options.version,
            informationUri: options.informationUri ?? DEFAULT_INFORMATION_URI,
            rules,
          },
        },
        automationDetails: { id: `${options.category ?? 'lambdalint'}/` },
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds: { [SRCROOT]: { uri: root } },
        invocations: [
          {
            executionSuccessful: result.toolErrors.length === 0,
            workingDirectory: { uri: root },
            ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
          },
        ],
        results,
      },
    ],
  };
}

export function formatSarif(result: LintResult, options: SarifOptions): string {
  return `${JSON.stringify(toSarifLog(result, options), null, 2)}\n`;
}
