// Module resolution for code a bundler builds: where the project ends, TypeScript path aliases
// (tsconfig `paths` / `baseUrl`, through `extends`), and packages of an npm / yarn / pnpm workspace.
// A bundler follows all of them into the bundle, so the analysis follows them too.
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';

/** Extensions a bundler tries for an import without one (esbuild's default resolveExtensions, TypeScript first). */
const TRY_EXTS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.jsx'];

export class Resolver {
  private readonly kinds = new Map<string, 'file' | 'dir' | 'none'>();
  private readonly tsconfigs = new Map<string, TsConfig | null>();
  private readonly workspaceDirs = new Map<string, Map<string, string> | null>();
  private readonly tops = new Map<string, string>();
  /** Folders asked whether they hold `.git` (each code folder asks of every folder above it). */
  private readonly gitRoots = new Map<string, boolean>();

  /**
   * @param roots the linted folders (working directory and path arguments), outermost bounds when no git root is found
   * @param kindOf what is at a path, when the caller keeps its own cache of that (src/code/analyse.ts)
   */
  constructor(
    private readonly roots: string[],
    private readonly kindOf?: (p: string) => 'file' | 'dir' | 'other' | 'none',
  ) {}

  kind(p: string): 'file' | 'dir' | 'none' {
    if (this.kindOf) {
      const k = this.kindOf(p);
      return k === 'other' ? 'none' : k;
    }
    let k = this.kinds.get(p);
    if (k === undefined) {
      try {
        const st = fs.statSync(p, { throwIfNoEntry: false });
        k = !st ? 'none' : st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'none';
      } catch {
        k = 'none';
      }
      this.kinds.set(p, k);
    }
    return k;
  }

  /**
   * The project a code folder belongs to, for code a bundler builds (whose dependencies may be
   * hoisted to a monorepo's root): the git work tree that holds it, else the linted root.
   */
  projectTop(dir: string, declaredIn: string): string {
    const cached = this.tops.get(dir);
    if (cached) return cached;
    let top: string | undefined;
    for (let d = dir; ; d = path.dirname(d)) {
      if (this.holdsGit(d)) {
        top = d;
        break;
      }
      if (d === path.dirname(d)) break;
    }
    top ??= this.lintedRoot(dir, declaredIn);
    this.tops.set(dir, top);
    return top;
  }

  private holdsGit(dir: string): boolean {
    let yes = this.gitRoots.get(dir);
    if (yes === undefined) this.gitRoots.set(dir, (yes = fs.existsSync(path.join(dir, '.git'))));
    return yes;
  }

  /**
   * The linted folder that holds a code folder: the outermost working directory or path argument
   * holding it, else its git work tree, else the folder of the file that declares the function. The
   * same for `lambdalint path/to/repo` run from anywhere as for `lambdalint .` run in the repository.
   */
  lintedRoot(dir: string, declaredIn: string): string {
    const holding = this.roots.filter((r) => inside(r, dir)).sort((a, b) => a.length - b.length);
    if (holding.length) return holding[0];
    for (let d = dir; ; d = path.dirname(d)) {
      if (this.holdsGit(d)) return d;
      if (d === path.dirname(d)) break;
    }
    const decl = path.dirname(declaredIn);
    return inside(decl, dir) ? decl : dir;
  }

  /** The file an import path resolves to, trying the bundler's extensions and index files. */
  file(base: string): string | undefined {
    if (this.kind(base) === 'file') return base;
    // `./x.js` written for a TypeScript source x.ts
    const m = /\.([cm]?)js$/.exec(base);
    if (m) {
      const ts = base.slice(0, -m[0].length) + `.${m[1]}ts`;
      if (this.kind(ts) === 'file') return ts;
      if (this.kind(base.slice(0, -3) + '.tsx') === 'file') return base.slice(0, -3) + '.tsx';
    }
    for (const e of TRY_EXTS) if (this.kind(base + e) === 'file') return base + e;
    if (this.kind(base) === 'dir') {
      const pkg = readJsonFile(path.join(base, 'package.json'));
      const main = pkg && typeof pkg.main === 'string' ? this.file(path.resolve(base, pkg.main)) : undefined;
      if (main) return main;
      for (const e of TRY_EXTS)
        if (this.kind(path.join(base, `index${e}`)) === 'file') return path.join(base, `index${e}`);
    }
    return undefined;
  }

