// `lambdalint explain <rule>`: the rule's documentation, the same text as docs/rules/<id>.md.
import { rules } from '../../rules/index.js';
import { ruleDoc } from '../docs.js';
import { PARSE_ERROR_RULE } from '../engine/parse-error.js';
import { SUPPRESSION_RULE } from '../engine/suppress.js';
import type { Io } from './io.js';

export function explain(args: readonly string[], io: Pick<Io, 'stdout' | 'stderr'>): number {
  const all = [...rules, PARSE_ERROR_RULE, SUPPRESSION_RULE];
  if (args.length !== 1) {
    io.stderr(`lambdalint: explain takes one rule id: ${all.map((r) => r.id).join(', ')}\n`);
    return 2;
  }
  const id = args[0].replace(/^lambdalint\//, '');
  const rule = all.find((r) => r.id === id);
  if (!rule) {
    io.stderr(`lambdalint: unknown rule '${args[0]}'; the rules are: ${all.map((r) => r.id).join(', ')}\n`);
    return 2;
  }
  io.stdout(ruleDoc(rule, { examples: false }));
  return 0;
}
