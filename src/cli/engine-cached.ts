// What prebuilt/cli.cjs imports in place of ./engine.js (scripts/bundle.mjs): the engine's exports,
// from prebuilt/cli-engine.cjs beside it, run with V8's code cache (code-cache.ts). Only meaningful
// in the bundle, where import.meta.url is prebuilt/cli.cjs's; from the sources (tests) main.ts
// imports ./engine.js itself.
import { fileURLToPath } from 'node:url';
import { requireCached } from './code-cache.js';

type Engine = typeof import('./engine.js');

const engine = requireCached(fileURLToPath(new URL('./cli-engine.cjs', import.meta.url))) as Engine;

export const {
  UsageError,
  lint,
  selectRules,
  formatResult,
  createBaseline,
  validateBaseline,
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