  /**
   * A TypeScript path alias (`paths` of the tsconfig.json nearest the importing file, with `extends`
   * followed): the file it names, 'unresolved' when an alias matches but no file is there, undefined
   * when no alias matches. esbuild honours `paths` and `baseUrl` (https://esbuild.github.io/content-types/#tsconfig-json).
   */
  alias(fromFile: string, spec: string, top: string): string | 'unresolved' | undefined {
    const cfg = this.nearestTsconfig(path.dirname(fromFile), top);
    if (!cfg) return undefined;
    let best: { prefix: string; targets: string[]; star: string } | undefined;
    for (const [key, targets] of Object.entries(cfg.paths ?? {})) {
      const star = key.indexOf('*');
      if (star < 0) {
        if (spec === key) best = { prefix: key, targets, star: '' };
        continue;
      }
      const pre = key.slice(0, star);
      const post = key.slice(star + 1);
      if (
        spec.startsWith(pre) &&
        spec.endsWith(post) &&
        spec.length >= pre.length + post.length &&
        (!best || pre.length > best.prefix.length)
      ) {
        best = { prefix: pre, targets, star: spec.slice(pre.length, spec.length - post.length) };
      }
    }
    if (!best) {
      // `baseUrl` alone makes `lib/db` mean `<baseUrl>/lib/db`.
      if (cfg.baseUrl) {
        const f = this.file(path.resolve(cfg.baseUrl, spec));
        if (f && inside(top, f)) return f;
      }
      return undefined;
    }
    const base = cfg.pathsBase ?? cfg.baseUrl ?? top;
    for (const t of best.targets) {
      const f = this.file(path.resolve(base, t.replace('*', best.star)));
      if (f) return f;
    }
    return 'unresolved';
  }

  /**
   * A package of the workspace (`workspaces` in a package.json, or pnpm-workspace.yaml, at or above
   * the importing file within the project): its source file for `spec`, undefined when not one.
   */
  workspacePackage(fromFile: string, spec: string, top: string): string | undefined {
    const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
    const sub = spec.slice(name.length).replace(/^\//, '');
    for (let d = path.dirname(fromFile); inside(top, d); d = path.dirname(d)) {
      const pkgs = this.workspaces(d);
      const dir = pkgs?.get(name);
      if (dir) return this.packageEntry(dir, sub);
      if (d === path.dirname(d)) break;
    }
    return undefined;
  }

  /** A workspace package's source: for a subpath, that file; else its declared entry, mapped from build output back to sources. */
  private packageEntry(dir: string, sub: string): string | undefined {
    if (sub) return this.file(path.join(dir, sub)) ?? this.file(path.join(dir, 'src', sub));
    const pkg = readJsonFile(path.join(dir, 'package.json')) ?? {};
    const cands: string[] = [];
    const exp = pkg.exports;
    const pick = (v: unknown): void => {
      if (typeof v === 'string') cands.push(v);
      else if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        for (const k of ['.', 'source', 'types', 'import', 'require', 'node', 'default']) if (k in o) pick(o[k]);
      }
    };
    pick(exp);
    for (const k of ['source', 'types', 'typings', 'module', 'main'])
      if (typeof pkg[k] === 'string') cands.push(pkg[k] as string);
    for (const c of cands) {
      const abs = path.resolve(dir, c.replace(/\.d\.([cm]?)ts$/, '.$1ts'));
      const f =
        this.file(abs) ??
        this.file(abs.replace(/([\\/])(dist|lib|build|out)([\\/])/, '$1src$3').replace(/\.([cm]?)js$/, '.$1ts'));
      if (f && !f.endsWith('.d.ts')) return f;
    }
    return this.file(path.join(dir, 'src', 'index')) ?? this.file(path.join(dir, 'index'));
  }

