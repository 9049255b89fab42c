// Parses YAML and JSON templates into one small tree whose every node knows its place in the file.
// CloudFormation short-form tags (!Ref, !GetAtt...) become their long form ({ Ref: ... }) here, so
// nothing downstream cares which form the author used.
import { createRequire } from 'node:module';
import type { Node as YNode } from 'yaml';
import { parseTree, printParseErrorCode, type Node as JNode, type ParseError } from 'jsonc-parser';
import type { SourceRange } from './range.js';
import { LineIndex } from './lines.js';
import { reindentFlowCollections } from './yaml-lenient.js';
import {
  FAST_YAML_MIN_CHARS,
  fastYaml,
  newShared,
  PIECEWISE_MIN_CHARS,
  piecewiseYaml,
  YamlLimitError,
} from './yaml-fast.js';
import { parseEvents } from 'js-yaml';

type YamlModule = typeof import('yaml');
let yamlModule: YamlModule | undefined;
/** The `yaml` package reads only what the fast reader cannot: loaded on first need (about 40 ms). */
function Y(): YamlModule {
  return (yamlModule ??= createRequire(import.meta.url)('yaml') as YamlModule);
}

/** A template's text with its line index (positions for every node and finding). */
export class SourceFile extends LineIndex {}

export type Scalar = string | number | boolean | null;

export interface Entry {
  key: string;
  keyStart: number;
  keyEnd: number;
  value: TNode;
  /** The file the key is written in, when it is not the value's (a serverless.ts key whose value is imported). */
  keyFile?: SourceFile;
}

export interface TNode {
  kind: 'map' | 'seq' | 'scalar';
  file: SourceFile;
  start: number;
  end: number;
  /** Scalars: the value (numbers only when the source wrote an unquoted number). */
  value?: Scalar;
  items?: TNode[];
  entries?: Entry[];
  /** The short-form tag this node came from (`!Ref`), when it did. */
  tag?: string;
}

interface ParseFailure {
  message: string;
  range: SourceRange;
}

export type ParseResult =
  | {
      ok: true;
      root: TNode;
      file: SourceFile;
      /** The parser knows that no node is shared (no YAML alias): duplicateKeys walks a plain tree. */
      aliasFree?: true;
    }
  | { ok: false; error: ParseFailure; file: SourceFile };

const MAX_DEPTH = 500;

export function get(node: TNode | undefined, key: string): TNode | undefined {
  if (!node || node.kind !== 'map' || !node.entries) return undefined;
  let found: TNode | undefined;
  for (const e of node.entries) if (e.key === key) found = e.value; // last wins, as CloudFormation does
  return found;
}

export function entry(node: TNode | undefined, key: string): Entry | undefined {
  if (!node || node.kind !== 'map' || !node.entries) return undefined;
  let found: Entry | undefined;
  for (const e of node.entries) if (e.key === key) found = e;
  return found;
}

/**
 * Range covering `Key: value` when the value is on one line, else the key alone. These ranges are
 * kept as offsets until read (LineIndex.offsetRange): the model holds one per value it read.
 */
export function entryRange(e: Entry): SourceRange {
  const f = e.keyFile ?? e.value.file;
  if (
    f === e.value.file &&
    e.value.start >= e.keyStart &&
    f.lineOf(Math.max(e.value.start, e.value.end)) === f.lineOf(e.keyStart)
  ) {
    return f.offsetRange(e.keyStart, Math.max(e.value.start, e.value.end));
  }
  return f.offsetRange(e.keyStart, e.keyEnd);
}

export function nodeRange(n: TNode): SourceRange {
  return n.file.offsetRange(n.start, n.end);
}

export function keyRange(e: Entry): SourceRange {
  return (e.keyFile ?? e.value.file).offsetRange(e.keyStart, e.keyEnd);
}

/** A key written a second time in one mapping. */
export interface DuplicateKey {
  key: string;
  /** Keys from the root down to the mapping that holds the duplicate (`Resources.Fn.Properties`). */
  path: string[];
  /** The later key: the one whose value `get` and `entry` return. */
  at: SourceRange;
  /** The earlier key, whose value is ignored. */
  first: SourceRange;
}

/**
 * Keys written twice in one mapping. Both parsers keep every pair and `get` reads the last, which
 * is what CloudFormation deploys (it accepts a template with a duplicated key, last value wins:
 * https://github.com/go-to-k/cdk-real-drift/pull/1133 checked it with validate-template and
 * get-template-summary), while YAML 1.2 forbids it ("each of the keys is unique",
 * https://yaml.org/spec/1.2.2/#mapping), cfn-lint rejects it as E0000 "Duplicate found"
 * (src/cfnlint/decode/cfn_yaml.py, cfn_json.py) and the AWS CLI (`aws cloudformation deploy`,
 * brentley/container-demo#11) and the Serverless Framework (serverless/serverless#3277) refuse to
 * read such YAML. YAML merge keys (`<<`) are not duplicates: cfn-lint exempts them too.
 */
