// Typed rule options. A rule declares each option it takes with a small schema and a default; the
// config loader checks what a file sets against it (errors name the key path), lint() applies the
// defaults, the generated docs and the editor schema list the options, and the rule reads them
// typed. Written here rather than with a validator library: no validator ships at run time (ajv
// is a test dependency, docs/ARCHITECTURE.md), and five option kinds are all rules need.

interface OptionBase {
  /** One sentence for the docs and the editor schema. */
  description: string;
}

export type OptionSchema =
  | (OptionBase & { type: 'integer'; minimum?: number; maximum?: number; default: number })
  | (OptionBase & { type: 'number'; minimum?: number; maximum?: number; default: number })
  | (OptionBase & { type: 'boolean'; default: boolean })
  | (OptionBase & { type: 'string'; enum?: readonly string[]; default: string })
  | (OptionBase & { type: 'string-list'; default: readonly string[] });

export type OptionSchemas = Record<string, OptionSchema>;

type ValueOf<S extends OptionSchema> = S['type'] extends 'integer' | 'number'
  ? number
  : S['type'] extends 'boolean'
    ? boolean
    : S['type'] extends 'string'
      ? string
      : readonly string[];

/** What a rule's `check` receives: every declared option, set or defaulted. */
export type OptionValues<O extends OptionSchemas> = { readonly [K in keyof O]: ValueOf<O[K]> };

/** A problem in a rule's options: the key path under the options object, and what is wrong. */
export interface OptionProblem {
  path: string[];
  /** Whether the key itself is wrong (unknown) or its value. */
  at: 'key' | 'value';
  message: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The accepted values of one option, in words: "a whole number from 101". */
export function describeType(s: OptionSchema): string {
  const range = (what: string) => {
    const { minimum: lo, maximum: hi } = s as { minimum?: number; maximum?: number };
    if (lo !== undefined && hi !== undefined) return `${what} from ${lo} to ${hi}`;
    if (lo !== undefined) return `${what} of at least ${lo}`;
    if (hi !== undefined) return `${what} of at most ${hi}`;
    return what;
  };
  switch (s.type) {
    case 'integer':
      return range('a whole number');
    case 'number':
      return range('a number');
    case 'boolean':
      return 'true or false';
    case 'string':
      return s.enum ? `one of ${s.enum.join(', ')}` : 'a string';
    case 'string-list':
      return 'a list of non-empty strings';
  }
}

function valueFits(s: OptionSchema, v: unknown): boolean {
  switch (s.type) {
    case 'integer':
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v) || (s.type === 'integer' && !Number.isInteger(v))) return false;
      return (s.minimum === undefined || v >= s.minimum) && (s.maximum === undefined || v <= s.maximum);
    case 'boolean':
      return typeof v === 'boolean';
    case 'string':
      return typeof v === 'string' && (!s.enum || s.enum.includes(v));
    case 'string-list':
      return Array.isArray(v) && v.every((x) => typeof x === 'string' && x !== '');
  }
}

/** Checks options as written against a rule's schemas; undefined when they are fine. */
export function checkOptions(
  ruleId: string,
  schemas: OptionSchemas | undefined,
  given: unknown,
): OptionProblem | undefined {
  if (!isObject(given)) return { path: [], at: 'value', message: 'options must be an object' };
  const names = Object.keys(schemas ?? {});
  for (const [key, v] of Object.entries(given)) {
    const s = schemas?.[key];
    if (!s) {
      const takes = names.length ? `${ruleId} takes ${names.join(', ')}` : `${ruleId} takes no options`;
      return { path: [key], at: 'key', message: `unknown option '${key}' (${takes})` };
    }
    if (!valueFits(s, v))
      return { path: [key], at: 'value', message: `must be ${describeType(s)} (got ${JSON.stringify(v)})` };
  }
  return undefined;
}

/** The options a rule runs with: each declared option as given, else its default. */
export function withDefaults<O extends OptionSchemas>(
  schemas: O | undefined,
  given: Record<string, unknown> | undefined,
): OptionValues<O> {
  const out: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(schemas ?? {})) out[key] = given && key in given ? given[key] : s.default;
  return out as OptionValues<O>;
}

/** The JSON schema (2020-12) of one option, for docs/lambdalint.schema.json. */
export function optionJsonSchema(s: OptionSchema): Record<string, unknown> {
  const base = { description: s.description, default: s.default };
  switch (s.type) {
    case 'integer':
    case 'number':
      return {
        ...base,
        type: s.type,
        ...(s.minimum !== undefined ? { minimum: s.minimum } : {}),
        ...(s.maximum !== undefined ? { maximum: s.maximum } : {}),
      };
    case 'boolean':
      return { ...base, type: 'boolean' };
    case 'string':
      return { ...base, type: 'string', ...(s.enum ? { enum: [...s.enum] } : {}) };
    case 'string-list':
      return { ...base, type: 'array', items: { type: 'string', minLength: 1 } };
  }
}
