/* global process, __filename */
// Injected into the CLI's CommonJS files (scripts/bundle.mjs): `import.meta.url` in
// the sources (createRequire, files found beside the bundle) becomes the file's own URL.
export const importMetaUrl = process.getBuiltinModule('node:url').pathToFileURL(__filename).href;
