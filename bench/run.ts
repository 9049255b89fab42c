// `npm run bench`: builds the CLI, generates synthetic projects in a temp folder, and prints one
// table of wall time, throughput and peak RSS. A benchmark, not a timed test: it never fails on a
// slow machine, it only reports (and marks rows over their target).
//   npm run bench [-- --functions 2000] [--keep] [--profile] [--cfn52 DIR]
// With LAMBDALINT_NODE_22 / LAMBDALINT_NODE_24 set to Node binaries (as .ci/run does), the
// fixed-cost rows run on those versions too.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFECT_RULE, FORMATS, generateProject, type Generated } from './generate.js';
import { writeBigTemplate } from './big-template.js';
import { benchPackageSize } from './package-size.js';
import { benchEslintEdit, percentile } from './eslint-edit.js';
import { benchRuleScale } from './rules-scale.js';
import { loadProject, loadTerraformDirs } from '../src/lint.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const sizes = args.includes('--functions') ? [Number(args[args.indexOf('--functions') + 1])] : [2000, 4000];
const keep = args.includes('--keep');
const profile = args.includes('--profile');
/** The 52 CloudFormation/SAM templates timed side by side with cfn-lint (issue 18). */
const CFN52 = path.resolve(
  args.includes('--cfn52') ? args[args.indexOf('--cfn52') + 1] : path.join(ROOT, '..', 'shared', 'bench-cfn52'),
);
/** Other Node versions the fixed-cost rows run on too, from LAMBDALINT_NODE_22 / LAMBDALINT_NODE_24 (as in .ci/run). */
const OTHER_NODES = [22, 24].flatMap((major) => {
  const bin = process.env[`LAMBDALINT_NODE_${major}`];
  return bin && fs.existsSync(bin) ? [{ major, bin }] : [];
});
/**
 * The CLI's environment: without NODE_EXTRA_CA_CERTS, which makes Node 20 read a certificate file
 * at start-up (about 35 ms on this kind of machine) for TLS that lambdalint never opens.
 */
const CLI_ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_EXTRA_CA_CERTS'));

/** Pipeline stages, by the function that runs each (inclusive CPU time from a --cpu-prof profile). */
const STAGES: [string, string][] = [
  ['discover', 'discover'],
  ['parse YAML/JSON', 'parseSource'],
  ['load CloudFormation/SAM/CDK', 'loadTemplate'],
  ['load Serverless', 'loadServiceFile'],
  ['load Terraform (incl. parse)', 'loadTerraform'],
  ['package sizes', 'analysePackages'],
  ['handler code', 'analyseHandlers|parseJs|parsePython|analyse'],
  ['rules', 'runRules'],
  ['report', 'formatResult'],
];

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

/** Inclusive milliseconds per stage, plus module loading and garbage collection, from a .cpuprofile. */
function stageTimes(file: string): [string, number][] {
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
  };
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000));
  const out = new Map<string, number>();
  let total = 0;
  for (const [id, ms] of self) {
    // A thread waiting (a worker between chunks, the main thread while workers parse) is not CPU.
    if (byId.get(id)!.callFrame.functionName === '(idle)') continue;
    total += ms;
    const names = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur)!;
      names.add(n.callFrame.functionName);
      if (
        /\/node_modules\/|^node:internal\/modules/.test(n.callFrame.url) &&
        /^(Module\._compile|compileSourceTextModule|wrapSafe)$/.test(n.callFrame.functionName)
      )
        names.add('#modules');
    }
    const leaf = byId.get(id)!.callFrame.functionName;
    if (leaf === '(garbage collector)') names.add('#gc');
    for (const [label, fns] of [
      ...STAGES,
      ['loading modules', '#modules'] as [string, string],
      ['garbage collection', '#gc'] as [string, string],
    ]) {
      if (fns.split('|').some((fn) => names.has(fn))) out.set(label, (out.get(label) ?? 0) + ms);
    }
  }
  return [['whole process (CPU samples)', total], ...[...out].sort((a, b) => b[1] - a[1])];
}

