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

/** The compiled modules (runtime, grammar), kept referenced so that V8 keeps them cached. */
let compiling: Promise<object[]> | undefined;

/**
 * For the CLI's own process: WebAssembly compiled by Liftoff, V8's baseline compiler, only. By default V8 also recompiles the parser's hottest
 * functions with its optimizing compiler on background threads: about 0.5 s of CPU for
 * tree-sitter-python, which a run of a few Python files never earns back, and which the process
 * waits for before it exits (Node drains V8's background tasks). Measured on bench-cfn52's 26 inline
 * Python functions: 0.28 s of CPU instead of 0.46 s for loading the parser and parsing them, and no
 * wait at exit; a 2,000-function run costs the same either way. The flags are V8's
 * (`node --v8-options`: --liftoff-only), set when the CLI starts, before any WebAssembly compiles
 * and before any worker thread starts, so that every module of the process is compiled alike (about
 * 1 ms: node:v8 loads). Not --no-wasm-lazy-compilation (compile every function up front): on Node
 * 24 an asynchronous WebAssembly.compile then never settles. The API and the ESLint plugin run in someone
 * else's process: they leave its flags alone.
 */
export function useBaselineWasmCompiler(): void {
  const v8 = process.getBuiltinModule('node:v8');
  v8.setFlagsFromString('--liftoff-only');
  const budget = TIERING_BUDGET.get(Number(process.versions.v8.split('.')[0]));
  if (budget) v8.setFlagsFromString(`--wasm-tiering-budget=${budget}`);
}

/**
 * By V8 major, where --liftoff-only set at run time does not hold: V8 13 (Node 24) still tiers the
 * parser up (`--trace-wasm-compilation-times`: 16 TurboFan compiles in a bench-cfn52 run, 56 in a
 * 2,000-function run; none on Node 20 or 22, nor with the flag on Node 24's command line). There a
 * function tiers up only once it has run V8's largest budget (the flag is an int; the default is
 * 1,800,000, roughly bytes executed): bench-cfn52's 26 inline functions and test/wasm-tiering.test.ts's
 * 30 never get there (0 compiles); about 150 KB of Python does for its two hottest functions (the
 * parse loop, a 27 KB function, and the lexer), the 2,000-function run for 21 (56 by default). A
 * big run gains from it there: that run's Python and Terraform, parsed in one thread, took 1.27 s of
 * CPU tiered from the start, 1.44 s with this budget and 1.54 s never tiered up.
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
