// The baseline file's shape and its check. A module of its own, with no imports, so that the CLI's
// entry checks a --baseline file before discovery without loading the engine: the engine's first
// load fixes V8's WebAssembly flags (src/cli/main.ts), which a run chooses from what discovery
// finds (a big run tiers the parsers up: src/code/python-wasm.ts).

/**
 * `{ "<file relative to cwd>": { "<ruleId>": { "count": n } } }`, like eslint-suppressions.json: how many
 * findings of each rule in each file are accepted (`--baseline`).
 */
export type Baseline = Record<string, Record<string, { count: number }>>;

/** Checks a baseline file's parsed content; returns a problem sentence or the baseline. */
export function validateBaseline(raw: unknown): Baseline | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return 'a baseline is an object of file to rule to { "count": n }';
  for (const [file, byRule] of Object.entries(raw)) {
    if (typeof byRule !== 'object' || byRule === null || Array.isArray(byRule))
      return `entry '${file}' must be an object of rule id to { "count": n }`;
    for (const [rule, v] of Object.entries(byRule as Record<string, unknown>)) {
      const count = (v as { count?: unknown } | null)?.count;
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 0)
        return `'${file}' → '${rule}' needs a whole "count"`;
    }
  }
  return raw as Baseline;
}