interface Row {
  scenario: string;
  wallMs: number;
  functions?: number;
  files?: number;
  rssMb?: number;
  /** CPU seconds (user + system) of the measured process: steadier than wall time on a busy machine. */
  cpuS?: number;
  target: string;
  ok?: boolean;
  note?: string;
}

interface Measured {
  wallMs: number;
  rssMb?: number;
  cpuS?: number;
  status: number | null;
  stdout: string;
  stderr: string;
}

const hasGnuTime = fs.existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-v', 'true']).status === 0;

/** Runs the built CLI in a fresh process: wall time from outside, peak RSS from GNU time when present. */
function runCli(cliArgs: string[], cwd: string, node = process.execPath, env: NodeJS.ProcessEnv = CLI_ENV): Measured {
  return runMeasured(node, [path.join(ROOT, 'bin', 'lambdalint.js'), ...cliArgs], cwd, env);
}

/** Cold CLI runs of a big project, each a fresh process with an empty code cache (src/cli/code-cache.ts). */
const COLD_RUNS = 3;

/**
 * A cold CLI run, COLD_RUNS times: each with a code cache folder of its own, empty (NODE_COMPILE_CACHE),
 * as the first run after an install is; the run of median wall time stands for them all. One run
 * alone moved with the machine: the same code took 3,807 and 2,964 ms for 2,000 functions in two
 * benches ten minutes apart (2026-12-05).
 */
function coldRuns(cliArgs: string[], cwd: string, tmp: string): { median: Measured; all: Measured[] } {
  const all = Array.from({ length: COLD_RUNS }, () =>
    runCli(cliArgs, cwd, process.execPath, {
      ...CLI_ENV,
      NODE_COMPILE_CACHE: fs.mkdtempSync(path.join(tmp, 'code-cache-')),
    }),
  );
  const byWall = [...all].sort((a, b) => a.wallMs - b.wallMs);
  return { median: byWall[Math.floor(COLD_RUNS / 2)], all };
}

/** Runs a command in a fresh process: wall time from outside, CPU time and peak RSS from GNU time when present. */
function runMeasured(command: string, argv: string[], cwd: string, env: NodeJS.ProcessEnv = CLI_ENV): Measured {
  const options = { cwd, encoding: 'utf8' as const, maxBuffer: 512 * 1024 * 1024, env };
  const t0 = performance.now();
  const r = hasGnuTime
    ? spawnSync('/usr/bin/time', ['-v', command, ...argv], options)
    : spawnSync(command, argv, options);
  const wallMs = performance.now() - t0;
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
  const user = /User time \(seconds\): ([\d.]+)/.exec(r.stderr ?? '');
  const sys = /System time \(seconds\): ([\d.]+)/.exec(r.stderr ?? '');
  const cpuS = user && sys ? Number(user[1]) + Number(sys[1]) : undefined;
  return {
    wallMs,
    rssMb: m ? Number(m[1]) / 1024 : undefined,
    cpuS,
    status: r.status,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
  };
}

function jsonFindings(stdout: string): { ruleId: string }[] {
  try {
    const parsed = JSON.parse(stdout) as { findings?: { ruleId: string }[] } | { ruleId: string }[];
    return Array.isArray(parsed) ? parsed : (parsed.findings ?? []);
  } catch {
    return [];
  }
}

