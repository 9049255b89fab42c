// The loader of CloudFormation and SAM template files (src/load/loader.ts): a template is read,
// parsed (once, through the run's cache) and modelled by ./cloudformation.ts, with the parameter
// values and stack name of a samconfig.toml beside it. The templates of a cloud assembly are read
// the same way (./cdk.ts).
import path from 'node:path';
import { looksLikeTemplate } from '../discover/index.js';
import { duplicateKeys } from '../source/parse.js';
import { isTemplateRoot, loadTemplate } from './cloudformation.js';
import { duplicateKeyProblem, readInput, type LoadContext, type Loader, type LoadOutcome } from './loader.js';
import { samconfigParameters, samconfigStackName } from './samconfig.js';

/**
 * Up to this much template text per run, parses are kept for the permission fixes too (which
 * otherwise read and parse again each template they write into): a project of small templates
 * parses each once, and a big one holds the trees of no more than 512 KB of text for it (about 10 MB more peak memory on
 * bench's 2,000-function project).
 */
const KEEP_FOR_FIXES = 512 * 1024;
const kept = new WeakMap<object, number>();

function keepForFixes(parsed: Map<string, unknown>, text: string): boolean {
  const bytes = (kept.get(parsed) ?? 0) + text.length;
  if (bytes > KEEP_FOR_FIXES) return false;
  kept.set(parsed, bytes);
  return true;
}

/** Reads one template into the model; `cdk` for a stack of a cloud assembly. Never throws for bad input. */
export function loadTemplateFile(
  file: string,
  ctx: LoadContext,
  out: LoadOutcome,
  cdk?: { assemblyDir: string; stackName: string },
): void {
  out.files++;
  // A file named, or listed by a CDK manifest, is a template whatever its content; one found by
  // discovery is read only when it still looks like one.
  const named = cdk !== undefined || ctx.named(file);
  const text = readInput(file, ctx, out, {
    tooBig: (bytes, limit) =>
      `file is ${(bytes / 1048576).toFixed(1)} MB, over the ${(limit / 1048576).toFixed(0)} MB lambdalint reads; CloudFormation accepts at most 1 MB`,
    binary: 'binary file, not a template',
    ...(named ? {} : { looksRight: looksLikeTemplate }),
  });
  if (text === undefined) return;
  const parsed = ctx.parse(file, text);
  if (parsed.ok && ((text.includes('lambdalint') && text.includes('Metadata')) || keepForFixes(out.parsed, text)))
    out.parsed.set(file, parsed);
  if (!parsed.ok) {
    out.problems.push({ file, message: parsed.error.message, range: parsed.error.range });
    return;
  }
  if (!isTemplateRoot(parsed.root)) return;
  out.templates++;
  for (const d of duplicateKeys(parsed.root, parsed.aliasFree))
    out.problems.push(duplicateKeyProblem(file, d, 'cloudformation'));
  try {
    loadTemplate(parsed.root, ctx.model, {
      cwd: ctx.cwd,
      stage: ctx.stage,
      productionNames: ctx.productionNames,
      ...(cdk ? { cdk } : {}),
      parameterOverrides: cdk ? undefined : samconfigParameters(path.dirname(file)),
      stackName: cdk ? cdk.stackName : samconfigStackName(path.dirname(file)),
    });
  } catch (e) {
    out.notes.push(`${ctx.rel(file)}: could not be modelled (${(e as Error).message})`);
  }
}

/** Template files found by discovery or named by the user. */
export const cloudFormationLoader: Loader = {
  inputs: (found) => found.templates,
  load(files, ctx, out) {
    for (const file of files) {
      ctx.step(file);
      loadTemplateFile(file, ctx, out);
    }
  },
};
