// Package size measurement: folders (sparse files, node_modules, symlinks, early stop), zips (incl. ZIP64) and inline code.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  contributorOf,
  DIRECT_UPLOAD_LIMIT,
  inlineZipSize,
  INLINE_ZIP_LIMIT,
  measureFolder,
  measureZip,
  UNZIPPED_LIMIT,
} from '../src/package/size.js';

const MB = 1024 * 1024;
let tmp: string;

beforeAll(async () => {
  tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'lambdalint-size-'));
});
afterAll(async () => {
  // Restore permissions changed by the unreadable-folder case so the cleanup can remove everything.
  await fs.promises.chmod(path.join(tmp, 'unreadable', 'locked'), 0o755).catch(() => undefined);
  await fs.promises.rm(tmp, { recursive: true, force: true });
});

/** Writes `files` (relative path → text content or byte size; sizes become sparse files) under tmp/name. */
async function tree(name: string, files: Record<string, string | number>): Promise<string> {
  const root = path.join(tmp, name);
  await fs.promises.mkdir(root, { recursive: true });
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    await fs.promises.mkdir(path.dirname(abs), { recursive: true });
    if (typeof content === 'string') {
      await fs.promises.writeFile(abs, content);
    } else {
      await fs.promises.writeFile(abs, '');
      await fs.promises.truncate(abs, content);
    }
  }
  return root;
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

describe('constants', () => {
  it('match the documented Lambda and CloudFormation limits', () => {
    expect(UNZIPPED_LIMIT).toBe(250 * MB);
    expect(DIRECT_UPLOAD_LIMIT).toBe(50 * MB);
    expect(INLINE_ZIP_LIMIT).toBe(4 * MB);
  });
});

describe('contributorOf', () => {
  it('uses first-level entries, and node_modules/<pkg> or node_modules/@scope/pkg', () => {
    expect(contributorOf('index.js')).toBe('index.js');
    expect(contributorOf('src/a/b.js')).toBe('src');
    expect(contributorOf('node_modules/left-pad/index.js')).toBe('node_modules/left-pad');
    expect(contributorOf('node_modules/@aws-sdk/client-s3/dist/x.js')).toBe('node_modules/@aws-sdk/client-s3');
    expect(contributorOf('node_modules/.package-lock.json')).toBe('node_modules/.package-lock.json');
    expect(contributorOf('node_modules/@scope/file')).toBe('node_modules/@scope/file');
    expect(contributorOf('nodejs/node_modules/x/y.js')).toBe('nodejs');
  });
});

