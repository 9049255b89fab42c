// The Python parser's two WebAssembly modules (web-tree-sitter's runtime and the tree-sitter-python
// grammar), compiled ahead of their first use. WebAssembly.compile runs on V8's background threads,
// so a run that starts it when it first reads a template naming a Python runtime has the modules
// compiled while this thread goes on parsing templates. V8 keeps compiled modules by their bytes
// for the whole process (its native module cache): when web-tree-sitter later compiles the same
// bytes, on a worker, it gets these; this thread's Python parser instantiates these very modules,
// synchronously (compiledPythonModules, src/source/tree-sitter.ts). Measured on bench-cfn52's 26 inline Python
// functions (Node 20, idle machine): loading the parser and parsing them took 53–64 ms of this
// thread's time with V8's defaults, and the process then waited 110–150 ms to exit; started ahead,
// with the baseline compiler only (useBaselineWasmCompiler), 29–33 ms and no wait.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { webAssembly } from '../source/wasm.js';
import type { Discovered } from '../discover/index.js';
import { TERRAFORM_FILE } from '../source/terraform-files.js';

/** The compiled modules (runtime, grammar), kept referenced so that V8 keeps them cached. */
let compiling: Promise<object[]> | undefined;

/**
 * For the CLI's own process: WebAssembly compiled by Liftoff, V8's baseline compiler, only. By
 * default V8 also recompiles the parser's hottest functions with its optimizing compiler on
 * background threads: about 0.5 s of CPU for tree-sitter-python, which a run of a few Python files
 * never earns back, and which the process waits for before it exits (Node drains V8's background
 * tasks). Measured on bench-cfn52's 26 inline Python functions: 0.28 s of CPU instead of 0.46 s for
 * loading the parser and parsing them, and no wait at exit. The flags are V8's (`node
 * --v8-options`: --liftoff-only), set before any WebAssembly compiles and before any worker thread
 * starts, so that every module of the process is compiled alike (about 1 ms: node:v8 loads). Not
 * --no-wasm-lazy-compilation (compile every function up front): on Node 24 an asynchronous
 * WebAssembly.compile then never settles. The API and the ESLint plugin run in someone else's
 * process: they leave its flags alone.
 */
function useBaselineWasmCompiler(): void {
  const v8 = process.getBuiltinModule('node:v8');
  v8.setFlagsFromString('--liftoff-only');
  const budget = TIERING_BUDGET.get(Number(process.versions.v8.split('.')[0]));
  if (budget) v8.setFlagsFromString(`--wasm-tiering-budget=${budget}`);
}

let tiersChosen: 'liftoff' | 'tiered' | undefined;

/** What chooseWasmTiers chose for this process, if it was called. */
export function wasmTiers(): 'liftoff' | 'tiered' | undefined {
  return tiersChosen;
}

/**
 * Chooses, once per process (later calls change nothing), how the CLI's WebAssembly compiles: a
 * big run (`big`, isBigRun) keeps V8's defaults, where the parsers' hottest functions tier up to
 * TurboFan; any other run stays with Liftoff (useBaselineWasmCompiler). Called before anything
 * that parses with tree-sitter: a function's tier is fixed when it first compiles, at its first
 * call (WebAssembly compiles lazily), and the flags hold for the worker threads too.
 */
export function chooseWasmTiers(big: boolean): void {
  if (tiersChosen) return;
  tiersChosen = big ? 'tiered' : 'liftoff';
  if (!big) useBaselineWasmCompiler();
}

/**
 * From this many bytes of the inputs discovery found (templates, Serverless files, Terraform
 * files), a run tiers its WebAssembly up: TurboFan's compiles (50-70 functions of the runtime and
 * the grammars, on V8's background threads) are then paid back by faster parses. CPU of the whole
 * process, medians of 6-8 alternating runs at load 8-10, Liftoff-only -> tiered, projects made by
 * bench/generate.ts (its default mix; the bytes are what this function counts):
 * - 250 functions (0.26 MB): Node 20 1,454 -> 1,520 ms;
 * - 500 functions (0.52 MB): Node 20 2,383 -> 2,415, Node 22 2,144 -> 2,141, Node 24 2,241 -> 2,120;
 * - 1,000 functions (1.07 MB): Node 20 4,211 -> 4,016, Node 22 3,571 -> 3,407, Node 24 3,731 -> 3,553;
 * - 2,000 functions (2.18 MB), against the build before (501da97, 5 rounds, load 1.4-2.2): Node 20
 *   6,801 -> 6,049 ms (wall min / median 3,205 / 4,010 -> 3,120 / 3,360), Node 22 5,373 -> 5,061
 *   (2,970 / 3,018 -> 2,731 / 2,876), Node 24 5,758 -> 5,142 (2,910 / 3,229 -> 2,832 / 3,005);
 * - 4,000 functions (4.36 MB), the same way (load 9-11): Node 20 12,617 -> 11,396, Node 22 11,665 ->
 *   11,093, Node 24 10,611 -> 10,395; wall min and median lower on each.
 * Below the size, bench-cfn52 and a one-template run are as before (they never reach it).
 * The bytes of the inputs stand for the code behind them: the handler files are not known before
 * the templates load, and a worker thread starts on the Terraform files before that.
 */
