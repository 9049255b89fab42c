// The configuration file: found by walking up from the working directory, validated, and turned
// into lint() options. Every problem is a ConfigError naming the file, which the CLI prints with
// exit status 2.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { lilconfig, type LilconfigResult } from 'lilconfig';
import { createRequire } from 'node:module';
import type { Severity } from '../engine/types.js';

export const CONFIG_FILES = [
  'package.json',
  'lambdalint.config.json',
  'lambdalint.config.yaml',
  'lambdalint.config.yml',
  'lambdalint.config.mjs',
  'lambdalint.config.js',
];

export type ConfiguredSeverity = Severity | 'off';

/** A rule entry as written: `"warning"`, `["warning", { ...options }]` or `{ severity, options }`. */
export type RuleSetting =
  | ConfiguredSeverity
  | 'warn'
  | [ConfiguredSeverity | 'warn', Record<string, unknown>?]
  | { severity?: ConfiguredSeverity | 'warn'; options?: Record<string, unknown> };

/** The file's shape (see lambdalint.schema.json beside this module). */
export interface ConfigFile {
  $schema?: string;
  rules?: Record<string, RuleSetting>;
  /** gitignore-style patterns, relative to the config file's folder. */
  ignores?: string[];
  /** Stage names that mean production (replace the default prod, production, prd, live). */
  productionStages?: string[];
  /** The stage being deployed, as `--stage` would say it. */
  stage?: string;
  /** The account's concurrent executions quota (default 1000). */
  accountConcurrencyLimit?: number;
}

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
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

const SEVERITY_WORDS = new Set(['error', 'warning', 'warn', 'info', 'off']);
const TOP_KEYS = new Set(['$schema', 'rules', 'ignores', 'productionStages', 'stage', 'accountConcurrencyLimit']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function severityOf(file: string, id: string, v: unknown): ConfiguredSeverity {
  if (typeof v !== 'string' || !SEVERITY_WORDS.has(v)) {
    throw new ConfigError(file, `rules.${id}: severity must be one of error, warning, warn, info, off (got ${JSON.stringify(v)})`);
  }
  return v === 'warn' ? 'warning' : (v as ConfiguredSeverity);
}

function stringList(file: string, key: string, v: unknown): string[] {
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string' || s === '')) {
    throw new ConfigError(file, `${key} must be a list of non-empty strings`);
  }
  return v as string[];
}

/** Checks a parsed config object; `knownRules` are the ids the file may name. */
export function validateConfig(raw: unknown, file: string, knownRules: readonly string[]): ResolvedConfig {
  const out: ResolvedConfig = { file, dir: path.dirname(file), rules: {}, ruleOptions: {}, ignores: [] };
  if (!isObject(raw)) throw new ConfigError(file, 'the configuration must be an object');
  for (const key of Object.keys(raw)) {
    if (!TOP_KEYS.has(key)) throw new ConfigError(file, `unknown key '${key}' (allowed: ${[...TOP_KEYS].join(', ')})`);
  }
  if (raw.rules !== undefined) {
    if (!isObject(raw.rules)) throw new ConfigError(file, 'rules must be an object of rule id to severity');
    for (const [id, setting] of Object.entries(raw.rules)) {
      if (!knownRules.includes(id)) throw new ConfigError(file, `rules.${id}: unknown rule (run 'lambdalint --help' or see docs/rules/)`);
      let severity: unknown;
      let options: unknown;
      if (Array.isArray(setting)) [severity, options] = setting;
      else if (isObject(setting)) ({ severity, options } = setting);
      else severity = setting;
      if (severity !== undefined) out.rules[id] = severityOf(file, id, severity);
      if (options !== undefined) {
        if (!isObject(options)) throw new ConfigError(file, `rules.${id}: options must be an object`);
        out.ruleOptions[id] = options;
      }
    }
  }
  if (raw.ignores !== undefined) out.ignores = stringList(file, 'ignores', raw.ignores);
  if (raw.productionStages !== undefined) out.productionNames = stringList(file, 'productionStages', raw.productionStages);
  if (raw.stage !== undefined) {
    if (typeof raw.stage !== 'string' || raw.stage === '') throw new ConfigError(file, 'stage must be a non-empty string');
    out.stage = raw.stage;
  }
  if (raw.accountConcurrencyLimit !== undefined) {
    const n = raw.accountConcurrencyLimit;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
      throw new ConfigError(file, `accountConcurrencyLimit must be a whole number above 0 (got ${JSON.stringify(n)})`);
    }
    out.accountConcurrencyLimit = n;
    // The reserved-concurrency rule reads it from its options.
    out.ruleOptions['reserved-concurrency'] = { ...out.ruleOptions['reserved-concurrency'], accountLimit: n };
  }
  return out;
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
  '.js': (file: string) => loadModule(file),
};

/** Reads one config file given by path (`--config`). */
export async function readConfigFile(file: string, knownRules: readonly string[]): Promise<ResolvedConfig> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(file, `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const ext = path.extname(file) as keyof typeof loaders;
  const loader = loaders[ext];
  if (!loader) throw new ConfigError(file, 'unsupported extension; use .json, .yaml, .yml, .mjs or .js');
  let raw = await loader(file, text);
  if (path.basename(file) === 'package.json') raw = isObject(raw) ? (raw.lambdalint ?? {}) : raw;
  return validateConfig(raw, file, knownRules);
}

/**
 * Finds the nearest configuration from `cwd` upwards (to the file system root). No file found is
 * not an error: the defaults apply.
 */
export async function findConfig(cwd: string, knownRules: readonly string[]): Promise<ResolvedConfig> {
  const dir = path.resolve(cwd);
  const searcher = lilconfig('lambdalint', {
    searchPlaces: CONFIG_FILES,
    stopDir: path.parse(dir).root,
    cache: false,
    // Validation happens below with our own messages; these loaders only parse.
    loaders: { '.json': loaders['.json'], '.yaml': loadYamlFile, '.yml': loadYamlFile, '.mjs': loaders['.mjs'], '.js': loaders['.js'] },
  });
  let found: LilconfigResult;
  try {
    found = await searcher.search(dir);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(dir, (e as Error).message);
  }
  if (!found) return { dir, rules: {}, ruleOptions: {}, ignores: [] };
  return validateConfig(found.config, found.filepath, knownRules);
}
