// The one call every front end makes: discover → load → analyse packages → rules → findings.
//
// Over 600 lines because: lint() is the pipeline every front end calls; its stages (loading,
// Terraform, packages, handler code, rules, fixes, suppressions, coverage) share the project being
// built and the run's options (sources, cache, threads, shard, progress), so they stay together here.
import fs from 'node:fs';
import path from 'node:path';
import { discover, isAssemblyDir, UsageError, type Discovered } from './discover/index.js';
import { inShard, shardDiscovered, type Shard } from './discover/shard.js';
import { collectGarbage } from './engine/collect.js';
import { checkOptions } from './engine/options.js';
import type { LoadContext, LoadOutcome, LoadProblem } from './load/loader.js';
import { LOADERS, terraformLoader } from './load/loaders.js';
import { parseSource, type ParseResult } from './source/parse.js';
import { linkImports } from './load/imports.js';
import { notChecked, type NeedOutcome } from './model/coverage.js';
import { emptyModel, type LambdaFunction, type Model, type Origin, type SourceRange } from './model/types.js';
import { analysePackages } from './package/analyse.js';
import { hasHandlerCode } from './code/select.js';
import { FactsCache } from './code/facts.js';
import { findScriptUpdates } from './code/scripts.js';
import { DEFAULT_PRODUCTION_NAMES } from './model/production.js';
import { dedupeFindings, mergeInherited, relPath, runRules, sortFindings, withFingerprint } from './engine/run.js';
import type { AnyRule, Finding, FindingFix, RuleNeed, Severity } from './engine/types.js';
import type { Grant } from './iam/check.js';
import { permissionFix } from './fix/permission.js';
import type { Coverage, LintResult, NeedRow, PlaceRef } from './engine/result.js';
import { PARSE_ERROR_RULE } from './engine/parse-error.js';
import { applySuppressions, SUPPRESSION_RULE } from './engine/suppress.js';
import type { Baseline } from './engine/baseline.js';
import { ignoredBy } from './config/ignores.js';
import { LineIndex } from './source/lines.js';
import { compareText } from './source/collate.js';
import { rules as allRules } from '../rules/index.js';
import { digest, nowMs } from './source/builtins.js';

export interface LintOptions {
  /** Working directory; finding paths are relative to it. Default: process.cwd(). */
  cwd?: string;
  /** Files and folders to lint. Default: the working directory. */
  paths?: readonly string[];
  /** The stage being deployed (`--stage`): decides what is production. */
  stage?: string;
  /** Stage names that mean production. Default: prod, production, prd, live. */
  productionNames?: readonly string[];
  /** Severity per rule id; `off` disables a rule. */
  rules?: Record<string, Severity | 'off'>;
  ruleOptions?: Record<string, Record<string, unknown>>;
  /** "Today" for dated rules (deprecated runtimes). Default: the current date. */
  today?: Date;
  /** Files larger than this are reported instead of parsed. Default 16 MiB. */
  maxFileBytes?: number;
  /** Skip measuring deployment packages on disk. */
  skipPackageSizes?: boolean;
  /** gitignore-style patterns (config `ignores`), relative to `ignoreBase` (default: cwd). */
  ignores?: readonly string[];
  ignoreBase?: string;
  /** Findings recorded in a baseline are moved to `suppressed` (counts per file per rule). */
  baseline?: Baseline;
  /**
   * `eslint-disable-next-line lambdalint/<id>` comments: honoured (true, the default), ignored
   * (false), or only checked for a reason ('reason-only': the ESLint plugin, where ESLint applies
   * them and reports the unused ones).
   */
  eslintDirectives?: boolean | 'reason-only';
  /**
   * Texts to use instead of the files on disk (absolute path → text): an editor's unsaved buffer.
   * Every other file is read from disk.
   */
  sources?: ReadonlyMap<string, string>;
  /** Collect, per function, every requirement the permission rules evaluate (`result.needs`: the HTML report). */
  collectNeeds?: boolean;
  /**
   * What earlier runs parsed, for a caller that lints the same project again and again (the ESLint
   * plugin's worker, `createLintCache()`): templates and handler files whose text is unchanged are
   * not parsed again. The results are those of a run without it.
   */
  cache?: LintCache;
  /**
   * Threads that may parse handler files, this one included: worker threads start when a run has
   * many files to parse. The result is the same whatever the number (src/code/parse-pool.ts).
   * Default 1; the CLI uses every core.
   */
  threads?: number;
  /**
   * Lint only the i-th of n shares of the projects (`--shard i/n`, src/discover/shard.ts): the
   * shares of one tree are disjoint and together hold every project.
   */
  shard?: Shard;
  /** Told how far the run is, stage by stage (the CLI's progress line on a terminal). */
  onProgress?: (p: LintProgress) => void;
}

