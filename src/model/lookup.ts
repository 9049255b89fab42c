// Lookups by deployment and id or name, built once instead of a scan of a model list per item.
import type { Deployment } from './types.js';

/**
 * The first item of each deployment and key (`keyOf`; undefined: not indexed), as a scan in list
 * order finds it. The list may grow between lookups (a loader appends functions as it reads them):
 * items appended since the last lookup are indexed first, so each answer is the one a scan at that
 * moment gives, as long as an item's key does not change once it is in the list.
 */
export function lookupBy<T extends { deployment: Deployment }>(
  items: readonly T[],
  keyOf: (item: T) => string | undefined,
): (deployment: Deployment, key: string | undefined) => T | undefined {
  const index = new Map<Deployment, Map<string, T>>();
  let indexed = 0;
  return (deployment, key) => {
    // Nothing to find for no key: the list is indexed on the first lookup of a key.
    if (key === undefined) return undefined;
    for (; indexed < items.length; indexed++) {
      const item = items[indexed];
      const k = keyOf(item);
      if (k === undefined) continue;
      let m = index.get(item.deployment);
      if (!m) index.set(item.deployment, (m = new Map()));
      if (!m.has(k)) m.set(k, item);
    }
    return index.get(deployment)?.get(key);
  };
}