export function duplicateKeys(root: TNode, aliasFree = false): DuplicateKey[] {
  const out: DuplicateKey[] = [];
  // Aliases share nodes: each collection is visited once (scalars hold no keys: never remembered,
  // which keeps this set a fraction of a big template's nodes). Without aliases (ParseResult's
  // `aliasFree`) every node is reached once anyway, and the set is not made.
  const seen = aliasFree ? undefined : new Set<TNode>();
  const trail: (string | number)[] = []; // keys, and sequence indexes made into `[i]` only for a finding
  const walk = (n: TNode): void => {
    if (n.kind === 'scalar' || seen?.has(n) || trail.length > MAX_DEPTH) return;
    seen?.add(n);
    if (n.kind === 'seq') {
      const items = n.items ?? [];
      for (let i = 0; i < items.length; i++) {
        trail.push(i);
        walk(items[i]);
        trail.pop();
      }
    }
    if (n.kind !== 'map' || !n.entries) return;
    const entries = n.entries;
    // A map of keys only for a long mapping; a template's are a few keys each, searched in place.
    const firstOf = entries.length > 16 ? new Map<string, Entry>() : undefined;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      let first: Entry | undefined;
      if (firstOf) first = firstOf.get(e.key);
      else for (let j = 0; j < i && !first; j++) if (entries[j].key === e.key) first = entries[j];
      // A short-form tag (`!Ref`) is a map whose key is not written: it cannot be a duplicate.
      if (first && e.key !== '<<' && !n.tag)
        out.push({
          key: e.key,
          path: trail.map((k) => (typeof k === 'number' ? `[${k}]` : k)),
          at: keyRange(e),
          first: keyRange(first),
        });
      else if (!first) firstOf?.set(e.key, e);
      trail.push(e.key);
      walk(e.value);
      trail.pop();
    }
  };
  walk(root);
  return out;
}

function tagToKey(tag: string): string | undefined {
  const name = tag.replace(/^!/, '');
  if (!/^[A-Za-z]+$/.test(name)) return undefined;
  if (name === 'Ref' || name === 'Condition') return name;
  return `Fn::${name}`;
}

export interface ParseOptions {
  /** Read YAML with js-yaml's event parser first (default true); false forces the `yaml` package. */
  fast?: boolean;
}

export function parseSource(path: string, text: string, options: ParseOptions = {}): ParseResult {
  const bom = text.charCodeAt(0) === 0xfeff;
  const file = new SourceFile(path, bom ? ' ' + text.slice(1) : text);
  const trimmed = file.text.trimStart();
  const looksJson = trimmed.startsWith('{') || trimmed.startsWith('[');
  // YAML is read without the byte-order mark (a leading space would indent the first key).
  return looksJson && /\.json$/i.test(path) ? parseJson(file) : parseYaml(file, bom ? 1 : 0, options.fast ?? true);
}

function parseJson(file: SourceFile): ParseResult {
  const errors: ParseError[] = [];
  const tree = parseTree(file.text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length > 0 || !tree) {
    const err = errors[0];
    const at = err ? err.offset : 0;
    return {
      ok: false,
      file,
      error: {
        message: err ? `invalid JSON: ${humanJsonError(printParseErrorCode(err.error))}` : 'invalid JSON: empty file',
        range: file.range(at, at + (err?.length ?? 0)),
      },
    };
  }
  const seen = { depth: 0 };
  try {
    return { ok: true, root: convertJson(file, tree, 0, seen), file, aliasFree: true };
  } catch (e) {
    if (e instanceof LimitError) return { ok: false, file, error: { message: e.message, range: file.range(0, 0) } };
    throw e;
  }
}

function humanJsonError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/**
 * Each node is made as one object literal, its fields in the order the YAML reader gives them
 * (yaml-fast.ts): `{ ...base, kind }` gave every node of a JSON template a hidden class of its own
 * in V8 (a 1.2 MB template: 70,000 of them, 16 MB kept alive beside the tree).
 */
