/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS entry for eslintrc */
/* global module, require */
// eslintrc (ESLint 8, or 9 with ESLINT_USE_FLAT_CONFIG=false) finds `plugins: ['lambdalint']` as
// the package eslint-plugin-lambdalint and require()s it: hand it lambdalint's plugin (an ES
// module; Node 20.19+ loads it through require).
module.exports = require('lambdalint/eslint-plugin').default;
