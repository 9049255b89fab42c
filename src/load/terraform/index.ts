// Entry point of the Terraform loader: decides which folders are root modules (folders of .tf
// files that other folders do not call as local modules), parses them (and the local modules they
// call, and their tfvars) once each, and loads each root into the model. The tree-sitter runtime
// is loaded only here, only when there are .tf files.
import fs from 'node:fs';
import path from 'node:path';
import { overLimit, unreadable, type LoadContext, type LoadOutcome, type LoadProblem } from '../loader.js';
import { hclParser, parseHcl, type ParsedHcl, spanRange } from '../../source/hcl.js';
import { mayCallModules, TERRAFORM_FILE, TFVARS_FILE } from '../../source/terraform-files.js';
import { parseTfJson } from '../../source/tf-json.js';
import { loadTerraformRoot, type TerraformLoadOptions } from './load.js';

/**
 * Loads the Terraform folders found by discovery (the Terraform loader of src/load/loader.ts).
 * Never throws for bad input.
 */
export async function loadTerraform(dirs: readonly string[], ctx: LoadContext, out: LoadOutcome): Promise<void> {
  if (dirs.length === 0) return;
  const problems: LoadProblem[] = [];
  // A shard (--shard): every folder is read to tell roots from modules; the shard's folders are loaded and reported.
  const keep = ctx.keep;
  const parser = await hclParser();
  // Files a worker thread parsed (src/code/parse-pool.ts): taken instead of parsing them here.
  const given = (await ctx.terraformParsed?.()) ?? new Map<string, ParsedHcl>();
  const parsed = new Map<string, ParsedHcl | undefined>();
  const parseFile = (file: string): ParsedHcl | undefined => {
    if (parsed.has(file)) return parsed.get(file);
    // Read here rather than with readInput (../loader.ts), as before: the file on disk (not an
    // editor's buffer), and a file over the limit is not counted.
    let hcl: ParsedHcl | undefined;
    try {
      const st = fs.statSync(file);
      if (st.size > ctx.maxFileBytes) {
        problems.push({ file, message: overLimit(st.size, ctx.maxFileBytes) });
      } else {
        out.files++;
        hcl = given.get(file);
        if (!hcl) {
          const text = fs.readFileSync(file, 'utf8');
          hcl = file.endsWith('.tf.json') ? parseTfJson(parser, file, text) : parseHcl(parser, file, text);
        }
        if (hcl.error) problems.push({ file, message: hcl.error.message, range: spanRange(hcl.error.span) });
      }
    } catch (e) {
      problems.push(unreadable(file, e));
    }
    parsed.set(file, hcl);
    return hcl;
  };
  const listDir = (dir: string, re: RegExp): string[] => {
    try {
      return fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((e) => (e.isFile() || e.isSymbolicLink()) && re.test(e.name))
        .map((e) => path.join(dir, e.name))
        .sort();
    } catch {
      return [];
    }
  };
  const broken = new Set<string>();
  const filesOf = (dir: string): ParsedHcl[] | undefined => {
    const files = listDir(dir, TERRAFORM_FILE).map(parseFile);
    if (files.some((f) => f?.error)) broken.add(dir);
    const ok = files.filter((f): f is ParsedHcl => !!f && !f.error);
    return ok.length ? ok : undefined;
  };

  // Whether a file of another shard's folder may call a module (read, not parsed, when it cannot).
  const mayCall = (file: string): boolean => {
    if (given.has(file)) return true;
    try {
      return mayCallModules(fs.readFileSync(file, 'utf8'));
    } catch {
      return true; // parseFile says why it cannot be read
    }
  };
  // A folder called as a local module by another discovered folder is not a root of its own. A
  // folder of another shard counts only for the modules it calls: its files that call none are
  // not parsed (with --shard 1/8 on the 2,000-function bench project, 5 folders' files of 41).
  const called = new Set<string>();
  for (const dir of dirs) {
    const own = keep(dir);
    const files = own
      ? (filesOf(dir) ?? [])
      : listDir(dir, TERRAFORM_FILE)
          .filter(mayCall)
          .map(parseFile)
          .filter((f): f is ParsedHcl => !!f && !f.error);
    for (const f of files) {
      for (const b of f.body.blocks) {
        if (b.type !== 'module') continue;
        const src = b.body.attrs.get('source')?.expr;
        if (src?.k === 'lit' && typeof src.value === 'string' && /^\.\.?(\/|\\|$)/.test(src.value))
          called.add(path.resolve(dir, src.value));
      }
    }
  }
  const manifests: Manifests = new Map();
  const loadOptions: TerraformLoadOptions = {
    cwd: ctx.cwd,
    stage: ctx.stage,
    productionNames: ctx.productionNames,
    within: ctx.within,
    filesOf,
    installedModule: (root, key, source) => installedModule(manifests, root, key, source),
  };
  for (const dir of dirs) {
    ctx.step(dir);
    if ((called.has(dir) && dirs.length > 1) || !keep(dir)) continue;
    const files = filesOf(dir);
    if (broken.has(dir)) {
      out.notes.push(`${rel(ctx.cwd, dir)}: has Terraform syntax errors; not modelled`);
      continue;
    }
    if (!files) continue;
    const tfvars = listDir(dir, TFVARS_FILE)
      .sort((a, b) =>
        path.basename(a) === 'terraform.tfvars' ? -1 : path.basename(b) === 'terraform.tfvars' ? 1 : a < b ? -1 : 1,
      )
      .map(parseFile)
      .filter((f): f is ParsedHcl => !!f && !f.error);
    try {
      const d = loadTerraformRoot({ dir, files, tfvars }, ctx.model, loadOptions);
      out.templates++;
      for (const n of d.notes) out.notes.push(`${rel(ctx.cwd, dir)}: ${n}`);
      d.notes.length = 0;
    } catch (e) {
      out.notes.push(`${rel(ctx.cwd, dir)}: could not be modelled (${(e as Error).message})`);
    }
  }
  // A problem in a folder of another shard is that shard's; modules outside discovery are read for this shard's roots.
  const listed = new Set(dirs);
  out.problems.push(...problems.filter((p) => !listed.has(path.dirname(p.file)) || keep(path.dirname(p.file))));
}