/**
 * How far a run is: projects loaded (templates, serverless files, cdk.out stacks, Terraform
 * folders), then functions whose handler code was read, then the rules. `current` is the project
 * being loaded, or the project of the function just read.
 */
export interface LintProgress {
  stage: 'load' | 'code' | 'rules';
  done: number;
  total: number;
  current?: string;
}

/** Parses kept between runs, by file path and a hash of the text (see LintOptions.cache). */
export interface LintCache {
  facts: FactsCache;
  templates: Map<string, { hash: string; parsed: ParseResult }>;
}

export function createLintCache(): LintCache {
  return { facts: new FactsCache(), templates: new Map() };
}

/** A template's parse, from the cache when its text is the same as last time. */
function parseTemplate(file: string, text: string, cache: LintCache | undefined): ParseResult {
  if (!cache) return parseSource(file, text);
  const hash = digest('sha1', text, 'base64');
  const known = cache.templates.get(file);
  if (known?.hash === hash) return known.parsed;
  const parsed = parseSource(file, text);
  cache.templates.set(file, { hash, parsed });
  return parsed;
}

export interface LoadedProject extends Pick<LoadOutcome, 'parsed' | 'unmarked'> {
  model: Model;
  parseErrors: Finding[];
  files: number;
  templates: number;
  notes: string[];
  /** Folders with .tf files; `lint()` loads them (the Terraform parser loads asynchronously). */
  terraformDirs: string[];
  /** Templates, serverless files and cdk.out folders read (the progress line counts Terraform folders after them). */
  loadedEntries: number;
}

const DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024;
/** Functions loaded between two lists of handler files for the worker threads (lint()). */
const LIST_AHEAD = 128;

function parseErrorFinding(
  cwd: string,
  file: string,
  message: string,
  line = 1,
  column = 1,
  endLine = line,
  endColumn = column,
): Finding {
  const rel = relPath(cwd, file);
  return withFingerprint(
    {
      ruleId: PARSE_ERROR_RULE.id,
      severity: 'error',
      message,
      file: rel,
      absoluteFile: file,
      line,
      column,
      endLine,
      endColumn: endLine === line && endColumn <= column ? column + 1 : endColumn,
    },
    [PARSE_ERROR_RULE.id, rel, message],
  );
}

/** A loader's problem (src/load/loader.ts) as a parse-error finding: at its range, else at line 1. */
function problemFinding(cwd: string, p: LoadProblem): Finding {
  const r = p.range;
  const f = parseErrorFinding(cwd, p.file, p.message, r?.start.line, r?.start.column, r?.end.line, r?.end.column);
  if (p.related) {
    const { start, end } = p.related.range;
    f.related = [
      {
        file: f.file,
        line: start.line,
        column: start.column,
        endLine: end.line,
        endColumn: end.column,
        message: p.related.message,
      },
    ];
  }
  return f;
}

/** What the loaders are handed (src/load/loader.ts); `progress` counts the inputs loaded, for onProgress. */
function loadContext(
  options: LintOptions,
  cwd: string,
  model: Model,
  progress: { done: number; total: number; largest: number },
  onInput?: (model: Model) => void,
): LoadContext {
  const named = new Set((options.paths ?? []).map((p) => path.resolve(cwd, p)));
  const { shard, onProgress } = options;
  return {
    cwd,
    model,
    stage: options.stage,
    productionNames: options.productionNames ?? DEFAULT_PRODUCTION_NAMES,
    maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    sources: options.sources,
    within: [cwd, ...named],
    named: (file) => named.has(file),
    keep: shard ? (dir) => inShard(shard, cwd, dir) : () => true,
    parse: (file, text) => {
      progress.largest = Math.max(progress.largest, text.length);
      return parseTemplate(file, text, options.cache);
    },
    rel: (file) => relPath(cwd, file),
    step: (input) => {
      onInput?.(model);
      onProgress?.({ stage: 'load', done: progress.done, total: progress.total, current: relPath(cwd, input) });
      progress.done++;
    },
  };
}

