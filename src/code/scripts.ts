// Deployment scripts beside a template: `aws lambda update-function-code` / `update-function-
// configuration` commands in package.json scripts and shell scripts, which change a function's
// $LATEST in place unless `--publish` is given (docs/FACTS.md §8).
import fs from 'node:fs';
import path from 'node:path';
import type { Model, ScriptUpdate } from '../model/types.js';
import { lookupBy } from '../model/lookup.js';

const COMMAND = /\baws\s+lambda\s+(update-function-code|update-function-configuration)\b([^\n;&|]*)/g;
const MAX_BYTES = 512 * 1024;

function read(file: string): string | undefined {
  try {
    const st = fs.statSync(file);
    if (!st.isFile() || st.size > MAX_BYTES) return undefined;
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** Scripts of the folder that declares a deployment: package.json and *.sh there and in scripts/. */
function scriptFiles(dir: string): string[] {
  const out: string[] = [];
  for (const d of [dir, path.join(dir, 'scripts')]) {
    let names: string[];
    try {
      names = fs.readdirSync(d);
    } catch {
      continue;
    }
    for (const n of names.sort()) if (n === 'package.json' || n.endsWith('.sh')) out.push(path.join(d, n));
  }
  return out;
}

export function findScriptUpdates(model: Model, within: (file: string) => boolean): void {
  const seen = new Set<string>();
  const byName = lookupBy(model.functions, (f) => f.name?.value);
  for (const deployment of model.deployments) {
    const dir = path.dirname(deployment.file);
    for (const file of scriptFiles(dir)) {
      if (!within(file)) continue;
      const text = read(file);
      if (!text || !text.includes('aws lambda')) continue;
      for (const m of text.matchAll(COMMAND)) {
        const args = m[2];
        const name = /--function-name[\s=]+["']?([A-Za-z0-9_:.$-]+)["']?/.exec(args)?.[1];
        if (!name) continue;
        const bare = name.replace(/^arn:[^:]+:lambda:[^:]*:[^:]*:function:/, '').split(':')[0];
        const fn = byName(deployment, bare);
        const key = `${file}:${m.index}:${fn?.id}`;
        if (!fn || seen.has(key)) continue;
        seen.add(key);
        const start = m.index ?? 0;
        const end = start + m[0].replace(/[\s"',]+$/, '').length; // not the JSON string's closing quote
        const update: ScriptUpdate = {
          deployment,
          functionId: fn.id,
          command: `aws lambda ${m[1]}`,
          publishes: m[1] === 'update-function-code' && /--publish\b/.test(args) && !/--no-publish\b/.test(args),
          origin: { via: 'direct', range: { file, start: position(text, start), end: position(text, end) } },
        };
        model.scriptUpdates.push(update);
      }
    }
  }
}
