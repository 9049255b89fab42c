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
// Work is shared, not dealt: the files of a batch (the Terraform files, the handler files listed
// ahead, a wave's other files) go to every worker at once with one flag per file in shared memory,
// and whichever thread sets a file's flag first (Atomics.compareExchange) parses it. A worker works
// through its batches on its own, so it is not held up while this thread runs a long synchronous
// stage (loading the templates); this thread takes files of the same batches whenever it would
// otherwise wait for them. Neither thread sits idle while the other has a backlog, and who parsed a
// file changes nothing in its outcome. A flow asks for a module's imports one after the other (a
// wave each); the analysis lists them to the workers as soon as the module is there (`upcoming`),
// so that they are parsed while this thread runs the flows, and the waves find them done.
//
// Each thread has a language it takes first: the workers Python files, this thread JavaScript and
// TypeScript files; either takes the other's when none of its own is free. A thread then runs, and
// V8 optimizes, mostly one parser and its walk, not both: on the 2,000-function bench project this
// thread parsed 9 Python files of 1,553 (526 before), TurboFan compiled 549 -> 504 functions, and
// the process's CPU went 6,872 -> 6,633 ms (medians of 8 alternating runs, Node 20, load 9).
//
// A file's facts (facts.ts) are plain data: they cross to the main thread by structured clone, which
// keeps the objects they share; a .tf file's tree crosses as numbers and strings (hcl-wire.ts).
// Worker threads start for a wave of at least MIN_WAVE files (their start-up, loading the parsers
// again, is about 0.1 s); the main thread parses its share too.
//
// Over 600 lines because: the two ends of one protocol (a worker's loop and this thread's queue:
// batches, shared flags, answers, copies named by a worker) are read and changed together.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { SameText, factsOfCopy, type FileFacts } from './facts.js';
import { namesItsSources } from './bundle.js';
import { HclFile, type ParsedHcl } from '../source/hcl.js';
import { mayCallModules, TERRAFORM_FILE, TFVARS_FILE } from '../source/terraform-files.js';
import { decodeHcl, encodeHcl, type HclWire } from '../source/hcl-wire.js';

export type ParseOutcome = { facts: FileFacts } | { error: string } | { unreadable: true };

/** A Terraform file parsed on a worker (`hcl`), or why not: the caller then reads and parses it itself. */
type HclOutcome = { hcl: ParsedHcl } | { error: string } | { unreadable: true };
/** An HclOutcome as a worker sends it: the tree of a .tf file (or tfvars) in the form of hcl-wire.ts. */
type HclAnswer = HclOutcome | { wire: HclWire };
/**
 * What a worker sends for a copy of a file whose facts it has sent already (SameText): which answer
 * held them (batch and index: a path is no key, inline code is parsed as index.py whatever its text)
 * and the path they name. The main thread copies the facts it received (factsOfCopy), where the
 * worker would copy them, send them and the main thread read them back.
 */
type CopyAnswer = { same: string; from: string };

/** What a worker sends for a Terraform file: a .tf.json tree as it is (hcl-wire.ts says why). */
function hclAnswer(file: string, o: HclOutcome): HclAnswer {
  return 'hcl' in o && !file.endsWith('.tf.json') ? { wire: encodeHcl(o.hcl) } : o;
}

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

/** Handler files larger than this are not read (a generated bundle, data): nothing in them is judged. */
export const MAX_HANDLER_BYTES = 4 * 1024 * 1024;

