// From files to the projects they belong to: a template is its own project; any other relevant file
// (a handler, package.json, samconfig.toml...) belongs to the nearest folder above it that holds
// templates. Used by --staged / --changed and by the ESLint plugin for handler files.
import fs from 'node:fs';
import path from 'node:path';
import { isAssemblyDir, isTemplateCandidateName, looksLikeTemplate, readHead, SERVERLESS_FILE } from './index.js';

const RELEVANT = /\.(c|m)?[jt]sx?$|\.py$|\.ya?ml$|\.json$|\.toml$|\.tfvars$|\.tf$/i;

export function isTemplateFile(file: string): boolean {
  const base = path.basename(file);
  if (SERVERLESS_FILE.test(base) || /\.tf$/i.test(base)) return true;
  if (!isTemplateCandidateName(file)) return false;
  try {
    return looksLikeTemplate(readHead(file));
  } catch {
    return false;
  }
}

/** Templates, serverless files, .tf files and cdk.out folders directly in `dir`. */
export function projectEntries(dir: string): string[] {
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
  }
  return out;
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
export function terraformCallers(dirs: readonly string[], root: string): string[] {
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
        if (depth < 12 && e.name !== 'node_modules' && !e.name.startsWith('.') && e.name !== 'cdk.out') stack.push([p, depth + 1]);
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