function convertJson(file: SourceFile, n: JNode, depth: number, seen: { depth: number }): TNode {
  if (depth > MAX_DEPTH) throw new LimitError('nesting deeper than 500 levels');
  const start = n.offset;
  const end = n.offset + n.length;
  if (n.type === 'object') {
    const entries: Entry[] = [];
    for (const p of n.children ?? []) {
      const [k, v] = p.children ?? [];
      if (!k || !v) continue;
      entries.push({
        key: String(k.value),
        keyStart: k.offset,
        keyEnd: k.offset + k.length,
        value: convertJson(file, v, depth + 1, seen),
      });
    }
    return { kind: 'map', file, start, end, entries };
  }
  if (n.type === 'array') {
    const items = (n.children ?? []).map((c) => convertJson(file, c, depth + 1, seen));
    return { kind: 'seq', file, start, end, items };
  }
  return { kind: 'scalar', file, start, end, value: n.value as Scalar };
}

function readYaml(text: string) {
  return Y().parseDocument(text, {
    lineCounter: new (Y().LineCounter)(),
    uniqueKeys: false,
    strict: false,
    prettyErrors: false,
    stringKeys: false,
  });
}

/**
 * A text the fast path declines because a flow collection or a quoted scalar is indented no deeper
 * than its key (js-yaml: "deficient indentation"), read by the fast path once re-indented, its
 * offsets mapped back (what the `yaml` path below does with `yaml`, which rejects them too). The
 * `yaml` document model read such a text twice, the second time re-indented: in aws-samples/
 * serverless-patterns 15 templates (330 KB) took about 300 ms of the main thread that way.
 */
export function fastLenientYaml(file: SourceFile, text: string, skip: number): ParseResult | undefined {
  const repaired = reindentFlowCollections(text);
  if (!repaired) return undefined;
  const shared = newShared(2_000_000);
  const root = fastYaml(file, repaired.text, 0, MAX_DEPTH, shared);
  if (!root) return undefined;
  const at = (offset: number): number => repaired.toOriginal(offset) + skip;
  const moved = new Set<TNode>();
  const move = (n: TNode): void => {
    if (moved.has(n)) return; // an alias: the node it names, moved once
    moved.add(n);
    n.start = at(n.start);
    n.end = at(n.end);
    for (const item of n.items ?? []) move(item);
    for (const e of n.entries ?? []) {
      e.keyStart = at(e.keyStart);
      e.keyEnd = at(e.keyEnd);
      move(e.value);
    }
  };
  move(root);
  return shared.aliased ? { ok: true, file, root } : { ok: true, file, root, aliasFree: true };
}

