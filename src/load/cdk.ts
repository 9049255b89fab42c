// Synthesized CDK output: manifest.json lists the stacks (and nested assemblies of CDK Stages). The
// loader (src/load/loader.ts) reads each stack's template as a template file
// (./cloudformation-loader.ts) of framework cdk.
import fs from 'node:fs';
import path from 'node:path';
import { loadTemplateFile } from './cloudformation-loader.js';
import type { Loader } from './loader.js';

interface AssemblyStack {
  stackName: string;
  template: string;
  assemblyDir: string;
}

interface AssemblyProblem {
  file: string;
  message: string;
}

function readAssembly(dir: string, depth = 0): { stacks: AssemblyStack[]; problems: AssemblyProblem[] } {
  const manifestPath = path.join(dir, 'manifest.json');
  const out = { stacks: [] as AssemblyStack[], problems: [] as AssemblyProblem[] };
  if (depth > 8) return out;
  let manifest: unknown;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  } catch (e) {
    out.problems.push({ file: manifestPath, message: `cannot read the CDK manifest: ${(e as Error).message}` });
    return out;
  }
  const artifacts = (
    manifest as {
      artifacts?: Record<string, { type?: string; properties?: Record<string, unknown>; displayName?: string }>;
    }
  )?.artifacts;
  if (!artifacts || typeof artifacts !== 'object') return out;
  for (const [id, a] of Object.entries(artifacts)) {
    if (!a || typeof a !== 'object') continue;
    if (a.type === 'aws:cloudformation:stack' && typeof a.properties?.templateFile === 'string') {
      const template = path.resolve(dir, a.properties.templateFile);
      if (!template.startsWith(path.resolve(dir) + path.sep)) {
        // Never read outside the assembly; say so rather than skip silently.
        out.problems.push({
          file: manifestPath,
          message: `the stack ${id} points at ${a.properties.templateFile}, outside the cloud assembly; not read`,
        });
        continue;
      }
      out.stacks.push({ stackName: a.displayName ?? id, template, assemblyDir: dir });
    } else if (a.type === 'cdk:cloud-assembly' && typeof a.properties?.directoryName === 'string') {
      const nested = path.resolve(dir, a.properties.directoryName);
      if (!nested.startsWith(path.resolve(dir) + path.sep)) {
        out.problems.push({
          file: manifestPath,
          message: `the nested assembly ${id} points at ${a.properties.directoryName}, outside the cloud assembly; not read`,
        });
        continue;
      }
      const inner = readAssembly(nested, depth + 1);
      out.stacks.push(...inner.stacks);
      out.problems.push(...inner.problems);
    }
  }
  return out;
}

/** Cloud assembly folders (cdk.out): each stack the manifest lists. */
export const cdkLoader: Loader = {
  inputs: (found) => found.assemblies,
  load(dirs, ctx, out) {
    for (const dir of dirs) {
      ctx.step(dir);
      const { stacks, problems } = readAssembly(dir);
      out.problems.push(...problems);
      for (const s of stacks) {
        if (!fs.existsSync(s.template)) {
          out.notes.push(
            `${ctx.rel(dir)}: the manifest lists ${path.basename(s.template)}, which is not there (synthesize again)`,
          );
          continue;
        }
        loadTemplateFile(s.template, ctx, out, { assemblyDir: s.assemblyDir, stackName: s.stackName });
      }
    }
  },
};
