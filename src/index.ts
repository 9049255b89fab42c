// lambdalint's public API: one call, lint(), that every front end uses.
export {
  createLintCache,
  lint,
  loadProject,
  selectRules,
  type LintCache,
  type LintOptions,
  type LoadedProject,
} from './lint.js';
export type { LintResult } from './engine/result.js';
export type { Finding, Severity, AnyRule, RuleDefinition, RuleContext } from './engine/types.js';
export { defineRule } from './engine/types.js';
export { formatResult, formats, type Format } from './report/index.js';
export { rules } from '../rules/index.js';
export type * from './model/types.js';
