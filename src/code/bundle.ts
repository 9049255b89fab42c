// A deployed bundle (esbuild or webpack output: a cdk.out asset's index.js) and what it was built
// from. Two sources of truth, both written by the bundler itself:
// - a source map (`//# sourceMappingURL=` to a file or a data: URL; Source Map v3, https://tc39.es/ecma426/):
//   `sources` names every input file, `mappings` places each piece of output in one of them;
// - esbuild's region comments: without minification, esbuild writes `// <input path>` (relative to its
//   working directory) before the output of each input file (https://esbuild.github.io/api/#legal-comments
//   and the output of any non-minified build; the code of `node_modules/...` inputs is the bundled dependencies).
// From them lambdalint finds the sources on disk (to analyse them, on their own lines) and, when only
// the bundle exists, which of its lines are bundled dependency code, whose SDK calls are not the handler's.
import fs from 'node:fs';
import path from 'node:path';

export interface BundleInfo {
  /** Input files of the bundle outside node_modules that exist on disk (absolute), in the bundle's order. */
  sources: string[];
  /** Every input file outside node_modules the bundle names, as written (to say which are missing). */
  named: string[];
  /** Whether a place in the bundle (1-based line, 1-based column) is the code of a bundled node_modules package. */
  inDependency(line: number, column: number): boolean;
  /** How the bundle's inputs were told: a source map, or esbuild's region comments. */
  via: 'sourcemap' | 'comments' | 'none';
}

const REGION = /^\/\/ ((?:[\w@.~+-]+\/)*[\w@.~+-]+\.(?:[cm]?[jt]sx?|json|node))$/;
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_VALUE = new Map([...B64].map((c, i) => [c, i]));

const isDependency = (p: string): boolean => /(^|[\\/])node_modules[\\/]/.test(p);
const isFile = (p: string): boolean => {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
};

/**
 * Decodes Source Map v3 `mappings` (base64 VLQ; ECMA-426 §"Mappings structure") into, per generated
 * line, the generated columns (0-based) where a segment starts and the index of its source (-1: none).
 */
export function decodeMappings(mappings: string): { cols: number[]; srcs: number[] }[] {
  const lines: { cols: number[]; srcs: number[] }[] = [];
  let cur = { cols: [] as number[], srcs: [] as number[] };
  let src = 0;
  let i = 0;
  const n = mappings.length;
  while (i <= n) {
    const ch = mappings[i];
    if (i === n || ch === ';') {
      lines.push(cur);
      cur = { cols: [], srcs: [] };
      i++;
      continue;
    }
    if (ch === ',') {
      i++;
      continue;
    }
    // One segment: up to five VLQ fields; the column is relative within the line, the rest across it.
    const fields: number[] = [];
    while (i < n && mappings[i] !== ',' && mappings[i] !== ';') {
      let value = 0;
      let shift = 0;
      for (;;) {
        const d = B64_VALUE.get(mappings[i++]);
        if (d === undefined) return lines; // malformed: keep what was read
        value += (d & 31) << shift;
        if (!(d & 32)) break;
        shift += 5;
      }
      fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
    }
    const prevCol = cur.cols.length ? cur.cols[cur.cols.length - 1] : 0;
    cur.cols.push(prevCol + (fields[0] ?? 0));
    if (fields.length >= 4) {
      src += fields[1];
      cur.srcs.push(src);
    } else cur.srcs.push(-1);
  }
  return lines;
}

interface RawMap {
  sources?: unknown;
  sourceRoot?: unknown;
  mappings?: unknown;
}

function readMap(file: string, text: string): { map: RawMap; dir: string } | undefined {
  const url = mapUrl(text);
  try {
    if (url?.startsWith('data:')) {
      const comma = url.indexOf(',');
      const body = url.slice(comma + 1);
      const json = /;base64$/.test(url.slice(0, comma))
        ? Buffer.from(body, 'base64').toString('utf8')
        : decodeURIComponent(body);
      return { map: JSON.parse(json) as RawMap, dir: path.dirname(file) };
    }
    const mapFile =
      url && !/^[a-z]+:/i.test(url) ? path.resolve(path.dirname(file), decodeURIComponent(url)) : `${file}.map`;
    if (!isFile(mapFile) || fs.statSync(mapFile).size > 64 * 1024 * 1024) return undefined;
    return { map: JSON.parse(fs.readFileSync(mapFile, 'utf8')) as RawMap, dir: path.dirname(mapFile) };
  } catch {
    return undefined; // unreadable or not JSON: the comments are the fallback
  }
}

/** esbuild's region comments (`// <input path>`) of a text, by 1-based line. */
function regionComments(text: string): { line: number; path: string }[] {
  const lines = text.split('\n');
  const out: { line: number; path: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.length < 4 || l.charCodeAt(0) !== 47 || l.charCodeAt(1) !== 47) continue;
    const r = REGION.exec(l.replace(/\r$/, ''));
    if (r) out.push({ line: i + 1, path: r[1] });
  }
  return out;
}