function rel(cwd: string, p: string): string {
  return path.relative(cwd, p).split(path.sep).join('/') || '.';
}

/** What `terraform init` recorded in `.terraform/modules/modules.json`, per root folder. */
interface ManifestEntry {
  Key: string;
  Source?: string;
  Version?: string;
  Dir: string;
}
type Manifests = Map<string, Map<string, ManifestEntry> | undefined>;

function readManifest(manifests: Manifests, rootDir: string): Map<string, ManifestEntry> | undefined {
  if (manifests.has(rootDir)) return manifests.get(rootDir);
  let out: Map<string, ManifestEntry> | undefined;
  try {
    const doc = JSON.parse(fs.readFileSync(path.join(rootDir, '.terraform', 'modules', 'modules.json'), 'utf8')) as {
      Modules?: unknown;
    };
    if (Array.isArray(doc.Modules)) {
      out = new Map();
      for (const m of doc.Modules as Partial<ManifestEntry>[]) {
        if (m && typeof m.Key === 'string' && m.Key !== '' && typeof m.Dir === 'string')
          out.set(m.Key, m as ManifestEntry);
      }
    }
  } catch {
    out = undefined; // not initialised, or a manifest we cannot read: the module stays unknown
  }
  manifests.set(rootDir, out);
  return out;
}

/** Registry addresses are recorded with or without their host (`registry.terraform.io/ns/name/aws`). */
const registryless = (s: string): string => s.replace(/^(registry\.terraform\.io|registry\.opentofu\.org)\//, '');

/**
 * The folder `terraform init` downloaded a registry or remote module into, so that it is read like
 * a local module. Only a copy recorded for the same source counts: after the source changes and
 * before `terraform init` runs again, the copy on disk is stale (Terraform itself refuses to plan).
 */
function installedModule(
  manifests: Manifests,
  rootDir: string,
  key: string,
  source: string,
): { dir: string } | { note: string } | undefined {
  const entry = readManifest(manifests, rootDir)?.get(key);
  if (!entry) return undefined;
  if (entry.Source !== undefined && registryless(entry.Source) !== registryless(source)) {
    return {
      note: `.terraform/modules holds a copy of ${entry.Source}, not ${source} (run terraform init); not modelled`,
    };
  }
  const dir = path.resolve(rootDir, entry.Dir);
  const data = path.join(rootDir, '.terraform');
  // Only folders terraform init wrote: a manifest that points elsewhere is not followed.
  if (dir !== data && !dir.startsWith(data + path.sep)) return undefined;
  return { dir };
}
