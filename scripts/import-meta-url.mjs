/* global process, __filename */
// Injected into the CommonJS build of the CLI's engine (scripts/bundle.mjs): `import.meta.url` in
// the sources (createRequire, files found beside the bundle) becomes the engine file's own URL.
export const importMetaUrl = process.getBuiltinModule('node:url').pathToFileURL(__filename).href;
