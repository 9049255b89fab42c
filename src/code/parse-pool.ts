// Parses handler files in waves, on worker threads when the machine has cores to spare.
//
// The analysis (analyse.ts) follows every function's imports at once, each function in an async
// flow of its own that waits for the files it asks for. Requests are not answered one by one as
// parsers finish, in whatever order threads happen to finish: they are collected until every flow
// waits (a wave: the event loop's next turn), parsed together, and answered in the order they were
// asked. Flows therefore resume in the same order whatever the number of threads, and so the result
// of a run is the same, byte for byte, on one thread or on several (test/parse-pool.test.ts).
// This holds as long as the analysis waits on nothing else than these waves while it runs: the
// modules it loads on the way are loaded before it starts (CodeAnalyser.run).
//
// A file's facts (facts.ts) are plain data: they cross to the main thread by structured clone, which
// keeps the objects they share. Worker threads start for a wave of at least MIN_WAVE files (their
// start-up, loading the parsers again, is about 0.1 s); the main thread parses its share too.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FileFacts } from './facts.js';

export type ParseOutcome = { facts: FileFacts } | { error: string };

/** Parses one file on this thread; a parser that cannot load gives its reason, never a throw. */
export async function parseOne(file: string, text: string): Promise<ParseOutcome> {
  try {
    if (file.endsWith('.py')) return { facts: await (await import('./python.js')).parsePython(file, text) };
    return { facts: await (await import('./js.js')).parseJs(file, text) };
  } catch (e) {
    // oxc-parser's native binding missing for this platform, the Python grammar's wasm unreadable.
    return { error: (e instanceof Error ? e.message : String(e)).split('\n')[0] };
  }
}

/** A message to a worker: files to parse. The answer carries the same id and one outcome per file, or `failed`. */
export interface ParseRequest {
  id: number;
  jobs: { file: string; text: string }[];
}
export interface ParseAnswer {
  id: number;
  outcomes?: ParseOutcome[];
  /** The facts could not be sent back (not cloneable): the main thread parses the chunk itself. */
  failed?: string;
}

/** Chunks parsed on worker threads since the process started (tests: the threads were used). */
export const poolStats = { workerChunks: 0 };

const MIN_WAVE = 64;
const CHUNK = 16;

interface Job {
  file: string;
  text: string;
  resolve: (o: ParseOutcome) => void;
}

export class ParseQueue {
  private pending: Job[] = [];
  private flushing: Promise<void> | undefined;
  private workers: Worker[] | undefined;
  private nextId = 0;

  /** `threads`: how many threads may parse, this one included (1: no worker threads). */
  constructor(private readonly threads: number) {}

  parse(file: string, text: string): Promise<ParseOutcome> {
    return new Promise((resolve) => {
      this.pending.push({ file, text, resolve });
      if (this.pending.length === 1) this.schedule();
    });
  }

  private schedule(): void {
    const after = this.flushing ?? Promise.resolve();
    this.flushing = after.then(
      () =>
        new Promise<void>((done) =>
          // The next turn of the event loop: every flow that could ask has asked.
          setImmediate(() => {
            const wave = this.pending;
            this.pending = [];
            void this.parseAll(wave).then((outcomes) => {
              done();
              wave.forEach((j, i) => j.resolve(outcomes[i]));
            });
          }),
        ),
    );
  }

  /** Ends the worker threads. */
  async close(): Promise<void> {
    const ws = this.workers ?? [];
    this.workers = undefined;
    await Promise.all(ws.map((w) => w.terminate()));
  }

  private async parseAll(wave: Job[]): Promise<ParseOutcome[]> {
    const outcomes: ParseOutcome[] = new Array(wave.length);
    if (this.threads > 1 && !this.workers && wave.length >= MIN_WAVE) this.workers = startWorkers(this.threads - 1);
    const chunks: number[][] = [];
    for (let i = 0; i < wave.length; i += CHUNK)
      chunks.push(Array.from({ length: Math.min(CHUNK, wave.length - i) }, (_, k) => i + k));
    const here = async (chunk: number[]): Promise<void> => {
      for (const i of chunk) outcomes[i] = await parseOne(wave[i].file, wave[i].text);
    };
    if (!this.workers?.length || wave.length < CHUNK) {
      for (const c of chunks) await here(c);
      return outcomes;
    }
    // Workers take chunks as they finish; this thread takes them too, and yields between its own
    // so that the workers' answers are read.
    const take = (): number[] | undefined => chunks.shift();
    const viaWorker = (w: Worker): Promise<void> =>
      new Promise<void>((done) => {
        const next = (): void => {
          const chunk = take();
          if (!chunk) {
            w.off('message', onMessage);
            w.off('error', onError);
            done();
            return;
          }
          const id = this.nextId++;
          pendingChunk = { id, chunk };
          w.postMessage({ id, jobs: chunk.map((i) => ({ file: wave[i].file, text: wave[i].text })) } as ParseRequest);
        };
        let pendingChunk: { id: number; chunk: number[] } | undefined;
        const onMessage = (a: ParseAnswer): void => {
          if (!pendingChunk || a.id !== pendingChunk.id) return;
          const { chunk } = pendingChunk;
          pendingChunk = undefined;
          if (a.outcomes) {
            poolStats.workerChunks++;
            chunk.forEach((i, k) => (outcomes[i] = a.outcomes![k]));
            next();
          } else void here(chunk).then(next);
        };
        // A worker that dies hands its chunk back to this thread and takes no more.
        const onError = (): void => {
          w.off('message', onMessage);
          w.off('error', onError);
          const lost = pendingChunk?.chunk;
          pendingChunk = undefined;
          this.workers = this.workers?.filter((x) => x !== w);
          void (lost ? here(lost) : Promise.resolve()).then(done);
        };
        w.on('message', onMessage);
        w.on('error', onError);
        next();
      });
    const mine = (async () => {
      for (let c = take(); c; c = take()) {
        await here(c);
        await new Promise((r) => setImmediate(r));
      }
    })();
    await Promise.all([mine, ...this.workers.map(viaWorker)]);
    return outcomes;
  }
}

function startWorkers(n: number): Worker[] {
  const out: Worker[] = [];
  for (let k = 0; k < n; k++) {
    try {
      const w = newWorker();
      w.unref();
      out.push(w);
    } catch {
      break; // no worker threads here: this thread parses alone
    }
  }
  return out;
}

function newWorker(): Worker {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    // From source (tests, tsx): Node 20 does not carry tsx's loader into workers, so the worker
    // registers it itself before importing the TypeScript module (as src/eslint/sync.ts does).
    const tsxDir = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
    const api = pathToFileURL(path.join(tsxDir, 'dist/esm/api/index.mjs')).href;
    const target = pathToFileURL(path.join(path.dirname(here), 'parse-worker.ts')).href;
    const code = `import(${JSON.stringify(api)}).then((api) => { api.register(); return import(${JSON.stringify(target)}); });`;
    return new Worker(code, { eval: true, execArgv: [] });
  }
  // Bundled (prebuilt/): the worker is an entry of its own beside the chunks.
  return new Worker(path.join(path.dirname(here), 'parse-worker.js'));
}
