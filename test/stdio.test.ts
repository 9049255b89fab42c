// The CLI writes to a pipe, a socket or a file with fs.writeSync, without building Node's stream for
// it, and falls back to the stream for the rest of a text, and for every later one, once a direct
// write fails (src/cli/stdio.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writerTo } from '../src/cli/stdio.js';

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-stdio-')));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A stand-in for process.stdout that keeps what it is given, and counts how often it was asked for. */
function fakeStream() {
  const got: string[] = [];
  let asked = 0;
  const stream = {
    write: (chunk: string | Uint8Array) => {
      got.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    },
  } as unknown as NodeJS.WritableStream;
  return {
    got,
    asked: () => asked,
    get: () => {
      asked++;
      return stream;
    },
  };
}

describe.skipIf(process.platform === 'win32')('the CLI writing to a file, a pipe or a socket', () => {
  it('writes a file directly, in order, without asking for the stream', () => {
    const file = path.join(tmp, 'out.txt');
    const fd = fs.openSync(file, 'w');
    const fake = fakeStream();
    const write = writerTo(fd, fake.get);
    write('{ "a": 1 }\n');
    write('é ✓ 𝄞\n');
    fs.closeSync(fd);
    expect(fs.readFileSync(file, 'utf8')).toBe('{ "a": 1 }\né ✓ 𝄞\n');
    expect(fake.asked()).toBe(0);
  });

  it('gives the stream the whole text when a direct write fails, and every text after it', () => {
    const file = path.join(tmp, 'read-only.txt');
    fs.writeFileSync(file, '');
    // A descriptor open for reading only: write(2) fails with EBADF.
    const fd = fs.openSync(file, 'r');
    const fake = fakeStream();
    const write = writerTo(fd, fake.get);
    write('first ✓\n');
    write('second\n');
    fs.closeSync(fd);
    expect(fake.got).toEqual(['first ✓\n', 'second\n']);
    expect(fs.readFileSync(file, 'utf8')).toBe('');
  });
});