  /** The workspace packages declared in `dir` (name to folder), or null. */
  private workspaces(dir: string): Map<string, string> | null {
    if (this.workspaceDirs.has(dir)) return this.workspaceDirs.get(dir)!;
    let patterns: string[] = [];
    const pkg = readJsonFile(path.join(dir, 'package.json'));
    const ws = pkg?.workspaces;
    if (Array.isArray(ws)) patterns = ws.filter((x): x is string => typeof x === 'string');
    else if (ws && typeof ws === 'object' && Array.isArray((ws as { packages?: unknown }).packages))
      patterns = (ws as { packages: unknown[] }).packages.filter((x): x is string => typeof x === 'string');
    const pnpm = path.join(dir, 'pnpm-workspace.yaml');
    if (this.kind(pnpm) === 'file') {
      // `packages:` followed by `- 'glob'` items: the only part lambdalint needs.
      let inPackages = false;
      for (const line of fs.readFileSync(pnpm, 'utf8').split(/\r?\n/)) {
        if (/^packages\s*:/.test(line)) inPackages = true;
        else if (/^\S/.test(line)) inPackages = false;
        else if (inPackages) {
          const m = /^\s*-\s*['"]?([^'"#]+?)['"]?\s*(#.*)?$/.exec(line);
          if (m) patterns.push(m[1]);
        }
      }
    }
    let out: Map<string, string> | null = null;
    if (patterns.length) {
      out = new Map();
      for (const p of patterns) {
        if (p.startsWith('!')) continue;
        for (const d of expandGlob(dir, p)) {
          const name = readJsonFile(path.join(d, 'package.json'))?.name;
          if (typeof name === 'string' && !out.has(name)) out.set(name, d);
        }
      }
    }
    this.workspaceDirs.set(dir, out);
    return out;
  }

  private nearestTsconfig(dir: string, top: string): TsConfig | undefined {
    for (let d = dir; ; d = path.dirname(d)) {
      for (const n of ['tsconfig.json', 'jsconfig.json']) {
        const f = path.join(d, n);
        if (this.kind(f) === 'file') {
          const c = this.tsconfig(f, 0);
          if (c) return c;
        }
      }
      if (!inside(top, d) || d === path.dirname(d)) return undefined;
    }
  }

  /** A tsconfig with `extends` applied: `paths` relative to the `baseUrl` in force, or to the file that declares them. */
  private tsconfig(file: string, depth: number): TsConfig | null {
    if (this.tsconfigs.has(file)) return this.tsconfigs.get(file)!;
    this.tsconfigs.set(file, null); // a cycle of extends ends here
    let out: TsConfig | null;
    try {
      const errors: ParseError[] = [];
      const raw = parseJsonc(fs.readFileSync(file, 'utf8'), errors, { allowTrailingComma: true }) as
        { extends?: unknown; compilerOptions?: { paths?: unknown; baseUrl?: unknown } } | undefined;
      out = {};
      const ext =
        typeof raw?.extends === 'string'
          ? [raw.extends]
          : Array.isArray(raw?.extends)
            ? raw!.extends.filter((x): x is string => typeof x === 'string')
            : [];
      for (const e of ext) {
        if (depth > 8) break;
        const f = this.extendsFile(path.dirname(file), e);
        const parent = f ? this.tsconfig(f, depth + 1) : null;
        if (parent) out = { ...out, ...parent };
      }
      const co = raw?.compilerOptions;
      if (typeof co?.baseUrl === 'string') out.baseUrl = path.resolve(path.dirname(file), co.baseUrl);
      if (co?.paths && typeof co.paths === 'object') {
        const paths: Record<string, string[]> = {};
        for (const [k, v] of Object.entries(co.paths as Record<string, unknown>))
          if (Array.isArray(v)) paths[k] = v.filter((x): x is string => typeof x === 'string');
        out.paths = paths;
        out.pathsBase = typeof co.baseUrl === 'string' ? out.baseUrl : path.dirname(file);
      } else if (typeof co?.baseUrl === 'string' && out.paths) out.pathsBase = out.baseUrl;
    } catch {
      out = null;
    }
    this.tsconfigs.set(file, out);
    return out;
  }

  private extendsFile(dir: string, e: string): string | undefined {
    if (e.startsWith('.') || path.isAbsolute(e)) {
      const f = path.resolve(dir, e);
      return [f, `${f}.json`, path.join(f, 'tsconfig.json')].find((c) => this.kind(c) === 'file');
    }
    // A shared config package (`@tsconfig/node20/tsconfig.json`): from node_modules, when installed.
    for (let d = dir; ; d = path.dirname(d)) {
      const f = path.join(d, 'node_modules', e);
      const c = [f, `${f}.json`, path.join(f, 'tsconfig.json')].find((x) => this.kind(x) === 'file');
      if (c) return c;
      if (d === path.dirname(d)) return undefined;
    }
  }
}

interface TsConfig {
  baseUrl?: string;
  paths?: Record<string, string[]>;
  /** The folder `paths` entries are relative to. */
  pathsBase?: string;
}

/** A `//`, `/./` or `/../` (or a `/.` / `/..` at the end): a path not in normal form. */
const NOT_NORMAL = /\/\/|\/\.\.?(?:\/|$)/;

export function inside(root: string, p: string): boolean {
  // Absolute POSIX paths in normal form (as path.resolve and path.join give them, the analysis
  // asks thousands of times): the answer path.relative gives, read from the text. A first step
  // that starts with `..` (a folder named `..x`) is outside, as path.relative's answer says.
  if (
    path.sep === '/' &&
    root.length > 1 &&
    root.charCodeAt(0) === 47 &&
    p.charCodeAt(0) === 47 &&
    root.charCodeAt(root.length - 1) !== 47 &&
    !NOT_NORMAL.test(root) &&
    !NOT_NORMAL.test(p)
  ) {
    if (p.length === root.length || (p.length === root.length + 1 && p.charCodeAt(root.length) === 47))
      return p.startsWith(root);
    return p.charCodeAt(root.length) === 47 && p.startsWith(root) && !p.startsWith('..', root.length + 1);
  }
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function readJsonFile(file: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Folders a workspace pattern names: `packages/*`, `libs/**` (two levels), `apps/api`. */
function expandGlob(base: string, pattern: string): string[] {
  const parts = pattern
    .replace(/\/+$/, '')
    .split('/')
    .filter((p) => p && p !== '.');
  let dirs = [base];
  for (const part of parts) {
    const next: string[] = [];
    for (const d of dirs) {
      if (!part.includes('*')) {
        next.push(path.join(d, part));
        continue;
      }
      const re = new RegExp(`^${part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*+/g, '.*')}$`);
      const kids = subdirs(d).filter((k) => re.test(k) && k !== 'node_modules' && !k.startsWith('.'));
      for (const k of kids) {
        next.push(path.join(d, k));
        if (part === '**')
          for (const g of subdirs(path.join(d, k)))
            if (g !== 'node_modules' && !g.startsWith('.')) next.push(path.join(d, k, g));
      }
      if (part === '**') next.push(d);
    }
    dirs = next.slice(0, 2000);
  }
  return dirs.filter((d) => fs.existsSync(path.join(d, 'package.json')));
}

function subdirs(d: string): string[] {
  try {
    return fs
      .readdirSync(d, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch {
    return [];
  }
}
