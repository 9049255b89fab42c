// The configuration file: found by walking up from the working directory, validated, and turned
// into lint() options. Every problem is a ConfigError naming the file, which the CLI prints with
// exit status 2.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { lilconfigSync, type LilconfigResult } from 'lilconfig';
import type { AnyRule, Severity } from '../engine/types.js';
import { checkOptions, describeType } from '../engine/options.js';
import type { Entry, TNode } from '../source/parse.js';

const CONFIG_FILES = [
  'package.json',
  'lambdalint.config.json',
  'lambdalint.config.yaml',
  'lambdalint.config.yml',
  'lambdalint.config.mjs',
  'lambdalint.config.cjs',
  'lambdalint.config.js',
];

export type ConfiguredSeverity = Severity | 'off';

/** The configuration after validation, ready for lint(). */
export interface ResolvedConfig {
  /** Absolute path of the file, or undefined when none was found. */
  file?: string;
  /** Folder the ignore patterns are relative to. */
  dir: string;
  rules: Record<string, ConfiguredSeverity>;
  ruleOptions: Record<string, Record<string, unknown>>;
  ignores: string[];
  productionNames?: string[];
  stage?: string;
  accountConcurrencyLimit?: number;
}

export class ConfigError extends Error {
  /** Where in the file, when known (JSON and YAML files: from the parse). */
  line?: number;
  column?: number;
  constructor(
    readonly file: string,
    readonly problem: string,
    /** The key path of the problem in the configuration object, and whether the key or its value is wrong. */
    readonly where?: { path: (string | number)[]; at: 'key' | 'value' },
  ) {
    super(`${file}: ${problem}`);
  }
}

/** A rule as the configuration may name it: its id, and the options it takes. */
export type KnownRule = string | Pick<AnyRule, 'id' | 'options'>;

const SEVERITY_WORDS = new Set(['error', 'warning', 'warn', 'info', 'off']);
const TOP_KEYS = new Set(['$schema', 'rules', 'ignores', 'productionStages', 'stage', 'accountConcurrencyLimit']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `rules.timeout-limit`, `rules.x[1].accountLimit`: a key path as the messages write it. */
const keyPath = (p: readonly (string | number)[]) =>
  p.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');

function severityOf(file: string, at: (string | number)[], v: unknown): ConfiguredSeverity {
  if (typeof v !== 'string' || !SEVERITY_WORDS.has(v)) {
    throw new ConfigError(
      file,
      `${keyPath(at)}: severity must be one of error, warning, warn, info, off (got ${JSON.stringify(v)})`,
      { path: at, at: 'value' },
    );
  }
  return v === 'warn' ? 'warning' : (v as ConfiguredSeverity);
}

function stringList(file: string, key: string, v: unknown): string[] {
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string' || s === '')) {
    const bad = Array.isArray(v) ? v.findIndex((s) => typeof s !== 'string' || s === '') : -1;
    throw new ConfigError(file, `${key} must be a list of non-empty strings`, {
      path: bad >= 0 ? [key, bad] : [key],
      at: 'value',
    });
  }
  return v as string[];
}

