// Follows each function's Handler into its code, before rules run: resolves the file and export,
// reads the import graph (relative imports within the package), classifies every package import
// (builtin, in the package, bundled, provided by the runtime or a layer, missing, unknown) and maps
// AWS SDK calls to IAM actions. Parsers are loaded only when some function has local code.
//
// Over 600 lines because: CodeAnalyser holds the per-run caches (package.json files, tsconfig
// paths, git ignores, parsed files) that handler resolution, the classification of Node and Python
// imports and the SDK-call mapping all read; split by language, each part would need those caches
// handed across.
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import type {
  CodeImport,
  Deployment,
  FunctionTarget,
  HandlerCode,
  ImportProvider,
  LambdaFunction,
  Layer,
  Model,
  SdkCall,
  SourceRange,
} from '../model/types.js';
import { isKnownAction, isKnownService, loadActionCatalog } from '../iam/actions.js';
import { notChecked } from '../model/coverage.js';
import { lookupBy } from '../model/lookup.js';
import {
  textHash,
  type ExportKind,
  type FactsCache,
  type FileFacts,
  type RawSdkCall,
  type ResourceHint,
} from './facts.js';
import { S3_EVENT_BUCKET } from '../model/types.js';
import { isPythonStdlib } from './python-stdlib.js';
import { pipInstalledNames } from '../source/pip.js';
import { reachFrom, submoduleFile } from './reach-python.js';
import { callResources, unknownCallResource } from './resource.js';
import { reachCalls } from './reach.js';
import type { EnvLookup } from './guard.js';
import { actionsFor, iamPrefix } from './sdk-map.js';
import { Resolver, inside } from './resolve.js';
import { MAX_HANDLER_BYTES, ParseQueue } from './parse-pool.js';

type ExportEntry = { kind: ExportKind; range: SourceRange };
/** What an import of a handler's module graph names (CodeAnalyser.analyse, `localsOf`). */
type Local = string | null | undefined | false;

export interface CodeAnalyseOptions {
  /** The project root: .gitignore files between it and a code folder are read. */
  cwd: string;
  /** Told what it noticed; `unchecked` when the handler's code could not be read (coverage). */
  note: (fn: LambdaFunction, message: string, unchecked?: boolean) => void;
  /** The linted folders (working directory and path arguments): bound the project when there is no git root. */
  roots?: string[];
  /** A file's text when it differs from the disk (an editor's unsaved buffer, from the ESLint plugin). */
  sources?: ReadonlyMap<string, string>;
  /** Told, per function whose handler was read, how many SDK calls it reaches (for --verbose). */
  detail?: (fn: LambdaFunction, message: string) => void;
  /** Parsed files kept from earlier runs (the ESLint plugin): only changed files are parsed again. */
  factsCache?: FactsCache;
  /** Threads that may parse handler files, this one included (parse-pool.ts). Default 1. */
  threads?: number;
  /** The parse queue to use (one lint() started early, see handlerEntryFiles); closed when the analysis ends. */
  queue?: ParseQueue;
  /** Told when a function's handler code has been read (the CLI's progress line). */
  analysed?: (fn: LambdaFunction) => void;
  /** Told of each handler file whose text does not mention lambdalint: it holds no suppression to read. */
  unmarked?: (file: string) => void;
}

export interface CodeStats {
  functions: number;
  resolved: number;
  unchecked: number;
  sdkCalls: number;
  mappedCalls: number;
  /** SDK calls the call graph could not resolve (JS/TS), not charged to any function. */
  unresolvedCalls: number;
}

const NODE_EXTS = ['.js', '.mjs', '.cjs'];
/** The order Framework v4 looks for a handler file in (packages/serverless/lib/plugins/esbuild/index.js, `WillEsBuildRun`). */
const V4_EXTS = ['.js', '.ts', '.cjs', '.mjs', '.cts', '.mts', '.jsx', '.tsx'];
const TS_EXTS = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs'];
const NODE_BUILTINS = new Set(builtinModules);
/**
 * Packages the Lambda Python runtimes ship (boto3 and its dependencies): AWS Lambda developer
 * guide, "Runtime-included SDK versions"; the list matches the packages found in /var/runtime.
 */
const PYTHON_RUNTIME = new Set(['boto3', 'botocore', 's3transfer', 'jmespath', 'dateutil', 'urllib3', 'six']);
/**
 * The durable execution SDKs, which the runtimes that run durable functions include (nodejs22.x and
 * later, python3.13 and later): "Lambda Node.js and Python runtimes include the durable execution
 * SDK" (AWS Lambda developer guide, "Supported runtimes for durable functions",
 * https://docs.aws.amazon.com/lambda/latest/dg/durable-supported-runtimes.html). The guide advises
 * packaging it for production, for a pinned version; an import of it is not missing either way.
 */
const NODE_DURABLE_SDK = '@aws/durable-execution-sdk-js';
const PYTHON_DURABLE_SDK = 'aws_durable_execution_sdk_python';

/** Whether a Python runtime provides a module: the SDK and its dependencies; the durable execution SDK from python3.13 on. */
function pythonRuntimeHas(name: string, runtime: string | undefined): boolean {
  if (PYTHON_RUNTIME.has(name)) return true;
  if (name !== PYTHON_DURABLE_SDK) return false;
  const m = /^python3\.(\d+)$/.exec(runtime ?? '');
  return !!m && Number(m[1]) >= 13;
}

/** The AWS SDK for Python's own packages (of PYTHON_RUNTIME). */
const PYTHON_SDK = new Set(['boto3', 'botocore', 's3transfer']);

/**
 * Whether an absolute import names the AWS SDK for Python (`boto3`, `botocore.config`). A copy a
 * layer or the package carries is a library, as when the runtime provides it: neither the import
 * graph nor the call graph walks into it. The SDK calls are found where the handler makes them, on
 * the clients it creates; the SDK's own modules hold none of the handler's, and botocore alone is
 * over a hundred modules, each a parse and a wave of the walk (aws-samples/serverless-patterns: a
 * layer with boto3, one function, 85 modules loaded; 380 ms of the run).
 */
function isPythonSdk(spec: string): boolean {
  return PYTHON_SDK.has(spec.split('.')[0]);
}
/** Import name → distribution name, where they differ (the distributions' own docs). */
const PY_DISTRIBUTION: Record<string, string[]> = {
  yaml: ['pyyaml'],
  PIL: ['pillow'],
  dateutil: ['python-dateutil'],
  jwt: ['pyjwt'],
  bs4: ['beautifulsoup4'],
  sklearn: ['scikit-learn'],
  cv2: ['opencv-python', 'opencv-python-headless'],
  attr: ['attrs'],
  dotenv: ['python-dotenv'],
  Crypto: ['pycryptodome', 'pycrypto'],
  Cryptodome: ['pycryptodomex'],
  OpenSSL: ['pyopenssl'],
  psycopg2: ['psycopg2', 'psycopg2-binary'],
  jose: ['python-jose'],
  magic: ['python-magic'],
  docx: ['python-docx'],
  git: ['gitpython'],
  google: ['*'],
  MySQLdb: ['mysqlclient'],
  pymysql: ['pymysql'],
  aws_xray_sdk: ['aws-xray-sdk'],
  aws_lambda_powertools: ['aws-lambda-powertools'],
  dns: ['dnspython'],
  serial: ['pyserial'],
  zmq: ['pyzmq'],
  fitz: ['pymupdf'],
  pkg_resources: ['setuptools'],
  setuptools: ['setuptools'],
  typing_extensions: ['typing-extensions'],
  mypy_boto3_s3: ['mypy-boto3-s3'],
  // Both put a module `cfnresponse` on the path: cfnresponse (gene1wood/cfnresponse, the module
  // CloudFormation gives inline code) and cfn-response (jorgebastida/cfn-response, setup.py
  // `py_modules=["cfnresponse"]`).
  cfnresponse: ['cfnresponse', 'cfn-response'],
  // The OpenSearch Python client: `pip install opensearch-py`, `from opensearchpy import OpenSearch`
  // (opensearch-project/opensearch-py, README).
  opensearchpy: ['opensearch-py'],
  // The Aurora DSQL Connector for Python (awslabs/aurora-dsql-python-connector, README: `import
  // aurora_dsql_psycopg2 as dsql`), one module per driver.
  aurora_dsql_psycopg2: ['aurora-dsql-python-connector'],
  aurora_dsql_psycopg: ['aurora-dsql-python-connector'],
  aurora_dsql_asyncpg: ['aurora-dsql-python-connector'],
  // MySQL Connector/Python: `pip install mysql-connector-python`, `import mysql.connector`.
  mysql: ['mysql-connector-python', 'mysql-connector'],
};

/**
 * The AWS SDK the Node.js runtime provides: v3 from nodejs18.x on, v2 up to nodejs16.x (the AWS
 * Developer Tools blog on Node.js 18 and the SDK). 'unknown' when the runtime is not known.
 */
function nodeRuntimeSdk(name: string, major: number | undefined): 'runtime' | 'unknown' | undefined {
  if (name === NODE_DURABLE_SDK) return major === undefined ? 'unknown' : major >= 22 ? 'runtime' : undefined;
  const v3 = name.startsWith('@aws-sdk/');
  if (!v3 && name !== 'aws-sdk') return undefined;
  if (major === undefined) return 'unknown';
  return (v3 ? major >= 18 : major < 18) ? 'runtime' : undefined;
}