const emptyOutcome = (parsed: Map<string, ParseResult>, unmarked: Set<string>): LoadOutcome => ({
  files: 0,
  templates: 0,
  problems: [],
  notes: [],
  parsed,
  unmarked,
});

/**
 * A template this big (characters) leaves a parse tree of a hundred megabytes or so to collect
 * once loaded (src/engine/collect.ts); CloudFormation itself takes templates of up to 1 MB.
 */
const BIG_TEMPLATE_CHARS = 4_000_000;

/** lint()'s hooks into loading: what discovery found, and each input about to be read (with the model so far). */
interface LoadHooks {
  onFound?: (d: Discovered) => void;
  onInput?: (model: Model) => void;
}

/**
 * Reads every template, serverless file and cdk.out under the paths into one model: discovery (or
 * `all`, its result), then each loader in turn (src/load/loaders.ts); Terraform follows in
 * `loadTerraformDirs`. Never throws for bad input.
 */
export function loadProject(options: LintOptions, hooks: LoadHooks = {}, all?: Discovered): LoadedProject {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  all ??= discover(options.paths ?? ['.'], cwd);
  const found = options.shard ? shardDiscovered(all, cwd, options.shard) : all;
  // lint(): worker threads start on the Terraform files while the templates load.
  hooks.onFound?.(found);
  const model = emptyModel();
  const terraformDirs = [...terraformLoader.inputs(found)];
  const progress = {
    done: 0,
    total: LOADERS.reduce((n, l) => n + l.inputs(found).length, terraformDirs.length),
    largest: 0,
  };
  const ctx = loadContext(options, cwd, model, progress, hooks.onInput);
  const out = emptyOutcome(new Map(), new Set());
  for (const u of found.unreadable) out.notes.push(`${relPath(cwd, u.file)}: cannot be read (${u.message})`);
  for (const loader of LOADERS) loader.load(loader.inputs(found), ctx, out);
  for (const d of model.deployments) for (const n of d.notes) out.notes.push(`${relPath(cwd, d.file)}: ${n}`);
  unsynthesizedCdkApps(found, model);
  // Fn::ImportValue of exports that other templates of the run declare (src/load/imports.ts).
  linkImports(model);
  // The trees are garbage now (unless the run's cache keeps them): a big one is collected before
  // the rules allocate on top of it.
  if (progress.largest >= BIG_TEMPLATE_CHARS && !options.cache) collectGarbage();
  return {
    model,
    parseErrors: out.problems.map((p) => problemFinding(cwd, p)),
    files: out.files,
    templates: out.templates,
    notes: out.notes,
    terraformDirs,
    loadedEntries: progress.done,
    parsed: out.parsed,
    unmarked: out.unmarked,
  };
}

/**
 * CDK apps (a `cdk.json`) with no cloud assembly where `cdk synth` writes it (`output` in cdk.json,
 * else `cdk.out`; https://docs.aws.amazon.com/cdk/v2/guide/ref-cli-cmd-synth.html): lambdalint
 * reads an app's stacks from its cloud assembly only, so an app never synthesized is named in the
 * coverage output rather than passed as "no problems in 0 functions" (aws-samples/aws-cdk-examples:
 * 44 apps, none synthesized).
 */
function unsynthesizedCdkApps(found: Discovered, model: Model): void {
  for (const file of found.cdkApps) {
    const dir = path.dirname(file);
    let output = 'cdk.out';
    try {
      const cfg = JSON.parse(fs.readFileSync(file, 'utf8')) as { output?: unknown };
      if (typeof cfg?.output === 'string' && cfg.output.trim()) output = cfg.output.trim();
    } catch {
      // Not JSON, or unreadable: the CLI's default folder.
    }
    const at = path.resolve(dir, output);
    if (found.assemblies.some((a) => a === at || a.startsWith(at + path.sep))) continue;
    notChecked(model, {
      file,
      rules: [],
      reason: `CDK app not synthesized: its stacks and functions are not checked (no cloud assembly at ${output}: run \`cdk synth\`, then lint again)`,
    });
  }
}

