/* global module */
// ESLint 8 (or 9 with ESLINT_USE_FLAT_CONFIG=false) with eslintrc: the legacy lambdalint config.
// lambdalint's own sources are linted by eslint.config.js (ESLint 10); this file is the tested
// example for teams still on eslintrc (test/eslint.test.ts runs ESLint 8 with it). eslintrc finds
// plugins by package name, so register the plugin object under "lambdalint" (the Node API's
// `plugins` option, as the test does) or install lambdalint under that plugin name.
module.exports = {
  root: true,
  extends: ['plugin:lambdalint/legacy-recommended'],
  parserOptions: { ecmaVersion: 'latest', sourceType: 'module' },
  overrides: [
    // TypeScript handlers need typescript-eslint's parser; templates get yaml-eslint-parser from the plugin.
    { files: ['*.ts', '*.mts', '*.cts', '*.tsx'], parser: '@typescript-eslint/parser' },
  ],
};