/** Checks a parsed config object; `knownRules` are the rules the file may name (with their options). */
function validateConfig(raw: unknown, file: string, knownRules: readonly KnownRule[]): ResolvedConfig {
  const out: ResolvedConfig = { file, dir: path.dirname(file), rules: {}, ruleOptions: {}, ignores: [] };
  const known = new Map(knownRules.map((r) => (typeof r === 'string' ? [r, undefined] : [r.id, r.options])));
  if (!isObject(raw)) throw new ConfigError(file, 'the configuration must be an object', { path: [], at: 'value' });
  for (const key of Object.keys(raw)) {
    if (!TOP_KEYS.has(key))
      throw new ConfigError(file, `unknown key '${key}' (allowed: ${[...TOP_KEYS].join(', ')})`, {
        path: [key],
        at: 'key',
      });
  }
  if (raw.rules !== undefined) {
    if (!isObject(raw.rules))
      throw new ConfigError(file, 'rules must be an object of rule id to severity', { path: ['rules'], at: 'value' });
    for (const [id, setting] of Object.entries(raw.rules)) {
      if (!known.has(id))
        throw new ConfigError(file, `rules.${id}: unknown rule (run 'lambdalint --help' or see docs/rules/)`, {
          path: ['rules', id],
          at: 'key',
        });
      let severity: unknown;
      let options: unknown;
      // Where the severity and the options are written, for the messages and positions.
      let sevAt: (string | number)[] = ['rules', id];
      let optAt: (string | number)[] = ['rules', id];
      if (Array.isArray(setting)) {
        if (setting.length < 1 || setting.length > 2)
          throw new ConfigError(file, `rules.${id}: write [severity] or [severity, { options }]`, {
            path: ['rules', id],
            at: 'value',
          });
        [severity, options] = setting;
        sevAt = ['rules', id, 0];
        optAt = ['rules', id, 1];
      } else if (isObject(setting)) {
        for (const k of Object.keys(setting)) {
          if (k !== 'severity' && k !== 'options')
            throw new ConfigError(file, `rules.${id}: unknown key '${k}' (allowed: severity, options)`, {
              path: ['rules', id, k],
              at: 'key',
            });
        }
        ({ severity, options } = setting);
        sevAt = ['rules', id, 'severity'];
        optAt = ['rules', id, 'options'];
      } else severity = setting;
      if (severity !== undefined) out.rules[id] = severityOf(file, sevAt, severity);
      if (options !== undefined) {
        const problem = checkOptions(id, known.get(id), options);
        if (problem) {
          const at = [...optAt, ...problem.path];
          throw new ConfigError(file, `${keyPath(at)}: ${problem.message}`, { path: at, at: problem.at });
        }
        out.ruleOptions[id] = options as Record<string, unknown>;
      }
    }
  }
  if (raw.ignores !== undefined) out.ignores = stringList(file, 'ignores', raw.ignores);
  if (raw.productionStages !== undefined)
    out.productionNames = stringList(file, 'productionStages', raw.productionStages);
  if (raw.stage !== undefined) {
    if (typeof raw.stage !== 'string' || raw.stage === '')
      throw new ConfigError(file, 'stage must be a non-empty string', { path: ['stage'], at: 'value' });
    out.stage = raw.stage;
  }
  if (raw.accountConcurrencyLimit !== undefined) {
    const n = raw.accountConcurrencyLimit;
    // The same value as reserved-concurrency's accountLimit option, checked by that option's schema.
    const schema = known.get('reserved-concurrency')?.accountLimit;
    const fits = schema
      ? !checkOptions('reserved-concurrency', { accountLimit: schema }, { accountLimit: n })
      : typeof n === 'number' && Number.isInteger(n) && n > 0;
    if (!fits) {
      throw new ConfigError(
        file,
        `accountConcurrencyLimit must be ${schema ? describeType(schema) : 'a whole number above 0'} (got ${JSON.stringify(n)})`,
        { path: ['accountConcurrencyLimit'], at: 'value' },
      );
    }
    out.accountConcurrencyLimit = n as number;
    // The reserved-concurrency rule reads it from its options.
    out.ruleOptions['reserved-concurrency'] = { ...out.ruleOptions['reserved-concurrency'], accountLimit: n };
  }
  return out;
}

/**
 * Adds the line and column of a validation problem to the error, from a parse of the file with
 * positions (JSON and YAML; `inside` is the key path of the configuration in the file, e.g.
 * package.json's `lambdalint`). Module configs keep the key path alone. The parser loads only
 * for a config with a problem: a run that reads a valid config (or none) does without it.
 */
async function placeError(e: ConfigError, text: string, inside: string[] = []): Promise<ConfigError> {
  if (!e.where) return e;
  const { entry, parseSource } = await import('../source/parse.js');
  const parsed = parseSource(e.file, text);
  if (!parsed.ok) return e;
  let node: TNode | undefined = parsed.root;
  let offset = node.start;
  const steps = [...inside, ...e.where.path];
  for (const [i, step] of steps.entries()) {
    const last = i === steps.length - 1;
    if (typeof step === 'number' && node.kind === 'seq' && node.items?.[step]) {
      node = node.items[step];
      offset = node.start;
    } else if (typeof step === 'string' && node.kind === 'map') {
      const found: Entry | undefined = entry(node, step);
      if (!found) break;
      if (last && e.where.at === 'key') {
        offset = found.keyStart;
        break;
      }
      node = found.value;
      offset = node.start;
    } else break;
  }
  const at = parsed.file.range(offset, offset).start;
  e.line = at.line;
  e.column = at.column;
  e.message = `${e.file}:${at.line}:${at.column}: ${e.problem}`;
  return e;
}

function loadJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ConfigError(file, `invalid JSON: ${(e as Error).message}`);
  }
}

function loadYamlFile(file: string, text: string): unknown {
  try {
    // `yaml` loads only for a YAML config file.
    return (createRequire(import.meta.url)('yaml') as typeof import('yaml')).parse(text) ?? {};
  } catch (e) {
    throw new ConfigError(file, `invalid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
}

async function loadModule(file: string): Promise<unknown> {
  try {
    const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
    return mod.default;
  } catch (e) {
    throw new ConfigError(file, `cannot load the module: ${(e as Error).message.split('\n')[0]}`);
  }
}

const loaders = {
  '.json': loadJson,
  '.yaml': loadYamlFile,
  '.yml': loadYamlFile,
  '.mjs': (file: string) => loadModule(file),
  '.cjs': (file: string) => loadModule(file),
  '.js': (file: string) => loadModule(file),
};

/** Validates what a file holds, placing a problem at its line and column in a JSON or YAML file. */
async function validateFile(
  raw: unknown,
  file: string,
  text: string | undefined,
  knownRules: readonly KnownRule[],
): Promise<ResolvedConfig> {
  const pkg = path.basename(file) === 'package.json';
  if (pkg) raw = isObject(raw) ? (raw.lambdalint ?? {}) : raw;
  try {
    return validateConfig(raw, file, knownRules);
  } catch (e) {
    if (!(e instanceof ConfigError) || !/\.(json|ya?ml)$/i.test(file)) throw e;
    let t = text;
    try {
      t ??= fs.readFileSync(file, 'utf8');
    } catch {
      throw e;
    }
    throw await placeError(e, t, pkg ? ['lambdalint'] : []);
  }
}

/** Reads one config file given by path (`--config`). */
export async function readConfigFile(file: string, knownRules: readonly KnownRule[]): Promise<ResolvedConfig> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(file, `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const ext = path.extname(file) as keyof typeof loaders;
  const loader = loaders[ext];
  if (!loader) throw new ConfigError(file, 'unsupported extension; use .json, .yaml, .yml, .mjs, .cjs or .js');
  return validateFile(await loader(file, text), file, text, knownRules);
}

/** A JavaScript configuration file the search found: imported after it (lilconfigSync's loaders are synchronous). */
class ModuleConfig {
  constructor(readonly file: string) {}
}
const foundModule = (file: string): ModuleConfig => new ModuleConfig(file);

/**
 * Finds the nearest configuration from `cwd` upwards (to the file system root). No file found is
 * not an error: the defaults apply.
 */
export async function findConfig(cwd: string, knownRules: readonly KnownRule[]): Promise<ResolvedConfig> {
  const dir = path.resolve(cwd);
  // lilconfig's synchronous search: its asynchronous one loads node:fs/promises and goes through
  // libuv's thread pool for every name in every folder, about 10 ms of an empty project's run
  // (99 -> 88 ms of CPU, Node 20). A JavaScript file found is imported once the search is over.
  const searcher = lilconfigSync('lambdalint', {
    searchPlaces: CONFIG_FILES,
    stopDir: path.parse(dir).root,
    cache: false,
    // Validation happens below with our own messages; these loaders only parse.
    loaders: {
      '.json': loaders['.json'],
      '.yaml': loadYamlFile,
      '.yml': loadYamlFile,
      '.mjs': foundModule,
      '.cjs': foundModule,
      '.js': foundModule,
    },
  });
  let found: LilconfigResult;
  try {
    found = searcher.search(dir);
    if (found?.config instanceof ModuleConfig) found = { ...found, config: await loadModule(found.config.file) };
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(dir, (e as Error).message);
  }
  if (!found) return { dir, rules: {}, ruleOptions: {}, ignores: [] };
  // lilconfig gives package.json's `lambdalint` key already; validateFile wants the whole file.
  const raw = path.basename(found.filepath) === 'package.json' ? { lambdalint: found.config } : found.config;
  return validateFile(raw, found.filepath, undefined, knownRules);
}