const BIG_RUN_BYTES = 768 * 1024;

/**
 * By V8 major, where tiering up pays from fewer bytes. V8 13 (Node 24) keeps a small run's
 * WebAssembly on a tiering budget (TIERING_BUDGET), not on Liftoff alone, and there tiering up as
 * by default pays sooner. Wall median and CPU of the whole process, 6 alternating rounds, budget ->
 * tiered, projects made by bench/generate.ts (2026-12-05, load 2):
 * - 50 functions (51 KB): 286 -> 312 ms, CPU 439 -> 467 ms;
 * - 100 functions (99 KB): 460 -> 460 ms, 793 -> 775;
 * - 250 functions (254 KB): 690 -> 680 ms, 1,205 -> 1,192;
 * - 350 functions (353 KB): 850 -> 854 ms, 1,484 -> 1,468;
 * - 500 functions (510 KB): 1,209 -> 1,112 ms, 2,093 -> 1,946.
 * Node 20 at 250 and 500 functions: 673 -> 715 and 1,096 -> 1,105 ms (Liftoff alone wins); Node 22
 * the same either way (726 -> 734, 1,022 -> 1,007 ms): they keep BIG_RUN_BYTES.
 */
const BIG_RUN_BYTES_BY_V8 = new Map<number, number>([[13, 384 * 1024]]);

/** From how many bytes of inputs a run is big on this V8. */
function bigRunBytes(): number {
  return BIG_RUN_BYTES_BY_V8.get(Number(process.versions.v8.split('.')[0])) ?? BIG_RUN_BYTES;
}

/**
 * Whether the files discovery found add up to `limit` (by default this V8's size from which a run
 * is big; statted until they do; a cloud assembly's templates are not counted).
 */
export function isBigRun(all: Discovered, limit = bigRunBytes()): boolean {
  let bytes = 0;
  const add = (file: string): boolean => {
    try {
      bytes += fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
    } catch {
      // Unreadable since discovery listed it (a link loop, permissions): the loader reports it.
    }
    return bytes >= limit;
  };
  for (const file of all.templates) if (add(file)) return true;
  for (const file of all.serverless) if (add(file)) return true;
  for (const dir of all.terraform) {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) if (TERRAFORM_FILE.test(name) && add(path.join(dir, name))) return true;
  }
  return false;
}

/**
 * By V8 major, where --liftoff-only set at run time does not hold: V8 13 (Node 24) still tiers the
 * parser up (`--trace-wasm-compilation-times`: 16 TurboFan compiles in a bench-cfn52 run, 56 in a
 * 2,000-function run; none on Node 20 or 22, nor with the flag on Node 24's command line). There a
 * function tiers up only once it has run V8's largest budget (the flag is an int; the default is
 * 13,000,000 on V8 12 and 13, 1,800,000 on V8 11, roughly bytes executed): bench-cfn52's 26 inline
 * functions and test/wasm-tiering.test.ts's 30 never get there (0 compiles); about 150 KB of Python
 * does for its two hottest functions (the parse loop, a 27 KB function, and the lexer), the
 * 2,000-function run for 21 (56 by default).
 * That run's Python and Terraform, parsed in one thread, took 1.27 s of CPU tiered from the start,
 * 1.44 s with this budget and 1.54 s never tiered up: a big run keeps the default (chooseWasmTiers).
 */
const TIERING_BUDGET = new Map<number, number>([[13, 2_147_483_647]]);

let files: { runtime: string; language: string } | undefined;

/**
 * Where the two modules are (the runtime beside web-tree-sitter's script, the grammar in its
 * package), found once: Node does not keep what it resolves through a package's `exports`, and the
 * warm-up and the parser each ask (about 3 ms a time on Node 20).
 */
export function pythonWasmFiles(): { runtime: string; language: string } {
  if (files) return files;
  const require = createRequire(import.meta.url);
  return (files = {
    runtime: require.resolve('web-tree-sitter/web-tree-sitter.wasm'),
    language: path.join(path.dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm'),
  });
}

/**
 * Starts compiling the Python parser's modules, once; never throws (a missing or bad file is
 * reported, as before, when the parser loads).
 */
export function warmPythonParser(): void {
  if (compiling) return;
  try {
    const files = pythonWasmFiles();
    compiling = Promise.all([files.runtime, files.language].map((f) => webAssembly.compile(fs.readFileSync(f))));
    compiling.catch(() => undefined);
  } catch {
    compiling = Promise.resolve([]);
  }
}

/**
 * The two modules warmPythonParser compiled (WebAssembly.Module objects), or undefined when it
 * could not compile them (the parser then loads from the files, and reports what is wrong).
 */
export async function compiledPythonModules(): Promise<{ runtime: object; language: object } | undefined> {
  warmPythonParser();
  try {
    const [runtime, language] = await compiling!;
    return runtime && language ? { runtime, language } : undefined;
  } catch {
    return undefined;
  }
}
