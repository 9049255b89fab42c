// From files to the projects they belong to: a template is its own project; any other relevant file
// (a handler, package.json, samconfig.toml...) belongs to the nearest folder above it that holds
// templates. Used by --staged / --changed and by the ESLint plugin for handler files.
import fs from 'node:fs';
import path from 'node:path';
import {
  discover,
  foundAny,
  isAssemblyDir,
  isTemplateCandidateName,
  looksLikeTemplate,
  readHead,
  SERVERLESS_FILE,
  UsageError,
} from './index.js';

const RELEVANT = /\.(c|m)?[jt]sx?$|\.py$|\.ya?ml$|\.json$|\.toml$|\.tfvars$|\.tf$/i;

function isTemplateFile(file: string): boolean {
  const base = path.basename(file);
  if (SERVERLESS_FILE.test(base) || /\.tf$/i.test(base)) return true;
  if (!isTemplateCandidateName(file)) return false;
  try {
    return looksLikeTemplate(readHead(file));
  } catch {
    return false;
  }
}

/**
 * Templates, serverless files, .tf files and cdk.out folders directly in `dir` (with `firstOnly`, the
 * first of them in name order, without reading the files after it).
 */
export function projectEntries(dir: string, firstOnly = false): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const n of names.sort()) {
    const p = path.join(dir, n);
    if (n === 'cdk.out' && isAssemblyDir(p)) out.push(p);
    else if (n !== 'package.json' && isTemplateFile(p)) out.push(p);
    else continue;
    if (firstOnly) break;
  }
  return out;
}

/**
 * The nearest folder at or above `dir` that holds templates, serverless files, .tf files or a
 * cdk.out folder, with those entries. The search stops at the top of the git work tree (the folder
 * holding .git, itself included) or at the file system root: a project is never looked for above
 * the repository.
 */
export function owningProject(dir: string): { dir: string; entries: string[] } | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const entries = projectEntries(d);
    if (entries.length) return { dir: d, entries };
    if (fs.existsSync(path.join(d, '.git')) || d === path.dirname(d)) return undefined;
  }
}

/**
 * Whether discovery finds anything to lint at or below `dir`. One entry is enough: a folder of 52
 * templates had each read here, and then again by discovery.
 */
function holdsProject(dir: string): boolean {
  if (isAssemblyDir(dir) || projectEntries(dir, true).length) return true;
  // Discovery stops at the first thing it finds: the whole walk is lint()'s to do.
  const found = discover([dir], dir, true);
  return foundAny(found);
}

const HANDLER_CODE = /\.(c|m)?[jt]sx?$|\.py$/i;

/** A project's entries as lint paths: a Terraform root module is its folder. */
const asLintPaths = (entries: readonly string[]): string[] => [
  ...new Set(entries.map((e) => (/\.tf$/i.test(e) ? path.dirname(e) : e))),
];

export interface LocatedPaths {
  /** What to lint, absolute. */
  paths: string[];
  /**
   * Set when every path stood for the project that owns it (a handler file, a folder of code): the
   * files and folders whose findings are reported, absolute.
   */
  reportOnly?: string[];
}

/**
 * The command line's paths, with the project root found from a subfolder: a handler file, or a
 * folder that holds no template, serverless file, .tf file or cdk.out, stands for the nearest
 * project above it (`owningProject`, up to the git root). Findings are then reported inside the
 * paths given, except for the implicit `.`, which lints the whole project whatever subfolder it is
 * run from. Other paths are kept as they are.
 */
export function locateProjects(args: readonly string[], cwd: string): LocatedPaths {
  const implicit = args.length === 0;
  const paths: string[] = [];
  const reportOnly: string[] = [];
  let allOwned = true;
  for (const arg of implicit ? ['.'] : args) {
    const abs = path.resolve(cwd, arg);
    const st = fs.statSync(abs, { throwIfNoEntry: false });
    let owner: { dir: string; entries: string[] } | undefined;
    if (
      st?.isFile() &&
      HANDLER_CODE.test(abs) &&
      !SERVERLESS_FILE.test(path.basename(abs)) &&
      !abs.split(path.sep).includes('cdk.out')
    ) {
      owner = owningProject(path.dirname(abs));
      if (!owner)
        throw new UsageError(
          `${arg} is handler code, and no folder above it (up to the repository's top) holds a template, serverless file or .tf file`,
        );
    } else if (st?.isDirectory() && !holdsProject(abs)) {
      owner = owningProject(abs);
    }
    if (!owner) {
      allOwned = false;
      paths.push(abs);
      continue;
    }
    paths.push(...asLintPaths(owner.entries));
    reportOnly.push(abs);
  }
  return { paths: [...new Set(paths)], ...(allOwned && !implicit ? { reportOnly } : {}) };
}

