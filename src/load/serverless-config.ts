// Reading a Serverless service's configuration (docs/FACTS.md §5): the service name and stage, its
// functions, plugins and provider role, what serverless.ts computes in code that lambdalint could not
// follow, and small readers of config nodes. The loader (./serverless.ts) holds the parsed config.
import path from 'node:path';
import { notChecked } from '../model/coverage.js';
import { isProductionName, productionFromFolders } from '../model/production.js';
import type { Production, Val } from '../model/types.js';
import { entry, type Entry, entryRange, get, type TNode } from '../source/parse.js';
import { intrinsicKey } from '../values/cfn.js';
import { str } from './serverless-variables.js';
import type { ServerlessLoader } from './serverless.js';

/** A Serverless service file: a map with `service` and (`provider` or `functions`). */
export function isServerlessRoot(root: TNode): boolean {
  if (root.kind !== 'map') return false;
  return (
    get(root, 'service') !== undefined && (get(root, 'provider') !== undefined || get(root, 'functions') !== undefined)
  );
}

/** `my-bucket.v2` → `Mybucketv2`, as the framework names buckets and topics (naming.js `normalizeNameToAlphaNumericOnly`). */
export function normalizedAlnum(name: string): string {
  const s = name.replace(/[^0-9A-Za-z]/g, '');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** `hello-world_x` → `HelloDashworldUnderscorex`, as the framework names logical ids (naming.js). */
export function normalizedName(key: string): string {
  const s = key.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export interface FunctionSpec {
  key: string;
  entry: Entry;
  node: TNode;
}

/** The rules that read a function's execution role. */
const ROLE_RULES_LIST = [
  'logs-permission',
  'xray-permission',
  'event-source-permission',
  'destination-permission',
  'vpc-permission',
  'sdk-permission',
];

export const ROLE_RULES = ROLE_RULES_LIST;

/** The rules that read each function property, for saying what a value computed in code leaves unchecked. */
const PROPERTY_RULES: Record<string, string[]> = {
  handler: [
    'handler-not-found',
    'sdk-permission',
    'missing-dependency',
    'aws-sdk-v2-runtime',
    'recursive-trigger',
    'tracing-disabled',
  ],
  runtime: ['deprecated-runtime', 'aws-sdk-v2-runtime', 'missing-dependency'],
  timeout: ['timeout-limit', 'api-gateway-timeout', 'sqs-visibility-timeout'],
  memorySize: ['memory-limit'],
  ephemeralStorageSize: ['memory-limit'],
  vpc: ['vpc-config', 'vpc-permission', 'vpc-public-subnet'],
  events: [
    'event-source-permission',
    'invoke-permission',
    'async-failure-destination',
    'recursive-trigger',
    'latest-in-production',
    'sqs-visibility-timeout',
    'api-gateway-timeout',
  ],
  role: ROLE_RULES_LIST,
  iam: ROLE_RULES_LIST,
  iamRoleStatements: ROLE_RULES_LIST,
  iamRoleStatementsInherit: ROLE_RULES_LIST,
  tracing: ['xray-permission', 'tracing-disabled'],
  destinations: ['destination-permission', 'async-failure-destination'],
  onError: ['destination-permission', 'async-failure-destination'],
  reservedConcurrency: ['reserved-concurrency'],
  package: ['package-size', 'handler-not-found'],
  layers: ['package-size', 'missing-dependency'],
};

export function scalar(file: TNode['file'], at: Entry, value: string): TNode {
  return { kind: 'scalar', file, start: at.keyStart, end: at.keyEnd, value };
}

/** A placeholder scalar standing for an intrinsic given where a map of options may also stand. */
export function scalarNode(n: TNode): TNode {
  return { kind: 'scalar', file: n.file, start: n.start, end: n.end, value: null };
}

/** lodash `isEmpty` of a config value: null, an empty string, list or map. */
export function isEmptyNode(n: TNode): boolean {
  if (n.kind === 'scalar') return !(typeof n.value === 'string' && n.value !== '');
  return n.kind === 'seq' ? (n.items ?? []).length === 0 : (n.entries ?? []).length === 0;
}

export function truthy(n: TNode | undefined): boolean {
  if (!n) return false;
  if (n.kind !== 'scalar') return true;
  return n.value !== null && n.value !== false && n.value !== 0 && n.value !== '' && n.value !== 'false';
}

export function serviceName(loader: ServerlessLoader): Val<string> {
  const e = entry(loader.cfg, 'service');
  const node = e?.value.kind === 'map' ? get(e.value, 'name') : e?.value;
  const v = node ? str(loader, node) : undefined;
  return v ?? { origin: { via: 'direct' } };
}

export function production(loader: ServerlessLoader): Production {
  const names = loader.options.productionNames;
  if (loader.options.stage !== undefined) {
    return isProductionName(loader.options.stage, names)
      ? { isProduction: true, reason: `--stage ${loader.options.stage}` }
      : { isProduction: false };
  }
  const stageEntry = entry(loader.provider, 'stage');
  const stage = loader.vars.stage();
  if (stageEntry && isProductionName(stage, names)) {
    return {
      isProduction: true,
      reason: `provider.stage resolves to ${stage}`,
      origin: { via: 'direct', range: entryRange(stageEntry) },
    };
  }
  return productionFromFolders(loader.relFile, names);
}

export function functionSpecs(loader: ServerlessLoader): FunctionSpec[] {
  const fnsNode = get(loader.cfg, 'functions');
  const maps = fnsNode?.kind === 'seq' ? fnsNode.items!.filter((i) => i.kind === 'map') : fnsNode ? [fnsNode] : [];
  const out: FunctionSpec[] = [];
  for (const m of maps)
    for (const e of m.entries ?? [])
      if (e.value.kind === 'map' && !intrinsicKey(e.value)) out.push({ key: e.key, entry: e, node: e.value });
  return out;
}

/**
 * What serverless.ts / .js computes in code that lambdalint could not follow (serverless-script.ts):
 * the functions object or a function built at run time, or a function property computed there.
 */
export function recordDynamic(loader: ServerlessLoader, fns: FunctionSpec[]): void {
  const found = new Set(fns.map((f) => f.key));
  const relPath = (abs: string) => path.relative(loader.options.cwd, abs).split(path.sep).join('/');
  for (const d of loader.dynamic) {
    const where = `${relPath(d.file.path)} (line ${d.file.range(d.start, d.end).start.line})`;
    const how = d.why ?? 'built dynamically';
    const [top, key, prop] = d.path;
    const record = (reason: string, rules: readonly string[] = [], fn?: string) =>
      notChecked(loader.model, { ...(fn !== undefined ? { fn } : {}), file: loader.file, rules, reason });
    if (top === undefined) record(`service object changed by code in ${where}`);
    else if (top === 'functions' && key === undefined) record(`functions ${how} in ${where}`);
    else if (top === 'functions' && prop === undefined)
      record(
        found.has(key) ? `part of function ${key} ${how} in ${where}` : `function ${key} ${how} in ${where}`,
        [],
        key,
      );
    else if (top === 'functions' && found.has(key) && PROPERTY_RULES[prop])
      record(`${prop} of ${key} computed in code in ${where}`, PROPERTY_RULES[prop], key);
    else if (top === 'provider' && key !== undefined && PROPERTY_RULES[key === 'tracing' ? 'tracing' : key])
      record(`provider.${key} computed in code in ${where}`, PROPERTY_RULES[key]);
    else if (top === 'provider' && key === undefined) record(`provider ${how} in ${where}`);
    else if (top === 'plugins') record(`plugins ${how} in ${where}`, ROLE_RULES);
    else if (top === 'resources' && (key === undefined || key === 'Resources')) record(`resources ${how} in ${where}`);
  }
}

/** `provider.iam.role` as a name / ARN / intrinsic, or legacy `provider.role`: a role the user gives. */
export function providerRoleEntry(loader: ServerlessLoader): Entry | undefined {
  const iamRole = entry(get(loader.provider, 'iam'), 'role');
  if (iamRole) {
    const v = iamRole.value;
    if (
      v.kind === 'scalar' ||
      (v.kind === 'map' && (v.entries ?? []).some((e) => e.key.includes('::') || e.key === 'Ref'))
    )
      return iamRole;
    return undefined;
  }
  return entry(loader.provider, 'role');
}

/** The service's `plugins:` (a list, or `modules:` of a map); `resolved` is false when one is not a plain name. */
export function pluginNames(loader: ServerlessLoader): { names: string[]; resolved: boolean } {
  const p = get(loader.cfg, 'plugins');
  const list = p?.kind === 'map' ? get(p, 'modules') : p;
  if (!list) return { names: [], resolved: p === undefined || p.kind === 'map' };
  if (list.kind !== 'seq') return { names: [], resolved: false };
  const names = (list.items ?? []).map((i) =>
    i.kind === 'scalar' && typeof i.value === 'string' ? i.value : undefined,
  );
  return { names: names.filter((n): n is string => n !== undefined), resolved: names.every((n) => n !== undefined) };
}
