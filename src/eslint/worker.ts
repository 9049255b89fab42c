// Runs lint() for the ESLint plugin on a worker thread: ESLint rules are synchronous and lint() is
// not, so the plugin blocks on Atomics.wait until this thread answers (see sync.ts).
import { parentPort } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { findConfig } from '../config/load.js';
import { lint } from '../lint.js';
import { rules } from '../../rules/index.js';

export interface LintRequest {
  /** ESLint's working directory: paths (and production folders) are relative to it, as in the CLI. */
  cwd: string;
  /** The project folder to lint. */
  root: string;
  today?: string;
  stage?: string;
}

interface Envelope {
  request: LintRequest;
  signal: Int32Array;
  port: MessagePort;
}

async function answer({ cwd, root, today, stage }: LintRequest) {
  const config = await findConfig(cwd, rules.map((r) => r.id));
  const result = await lint({
    cwd,
    paths: [root],
    // Severities are ESLint's business here: every rule runs, ESLint's config decides what shows.
    stage: stage ?? config.stage,
    productionNames: config.productionNames,
    ruleOptions: config.ruleOptions,
    ignores: config.ignores,
    ignoreBase: config.dir,
    today: today ? new Date(`${today}T00:00:00Z`) : undefined,
    // ESLint applies `eslint-disable-next-line lambdalint/...` itself and reports unused ones.
    eslintDirectives: false,
  });
  return { findings: result.findings };
}

parentPort!.on('message', ({ request, signal, port }: Envelope) => {
  answer(request).then(
    (value) => port.postMessage({ ok: true, value }),
    (e: unknown) => port.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) }),
  ).finally(() => {
    port.close();
    Atomics.store(signal, 0, 1);
    Atomics.notify(signal, 0);
  });
});
