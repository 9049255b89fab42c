// Runs lambdalint over a folder of real-world projects and prints what it saw:
//   npm run corpus -- ../shared/corpus [--json out.json] [--samples N]
// Each top-level folder is linted on its own, in a child-free loop with a per-folder timer; a crash
// (an exception escaping lint()) is counted and printed, never hidden.
import fs from 'node:fs';
import path from 'node:path';
import { lint, loadProject, loadTerraformDirs } from '../src/lint.js';
import type { Finding } from '../src/engine/types.js';
import { reasonKind } from '../src/report/stylish.js';

const args = process.argv.slice(2);
const root = path.resolve(args.find((a) => !a.startsWith('--')) ?? '../shared/corpus');
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;
const samples = args.includes('--samples') ? Number(args[args.indexOf('--samples') + 1]) : 0;

if (!fs.existsSync(root)) {
  console.error(`corpus: no such folder ${root}`);
  process.exit(2);
}

/** Files invalid on purpose: raw cookiecutter templates and SAM's error_* translator inputs. */
function invalidOnPurpose(file: string): boolean {
  return (
    /\{\{\s*cookiecutter/.test(safeRead(file)) || /(^|\/)error_[^/]*$/.test(file) || file.includes('{{cookiecutter')
  );
}

function safeRead(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').slice(0, 65536);
  } catch {
    return '';
  }
}

/** path → format, from every `_MANIFEST.csv` (path,format,lambda_functions,tags) under the root. */
function readManifests(dir: string, depth = 0, out = new Map<string, string>()): Map<string, string> {
  if (depth > 2) return out;
  const m = path.join(dir, '_MANIFEST.csv');
  if (fs.existsSync(m)) {
    for (const line of fs.readFileSync(m, 'utf8').split('\n').slice(1)) {
      const [file, format] = line.split(',');
      if (file && format) out.set(path.join(dir, file), format);
    }
  }
  for (const d of fs.readdirSync(dir, { withFileTypes: true }))
    if (d.isDirectory() && depth < 1) readManifests(path.join(dir, d.name), depth + 1, out);
  return out;
}
const manifest = readManifests(root);

/** The format a finding's file is written in: the corpus manifest's word, else a guess from its name. */
function formatOf(absFile: string): string {
  const known = manifest.get(absFile);
  if (known) return known;
  if (/\.tf$/.test(absFile)) return 'terraform';
  if (/(^|\/)serverless\.(ya?ml|json|ts|js)$/.test(absFile)) return 'serverless';
  if (/cdk\.out\//.test(absFile)) return 'cdk';
  return /AWS::Serverless-2016-10-31/.test(safeRead(absFile)) ? 'sam' : 'cloudformation';
}

const started = performance.now();
let lintMs = 0;
const functionsByFramework = new Map<string, number>();
const byRule = new Map<string, number>();
const byFramework = new Map<string, number>();
const crashes: { folder: string; error: string }[] = [];
const parseErrors = { onPurpose: 0, other: [] as Finding[] };
let files = 0;
let templates = 0;
let functions = 0;
const all: Finding[] = [];
let slowest = { folder: '', ms: 0 };
// What could not be checked: functions per kind of reason, and per full reason.
const skippedBy = new Map<string, Set<string>>();
const skippedFull = new Map<string, Set<string>>();
const skippedFns = new Set<string>();

const folders = fs
  .readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => {
    // One lint per project folder (two levels down) keeps a crash local and timings readable.
    const top = path.join(root, d.name);
    const inner = fs.readdirSync(top, { withFileTypes: true }).filter((e) => e.isDirectory());
    return inner.length
      ? inner
          .map((e) => path.join(top, e.name))
          .concat(fs.readdirSync(top).some((f) => /\.(ya?ml|json|tf)$/.test(f)) ? [top + '/*'] : [])
      : [top];
  });

for (const folder of folders) {
  const t0 = performance.now();
  const topFiles = folder.endsWith('/*');
  const dir = topFiles ? folder.slice(0, -2) : folder;
  const paths = topFiles
    ? fs
        .readdirSync(dir)
        .filter((f) => /\.(ya?ml|json|tf)$/.test(f))
        .map((f) => path.join(dir, f))
    : [dir];
  try {
    const tl = performance.now();
    const result = await lint({ cwd: root, paths, today: new Date('2026-11-26T00:00:00Z') });
    lintMs += performance.now() - tl;
    // Functions per framework need the model, which lint() does not return: load once more (untimed).
    const project = loadProject({ cwd: root, paths });
    await loadTerraformDirs(project, { cwd: root, paths });
    for (const fn of project.model.functions)
      functionsByFramework.set(fn.framework, (functionsByFramework.get(fn.framework) ?? 0) + 1);
    files += result.stats.files;
    templates += result.stats.templates;
    functions += result.stats.functions;
    for (const e of result.toolErrors) crashes.push({ folder: path.relative(root, dir), error: e });
    for (const e of result.coverage?.notChecked ?? []) {
      const who = `${e.file}\u0000${e.function ?? ''}`;
      skippedFns.add(who);
      for (const [m, k] of [
        [skippedBy, reasonKind(e.reason).replace(/ (parameter|variable|local) \S+$/, ' $1')],
        [skippedFull, e.reason],
      ] as const) {
        if (!m.has(k)) m.set(k, new Set());
        m.get(k)!.add(who);
      }
    }
    for (const f of result.findings) {
      if (f.ruleId === 'parse-error') {
        if (invalidOnPurpose(f.absoluteFile)) parseErrors.onPurpose++;
        else parseErrors.other.push(f);
        continue;
      }
      byRule.set(`${f.ruleId} (${f.severity})`, (byRule.get(`${f.ruleId} (${f.severity})`) ?? 0) + 1);
      all.push(f);
    }
  } catch (e) {
    crashes.push({ folder: path.relative(root, dir), error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
  const ms = performance.now() - t0;
  if (ms > slowest.ms) slowest = { folder: path.relative(root, dir), ms };
}

// Findings by framework: the folder's manifest says which format each file is in.
for (const f of all) {
  const fw = formatOf(f.absoluteFile);
  byFramework.set(fw, (byFramework.get(fw) ?? 0) + 1);
}

const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`corpus: ${root}`);
console.log(`folders linted: ${folders.length}`);
console.log(`files read: ${files}, templates: ${templates}, functions: ${functions}`);
console.log(
  `functions by framework: ${[...functionsByFramework]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(', ')}`,
);
console.log(`findings: ${all.length}`);
for (const [rule, n] of [...byRule].sort((a, b) => b[1] - a[1])) console.log(`  ${rule.padEnd(40)} ${n}`);
console.log('findings by format:');
for (const [fw, n] of [...byFramework].sort((a, b) => b[1] - a[1])) console.log(`  ${fw.padEnd(40)} ${n}`);
console.log(
  `parse errors: ${parseErrors.onPurpose + parseErrors.other.length} (${parseErrors.onPurpose} in files invalid on purpose, ${parseErrors.other.length} others)`,
);
for (const f of parseErrors.other.slice(0, 15)) console.log(`  ${f.file}:${f.line}:${f.column} ${f.message}`);
console.log(`not checked: ${skippedFns.size} functions (or files) with something skipped, by kind of reason:`);
for (const [k, fns] of [...skippedBy].sort((a, b) => b[1].size - a[1].size))
  console.log(`  ${String(fns.size).padStart(5)}  ${k}`);
if (args.includes('--reasons')) {
  console.log('not checked, every reason:');
  for (const [k, fns] of [...skippedFull].sort((a, b) => b[1].size - a[1].size))
    console.log(`  ${String(fns.size).padStart(5)}  ${k}`);
}
console.log(`crashes: ${crashes.length}`);
for (const c of crashes.slice(0, 20)) console.log(`  ${c.folder}: ${c.error.split('\n').slice(0, 4).join(' | ')}`);
console.log(
  `time: ${seconds} s in all, ${(lintMs / 1000).toFixed(1)} s inside lint() (slowest folder ${slowest.folder}: ${(slowest.ms / 1000).toFixed(2)} s)`,
);
if (samples > 0) {
  console.log(`\nsample findings:`);
  const step = Math.max(1, Math.floor(all.length / samples));
  for (let i = 0; i < all.length && i / step < samples; i += step) {
    const f = all[i];
    console.log(`  ${f.file}:${f.line}:${f.column} ${f.ruleId} [${f.function}] ${f.message}`);
  }
}
if (jsonOut)
  fs.writeFileSync(
    jsonOut,
    JSON.stringify(
      { files, templates, functions, byRule: Object.fromEntries(byRule), crashes, findings: all },
      null,
      2,
    ),
  );
process.exitCode = crashes.length ? 1 : 0;
