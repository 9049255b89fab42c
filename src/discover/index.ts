// Finds what to lint under the given paths: CloudFormation / SAM templates (recognised by content,
// any file name) and synthesized CDK cloud assemblies. Skips dependency and build folders and
// honours .gitignore files.
import fs from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { pipInstalledNames } from '../source/pip.js';
import { TERRAFORM_FILE } from '../source/terraform-files.js';

export class UsageError extends Error {}

export interface Discovered {
  /** Absolute paths of files that look like templates. */
  templates: string[];
  /** Absolute paths of cloud assembly folders (they hold manifest.json and a `cdk.out` marker). */
  assemblies: string[];
  /** Files that could not be read at all. */
  unreadable: { file: string; message: string }[];
  /** Absolute paths of Serverless Framework service files (serverless.yml, .yaml, .json, .ts, .js). */
  serverless: string[];
  /** Absolute paths of folders holding .tf files (the Terraform loader decides which are root modules). */
  terraform: string[];
  /**
   * Absolute paths of the `cdk.json` files of CDK apps: what lambdalint reads of an app is its cloud
   * assembly, and one that was never synthesized is named in the coverage output (lint.ts).
   */
  cdkApps: string[];
}

/** Serverless Framework service file names. */
export const SERVERLESS_FILE = /^serverless\.(ya?ml|json|[cm]?[jt]s)$/;

/** Folders never worth entering: dependencies, VCS data, build copies of the sources. */
const SKIP_DIRS = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  '.aws-sam',
  '.serverless',
  '.terraform',
  '.esbuild',
  '.webpack',
  '.build',
  '.venv',
  'venv',
  '__pycache__',
  '.pytest_cache',
  '.mypy_cache',
  '.tox',
  'coverage',
  '.nyc_output',
  '.next',
  '.cache',
  '.idea',
  '.vscode',
]);

const TEMPLATE_EXT = /\.(ya?ml|json|template)$/i;

/** JSON and YAML files that are never templates. */
const NOT_TEMPLATES = new Set([
  'package.json',
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'tsconfig.json',
  'jsconfig.json',
  'cdk.json',
  'cdk.context.json',
  'tree.json',
  'manifest.json',
  'composer.json',
  'composer.lock',
  '.eslintrc.json',
  '.prettierrc.json',
  'renovate.json',
  'lerna.json',
  'nx.json',
  'turbo.json',
  'angular.json',
  'serverless.yml',
  'serverless.yaml',
  'serverless.json',
  'docker-compose.yml',
  'docker-compose.yaml',
  'buildspec.yml',
  'mkdocs.yml',
  '.pre-commit-config.yaml',
  '.pre-commit-hooks.yaml',
  'action.yml',
  'action.yaml',
]);

/** Bytes read to decide whether a file is a template. */
const SNIFF_BYTES = 256 * 1024;

const TEMPLATE_SIGNS = /AWSTemplateFormatVersion|AWS::Serverless-\d{4}|["']?Type["']?\s*:\s*["']?AWS::/;

export function looksLikeTemplate(head: string): boolean {
  return TEMPLATE_SIGNS.test(head);
}

export function isTemplateCandidateName(file: string): boolean {
  const base = path.basename(file);
  if (!TEMPLATE_EXT.test(base) || NOT_TEMPLATES.has(base.toLowerCase())) return false;
  if (/^tsconfig\..*\.json$/i.test(base) || /\.(schema|lock)\.json$/i.test(base) || /\.assets\.json$/i.test(base))
    return false;
  return true;
}

/** One buffer for every sniff: a zero-filled 256 KB allocation per file was a fifth of a 52-template run. */
let sniffBuffer: Buffer | undefined;

export function readHead(file: string, bytes = SNIFF_BYTES): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = bytes === SNIFF_BYTES ? (sniffBuffer ??= Buffer.allocUnsafe(SNIFF_BYTES)) : Buffer.allocUnsafe(bytes);
    const n = fs.readSync(fd, buf, 0, bytes, 0);
    return buf.toString('utf8', 0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/** A cloud assembly: manifest.json beside the `cdk.out` marker, tree.json, or in a folder named cdk.out. */
export function isAssemblyDir(dir: string): boolean {
  if (!fs.existsSync(path.join(dir, 'manifest.json'))) return false;
  return (
    /^cdk\.out/.test(path.basename(dir)) ||
    fs.existsSync(path.join(dir, 'cdk.out')) ||
    fs.existsSync(path.join(dir, 'tree.json'))
  );
}

export function discover(paths: readonly string[], cwd: string, firstOnly = false): Discovered {
  const out: Discovered = {
    templates: [],
    assemblies: [],
    unreadable: [],
    serverless: [],
    terraform: [],
    cdkApps: [],
  };
  if (firstOnly) stopAtFirst.add(out);
  const seen = new Set<string>();
  for (const p of paths.length ? paths : ['.']) {
    const abs = path.resolve(cwd, p);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      throw new UsageError(`No such file or directory: ${p}`);
    }
    if (st.isDirectory()) {
      if (isAssemblyDir(abs)) out.assemblies.push(abs);
      else walk(abs, gitignoresAbove(abs), out, seen, 0);
    } else if (st.isFile()) {
      // A file named explicitly is linted if it is a template at all, whatever its name.
      if (path.basename(abs) === 'manifest.json' && isAssemblyDir(path.dirname(abs)))
        out.assemblies.push(path.dirname(abs));
      else if (SERVERLESS_FILE.test(path.basename(abs))) out.serverless.push(abs);
      else if (TERRAFORM_FILE.test(abs)) out.terraform.push(path.dirname(abs));
      else out.templates.push(abs);
    }
  }
  out.templates = [...new Set(out.templates)].sort();
  out.assemblies = [...new Set(out.assemblies)].sort();
  out.cdkApps = [...new Set(out.cdkApps)].sort();
  out.serverless = [...new Set(out.serverless)].sort();
  out.terraform = [...new Set(out.terraform)].sort();
  return out;
}