/**
 * The folder `--changed` and `--staged` look for projects in: the working directory when it holds
 * one (at any depth), else the project that owns it (run from a subfolder of code).
 */
export function changedScope(cwd: string): string {
  const dir = path.resolve(cwd);
  return holdsProject(dir) ? dir : (owningProject(dir)?.dir ?? dir);
}

/**
 * The paths to lint for a set of changed files: templates as they are, and for any other relevant
 * file the templates of the nearest folder above it (up to `cwd`) that has some. Relative to cwd.
 */
export function projectPathsFor(changed: readonly string[], cwd: string): string[] {
  const root = path.resolve(cwd);
  const out = new Set<string>();
  for (const f of changed) {
    const abs = path.resolve(root, f);
    const rel = path.relative(root, abs);
    if (rel.startsWith('..') || path.isAbsolute(rel)) continue; // outside the project
    if (!RELEVANT.test(abs) || !fs.existsSync(abs)) continue;
    if (abs.split(path.sep).includes('cdk.out')) {
      out.add(abs.slice(0, abs.indexOf(`${path.sep}cdk.out`) + '/cdk.out'.length));
      continue;
    }
    if (isTemplateFile(abs)) {
      out.add(abs);
      continue;
    }
    for (let dir = path.dirname(abs); ; dir = path.dirname(dir)) {
      const entries = projectEntries(dir);
      if (entries.length) {
        for (const e of entries) out.add(e);
        break;
      }
      if (dir === root || dir === path.dirname(dir)) break;
    }
  }
  // A Terraform root module is its folder, not one of its files; a changed local module pulls in
  // every configuration that calls it (`source = "./modules/x"`), up through nested calls.
  const tfDirs = [...out].filter((p) => /\.tf$/i.test(p)).map((p) => path.dirname(p));
  const paths = [...out].map((p) => (/\.tf$/i.test(p) ? path.dirname(p) : p));
  if (tfDirs.length) paths.push(...terraformCallers(tfDirs, root));
  return [...new Set(paths.map((p) => path.relative(root, p).split(path.sep).join('/') || '.'))].sort();
}

const MODULE_SOURCE = /^\s*source\s*=\s*"(\.{1,2}\/[^"]*)"/gm;

/**
 * The folders under `root` whose Terraform calls one of `dirs` as a local module, directly or
 * through other local modules. A bounded walk: dependencies, .terraform and hidden folders skipped.
 */
function terraformCallers(dirs: readonly string[], root: string): string[] {
  const calls = new Map<string, Set<string>>(); // module folder → folders that call it
  const stack: [string, number][] = [[root, 0]];
  let budget = 20000;
  while (stack.length && budget-- > 0) {
    const [dir, depth] = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (depth < 12 && e.name !== 'node_modules' && !e.name.startsWith('.') && e.name !== 'cdk.out')
          stack.push([p, depth + 1]);
      } else if (e.isFile() && /\.tf$/i.test(e.name)) {
        let text: string;
        try {
          text = fs.readFileSync(p, 'utf8');
        } catch {
          continue;
        }
        for (const m of text.matchAll(MODULE_SOURCE)) {
          const target = path.resolve(dir, m[1].replace(/\/\/.*$/, ''));
          if (!calls.has(target)) calls.set(target, new Set());
          calls.get(target)!.add(dir);
        }
      }
    }
  }
  const out = new Set<string>();
  const queue = dirs.map((d) => path.resolve(d));
  while (queue.length) {
    const d = queue.shift()!;
    for (const caller of calls.get(d) ?? []) {
      if (out.has(caller) || dirs.includes(caller)) continue;
      out.add(caller);
      queue.push(caller);
    }
  }
  return [...out];
}