/**
 * Loads the Terraform root modules found by discovery into the project's model (issue #5), taking
 * the files the worker threads of `pool` parsed (ParseQueue.prefetchTerraform).
 */
export async function loadTerraformDirs(
  project: LoadedProject,
  options: LintOptions & { cwd: string },
  pool?: import('./code/parse-pool.js').ParseQueue,
): Promise<void> {
  if (project.terraformDirs.length === 0) return;
  const done = project.loadedEntries;
  const ctx = loadContext(options, options.cwd, project.model, {
    done,
    total: done + project.terraformDirs.length,
    largest: 0,
  });
  if (pool) ctx.terraformParsed = () => pool.terraformParsed();
  const out = emptyOutcome(project.parsed, project.unmarked);
  await terraformLoader.load(project.terraformDirs, ctx, out);
  project.files += out.files;
  project.templates += out.templates;
  project.notes.push(...out.notes);
  project.parseErrors.push(...out.problems.map((p) => problemFinding(options.cwd, p)));
}

/** Files `terraform init` downloaded (`.terraform/modules/...`): nobody edits them. */
function isDownloaded(file: string): boolean {
  return file.split(path.sep).includes('.terraform');
}

/**
 * A finding placed inside a Terraform module the user does not edit (downloaded, or outside the
 * linted project) is reported at the innermost call of that module in the user's own code, with
 * the module's line kept as related.
 */
function moduleCallFor(
  fn: LambdaFunction,
  file: string,
  given: SourceRange | undefined,
  editable: (file: string) => boolean,
): { range: SourceRange; message: string } | undefined {
  const calls = fn.deployment.moduleCalls;
  if (!calls || editable(file)) return undefined;
  const parts = fn.id.split('.');
  for (let n = parts.length - 1; n >= 2; n--) {
    if (parts[n - 2] !== 'module') continue;
    const call = calls.get(`${parts.slice(0, n).join('.')}.`);
    if (!call || !editable(call.range.file)) continue;
    const message = `inside ${call.name}${call.source && !/^\.\.?[\\/]/.test(call.source) ? ` (${call.source})` : ''}`;
    // A value handed in as an input of the call is reported at that input.
    return { range: given && given.file === call.range.file ? given : call.range, message };
  }
  return undefined;
}

export function selectRules(severities: Record<string, Severity | 'off'> = {}): AnyRule[] {
  return allRules.filter((r) => severities[r.id] !== 'off');
}

/** `all`: what discovery found in the paths (before any shard), when the caller looked first (src/cli/main.ts). */
export async function lint(options: LintOptions = {}, all?: Discovered): Promise<LintResult> {
  const started = nowMs();
  for (const [id, given] of Object.entries(options.ruleOptions ?? {})) {
    const rule = allRules.find((r) => r.id === id);
    if (!rule) throw new UsageError(`ruleOptions: unknown rule '${id}'`);
    const problem = checkOptions(id, rule.options, given);
    if (problem) throw new UsageError(`ruleOptions.${[id, ...problem.path].join('.')}: ${problem.message}`);
  }
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const rules = selectRules(options.rules);
  const readsCode = rules.some((r) => r.needs?.includes('handler-code') || r.needs?.includes('code-triggers'));
  // Threads to spare: worker threads parse the Terraform files while this thread loads the
  // templates, then the handler files of the functions loaded so far while this thread loads
  // Terraform (src/code/parse-pool.ts).
  const pool =
    (options.threads ?? 1) > 1 && !options.cache && !options.sources
      ? new (await import('./code/parse-pool.js')).ParseQueue(options.threads!)
      : undefined;
  const queue = readsCode ? pool : undefined;
  // The handler files of the functions loaded so far go to the worker threads as loading goes on
  // (every LIST_AHEAD functions), so that they start on them while this thread loads the rest.
  const analyse = queue ? await import('./code/analyse.js') : undefined;
  let listed = 0;
  const listAhead = (model: Model, rest = false): void => {
    if (!queue || !analyse || model.functions.length - listed < (rest ? 1 : LIST_AHEAD)) return;
    queue.prefetch(analyse.handlerEntryFiles(model, listed));
    listed = model.functions.length;
  };
  try {
    const project = loadProject(
      { ...options, cwd },
      {
        onFound: (found) => {
          const { shard } = options;
          pool?.prefetchTerraform(found.terraform, shard ? (dir) => inShard(shard, cwd, dir) : undefined);
        },
        onInput: (model) => listAhead(model),
      },
      all,
    );
    listAhead(project.model, true);
    return await lintLoaded(options, cwd, project, rules, started, queue, pool, (model) => listAhead(model, true));
  } finally {
    await pool?.close();
  }
}

