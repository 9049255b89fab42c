// The ESLint plugin: `import lambdalint from 'lambdalint/eslint-plugin'`. An adapter over lint():
// each lambdalint rule becomes an ESLint rule that reports, on the file being linted, the findings
// lint() places in that file — template findings on templates (through the `lambdalint/iac`
// language for YAML and JSON), code findings on handlers. Nothing is checked twice.
//
// - The file's text is ESLint's (`context.sourceCode.text`): an unsaved handler is linted against
//   the templates on disk, an unsaved template against the handlers on disk.
// - lint() runs once per file per lint pass, whatever the number of rules: the first rule to run
//   on a SourceCode asks sync.ts (a cache keyed by project, file and text), the others reuse it.
//   It runs on a worker thread beside ESLint: asked when ESLint reaches the file's Program node and
//   waited for at Program:exit, or, when the same file was linted before (an editor re-linting a
//   buffer), asked by the `lambdalint/handler` processor before ESLint even parses the text. The
//   worker parses the text itself with the CLI's parser, so the findings are the CLI's.
// - The project's lambdalint config applies as in the CLI: a rule `off` there reports nothing, and
//   configs.recommended sets each rule's ESLint level from the config's severity.
// - `eslint-disable-next-line lambdalint/<id>` is ESLint's own directive; one without a reason
//   (` -- why`) still hides the finding in ESLint but is reported as `lambdalint/suppression`, so
//   the file keeps failing, as the CLI fails on it.
import yml from 'eslint-plugin-yml';
import { rules as catalog } from '../../rules/index.js';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SUPPRESSION_RULE } from '../engine/suppress.js';
import type { AnyRule } from '../engine/types.js';
import type { Finding } from '../engine/types.js';
import { configuredSeverities, requestFindings, type FileOptions } from './sync.js';

/** Template and Serverless files the IaC language parses (JSON is YAML 1.2). */
export const IAC_FILES = [
  '**/template.{yaml,yml,json}',
  '**/*.template.{yaml,yml,json}',
  '**/serverless.{yml,yaml}',
  '**/cdk.out/*.template.json',
];
/** Handler code. TypeScript needs the project's own parser (typescript-eslint). */
export const CODE_FILES = ['**/*.{ts,tsx,mts,cts,js,mjs,cjs}'];

/** The part of ESLint's rule fixer the suggestions use. */
interface EslintFixer {
  insertTextBeforeRange(range: [number, number], text: string): unknown;
}

interface EslintContext {
  cwd?: string;
  getCwd?: () => string;
  filename?: string;
  physicalFilename?: string;
  getPhysicalFilename?: () => string;
  settings?: { lambdalint?: { today?: string; stage?: string } };
  sourceCode?: { text: string };
  getSourceCode?: () => { text: string };
  report(descriptor: {
    message: string;
    loc: { start: { line: number; column: number }; end: { line: number; column: number } };
    suggest?: { desc: string; fix: (fixer: EslintFixer) => unknown }[];
  }): void;
}

/**
 * One lint per file per lint pass: ESLint gives every rule the same SourceCode object. The first
 * rule to see the file's Program asks the worker, which lints while ESLint traverses the file; the
 * rules report at Program:exit, the first one waiting for the answer if it has not come yet.
 */
const perPass = new WeakMap<object, () => Finding[]>();

/** The options of each file's last lint pass: the processor starts the next pass with them. */
const lastOptions = new Map<string, FileOptions>();

/** The lint the processor started for the text ESLint is about to parse (at most one). */
let early: { file: string; text: string; options: FileOptions; findings: () => Finding[] } | undefined;

/** How many passes used the lint the processor started (tests: an edited buffer is started early). */
let earlyUsed = 0;
export function processorLints(): number {
  return earlyUsed;
}

const sameOptions = (a: FileOptions, b: FileOptions) => a.cwd === b.cwd && a.today === b.today && a.stage === b.stage;

function passFindings(context: EslintContext, file: string): () => Finding[] {
  const sourceCode = context.sourceCode ?? context.getSourceCode?.();
  const known = sourceCode && perPass.get(sourceCode);
  if (known) return known;
  const settings = context.settings?.lambdalint ?? {};
  const abs = path.resolve(file);
  const options: FileOptions = { cwd: context.cwd ?? context.getCwd?.(), today: settings.today, stage: settings.stage };
  lastOptions.set(abs, options);
  const started = early;
  early = undefined;
  const adopt =
    started && started.file === abs && started.text === sourceCode?.text && sameOptions(started.options, options);
  if (adopt) earlyUsed++;
  const findings = adopt ? started.findings : requestFindings(abs, { ...options, text: sourceCode?.text });
  if (sourceCode) perPass.set(sourceCode, findings);
  return findings;
}

/**
 * The `lambdalint/handler` processor (configs.recommended, handler files): it hands ESLint the
 * text unchanged and only starts lambdalint's lint of that text on the worker, so that the worker
 * parses and lints while ESLint parses. It starts nothing for a file it has not seen linted (the
 * options come from the previous pass); the rules use what it started only when the text and the
 * options are the ones they see, and otherwise ask themselves.
 */
