// The progress line: on a terminal, once a run has taken 2 s, one line on stderr says how far it is
// (projects loaded, functions whose handler code was read, the rules), rewritten in place and
// cleared before the report is printed. Never in CI (the CI variable set), never when stderr is a
// pipe or a file: logs get no control characters.
import type { LintProgress } from '../lint.js';
import type { Io } from './io.js';
import { nowMs } from '../source/builtins.js';

const SHOW_AFTER_MS = 2000;
const EVERY_MS = 100;
const CLEAR = '\r\u001b[K';

/** Whether the CI variable says the run is in CI (`CI=true`, `CI=1`, any value but false and 0). */
function inCi(env: Io['env']): boolean {
  const v = env.CI;
  return v !== undefined && v !== '' && v !== 'false' && v !== '0';
}

export interface ProgressLine {
  update: (p: LintProgress) => void;
  /** Clears the line, if one was drawn. */
  done: () => void;
}

/** A progress line for the run, or undefined where none may be shown. */
export function progressLine(io: Io): ProgressLine | undefined {
  if (!io.stderrIsTTY || inCi(io.env)) return undefined;
  const now = io.now ?? nowMs;
  const started = now();
  let drawn = false;
  let last = -Infinity;
  const width = Math.max(20, (io.columns ?? 80) - 1);
  return {
    update: (p) => {
      const t = now();
      if (t - started < SHOW_AFTER_MS || t - last < EVERY_MS) return;
      last = t;
      const what =
        p.stage === 'load'
          ? `${p.done}/${p.total} projects loaded${p.current ? `, reading ${p.current}` : ''}`
          : p.stage === 'code'
            ? `handler code of ${p.done}/${p.total} functions read${p.current ? `, last in ${p.current}` : ''}`
            : `checking ${p.total} function${p.total === 1 ? '' : 's'}`;
      const line = `lambdalint: ${what}`;
      io.stderr(CLEAR + (line.length > width ? `${line.slice(0, width - 1)}…` : line));
      drawn = true;
    },
    done: () => {
      if (drawn) io.stderr(CLEAR);
      drawn = false;
    },
  };
}
