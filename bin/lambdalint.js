#!/usr/bin/env node
/* global process */
// The CLI is bundled into prebuilt/ (npm run bundle; committed, so installs build nothing): loading ~100 modules one by one was a
// third of a one-template run. This file and the bundle are CommonJS (bin/package.json): an ES module
// entry costs Node 20 about 10 ms more to start.
const nodeModule = require('node:module');

// Node 22.1+ keeps V8's compiled code of the bundle on disk between runs (module.enableCompileCache,
// https://nodejs.org/api/module.html#moduleenablecompilecachecachedir); Node 20 has no such API and
// compiles as before. It must be on before the bundle is required.
nodeModule.enableCompileCache?.();
const { main } = require('../prebuilt/cli.cjs');

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`lambdalint: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
