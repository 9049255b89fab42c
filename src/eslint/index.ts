// The ESLint plugin: `import lambdalint from 'lambdalint/eslint-plugin'`. An adapter over lint():
// each lambdalint rule becomes an ESLint rule that reports, on the file being linted, the findings
// lint() places in that file — template findings on templates (through the `lambdalint/iac`
// language for YAML and JSON), code findings on handlers. Nothing is checked twice.
//
// - The file's text is ESLint's (`context.sourceCode.text`): an unsaved handler is linted against
//   the templates on disk, an unsaved template against the handlers on disk.
// - lint() runs once per file per lint pass, whatever the number of rules: the first rule to run
//   on a SourceCode asks sync.ts (a cache keyed by project, file and text), the others reuse it.
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
import { configuredSeverities, findingsForFile } from './sync.js';
import { factsOfProgram } from '../code/js.js';
import { MAX_NESTING, nestingDepth } from '../code/nesting.js';

/** Template and Serverless files the IaC language parses (JSON is YAML 1.2). */
export const IAC_FILES = [
  '**/template.{yaml,yml,json}',
  '**/*.template.{yaml,yml,json}',
  '**/serverless.{yml,yaml}',
  '**/cdk.out/*.template.json',
];
/** Handler code. TypeScript needs the project's own parser (typescript-eslint). */
export const CODE_FILES = ['**/*.{ts,tsx,mts,cts,js,mjs,cjs}'];

/** Handler code whose facts are read from ESLint's tree (the extensions lambdalint's parser reads). */
const CODE_FILE = /\.(c|m)?[jt]sx?$/;

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
  sourceCode?: { text: string; ast?: unknown; visitorKeys?: Record<string, readonly string[]> };
  getSourceCode?: () => { text: string; ast?: unknown; visitorKeys?: Record<string, readonly string[]> };
  report(descriptor: {
    message: string;
    loc: { start: { line: number; column: number }; end: { line: number; column: number } };
    suggest?: { desc: string; fix: (fixer: EslintFixer) => unknown }[];
  }): void;
}

/** One lint per file per lint pass: ESLint gives every rule the same SourceCode object. */
const perPass = new WeakMap<object, Finding[]>();

function passFindings(context: EslintContext, file: string): Finding[] {
  const sourceCode = context.sourceCode ?? context.getSourceCode?.();
  const known = sourceCode && perPass.get(sourceCode);
  if (known) return known;
  const settings = context.settings?.lambdalint ?? {};
  // ESLint parsed the handler already: its tree gives the facts the worker would parse for.
  const facts = () => {
    if (
      !sourceCode?.ast ||
      !sourceCode.visitorKeys ||
      !CODE_FILE.test(file) ||
      nestingDepth(sourceCode.text) > MAX_NESTING
    )
      return undefined;
    try {
      return factsOfProgram(file, sourceCode.text, sourceCode.ast, sourceCode.visitorKeys);
    } catch {
      return undefined; // the worker parses the text itself
    }
  };
  const findings = findingsForFile(file, {
    cwd: context.cwd ?? context.getCwd?.(),
    today: settings.today,
    stage: settings.stage,
    text: sourceCode?.text,
    facts,
  });
  if (sourceCode) perPass.set(sourceCode, findings);
  return findings;
}

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
      return {
        Program() {
          const file = context.physicalFilename ?? context.getPhysicalFilename?.() ?? context.filename;
          if (!file || file.startsWith('<')) return; // text without a file: no project to look at
          for (const f of passFindings(context, file)) {
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
  languages: Record<string, unknown>;
  configs: Record<string, unknown>;
}

const plugin: LambdalintPlugin = {
  meta: { name: 'lambdalint', version: version(), namespace: 'lambdalint' },
  rules: Object.fromEntries(exposed.map((r) => [r.id, eslintRule(r)])),
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
        { name: 'lambdalint/recommended/handlers', files: CODE_FILES, plugins: { lambdalint: plugin }, rules: levels },
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
