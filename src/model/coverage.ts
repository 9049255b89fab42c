// Recording what could not be checked. Loaders and analysis stages call `notChecked`; rules call
// `context.skip`, which lands here too. Nothing is recorded twice.
import type { Model, NotChecked } from './types.js';

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
