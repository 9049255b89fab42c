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
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import type { FileFacts } from './facts.js';
import { HclFile, TERRAFORM_FILE, TFVARS_FILE, type ParsedHcl } from '../source/hcl.js';

export type ParseOutcome = { facts: FileFacts } | { error: string } | { unreadable: true };

/** A Terraform file parsed on a worker (`hcl`), or why not: the caller then reads and parses it itself. */
type HclOutcome = { hcl: ParsedHcl } | { error: string } | { unreadable: true };

/** Parses one .tf or .tf.json file on this thread, as the Terraform loader does (src/load/terraform/index.ts). */
async function parseHclOne(file: string): Promise<HclOutcome> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { unreadable: true };
  }
  try {
    const { hclParser, parseHcl } = await import('../source/hcl.js');
    const parser = await hclParser();
    if (file.endsWith('.tf.json'))
      return { hcl: (await import('../source/tf-json.js')).parseTfJson(parser, file, text) };
    return { hcl: parseHcl(parser, file, text) };
  } catch (e) {
    return { error: (e instanceof Error ? e.message : String(e)).split('\n')[0] };
  }
}

/**
 * Parses one file on this thread; a parser that cannot load gives its reason, never a throw.
 * Without `text` the file is read here (on the worker thread, when it runs on one).
 */
export async function parseOne(file: string, text?: string): Promise<ParseOutcome> {
  if (text === undefined) {
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return { unreadable: true };
    }
  }
  try {
    if (file.endsWith('.py')) return { facts: await (await import('./python.js')).parsePython(file, text) };
    return { facts: await (await import('./js.js')).parseJs(file, text) };
  } catch (e) {
    // oxc-parser's native binding missing for this platform, the Python grammar's wasm unreadable.
    return { error: (e instanceof Error ? e.message : String(e)).split('\n')[0] };
  }
}

/** What a worker answers to a request (parse-worker.ts). */
export async function work(m: ParseRequest): Promise<ParseAnswer> {
  if (m.hcl) {
    const hcl: HclOutcome[] = [];
    for (const j of m.jobs) hcl.push(await parseHclOne(j.file));
    return { id: m.id, hcl };
  }
  const outcomes: ParseOutcome[] = [];
  for (const j of m.jobs) outcomes.push(await parseOne(j.file, j.text));
  return { id: m.id, outcomes };
}

/** A message to a worker: files to parse. The answer carries the same id and one outcome per file, or `failed`. */
export interface ParseRequest {
  id: number;
  jobs: { file: string; text?: string }[];
  /** The jobs are Terraform files (answered in `hcl`), not handler files. */
  hcl?: boolean;
}
export interface ParseAnswer {
  id: number;
  outcomes?: ParseOutcome[];
  hcl?: HclOutcome[];
  /** The facts could not be sent back (not cloneable): the main thread parses the chunk itself. */
  failed?: string;
}

/** Chunks parsed on worker threads since the process started (tests: the threads were used). */
export const poolStats = { workerChunks: 0 };

const MIN_WAVE = 64;
const CHUNK = 16;
/** Below this much Terraform, starting a worker for it costs more than it saves. */
const MIN_TERRAFORM_BYTES = 256 * 1024;

interface Job {
  file: string;
  /** The text to parse; the file's, read by the thread that parses it, when absent. */
  text?: string;
  resolve: (o: ParseOutcome) => void;
}

export class ParseQueue {
  private pending: Job[] = [];
  private flushing: Promise<void> | undefined;
  private workers: Worker[] | undefined;
  private nextId = 0;
  /** Answers awaited from the workers, by message id, and the ids sent to each worker. */
  private readonly answers = new Map<number, (a: ParseAnswer | undefined) => void>();
  private readonly sent = new Map<Worker, Set<number>>();
  /** Files sent to the workers before anyone asked (`prefetch`): their outcomes, by path. */
  private readonly prefetched = new Map<string, Promise<ParseOutcome>>();
  /** Terraform files sent to the workers (`prefetchTerraform`): their parse, or undefined when this thread must parse. */
  private readonly hcl = new Map<string, Promise<ParsedHcl | undefined>>();

  /**
   * `threads`: how many threads may parse, this one included (1: no worker threads).
   * `minTerraformBytes`: below it, Terraform files are parsed by the loader (tests lower it).
   */
  constructor(
    private readonly threads: number,
    private readonly minTerraformBytes = MIN_TERRAFORM_BYTES,
  ) {}

  parse(file: string, text?: string): Promise<ParseOutcome> {
    return new Promise((resolve) => {
      this.pending.push({ file, text, resolve });
      if (this.pending.length === 1) this.schedule();
    });
  }

  /**
   * Starts parsing files on the worker threads before the analysis asks for them (the handler
   * files of the functions loaded so far), while this thread goes on loading: the parse of a file
   * read from disk is the same whoever asks, so a wave that asks for one of them takes this
   * outcome. Nothing happens on one thread, or for fewer than MIN_WAVE files.
   */
  prefetch(files: readonly string[]): void {
    const todo = [...new Set(files)].filter((f) => !this.prefetched.has(f));
    if (this.threads <= 1 || todo.length < MIN_WAVE) return;
    this.start();
    const workers = this.workers ?? [];
    if (!workers.length) return;
    for (let i = 0, k = 0; i < todo.length; i += CHUNK, k++) {
      const chunk = todo.slice(i, i + CHUNK);
      const answer = this.send(workers[k % workers.length], chunk);
      chunk.forEach((file, n) =>
        this.prefetched.set(
          file,
          answer.then((a) => a?.outcomes?.[n] ?? parseOne(file)),
        ),
      );
    }
  }

