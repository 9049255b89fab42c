// The bridge between ESLint's synchronous rules and lint(): a worker thread runs lint() and the
// caller waits for it with Atomics.wait. Results are cached per project root and revalidated on
// every use by the mtime and size of the files they came from, since editors keep ESLint running.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { isAssemblyDir } from '../discover/index.js';
import { owningProject, projectEntries } from '../discover/projects.js';
import type { Finding } from '../engine/types.js';
import type { FileFacts } from '../code/facts.js';
import type { ConfiguredSeverity } from '../config/load.js';
import type { Request } from './worker.js';

const TIMEOUT_MS = 60_000;

let worker: Worker | undefined;

function startWorker(): Worker {
  const here = fileURLToPath(import.meta.url);
  let w: Worker;
  if (here.endsWith('.ts')) {
    // From source (tests, tsx): Node 20 does not carry tsx's loader into workers, so the worker
    // registers it itself before importing the TypeScript module.
    const tsxDir = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
    const api = pathToFileURL(path.join(tsxDir, 'dist/esm/api/index.mjs')).href;
    const target = pathToFileURL(path.join(path.dirname(here), 'worker.ts')).href;
    // Should the module fail to load, every request is answered with the error instead of a hang.
    const code = `const { parentPort } = require('node:worker_threads');
import(${JSON.stringify(api)}).then((api) => { api.register(); return import(${JSON.stringify(target)}); }).catch((e) => {
  parentPort.on('message', ({ signal, port }) => {
    port.postMessage({ ok: false, error: 'cannot load the lambdalint worker: ' + (e && e.message) });
    port.close();
    Atomics.store(signal, 0, 1);
    Atomics.notify(signal, 0);
  });
});`;
    w = new Worker(code, { eval: true, execArgv: [] });
  } else {
    // Bundled (prebuilt/): the worker is an entry of its own beside the plugin's files.
    w = new Worker(path.join(path.dirname(here), 'eslint-worker.js'));
  }
  w.unref();
  w.on('error', () => {
    worker = undefined;
  });
  return w;
}

function call<T>(request: Request): T {
  worker ??= startWorker();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  worker.postMessage({ request, signal, port: port2 }, [port2]);
  const waited = Atomics.wait(signal, 0, 0, TIMEOUT_MS);
  const msg = receiveMessageOnPort(port1)?.message as { ok: boolean; value?: T; error?: string } | undefined;
  port1.close();
  const what =
    request.kind === 'lint'
      ? `linting ${request.root}`
      : request.kind === 'config'
        ? `reading the lambdalint config from ${request.cwd}`
        : 'reporting its statistics';
  if (waited === 'timed-out' || !msg)
    throw new Error(`lambdalint did not finish ${what} within ${TIMEOUT_MS / 1000} s`);
  if (!msg.ok) throw new Error(`lambdalint failed ${what}: ${msg.error}`);
  return msg.value!;
}

/** The severities the lambdalint config found from `cwd` sets (`lambdalint.config.*`, package.json). */
export function configuredSeverities(cwd: string): Record<string, ConfiguredSeverity> {
  return call<{ rules: Record<string, ConfiguredSeverity> }>({ kind: 'config', cwd }).rules;
}

/**
 * The folder lambdalint lints for a file: the file's own folder when it holds templates, else the
 * nearest folder above with templates (a handler's project). A file inside cdk.out belongs to the
 * folder that holds cdk.out.
 */
export function projectRoot(file: string): string | undefined {
  const abs = path.resolve(file);
  const parts = abs.split(path.sep);
  const cdk = parts.lastIndexOf('cdk.out');
  if (cdk > 0 && isAssemblyDir(parts.slice(0, cdk + 1).join(path.sep))) return parts.slice(0, cdk).join(path.sep);
  // The repository's top is as far as a handler's project can be (as for the CLI's paths).
  return owningProject(path.dirname(abs))?.dir;
}

interface Entry {
  /** When the lint started: files not in `deps` are current when older than this. */
  at: number;
  deps: Map<string, string>;
  findings: Finding[];
  /** The editor's text of one file, when it differed from the disk (undefined: the disk as it is). */
  file?: string;
  text?: string;
}

/** Per project root and options: the lint of the disk, and the latest lint with an unsaved buffer. */
const cache = new Map<string, { disk?: Entry; buffer?: Entry }>();
let runs = 0;

function stamp(file: string): string {
  const st = fs.statSync(file, { throwIfNoEntry: false });
  return st ? `${st.mtimeMs}:${st.size}` : 'missing';
}

function fresh(entry: Entry, file: string): boolean {
  for (const [dep, s] of entry.deps) if (stamp(dep) !== s) return false;
  if (entry.deps.has(file)) return true;
  const st = fs.statSync(file, { throwIfNoEntry: false });
  return !st || st.mtimeMs < entry.at;
}

/** The file as saved, without a byte order mark (ESLint's text has none); undefined when unreadable. */
function onDisk(file: string): string | undefined {
  try {
    const t = fs.readFileSync(file, 'utf8');
    return t.charCodeAt(0) === 0xfeff ? t.slice(1) : t;
  } catch {
    return undefined;
  }
}

export interface FileOptions {
  /** ESLint's working directory (default: the process's). */
  cwd?: string;
  today?: string;
  stage?: string;
  /**
   * The file's text as ESLint has it (`context.sourceCode.text`): an editor's unsaved buffer is
   * linted as it is, with every other file of the project as saved.
   */
  text?: string;
  /**
   * The facts of `text` as handler code, from ESLint's tree of it: called only when the buffer
   * must be linted, and handed to the worker so that it does not parse the text again.
   */
  facts?: () => FileFacts | undefined;
}

/** lambdalint's findings whose primary location is in `file` (absolute), from its project's lint. */
export function findingsForFile(file: string, options: FileOptions = {}): Finding[] {
  const abs = path.resolve(file);
  const root = projectRoot(abs);
  if (!root) return [];
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const key = `${cwd}\u0000${root}\u0000${options.today ?? ''}\u0000${options.stage ?? ''}`;
  const slot = cache.get(key) ?? {};
  cache.set(key, slot);
  const unsaved = options.text !== undefined && options.text !== onDisk(abs);
  let entry = unsaved ? slot.buffer : slot.disk;
  if (!entry || !fresh(entry, abs) || (unsaved && (entry.file !== abs || entry.text !== options.text))) {
    const at = Date.now();
    runs++;
    const { findings } = call<{ findings: Finding[] }>({
      kind: 'lint',
      cwd,
      root,
      today: options.today,
      stage: options.stage,
      ...(unsaved ? { file: abs, text: options.text, facts: options.facts?.() } : {}),
    });
    const deps = new Map<string, string>();
    for (const f of [
      abs,
      ...projectEntries(root).filter((p) => !isAssemblyDir(p)),
      ...findings.map((x) => x.absoluteFile),
    ])
      deps.set(f, stamp(f));
    entry = { at, deps, findings, ...(unsaved ? { file: abs, text: options.text } : {}) };
    if (unsaved) slot.buffer = entry;
    else slot.disk = entry;
  }
  return entry.findings.filter((f) => f.absoluteFile === abs);
}

/** How many times lint() ran for the plugin in this process (tests: once per file per pass). */
export function lintRuns(): number {
  return runs;
}

/** How many handler files the worker parsed since it started (its cache keeps the others' facts). */
export function workerParses(): number {
  return call<{ parses: number }>({ kind: 'stats' }).parses;
}

/** Forgets every cached result (tests; editors restart the server instead). */
export function clearCache(): void {
  cache.clear();
}
