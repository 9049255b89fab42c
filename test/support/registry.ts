// A local npm registry for install-level tests, so that they never reach the network: it serves a
// packument for every package in npm-shrinkwrap.json (the versions locked there) and their tarballs
// from npm's own cache (~/.npm/_cacache, filled by `npm ci`). npm then installs lambdalint's tarball
// (or git clone) the way a user's npm would, resolving the dependency ranges against this registry.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';

interface LockEntry {
  version?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, unknown>;
  bin?: Record<string, string> | string;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  engines?: Record<string, string>;
  hasInstallScript?: boolean;
  link?: boolean;
  name?: string;
}

export interface LocalRegistry {
  url: string;
  /** Environment for npm (and programs that run npm, such as pre-commit) to use only this registry. */
  env: Record<string, string>;
  close(): Promise<void>;
}

function npmCacheDir(): string {
  try {
    return execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim();
  } catch {
    return path.join(os.homedir(), '.npm');
  }
}

/** Where cacache keeps the content with this integrity (sha512 base64). */
function contentPath(cache: string, integrity: string): string | undefined {
  const m = /^(sha\d+)-([A-Za-z0-9+/=]+)/.exec(integrity);
  if (!m) return undefined;
  const hex = Buffer.from(m[2], 'base64').toString('hex');
  return path.join(cache, '_cacache', 'content-v2', m[1], hex.slice(0, 2), hex.slice(2, 4), hex.slice(4));
}

export async function startRegistry(lockFile: string, npmrcDir: string): Promise<LocalRegistry> {
  const lock = JSON.parse(fs.readFileSync(lockFile, 'utf8')) as { packages: Record<string, LockEntry> };
  const cache = npmCacheDir();
  const byName = new Map<string, Map<string, LockEntry>>();
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (!key || entry.link || !entry.version) continue;
    const name = entry.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    if (!byName.has(name)) byName.set(name, new Map());
    byName.get(name)!.set(entry.version, entry);
  }
  let base = '';
  // Tarballs at the registry's usual address, /<name>/-/<basename>-<version>.tgz: a lock file
  // without `resolved` URLs makes npm ask for exactly that.
  const tarballPath = (name: string, v: string) => `/${name}/-/${name.split('/').pop()}-${v}.tgz`;
  const tarballs = new Map<string, string>();
  for (const [name, versions] of byName) {
    for (const [v, e] of versions) {
      const content = e.integrity ? contentPath(cache, e.integrity) : undefined;
      if (content) tarballs.set(tarballPath(name, v), content);
    }
  }
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent((req.url ?? '/').split('?')[0]);
    const tar = tarballs.get(url);
    if (tar) {
      if (!fs.existsSync(tar)) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      fs.createReadStream(tar).pipe(res);
      return;
    }
    const name = url.slice(1);
    const versions = byName.get(name);
    if (!versions) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    const doc: Record<string, unknown> = { name, 'dist-tags': { latest: [...versions.keys()].pop() }, versions: {} };
    for (const [v, e] of versions) {
      const file = tarballPath(name, v);
      (doc.versions as Record<string, unknown>)[v] = {
        name,
        version: v,
        dependencies: e.dependencies,
        optionalDependencies: e.optionalDependencies,
        peerDependencies: e.peerDependencies,
        peerDependenciesMeta: e.peerDependenciesMeta,
        bin: e.bin,
        os: e.os,
        cpu: e.cpu,
        libc: e.libc,
        engines: e.engines,
        hasInstallScript: e.hasInstallScript,
        dist: { tarball: `${base}${file.slice(1)}`, integrity: e.integrity },
      };
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  // A user config of its own, so that no ~/.npmrc (another registry, a token) takes part.
  const userconfig = path.join(npmrcDir, 'npmrc');
  fs.writeFileSync(userconfig, `registry=${base}\n`);
  return {
    url: base,
    env: {
      npm_config_registry: base,
      NPM_CONFIG_REGISTRY: base,
      npm_config_userconfig: userconfig,
      NPM_CONFIG_USERCONFIG: userconfig,
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
      // Not prefer-offline: npm caches packuments by URL, and a port an earlier run's registry used
      // (with another lock file) would answer from that stale copy ("No matching version found").
      npm_config_prefer_offline: 'false',
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
