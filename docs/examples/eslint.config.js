// eslint.config.js (ESLint 9 and 10, flat config)
import lambdalint from 'lambdalint/eslint-plugin';
import tsParser from '@typescript-eslint/parser';

export default [
  ...lambdalint.configs.recommended,
  // TypeScript handlers need typescript-eslint's parser.
  { files: ['**/*.{ts,mts,cts,tsx}'], languageOptions: { parser: tsParser } },
];
