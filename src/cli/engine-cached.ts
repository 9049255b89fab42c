// What prebuilt/cli.cjs imports in place of ./engine.js (scripts/bundle.mjs): the engine's exports,
// from prebuilt/cli-engine.cjs beside it, run with V8's code cache (code-cache.ts). Only meaningful
// in the bundle, where import.meta.url is prebuilt/cli.cjs's; from the sources (tests) main.ts
// imports ./engine.js itself.
import { fileURLToPath } from 'node:url';
import { requireCached } from './code-cache.js';
import { wasmTiers } from '../code/python-wasm.js';

type Engine = typeof import('./engine.js');

// V8 takes a code cache only when its flags are those the cache was made with: the WebAssembly flags
// of a big run differ (chooseWasmTiers), so big and small runs keep a cache each, where one cache
// was rejected and written again at every switch between them.
const engine = requireCached(
  fileURLToPath(new URL('./cli-engine.cjs', import.meta.url)),
  process.env,
  wasmTiers() === 'tiered' ? 'wasm-tiered' : '',
) as Engine;

export const {
  UsageError,
  lint,
  selectRules,
  formatResult,
  createBaseline,
  changedFiles,
  importersOf,
  projectPathsFor,
  stagedFiles,
  stagedSources,
  explain,
  formatPatch,
  entry,
  parseSource,
} = engine;

// Every export of engine.ts is here: tsc fails on this line when one is missing.
const exported: Record<Exclude<keyof Engine, keyof typeof import('./engine-cached.js')>, never> = {};
void exported;
