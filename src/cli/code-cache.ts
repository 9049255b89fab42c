// Loads the CLI's engine (prebuilt/cli-engine.cjs, 1.1 MB) with V8's code cache, on every Node
// version. Compiling the engine's source was about a tenth of a 52-template run on Node 20, which
// has no compile cache of its own (module.enableCompileCache is Node 22.1+), and the functions the
// run then compiled on first call as much again. Node's own cache, on 22+, is made right after
// the script is compiled, so it holds the top level and not the functions a run compiles later;
// this one is made when the process exits (vm.Script#createCachedData,
// https://nodejs.org/api/vm.html#scriptcreatecacheddata), with every function the run compiled.
//
// The engine is a CommonJS file run as Node runs one (its wrapper's five arguments), compiled by
// vm.Script with the cached data. V8 checks that data against its own version, its flags and the
// source's length, not the source's text: the file holding it is named after the engine file's
// path, size, inode and times (an edited or reinstalled file has a new ctime), the Node version
// and the flags the caller names (a big run's WebAssembly flags), so data made from other text, or
// under other flags, is never offered. Data V8 rejects, or none, is made at exit and written beside
// (a temporary file renamed over, so that concurrent runs never read half a file); older data of
// the same engine file is removed then. Nothing here ever fails a run: a cache folder that cannot
// be made or written, or one another user could write to, means a run without the cache.
//
// Where: NODE_COMPILE_CACHE's folder if set, else Node's default for module.enableCompileCache
// (os.tmpdir()/node-compile-cache), in a folder of its own per user (mode 700, checked to be the
// user's and writable by no one else before anything is read from it). NODE_DISABLE_COMPILE_CACHE
// turns it off, as it turns off Node's.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type vm from 'node:vm';
import { fnv1a } from '../source/builtins.js';

/** A short, stable name for a text (8 hex digits): file names, not security. */
function fnv(text: string): string {
  return fnv1a(text).toString(16).padStart(8, '0');
}

/** The user's cache folder, when it is there (or could be made) and no one else can write to it. */
function cacheDir(env: NodeJS.ProcessEnv): string | undefined {
  if (env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  const uid = process.getuid?.();
  const base = env.NODE_COMPILE_CACHE || path.join(os.tmpdir(), 'node-compile-cache');
  const dir = path.join(base, `lambdalint-${uid ?? 'user'}`);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.lstatSync(dir);
    if (!st.isDirectory()) return undefined;
    // POSIX: the user's own folder, which no other user can write to.
    if (uid !== undefined && (st.uid !== uid || (st.mode & 0o022) !== 0)) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}

/**
 * Runs a CommonJS file (ASCII, as prebuilt/ is: test/install.test.ts) and returns its exports,
 * compiled with V8's code cache when there is one for this very file. `flags` names V8 flags the
 * caller set otherwise than in other runs: their data is kept apart (V8 rejects data made under
 * other flags).
 */
export function requireCached(file: string, env: NodeJS.ProcessEnv = process.env, flags = ''): unknown {
  // latin1: a copy of the bytes into a one-byte string, with no UTF-8 decoding (the file is ASCII).
  const source = fs.readFileSync(file, 'latin1');
  const dir = cacheDir(env);
  let cacheFile: string | undefined;
  let cachedData: Buffer | undefined;
  if (dir) {
    try {
      const st = fs.statSync(file, { bigint: true });
      // Named by the file and the Node that compiled it (older data of both is removed when new data
      // is written), then by the file's state.
      const version = `${file} ${process.version} ${process.arch}${flags && ` ${flags}`}`;
      const key = [st.size, st.ino, st.dev, st.mtimeNs, st.ctimeNs].join(' ');
      cacheFile = path.join(dir, `${fnv(version)}-${fnv(key)}-${fnv(`${key} ${version}`)}.bin`);
      cachedData = fs.readFileSync(cacheFile);
    } catch {
      // No data yet for this file (or no stat): compiled from the source.
    }
  }
  // node:vm loaded here, not at the top: a run with nothing to lint does without it.
  const { Script } = process.getBuiltinModule('node:vm');
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) {${source}\n})`,
    cachedData ? { filename: file, cachedData } : { filename: file },
  );
  const module = { exports: {} as unknown };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  if (dir && cacheFile && (!cachedData || script.cachedDataRejected)) {
    const target = cacheFile;
    process.once('exit', () => writeCache(dir, target, script));
  }
  return module.exports;
}

/**
 * Writes the script's code cache (made now, with every function compiled so far), and removes the
 * older ones of the same file and Node.
 */
function writeCache(dir: string, target: string, script: vm.Script): void {
  try {
    const data = script.createCachedData();
    const tmp = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, data, { mode: 0o600 });
    fs.renameSync(tmp, target);
    const name = path.basename(target);
    const prefix = name.slice(0, name.indexOf('-') + 1);
    for (const old of fs.readdirSync(dir))
      if (old.startsWith(prefix) && old !== name && old.endsWith('.bin'))
        fs.rmSync(path.join(dir, old), { force: true });
  } catch {
    // A full disk or a folder made read-only meanwhile: the next run compiles again.
  }
}