/** lint() once the templates are loaded: Terraform, packages, handler code, rules, suppressions. */
async function lintLoaded(
  options: LintOptions,
  cwd: string,
  project: LoadedProject,
  rules: AnyRule[],
  started: number,
  queue: import('./code/parse-pool.js').ParseQueue | undefined,
  pool: import('./code/parse-pool.js').ParseQueue | undefined,
  listAhead?: (model: Model) => void,
): Promise<LintResult> {
  await loadTerraformDirs(project, { ...options, cwd }, pool);
  listAhead?.(project.model);
  // The project is the working directory and every linted path: code outside it is not measured,
  // and findings in files outside it (a CodeUri or Handler such as ../../elsewhere) are not reported.
  // A template's project is its folder, and so is a cdk.out's: the app's source beside it.
  const within = [
    cwd,
    ...(options.paths ?? [])
      .map((p) => path.resolve(cwd, p))
      .map((p) => ((fs.existsSync(p) && fs.statSync(p).isFile()) || isAssemblyDir(p) ? path.dirname(p) : p)),
  ];
  const inProject = (file: string): boolean =>
    within.some((root) => {
      const rel = path.relative(root, file);
      return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
    });
  // Each analysis stage runs when an enabled rule reads its results (the rules' `needs`).
  const needed = (need: RuleNeed): boolean => rules.some((r) => r.needs?.includes(need));
  if (!options.skipPackageSizes && needed('package-sizes')) {
    await analysePackages(project.model, {
      within,
      onOutside: (owner, code) => {
        const file = code.origin.range?.file;
        const shown = file ? path.relative(path.dirname(file), code.path!) : code.path!;
        project.notes.push(
          `${file ? relPath(cwd, file) : '?'}: ${owner}: the code ${code.kind === 'local-zip' ? 'zip' : 'folder'} ${shown} is outside the project; its size is not measured`,
        );
      },
    });
  }
  if ((needed('handler-code') || needed('code-triggers')) && project.model.functions.some(hasHandlerCode)) {
    // Parsers load only now, and only for projects whose functions have code to read.
    const { analyseHandlers } = await import('./code/analyse.js');
    const details: string[] = [];
    const stats = await analyseHandlers(project.model, {
      cwd,
      sources: options.sources,
      factsCache: options.cache?.facts,
      threads: options.threads,
      ...(queue ? { queue } : {}),
      roots: within,
      // Handler files that never mention lambdalint hold no suppression: not read again for them.
      unmarked: (file) => project.unmarked.add(file),
      note: (fn, message, unchecked) => {
        project.notes.push(`${relPath(cwd, fn.deployment.file)}: ${fn.id}: ${message}`);
        // The handler's code could not be read: the rules that read it cannot decide for fn.
        if (unchecked)
          notChecked(project.model, {
            fn: fn.id,
            file: fn.deployment.file,
            rules: rules.filter((r) => r.needs?.includes('handler-code')).map((r) => r.id),
            reason: message,
          });
      },
      detail: (fn, message) => details.push(`${relPath(cwd, fn.deployment.file)}: ${fn.id}: ${message}`),
      ...(options.onProgress
        ? { analysed: codeProgress(options.onProgress, cwd, project.model.functions.length) }
        : {}),
    });
    if (stats.functions) {
      project.notes.push(
        `handler code: ${stats.resolved} of ${stats.functions} handlers resolved, ${stats.unchecked} not checked; ${stats.mappedCalls} of ${stats.sdkCalls} AWS SDK calls reached mapped to IAM actions, ${stats.unresolvedCalls} not resolved`,
      );
    }
    project.notes.push(...details);
  }
  if (needed('deploy-scripts') && project.model.deployments.some((d) => d.production.isProduction)) {
    findScriptUpdates(project.model, inProject);
  }
  const needs = options.collectNeeds ? needRows(project.model, cwd) : undefined;
  const texts = new Map<string, string | undefined>();
  const readText = (file: string): string | undefined => {
    if (!texts.has(file)) {
      let text = options.sources?.get(file);
      if (text === undefined) {
        try {
          text = fs.readFileSync(file, 'utf8');
        } catch {
          text = undefined;
        }
      }
      texts.set(file, text);
    }
    return texts.get(file);
  };
  // Templates parsed for fixes: once per file however many findings it has (and not at all when
  // loading kept the parse or the cache has it).
  const fixParses = new Map<string, ParseResult>(project.parsed);
  const parseForFix = (file: string, text: string): ParseResult => {
    let p = fixParses.get(file);
    if (!p) fixParses.set(file, (p = parseTemplate(file, text, options.cache)));
    return p;
  };
  // One line index per file edited: a template's line starts are counted once, not once per fix.
  const lineIndexes = new Map<string, LineIndex>();
  const lineIndex = (file: string): LineIndex => {
    let index = lineIndexes.get(file);
    if (!index) lineIndexes.set(file, (index = new LineIndex(file, readText(file) ?? '')));
    return index;
  };
  const fix = (fn: LambdaFunction, grant: Grant, label: string): FindingFix | undefined => {
    const f = permissionFix({ fn, role: grant.role, grants: grant.requests, label }, readText, parseForFix);
    if (!f) return undefined;
    const out: FindingFix = { description: f.description, snippet: f.snippet };
    if (f.edit && inProject(f.edit.file) && !isDownloaded(f.edit.file)) {
      const { line, column } = lineIndex(f.edit.file).position(f.edit.offset);
      out.edit = {
        file: relPath(cwd, f.edit.file),
        absoluteFile: f.edit.file,
        line,
        column,
        offset: f.edit.offset,
        text: f.edit.text,
      };
    }
    return out;
  };
  options.onProgress?.({ stage: 'rules', done: 0, total: project.model.functions.length });
  const { findings: perFunction, toolErrors } = runRules(project.model, rules, {
    cwd,
    ...(needs ? { record: needs.record } : {}),
    fix,
    today: options.today ?? new Date(),
    severities: options.rules ?? {},
    ruleOptions: options.ruleOptions ?? {},
    relocate: (fn, range, given) =>
      moduleCallFor(fn, range.file, given, (file) => inProject(file) && !isDownloaded(file)),
  });
  const findings = mergeInherited(perFunction);
  const outsideFiles = new Set(findings.map((f) => f.absoluteFile).filter((f) => !inProject(f)));
  for (const file of outsideFiles)
    project.notes.push(`${relPath(cwd, file)}: outside the project; findings in it are not reported`);
  const ignored = ignoredBy(options.ignores ?? [], path.resolve(cwd, options.ignoreBase ?? '.'));
  const settled = applySuppressions(
    dedupeFindings([...project.parseErrors, ...findings]).filter(
      (f) => !ignored(f.absoluteFile) && !outsideFiles.has(f.absoluteFile),
    ),
    {
      cwd,
      // A file whose text (as loading read it) never mentions lambdalint holds no suppression.
      readText: (file) => (project.unmarked.has(file) ? undefined : readText(file)),
      parsed: (file) => project.parsed.get(file),
      files: [
        ...project.model.deployments.map((d) => d.file),
        ...project.model.functions.flatMap((fn) => fn.handlerCode?.file ?? []),
      ].filter((f) => !ignored(f) && inProject(f)),
      knownRules: allRules.map((r) => r.id),
      enabledRules: rules.map((r) => r.id),
      eslintDirectives: options.eslintDirectives,
      baseline: options.baseline,
    },
  );
  project.notes.push(...settled.notes);
  return {
    findings: sortFindings([...settled.findings, ...settled.problems]),
    suppressed: sortFindings(settled.suppressed),
    rules: [
      ...rules,
      ...(project.parseErrors.length ? [PARSE_ERROR_RULE] : []),
      ...(settled.problems.length ? [SUPPRESSION_RULE] : []),
    ],
    cwd,
    stats: {
      files: project.files,
      templates: project.templates,
      functions: project.model.functions.length,
      durationMs: Math.round(nowMs() - started),
    },
    toolErrors,
    notes: project.notes,
    coverage: coverageOf(project.model, rules, cwd, (file) => !ignored(file)),
    ...(needs ? { needs: needs.rows.filter((r) => !ignored(path.resolve(cwd, r.file))) } : {}),
  };
}

