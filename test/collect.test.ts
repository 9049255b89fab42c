// src/engine/collect.ts: once a big template is loaded, its dead parse tree is collected. V8 reads
// the `gc` function's arguments differently across versions (Node 20 collects everything only when
// given none, Node 22 and 24 only when given the options), so the collection is checked on each
// Node at hand: this one, and those named by LAMBDALINT_NODE_22 / LAMBDALINT_NODE_24 (.ci/run).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT, nodesAtHand } from './helpers.js';

// A tree of two million small objects (well over 100 MB), dropped, then collected: the heap in use
// must fall below a quarter of what it was with the tree alive.
const CHILD = `
import v8 from 'node:v8';
import { collectGarbage } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'src/engine/collect.ts')).href)};
const used = () => v8.getHeapStatistics().used_heap_size;
let tree = [];
for (let i = 0; i < 2e6; i++) tree.push({ kind: 'scalar', start: i, end: i + 1, value: 'v' + i });
const alive = used();
tree = undefined;
const ran = collectGarbage();
process.stdout.write(JSON.stringify({ ran, alive, after: used(), gcGlobal: typeof globalThis.gc }));
`;

describe('collectGarbage', () => {
  for (const { name, node, usable } of nodesAtHand()) {
    it.skipIf(!usable)(
      `collects a dead tree on ${name}${usable ? '' : ' (skipped: no binary; .ci/run sets it)'}`,
      () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-collect-'));
        const script = path.join(dir, 'child.mts');
        fs.writeFileSync(script, CHILD);
        const r = spawnSync(
          node!,
          ['--import', pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href, script],
          { encoding: 'utf8', timeout: 60_000 },
        );
        fs.rmSync(dir, { recursive: true, force: true });
        expect(r.stderr).toBe('');
        const out = JSON.parse(r.stdout) as { ran: boolean; alive: number; after: number; gcGlobal: string };
        expect(out.ran).toBe(true);
        expect(out.alive).toBeGreaterThan(100 * 1024 * 1024);
        expect(out.after).toBeLessThan(out.alive / 4);
        // The flag is set only while one context is made: this context never gets a global gc.
        expect(out.gcGlobal).toBe('undefined');
      },
    );
  }
});