function parseYaml(file: SourceFile, skip: number, fast: boolean): ParseResult {
  const text = skip ? file.text.slice(skip) : file.text;
  if (fast && text.length >= FAST_YAML_MIN_CHARS) {
    // js-yaml's event parser is several times faster than the `yaml` document model (yaml-fast.ts).
    try {
      // A big template is read a piece at a time (one parse tree alive, not the event list too).
      const pieces = newShared(2_000_000);
      const whole = newShared(2_000_000);
      let root = text.length >= PIECEWISE_MIN_CHARS ? piecewiseYaml(file, text, skip, MAX_DEPTH, pieces) : undefined;
      let aliased = pieces.aliased;
      if (!root) {
        root = fastYaml(file, text, skip, MAX_DEPTH, whole);
        aliased = whole.aliased;
      }
      if (root) return aliased ? { ok: true, file, root } : { ok: true, file, root, aliasFree: true };
      const lenient = fastLenientYaml(file, text, skip);
      if (lenient) return lenient;
    } catch (e) {
      if (e instanceof YamlLimitError)
        return { ok: false, file, error: { message: e.message, range: file.range(0, 0) } };
      throw e;
    }
  }
  let doc;
  try {
    doc = readYaml(text);
  } catch (e) {
    // `yaml` recurses per nesting level; a stack overflow means a document nested too deep.
    const message =
      e instanceof RangeError
        ? deeperThan(text, MAX_DEPTH)
          ? `nesting deeper than ${MAX_DEPTH} levels`
          : 'nesting too deep to analyse'
        : `invalid YAML: ${(e as Error).message}`;
    return { ok: false, file, error: { message, range: file.range(0, 0) } };
  }
  let at = (offset: number): number => offset + skip;
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    // Flow collections and quoted scalars indented less than their key: CloudFormation accepts them
    // (yaml-lenient.ts). The repair only adds indentation, and counts only if the result is clean.
    const repaired = doc.errors.some((x) => x.code === 'BAD_INDENT' || x.code === 'MISSING_CHAR')
      ? reindentFlowCollections(text)
      : undefined;
    let retry;
    try {
      retry = repaired ? readYaml(repaired.text) : undefined;
    } catch {
      retry = undefined;
    }
    if (repaired && retry && retry.errors.length === 0) {
      doc = retry;
      at = (offset) => repaired.toOriginal(offset) + skip;
    } else {
      const [s, e] = err.pos.map(at);
      if (/Maximum call stack size exceeded/.test(err.message)) {
        return {
          ok: false,
          file,
          error: {
            message: deeperThan(text, MAX_DEPTH)
              ? `nesting deeper than ${MAX_DEPTH} levels`
              : 'nesting too deep to analyse',
            range: file.range(0, 0),
          },
        };
      }
      return {
        ok: false,
        file,
        error: {
          message: `invalid YAML: ${firstLine(err.message)}`,
          range: file.range(s, Math.max(s, Math.min(e, s + 1))),
        },
      };
    }
  }
  const memo = new Map<YNode, TNode>();
  const contents = doc.contents as YNode | null;
  if (!contents) return { ok: true, file, root: { kind: 'scalar', file, start: 0, end: 0, value: null } };
  let budget = 2_000_000; // nodes; guards against alias bombs and pathological inputs
  const convert = (n: YNode | null | undefined, depth: number): TNode => {
    if (!n) return { kind: 'scalar', file, start: 0, end: 0, value: null };
    if (--budget < 0 || depth > MAX_DEPTH)
      throw new LimitError(depth > MAX_DEPTH ? 'nesting deeper than 500 levels' : 'document too large to analyse');
    if (Y().isAlias(n)) {
      const target = n.resolve(doc) as YNode | undefined;
      if (!target)
        return { kind: 'scalar', file, start: at(n.range?.[0] ?? 0), end: at(n.range?.[1] ?? 0), value: null };
      // Aliases share the converted node, so a billion-laughs document stays linear.
      const done = memo.get(target);
      if (done) return done;
      return convert(target, depth + 1);
    }
    const cached = memo.get(n);
    if (cached) return cached;
    const start = at(n.range?.[0] ?? 0);
    const end = at(n.range?.[1] ?? 0);
    const tagKey = n.tag && !n.tag.startsWith('tag:yaml.org') ? tagToKey(n.tag) : undefined;
    let out: TNode;
    if (Y().isMap(n)) {
      out = { kind: 'map', file, start, end, entries: [] };
      memo.set(n, out);
      for (const p of n.items) {
        if (!Y().isPair(p)) continue;
        const k = p.key as YNode | null;
        const keyText = Y().isScalar(k) ? String(k.value) : k ? String(k) : '';
        const ks = k?.range ? at(k.range[0]) : start;
        const ke = k?.range ? at(k.range[1]) : start;
        out.entries!.push({
          key: keyText,
          keyStart: ks,
          keyEnd: ke,
          value: convert(p.value as YNode | null, depth + 1),
        });
      }
    } else if (Y().isSeq(n)) {
      out = { kind: 'seq', file, start, end, items: [] };
      memo.set(n, out);
      for (const it of n.items) out.items!.push(convert(it as YNode, depth + 1));
    } else if (Y().isScalar(n)) {
      let v = n.value as unknown;
      if (typeof v === 'bigint') v = Number(v);
      if (v instanceof Date) v = n.source ?? v.toISOString();
      out = { kind: 'scalar', file, start, end, value: v === undefined ? null : (v as Scalar) };
      if (typeof out.value === 'object' && out.value !== null) out.value = String(out.value);
      memo.set(n, out);
    } else {
      out = { kind: 'scalar', file, start, end, value: null };
    }
    if (tagKey) {
      const wrapped: TNode = {
        kind: 'map',
        file,
        start,
        end,
        tag: n.tag,
        entries: [
          {
            key: tagKey,
            keyStart: start,
            keyEnd: start,
            value: tagKey === 'Ref' || tagKey === 'Condition' ? out : out,
          },
        ],
      };
      // A short-form tag on an empty node (`!GetAZs ''` is fine; `!Ref` alone is not) keeps the empty value.
      memo.set(n, wrapped);
      return wrapped;
    }
    return out;
  };
  try {
    return { ok: true, file, root: convert(contents, 0) };
  } catch (e) {
    if (e instanceof LimitError) return { ok: false, file, error: { message: e.message, range: file.range(0, 0) } };
    throw e;
  }
}

class LimitError extends Error {}

/** Whether the YAML nests collections deeper than `depth` (js-yaml's parser does not recurse per level). */
function deeperThan(text: string, depth: number): boolean {
  try {
    parseEvents(text, { maxDepth: depth });
    return false;
  } catch (e) {
    return /maxDepth/.test((e as Error).message);
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}
