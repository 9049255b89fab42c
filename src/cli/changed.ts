// --staged / --changed[=REF] / --changed-files: from a list of changed files to the projects they
// belong to. A changed template is linted itself; a changed handler (or package.json, samconfig...)
// pulls in the nearest templates above it, which bring their handlers in turn.
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../discover/index.js';
import { loadProject, loadTerraformDirs } from '../lint.js';

/** node:child_process, loaded for --changed / --staged only: about 8 ms of every other run's start-up. */
const childProcess = (): typeof import('node:child_process') => process.getBuiltinModule('node:child_process');

function git(args: string[], cwd: string): string[] {
  try {
    const out = childProcess().execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return out.split('\n').filter(Boolean);
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new UsageError(`git ${args.join(' ')} failed: ${(err.stderr || err.message).trim().split('\n')[0]}`);
  }
}

/** Files staged for commit (added, copied, modified, renamed), absolute. */
export function stagedFiles(cwd: string): string[] {
  const top = git(['rev-parse', '--show-toplevel'], cwd)[0];
  return git(['diff', '--cached', '--name-only', '--diff-filter=ACMR', '-z'], cwd)
    .flatMap((l) => l.split('\0'))
    .filter(Boolean)
    .map((f) => path.join(top, f));
}

/** Files that differ from REF in the work tree, plus untracked ones, absolute. */
export function changedFiles(cwd: string, ref: string): string[] {
  if (ref.startsWith('-')) throw new UsageError(`--changed takes a git revision, not '${ref}'`);
  const top = git(['rev-parse', '--show-toplevel'], cwd)[0];
  const diff = git(['diff', '--name-only', '--diff-filter=ACMR', ref, '--'], cwd);
  const untracked = git(['ls-files', '--others', '--exclude-standard', '--full-name'], top);
  return [...new Set([...diff, ...untracked])].map((f) => path.join(top, f));
}

/**
 * The projects whose functions' code reads one of the changed source files: shared code outside a
 * function's folder (`../../libs`, a path alias, a workspace package) changes every function that
 * imports it. Loads the project under `cwd` and follows each handler's imports (no rules run);
 * relative paths, as `projectPathsFor` gives them.
 */
export async function importersOf(changed: readonly string[], cwd: string): Promise<string[]> {
  const root = path.resolve(cwd);
  const code = new Set(
    changed
      .map((f) => path.resolve(root, f))
      .filter((f) => /\.(c|m)?[jt]sx?$|\.py$/i.test(f) && !f.split(path.sep).includes('cdk.out') && fs.existsSync(f)),
  );
  if (code.size === 0) return [];
  const project = loadProject({ cwd: root, skipPackageSizes: true });
  await loadTerraformDirs(project, { cwd: root });
  const { hasHandlerCode } = await import('../code/select.js');
  if (!project.model.functions.some(hasHandlerCode)) return [];
  const { analyseHandlers } = await import('../code/analyse.js');
  await analyseHandlers(project.model, { cwd: root, roots: [root], note: () => {} });
  const out = new Set<string>();
  for (const fn of project.model.functions) {
    if (!(fn.handlerCode?.files ?? []).some((f) => code.has(f))) continue;
    const file = fn.deployment.file;
    const parts = file.split(path.sep);
    const at = parts.indexOf('cdk.out');
    const p =
      at >= 0 ? parts.slice(0, at + 1).join(path.sep) : /\.tf(\.json)?$/i.test(file) ? path.dirname(file) : file;
    out.add(path.relative(root, p).split(path.sep).join('/') || '.');
  }
  return [...out].sort();
}

export { projectPathsFor } from '../discover/projects.js';

/**
 * What is staged for commit, for `--staged`: the index's text of each staged file (`git show
 * :path`), so a file staged with a problem and fixed only in the work tree still fails the commit.
 * Other files are read from the work tree.
 */
export function stagedSources(cwd: string, files: readonly string[]): Map<string, string> {
  const top = git(['rev-parse', '--show-toplevel'], cwd)[0];
  const out = new Map<string, string>();
  for (const file of files) {
    try {
      const rel = path.relative(top, file).split(path.sep).join('/');
      out.set(
        file,
        childProcess().execFileSync('git', ['show', `:${rel}`], {
          cwd: top,
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
          maxBuffer: 64 * 1024 * 1024,
        }),
      );
    } catch {
      // Not in the index (deleted meanwhile): the work tree's file, if any, is read instead.
    }
  }
  return out;
}