/** The source map comment at the end of a bundle, if any: its URL. */
const mapUrl = (text: string): string | undefined => /\/\/[#@] sourceMappingURL=(\S+)\s*$/.exec(text.slice(-4096))?.[1];

/**
 * Whether a text names what it was bundled from in itself (a source map comment, region comments).
 * Without either, `readBundle` learns something only from a `<file>.map` beside it.
 */
export function namesItsSources(text: string): boolean {
  if (mapUrl(text) !== undefined) return true;
  // The lines that start with `//` (as regionComments reads them, without splitting the whole text).
  for (let i = text.startsWith('//') ? 0 : text.indexOf('\n//'); i >= 0; i = text.indexOf('\n//', i + 1)) {
    const start = text.charCodeAt(i) === 10 ? i + 1 : i;
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end < 0 ? text.length : end);
    if (line.length >= 4 && REGION.test(line.replace(/\r$/, ''))) return true;
  }
  return false;
}

/**
 * Reads a bundle's inputs. `roots` are the folders esbuild may have run in (region comments are
 * relative to its working directory: for a CDK NodejsFunction, the project folder that holds the lock
 * file), tried in order; `within` bounds where sources may be (the project).
 */
export function readBundle(file: string, text: string, roots: string[], within: (p: string) => boolean): BundleInfo {
  // Region comments: line → input path, from each comment to the next.
  const regionStarts = regionComments(text);
  const regionAt = (line: number): string | undefined => {
    let lo = 0;
    let hi = regionStarts.length - 1;
    let found: string | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (regionStarts[mid].line <= line) {
        found = regionStarts[mid].path;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };

  const raw = readMap(file, text);
  const mapSources = Array.isArray(raw?.map.sources)
    ? (raw!.map.sources as unknown[]).map((s) => (typeof s === 'string' ? s : ''))
    : undefined;
  if (raw && mapSources && typeof raw.map.mappings === 'string') {
    const root = typeof raw.map.sourceRoot === 'string' ? raw.map.sourceRoot : '';
    const decoded = decodeMappings(raw.map.mappings);
    const abs = mapSources
      .map((s) => (s.startsWith('webpack://') ? s.replace(/^webpack:\/\/[^/]*\//, '') : s))
      .map((s) => path.resolve(raw.dir, root, s));
    const dep = mapSources.map(isDependency);
    const own = abs.filter((_, i) => !dep[i] && mapSources[i] !== '');
    // Docker bundling (CDK) compiles in /asset-input, the project folder: read the rest of the path from the roots.
    const onDisk = own
      .map((p) => (isFile(p) && within(p) ? p : relocate(p, roots, within)))
      .filter((p): p is string => !!p);
    return {
      sources: [...new Set(onDisk)],
      named: own,
      via: 'sourcemap',
      inDependency(line, column) {
        const segs = decoded[line - 1];
        if (segs && segs.cols.length) {
          let k = -1;
          for (let lo = 0, hi = segs.cols.length - 1; lo <= hi;) {
            const mid = (lo + hi) >> 1;
            if (segs.cols[mid] <= column - 1) {
              k = mid;
              lo = mid + 1;
            } else hi = mid - 1;
          }
          const s = k >= 0 ? segs.srcs[k] : segs.srcs[0];
          if (s !== undefined && s >= 0) return dep[s] ?? false;
        }
        const r = regionAt(line);
        return r !== undefined && isDependency(r);
      },
    };
  }
  if (!regionStarts.length) return { sources: [], named: [], via: 'none', inDependency: () => false };
  const named = [...new Set(regionStarts.map((r) => r.path).filter((p) => !isDependency(p)))];
  let sources: string[] = [];
  for (const dir of roots) {
    const found = named.map((p) => path.resolve(dir, p)).filter((p) => within(p) && isFile(p));
    if (found.length > sources.length) sources = found;
    if (found.length === named.length) break;
  }
  return {
    sources,
    named,
    via: 'comments',
    inDependency(line) {
      const r = regionAt(line);
      return r !== undefined && isDependency(r);
    },
  };
}

/** `/asset-input/lambda/index.ts` (a path inside the bundling container) → the same path under a root. */
function relocate(p: string, roots: string[], within: (p: string) => boolean): string | undefined {
  const parts = p.split(/[\\/]/);
  const at = parts.indexOf('asset-input');
  if (at < 0) return undefined;
  const rest = parts.slice(at + 1).join(path.sep);
  for (const r of roots) {
    const c = path.join(r, rest);
    if (within(c) && isFile(c)) return c;
  }
  return undefined;
}
