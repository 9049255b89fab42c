// The command line: parse arguments, run lint(), print, exit 0 / 1 / 2 like ESLint.
// This module holds what a run with nothing to lint needs (the options, the config, discovery and
// the reporters that print an empty run); the engine loads from ./engine.js when discovery finds
// something, or when an option needs it (test/cli.test.ts checks both).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { discover, foundAny, UsageError, type Discovered } from '../discover/index.js';
import { formatPlain, formats, PLAIN_FORMATS, type Format } from '../report/formats.js';
import type { Severity } from '../engine/types.js';
import type { LintResult } from '../engine/result.js';
import { packageVersion } from './version.js';
import { ConfigError, findConfig, readConfigFile, type ResolvedConfig } from '../config/load.js';
import { validateBaseline, type Baseline } from '../engine/baseline.js';
import { changedScope, locateProjects } from '../discover/projects.js';
import { parseShard, shardOwn } from '../discover/shard.js';
import { progressLine } from './progress.js';
import { optionsHelp, parseArgsOptions } from './options.js';
import type { Io } from './io.js';
import { isTerminal, stderrStream, stdoutStream, writerTo } from './stdio.js';
import { chooseWasmTiers, isBigRun } from '../code/python-wasm.js';
import { tuneJit } from './jit.js';
import { KNOWN_RULES } from '../data/known-rules.js';

let engineLoaded: Promise<typeof import('./engine.js')> | undefined;

/**
 * The engine, the reporters that read rule metadata, baselines, --changed and explain. V8's
 * WebAssembly and optimizing-compiler flags are set first: before any WebAssembly compiles, the
 * engine's code runs or a worker starts (and a run with nothing to lint does without node:v8). A
 * run that lints chose its WebAssembly flags already, from what discovery found (chooseWasmTiers);
 * any other, Liftoff only. They are not changed later: V8 checks the engine's code cache against
 * its flags, those it was compiled with against those it is made with at exit (code-cache.ts).
 */
function engine(): Promise<typeof import('./engine.js')> {
  if (!engineLoaded) {
    chooseWasmTiers(false);
    tuneJit();
    engineLoaded = import('./engine.js');
  }
  return engineLoaded;
}

export type { Io } from './io.js';

const HELP = `Usage: lambdalint [options] [paths...]

Lints AWS Lambda projects: CloudFormation, SAM, synthesized CDK (cdk.out), Serverless Framework
and Terraform, with the handler code their functions run.
Paths default to the current folder.

Options:
${optionsHelp()}

Commands:
  lambdalint explain <rule>  print a rule's documentation

Exit status: 0 no errors (and warnings within --max-warnings), 1 findings, 2 usage error.
`;

const defaultIo = (): Io => {
  const stderrIsTTY = isTerminal(2);
  return {
    stdout: writerTo(1, stdoutStream),
    stderr: writerTo(2, stderrStream),
    cwd: process.cwd(),
    isTTY: isTerminal(1),
    env: process.env,
    stderrIsTTY,
    // Only a terminal has columns (and asking a pipe would build its stream: stdio.ts).
    columns: stderrIsTTY ? process.stderr.columns : undefined,
  };
};

const SEVERITIES = new Set(['error', 'warning', 'warn', 'info', 'off']);

/** Discovery found nothing to lint (nor anything it could not read, nor a CDK app to name as not synthesized). */
const isEmpty = (d: Discovered): boolean => !foundAny(d) && d.unreadable.length === 0;

/**
 * What lint() returns for a run whose discovery found nothing, when no baseline applies: no findings,
 * notes or coverage entries. `rules` stays empty (the rules are not loaded): the formats printed
 * from it (stylish, json, github) read rules only for findings and coverage entries.
 */
const emptyResult = (cwd: string): LintResult => ({
  findings: [],
  suppressed: [],
  rules: [],
  cwd,
  stats: { files: 0, templates: 0, functions: 0, durationMs: 0 },
  toolErrors: [],
  notes: [],
  coverage: { functions: 0, notChecked: [] },
});

