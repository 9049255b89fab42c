// The CLI's standard output and error, without Node's stream objects where a run does not need them.
// The first use of process.stdout (or stderr) builds a stream: for a pipe or a socket a net.Socket,
// which loads node:net and node:stream (about 7 ms of CPU on Node 20, a quarter of what a run with
// nothing to lint costs over bare Node), for a file a SyncWriteStream, which writes with
// fs.writeSync. A pipe, a socket (what a Node parent's spawn gives) or a regular file is written
// here with fs.writeSync directly. Anything else (a terminal, /dev/null, Windows) goes through the
// stream as before, and so does the rest of a text, and every later text, once a direct write
// fails: a full non-blocking pipe (EAGAIN), a reader that went away (EPIPE), any other error. The
// stream then behaves as it always did: it waits for a full pipe, and reports the errors (below).
import fs from 'node:fs';

/** A pipe, a socket or a regular file (fstat needs no module; a terminal is a character device, as is /dev/null). */
function writable(fd: number): boolean {
  if (process.platform === 'win32') return false;
  try {
    const st = fs.fstatSync(fd);
    return st.isFIFO() || st.isSocket() || st.isFile();
  } catch {
    return false;
  }
}

/** Writes texts to fd: directly while that works, then through the stream. */
export function writerTo(fd: number, stream: () => NodeJS.WritableStream): (text: string) => void {
  let direct = writable(fd);
  return (text) => {
    if (direct) {
      const bytes = Buffer.from(text, 'utf8');
      let done = 0;
      try {
        while (done < bytes.length) done += fs.writeSync(fd, bytes, done);
        return;
      } catch {
        direct = false;
        stream().write(bytes.subarray(done));
        return;
      }
    }
    stream().write(text);
  };
}

let stdoutWatched = false;

/** process.stdout, built on first use. */
export function stdoutStream(): NodeJS.WriteStream {
  if (!stdoutWatched) {
    stdoutWatched = true;
    // A reader that stops early (`lambdalint | head`) closes the pipe: the rest of the report has
    // nowhere to go, so drop it quietly (the exit code still tells) instead of crashing.
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  return process.stdout;
}

export const stderrStream = (): NodeJS.WriteStream => process.stderr;

/** Whether fd 1 or 2 is a terminal; only a character device is asked of its stream (which then exists). */
export function isTerminal(fd: 1 | 2): boolean {
  return !writable(fd) && !!(fd === 1 ? stdoutStream() : stderrStream()).isTTY;
}
