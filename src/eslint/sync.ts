// The bridge between ESLint's synchronous rules and lint(): a worker thread runs lint() and the
// caller waits for it with Atomics.wait. Results are cached per project root and revalidated on
// every use by the mtime and size of the files they came from, since editors keep ESLint running.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { isAssemblyDir } from '../discover/index.js';
import { owningProject, projectEntries } from '../discover/projects.js';
import type { Finding } from '../engine/types.js';
import type { ConfiguredSeverity } from '../config/load.js';
import type { Request } from './worker.js';

const TIMEOUT_MS = 60_000;

/**
 * The worker and its one channel: requests are numbered, answered in order on `port`, and the
 * worker stores the number of the last one answered in `done` (then notifies), so a caller blocks
 * with Atomics.wait until its own answer is there. One channel for all requests: a new channel per
 * request cost about a millisecond a round trip.
 */
interface Link {
  port: MessagePort;
  done: Int32Array;
  sent: number;
  /** Answers read from the port while waiting for a later one (requests nobody waited for). */
  answers: Map<number, Answer>;
}
interface Answer {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

let link: Link | undefined;

function startWorker(): Link {
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
  parentPort.on('message', ({ port, done }) => {
    port.on('message', ({ id }) => {
      port.postMessage({ id, ok: false, error: 'cannot load the lambdalint worker: ' + (e && e.message) });
      Atomics.store(done, 0, id);
      Atomics.notify(done, 0);
    });
  });
});`;
    w = new Worker(code, { eval: true, execArgv: [] });
  } else {
    // Bundled (prebuilt/): the worker is an entry of its own beside the plugin's files.
    w = new Worker(path.join(path.dirname(here), 'eslint-worker.js'));
  }
  w.unref();
  const { port1, port2 } = new MessageChannel();
  const done = new Int32Array(new SharedArrayBuffer(4));
  w.postMessage({ port: port2, done }, [port2]);
  port1.unref(); // read with receiveMessageOnPort only; never keeps the process alive
  const started: Link = { port: port1, done, sent: 0, answers: new Map() };
  w.on('error', () => {
    if (link === started) link = undefined;
  });
  return started;
}

/**
 * Sends a request to the worker and returns the function that waits for its answer: the caller
 * can go on (ESLint parses and traverses the file) while the worker lints, and waits only when it
 * needs the result.
 */
function post<T>(request: Request): () => T {
  const l = (link ??= startWorker());
  const id = ++l.sent;
  l.port.postMessage({ id, request });
  let answer: { value: T } | undefined;
  return () => {
    if (answer) return answer.value;
    const deadline = Date.now() + TIMEOUT_MS;
    let msg = l.answers.get(id);
    while (!msg) {
      // The worker posts an answer before it stores its number: read the number first.
      const seen = Atomics.load(l.done, 0);
      for (let m = receiveMessageOnPort(l.port); m; m = receiveMessageOnPort(l.port)) {
        const a = m.message as Answer;
        l.answers.set(a.id, a);
      }
      msg = l.answers.get(id);
      if (msg || seen >= id) break;
      const left = deadline - Date.now();
      if (left <= 0 || Atomics.wait(l.done, 0, seen, left) === 'timed-out') break;
    }
    l.answers.delete(id);
    // Answers to requests no one waits for (a lint started early and not used): the oldest go.
    for (const k of l.answers.keys()) if (l.answers.size > 8) l.answers.delete(k);
    const what =
      request.kind === 'lint'
        ? `linting ${request.root}`
        : request.kind === 'config'
          ? `reading the lambdalint config from ${request.cwd}`
          : 'reporting its statistics';
    if (!msg) throw new Error(`lambdalint did not finish ${what} within ${TIMEOUT_MS / 1000} s`);
    if (!msg.ok) throw new Error(`lambdalint failed ${what}: ${msg.error}`);
    answer = { value: msg.value as T };
    return answer.value;
  };
}

function call<T>(request: Request): T {
  return post<T>(request)();
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
}

/**
 * Starts what findingsForFile returns and gives the function that waits for it: the ESLint rules
 * ask at the start of the file and wait at its end, so the worker lints while ESLint traverses.
 * A result still valid (same files on disk, same buffer) is returned without asking the worker.
 */
export function requestFindings(file: string, options: FileOptions = {}): () => Finding[] {
  const abs = path.resolve(file);
  const root = projectRoot(abs);
  if (!root) return () => [];
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const key = `${cwd}\u0000${root}\u0000${options.today ?? ''}\u0000${options.stage ?? ''}`;
  const slot = cache.get(key) ?? {};
  cache.set(key, slot);
  const unsaved = options.text !== undefined && options.text !== onDisk(abs);
  const known = unsaved ? slot.buffer : slot.disk;
  const inFile = (findings: Finding[]) => findings.filter((f) => f.absoluteFile === abs);
  if (known && fresh(known, abs) && (!unsaved || (known.file === abs && known.text === options.text))) {
    const findings = inFile(known.findings);
    return () => findings;
  }
  const at = Date.now();
  runs++;
  // The project's files as they are when the worker reads them (a change during the lint is seen
  // on the next one).
  const deps = new Map<string, string>();
  for (const f of [abs, ...projectEntries(root).filter((p) => !isAssemblyDir(p))]) deps.set(f, stamp(f));
  const wait = post<{ findings: Finding[] }>({
    kind: 'lint',
    cwd,
    root,
    today: options.today,
    stage: options.stage,
    ...(unsaved ? { file: abs, text: options.text } : {}),
  });
  let mine: Finding[] | undefined;
  return () => {
    if (mine) return mine;
    const { findings } = wait();
    for (const f of findings) if (!deps.has(f.absoluteFile)) deps.set(f.absoluteFile, stamp(f.absoluteFile));
    const entry: Entry = { at, deps, findings, ...(unsaved ? { file: abs, text: options.text } : {}) };
    if (unsaved) slot.buffer = entry;
    else slot.disk = entry;
    return (mine = inFile(findings));
  };
}

/** lambdalint's findings whose primary location is in `file` (absolute), from its project's lint. */
export function findingsForFile(file: string, options: FileOptions = {}): Finding[] {
  return requestFindings(file, options)();
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