describe('measureFolder', () => {
  it('sums a tree with known sizes, including a 300 MB sparse file, and names the biggest contributors', async () => {
    const root = await tree('known', {
      'index.js': 'x'.repeat(100),
      'src/a.js': 1000,
      'src/deep/b.js': 2000,
      'node_modules/left-pad/index.js': 500,
      'node_modules/left-pad/package.json': 20,
      'node_modules/@aws-sdk/client-s3/dist/big.js': 300 * MB,
      'node_modules/@aws-sdk/core/x.js': 10,
      'node_modules/.package-lock.json': 7,
    });
    // The 300 MB file must be sparse (no real disk use) for this test to be cheap; check truncate did that here.
    const big = await fs.promises.stat(path.join(root, 'node_modules/@aws-sdk/client-s3/dist/big.js'));
    expect(big.size).toBe(300 * MB);
    expect(big.blocks * 512).toBeLessThan(MB);

    const r = await measureFolder(root);
    expect(r.bytes).toBe(100 + 1000 + 2000 + 500 + 20 + 300 * MB + 10 + 7);
    expect(r.files).toBe(8);
    expect(r.truncated).toBe(false);
    expect(r.warnings).toEqual([]);
    expect(r.biggest).toEqual([
      { path: 'node_modules/@aws-sdk/client-s3', bytes: 300 * MB },
      { path: 'src', bytes: 3000 },
      { path: 'node_modules/left-pad', bytes: 520 },
    ]);
    expect(r.bytes).toBeGreaterThan(UNZIPPED_LIMIT);
  });

  it('counts empty folders as nothing and an empty tree as zero', async () => {
    const root = await tree('empty', {});
    await fs.promises.mkdir(path.join(root, 'a/b/c'), { recursive: true });
    const r = await measureFolder(root);
    expect(r).toEqual({ bytes: 0, files: 0, biggest: [], truncated: false, warnings: [] });
  });

  it('skips the named folders anywhere in the tree', async () => {
    const root = await tree('skip', {
      'a.js': 10,
      '.git/objects/pack': 5000,
      'lib/.git/HEAD': 3000,
      'lib/b.js': 20,
      'node_modules/x/index.js': 40,
    });
    const r = await measureFolder(root, { skipDirs: ['.git', 'node_modules'] });
    expect(r.bytes).toBe(30);
    expect(r.files).toBe(2);
    const all = await measureFolder(root);
    expect(all.bytes).toBe(8070);
  });

  it('follows symlinks to files and folders', async () => {
    const root = await tree('links', { 'real/a.bin': 1000, 'shared/lib.bin': 300 });
    const pkg = path.join(root, 'pkg');
    await fs.promises.mkdir(pkg);
    await fs.promises.writeFile(path.join(pkg, 'own.js'), 'abc');
    await fs.promises.symlink(path.join(root, 'real/a.bin'), path.join(pkg, 'file-link.bin'));
    await fs.promises.symlink(path.join(root, 'shared'), path.join(pkg, 'dir-link'));
    const r = await measureFolder(pkg);
    expect(r.bytes).toBe(3 + 1000 + 300);
    expect(r.files).toBe(3);
    expect(r.biggest.map((c) => c.path)).toEqual(['file-link.bin', 'dir-link', 'own.js']);
    expect(r.warnings).toEqual([]);
  });

  it('does not hang on a folder symlink that points to its parent, and warns', async () => {
    const root = await tree('loop', { 'a/file.bin': 100, 'top.bin': 1 });
    await fs.promises.symlink('..', path.join(root, 'a/up'));
    await fs.promises.symlink('.', path.join(root, 'self'));
    const r = await measureFolder(root);
    expect(r.bytes).toBe(101);
    expect(r.files).toBe(2);
    expect(r.warnings.length).toBe(2);
    expect(r.warnings.every((w) => w.includes('symlink loop'))).toBe(true);
    expect(r.warnings.join('\n')).toContain('a/up');
  });

  it('detects loops that go through two symlinks', async () => {
    const root = await tree('loop2', { 'a/x.bin': 10, 'b/y.bin': 20 });
    await fs.promises.symlink('../b', path.join(root, 'a/to-b'));
    await fs.promises.symlink('../a', path.join(root, 'b/to-a'));
    const r = await measureFolder(root);
    // a, b, a/to-b (= b, whose to-a loops), b/to-a (= a, whose to-b loops).
    expect(r.bytes).toBe(10 + 20 + 20 + 10);
    expect(r.warnings.length).toBe(2);
    expect(r.warnings.every((w) => w.includes('symlink loop'))).toBe(true);
  });

  it('warns about a symlink to a folder that contains the root', async () => {
    const root = await tree('loop3', { 'pkg/a.bin': 5 });
    await fs.promises.symlink(tmp, path.join(root, 'pkg/outside'));
    const r = await measureFolder(path.join(root, 'pkg'));
    expect(r.bytes).toBe(5);
    expect(r.warnings.join('\n')).toContain('symlink loop: outside');
  });

  it('warns about broken and self-referencing symlinks, and goes on', async () => {
    const root = await tree('broken', { 'ok.bin': 7 });
    await fs.promises.symlink(path.join(root, 'missing'), path.join(root, 'dangling'));
    await fs.promises.symlink('me', path.join(root, 'me'));
    const r = await measureFolder(root);
    expect(r.bytes).toBe(7);
    expect(r.warnings).toHaveLength(2);
    expect(r.warnings.join('\n')).toMatch(/broken symlink: dangling/);
    expect(r.warnings.join('\n')).toMatch(/symlink loop: me/);
  });

  it('stops early once stopAbove is crossed and says so', async () => {
    const files: Record<string, number> = {};
    for (let d = 0; d < 40; d++) for (let f = 0; f < 10; f++) files[`d${d}/f${f}.bin`] = MB;
    const root = await tree('stop', files);
    const full = await measureFolder(root);
    expect(full.bytes).toBe(400 * MB);
    expect(full.truncated).toBe(false);

    const r = await measureFolder(root, { stopAbove: 5 * MB });
    expect(r.truncated).toBe(true);
    expect(r.bytes).toBeGreaterThan(5 * MB);
    expect(r.bytes).toBeLessThan(400 * MB);

    const notCrossed = await measureFolder(root, { stopAbove: 400 * MB });
    expect(notCrossed.truncated).toBe(false);
    expect(notCrossed.bytes).toBe(400 * MB);
  });

  it('returns 0 bytes with a warning for a missing folder', async () => {
    const r = await measureFolder(path.join(tmp, 'does-not-exist'));
    expect(r.bytes).toBe(0);
    expect(r.files).toBe(0);
    expect(r.truncated).toBe(false);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/not found/);
  });

  it('warns when given a file instead of a folder', async () => {
    const root = await tree('file-root', { 'f.txt': 'hi' });
    const r = await measureFolder(path.join(root, 'f.txt'));
    expect(r.bytes).toBe(0);
    expect(r.warnings[0]).toMatch(/not a folder/);
  });

  it('counts many files exactly', async () => {
    const files: Record<string, number> = {};
    let total = 0;
    for (let i = 0; i < 1500; i++) {
      files[`node_modules/p${i % 30}/lib/f${i}.js`] = i;
      total += i;
    }
    const root = await tree('many', files);
    const r = await measureFolder(root);
    expect(r.files).toBe(1500);
    expect(r.bytes).toBe(total);
    expect(r.biggest).toHaveLength(3);
    expect(r.biggest[0].bytes).toBeGreaterThanOrEqual(r.biggest[1].bytes);
    expect(r.biggest[1].bytes).toBeGreaterThanOrEqual(r.biggest[2].bytes);
    expect(r.biggest[0].path).toBe('node_modules/p29');
  });

  it.skipIf(isRoot)(
    'warns about an unreadable folder and counts the rest (skipped as root: root reads everything)',
    async () => {
      const root = await tree('unreadable', { 'ok.bin': 10, 'locked/secret.bin': 1000 });
      await fs.promises.chmod(path.join(root, 'locked'), 0o000);
      try {
        const r = await measureFolder(root);
        expect(r.bytes).toBe(10);
        expect(r.warnings).toHaveLength(1);
        expect(r.warnings[0]).toMatch(/cannot read folder locked: EACCES/);
      } finally {
        await fs.promises.chmod(path.join(root, 'locked'), 0o755);
      }
    },
  );
});