function build(): void {
  const r = spawnSync('npm', ['run', 'bundle', '--silent'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(`bench: npm run bundle failed\n${r.stdout}${r.stderr}`);
    process.exit(2);
  }
}

/** Functions the pipeline loaded, per framework, so the table does not claim formats it skipped. */
async function loadedPerFramework(dir: string): Promise<Record<string, number>> {
  const project = loadProject({ cwd: dir, paths: ['.'] });
  await loadTerraformDirs(project, { cwd: dir, paths: ['.'] });
  const out: Record<string, number> = {};
  for (const f of project.model.functions) out[f.framework] = (out[f.framework] ?? 0) + 1;
  return out;
}

function fmt(n: number | undefined, digits = 0): string {
  return n === undefined ? '-' : n.toFixed(digits);
}

function printTable(rows: Row[]): void {
  const head = ['scenario', 'wall', 'CPU', 'functions/s', 'files/s', 'peak RSS', 'target', ''];
  const body = rows.map((r) => [
    r.scenario,
    Number.isFinite(r.wallMs) ? `${fmt(r.wallMs, 0)} ms` : '-',
    r.cpuS === undefined ? '-' : `${fmt(r.cpuS, 2)} s`,
    r.functions && Number.isFinite(r.wallMs) ? fmt((r.functions / r.wallMs) * 1000) : '-',
    r.files && Number.isFinite(r.wallMs) ? fmt((r.files / r.wallMs) * 1000) : '-',
    r.rssMb === undefined ? '-' : `${fmt(r.rssMb)} MB`,
    r.target,
    r.ok === undefined ? (r.note ?? '') : r.ok ? 'ok' : 'OVER',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  console.log(line(head));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const b of body) console.log(line(b));
}

async function main(): Promise<void> {
  console.log(
    `machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), ${(os.totalmem() / 1024 ** 3).toFixed(1)} GB, node ${process.version}, ${os.platform()} ${os.release()}`,
  );
  console.log(
    `load average: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (other work on the machine inflates wall times)`,
  );
  console.log(
    hasGnuTime
      ? 'peak RSS: /usr/bin/time -v of the CLI process'
      : 'peak RSS: not available (no GNU time); wall time only',
  );
  if (process.env.NODE_EXTRA_CA_CERTS)
    console.log(
      'NODE_EXTRA_CA_CERTS is left out of the CLI runs (Node 20 reads that file at start-up; lambdalint opens no TLS)',
    );
  console.log(
    `fixed-cost rows on ${['this Node', ...OTHER_NODES.map((n) => `Node ${n.major}`)].join(', ')}` +
      (OTHER_NODES.length < 2 ? ' (set LAMBDALINT_NODE_22 / LAMBDALINT_NODE_24 to Node binaries for the others)' : ''),
  );
  console.log('building the CLI (npm run bundle)...');
  build();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-bench-'));
  const rows: Row[] = [];
  try {
    // 1. Cold CLI runs over the generated monorepo: 2,000 and 4,000 functions (issue 18: < 3 s and
    // < 6 s wall, < 600 MB peak RSS), or the size given with --functions.
    for (const [k, n] of sizes.entries()) {
      const big: Generated = generateProject(path.join(tmp, `big-${n}`), { functions: n });
      const loaded = await loadedPerFramework(big.root);
      console.log(
        `generated ${n} functions in ${big.services} services, ${big.files} files, ${big.sdkCalls} SDK calls: ${FORMATS.map((f) => `${f} ${big.functions[f]}`).join(', ')}`,
      );
      const missing = FORMATS.filter((f) => !loaded[f]);
      console.log(
        `loaded by lint(): ${
          Object.entries(loaded)
            .map(([key, v]) => `${key} ${v}`)
            .join(', ') || 'none'
        }` + (missing.length ? ` (no functions loaded from ${missing.join(', ')}: no loader yet)` : ''),
      );
      const { median: cold, all: colds } = coldRuns(['--format', 'json', '.'], big.root, tmp);
      const loadedTotal = Object.values(loaded).reduce((a, b) => a + b, 0);
      const findings = jsonFindings(cold.stdout);
      const byRule = new Map<string, number>();
      for (const f of findings) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
      const planted = Object.entries(big.planted)
        .map(
          ([d, m]) =>
            `${DEFECT_RULE[d as keyof typeof DEFECT_RULE]} ${byRule.get(DEFECT_RULE[d as keyof typeof DEFECT_RULE]) ?? 0}/${m}`,
        )
        .join(', ');
      console.log(`cold run: exit ${cold.status}, ${findings.length} findings; found/planted: ${planted}`);
      const same = colds.every((r) => r.stdout === cold.stdout);
      console.log(
        `${COLD_RUNS} cold runs (each with an empty code cache): ${colds.map((r) => `${r.wallMs.toFixed(0)} ms`).join(', ')}; the median counts${same ? '' : ' (OUTPUTS DIFFER)'}`,
      );
      if (profile && k === 0) {
        const dir = path.join(tmp, 'profile');
        spawnSync(
          process.execPath,
          ['--cpu-prof', `--cpu-prof-dir=${dir}`, path.join(ROOT, 'bin', 'lambdalint.js'), '--format', 'json', '.'],
          { cwd: big.root, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 },
        );
        // The main thread's profile and one per worker thread: stages summed over them.
        const profs = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
        if (profs.length) {
          console.log(
            `where the cold run spends its time (CPU, inclusive, summed over ${profs.length} thread${profs.length > 1 ? 's' : ''}; stages overlap with GC and module loading):`,
          );
          const sum = new Map<string, number>();
          for (const prof of profs)
            for (const [label, ms] of stageTimes(path.join(dir, prof))) sum.set(label, (sum.get(label) ?? 0) + ms);
          const times = [...sum].sort((a, b) => b[1] - a[1]);
          for (const [label, ms] of times)
            console.log(
              `  ${label.padEnd(32)} ${ms.toFixed(0).padStart(6)} ms  ${((ms / times[0][1]) * 100).toFixed(0).padStart(3)} %`,
            );
        }
      }
      const wallTarget = n <= 2000 ? 3000 : (3000 * n) / 2000;
      rows.push({
        scenario: `cold CLI, ${n} functions generated (${loadedTotal} loaded), median of ${COLD_RUNS}`,
        wallMs: cold.wallMs,
        functions: loadedTotal,
        files: big.files,
        rssMb: cold.rssMb,
        cpuS: cold.cpuS,
        target: `< ${wallTarget / 1000} s, < 600 MB`,
        ok: cold.wallMs < wallTarget && (cold.rssMb ?? 0) < 600,
      });
    }

    // 2. One template, whole process.
    const one = generateProject(path.join(tmp, 'one'), { functions: 10, perFile: 10, formats: ['sam'] });
    const oneTemplate = path.join(one.root, 'sam', 'sam-0', 'template.yaml');
    const runs = [0, 1, 2].map(() => runCli(['--format', 'json', oneTemplate], one.root));
    const best = runs.reduce((a, b) => (a.wallMs <= b.wallMs ? a : b));
    // The same without the handler-code rules: what reading TypeScript/Python costs on its own.
    const codeOff = [
      'handler-not-found',
      'missing-dependency',
      'aws-sdk-v2-runtime',
      'sdk-permission',
      'tracing-disabled',
      'recursive-trigger',
    ].flatMap((r) => ['--rule', `${r}=off`]);
    const bare = [0, 1, 2]
      .map(() => runCli(['--format', 'json', ...codeOff, oneTemplate], one.root))
      .reduce((a, b) => (a.wallMs <= b.wallMs ? a : b));
    rows.push({
      scenario: 'one SAM template, handler-code rules off, best of 3',
      wallMs: bare.wallMs,
      functions: 10,
      files: 1,
      rssMb: bare.rssMb,
      cpuS: bare.cpuS,
      target: '< 250 ms',
      ok: bare.wallMs < 250,
    });
    rows.push({
      scenario: 'one SAM template (10 functions), whole process, best of 3',
      wallMs: best.wallMs,
      functions: 10,
      files: 1,
      rssMb: best.rssMb,
      cpuS: best.cpuS,
      target: '< 250 ms',
      ok: best.wallMs < 250,
    });

    // 3. Fixed cost (issue 18, item 1): the 52 templates beside cfn-lint, and an empty project.
    rows.push(...fixedCost(tmp));

    // 4. Memory (issue 18, item 3): one 15 MB template, whole process.
    rows.push(bigTemplate(tmp));

    // 5. The package-size check on a 300 MB folder (sparse files): the walk in a fresh process, then warm.
    const pkg = await benchPackageSize(() => {});
    const size = `${(pkg.bytes / 1e6).toFixed(0)} MB in ${pkg.files} files`;
    rows.push(
      {
        scenario: `package size, ${size}, fresh process (cold code)`,
        wallMs: pkg.coldMs,
        files: pkg.files,
        target: '< 0.3 s',
        ok: pkg.coldMs < 300,
      },
      {
        scenario: `package size, ${size}, warm (median of 5)`,
        wallMs: pkg.medianMs,
        files: pkg.files,
        target: '< 0.3 s',
        ok: pkg.medianMs < 300,
      },
    );

    // 4. The ESLint plugin re-linting a 1,000-line handler after each small edit, as an editor does.
    rows.push(...(await eslintWarm()));
  } finally {
    if (keep) console.log(`kept ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log('');
  printTable(rows);
  // 5. Each rule alone on one template of 10,000 functions and one of 10,000 queues (issue 18: n log n at most).
  console.log('');
  const scale = benchRuleScale(10000);
  for (const l of scale.lines) console.log(l);
  console.log(scale.over.length ? `rules OVER their bound: ${scale.over.join('; ')}` : 'every rule within its bound');
}

/** The best (lowest wall time) of `n` runs, with the median CPU time beside it. */
function bestOf(n: number, run: () => Measured): Measured & { cpuMedianS?: number } {
  const runs = Array.from({ length: n }, run);
  const best = runs.reduce((a, b) => (a.wallMs <= b.wallMs ? a : b));
  const cpus = runs.flatMap((r) => (r.cpuS === undefined ? [] : [r.cpuS])).sort((a, b) => a - b);
  return { ...best, ...(cpus.length ? { cpuMedianS: cpus[Math.floor(cpus.length / 2)] } : {}) };
}

/**
 * Issue 18, item 1: lambdalint and cfn-lint on the same 52 templates, whole process each (the goal:
 * lambdalint at 20× cfn-lint's speed), and an empty project (≤ 100 ms), on this Node and on the
 * versions named by LAMBDALINT_NODE_22 / LAMBDALINT_NODE_24.
 */
function fixedCost(tmp: string): Row[] {
  const rows: Row[] = [];
  const empty = path.join(tmp, 'empty');
  // A repository with nothing to lint: the search for a project stops at its .git.
  fs.mkdirSync(path.join(empty, '.git'), { recursive: true });
  fs.writeFileSync(path.join(empty, 'package.json'), '{ "name": "empty", "version": "1.0.0" }\n');
  const templates = fs.existsSync(CFN52)
    ? fs
        .readdirSync(CFN52)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
    : [];
  const cfnLint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  let cfnMs: number | undefined;
  if (!templates.length) {
    rows.push({
      scenario: '52 templates, lambdalint beside cfn-lint',
      wallMs: NaN,
      target: '20× cfn-lint',
      note: `skipped: no templates in ${CFN52} (pass --cfn52 DIR)`,
    });
  } else if (cfnLint.status !== 0) {
    console.log('cfn-lint: not installed; the 52-template row has no ratio');
  } else {
    const c = bestOf(2, () =>
      runMeasured(
        'cfn-lint',
        templates.map((t) => path.join(CFN52, t)),
        tmp,
      ),
    );
    cfnMs = c.wallMs;
    rows.push({
      scenario: `${templates.length} templates, ${cfnLint.stdout.trim()}, best of 2`,
      wallMs: c.wallMs,
      files: templates.length,
      rssMb: c.rssMb,
      cpuS: c.cpuMedianS ?? c.cpuS,
      target: '(reference)',
      note: '',
    });
  }
  for (const { label, bin } of [
    { label: `Node ${process.versions.node.split('.')[0]}`, bin: process.execPath },
    ...OTHER_NODES.map((n) => ({ label: `Node ${n.major}`, bin: n.bin })),
  ]) {
    if (templates.length) {
      const l = bestOf(5, () => runCli(['--format', 'json', CFN52], tmp, bin));
      const ratio = cfnMs === undefined ? undefined : cfnMs / l.wallMs;
      rows.push({
        scenario: `${templates.length} templates, lambdalint, ${label}, best of 5${ratio === undefined ? '' : ` (${ratio.toFixed(1)}× cfn-lint)`}`,
        wallMs: l.wallMs,
        files: templates.length,
        rssMb: l.rssMb,
        cpuS: l.cpuMedianS ?? l.cpuS,
        target: cfnMs === undefined ? '20× cfn-lint' : `≤ ${(cfnMs / 20).toFixed(0)} ms (20×)`,
        ...(cfnMs === undefined ? { note: 'no cfn-lint to compare' } : { ok: l.wallMs * 20 <= cfnMs }),
      });
    }
    const e = bestOf(5, () => runCli(['--format', 'json'], empty, bin));
    rows.push({
      scenario: `empty project, ${label}, best of 5`,
      wallMs: e.wallMs,
      rssMb: e.rssMb,
      cpuS: e.cpuMedianS ?? e.cpuS,
      target: '≤ 100 ms',
      ok: e.wallMs <= 100,
    });
  }
  return rows;
}

/** Issue 18, item 3: a 15 MB CloudFormation template (bench/big-template.ts), whole process, peak RSS. */
function bigTemplate(tmp: string): Row {
  const dir = path.join(tmp, 'big-template');
  fs.mkdirSync(path.join(dir, '.git'), { recursive: true });
  const file = path.join(dir, 'template.yaml');
  const t = writeBigTemplate(file, 15e6);
  const r = runCli(['--format', 'json', file], dir);
  const ok = r.status === 0 || r.status === 1;
  return {
    scenario: `one ${(t.bytes / 1e6).toFixed(0)} MB template (${t.functions} functions), peak RSS`,
    wallMs: r.wallMs,
    functions: t.functions,
    files: 1,
    rssMb: r.rssMb,
    cpuS: r.cpuS,
    target: '< 300 MB',
    ...(ok && r.rssMb !== undefined
      ? { ok: r.rssMb < 300 }
      : { note: ok ? 'no GNU time: RSS not measured' : `failed: exit ${r.status}` }),
  };
}

/**
 * bench/eslint-edit.ts with 30 edits: the plugin's share of a re-lint (its time on ESLint's thread)
 * against the < 30 ms target, and the whole re-lint beside ESLint alone.
 */
async function eslintWarm(): Promise<Row[]> {
  const scenario = 'ESLint plugin, 1,000-line handler re-linted after an edit';
  try {
    const r = await benchEslintEdit({ iterations: 30 });
    const ms = (xs: number[], p: number) => `${percentile(xs, p).toFixed(0)} ms`;
    const share = percentile(r.share, 95);
    return [
      {
        scenario: `${scenario}: plugin's share, p95 (p50 ${ms(r.share, 50)})`,
        wallMs: share,
        target: 'p95 < 30 ms',
        ok: share < 30,
      },
      {
        scenario: `${scenario}: whole re-lint, p95 (p50 ${ms(r.withPlugin, 50)})`,
        wallMs: percentile(r.withPlugin, 95),
        target: '-',
        note: `ESLint alone: p50 ${ms(r.alone, 50)}, p95 ${ms(r.alone, 95)}`,
      },
    ];
  } catch (e) {
    return [{ scenario, wallMs: NaN, target: 'p95 < 30 ms', note: `skipped: ${(e as Error).message.split('\n')[0]}` }];
  }
}

await main();