interface IgnoreLayer {
  base: string;
  ig: Ignore;
}

/** .gitignore files between the repository root (the folder with .git) and `dir`. */
function gitignoresAbove(dir: string): IgnoreLayer[] {
  const chain: string[] = [];
  let cur = path.dirname(dir);
  for (let i = 0; i < 64; i++) {
    chain.unshift(cur);
    if (fs.existsSync(path.join(cur, '.git'))) break;
    const up = path.dirname(cur);
    if (up === cur) return []; // not in a repository: ignore files above the linted folder do not apply
    cur = up;
  }
  return chain.flatMap((d) => loadIgnore(d));
}

function loadIgnore(dir: string): IgnoreLayer[] {
  try {
    const text = fs.readFileSync(path.join(dir, '.gitignore'), 'utf8');
    return [{ base: dir, ig: ignore().add(text) }];
  } catch {
    return [];
  }
}

function ignored(layers: IgnoreLayer[], abs: string, isDir: boolean): boolean {
  for (const { base, ig } of layers) {
    const rel = path.relative(base, abs).split(path.sep).join('/');
    if (!rel || rel.startsWith('..')) continue;
    if (ig.ignores(isDir ? rel + '/' : rel)) return true;
  }
  return false;
}

const MAX_DEPTH = 40;

/** Discoveries that stop at the first thing found (`discover(..., firstOnly)`: does a folder hold a project?). */
const stopAtFirst = new WeakSet<Discovered>();
/** Whether discovery found anything that makes a project (templates, service files, Terraform, assemblies, CDK apps). */
export const foundAny = (out: Discovered): boolean =>
  out.templates.length + out.serverless.length + out.terraform.length + out.assemblies.length + out.cdkApps.length > 0;

/**
 * `real`: the folder's real path when the caller knows it (a folder entered from its parent, not
 * through a symbolic link, is its parent's real path and its name); else it is asked of the system.
 */
function walk(
  dir: string,
  layers: IgnoreLayer[],
  out: Discovered,
  seen: Set<string>,
  depth: number,
  real?: string,
): void {
  if (depth > MAX_DEPTH || (stopAtFirst.has(out) && foundAny(out))) return;
  if (real === undefined) {
    try {
      // The native realpath: one system call, where the JavaScript one stats every component of the path.
      real = fs.realpathSync.native(dir);
    } catch {
      return;
    }
  }
  if (seen.has(real)) return; // a symlink loop, or a folder reached twice
  seen.add(real);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    out.unreadable.push({ file: dir, message: (e as NodeJS.ErrnoException).code ?? 'unreadable' });
    return;
  }
  // The folder's own .gitignore, read when the listing holds one.
  const here = entries.some((e) => e.name === '.gitignore') ? [...layers, ...loadIgnore(dir)] : layers;
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // Packages pip installed here (`pip install -t`, a layer's python/ folder) and their records are
  // third-party code, never a project: a layer carrying boto3 holds botocore's ~400 API model files
  // of up to 256 KB each, every one a template candidate by its name (aws-samples/serverless-patterns:
  // 468 of the 480 candidate files over 16 KB, 59 of the 65 MB discovery read).
  const installed = entries.some((e) => e.name.endsWith('.dist-info') || e.name.endsWith('.egg-info'))
    ? pipInstalledNames(
        dir,
        entries.map((e) => e.name),
      )
    : undefined;
  for (const ent of entries) {
    if (stopAtFirst.has(out) && foundAny(out)) return;
    const abs = path.join(dir, ent.name);
    let isDir = ent.isDirectory();
    let isFile = ent.isFile();
    const link = ent.isSymbolicLink();
    if (link) {
      try {
        const st = fs.statSync(abs);
        isDir = st.isDirectory();
        isFile = st.isFile();
      } catch {
        continue; // dangling link
      }
    }
    if (isDir) {
      if (SKIP_DIRS.has(ent.name) || (installed && (installed.has(ent.name) || /\.(dist|egg)-info$/.test(ent.name))))
        continue;
      // Synthesized CDK output is usually git-ignored, and is exactly what lambdalint reads.
      if (isAssemblyDir(abs)) {
        out.assemblies.push(abs);
        continue;
      }
      if (ignored(here, abs, true)) continue;
      walk(abs, here, out, seen, depth + 1, link ? undefined : path.join(real, ent.name));
    } else if (isFile) {
      if (ent.name === 'cdk.json') {
        if (!ignored(here, abs, false)) out.cdkApps.push(abs);
        continue;
      }
      if (ent.name.endsWith('.tf') || ent.name.endsWith('.tf.json')) {
        if (!ignored(here, abs, false) && out.terraform[out.terraform.length - 1] !== dir) out.terraform.push(dir);
        continue;
      }
      if (SERVERLESS_FILE.test(ent.name)) {
        if (!ignored(here, abs, false)) out.serverless.push(abs);
        continue;
      }
      if (!isTemplateCandidateName(ent.name) || ignored(here, abs, false)) continue;
      try {
        if (looksLikeTemplate(readHead(abs))) out.templates.push(abs);
      } catch (e) {
        out.unreadable.push({ file: abs, message: (e as NodeJS.ErrnoException).code ?? 'unreadable' });
      }
    }
  }
}