// ---------------------------------------------------------------------------------------------------------------

/** A hand-built ZIP64 archive: one entry whose central-directory sizes live in the 0x0001 extra field. No data. */
function zip64Archive(name: string, uncompressed: bigint, opts: { prefix?: number } = {}): Buffer {
  const nameBuf = Buffer.from(name, 'utf8');
  const prefix = Buffer.alloc(opts.prefix ?? 0, 0x41);
  // Local header (sizes in a ZIP64 extra too), no file data: we claim a compressed size of 0.
  const localExtra = Buffer.alloc(20);
  localExtra.writeUInt16LE(0x0001, 0);
  localExtra.writeUInt16LE(16, 2);
  localExtra.writeBigUInt64LE(uncompressed, 4);
  localExtra.writeBigUInt64LE(0n, 12);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(45, 4);
  local.writeUInt16LE(0x800, 6);
  local.writeUInt32LE(0xffffffff, 18);
  local.writeUInt32LE(0xffffffff, 22);
  local.writeUInt16LE(nameBuf.length, 26);
  local.writeUInt16LE(localExtra.length, 28);
  const localPart = Buffer.concat([local, nameBuf, localExtra]);

  const extra = Buffer.alloc(28);
  extra.writeUInt16LE(0x0001, 0);
  extra.writeUInt16LE(24, 2);
  extra.writeBigUInt64LE(uncompressed, 4); // uncompressed first
  extra.writeBigUInt64LE(0n, 12); // compressed
  extra.writeBigUInt64LE(0n, 20); // local header offset
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE((3 << 8) | 45, 4);
  central.writeUInt16LE(45, 6);
  central.writeUInt16LE(0x800, 8);
  central.writeUInt32LE(0xffffffff, 20);
  central.writeUInt32LE(0xffffffff, 24);
  central.writeUInt16LE(nameBuf.length, 28);
  central.writeUInt16LE(extra.length, 30);
  central.writeUInt32LE((0o100644 << 16) >>> 0, 38);
  central.writeUInt32LE(0xffffffff, 42);
  const cd = Buffer.concat([central, nameBuf, extra]);
  const cdOffset = BigInt(localPart.length);
  const cdSize = BigInt(cd.length);

  const rec = Buffer.alloc(56);
  rec.writeUInt32LE(0x06064b50, 0);
  rec.writeBigUInt64LE(44n, 4);
  rec.writeUInt16LE(45, 12);
  rec.writeUInt16LE(45, 14);
  rec.writeBigUInt64LE(1n, 24);
  rec.writeBigUInt64LE(1n, 32);
  rec.writeBigUInt64LE(cdSize, 40);
  rec.writeBigUInt64LE(cdOffset, 48);
  const loc = Buffer.alloc(20);
  loc.writeUInt32LE(0x07064b50, 0);
  loc.writeBigUInt64LE(cdOffset + cdSize, 8);
  loc.writeUInt32LE(1, 16);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(0xffff, 8);
  eocd.writeUInt16LE(0xffff, 10);
  eocd.writeUInt32LE(0xffffffff, 12);
  eocd.writeUInt32LE(0xffffffff, 16);
  return Buffer.concat([prefix, localPart, cd, rec, loc, eocd]);
}

