#!/usr/bin/env node
/* global process */
// The CLI is bundled into prebuilt/ (npm run bundle; committed, so installs build nothing): loading ~100 modules one by one was a
// third of a one-template run.
import module from 'node:module';

// Node 22.1+ keeps V8's compiled code of the bundle on disk between runs (module.enableCompileCache,
// https://nodejs.org/api/module.html#moduleenablecompilecachecachedir); Node 20 has no such API and
// compiles as before. It must be on before the bundle is imported, hence the dynamic import below.
module.enableCompileCache?.();
const { main } = await import('../prebuilt/cli.js');

// A reader that stops early (`lambdalint | head`) closes the pipe: the rest of the report has
// nowhere to go, so drop it quietly (the exit code still tells) instead of crashing.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`lambdalint: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
