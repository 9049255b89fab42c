// What the CLI talks to: output streams, the working directory, the terminal and the environment.
// Tests pass their own; main() and explain() share the type.

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
  isTTY: boolean;
  env: Record<string, string | undefined>;
  /** stderr is a terminal: the progress line may be drawn there (progress.ts). */
  stderrIsTTY?: boolean;
  /** The terminal's width, for the progress line. */
  columns?: number;
  /** A clock in milliseconds (tests); default nowMs() (src/source/builtins.ts). */
  now?: () => number;
}