/** A file's text, or undefined when it cannot be read or is larger than MAX_HANDLER_BYTES (one open for both). */
function readHandlerFile(file: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    return fs.fstatSync(fd).size > MAX_HANDLER_BYTES ? undefined : fs.readFileSync(fd, 'utf8');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Parses one file on this thread; a parser that cannot load gives its reason, never a throw.
 * Without `text` the file is read here (on the worker thread, when it runs on one), unless it is
 * larger than MAX_HANDLER_BYTES.
 */
export async function parseOne(file: string, text?: string, same?: SameText): Promise<ParseOutcome> {
  if (text === undefined) {
    text = readHandlerFile(file);
    if (text === undefined) return { unreadable: true };
  }
  const known = same?.get(file, text);
  if (known) {
    poolStats.copies++;
    return { facts: known };
  }
  try {
    const facts = isPython(file)
      ? await (await import('./python.js')).parsePython(file, text)
      : (await import('./js.js')).parseJs(file, text);
    if (text.includes('lambdalint')) facts.mentionsLambdalint = true;
    if (!isPython(file) && namesItsSources(text)) facts.namesSources = true;
    same?.set(file, text, facts);
    return { facts };
  } catch (e) {
    // oxc-parser's native binding missing for this platform, the Python grammar's wasm unreadable.
    return { error: (e instanceof Error ? e.message : String(e)).split('\n')[0] };
  }
}

/** A batch of files sent to the workers: one flag per file (0 free, 1 taken) in shared memory. */
export interface BatchMessage {
  id: number;
  /** Terraform files (answered as trees) or handler files (answered as facts). */
  hcl: boolean;
  /** Lower first: a wave's files, then Terraform, then handler files listed ahead. */
  priority: number;
  jobs: { file: string; text?: string }[];
  flags: SharedArrayBuffer;
}
/** What a worker answers: the outcomes of files it took, by index in the batch, or the indexes it could not send back. */
export interface BatchAnswer {
  id: number;
  done?: [number, ParseOutcome | HclAnswer | CopyAnswer][];
  failed?: number[];
}

/** How long a worker keeps outcomes before sending them (they are sent sooner when it runs out of files). */
const FLUSH_MS = 8;

/**
 * A worker thread's loop (parse-worker.ts): takes the free files of its batches, highest priority
 * first, parses them and sends their outcomes back a few at a time. It turns the event loop after
 * every file, so that a batch sent meanwhile (a wave waiting) is taken next.
 */
export function serve(port: import('node:worker_threads').MessagePort): void {
  const batches: (BatchMessage & {
    taken: Int32Array;
    cursor: number;
    pyCursor: number;
    out: [number, ParseOutcome | HclAnswer | CopyAnswer][];
  })[] = [];
  let running = false;
  let last = Date.now();
  /** The facts of the texts this worker parsed: a copy of one is not parsed again. */
  const same = new SameText();
  /** The facts this worker has sent, and in which answer: a copy of one is answered with that (CopyAnswer). */
  const sent = new Map<FileFacts, string>();
  const answer = async (file: string, text: string | undefined): Promise<ParseOutcome | CopyAnswer> => {
    if (text === undefined) {
      text = readHandlerFile(file);
      if (text === undefined) return { unreadable: true };
    }
    const first = same.first(file, text);
    const answered = first && first.file !== file ? sent.get(first.facts) : undefined;
    return answered ? { same: answered, from: first!.file } : parseOne(file, text, same);
  };
  const flush = (): void => {
    for (const b of batches) {
      if (!b.out.length) continue;
      const done = b.out.splice(0);
      try {
        port.postMessage({ id: b.id, done } satisfies BatchAnswer);
        for (const [i, o] of done) if ('facts' in o) sent.set(o.facts, `${b.id}:${i}`);
      } catch {
        port.postMessage({ id: b.id, failed: done.map(([i]) => i) } satisfies BatchAnswer);
      }
    }
    last = Date.now();
  };
  const next = (): { b: (typeof batches)[number]; i: number } | undefined => {
    // By priority; within one, Python files first (the workers' language, see the top of this file).
    for (let g = 0; g < batches.length;) {
      let end = g + 1;
      while (end < batches.length && batches[end].priority === batches[g].priority) end++;
      for (let k = g; k < end; k++) {
        const b = batches[k];
        while (b.pyCursor < b.jobs.length) {
          const i = b.pyCursor++;
          if (isPython(b.jobs[i].file) && Atomics.compareExchange(b.taken, i, 0, 1) === 0) return { b, i };
        }
      }
      for (let k = g; k < end; k++) {
        const b = batches[k];
        while (b.cursor < b.jobs.length) {
          const i = b.cursor++;
          if (Atomics.compareExchange(b.taken, i, 0, 1) === 0) return { b, i };
        }
      }
      g = end;
    }
    return undefined;
  };
  const run = async (): Promise<void> => {
    for (let n = next(); n; n = next()) {
      const { file, text } = n.b.jobs[n.i];
      n.b.out.push([n.i, n.b.hcl ? hclAnswer(file, await parseHclOne(file)) : await answer(file, text)]);
      if (Date.now() - last >= FLUSH_MS) flush();
      await new Promise((r) => setImmediate(r));
    }
    flush();
    // Batches all taken: dropped once their outcomes are sent.
    for (let k = batches.length - 1; k >= 0; k--) if (batches[k].cursor >= batches[k].jobs.length) batches.splice(k, 1);
    running = false;
  };
  port.on('message', (m: BatchMessage) => {
    batches.push({ ...m, taken: new Int32Array(m.flags), cursor: 0, pyCursor: m.hcl ? m.jobs.length : 0, out: [] });
    batches.sort((a, b) => a.priority - b.priority || a.id - b.id);
    if (!running) {
      running = true;
      void run();
    }
  });
}

/**
 * Chunks of outcomes received from worker threads since the process started, files listed to them
 * by `upcoming`, and copies of files whose facts this thread copied rather than parse them or read
 * them from a worker (SameText, CopyAnswer) (tests: the threads and the copies were used).
 */
export const poolStats = { workerChunks: 0, listedAhead: 0, copies: 0 };

const MIN_WAVE = 64;
const CHUNK = 16;
/** Files listed by `upcoming` go to the workers this many at a time. */
const AHEAD_CHUNK = 64;
/** Below this much Terraform, starting a worker for it costs more than it saves. */
const MIN_TERRAFORM_BYTES = 256 * 1024;

const URGENT = 0;
const TERRAFORM = 1;
const AHEAD = 2;

/** One file to parse: in a batch the workers share (`batch`, `index`), or for this thread alone. */
interface Task<O> {
  file: string;
  /** The text to parse; the file's, read by the thread that parses it, when absent. */
  text?: string;
  batch?: Batch<O>;
  index: number;
  /** `here`: this thread took it. */
  state: 'open' | 'here' | 'done';
  outcome: Promise<O>;
  settle: (o: O) => void;
}

interface Batch<O> {
  id: number;
  tasks: Task<O>[];
  taken: Int32Array;
  /** Where this thread looks for a free file when any will do: from the end, as workers start at the front. */
  back: number;
  /** Where this thread looks for a free JS/TS file (`claimPreferred`). */
  jsBack: number;
}

function newTask<O>(file: string, text?: string): Task<O> {
  let settle!: (o: O) => void;
  const outcome = new Promise<O>((r) => (settle = r));
  const task: Task<O> = { file, text, index: -1, state: 'open', outcome, settle: () => undefined };
  task.settle = (o) => {
    if (task.state === 'done') return;
    task.state = 'done';
    settle(o);
  };
  return task;
}

/**
 * Whether this thread takes files of the batches it offered the workers. Tests turn it off, so that
 * the workers parse every such file (on a small project this thread could otherwise take them all
 * before a worker has started).
 */
export const poolSharing = { mainThreadTakes: true };

/** Takes a task for this thread: true when no worker has it. */
function claim<O>(t: Task<O>): boolean {
  if (t.state !== 'open') return false;
  if (t.batch && (!poolSharing.mainThreadTakes || Atomics.compareExchange(t.batch.taken, t.index, 0, 1) !== 0))
    return false;
  t.state = 'here';
  return true;
}

const isPython = (file: string): boolean => file.endsWith('.py');

/** A free task of a batch, taken for this thread, from the end of the batch. */
function claimAny<O>(b: Batch<O>): Task<O> | undefined {
  while (b.back > 0) {
    const t = b.tasks[--b.back];
    if (claim(t)) return t;
  }
  return undefined;
}

/** A free JS/TS task of a batch (this thread's language), taken for this thread, from the end of the batch. */
function claimPreferred<O>(b: Batch<O>): Task<O> | undefined {
  while (b.jsBack > 0) {
    const t = b.tasks[--b.jsBack];
    if (!isPython(t.file) && claim(t)) return t;
  }
  return undefined;
}

export class ParseQueue {
  private pending: { file: string; text?: string; resolve: (o: ParseOutcome) => void }[] = [];
  private flushing: Promise<void> | undefined;
  private workers: Worker[] | undefined;
  private nextId = 0;
  private readonly batches = new Map<number, Batch<ParseOutcome> | Batch<HclOutcome>>();
  /** Handler files listed ahead (`prefetch`, `upcoming`): their tasks by path; the batches of `prefetch`. */
  private readonly prefetched = new Map<string, Task<ParseOutcome>>();
  private readonly ahead: Batch<ParseOutcome>[] = [];
  /** Files listed by `upcoming` not yet sent to the workers. */
  private follow: Task<ParseOutcome>[] = [];
  /** Terraform files listed ahead (`prefetchTerraform`). */
  private hcl: Batch<HclOutcome> | undefined;
  /** The facts of the texts this thread parsed: a copy of one is not parsed again. */
  private readonly same = new SameText();
  /** The facts the workers sent, by batch and index: what a CopyAnswer is copied from. */
  private readonly received = new Map<string, FileFacts>();

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
   * Hands the worker threads files to parse before the analysis asks for them (the handler files
   * of the functions loaded so far), while this thread goes on loading: the parse of a file read
   * from disk is the same whoever asks, so a wave that asks for one of them takes this outcome.
   * Nothing happens on one thread, or for fewer than MIN_WAVE files.
   */
  prefetch(files: readonly string[]): void {
    const todo = [...new Set(files)].filter((f) => !this.prefetched.has(f));
    if (this.threads <= 1 || todo.length < MIN_WAVE) return;
    this.start();
    if (!this.workers?.length) return;
    const tasks = todo.map((file) => newTask<ParseOutcome>(file));
    tasks.forEach((t) => this.prefetched.set(t.file, t));
    this.ahead.push(this.post(tasks, false, AHEAD));
  }

  /**
   * Hands the worker threads, when they run, a handler file the analysis will soon ask for (a file
   * that a file it has imports), as `prefetch` does. They go a few at a time, and the ones left at
   * the next turn of the event loop, or when a wave is parsed.
   */
  upcoming(file: string): void {
    if (!this.workers?.length || this.prefetched.has(file)) return;
    const t = newTask<ParseOutcome>(file);
    this.prefetched.set(file, t);
    this.follow.push(t);
    if (this.follow.length >= AHEAD_CHUNK) this.sendAhead();
    else if (this.follow.length === 1) setImmediate(() => this.sendAhead());
  }

  private sendAhead(): void {
    if (!this.follow.length || !this.workers?.length) return;
    poolStats.listedAhead += this.follow.length;
    // Not among the batches this thread takes files of while a wave waits: those files are for
    // later waves, parsed by the workers while this thread runs the flows.
    this.post(this.follow, false, AHEAD);
    this.follow = [];
  }

  /**
   * Hands the worker threads the Terraform files (.tf, .tf.json, tfvars) of these folders, before
   * the handler files, while this thread loads the templates; the Terraform loader takes the trees
   * (`terraformParsed`) instead of parsing the files itself. Nothing happens on one thread, or for
   * less than `minTerraformBytes` of files.
   */
  prefetchTerraform(dirs: readonly string[], keep: (dir: string) => boolean = () => true): void {
    if (this.threads <= 1 || this.hcl) return;
    const files: string[] = [];
    let bytes = 0;
    for (const dir of dirs) {
      // A folder of another shard (--shard): only its files that may call a module are parsed
      // (src/load/terraform/index.ts).
      const own = keep(dir);
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
          if (own) bytes += fs.statSync(file).size;
          else {
            const text = fs.readFileSync(file, 'utf8');
            if (!mayCallModules(text)) continue;
            bytes += text.length;
          }
        } catch {
          continue; // the loader reports it
        }
        files.push(file);
      }
    }
    if (bytes < this.minTerraformBytes || !files.length) return;
    this.start();
    if (!this.workers?.length) return;
    this.hcl = this.post(
      files.map((file) => newTask<HclOutcome>(file)),
      true,
      TERRAFORM,
    );
  }

  /**
   * The Terraform files handed to the workers (`prefetchTerraform`), parsed, by path: the files no
   * worker has taken yet are parsed on this thread meanwhile. A file that could not be parsed is
   * left out (the loader reads it again, and reports what is wrong with it).
   */
  async terraformParsed(): Promise<ReadonlyMap<string, ParsedHcl>> {
    const out = new Map<string, ParsedHcl>();
    if (!this.hcl) return out;
    for (let t = claimAny(this.hcl); t; t = claimAny(this.hcl)) t.settle(await parseHclOne(t.file));
    for (const t of this.hcl.tasks) {
      const o = await t.outcome;
      if ('hcl' in o) out.set(t.file, o.hcl);
    }
    return out;
  }

  /** Sends a batch to every worker. */
  private post<O>(tasks: Task<O>[], hcl: boolean, priority: number): Batch<O> {
    const flags = new SharedArrayBuffer(4 * tasks.length);
    const batch: Batch<O> = {
      id: this.nextId++,
      tasks,
      taken: new Int32Array(flags),
      back: tasks.length,
      jsBack: tasks.length,
    };
    tasks.forEach((t, i) => {
      t.batch = batch;
      t.index = i;
    });
    this.batches.set(batch.id, batch as unknown as Batch<ParseOutcome> | Batch<HclOutcome>);
    const jobs = tasks.map(({ file, text }) => ({ file, text }));
    for (const w of this.workers ?? [])
      w.postMessage({ id: batch.id, hcl, priority, jobs, flags } satisfies BatchMessage);
    return batch;
  }

  private start(): void {
    if (this.workers) return;
    this.workers = startWorkers(this.threads - 1);
    for (const w of this.workers) {
      w.on('message', (a: BatchAnswer) => {
        const batch = this.batches.get(a.id);
        if (!batch) return;
        if (a.done) {
          poolStats.workerChunks++;
          for (const [i, o] of a.done) {
            if ('wire' in o) {
              (batch.tasks[i] as Task<HclOutcome>).settle({ hcl: decodeHcl(o.wire) });
              continue;
            }
            if ('same' in o) {
              const first = this.received.get(o.same);
              const facts = first && factsOfCopy(first, o.from, batch.tasks[i].file);
              if (facts) {
                poolStats.copies++;
                (batch.tasks[i] as Task<ParseOutcome>).settle({ facts });
              } else void this.redo(batch, i);
              continue;
            }
            if ('facts' in o) this.received.set(`${a.id}:${i}`, o.facts);
            // Structured clone keeps the objects a tree shares (every span's file) but not their class.
            if ('hcl' in o) Object.setPrototypeOf(o.hcl.file, HclFile.prototype);
            (batch.tasks[i] as Task<typeof o>).settle(o);
          }
        }
        // Facts that could not be sent back: parsed again here.
        for (const i of a.failed ?? []) void this.redo(batch, i);
      });
      // A worker that dies answers nothing more: whatever it had taken is parsed here.
      w.on('error', () => {
        this.workers = this.workers?.filter((x) => x !== w);
        for (const batch of this.batches.values())
          batch.tasks.forEach((t, i) => {
            if (t.state === 'open') void this.redo(batch, i);
          });
      });
    }
  }

  private async redo(batch: Batch<ParseOutcome> | Batch<HclOutcome>, i: number): Promise<void> {
    const t = batch.tasks[i];
    if (t.state !== 'open') return;
    t.state = 'here';
    if (batch === this.hcl) (t as Task<HclOutcome>).settle(await parseHclOne(t.file));
    else (t as Task<ParseOutcome>).settle(await parseOne(t.file, t.text, this.same));
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

  private async parseAll(wave: { file: string; text?: string }[]): Promise<ParseOutcome[]> {
    // Files listed ahead are taken from their task; the others go to the workers as a batch of
    // their own when the wave is big enough, and are parsed here otherwise.
    if (this.threads > 1 && wave.length >= MIN_WAVE) this.start();
    this.sendAhead();
    const tasks = wave.map(
      (j) => (j.text === undefined && this.prefetched.get(j.file)) || newTask<ParseOutcome>(j.file, j.text),
    );
    const fresh = tasks.filter((t) => !t.batch);
    if (fresh.length >= CHUNK && this.workers?.length) this.post(fresh, false, URGENT);
    // This thread parses the wave's files no worker has taken, in order, then handler files listed
    // ahead by `prefetch`, and waits only when every file of the wave left is on a worker.
    for (let next = 0, free = 0; ;) {
      while (next < tasks.length && tasks[next].state === 'done') next++;
      if (next === tasks.length) break;
      while (free < tasks.length && !claim(tasks[free])) free++;
      let mine: Task<ParseOutcome> | undefined = free < tasks.length ? tasks[free] : undefined;
      for (let k = 0; !mine && k < this.ahead.length; k++) mine = claimPreferred(this.ahead[k]);
      for (let k = 0; !mine && k < this.ahead.length; k++) mine = claimAny(this.ahead[k]);
      if (mine) mine.settle(await parseOne(mine.file, mine.text, this.same));
      else await tasks[next].outcome;
    }
    return Promise.all(tasks.map((t) => t.outcome));
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
