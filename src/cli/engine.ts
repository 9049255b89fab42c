// What the CLI loads only when a run has something to lint, or an option needs it: the engine
// (loaders, handler-code analysis, rules), the reporters that read rule metadata, baselines, the
// git-based selection of projects and `explain`. The bundle makes it a file of its own,
// prebuilt/cli-engine.cjs (scripts/bundle.mjs), so a run with nothing to lint neither reads nor
// compiles it (src/cli/main.ts). That file has its own copy of discovery: its UsageError is
// exported for the CLI to recognise.
export { UsageError } from '../discover/index.js';
export { lint, selectRules } from '../lint.js';
export { formatResult } from '../report/index.js';
export { createBaseline } from '../engine/suppress.js';
export { changedFiles, importersOf, projectPathsFor, stagedFiles, stagedSources } from './changed.js';
export { explain } from './explain.js';
export { formatPatch } from '../report/patch.js';
// For src/config/load.ts's import of the template parser, which the bundled entry resolves here.
export { entry, parseSource } from '../source/parse.js';