function nodeMajor(runtime: string | undefined): number | undefined {
  const m = /^nodejs(\d+)\.x$/.exec(runtime ?? '');
  return m ? Number(m[1]) : undefined;
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * What is at a path, asked once per analysis: resolving 2,000 handlers probes the same folders,
 * node_modules and tsconfig.json candidates over and over (reset by each CodeAnalyser).
 */
type PathKind = 'file' | 'dir' | 'other' | 'none';
let statCache = new Map<string, PathKind>();
/**
 * Folder listings: resolving an import or a handler tries a name with several extensions and index
 * files, and most tries fail. One listing of the folder answers them all, where each was a stat:
 * absent names, and the kind of each entry (what stat says of it, but for symbolic links, which
 * stat follows). Only where names are case-sensitive (Linux), so that a listing says no exactly when
 * stat would; null when the folder cannot be listed, 'absent' when it is not there.
 */
let listingCache = new Map<string, Map<string, PathKind | 'link'> | null | 'absent'>();
const LISTINGS_DECIDE_ABSENCE = process.platform === 'linux';
/** What the listing of its folder says is at `p`; undefined when stat must answer. */
function kindFromListing(p: string): PathKind | undefined {
  if (!LISTINGS_DECIDE_ABSENCE) return undefined;
  const dir = path.dirname(p);
  const base = path.basename(p);
  if (dir === p || base === '.' || base === '..') return undefined;
  let names = listingCache.get(dir);
  if (names === undefined) {
    // A folder its parent's listing lacks (or names as a file) is not there: it is not listed (a
    // failed listing throws, and the error's stack costs more than the listing).
    const up = kindFromListing(dir);
    if (up === 'none' || up === 'file' || up === 'other') names = 'absent';
    else
      try {
        names = new Map();
        for (const e of fs.readdirSync(dir, { withFileTypes: true }))
          names.set(e.name, e.isFile() ? 'file' : e.isDirectory() ? 'dir' : e.isSymbolicLink() ? 'link' : 'other');
      } catch (e) {
        // No such folder (or a file there): nothing is inside it. Unreadable: stat answers.
        const code = (e as NodeJS.ErrnoException).code;
        names = code === 'ENOENT' || code === 'ENOTDIR' ? 'absent' : null;
      }
    listingCache.set(dir, names);
  }
  if (names === 'absent') return 'none';
  if (names === null) return undefined;
  const k = names.get(base);
  return k === undefined ? 'none' : k === 'link' ? undefined : k;
}
function kindOf(p: string): PathKind {
  let k = statCache.get(p);
  if (k === undefined) {
    k = kindFromListing(p);
    if (k === undefined)
      try {
        const st = fs.statSync(p, { throwIfNoEntry: false });
        k = !st ? 'none' : st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
      } catch {
        k = 'none'; // not a folder on the way (ENOTDIR), unreadable...
      }
    statCache.set(p, k);
  }
  return k;
}
const isFile = (p: string): boolean => kindOf(p) === 'file';
const isDir = (p: string): boolean => kindOf(p) === 'dir';

/** package.json files read during one analysis (reset by each CodeAnalyser: files change between runs). */
let jsonCache = new Map<string, Record<string, unknown> | null>();
function readJson(file: string): Record<string, unknown> | null {
  if (jsonCache.has(file)) return jsonCache.get(file)!;
  let v: Record<string, unknown> | null = null;
  if (isFile(file)) {
    try {
      v = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      v = null;
    }
  }
  jsonCache.set(file, v);
  return v;
}
function depsOf(pkg: Record<string, unknown> | null, fields: string[]): Set<string> {
  const out = new Set<string>();
  for (const f of fields) {
    const d = pkg?.[f];
    if (d && typeof d === 'object') for (const k of Object.keys(d)) out.add(k);
  }
  return out;
}

/**
 * The rules of the .gitignore files read during one analysis, by path (null: none there, or
 * unreadable, which git skips too); and gitIgnored's answers. The functions of a service share
 * their folders: each .gitignore was read and compiled again for every function (aws-samples/
 * serverless-patterns, 354 .gitignore files and 551 functions: 239 ms of the main thread).
 */
let gitignoreCache = new Map<string, Ignore | null>();
let gitIgnoredCache = new Map<string, boolean>();

function gitignoreRules(file: string): Ignore | null {
  let ig = gitignoreCache.get(file);
  if (ig === undefined) {
    ig = null;
    if (isFile(file)) {
      try {
        ig = ignore().add(fs.readFileSync(file, 'utf8'));
      } catch {
        // Unreadable: none, as git skips it.
      }
    }
    gitignoreCache.set(file, ig);
  }
  return ig;
}

/** Whether `dir` is ignored by a .gitignore between `root` and it (a build output). */
function gitIgnored(root: string, dir: string, file = false): boolean {
  if (!inside(root, dir) || root === dir) return false;
  const key = `${root}\u0000${dir}\u0000${file ? 1 : 0}`;
  let hit = gitIgnoredCache.get(key);
  if (hit === undefined) gitIgnoredCache.set(key, (hit = findGitIgnored(root, dir, file)));
  return hit;
}

function findGitIgnored(root: string, dir: string, file: boolean): boolean {
  let cur = root;
  const rels = path.relative(root, dir).split(path.sep);
  for (let i = 0; i < rels.length; i++) {
    const ig = gitignoreRules(path.join(cur, '.gitignore'));
    if (ig?.ignores(rels.slice(i).join('/') + (file ? '' : '/'))) return true;
    cur = path.join(cur, rels[i]);
  }
  return false;
}

/**
 * Places ranges of inline code (parsed as a file of its own) in the template that holds it. A YAML
 * literal block (`ZipFile: |`) keeps each line of the code on a line of its own, indented: ranges
 * map exactly once every line of the code is found there. Otherwise (a folded block, a quoted or
 * JSON string, whose escapes shift columns) every range becomes the entry's.
 */
export function inlinePlacer(
  value: SourceRange,
  code: string,
  sources?: ReadonlyMap<string, string>,
): (r: SourceRange) => SourceRange {
  const coarse = (): SourceRange => value;
  let text: string;
  try {
    text = sources?.get(value.file) ?? fs.readFileSync(value.file, 'utf8');
  } catch {
    return coarse;
  }
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  // `value` is the ZipFile / InlineCode entry: its key, then `: |` (or `|-`, `|2`...) on the same line.
  const header = (lines[value.start.line - 1] ?? '').slice(value.start.column - 1);
  if (!/^[^:]*:\s*\|[-+0-9]*\s*(#.*)?$/.test(header)) return coarse;
  const codeLines = code.split('\n');
  const first = codeLines.findIndex((l) => l.trim() !== '');
  if (first < 0) return coarse;
  // Content starts on the line after the `|` header; line i of the code is template line start + 1 + i.
  const at = (i: number) => lines[value.start.line + i];
  const indent = (at(first) ?? '').indexOf(codeLines[first]);
  if (indent < 0 || (at(first) ?? '').slice(0, indent).trim() !== '') return coarse;
  // Trailing line breaks (clip or keep chomping) add empty lines the template does not hold.
  let last = codeLines.length - 1;
  while (last > first && codeLines[last].trim() === '') last--;
  for (let i = 0; i <= last; i++) {
    if (codeLines[i].trim() === '' && (at(i) ?? '').trim() === '') continue;
    if ((at(i) ?? '').slice(indent) !== codeLines[i] || (at(i) ?? '').slice(0, indent).trim() !== '') return coarse;
  }
  const pos = (p: { line: number; column: number }) => ({ line: value.start.line + p.line, column: indent + p.column });
  return (r) => ({ file: value.file, start: pos(r.start), end: pos(r.end) });
}

class CodeAnalyser {
  private readonly files = new Map<string, Promise<FileFacts | undefined>>();
  /** Layers and functions by deployment and id or name (the first of each, as a scan finds it). */
  private readonly layerById: (deployment: Deployment, id: string | undefined) => Layer | undefined;
  private readonly functions: FunctionLookups;
  private readonly rawCalls = new Map<LambdaFunction, RawSdkCall[]>();
  /** Files the import walk parsed for each function. */
  private readonly parsed = new Map<LambdaFunction, FileFacts[]>();
  /** Why a file could not be parsed, when a parser failed to load or threw. */
  private readonly failures = new Map<string, string>();
  readonly stats: CodeStats = {
    functions: 0,
    resolved: 0,
    unchecked: 0,
    sdkCalls: 0,
    mappedCalls: 0,
    unresolvedCalls: 0,
  };
  private readonly resolver: Resolver;
  private readonly queue: ParseQueue;
  /** Modules the analysis needs on the way, loaded before it starts (see parse-pool.ts). */
  private python: typeof import('./python.js') | undefined;
  private bundle: typeof import('./bundle.js') | undefined;
  /** Files are parsed from disk (no cache, no editor buffers): the ones the walk will ask for may be listed ahead. */
  private readonly readsAhead: boolean;
  /**
   * By package scope (language, code folder, import bound, bundler): what the imports of each file
   * resolve to, and the files whose imports were listed ahead.
   */
  private readonly scopes = new Map<string, { locals: Map<FileFacts, Local[]>; listed: Set<FileFacts> }>();
  /** By folder of Python's import path (a package root, a layer's python/): what pip installed there (installedNames). */
  private readonly installed = new Map<string, Set<string>>();

  constructor(
    private readonly model: Model,
    private readonly options: CodeAnalyseOptions,
  ) {
    // A run that listed its handler files first (handlerEntryFiles, with the queue it prefetched
    // them on) goes on with what that learned: the same files, stat'ed a moment ago.
    if (!options.queue || !caches.fresh) resetCaches();
    caches.fresh = false;
    this.resolver = new Resolver([options.cwd, ...(options.roots ?? [])], kindOf);
    this.queue = options.queue ?? new ParseQueue(options.threads ?? 1);
    this.readsAhead = !options.factsCache && !options.sources;
    this.layerById = lookupBy(model.layers, (l) => l.id);
    this.functions = {
      byId: lookupBy(model.functions, (f) => f.id),
      byName: lookupBy(model.functions, (f) => f.name?.value),
    };
  }

  private facts(file: string): Promise<FileFacts | undefined> {
    let p = this.files.get(file);
    if (!p) {
      p = (async () => {
        let text: string;
        const given = this.options.sources?.get(file);
        const cache = this.options.factsCache;
        try {
          // Without a cache to key by its text, the file is read where it is parsed (a worker thread),
          // which leaves files over MAX_HANDLER_BYTES unread.
          if (!cache && given === undefined) return this.parseText(file);
          if (given === undefined && fs.statSync(file).size > MAX_HANDLER_BYTES) return undefined;
          text = given ?? fs.readFileSync(file, 'utf8');
        } catch {
          return undefined;
        }
        if (!cache) return this.parseText(file, text);
        const hash = textHash(text);
        const known = cache.get(file, hash);
        if (known) return known;
        cache.parses++;
        const facts = await this.parseText(file, text);
        if (facts) cache.set(file, hash, facts);
        return facts;
      })();
      this.files.set(file, p);
    }
    return p;
  }

  private async parseText(file: string, text?: string): Promise<FileFacts | undefined> {
    const out = await this.queue.parse(file, text);
    if ('facts' in out) return out.facts;
    if ('unreadable' in out) return undefined;
    // A parser that cannot load (oxc-parser's native binding missing for this platform, the
    // Python grammar's wasm unreadable): the reason goes into the note, nothing is judged.
    this.failures.set(file, out.error);
    return undefined;
  }

  async run(): Promise<void> {
    if (this.model.functions.some((fn) => fn.runtime?.value?.startsWith('python')))
      this.python = await import('./python.js');
    this.bundle = await import('./bundle.js');
    try {
      const jobs = this.model.functions.map((fn) => this.analyse(fn).finally(() => this.options.analysed?.(fn)));
      await Promise.all(jobs);
    } finally {
      await this.queue.close();
    }
    try {
      await this.mapAll();
    } finally {
      this.details();
    }
  }

  /** One line per function whose handler was read: SDK calls reached, mapped, not resolved. */
  private details(): void {
    for (const fn of this.model.functions) {
      const hc = fn.handlerCode;
      if (!hc || hc.status !== 'found') continue;
      const reached = hc.reach?.calls ?? this.rawCalls.get(fn)?.length ?? 0;
      const unresolved = Object.entries(hc.reach?.unresolved ?? {});
      const total = unresolved.reduce((n, [, k]) => n + k, 0);
      this.stats.unresolvedCalls += total;
      const why = unresolved.length
        ? ` (${unresolved.map(([r, k]) => (unresolved.length > 1 ? `${k} ${r}` : r)).join(', ')})`
        : '';
      const how = hc.reach ? '' : ' (every call in its modules: no call graph)';
      // Calls charged to nobody: sdk-permission could not decide them for this function.
      for (const [reason, n] of unresolved) {
        notChecked(this.model, {
          fn: fn.id,
          file: fn.deployment.file,
          rules: ['sdk-permission'],
          reason: `${n} SDK call${n === 1 ? '' : 's'} in the handler code not resolved (${reason})`,
        });
      }
      this.options.detail?.(
        fn,
        `handler code reaches ${reached} SDK call${reached === 1 ? '' : 's'}${how}, ${hc.sdkCalls.length} mapped to IAM actions; ${total} not resolved${why}${deadNote(hc)}`,
      );
    }
  }

  private async mapAll(): Promise<void> {
    if (this.rawCalls.size === 0) return;
    // Map calls once the catalog holds every candidate service, and keep only known actions.
    const named = new Set<string>();
    for (const cs of this.rawCalls.values()) for (const c of cs) named.add(c.service);
    const services = new Set([...named].flatMap(prefixCandidates));
    await loadActionCatalog(services);
    for (const [fn, calls] of this.rawCalls) {
      for (const c of calls) {
        const mapped = this.mapCall(fn, c);
        if (mapped && mapped.actions.every(safeKnown)) {
          fn.handlerCode!.sdkCalls.push(mapped);
          this.stats.mappedCalls++;
          // A handler that invokes a function of the project is one more way that function runs:
          // as a trigger, it meets the rules about $LATEST and about asynchronous failures.
          if (mapped.lambdaTarget && /^Invoke/.test(c.operation)) {
            const line = c.range.start.line;
            this.model.triggers.push({
              id: `${fn.id}:${path.basename(c.range.file)}:${line}`,
              deployment: fn.deployment,
              kind: 'other',
              target: mapped.lambdaTarget,
              implicitPermission: true,
              asyncInvocation: mapped.flags?.InvocationType === 'Event' || c.operation === 'InvokeAsync',
              origin: mapped.origin,
              label: `the ${c.label} call in the handler of ${fn.id}`,
            });
          }
        }
      }
    }
  }

  private async analyse(fn: LambdaFunction): Promise<void> {
    const runtime = fn.runtime?.value;
    const language = runtime?.startsWith('nodejs') ? 'node' : runtime?.startsWith('python') ? 'python' : undefined;
    const handler = fn.handler?.value;
    if (!language || fn.packageType === 'Image' || typeof handler !== 'string' || !handler) return;
    this.stats.functions++;
    const hc: HandlerCode = { language, status: 'unchecked', bundled: false, imports: [], sdkCalls: [] };
    fn.handlerCode = hc;
    const code = fn.code;
    let split = splitHandler(language, handler);
    if (!split) {
      hc.note = `Handler ${handler} has no module part`;
      return this.unchecked(fn, hc.note);
    }
    // serverless-wsgi copies its own handler file into the package when it packages; what runs is the
    // WSGI app `custom.wsgi.app` (`<folder>/<module>.<attribute>`, imported with <folder> first on
    // sys.path): that module is read as the handler code (src/load/serverless.ts `wsgiOf`).
    let appRoot: string | undefined;
    const wsgiApp = language === 'python' ? fn.meta.wsgiApp : undefined;
    if (wsgiApp !== undefined) {
      const m = /^(?:(.*)\/)?([A-Za-z_][\w.]*)\.([A-Za-z_]\w*)$/.exec(wsgiApp);
      if (!m)
        return this.unchecked(
          fn,
          `handler ${handler} is generated by serverless-wsgi when it packages, and custom.wsgi.app ${wsgiApp ? `(${wsgiApp}) names no module and attribute` : 'is not set'}: not checked`,
        );
      appRoot = path.resolve(path.dirname(fn.deployment.file), m[1] ?? '');
      split = { module: m[2].replace(/\./g, '/'), exportName: m[3] };
      this.options.note(
        fn,
        `handler ${handler} is generated by serverless-wsgi; the WSGI app ${wsgiApp} is read as its code`,
      );
    }
    hc.exportName = split.exportName;
    if (split.module.startsWith('/opt/')) {
      // Lambda extracts the function's layers into /opt (https://docs.aws.amazon.com/lambda/latest/dg/packaging-layers.html):
      // a handler there (a wrapper such as /opt/nodejs/node_modules/datadog-lambda-js/handler.handler)
      // comes from a layer, not from the code package.
      const rel = split.module.slice('/opt/'.length);
      const exts = language === 'python' ? ['.py', '/__init__.py'] : NODE_EXTS;
      const inLayer = this.layerHas(fn, (lr) => exts.some((e) => isFile(path.join(lr, rel + e))));
      hc.expected = split.module;
      return this.unchecked(
        fn,
        inLayer
          ? `handler ${handler} is in a layer of the function; its export is not checked`
          : `handler ${handler} is in a layer (/opt) lambdalint ${inLayer === false ? 'does not find among the layers declared here' : 'cannot see'}; not checked`,
      );
    }
    if (code.kind === 'inline') {
      // CloudFormation writes inline code to a file named index (docs/FACTS.md §1.3).
      hc.expected = `${split.module}${language === 'python' ? '.py' : '.js'}`;
      if (split.module !== 'index') {
        hc.status = 'no-file';
        return;
      }
      if (code.inline === undefined) return this.unchecked(fn, 'inline code is not a plain string');
      const facts = await this.parseText(language === 'python' ? 'index.py' : 'index.js', code.inline);
      if (!facts) return this.unchecked(fn, 'inline code could not be parsed');
      this.judgeExport(hc, facts, split.exportName);
      if (hc.status === 'unchecked') return this.unchecked(fn, hc.note ?? 'inline code not checked');
      this.stats.resolved++;
      // Imports, SDK calls and the tracer, placed in the template where the code is written.
      const place = code.origin.range ? inlinePlacer(code.origin.range, code.inline, this.options.sources) : undefined;
      if (!place) return;
      if (facts.tracer && !hc.tracer) hc.tracer = { via: 'direct', range: place(facts.tracer) };
      for (const imp of facts.imports) {
        if (imp.relative) continue; // inline code is one file: a relative import fails, but is not a package
        const name = language === 'python' ? imp.specifier.split('.')[0] : packageName(imp.specifier);
        hc.imports.push({
          name,
          provider: this.inlineProvider(fn, language, name),
          origin: { via: 'direct', range: place(imp.range) },
        } satisfies CodeImport);
      }
      // Inline code in a synthesized CDK template is, nearly always, the CDK's own framework code
      // (the S3 notifications handler, for one), whose branches depend on properties lambdalint
      // does not follow: its SDK calls are not judged against the role CDK gives it.
      const calls = fn.framework === 'cdk' ? [] : facts.calls.map((c) => ({ ...c, range: place(c.range) }));
      this.stats.sdkCalls += calls.length;
      if (calls.length) this.rawCalls.set(fn, calls);
      return;
    }
    if (code.kind !== 'local-dir' || !code.path) {
      if (code.kind === 'local-zip')
        return this.unchecked(fn, `code is a zip (${path.basename(code.path ?? '')}); its handler is not checked`);
      // Code that is not in the project is not read; say so rather than pass in silence.
      if (code.kind === 's3') return this.unchecked(fn, 'code is in S3, not in the project: handler not checked');
      if (code.kind === 'unknown')
        return this.unchecked(fn, 'code location does not resolve statically: handler not checked');
      return; // images: no handler to look at
    }
    const root = appRoot ?? code.path;
    if (
      appRoot &&
      !isFile(path.join(root, `${split.module}.py`)) &&
      !isFile(path.join(root, split.module, '__init__.py'))
    )
      return this.unchecked(
        fn,
        `handler ${handler} is generated by serverless-wsgi; its app ${wsgiApp} names ${this.rel(path.join(root, `${split.module}.py`))}, which is not there: not checked`,
      );
    if (!isDir(root))
      return this.unchecked(
        fn,
        `code folder ${this.rel(root)} is not there (a build output not built yet?); handler and imports not checked`,
      );
    // The project the code belongs to (its git work tree): bounds the package.json lookup of bundled
    // code and which .gitignore files count, whatever the working directory.
    const top = this.resolver.projectTop(root, fn.deployment.file);
    const linted = this.resolver.lintedRoot(root, fn.deployment.file);
    const ignored = gitIgnored(linted, root);

    // Which file the handler names.
    const buildMethod = fn.meta.buildMethod?.toLowerCase();
    if (buildMethod === 'makefile')
      return this.unchecked(fn, `code is built by a Makefile (BuildMethod makefile); handler ${handler} not checked`);
    let bundler = buildMethod === 'esbuild' || buildMethod === 'webpack';
    // serverless-plugin-typescript compiles file by file: TypeScript sources, dependencies from node_modules.
    const compiled = buildMethod === 'tsc';
    let file: string | undefined;
    if (language === 'python') {
      const cands = [`${split.module}.py`, `${split.module}/__init__.py`];
      hc.expected = cands[0];
      file = cands.map((c) => path.join(root, c)).find(isFile);
    } else if (bundler && fn.meta.entryPoints) {
      const entries = fn.meta.entryPoints.split('\n').filter(Boolean);
      const base = path.posix.basename(split.module);
      const entry = entries.find((e) => stripExt(e) === split.module || path.posix.basename(stripExt(e)) === base);
      hc.expected = entry ?? `${split.module}.ts`;
      hc.entryPoints = true;
      file = entry ? path.join(root, entry) : undefined;
      if (file && !isFile(file)) file = undefined;
    } else if (fn.meta.buildWhen === 'ts') {
      // Framework v4 without a `build` setting: the first file found, in the Framework's order,
      // is built with esbuild when it is TypeScript (src/load/serverless.ts `buildOf`).
      hc.expected = `${split.module}.{js,ts}`;
      file = V4_EXTS.map((e) => path.join(root, split.module + e)).find(isFile);
      bundler = !!file && /\.[cm]?tsx?$/.test(file);
    } else if (bundler || compiled) {
      hc.expected = `${split.module}.{ts,js}`;
      file = TS_EXTS.map((e) => path.join(root, split.module + e)).find(isFile);
    } else {
      hc.expected = `${split.module}.{js,mjs,cjs}`;
      file = NODE_EXTS.map((e) => path.join(root, split.module + e)).find(isFile);
    }
    hc.bundled = bundler;
    if (!file) {
      const ts =
        language === 'node' && !bundler && !compiled
          ? TS_EXTS.slice(0, 4)
              .map((e) => split.module + e)
              .find((m) => isFile(path.join(root, m)))
          : undefined;
      if (ts) {
        // TypeScript source and no build lambdalint knows of: say what to add, in the default output.
        return this.unchecked(
          fn,
          `TypeScript handler ${this.rel(path.join(root, ts))} without build metadata (${buildHint(fn)})`,
        );
      }
      if (ignored)
        return this.unchecked(
          fn,
          `code folder ${this.rel(root)} is ignored by git (a build output): handler ${handler} not checked`,
        );
      // Handler names a file in a git-ignored folder (`dist/index.handler` compiled by `tsc`): a build
      // output not built yet.
      const built = path.join(root, `${split.module}${language === 'python' ? '.py' : '.js'}`);
      if (gitIgnored(linted, built, true))
        return this.unchecked(
          fn,
          `handler file ${this.rel(built)} is ignored by git (a build output not built yet): not checked`,
        );
      // A folder without a single source file of the language is not this function's code yet
      // (a template-only checkout, code fetched or generated later): nothing to judge.
      if (
        !hasSource(root, language === 'python' ? /\.py$/ : bundler || compiled ? /\.([cm]?[jt]s|tsx)$/ : /\.[cm]?js$/)
      ) {
        return this.unchecked(
          fn,
          `code folder ${this.rel(root)} holds no ${language === 'python' ? 'Python' : 'Node.js'} source file: handler ${handler} not checked`,
        );
      }
      const elsewhere = this.handlerElsewhere(fn, root, language, split.module);
      if (elsewhere) return this.unchecked(fn, `handler ${handler} ${elsewhere}; not checked`);
      // An exec wrapper (AWS_LAMBDA_EXEC_WRAPPER) starts the runtime, and may run Handler as a
      // command rather than load it as a module: Lambda Web Adapter's /opt/bootstrap runs the
      // startup script Handler names, such as run.sh
      // (https://awslabs.github.io/aws-lambda-web-adapter/getting-started/zip-packages.html).
      const wrapper = fn.environment.AWS_LAMBDA_EXEC_WRAPPER;
      if (wrapper)
        return this.unchecked(
          fn,
          `handler ${handler} is started by the exec wrapper ${wrapper.value ?? 'AWS_LAMBDA_EXEC_WRAPPER names'}, which may run it as a command (Lambda Web Adapter runs a startup script): not checked`,
        );
      hc.status = 'no-file';
      return;
    }
    let facts = await this.facts(file);
    if (!facts)
      return this.unchecked(
        fn,
        `${this.rel(file)} could not be parsed${this.failures.has(file) ? ` (${this.failures.get(file)})` : ''}`,
      );
    // A deployed bundle (cdk.out asset): read its sources when they are on disk, else the bundle
    // without the code of the node_modules packages bundled into it.
    let inDependency: ((r: SourceRange) => boolean) | undefined;
    if (language === 'node' && code.built && !bundler) {
      const bundle = await this.bundleSources(fn, file, facts, split.exportName, top);
      if (bundle?.entry) {
        hc.bundleFile = file;
        file = bundle.entry.file;
        facts = bundle.entry.facts;
        bundler = true;
        hc.bundled = true;
      } else if (bundle) {
        inDependency = bundle.inDependency;
        hc.bundled = true;
      }
    }
    hc.file = file;
    if (!facts.mentionsLambdalint) this.options.unmarked?.(file);
    this.judgeExport(
      hc,
      facts,
      split.exportName,
      await this.reexported(file, facts, split.exportName.split('.')[0], root),
    );
    if (hc.status === 'unchecked') return this.unchecked(fn, `${this.rel(file)}: ${hc.note ?? 'not checked'}`);
    if (ignored && hc.status !== 'found')
      return this.unchecked(
        fn,
        `code folder ${this.rel(root)} is ignored by git (a build output): handler ${handler} not checked`,
      );
    this.stats.resolved++;

    // The import graph: files within the package; for a bundler, any file of the project it pulls in
    // (`../../libs`, TypeScript path aliases, workspace packages), since the bundle holds them all.
    const bound = bundler ? top : root;
    // Python: the SDK calls the handler reaches, through the call graph of the package.
    let reached: RawSdkCall[] | undefined;
    const seen = new Set<string>([file]);
    // The functions of a service share their modules, and what their imports resolve to in the
    // package: found once per package scope.
    const scopeKey = `${language}\u0000${root}\u0000${bound}\u0000${bundler ? 1 : 0}\u0000${top}`;
    let scope = this.scopes.get(scopeKey);
    if (!scope) this.scopes.set(scopeKey, (scope = { locals: new Map(), listed: new Set() }));
    const { locals, listed } = scope;
    // Each import of a file of the graph: the file of the package it names (null: a folder, or no
    // such file), undefined when it is not local, false when it is left out (an import inside a
    // bundle's dependency code, an alias whose files are not there).
    const localsOf = (f: FileFacts): Local[] => {
      const own = inDependency && f === facts;
      let out = own ? undefined : locals.get(f);
      if (out) return out;
      out = f.imports.map((imp) => {
        if (own && inDependency!(imp.range)) return false;
        const local =
          language === 'python'
            ? isPythonSdk(imp.specifier)
              ? undefined
              : pythonLocal(root, f.file, imp.specifier)
            : imp.relative
              ? jsLocal(f.file, imp.specifier)
              : undefined;
        if (local !== undefined || language !== 'node' || !bundler) return local;
        // A path alias or a workspace package, resolved to a source file of the project.
        const aliased = this.resolver.alias(f.file, imp.specifier, top);
        if (aliased === 'unresolved') return false; // an alias whose files are not there: not a package either
        const target = aliased ?? this.resolver.workspacePackage(f.file, imp.specifier, top);
        return target && !/[\\/]node_modules[\\/]/.test(target) ? target : undefined;
      });
      if (!own) locals.set(f, out);
      return out;
    };
    // The files a file of the graph imports are asked for one at a time, each after the one before
    // has arrived: they are listed to the parse queue as soon as the file is there, so that worker
    // threads parse them meanwhile (ParseQueue.upcoming). What the walk asks, and when, does not change.
    const ahead = (f: FileFacts): FileFacts => {
      if (!this.readsAhead || listed.has(f)) return f;
      listed.add(f);
      const upcoming = (local: Local): void => {
        if (local && inside(bound, local) && !this.files.has(local)) this.queue.upcoming(local);
      };
      for (const local of localsOf(f)) upcoming(local);
      // Python: `from lib import config` then `config.x`: the submodule lib/config.py, which the
      // call graph walk loads (reach-python.ts) when lib/__init__.py binds no `config`.
      if (language === 'python' && f.units) {
        const named = new Set<string>();
        for (const unit of f.units.values())
          for (const ref of unit.refs) {
            if (!('spec' in ref) || !ref.path.length || named.has(`${ref.spec}\u0000${ref.path[0]}`)) continue;
            named.add(`${ref.spec}\u0000${ref.path[0]}`);
            const pkg = isPythonSdk(ref.spec) ? undefined : pythonModule(root, f.file, ref.spec);
            if (pkg) upcoming(submoduleFile(pkg, ref.path[0], isFile));
          }
      }
      return f;
    };
    const queue: FileFacts[] = [ahead(facts)];
    if (language === 'python' && facts.units) {
      const { deferredSdkCall } = this.python ?? (await import('./python.js'));
      const layerRoots = this.pythonLayerRoots(fn);
      const walk: Parameters<typeof reachFrom>[2] = {
        load: (f) =>
          inside(root, f) || layerRoots.some((lr) => inside(lr, f)) ? this.facts(f) : Promise.resolve(undefined),
        resolve: (from, spec) => {
          if (isPythonSdk(spec)) return undefined;
          const own = pythonModule(root, from, spec);
          if (own !== undefined || spec.startsWith('.')) return own;
          for (const lr of layerRoots) {
            const m = pythonModule(lr, path.join(lr, '__layer__.py'), spec);
            if (m !== undefined) return m;
          }
          return undefined;
        },
        submodule: (pkg, name) => submoduleFile(pkg, name, isFile),
        deferred: deferredSdkCall,
      };
      const r = await reachFrom(facts, split.exportName, { ...walk, env: envLookup(fn) });
      reached = r.calls;
      hc.reach = { calls: r.calls.length, unresolved: {} };
      if (r.dead) {
        // How many calls the dead branches hold: the walk again, every branch taken.
        const all = await reachFrom(facts, split.exportName, walk);
        hc.deadCalls = Math.max(0, all.calls.length - r.calls.length);
      }
      const all = (await Promise.all(r.files.map((f) => this.facts(f)))).reduce(
        (n, f) => n + (f?.calls.length ?? 0),
        0,
      );
      this.options.note(
        fn,
        `${r.calls.length} AWS SDK call${r.calls.length === 1 ? '' : 's'} reached from handler ${handler} (of ${all} in the ${r.files.length} module${r.files.length === 1 ? '' : 's'} it loads), ${r.unresolved} not resolved${deadNote(hc)}`,
      );
      // Modules the graph loads are imported too (relative imports, submodules): read their imports.
      for (const f of r.files) {
        if (seen.has(f)) continue;
        seen.add(f);
        const lf = await this.facts(f);
        if (lf) queue.push(ahead(lf));
      }
    }
    // The import graph within the package.
    const raw: { facts: FileFacts; spec: string; range: FileFacts['imports'][number]['range'] }[] = [];
    const calls: RawSdkCall[] = [];
    const parsed: FileFacts[] = [];
    this.parsed.set(fn, parsed);
    // Python's import path: the package, then the layers' python/ folders.
    const pyRoots = language === 'python' ? [root, ...this.pythonLayerRoots(fn)] : [];
    while (queue.length && seen.size < 200) {
      const f = queue.shift()!;
      parsed.push(f);
      // The imports of a package pip installed are its own to declare (installedPython): not judged.
      const judged = language !== 'python' || !this.installedPython(f.file, pyRoots, file);
      const keep = (r: SourceRange): boolean => !(inDependency && f === facts && inDependency(r));
      if (!reached) calls.push(...f.calls.filter((c) => keep(c.range)));
      if (f.tracer && !hc.tracer && keep(f.tracer)) hc.tracer = { via: 'direct', range: f.tracer };
      const locals = localsOf(f);
      for (let k = 0; k < f.imports.length; k++) {
        const imp = f.imports[k];
        const local = locals[k];
        if (local === false) continue;
        if (local !== undefined) {
          if (local && inside(bound, local) && !seen.has(local)) {
            seen.add(local);
            const lf = await this.facts(local);
            if (lf) queue.push(ahead(lf));
          }
          continue;
        }
        if (imp.relative || !judged) continue;
        raw.push({ facts: f, spec: imp.specifier, range: imp.range });
      }
    }
    hc.files = [...seen];
    for (const r of raw) {
      const name = language === 'python' ? r.spec.split('.')[0] : packageName(r.spec);
      const provider =
        language === 'python'
          ? this.pythonProvider(fn, root, name)
          : this.nodeProvider(fn, root, r.facts.file, r.spec, bundler, bundler ? top : linted);
      hc.imports.push({ name, provider, origin: { via: 'direct', range: r.range } } satisfies CodeImport);
    }
    if (reached) calls.push(...reached);
    if (facts.graph) {
      // JS/TS: only the calls the handler's export reaches through the call graph (through path
      // aliases and workspace packages too when a bundler builds the code).
      const files = new Map<string, FileFacts>();
      for (const f of this.parsed.get(fn) ?? []) files.set(f.file, f);
      // The functions of a service walk the same shared modules: each import is resolved once per
      // package bound, bundler setting and importing file.
      const scope = `${bundler ? 1 : 0}\u0000${bound}\u0000${top}\u0000`;
      const resolveJs = (from: string, spec: string): string | undefined => {
        const key = `${scope}${from}\u0000${spec}`;
        if (jsResolved.has(key)) return jsResolved.get(key);
        let local = spec.startsWith('.') || spec.startsWith('/') ? jsLocal(from, spec) : undefined;
        if (local === undefined && bundler) {
          const aliased = this.resolver.alias(from, spec, top);
          const target =
            aliased === 'unresolved' ? undefined : (aliased ?? this.resolver.workspacePackage(from, spec, top));
          if (target && !/[\\/]node_modules[\\/]/.test(target)) local = target;
        }
        const out = local && inside(bound, local) ? local : undefined;
        jsResolved.set(key, out);
        return out;
      };
      const reach = reachCalls(file, split.exportName, files, resolveJs, envLookup(fn));
      hc.reach = { calls: reach.calls.length, unresolved: Object.fromEntries(reach.unresolved) };
      // How many calls the dead branches hold: the walk again, every branch taken.
      if (reach.dead)
        hc.deadCalls = Math.max(
          0,
          reachCalls(file, split.exportName, files, resolveJs).calls.length - reach.calls.length,
        );
      calls.length = 0;
      // Calls inside a bundle's dependency code are not the handler's (as in the walk above).
      calls.push(...reach.calls.filter((c) => !(inDependency && c.range.file === facts.file && inDependency(c.range))));
    }
    this.stats.sdkCalls += calls.length;
    if (calls.length) this.rawCalls.set(fn, calls);
  }

  /**
   * The export `name` that `export * from './x'` brings into a module (searched depth first, in the
   * package); undefined when no re-exported module of the package lists it.
   */
  private async reexported(
    file: string,
    facts: FileFacts,
    name: string,
    root: string,
    depth = 0,
  ): Promise<ExportEntry | undefined> {
    if (facts.exports.has(name) || depth > 10) return undefined;
    for (const spec of facts.graph?.exportAll ?? []) {
      const local = spec.startsWith('.') ? jsLocal(file, spec) : null;
      if (!local || !inside(root, local)) continue;
      const lf = await this.facts(local);
      if (!lf) continue;
      const e = lf.exports.get(name) ?? (await this.reexported(local, lf, name, root, depth + 1));
      if (e) return e;
    }
    return undefined;
  }

  private judgeExport(hc: HandlerCode, facts: FileFacts, name: string, reexported?: ExportEntry): void {
    const top = name.split('.')[0];
    const e = facts.exports.get(top) ?? reexported;
    if (!e) {
      hc.status = facts.openExports || facts.parseError ? 'unchecked' : 'no-export';
      if (hc.status === 'unchecked')
        hc.note =
          facts.skipped ??
          (facts.parseError
            ? 'the handler file has syntax errors'
            : 'the handler file re-exports names lambdalint cannot list');
      return;
    }
    if (e.kind === 'not-function' && top === name) {
      hc.status = 'not-function';
      hc.exportOrigin = { via: 'direct', range: e.range };
      return;
    }
    hc.status = 'found';
  }

  private unchecked(fn: LambdaFunction, message: string): void {
    const hc = fn.handlerCode!;
    hc.status = 'unchecked';
    hc.note = message;
    this.stats.unchecked++;
    this.options.note(fn, message, true);
  }

  /**
   * The sources of a deployed bundle (a cdk.out asset's index.js): when its inputs are on disk, the
   * one that exports the handler (preferring one no other input imports) with its facts; else how to
   * tell the bundled dependencies' code apart in the bundle. Undefined when it is not a bundle.
   */
  private async bundleSources(
    fn: LambdaFunction,
    file: string,
    facts: FileFacts,
    exportName: string,
    top: string,
  ): Promise<{ entry?: { file: string; facts: FileFacts }; inDependency?: (r: SourceRange) => boolean } | undefined> {
    // Nothing in the file names its sources and no source map lies beside it: readBundle would find
    // nothing, so the file is not read a second time.
    if (!facts.namesSources && !this.options.sources?.has(file) && !isFile(`${file}.map`)) return undefined;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    // esbuild ran in the project folder (CDK: the one with the lock file, usually the app's).
    const assembly = fn.deployment.file ? path.dirname(fn.deployment.file) : path.dirname(file);
    const roots: string[] = [];
    for (let d = path.dirname(assembly); inside(top, d); d = path.dirname(d)) {
      roots.push(d);
      if (d === top || d === path.dirname(d)) break;
    }
    const { readBundle } = this.bundle ?? (await import('./bundle.js'));
    const info = readBundle(file, text, roots, (p) => inside(top, p) && !inside(path.dirname(file), p));
    if (info.via === 'none') return undefined;
    const top0 = exportName.split('.')[0];
    const cands: { file: string; facts: FileFacts }[] = [];
    for (const src of info.sources) {
      const f = await this.facts(src);
      if (f && f.exports.has(top0)) cands.push({ file: src, facts: f });
    }
    const imported = new Set(
      cands.flatMap((c) => c.facts.imports.filter((i) => i.relative).map((i) => jsLocal(c.file, i.specifier))),
    );
    const entry = cands.find((c) => !imported.has(c.file)) ?? cands[0];
    if (entry) return { entry };
    if (info.named.length && !info.sources.length) {
      this.options.note(
        fn,
        `${this.rel(file)} is a bundle whose sources (${info.named
          .slice(0, 2)
          .map((n) => (path.isAbsolute(n) ? this.rel(n) : n))
          .join(
            ', ',
          )}${info.named.length > 2 ? ', ...' : ''}) are not here: the bundle is read instead, without its bundled node_modules code`,
      );
    }
    return { inDependency: (r) => info.inDependency(r.start.line, r.start.column) };
  }

  private rel(p: string): string {
    return path.relative(this.options.cwd, p).split(path.sep).join('/') || '.';
  }

  /**
   * Where a handler module missing from the code folder may still come from: a layer (Python adds
   * /opt/python to sys.path; Node.js resolves a bare module through node_modules, which layers
   * provide under /opt/nodejs), or a dependency the package installs (a wrapper handler such as
   * `datadog_lambda.handler.handler`). Undefined when neither can hold it.
   */
  private handlerElsewhere(
    fn: LambdaFunction,
    root: string,
    language: 'node' | 'python',
    module: string,
  ): string | undefined {
    const parts = module.replace(/^\.\//, '').split('/');
    // node_modules/<pkg>/... or <pkg>/... (scoped: @scope/pkg)
    const nodePkg =
      parts[0] === 'node_modules'
        ? parts[1]?.startsWith('@')
          ? parts.slice(1, 3).join('/')
          : parts[1]
        : parts[0]?.startsWith('@')
          ? parts.slice(0, 2).join('/')
          : parts[0];
    const top = language === 'python' ? parts[0] : nodePkg;
    if (!top) return undefined;
    if (language === 'python') {
      const dists = PY_DISTRIBUTION[top] ?? [top];
      const req = requirements(root);
      if (req && (dists.includes('*') || dists.some((d) => req.has(normalizeDist(d))) || req.has(normalizeDist(top))))
        return `is in the dependency ${top} the package installs`;
    } else if (parts.length > 1 || parts[0] === 'node_modules') {
      const deps = depsOf(readJson(path.join(root, 'package.json')), ['dependencies']);
      if (deps.has(top)) return `is in the dependency ${top} the package installs`;
    }
    if (!fn.layers.length) return undefined;
    // A package path (`datadog_lambda.handler`, `pkg/handler`) whose top folder the code does not
    // hold may come from an unseen layer; a plain module (`app`) would have to be in a layer we see.
    const packaged = (parts.length > 1 || parts[0] === 'node_modules') && !isDir(path.join(root, parts[0]));
    const inLayer = this.layerHas(fn, (lr) =>
      language === 'python'
        ? isFile(path.join(lr, 'python', `${module}.py`)) || isDir(path.join(lr, 'python', top))
        : ['nodejs/node_modules', 'node_modules'].some((d) => isDir(path.join(lr, d, top))),
    );
    if (inLayer) return 'is in a layer of the function';
    if (inLayer === undefined && packaged) return 'may be in a layer lambdalint cannot see';
    return undefined;
  }

  /** Packages a function's layers provide: undefined when some layer cannot be seen. */
  private layerHas(fn: LambdaFunction, probe: (layerRoot: string, layer: Layer) => boolean): boolean | undefined {
    let allVisible = true;
    for (const ref of fn.layers) {
      const layer = ref.target ? this.layerById(fn.deployment, ref.target) : undefined;
      if (!layer || layer.code.kind !== 'local-dir' || !layer.code.path || !isDir(layer.code.path)) {
        allVisible = false;
        continue;
      }
      if (probe(layer.code.path, layer)) return true;
      // A layer its Makefile builds (`Metadata: BuildMethod: makefile`): what it holds is that
      // build's doing (`pip install` into the artifacts folder), which lambdalint does not run.
      if (layer.buildMethod?.toLowerCase() === 'makefile') {
        allVisible = false;
        notChecked(this.model, {
          fn: fn.id,
          file: fn.deployment.file,
          rules: ['missing-dependency'],
          reason: `layer built by its Makefile: the packages it provides are not seen (${layer.id}; lambdalint does not run the build)`,
        });
      }
    }
    return allVisible ? false : undefined;
  }

  private nodeProvider(
    fn: LambdaFunction,
    root: string,
    fromFile: string,
    spec: string,
    bundler: boolean,
    project: string,
  ): ImportProvider {
    if (spec.startsWith('node:') || NODE_BUILTINS.has(spec) || NODE_BUILTINS.has(spec.split('/')[0])) return 'builtin';
    // Subpath imports (#x), URLs and TypeScript path aliases resolve without node_modules.
    if (spec.startsWith('#') || /^[a-z]+:/i.test(spec) || spec.startsWith('~') || spec.startsWith('@/'))
      return 'unknown';
    if (pathAliased(fromFile, spec, project)) return 'local';
    const name = packageName(spec);
    const major = nodeMajor(fn.runtime?.value);
    const from = path.dirname(fromFile);
    const key = `${from}\u0000${name}\u0000${root}\u0000${project}\u0000${bundler}`;
    let walked = nodeWalkCache.get(key);
    if (walked === undefined) nodeWalkCache.set(key, (walked = nodeWalk(from, name, root, bundler, project)));
    if (typeof walked === 'string') return walked;
    const projectMentions = walked;
    const sdk = nodeRuntimeSdk(name, major);
    if (sdk) return sdk;
    const layer = this.nodeLayerHas(fn, name, major);
    if (layer) return 'layer';
    if (layer === undefined || projectMentions) return 'unknown';
    return 'missing';
  }

  /** Whether a layer of the function brings a Node.js package; undefined when a layer cannot be seen. */
  private nodeLayerHas(fn: LambdaFunction, name: string, major: number | undefined): boolean | undefined {
    return this.layerHas(
      fn,
      (lr, layer) =>
        ['nodejs/node_modules', `nodejs/node${major ?? ''}/node_modules`, 'node_modules'].some((d) =>
          isDir(path.join(lr, d, name)),
        ) ||
        depsOf(readJson(path.join(lr, 'nodejs', 'package.json')), ['dependencies']).has(name) ||
        // `sam build` of a layer with a Node.js BuildMethod installs the package.json at its root
        // into nodejs/node_modules (aws/aws-sam-cli#2222: ContentUri holding package.json).
        (/^nodejs/i.test(layer.buildMethod ?? '') &&
          depsOf(readJson(path.join(lr, 'package.json')), ['dependencies']).has(name)),
    );
  }

  /** Whether a layer of the function brings a Python module (by folder, file or requirements entry). */
  private pythonLayerHas(fn: LambdaFunction, name: string, dists: readonly string[]): boolean | undefined {
    // The public Powertools layer is known: it brings Powertools (and, depending on its version,
    // the extras' dependencies), not anything else the code imports.
    const known = fn.layers.filter(
      (ref) => !ref.target && POWERTOOLS_LAYER.test(ref.ref.value ?? ref.ref.sym?.text ?? ''),
    );
    if (known.length && name === 'aws_lambda_powertools') return true;
    const others = known.length ? { ...fn, layers: fn.layers.filter((l) => !known.includes(l)) } : fn;
    const listed = (d: string): boolean => {
      const req = requirements(d);
      return !!req && dists.some((dist) => req.has(normalizeDist(dist)));
    };
    const has = this.layerHas(others, (lr, layer) => {
      const dirs = pythonLayerDirs(lr, layer);
      if (dirs.some((d) => isDir(path.join(d, name)) || isFile(path.join(d, `${name}.py`)) || listed(d))) return true;
      // A requirements.txt at the root of a layer whose packages go into python/ (`pip install -r
      // requirements.txt --target python`, run before the layer is zipped): what it lists is the
      // layer's (aws-samples/serverless-patterns lambda-layer-terraform).
      return !dirs.includes(lr) && listed(lr);
    });
    if (has === false && known.length && POWERTOOLS_LAYER_MAYBE.has(name)) return undefined;
    return has;
  }

  /** What pip installed into a folder of Python's import path (pipInstalledNames), once per folder. */
  private installedNames(dir: string): Set<string> {
    let names = this.installed.get(dir);
    if (!names) {
      let entries: string[];
      try {
        entries = fs.readdirSync(dir);
      } catch {
        entries = [];
      }
      this.installed.set(dir, (names = pipInstalledNames(dir, entries)));
    }
    return names;
  }

  /**
   * Whether a Python file is part of a package pip installed (into the function's package or a
   * layer), other than the package of the handler itself: such a package declares its own
   * dependencies, and its optional ones are imported behind tests lambdalint cannot decide
   * (`if HAS_CRT:`, `if PY2:`, inside a function, a module imported in `try`).
   */
  private installedPython(file: string, roots: readonly string[], handler: string): boolean {
    for (const root of roots) {
      if (!inside(root, file)) continue;
      const names = this.installedNames(root);
      if (!names.size) return false; // nothing installed there (most packages): no path to take apart
      const top = path.relative(root, file).split(path.sep)[0];
      if (!top || top === path.relative(root, handler).split(path.sep)[0]) return false;
      return names.has(top);
    }
    return false;
  }

  /** The folders of the function's layers that Lambda puts on the Python path (/opt/python). */
  private pythonLayerRoots(fn: LambdaFunction): string[] {
    const out: string[] = [];
    this.layerHas(fn, (lr, layer) => {
      out.push(...pythonLayerDirs(lr, layer).filter(isDir));
      return false;
    });
    return out;
  }

  /**
   * What provides a package to inline code (CloudFormation `ZipFile`, SAM `InlineCode`): there is no
   * package, so only the runtime, a layer, and the `cfn-response` / `cfnresponse` module that
   * CloudFormation adds to inline code (CloudFormation User Guide, "cfn-response module": available
   * only when the ZipFile property holds the source).
   */
  private inlineProvider(fn: LambdaFunction, language: 'node' | 'python', name: string): ImportProvider {
    let layer: boolean | undefined;
    if (language === 'python') {
      if (isPythonStdlib(name, fn.runtime?.value)) return 'builtin';
      if (pythonRuntimeHas(name, fn.runtime?.value) || name === 'cfnresponse') return 'runtime';
      const dists = PY_DISTRIBUTION[name] ?? [name];
      if (dists.includes('*')) return 'unknown';
      layer = this.pythonLayerHas(fn, name, dists);
    } else {
      if (name.startsWith('node:') || NODE_BUILTINS.has(name)) return 'builtin';
      if (name === 'cfn-response') return 'runtime';
      const major = nodeMajor(fn.runtime?.value);
      const sdk = nodeRuntimeSdk(name, major);
      if (sdk) return sdk;
      layer = this.nodeLayerHas(fn, name, major);
    }
    return layer ? 'layer' : layer === undefined ? 'unknown' : 'missing';
  }

  private pythonProvider(fn: LambdaFunction, root: string, name: string): ImportProvider {
    if (isPythonStdlib(name, fn.runtime?.value)) return 'builtin';
    if (
      isDir(path.join(root, name)) ||
      isFile(path.join(root, `${name}.py`)) ||
      kindOf(path.join(root, `${name}.so`)) !== 'none'
    )
      return 'package';
    if (pythonRuntimeHas(name, fn.runtime?.value)) return 'runtime';
    const req = requirements(root);
    if (req === undefined) return 'unknown';
    const dists = PY_DISTRIBUTION[name] ?? [name];
    if (dists.includes('*') || dists.some((d) => req.has(normalizeDist(d)))) return 'package';
    if (req.has(normalizeDist(name))) return 'package';
    // A distribution whose import name lambdalint does not know may provide it when its name holds
    // the import name as a word (python-telegram-bot → telegram, django-environ → environ): not known.
    // The words of a longer import name count in order (strands-agents-tools → strands_tools).
    // Or whose name is the import name with separators between its words (cfn-response → cfnresponse).
    const words = normalizeDist(name).split('-');
    const squashed = words.join('');
    const holds = (d: string): boolean => {
      let i = 0;
      for (const w of d.split('-')) if (w === words[i]) i++;
      return i === words.length || (d.includes('-') && d.replace(/-/g, '') === squashed);
    };
    if (!PY_DISTRIBUTION[name] && [...req].some(holds)) return 'unknown';
    const layer = this.pythonLayerHas(fn, name, dists);
    if (layer) return 'layer';
    if (layer === undefined) return 'unknown';
    return 'missing';
  }

  private mapCall(fn: LambdaFunction, c: RawSdkCall): SdkCall | undefined {
    const prefix = prefixCandidates(c.service).find(safeService) ?? iamPrefix(c.service);
    const { actions } = actionsFor(prefix, c.operation);
    if (!actions.length) return undefined;
    const origin = { via: 'direct' as const, range: c.range };
    const call: SdkCall = { sdk: c.sdk, operation: c.label, actions, origin };
    const resources = callResources(fn, prefix, c.operation, actions, c.hints, origin);
    call.resource = resources?.[0] ?? unknownCallResource(fn, prefix, origin);
    // A batch or transaction call on several tables: one requirement per table.
    if (resources && resources.length > 1) call.resources = resources;
    if (prefix === 'lambda') {
      const flags: Record<string, string> = {};
      for (const h of c.hints) if (LAMBDA_FLAGS.has(h.param) && h.literal !== undefined) flags[h.param] = h.literal;
      if (Object.keys(flags).length) call.flags = flags;
      const target = lambdaTarget(fn, this.functions, c.hints, flags, origin);
      if (target) call.lambdaTarget = target;
    }
    const named = TARGET_PARAM[prefix] ? c.hints.find((h) => h.param === TARGET_PARAM[prefix]) : undefined;
    if (named?.literal !== undefined) call.target = { value: named.literal, origin };
    else if (named?.event === 's3-bucket')
      call.target = { sym: { kind: 'expr', key: S3_EVENT_BUCKET, text: 'the bucket the S3 event names' }, origin };
    else if (named?.env && fn.environment[named.env]) {
      const env = fn.environment[named.env];
      call.target = env.sym ? { sym: env.sym, origin } : { value: env.value, origin };
    }
    return call;
  }
}

/** The `paths` keys of a tsconfig.json / jsconfig.json, or 'any' when it `extends` another (which may hold paths). */
let tsconfigCache = new Map<string, string[] | 'any' | undefined>();

/** pathAliased's and nodeProvider's answers during one analysis, by importing folder (as statCache). */
let aliasCache = new Map<string, boolean>();
let nodeWalkCache = new Map<string, ImportProvider | boolean>();

/** Set by handlerEntryFiles: the caches were just reset for this run, and hold what it stat'ed. */
const caches = { fresh: false };

/** Empties the caches of one analysis: files change between runs (the ESLint plugin's re-lints). */
function resetCaches(): void {
  jsonCache = new Map();
  statCache = new Map();
  listingCache = new Map();
  jsLocals = new Map();
  jsResolved = new Map();
  pythonLocals = new Map();
  pythonModules = new Map();
  foldersOf = new Map();
  tsconfigCache = new Map();
  aliasCache = new Map();
  nodeWalkCache = new Map();
  gitignoreCache = new Map();
  gitIgnoredCache = new Map();
}
function tsconfigPaths(file: string): string[] | 'any' | undefined {
  if (tsconfigCache.has(file)) return tsconfigCache.get(file);
  let out: string[] | 'any' | undefined;
  if (isFile(file)) {
    try {
      const errors: ParseError[] = [];
      const cfg = parseJsonc(fs.readFileSync(file, 'utf8'), errors, { allowTrailingComma: true }) as
        { compilerOptions?: { paths?: Record<string, unknown> }; extends?: unknown } | undefined;
      out = cfg?.extends ? 'any' : Object.keys(cfg?.compilerOptions?.paths ?? {});
    } catch {
      out = undefined;
    }
  }
  tsconfigCache.set(file, out);
  return out;
}

/**
 * Where package `name` imported from folder `from` comes from, walking up node_modules and
 * package.json files to the project's root (its git work tree), never beyond, whatever the
 * working directory (issue #17); when no folder decides, whether a package.json mentions it.
 */
function nodeWalk(
  from: string,
  name: string,
  root: string,
  bundler: boolean,
  project: string,
): ImportProvider | boolean {
  const top = bundler ? project : root;
  let projectMentions = false;
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (isDir(path.join(dir, 'node_modules', name)))
      return inside(root, dir) ? (bundler ? 'bundle' : 'package') : bundler ? 'bundle' : 'unknown';
    const pkg = readJson(path.join(dir, 'package.json'));
    if (pkg) {
      const prod = depsOf(pkg, ['dependencies', 'optionalDependencies', 'peerDependencies']);
      const dev = depsOf(pkg, ['devDependencies']);
      if (inside(top, dir) && (prod.has(name) || (bundler && dev.has(name)))) return bundler ? 'bundle' : 'package';
      if (prod.has(name) || dev.has(name)) projectMentions = true;
    }
    if (dir === path.dirname(dir) || !inside(project, path.dirname(dir))) break;
  }
  return projectMentions;
}

/** Whether a tsconfig.json / jsconfig.json between the file and the project root maps `spec` through `paths`. */
function pathAliased(fromFile: string, spec: string, top: string): boolean {
  const from = path.dirname(fromFile);
  const key = `${from}\u0000${spec}\u0000${top}`;
  let hit = aliasCache.get(key);
  if (hit === undefined) aliasCache.set(key, (hit = findPathAlias(from, spec, top)));
  return hit;
}

function findPathAlias(from: string, spec: string, top: string): boolean {
  for (let dir = from; ; dir = path.dirname(dir)) {
    for (const name of ['tsconfig.json', 'jsconfig.json']) {
      const keys = tsconfigPaths(path.join(dir, name));
      if (keys === 'any') return true; // an inherited configuration may hold paths: cannot tell
      for (const key of keys ?? []) {
        const prefix = key.replace(/\*.*$/, '');
        if (key.includes('*') ? spec.startsWith(prefix) : spec === key) return true;
      }
    }
    if (!inside(top, dir) || dir === path.dirname(dir)) return false;
  }
}

/** IAM prefixes an SDK service name may stand for: the known exceptions, then the name as it is, then without dashes. */
function prefixCandidates(service: string): string[] {
  let out = candidatesOf.get(service);
  if (!out) {
    const k = service.toLowerCase();
    candidatesOf.set(service, (out = [...new Set([iamPrefix(k), k, k.replace(/-/g, '')])]));
  }
  return out;
}
/** prefixCandidates' answers by service name: a project's thousands of calls name a few dozen services. */
const candidatesOf = new Map<string, string[]>();

function safeService(prefix: string): boolean {
  try {
    return isKnownService(prefix);
  } catch {
    return false;
  }
}

function safeKnown(action: string): boolean {
  try {
    return isKnownAction(action);
  } catch {
    return false;
  }
}

/** Whether a source file matching `re` lies in `root` (a bounded walk, dependencies skipped). */
function hasSource(root: string, re: RegExp): boolean {
  const stack: [string, number][] = [[root, 0]];
  let budget = 2000;
  while (stack.length && budget > 0) {
    const [dir, depth] = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (--budget <= 0) return true; // too big to scan: assume it holds code
      if (e.isFile() && re.test(e.name) && !e.name.endsWith('.d.ts')) return true;
      if (e.isDirectory() && depth < 4 && e.name !== 'node_modules' && !e.name.startsWith('.'))
        stack.push([path.join(dir, e.name), depth + 1]);
    }
  }
  return false;
}

/** What to add so that lambdalint (and the deploy) knows how a TypeScript handler is built. */
function buildHint(fn: LambdaFunction): string {
  switch (fn.framework) {
    case 'sam':
    case 'cloudformation':
      return 'add Metadata.BuildMethod: esbuild';
    case 'serverless':
      return fn.meta.buildBy
        ? `${fn.meta.buildBy} does not build it`
        : 'add the serverless-esbuild plugin, or deploy with Framework v4 and no build.esbuild: false';
    default:
      return 'point the handler at the compiled .js file';
  }
}

function stripExt(p: string): string {
  return p.replace(/\.[cm]?[jt]sx?$/, '');
}

function splitHandler(
  language: 'node' | 'python',
  handler: string,
): { module: string; exportName: string } | undefined {
  if (language === 'python') {
    const i = handler.lastIndexOf('.');
    if (i <= 0 || i === handler.length - 1) return undefined;
    return { module: handler.slice(0, i).replace(/\./g, '/'), exportName: handler.slice(i + 1) };
  }
  // Node.js: the module is everything up to the first dot after the last slash.
  const slash = handler.lastIndexOf('/');
  const dot = handler.indexOf('.', slash + 1);
  if (dot <= slash + 1 || dot === handler.length - 1) return undefined;
  return { module: handler.slice(0, dot), exportName: handler.slice(dot + 1) };
}

/** A relative JS import → the file it loads (TypeScript sources for `.js` specifiers), or null. */
function jsLocal(fromFile: string, spec: string): string | null {
  // By importing file, then specifier: a key made of both would be a new string to hash each time.
  let bySpec = jsLocals.get(fromFile);
  if (!bySpec) jsLocals.set(fromFile, (bySpec = new Map()));
  let found = bySpec.get(spec);
  if (found === undefined) bySpec.set(spec, (found = findJsLocal(fromFile, spec)));
  return found;
}
/** What a relative import may name after its own text, in the order tried: a file, then an index. */
const JS_SUFFIXES = ['.js', '.mjs', '.cjs', '.ts', '.tsx', '/index.js', '/index.ts'];
function findJsLocal(fromFile: string, spec: string): string | null {
  const base = path.resolve(path.dirname(fromFile), spec);
  if (isFile(base)) return base;
  // The TypeScript source of a `.js` / `.mjs` / `.cjs` specifier: `.ts`, `.mts`, `.cts`, then `.tsx`.
  const js = base.endsWith('.js');
  const ext = js ? 3 : base.endsWith('.mjs') || base.endsWith('.cjs') ? 4 : 0;
  if (ext) {
    const source = `${base.slice(0, -ext)}${js ? '.ts' : base.endsWith('.mjs') ? '.mts' : '.cts'}`;
    if (isFile(source)) return source;
    if (js && isFile(`${base.slice(0, -3)}.tsx`)) return `${base.slice(0, -3)}.tsx`;
  }
  for (const suffix of JS_SUFFIXES) if (isFile(base + suffix)) return base + suffix;
  return null;
}

/** jsLocal's answers (by importing file, then specifier), and the call-graph walk's resolutions (by scope), during one analysis (reset as statCache). */
let jsLocals = new Map<string, Map<string, string | null>>();
let jsResolved = new Map<string, string | undefined>();

/**
 * Answers by package root, importing folder and specifier (nested maps: no key is built per
 * question). The answer depends on the importing file's folder only, so the files of a folder share it.
 */
type ModuleAnswers = Map<string, Map<string, Map<string, string | null | undefined>>>;

/** Each importing file's folder, by the file (the same path strings come back: no path.dirname per question). */
let foldersOf = new Map<string, string>();

/** The answers of one root and importing file's folder in `answers`, made on first use. */
function answersFor(answers: ModuleAnswers, root: string, fromFile: string): Map<string, string | null | undefined> {
  let dir = foldersOf.get(fromFile);
  if (dir === undefined) foldersOf.set(fromFile, (dir = path.dirname(fromFile)));
  let byDir = answers.get(root);
  if (!byDir) answers.set(root, (byDir = new Map()));
  let bySpec = byDir.get(dir);
  if (!bySpec) byDir.set(dir, (bySpec = new Map()));
  return bySpec;
}

/**
 * pythonLocal's and pythonModule's answers during one analysis: 200 files of a package import the
 * same few modules, and each function's call-graph walk asks again (reset by each CodeAnalyser, as
 * statCache). Measured on the 2,000-function bench project: keyed by the importing file instead of
 * its folder, the answers were found 2.5 times as often (findPythonLocal 20 -> 52 ms).
 */
let pythonLocals: ModuleAnswers = new Map();
let pythonModules: ModuleAnswers = new Map();

/** A Python import that is a module of the package → its file (null for a package folder without __init__); undefined when not local. */
function pythonLocal(root: string, fromFile: string, spec: string): string | null | undefined {
  const answers = answersFor(pythonLocals, root, fromFile);
  if (answers.has(spec)) return answers.get(spec);
  const found = findPythonLocal(root, fromFile, spec);
  answers.set(spec, found);
  return found;
}

function findPythonLocal(root: string, fromFile: string, spec: string): string | null | undefined {
  const rel = spec.replace(/\./g, '/');
  for (const base of [root, path.dirname(fromFile)]) {
    for (const c of [`${rel}.py`, `${rel}/__init__.py`]) if (isFile(path.join(base, c))) return path.join(base, c);
    if (isDir(path.join(base, rel))) return null;
  }
  const first = spec.split('.')[0];
  if (isDir(path.join(root, first)) || isFile(path.join(root, `${first}.py`))) return null;
  return undefined;
}

/** The module file a Python import names (relative `.x` / `..x` from the importing file's package); null for a folder without `__init__.py`, undefined when not in the package. */
function pythonModule(root: string, fromFile: string, spec: string): string | null | undefined {
  const answers = answersFor(pythonModules, root, fromFile);
  if (answers.has(spec)) return answers.get(spec);
  const found = findPythonModule(root, fromFile, spec);
  answers.set(spec, found);
  return found;
}

function findPythonModule(root: string, fromFile: string, spec: string): string | null | undefined {
  const dots = /^\.*/.exec(spec)![0].length;
  if (!dots) return pythonLocal(root, fromFile, spec);
  let base = path.dirname(fromFile);
  for (let i = 1; i < dots; i++) base = path.dirname(base);
  if (!inside(root, base)) return undefined;
  const rel = spec.slice(dots).replace(/\./g, '/');
  if (!rel) return isFile(path.join(base, '__init__.py')) ? path.join(base, '__init__.py') : null;
  for (const c of [`${rel}.py`, `${rel}/__init__.py`]) if (isFile(path.join(base, c))) return path.join(base, c);
  return isDir(path.join(base, rel)) ? null : undefined;
}

/**
 * The public Powertools for AWS Lambda (Python) layer: account 017000801446, layer names
 * AWSLambdaPowertoolsPython, ...PythonV2, ...PythonV3-<runtime>-<arch> (Powertools docs, "Lambda
 * Layer"), or the SSM parameters that publish its ARN (`/aws/service/powertools/python/...`).
 */
const POWERTOOLS_LAYER = /:017000801446:layer:AWSLambdaPowertoolsPython|\/aws\/service\/powertools\/python\//;
/**
 * What the layer may also hold, by version: the dependencies of Powertools' extras (tracer:
 * aws-xray-sdk; validation: fastjsonschema; parser: pydantic; data masking: aws-encryption-sdk,
 * jsonpath-ng; Powertools docs, "Install", "Extra dependencies") and theirs. An import of one of
 * these is not judged; any other import is not brought by the layer.
 */
const POWERTOOLS_LAYER_MAYBE = new Set([
  'aws_xray_sdk',
  'wrapt',
  'fastjsonschema',
  'pydantic',
  'pydantic_core',
  'annotated_types',
  'typing_extensions',
  'typing_inspection',
  'aws_encryption_sdk',
  'cryptography',
  'cffi',
  'pycparser',
  'attr',
  'attrs',
  'jsonpath_ng',
  'ply',
  'datadog_lambda',
  'datadog',
  'ddtrace',
  'avro',
  'google',
  'redis',
  'glide',
  'jmespath',
]);

/**
 * Where a layer's Python modules are: its `python/` folder (Lambda developer guide, "Packaging your
 * layer content": /opt/python is on the path), or the folder itself when `sam build` builds it with
 * a Python BuildMethod, which copies the content into `python/` (SAM CLI
 * samcli/lib/build/workflow_config.py, get_layer_subfolder).
 */
function pythonLayerDirs(layerRoot: string, layer: Layer): string[] {
  return /^python/i.test(layer.buildMethod ?? '') ? [layerRoot] : [path.join(layerRoot, 'python')];
}

function normalizeDist(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * A requirements file as pip reads it: a byte-order mark chooses UTF-8, UTF-16 or UTF-32 (pip
 * `src/pip/_internal/utils/encoding.py` `auto_decode`); without one, UTF-8. PowerShell's `>` and
 * Windows editors save requirements.txt as UTF-16 with a mark.
 */
function decodeWithBom(buf: Buffer): string {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return buf.subarray(3).toString('utf8');
  const utf32 = (le: boolean) => {
    let out = '';
    for (let i = 4; i + 3 < buf.length; i += 4)
      out += String.fromCodePoint(Math.min(le ? buf.readUInt32LE(i) : buf.readUInt32BE(i), 0x10ffff));
    return out;
  };
  if (buf[0] === 0xff && buf[1] === 0xfe && buf[2] === 0 && buf[3] === 0) return utf32(true);
  if (buf[0] === 0 && buf[1] === 0 && buf[2] === 0xfe && buf[3] === 0xff) return utf32(false);
  const even = (b: Buffer) => b.subarray(0, b.length - (b.length % 2));
  if (buf[0] === 0xff && buf[1] === 0xfe) return even(buf.subarray(2)).toString('utf16le');
  if (buf[0] === 0xfe && buf[1] === 0xff)
    return Buffer.from(even(buf.subarray(2)))
      .swap16()
      .toString('utf16le');
  return buf.toString('utf8');
}

/** Distributions requirements.txt names; undefined when the package's dependencies cannot be read completely. */
function requirements(root: string): Set<string> | undefined {
  for (const other of ['pyproject.toml', 'Pipfile', 'setup.py', 'setup.cfg', 'poetry.lock'])
    if (isFile(path.join(root, other))) return undefined;
  const file = path.join(root, 'requirements.txt');
  const out = new Set<string>();
  if (!isFile(file)) return out;
  for (let line of decodeWithBom(fs.readFileSync(file)).split(/\r?\n/)) {
    line = line.replace(/(^|\s)#.*$/, '').trim();
    if (!line) continue;
    if (line.startsWith('-') || line.includes('://') || line.startsWith('.') || line.startsWith('/')) {
      if (/^--?(i|index-url|extra-index-url|trusted-host|f|find-links)\b/.test(line)) continue;
      return undefined;
    }
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(line);
    if (m) out.add(normalizeDist(m[1]));
  }
  return out;
}

/** The request parameter that names the bucket, queue, topic or table a call works on. */
const TARGET_PARAM: Record<string, string> = { s3: 'Bucket', sqs: 'QueueUrl', sns: 'TopicArn', dynamodb: 'TableName' };

const LAMBDA_FLAGS = new Set(['InvocationType', 'Qualifier', 'Publish']);
const FUNCTION_TYPES = new Set(['AWS::Lambda::Function', 'AWS::Serverless::Function', 'aws_lambda_function']);

/** The functions of the model by deployment and id, and by deployment and name (the first of each). */
interface FunctionLookups {
  byId: (deployment: Deployment, id: string | undefined) => LambdaFunction | undefined;
  byName: (deployment: Deployment, name: string | undefined) => LambdaFunction | undefined;
}

/**
 * The function of the project a Lambda API call names (FunctionName as a literal name or ARN, or
 * an environment variable whose value references a function of the deployment), with how it is
 * qualified. Undefined when it names anything else or cannot be told.
 */
function lambdaTarget(
  fn: LambdaFunction,
  functions: FunctionLookups,
  hints: ResourceHint[],
  flags: Record<string, string>,
  origin: SdkCall['origin'],
): FunctionTarget | undefined {
  const hint = hints.find((h) => h.param === 'FunctionName');
  if (!hint) return undefined;
  let functionId: string | undefined;
  let suffix: string | undefined;
  const fromText = (text: string): void => {
    const m = /^(?:arn:[^:]+:lambda:[^:]*:[^:]*:function:)?([A-Za-z0-9_-]+)(?::([^:]+))?$/.exec(text);
    if (!m) return;
    functionId = functions.byName(fn.deployment, m[1])?.id;
    suffix = m[2];
  };
  if (hint.literal !== undefined) fromText(hint.literal);
  else if (hint.env) {
    const env = fn.environment[hint.env];
    if (env?.value !== undefined) fromText(env.value);
    else if (
      env?.sym?.target &&
      env.sym.resourceType &&
      FUNCTION_TYPES.has(env.sym.resourceType) &&
      (env.sym.kind === 'ref' ||
        env.sym.attribute === 'Arn' ||
        env.sym.attribute === 'arn' ||
        env.sym.attribute === 'function_name')
    ) {
      functionId = functions.byId(fn.deployment, env.sym!.target)?.id;
    } else if (env?.sym?.kind === 'expr') {
      const m = /^\$\{([A-Za-z0-9_.]+?)(?:\.Arn)?\}(?::(.+))?$/.exec(env.sym.text);
      if (m) {
        functionId = functions.byId(fn.deployment, m[1])?.id;
        suffix = m[2];
      }
    }
  }
  if (functionId === undefined) return undefined;
  const q = flags.Qualifier ?? suffix;
  const qualifier: FunctionTarget['qualifier'] =
    q === undefined
      ? 'unqualified'
      : q === '$LATEST'
        ? 'latest'
        : /^\d+$/.test(q)
          ? 'version'
          : q.includes('${')
            ? 'unknown'
            : 'alias';
  return { functionId, qualifier, origin };
}

/**
 * The function's environment variables as far as their values are known where it runs: a value
 * that is a template parameter's default (or a tfvars value) may be another at deploy, so unknown.
 */
function envLookup(fn: LambdaFunction): EnvLookup {
  return (name) => {
    const v = fn.environment[name];
    return v && v.value !== undefined && !v.sym && v.origin.via !== 'parameter' ? String(v.value) : undefined;
  };
}

/** `; N skipped in branches ...` for --verbose, when the environment ruled some out. */
function deadNote(hc: HandlerCode): string {
  const n = hc.deadCalls ?? 0;
  return n ? `; ${n} in branches its environment variables rule out, not charged` : '';
}

/**
 * The files functions' handlers name, as far as a look at the disk tells (the analysis decides
 * which one each really is): what lint() hands the parse queue to prefetch on worker threads while
 * it goes on loading (parse-pool.ts). `from`: the functions before it were listed already (the
 * first list of a run empties the caches).
 */
export function handlerEntryFiles(model: Model, from = 0): string[] {
  if (from === 0) resetCaches();
  caches.fresh = true;
  const out: string[] = [];
  for (const fn of model.functions.slice(from)) {
    const runtime = fn.runtime?.value;
    const language = runtime?.startsWith('nodejs') ? 'node' : runtime?.startsWith('python') ? 'python' : undefined;
    const handler = fn.handler?.value;
    const root = fn.code.kind === 'local-dir' ? fn.code.path : undefined;
    if (!language || !root || fn.packageType === 'Image' || typeof handler !== 'string') continue;
    const split = splitHandler(language, handler);
    if (!split) continue;
    const names =
      language === 'python'
        ? [`${split.module}.py`, `${split.module}/__init__.py`]
        : [
            ...(fn.meta.entryPoints?.split('\n').filter(Boolean) ?? []),
            ...['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.tsx'].map((e) => split.module + e),
          ];
    for (const n of names) {
      const file = path.join(root, n);
      if (isFile(file)) out.push(file);
    }
  }
  return out;
}

export async function analyseHandlers(model: Model, options: CodeAnalyseOptions): Promise<CodeStats> {
  const a = new CodeAnalyser(model, options);
  await a.run();
  return a.stats;
}