/** The progress of the handler-code stage: functions read, and the project of the last one. */
function codeProgress(onProgress: (p: LintProgress) => void, cwd: string, total: number): (fn: LambdaFunction) => void {
  let done = 0;
  return (fn) => onProgress({ stage: 'code', done: ++done, total, current: relPath(cwd, fn.deployment.file) });
}

/** The needs matrix's rows, one per function in model order, and the recorder that fills them. */
function needRows(
  model: Model,
  cwd: string,
): { rows: NeedRow[]; record: (ruleId: string, fn: LambdaFunction, outcome: NeedOutcome) => void } {
  const byFn = new Map<LambdaFunction, NeedRow>();
  const rows = model.functions.map((fn) => {
    const row: NeedRow = {
      function: fn.id,
      framework: fn.framework,
      file: relPath(cwd, fn.deployment.file),
      ...(fn.origin.range ? { line: fn.origin.range.start.line } : {}),
      stack: fn.deployment.stackName ?? relPath(cwd, fn.deployment.file),
      cells: [],
    };
    byFn.set(fn, row);
    return row;
  });
  const place = (o: Origin): PlaceRef | undefined =>
    o.range
      ? {
          file: relPath(cwd, o.range.file),
          line: o.range.start.line,
          column: o.range.start.column,
          ...(o.note ? { note: o.note } : {}),
        }
      : o.note
        ? { file: '', line: 0, column: 0, note: o.note }
        : undefined;
  const seen = new Set<string>();
  const record = (rule: string, fn: LambdaFunction, o: NeedOutcome): void => {
    const row = byFn.get(fn);
    if (!row) return;
    const key = `${row.function}\u0000${row.file}\u0000${rule}\u0000${o.item}\u0000${o.status}`;
    if (seen.has(key)) return;
    seen.add(key);
    const decidedBy = (o.decidedBy ?? []).map(place).filter((p): p is PlaceRef => p !== undefined);
    row.cells.push({
      rule,
      item: o.item,
      status: o.status,
      ...(o.reason ? { reason: o.reason } : {}),
      ...(decidedBy.length ? { decidedBy } : {}),
    });
  };
  return { rows, record };
}

/**
 * The run's `coverage`: what could not be checked, limited to the enabled rules (an entry whose
 * rules are all turned off says nothing the user asked about) and to files not ignored.
 */
export function coverageOf(
  model: Model,
  rules: readonly AnyRule[],
  cwd: string,
  keep: (file: string) => boolean = () => true,
): Coverage {
  const enabled = new Set(rules.map((r) => r.id));
  const notChecked: Coverage['notChecked'] = [];
  for (const e of model.notChecked) {
    if (!keep(e.file)) continue;
    const rs = e.rules.filter((id) => enabled.has(id));
    if (e.rules.length > 0 && rs.length === 0) continue;
    notChecked.push({
      ...(e.fn !== undefined ? { function: e.fn } : {}),
      file: relPath(cwd, e.file),
      rules: rs,
      reason: e.reason,
    });
  }
  notChecked.sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      compareText(a.function ?? '', b.function ?? '') ||
      compareText(a.reason, b.reason),
  );
  return { functions: model.functions.length, notChecked };
}
