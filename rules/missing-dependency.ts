import { defineRule } from '../src/engine/types.js';

// Lambda loads imports from the deployment package, its layers (/opt/nodejs/node_modules,
// /opt/python) and what the runtime ships (SDK v3 on nodejs18.x and later, boto3 on Python).
// The analysis (src/code/analyse.ts) marks an import missing only when every one of these can be
// seen and none holds it; anything it cannot see is "unknown" and yields nothing.
export default defineRule({
  id: 'missing-dependency',
  severity: 'error',
  category: 'code',
  frameworks: ['sam', 'cloudformation', 'cdk', 'serverless', 'terraform'],
  needs: ['handler-code'],
  docs: {
    summary: 'Import only packages that the deployment package, a layer or the runtime provides.',
    why: 'A package that is not declared in package.json dependencies (Node.js) or requirements.txt (Python), not installed in the package and not in a layer fails at import time: every invocation ends in Runtime.ImportModuleError.',
    fix: 'Add the package to dependencies in package.json (not devDependencies) or to requirements.txt next to the handler, or ship it in a layer attached to the function.',
  },
  messages: {
    missing: '{{fn}} imports {{name}}, which neither its package, its layers nor the {{runtime}} runtime provides.',
  },
  check({ model, report }) {
    for (const fn of model.functions) {
      const hc = fn.handlerCode;
      if (!hc || hc.status !== 'found') continue;
      const seen = new Set<string>();
      for (const imp of hc.imports) {
        if (imp.provider !== 'missing') continue;
        // aws-sdk v2 on a runtime that dropped it has its own rule.
        if (imp.name === 'aws-sdk' && hc.language === 'node') continue;
        const key = `${imp.origin.range?.file}:${imp.name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        report({
          messageId: 'missing',
          data: { fn: fn.id, name: imp.name, runtime: fn.runtime?.value ?? '?' },
          at: imp.origin,
          fn,
        });
      }
    }
  },
});
