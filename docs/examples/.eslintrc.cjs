// .eslintrc.cjs (ESLint 8, or ESLint 9 with ESLINT_USE_FLAT_CONFIG=false)
// eslintrc finds `plugins: ['lambdalint']` as the package eslint-plugin-lambdalint, which lambdalint
// ships inside its own package:
//   npm install --save-dev eslint-plugin-lambdalint@file:node_modules/lambdalint/eslint-plugin-lambdalint
module.exports = {
  root: true,
  extends: ['plugin:lambdalint/legacy-recommended'],
  parserOptions: { ecmaVersion: 'latest', sourceType: 'module' },
  overrides: [
    // TypeScript handlers need typescript-eslint's parser (npm install --save-dev @typescript-eslint/parser).
    { files: ['*.ts', '*.mts', '*.cts', '*.tsx'], parser: '@typescript-eslint/parser' },
  ],
};