  /**
   * Starts parsing the Terraform files (.tf, .tf.json, tfvars) of these folders on the worker
   * threads, before anything else they are sent, while this thread loads the templates; the
   * Terraform loader takes the trees (`terraformParsed`) instead of parsing the files itself.
   * Nothing happens on one thread, or for less than `minTerraformBytes` of files.
   */
  prefetchTerraform(dirs: readonly string[]): void {
    if (this.threads <= 1) return;
    const files: string[] = [];
    let bytes = 0;
    for (const dir of dirs) {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        if (!(e.isFile() || e.isSymbolicLink()) || !(TERRAFORM_FILE.test(e.name) || TFVARS_FILE.test(e.name))) continue;
        const file = path.join(dir, e.name);
        try {
          bytes += fs.statSync(file).size;
        } catch {
          continue; // the loader reports it
        }
        files.push(file);
      }
    }
    if (bytes < this.minTerraformBytes || !files.length) return;
    this.start();
    const workers = this.workers ?? [];
    if (!workers.length) return;
    // As many chunks as workers, so that each starts on its share at once.
    const size = Math.ceil(files.length / workers.length);
    for (let i = 0, k = 0; i < files.length; i += size, k++) {
      const chunk = files.slice(i, i + size);
      const answer = this.send(workers[k % workers.length], chunk, undefined, true);
      chunk.forEach((file, n) =>
        this.hcl.set(
          file,
          answer.then((a) => {
            const o = a?.hcl?.[n];
            if (!o || !('hcl' in o)) return undefined;
            // Structured clone keeps the objects a tree shares (every span's file) but not their class.
            Object.setPrototypeOf(o.hcl.file, HclFile.prototype);
            return o.hcl;
          }),
        ),
      );
    }
  }

  /** The Terraform files the workers parsed (`prefetchTerraform`), by path, once every one is in. */
  async terraformParsed(): Promise<ReadonlyMap<string, ParsedHcl>> {
    const out = new Map<string, ParsedHcl>();
    for (const [file, p] of this.hcl) {
      const parsed = await p;
      if (parsed) out.set(file, parsed);
    }
    return out;
  }

  private start(): void {
    if (this.workers) return;
    this.workers = startWorkers(this.threads - 1);
    for (const w of this.workers) {
      this.sent.set(w, new Set());
      w.on('message', (a: ParseAnswer) => {
        this.sent.get(w)?.delete(a.id);
        const answer = this.answers.get(a.id);
        this.answers.delete(a.id);
        if (a.outcomes || a.hcl) poolStats.workerChunks++;
        answer?.(a);
      });
      // A worker that dies answers nothing more: its files are parsed on this thread.
      w.on('error', () => {
        this.workers = this.workers?.filter((x) => x !== w);
        for (const id of this.sent.get(w) ?? []) {
          this.answers.get(id)?.(undefined);
          this.answers.delete(id);
        }
        this.sent.delete(w);
      });
    }
  }

  /** Sends files to a worker; the answer, or undefined when the worker failed. */
  private send(
    w: Worker,
    files: readonly string[],
    texts?: readonly (string | undefined)[],
    hcl?: boolean,
  ): Promise<ParseAnswer | undefined> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.answers.set(id, resolve);
      this.sent.get(w)?.add(id);
      const jobs = files.map((file, k) => ({ file, text: texts?.[k] }));
      w.postMessage((hcl ? { id, jobs, hcl } : { id, jobs }) satisfies ParseRequest);
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
    this.workers = [];
    await Promise.all(ws.map((w) => w.terminate()));
  }

  private async parseAll(wave: Job[]): Promise<ParseOutcome[]> {
    const outcomes: ParseOutcome[] = new Array(wave.length);
    // Files a worker is already parsing (prefetch) are taken from it; the others are parsed now.
    const early: number[] = [];
    const now: number[] = [];
    wave.forEach((j, i) => (j.text === undefined && this.prefetched.has(j.file) ? early : now).push(i));
    if (this.threads > 1 && now.length >= MIN_WAVE) this.start();
    const chunks: number[][] = [];
    for (let i = 0; i < now.length; i += CHUNK) chunks.push(now.slice(i, i + CHUNK));
    const here = async (chunk: number[]): Promise<void> => {
      for (const i of chunk) outcomes[i] = await parseOne(wave[i].file, wave[i].text);
    };
    const workers = now.length >= CHUNK ? (this.workers ?? []) : [];
    // Workers take chunks as they finish; this thread takes them too, and yields between its own
    // so that the workers' answers are read.
    const viaWorker = async (w: Worker): Promise<void> => {
      for (let c = chunks.shift(); c; c = chunks.shift()) {
        const chunk = c;
        const a = await this.send(
          w,
          chunk.map((i) => wave[i].file),
          chunk.map((i) => wave[i].text),
        );
        if (a?.outcomes) chunk.forEach((i, k) => (outcomes[i] = a.outcomes![k]));
        else {
          await here(chunk);
          return; // that worker is gone, or cannot send its facts back: no more chunks for it
        }
      }
    };
    const mine = async (): Promise<void> => {
      for (let c = chunks.shift(); c; c = chunks.shift()) {
        await here(c);
        if (workers.length) await new Promise((r) => setImmediate(r));
      }
    };
    await Promise.all([mine(), ...workers.map(viaWorker)]);
    for (const i of early) outcomes[i] = await this.prefetched.get(wave[i].file)!;
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
  // Loaded here, not imported at the top: runs that start no thread do not pay for node:worker_threads.
  const { Worker } = process.getBuiltinModule('node:worker_threads');
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