export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  if (argv[0] === 'explain') return (await engine()).explain(argv.slice(1), io);
  // `--changed` may stand alone; parseArgs wants a value, so give it the default.
  argv = argv.map((a) => (a === '--changed' ? '--changed=HEAD' : a));
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: parseArgsOptions(),
    });
  } catch (e) {
    io.stderr(`lambdalint: ${(e as Error).message.split('\n')[0]}\nRun 'lambdalint --help' for the options.\n`);
    return 2;
  }
  // The values' types, as CLI_OPTIONS defines them (parseArgs cannot infer them from a list).
  const o = args.values as {
    [
      k in
        | 'format'
        | 'output-file'
        | 'max-warnings'
        | 'stage'
        | 'config'
        | 'baseline'
        | 'baseline-create'
        | 'changed'
        | 'today'
        | 'shard'
        | 'sarif-category'
        | 'threads'
    ]?: string;
  } & {
    [
      k in
        | 'quiet'
        | 'fix-dry-run'
        | 'no-config'
        | 'staged'
        | 'changed-files'
        | 'color'
        | 'no-color'
        | 'verbose'
        | 'version'
        | 'help'
    ]?: boolean;
  } & { rule?: string[] };
  if (o.help) {
    io.stdout(HELP);
    return 0;
  }
  if (o.version) {
    io.stdout(`${packageVersion()}\n`);
    return 0;
  }
  const fail = (msg: string): number => {
    io.stderr(`lambdalint: ${msg}\n`);
    return 2;
  };
  const format = (o.format ?? 'stylish') as Format;
  if (!formats.includes(format)) return fail(`unknown format '${o.format}'; use one of ${formats.join(', ')}`);
  let maxWarnings = -1;
  if (o['max-warnings'] !== undefined) {
    maxWarnings = Number(o['max-warnings']);
    if (!Number.isInteger(maxWarnings) || maxWarnings < -1)
      return fail(`--max-warnings takes a whole number, not '${o['max-warnings']}'`);
  }
  let config: ResolvedConfig;
  try {
    const known = KNOWN_RULES;
    if (o['no-config']) config = { dir: io.cwd, rules: {}, ruleOptions: {}, ignores: [] };
    else if (o.config !== undefined) config = await readConfigFile(path.resolve(io.cwd, o.config), known);
    else config = await findConfig(io.cwd, known);
  } catch (e) {
    if (e instanceof ConfigError)
      return fail(
        `invalid configuration in ${path.relative(io.cwd, e.file) || e.file}${e.line !== undefined ? `:${e.line}:${e.column}` : ''}: ${e.problem}`,
      );
    throw e;
  }
  let baseline: Baseline | undefined;
  if (o.baseline !== undefined) {
    const file = path.resolve(io.cwd, o.baseline);
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      return fail(
        `cannot read the baseline ${o.baseline}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
    // Checked here: loading the engine would fix V8's flags before discovery (engine()).
    const checked = validateBaseline(parsed);
    if (typeof checked === 'string') return fail(`invalid baseline ${o.baseline}: ${checked}`);
    baseline = checked;
  }
  const severities: Record<string, Severity | 'off'> = { ...config.rules };
  for (const spec of o.rule ?? []) {
    const m = /^([a-z0-9-]+)[=:]([a-z]+)$/.exec(spec);
    if (!m || !SEVERITIES.has(m[2]))
      return fail(`--rule takes id=severity or id:severity (error, warning, info or off), not '${spec}'`);
    if (!KNOWN_RULES.some((r) => r.id === m[1])) return fail(`unknown rule '${m[1]}'`);
    severities[m[1]] = m[2] === 'warn' ? 'warning' : (m[2] as Severity | 'off');
  }
  let today: Date | undefined;
  if (o.today !== undefined) {
    today = new Date(`${o.today}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(o.today) || Number.isNaN(today.getTime()))
      return fail(`--today takes a date like 2026-01-31, not '${o.today}'`);
  }
  const threadsGiven = o.threads ?? io.env.LAMBDALINT_THREADS;
  const threads = threadsGiven === undefined || threadsGiven === '' ? os.availableParallelism() : Number(threadsGiven);
  if (!Number.isInteger(threads) || threads < 1)
    return fail(`--threads takes a whole number of 1 or more, not '${threadsGiven}'`);
  const progress = progressLine(io);
  const shard = o.shard === undefined ? undefined : parseShard(o.shard);
  if (typeof shard === 'string') return fail(shard);
  const category = o['sarif-category'] ?? 'lambdalint';
  if (!/^[A-Za-z0-9][\w.:@+-]*(\/[\w.:@+-]+)*$/.test(category))
    return fail(
      `--sarif-category: '${category}' is not a category (letters, digits, . _ - : @ +, parts separated by /)`,
    );
  let paths = args.positionals;
  let result: LintResult;
  let sources: Map<string, string> | undefined;
  /** Set when the paths named code inside a project: findings are reported there only. */
  let reportOnly: string[] | undefined;
  const relative = (abs: string) => path.relative(io.cwd, abs).split(path.sep).join('/') || '.';
  try {
    if (o.staged || o.changed !== undefined || o['changed-files']) {
      const { changedFiles, importersOf, projectPathsFor, stagedFiles, stagedSources } = await engine();
      const staged = o.staged ? stagedFiles(io.cwd) : [];
      if (o.staged) sources = stagedSources(io.cwd, staged);
      const changed = [
        ...(o['changed-files'] ? args.positionals.map((p) => path.resolve(io.cwd, p)) : []),
        ...staged,
        ...(o.changed !== undefined ? changedFiles(io.cwd, o.changed) : []),
      ];
      // Run from a subfolder of code, the projects are looked for from the project that owns it.
      const scope = changedScope(io.cwd);
      const found = [...projectPathsFor(changed, scope), ...(await importersOf(changed, scope))];
      paths = [...new Set(found.map((p) => relative(path.resolve(scope, p))))].sort();
    } else {
      const located = locateProjects(paths, io.cwd);
      paths = located.paths.map(relative);
      reportOnly = located.reportOnly;
    }
    const options = {
      cwd: io.cwd,
      paths,
      stage: o.stage ?? config.stage,
      productionNames: config.productionNames,
      rules: severities,
      ruleOptions: config.ruleOptions,
      ignores: config.ignores,
      ignoreBase: config.dir,
      today,
      sources,
      // The HTML report's matrix: what each function needs, as the permission rules evaluate it.
      collectNeeds: format === 'html',
      threads,
      shard,
      ...(progress ? { onProgress: progress.update } : {}),
    };
    if (paths.length === 0 && (o.staged || o.changed !== undefined || o['changed-files'])) {
      // Changed files that belong to no project: nothing to lint, which is a clean run.
      result = {
        findings: [],
        suppressed: [],
        rules: (await engine()).selectRules(severities),
        cwd: io.cwd,
        stats: { files: 0, templates: 0, functions: 0, durationMs: 0 },
        toolErrors: [],
        notes: [],
      };
    } else {
      // Discovery first (what lint() would do first): a run with nothing to lint is reported without
      // loading the engine, unless its output needs the rules (SARIF, HTML), a baseline or a patch.
      const all = discover(paths, path.resolve(io.cwd));
      const plain = !o['fix-dry-run'] && o.baseline === undefined && o['baseline-create'] === undefined;
      if (plain && PLAIN_FORMATS.has(format) && isEmpty(all)) {
        progress?.update({ stage: 'rules', done: 0, total: 0 });
        result = emptyResult(path.resolve(io.cwd));
      } else {
        const given = o['baseline-create'] !== undefined ? undefined : baseline;
        // A shard's size is that of its own projects.
        chooseWasmTiers(isBigRun(shard ? shardOwn(all, path.resolve(io.cwd), shard) : all));
        result = await (await engine()).lint({ ...options, baseline: given }, all);
      }
    }
  } catch (e) {
    // The engine's file has its own copy of the class (src/cli/engine.ts).
    if (e instanceof UsageError || (engineLoaded && e instanceof (await engineLoaded).UsageError))
      return fail(e.message);
    throw e;
  } finally {
    progress?.done();
  }
  if (reportOnly) {
    const inside = (file: string) =>
      reportOnly!.some((p) => file === p || file.startsWith(p.endsWith(path.sep) ? p : p + path.sep));
    result.findings = result.findings.filter((f) => inside(f.absoluteFile));
    if (result.suppressed) result.suppressed = result.suppressed.filter((f) => inside(f.absoluteFile));
  }
  if (o['baseline-create'] !== undefined) {
    const out = path.resolve(io.cwd, o['baseline-create']);
    const data = (await engine()).createBaseline(result.findings);
    try {
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, `${JSON.stringify(data, null, 2)}\n`);
    } catch (e) {
      return fail(`cannot write ${o['baseline-create']}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const n = Object.values(data).reduce((a, byRule) => a + Object.values(byRule).reduce((b, v) => b + v.count, 0), 0);
    io.stderr(
      `lambdalint: wrote ${n} finding${n === 1 ? '' : 's'} in ${Object.keys(data).length} file${Object.keys(data).length === 1 ? '' : 's'} to ${o['baseline-create']}\n`,
    );
    return 0;
  }
  if (o.quiet) result.findings = result.findings.filter((f) => f.severity === 'error');
  const toFile = o['output-file'] !== undefined;
  const color = o['no-color']
    ? false
    : o.color
      ? true
      : !toFile && io.isTTY && !io.env.NO_COLOR && !io.env.NODE_DISABLE_COLORS;
  const text = o['fix-dry-run']
    ? (await engine()).formatPatch(result)
    : (formatPlain(result, format, { color }) ??
      (await engine()).formatResult(result, format, {
        color,
        version: packageVersion(),
        // The category keeps analyses apart in code scanning; each shard is an analysis of its own.
        category: `${category}${shard ? `/shard-${shard.index}-of-${shard.count}` : ''}`,
      }));
  if (toFile) {
    const out = path.resolve(io.cwd, o['output-file']!);
    try {
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, text);
    } catch (e) {
      return fail(`cannot write ${o['output-file']}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  } else io.stdout(text);
  if (o.verbose) {
    for (const n of result.notes) io.stderr(`note: ${n}\n`);
    for (const e of result.coverage?.notChecked ?? []) {
      io.stderr(
        `not checked: ${e.file}${e.function !== undefined ? `: ${e.function}` : ''} (${e.rules.length > 0 ? e.rules.join(', ') : 'all rules'}): ${e.reason}\n`,
      );
    }
  }
  for (const err of result.toolErrors) io.stderr(`lambdalint: ${err}\n`);
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const warnings = result.findings.filter((f) => f.severity === 'warning').length;
  if (errors > 0) return 1;
  if (maxWarnings >= 0 && warnings > maxWarnings) {
    io.stderr(`lambdalint found too many warnings (maximum: ${maxWarnings}).\n`);
    return 1;
  }
  return 0;
}
