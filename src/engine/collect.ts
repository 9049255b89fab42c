// A full garbage collection asked of V8 once a big template's parse tree is garbage.
//
// V8 sizes the old generation from what its last full collection found alive, and with a big
// template that collection comes while the template's tree (six to seven times the text) is being
// modelled: nothing collects the dead tree afterwards, so every later allocation goes on top of it
// and the process's peak is the tree, the model and the rules' garbage together. Collected once the
// model is built, the rules reuse the tree's space. A 15 MB template: about 300 MB peak RSS without
// (Node 20), about 260 MB with, for 50-150 ms of collection.
import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * Collects all garbage now, when the `gc` function can be had (V8's --expose-gc, set for the moment
 * it takes to make one context that has it, so no other context sees it). Returns whether it ran.
 */
export function collectGarbage(): boolean {
  let gc: ((options?: object) => void) | undefined;
  try {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as typeof gc;
  } catch {
    gc = undefined;
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
  if (typeof gc !== 'function') return false;
  const used = () => v8.getHeapStatistics().used_heap_size;
  const before = used();
  // V8 12+ (Node 22, 24) collects everything, synchronously, when asked with these options; V8 11
  // (Node 20) reads them as a young-generation collection, and collects everything when asked with
  // none. Measured: each form alone leaves the tree alive on the other versions.
  gc({ type: 'major', execution: 'sync' });
  if (used() > before * 0.9) gc();
  return true;
}