describe('measureZip', () => {
  const contents: Record<string, Uint8Array> = {
    'index.js': strToU8('exports.handler = async () => 1;\n'),
    'lib/util.js': strToU8('u'.repeat(5000)),
    'lib/deep/more.js': strToU8('m'.repeat(1234)),
    'node_modules/left-pad/index.js': strToU8('p'.repeat(700)),
    'node_modules/@aws-sdk/client-s3/dist/index.js': strToU8('s'.repeat(9000)),
    'empty.txt': new Uint8Array(0),
  };
  const total = Object.values(contents).reduce((n, c) => n + c.length, 0);
  let zipFile: string;
  let zipBytes: Uint8Array;

  beforeAll(async () => {
    // Folder entries (trailing '/') must not count as files.
    zipBytes = zipSync({ ...contents, 'lib/': new Uint8Array(0), 'node_modules/': new Uint8Array(0) }, { level: 6 });
    zipFile = path.join(tmp, 'pkg.zip');
    await fs.promises.writeFile(zipFile, zipBytes);
  });

  it('sums the uncompressed sizes exactly and reports the zip size', async () => {
    const r = await measureZip(zipFile);
    if ('error' in r) throw new Error(r.error);
    expect(r.bytes).toBe(total);
    expect(r.files).toBe(6);
    expect(r.zippedBytes).toBe(zipBytes.length);
    expect(r.zippedBytes).toBeLessThan(total);
    expect(r.truncated).toBe(false);
    expect(r.warnings).toEqual([]);
    expect(r.biggest).toEqual([
      { path: 'node_modules/@aws-sdk/client-s3', bytes: 9000 },
      { path: 'lib', bytes: 6234 },
      { path: 'node_modules/left-pad', bytes: 700 },
    ]);
  });

  it('finds the end record behind an archive comment', async () => {
    const comment = Buffer.from('built by a test '.repeat(100));
    const b = Buffer.from(zipBytes);
    b.writeUInt16LE(comment.length, b.length - 2);
    const file = path.join(tmp, 'comment.zip');
    await fs.promises.writeFile(file, Buffer.concat([b, comment]));
    const r = await measureZip(file);
    if ('error' in r) throw new Error(r.error);
    expect(r.bytes).toBe(total);
  });

  it('reads a zip with data prepended (self-extractor style: shifted offsets)', async () => {
    const file = path.join(tmp, 'prefixed.zip');
    await fs.promises.writeFile(file, Buffer.concat([Buffer.alloc(4096, 7), zipBytes]));
    const r = await measureZip(file);
    if ('error' in r) throw new Error(r.error);
    expect(r.bytes).toBe(total);
    expect(r.files).toBe(6);
  });

  it('reads an empty zip', async () => {
    const file = path.join(tmp, 'empty.zip');
    await fs.promises.writeFile(file, zipSync({}));
    const r = await measureZip(file);
    if ('error' in r) throw new Error(r.error);
    expect(r.bytes).toBe(0);
    expect(r.files).toBe(0);
    expect(r.zippedBytes).toBe(22);
  });

  it('reads ZIP64 records and the 0x0001 extra field', async () => {
    const size = 5n * 1024n * 1024n * 1024n + 123n;
    for (const prefix of [0, 333]) {
      const file = path.join(tmp, `zip64-${prefix}.zip`);
      await fs.promises.writeFile(file, zip64Archive('python/big.bin', size, { prefix }));
      const r = await measureZip(file);
      if ('error' in r) throw new Error(r.error);
      expect(r.bytes).toBe(Number(size));
      expect(r.files).toBe(1);
      expect(r.biggest).toEqual([{ path: 'python', bytes: Number(size) }]);
    }
  });

  it('returns an error for random bytes, never throwing', async () => {
    const file = path.join(tmp, 'random.zip');
    const bytes = Buffer.alloc(70_000);
    let seed = 12345;
    for (let i = 0; i < bytes.length; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      bytes[i] = seed >> 16;
    }
    await fs.promises.writeFile(file, bytes);
    const r = await measureZip(file);
    expect(r).toHaveProperty('error');
    expect((r as { error: string }).error).toMatch(/not a readable zip/);
  });

  it('returns an error for truncated, tiny, damaged, missing and non-file inputs', async () => {
    const cut = path.join(tmp, 'cut.zip');
    await fs.promises.writeFile(cut, zipBytes.subarray(0, zipBytes.length - 10));
    const tiny = path.join(tmp, 'tiny.zip');
    await fs.promises.writeFile(tiny, 'PK');
    // Central directory damaged: overwrite the first central header signature.
    const damaged = Buffer.from(zipBytes);
    const cdOffset = damaged.readUInt32LE(damaged.length - 6);
    damaged.writeUInt32LE(0xdeadbeef, cdOffset);
    const dam = path.join(tmp, 'damaged.zip');
    await fs.promises.writeFile(dam, damaged);
    // Entry count larger than the central directory can hold.
    const lying = Buffer.from(zipBytes);
    lying.writeUInt16LE(60_000, lying.length - 12);
    lying.writeUInt16LE(60_000, lying.length - 14);
    const lie = path.join(tmp, 'lying.zip');
    await fs.promises.writeFile(lie, lying);

    for (const f of [cut, tiny, dam, lie, path.join(tmp, 'nope.zip'), tmp]) {
      const r = await measureZip(f);
      expect(r, f).toHaveProperty('error');
      expect(typeof (r as { error: string }).error).toBe('string');
    }
    expect(((await measureZip(path.join(tmp, 'nope.zip'))) as { error: string }).error).toMatch(/not found/);
  });
});

describe('inlineZipSize', () => {
  it('is positive and smaller than repetitive source', () => {
    const source = 'exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event) });\n'.repeat(
      200,
    );
    const n = inlineZipSize(source);
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(source.length);
    // Close to a real zip of one deflated entry named 'index'.
    const real = zipSync({ index: strToU8(source) }, { level: 9 }).length;
    expect(Math.abs(n - real)).toBeLessThan(32);
  });

  it('never exceeds stored size plus headers, even for incompressible text', () => {
    let s = '';
    let seed = 7;
    for (let i = 0; i < 2000; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      s += String.fromCharCode(33 + (seed % 90));
    }
    expect(inlineZipSize(s)).toBeLessThanOrEqual(s.length + 108);
    expect(inlineZipSize('')).toBeGreaterThan(0);
  });
});
