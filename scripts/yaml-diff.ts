// Compares the two YAML readers on every .yaml/.yml file under the given folders and counts where
// their trees differ: npx tsx scripts/yaml-diff.ts ../shared/corpus fixtures
import fs from 'node:fs';
import path from 'node:path';
import { fastLenientYaml, parseSource, SourceFile, type TNode } from '../src/source/parse.js';
import { fastYaml } from '../src/source/yaml-fast.js';

const roots = process.argv.slice(2);
if (!roots.length) {
  console.error('usage: npx tsx scripts/yaml-diff.ts <folder>...');
  process.exit(2);
}
const files: string[] = [];
const walk = (d: string): void => {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory() && e.name !== 'node_modules') walk(p);
    else if (e.isFile() && /\.ya?ml$/.test(e.name)) files.push(p);
  }
};
roots.forEach((r) => walk(path.resolve(r)));

const counts = new Map<string, number>();
const firstSeen = new Map<string, string>();
const note = (kind: string, where: string): void => {
  counts.set(kind, (counts.get(kind) ?? 0) + 1);
  if (!firstSeen.has(kind)) firstSeen.set(kind, where);
};

function compare(a: TNode, b: TNode, where: string, seen: Set<TNode>): void {
  if (seen.has(a)) return; // aliases share nodes
  seen.add(a);
  const at = (o: number): string => `${a.file.position(o).line}:${a.file.position(o).column}`;
  if (a.kind !== b.kind) return note('kind', where);
  if (a.start !== b.start) note(`start of ${a.kind}`, `${where} (${at(a.start)} vs ${at(b.start)})`);
  if (a.end !== b.end) note(`end of ${a.kind}`, `${where} (${at(a.end)} vs ${at(b.end)})`);
  if (a.kind === 'scalar' && !Object.is(a.value, b.value)) note('value', where);
  if (a.tag !== b.tag) note('tag', where);
  const ai = a.items ?? [];
  const bi = b.items ?? [];
  const ae = a.entries ?? [];
  const be = b.entries ?? [];
  if (ai.length !== bi.length || ae.length !== be.length) return note('length', where);
  ai.forEach((x, i) => compare(x, bi[i], `${where}[${i}]`, seen));
  ae.forEach((x, i) => {
    const y = be[i];
    if (x.key !== y.key) note('key', where);
    else if (x.keyStart !== y.keyStart || x.keyEnd !== y.keyEnd) note('key range', `${where}.${x.key}`);
    compare(x.value, y.value, `${where}.${x.key}`, seen);
  });
}

let compared = 0;
let declined = 0;
let reindented = 0;
let bothReject = 0;
let onlyFastAccepts = 0;
for (const file of files) {
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  // The reference: the `yaml` path (the fast path only runs from parseSource; call it directly here).
  const slow = parseSource(file, text, { fast: false });
  let fast: TNode | undefined;
  try {
    fast = fastYaml(new SourceFile(file, text), text, 0, 500, 2_000_000);
  } catch {
    fast = undefined;
  }
  if (!slow.ok) {
    if (fast) onlyFastAccepts++;
    else bothReject++;
    continue;
  }
  if (!fast) {
    // Declined: read re-indented (a flow collection indented no deeper than its key), when that helps.
    const lenient = fastLenientYaml(new SourceFile(file, text), text, 0);
    if (lenient?.ok) {
      compared++;
      reindented++;
      compare(slow.root, lenient.root, path.relative(process.cwd(), file), new Set());
    } else declined++;
    continue;
  }
  compared++;
  compare(slow.root, fast, path.relative(process.cwd(), file), new Set());
}
console.log(
  `files ${files.length}: compared ${compared} (${reindented} of them re-indented), fast path declined ${declined}, both reject ${bothReject}, only the fast path accepts ${onlyFastAccepts}`,
);
for (const [kind, n] of [...counts].sort((x, y) => y[1] - x[1]))
  console.log(`  ${String(n).padStart(6)} ${kind}  e.g. ${firstSeen.get(kind)}`);
