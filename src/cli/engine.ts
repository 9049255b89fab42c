// What the CLI loads only when a run has something to lint, or an option needs it: the engine
// (loaders, handler-code analysis, rules), the reporters that read rule metadata, baselines, the
// git-based selection of projects and `explain`. The bundle puts it in chunks of its own
// (scripts/bundle.mjs), so a run with nothing to lint neither reads nor compiles it (src/cli/main.ts).
export { lint, selectRules } from '../lint.js';
export { formatResult } from '../report/index.js';
export { createBaseline, validateBaseline } from '../engine/suppress.js';
export { changedFiles, importersOf, projectPathsFor, stagedFiles, stagedSources } from './changed.js';
export { explain } from './explain.js';
