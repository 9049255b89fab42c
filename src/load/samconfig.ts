// samconfig.toml parameter_overrides (default environment, deploy command): the values `sam deploy`
// passes to template parameters, which decide e.g. whether the stack is production.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** smol-toml is loaded only when a samconfig.toml exists (its CommonJS build: one file, not nine). */
let toml: typeof import('smol-toml') | undefined;
const parse = (text: string): unknown =>
  (toml ??= createRequire(import.meta.url)('smol-toml') as typeof import('smol-toml')).parse(text);

const cache = new Map<string, Record<string, string> | undefined>();
const docs = new Map<string, Record<string, unknown> | undefined>();

/** The default environment's deploy (else global) parameters of dir/samconfig.toml, read once. */
function deployParameters(dir: string): Record<string, unknown> | undefined {
  if (docs.has(dir)) return docs.get(dir);
  let params: Record<string, unknown> | undefined;
  try {
    const text = fs.readFileSync(path.join(dir, 'samconfig.toml'), 'utf8');
    const doc = parse(text) as Record<string, Record<string, Record<string, Record<string, unknown>>>>;
    params = doc.default?.deploy?.parameters ?? doc.default?.global?.parameters ?? {};
  } catch {
    params = undefined;
  }
  docs.set(dir, params);
  return params;
}

/** The `stack_name` `sam deploy` uses (samconfig.toml), which `${AWS::StackName}` stands for. */
export function samconfigStackName(dir: string): string | undefined {
  const name = deployParameters(dir)?.stack_name;
  return typeof name === 'string' && name ? name : undefined;
}

export function samconfigParameters(dir: string): Record<string, string> | undefined {
  if (cache.has(dir)) return cache.get(dir);
  let result: Record<string, string> | undefined;
  try {
    const params = deployParameters(dir);
    if (!params) throw new Error('no samconfig.toml');
    const raw = params.parameter_overrides;
    const items = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? splitOverrides(raw) : [];
    result = {};
    for (const item of items) {
      const eq = item.indexOf('=');
      if (eq > 0) result[item.slice(0, eq).trim()] = unquote(item.slice(eq + 1).trim());
    }
  } catch {
    result = undefined; // no samconfig.toml, or one we cannot read: nothing to apply
  }
  cache.set(dir, result);
  return result;
}

/** `A=1 B="two words"` → ['A=1', 'B="two words"'] */
function splitOverrides(s: string): string[] {
  return s.match(/[^\s=]+=(?:"(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g) ?? [];
}

function unquote(v: string): string {
  if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")))
    return v.slice(1, -1).replace(/\\"/g, '"');
  return v;
}
