// Node built-ins that only some runs use, loaded when first used. A static `import` of them is
// hoisted to the top of the bundled CLI and paid by every run: node:crypto alone (findings'
// fingerprints, cache keys) costs 5–10 ms of start-up, the `performance` global loads
// node:perf_hooks, node:worker_threads a few more. process.getBuiltinModule exists from Node 20.16
// (https://nodejs.org/api/process.html#processgetbuiltinmoduleid); package.json requires 20.19.

/** The hex or base64 digest of a text. */
export function digest(algorithm: 'sha1' | 'sha256', text: string, encoding: 'hex' | 'base64'): string {
  return process.getBuiltinModule('node:crypto').createHash(algorithm).update(text).digest(encoding);
}

/**
 * FNV-1a (32 bits) of a text's UTF-16 code units: small, fast, the same on every machine, and no
 * module to load (for names and shares, not for security).
 */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Milliseconds from an arbitrary origin, for durations (process.hrtime: no module to load). */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