const handlerProcessor = {
  meta: { name: 'lambdalint/handler', version: version() },
  supportsAutofix: true,
  preprocess(text: string, filename: string): string[] {
    early = undefined;
    const abs = path.resolve(filename);
    const options = lastOptions.get(abs);
    if (options) {
      const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // ESLint's text has no BOM
      try {
        early = { file: abs, text: body, options, findings: requestFindings(abs, { ...options, text: body }) };
      } catch {
        // The rules ask again and report what failed.
      }
    }
    return [text];
  },
  postprocess: (lists: unknown[][]): unknown[] => lists.flat(),
};

function eslintRule(rule: AnyRule) {
  return {
    meta: {
      type: 'problem' as const,
      docs: { description: rule.docs.summary, recommended: true },
      schema: [],
      // Permission findings suggest their fix where the statement goes in the file being edited.
      hasSuggestions: true,
    },
    create(context: EslintContext) {
      const file = context.physicalFilename ?? context.getPhysicalFilename?.() ?? context.filename;
      if (!file || file.startsWith('<')) return {}; // text without a file: no project to look at
      let findings: (() => Finding[]) | undefined;
      return {
        Program() {
          findings = passFindings(context, file);
        },
        'Program:exit'() {
          for (const f of findings?.() ?? []) {
            if (f.ruleId !== rule.id) continue;
            // ESLint columns are 0-based here for both the JS and the YAML language.
            const edit = f.fix?.edit;
            const suggest =
              edit && path.resolve(edit.absoluteFile) === path.resolve(file)
                ? [
                    {
                      desc: f.fix!.description,
                      fix: (fixer: EslintFixer) => fixer.insertTextBeforeRange([edit.offset, edit.offset], edit.text),
                    },
                  ]
                : undefined;
            context.report({
              message: f.message,
              loc: { start: { line: f.line, column: f.column - 1 }, end: { line: f.endLine, column: f.endColumn - 1 } },
              ...(suggest ? { suggest } : {}),
            });
          }
        },
      };
    },
  };
}

const exposed: AnyRule[] = [...catalog, SUPPRESSION_RULE];

type Level = 'error' | 'warn' | 'off';

/**
 * ESLint levels from the lambdalint config found from ESLint's working directory (the CLI's
 * lookup): `off` stays off, `error` is error, `warning` and `info` are warn.
 */
function ruleLevels(): Record<string, Level> {
  let configured: Record<string, string> = {};
  try {
    configured = configuredSeverities(process.cwd());
  } catch {
    // An invalid config file: the CLI reports it; the editor keeps the defaults.
  }
  const level = (r: AnyRule): Level => {
    const s = configured[r.id] ?? r.severity;
    return s === 'off' ? 'off' : s === 'error' ? 'error' : 'warn';
  };
  return Object.fromEntries(exposed.map((r) => [`lambdalint/${r.id}`, level(r)]));
}

/** lambdalint's version, from its package.json above this file (built or not). */
function version(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'lambdalint' && pkg.version) return pkg.version;
  }
  return '0.0.0';
}

export interface LambdalintPlugin {
  meta: { name: string; version: string; namespace: string };
  rules: Record<string, ReturnType<typeof eslintRule>>;
  processors: Record<string, typeof handlerProcessor>;
  languages: Record<string, unknown>;
  configs: Record<string, unknown>;
}

const plugin: LambdalintPlugin = {
  meta: { name: 'lambdalint', version: handlerProcessor.meta.version, namespace: 'lambdalint' },
  rules: Object.fromEntries(exposed.map((r) => [r.id, eslintRule(r)])),
  processors: { handler: handlerProcessor },
  // eslint-plugin-yml's YAML language (yaml-eslint-parser): exact ranges, ESLint directive comments.
  languages: { iac: yml.languages.yaml },
  configs: {},
};

// The configs are built when first read (the levels come from the lambdalint config), then kept.
let recommended: unknown;
let legacy: unknown;
Object.defineProperties(plugin.configs, {
  /** Flat config (ESLint 9.7+ and 10). */
  recommended: {
    enumerable: true,
    get: () =>
      (recommended ??= ((levels) => [
        {
          name: 'lambdalint/recommended/iac',
          files: IAC_FILES,
          plugins: { lambdalint: plugin },
          language: 'lambdalint/iac',
          rules: levels,
        },
        {
          name: 'lambdalint/recommended/handlers',
          files: CODE_FILES,
          plugins: { lambdalint: plugin },
          processor: 'lambdalint/handler',
          rules: levels,
        },
      ])(ruleLevels())),
  },
  /** eslintrc (ESLint 8, or 9 with ESLINT_USE_FLAT_CONFIG=false): handler code, and templates through yaml-eslint-parser. */
  'legacy-recommended': {
    enumerable: true,
    get: () =>
      (legacy ??= ((levels) => ({
        plugins: ['lambdalint'],
        overrides: [
          { files: CODE_FILES, rules: levels },
          { files: IAC_FILES, parser: 'yaml-eslint-parser', rules: levels },
        ],
      }))(ruleLevels())),
  },
});

export default plugin;
export { findingsForFile, clearCache, lintRuns, projectRoot, workerParses } from './sync.js';
