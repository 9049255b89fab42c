// src/cli/jit.ts: the CLI holds back V8's optimizing compiler with two V8 flags. V8 prints an error
// for a flag it does not know, so each Node at hand (this one, and those named by
// LAMBDALINT_NODE_22 / LAMBDALINT_NODE_24, which .ci/run sets) must take both without a word.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT, nodesAtHand } from './helpers.js';

const CHILD = `
import { tuneJit } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'src/cli/jit.ts')).href)};
process.stdout.write(JSON.stringify({ tuned: tuneJit(), v8: process.versions.v8 }));
`;

const TSX = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

describe('tuneJit', () => {
  for (const { name, node, usable } of nodesAtHand()) {
    it.skipIf(!usable)(
      `sets its flags quietly on ${name}${usable ? '' : ' (skipped: no binary; .ci/run sets it)'}`,
      () => {
        const r = spawnSync(node!, ['--import', TSX, '--input-type=module', '-e', CHILD], {
          encoding: 'utf8',
          timeout: 60_000,
        });
        expect(r.stderr).toBe('');
        const out = JSON.parse(r.stdout) as { tuned: boolean; v8: string };
        expect(out.tuned).toBe(true);
      },
    );
  }
});
