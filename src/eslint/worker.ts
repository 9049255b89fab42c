// Runs lint() for the ESLint plugin on a worker thread: ESLint rules are synchronous and lint() is
// not, so the plugin blocks on Atomics.wait until this thread answers (see sync.ts).
import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { findConfig, type ResolvedConfig } from '../config/load.js';
import { createLintCache, lint } from '../lint.js';
import { rules } from '../../rules/index.js';

export interface LintRequest {
  kind: 'lint';
  /** ESLint's working directory: the lambdalint config is found from here, as the CLI does. */
  cwd: string;
  /** The project folder to lint. */
  root: string;
  /** The file being linted and its text in the editor, when that differs from the disk. */
  file?: string;
  text?: string;
  today?: string;
  stage?: string;
}

export interface ConfigRequest {
  kind: 'config';
  cwd: string;
}

/** How many handler files the worker has parsed (tests: an edit re-parses the edited file only). */
export interface StatsRequest {
  kind: 'stats';
}

export type Request = LintRequest | ConfigRequest | StatsRequest;

/**
 * Parses kept between requests: an edit re-parses the edited file only; templates and the other
 * handler files are read from disk and parsed again only when their text changed.
 */
const cache = createLintCache();

/** The config per working directory, kept while its file's mtime and size stay the same. */
const configs = new Map<string, { stamp: string; config: ResolvedConfig }>();

function stamp(file: string | undefined): string {
  if (!file) return '';
  const st = fs.statSync(file, { throwIfNoEntry: false });
  return st ? `${st.mtimeMs}:${st.size}` : 'missing';
}

async function configFor(cwd: string): Promise<ResolvedConfig> {
  const known = configs.get(cwd);
  // A new config file appearing nearer than the known one is noticed on the next ESLint start.
  if (known && stamp(known.config.file) === known.stamp) return known.config;
  const config = await findConfig(cwd, rules);
  configs.set(cwd, { stamp: stamp(config.file), config });
  return config;
}

async function answer(request: Request) {
  if (request.kind === 'stats') return { parses: cache.facts.parses };
  const config = await configFor(request.cwd);
  if (request.kind === 'config') return { rules: config.rules };
  const { cwd, root, today, stage, file, text } = request;
  const result = await lint({
    cwd,
    paths: [root],
    // The project's lambdalint config decides, as in the CLI: `off` rules do not run, severities
    // are the config's (ESLint's own levels come from configs.recommended, built from the same file).
    rules: config.rules,
    stage: stage ?? config.stage,
    productionNames: config.productionNames,
    ruleOptions: config.ruleOptions,
    ignores: config.ignores,
    ignoreBase: config.dir,
    today: today ? new Date(`${today}T00:00:00Z`) : undefined,
    sources: file !== undefined && text !== undefined ? new Map([[file, text]]) : undefined,
    // ESLint applies `eslint-disable-next-line lambdalint/...` itself and reports unused ones;
    // lambdalint reports those without a reason, as the CLI does.
    eslintDirectives: 'reason-only',
    cache,
  });
  return { findings: result.findings };
}

// The plugin's channel (sync.ts): requests come numbered on `port`; each answer goes back on it,
// then `done` takes its number and the waiting caller is woken. One request at a time, in the
// order they came: lint() runs share the cache.
parentPort!.once('message', ({ port, done }: { port: MessagePort; done: Int32Array }) => {
  let queue: Promise<unknown> = Promise.resolve();
  port.on('message', ({ id, request }: { id: number; request: Request }) => {
    const fail = (e: unknown) => port.postMessage({ id, ok: false, error: e instanceof Error ? e.message : String(e) });
    queue = queue
      .then(() => answer(request))
      .then((value) => {
        try {
          port.postMessage({ id, ok: true, value });
        } catch (e) {
          fail(e); // an answer that cannot be copied
        }
      }, fail)
      .finally(() => {
        Atomics.store(done, 0, id);
        Atomics.notify(done, 0);
      });
  });
});
