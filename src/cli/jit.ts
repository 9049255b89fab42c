// V8's optimizing compiler (TurboFan) held back in the CLI's own process.
//
// TurboFan compiles hot functions again on V8's background threads, and on the 2,000-function
// bench it spent more CPU doing so than the parse worker spent parsing: Linux `perf` put a third of
// the process's samples in `v8::internal::compiler`, on the four platform threads, about 5 s of
// CPU of 12 (Node 20, 2 cores). Most of it went to a few long functions: the async function that
// analyses one Lambda function's handler code (9.5 KB of bytecode, compiled 6 times after deopts,
// each compile inlining everything it calls), the JS/TS program walk (8.4 KB), the Python file walk.
// Their optimized code bought nothing measurable: the main thread's own CPU stays the same without
// it. On two cores those background threads take their time from the two threads that parse.
//
// So the CLI compiles nothing over 8 KB of bytecode with TurboFan and inlines nothing into what it
// does compile; everything else tiers up as before (Sparkplug, TurboFan; Maglev on Node 22+).
// Measured by alternating runs (CPU of the whole process, median of 3, machine loaded):
// - 2,000 functions: Node 20 12.2 -> 10.3 s, background threads 5.2 -> 3.1 s; Node 22 13.9 -> 11.4 s;
//   Node 24 12.5 -> 11.0 s; identical JSON;
// - bench-cfn52: 646 -> 601 ms; the 15 MB template: 4.82 -> 4.59 s.
// They are V8 flags (`node --v8-options`), set once, before the engine's modules run and before any
// worker thread starts: they hold for the whole process. The flags exist in V8 11 to 13 (Node 20,
// 22, 24; test/jit.test.ts runs the CLI on each at hand); another V8 is left at its defaults, since
// V8 prints an error for a flag it does not know. The API and the ESLint plugin run in someone
// else's process: they leave its flags alone.

/** V8 majors whose flags were checked: Node 20 (11.3), 22 (12.4), 24 (13.6). */
const KNOWN_V8 = new Set([11, 12, 13]);

const JIT_FLAGS = ['--no-turbo-inlining', '--max-optimized-bytecode-size=8192'] as const;

/**
 * By V8 major: a function is optimized by TurboFan later than by default. Optimized earlier, many
 * functions were compiled before their feedback had settled and were compiled again and again after
 * deoptimizations. CPU of the whole process, alternating runs, same output:
 * - Node 20 (V8 11: --interrupt-budget, 66 KB of bytecode run by default): twice the default took
 *   the 2,000-function bench from 750 to 538 TurboFan compiles, deopts 189 -> 137, CPU 9.28 -> 8.68 s
 *   (median of 6, load 3-4); bench-cfn52 466 -> 408 ms (median of 16). Eight times the default,
 *   once the parse worker mostly parses Python and this thread JavaScript and big runs tier their
 *   WebAssembly up (2,000 functions: both cores busy, V8's helper threads compiling beside them):
 *   CPU 5,746 -> 5,369 ms, wall min / median 3,146 / 3,225 -> 2,976 / 3,085 ms (medians of 7,
 *   alternating, load 2.2-2.6); 4,000 functions CPU 10,239 -> 10,136 ms; bench-cfn52 CPU 274 ->
 *   254 ms and one template 196 -> 188 ms, wall the same (11 rounds). Sixteen times: no clear gain
 *   over eight (CPU 5,391 against 5,413 ms).
 * - Node 22 (V8 12: --invocation-count-for-turbofan, 3000, doubled; Maglev comes first there): the
 *   2,000-function bench 709 -> 489 TurboFan compiles, CPU 9.51 -> 9.30 s and 10.23 -> 9.31 s (medians
 *   of 6 and 5, 10 of 11 rounds lower); bench-cfn52 519 -> 453 ms (median of 12).
 * - Node 24 (V8 13): the same flag made the 2,000-function bench slower (8.46 -> 9.48 s, 5 of 5
 *   rounds): left at its default.
 */
const TIERING_FLAGS = new Map<number, readonly string[]>([
  [11, ['--interrupt-budget=540672']],
  [12, ['--invocation-count-for-turbofan=6000']],
]);

/** Sets JIT_FLAGS (and this V8's TIERING_FLAGS) for this process; returns whether it did (false on an unchecked V8). */
export function tuneJit(): boolean {
  const major = Number(process.versions.v8.split('.')[0]);
  if (!KNOWN_V8.has(major)) return false;
  const v8 = process.getBuiltinModule('node:v8');
  for (const flag of JIT_FLAGS) v8.setFlagsFromString(flag);
  for (const flag of TIERING_FLAGS.get(major) ?? []) v8.setFlagsFromString(flag);
  return true;
}
