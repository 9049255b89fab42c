// Recording what could not be checked. Loaders and analysis stages call `notChecked`; rules call
// `context.skip`, which lands here too. Nothing is recorded twice. What was checked, and how it
// came out, is recorded only when a report asks for it (`NeedRecorder`, the HTML report's matrix).
import type { LambdaFunction, Model, NotChecked, Origin } from './types.js';

function key(e: NotChecked): string {
  return [e.fn ?? '', e.file, [...e.rules].sort().join(','), e.reason].join('\u0000');
}

const seen = new WeakMap<Model, Set<string>>();

/** Records that `rules` (all rules when empty) could not decide for `fn`, and why. */
export function notChecked(model: Model, entry: NotChecked): void {
  let keys = seen.get(model);
  if (!keys) {
    keys = new Set(model.notChecked.map(key));
    seen.set(model, keys);
  }
  const k = key(entry);
  if (keys.has(k)) return;
  keys.add(k);
  model.notChecked.push({ ...entry, rules: [...entry.rules] });
}

/** One thing a function needs a permission for, as a permission rule evaluated it. */
export interface NeedOutcome {
  /** What is needed, in words: `logs:CreateLogStream on /aws/lambda/orders:*`, `SQS queue Jobs invokes`. */
  item: string;
  status: 'allowed' | 'missing' | 'unknown';
  /** Why it is unknown or missing, when more than "no statement allows it" can be said. */
  reason?: string;
  /** What decides it: the Allow statements that grant it (SAM, Serverless and Terraform defaults included), a permission resource, or the Deny that refuses it. */
  decidedBy?: Origin[];
}

export type NeedRecorder = (fn: LambdaFunction, outcome: NeedOutcome) => void;
