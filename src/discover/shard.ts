// --shard i/n: the i-th of n shares of a monorepo's projects, for CI jobs that each lint one share
// (a GitHub Actions matrix). A project is a folder holding templates, serverless files, .tf files
// or a cdk.out: everything discovery finds in one folder goes to the same share. The share of a
// folder depends on its path (relative to the working directory, with / separators) and on n only,
// so a project stays in its share when other projects come and go, on every machine.
import path from 'node:path';
import type { Discovered } from './index.js';
import { fnv1a } from '../source/builtins.js';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** `2/4` → { index: 2, count: 4 }; a message for anything else. */
export function parseShard(text: string): Shard | string {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count)
    return `--shard takes i/n with 1 <= i <= n (for example 1/4), not '${text}'`;
  return { index, count };
}

/** Which share (1-based) the project folder `dir` belongs to. */
export function shardOfFolder(cwd: string, dir: string, count: number): number {
  const key = path.relative(cwd, dir).split(path.sep).join('/') || '.';
  return (fnv1a(key) % count) + 1;
}

/** Whether the project folder `dir` is in the shard. */
export function inShard(shard: Shard, cwd: string, dir: string): boolean {
  return shardOfFolder(cwd, dir, shard.count) === shard.index;
}

/**
 * What discovery found, limited to the shard's projects. Terraform folders stay all listed: the
 * Terraform loader needs every folder to tell root modules from the modules they call, and loads
 * only the roots of the shard (LintOptions.shard, src/lint.ts).
 */
export function shardDiscovered(found: Discovered, cwd: string, shard: Shard): Discovered {
  const mine = (dir: string) => inShard(shard, cwd, dir);
  return {
    ...found,
    templates: found.templates.filter((f) => mine(path.dirname(f))),
    serverless: found.serverless.filter((f) => mine(path.dirname(f))),
    assemblies: found.assemblies.filter((d) => mine(path.dirname(d))),
    cdkApps: found.cdkApps.filter((f) => mine(path.dirname(f))),
  };
}

/**
 * The shard's own projects, its Terraform folders included: what it parses and lints (of the other
 * folders the Terraform loader parses only the files that may call a module).
 */
export function shardOwn(found: Discovered, cwd: string, shard: Shard): Discovered {
  const own = shardDiscovered(found, cwd, shard);
  return { ...own, terraform: own.terraform.filter((d) => inShard(shard, cwd, d)) };
}
