import { defineRule } from './types.js';

/** Not a rule of the catalog: the id under which files that cannot be parsed are reported. */
export const PARSE_ERROR_RULE = defineRule({
  id: 'parse-error',
  severity: 'error',
  category: 'internal',
  frameworks: [],
  docs: {
    summary: 'Every template lambdalint finds can be parsed.',
    why: 'A file that cannot be parsed cannot be deployed, and lambdalint cannot check anything in it.',
    fix: 'Fix the syntax at the reported position (or, for a file that is not a template, exclude it from the paths linted).',
  },
  messages: { parse: '{{reason}}' },
  check() {},
});
