import { defineRule } from '../src/engine/types.js';

// From nodejs18.x on, the Lambda Node.js runtimes include the AWS SDK for JavaScript v3 instead of
// v2 (AWS Developer Tools blog, "Why and how you should use AWS SDK for JavaScript (v3) on
// Node.js 18"); code that imports `aws-sdk` must bring it in its package or a layer.
export default defineRule({
  id: 'aws-sdk-v2-runtime',
  severity: 'error',
  category: 'code',
  frameworks: ['sam', 'cloudformation', 'cdk', 'serverless', 'terraform'],
  needs: ['handler-code'],
  docs: {
    summary: 'Bring aws-sdk (v2) yourself, or move to the SDK v3, on nodejs18.x and later.',
    why: 'The Node.js 18 and later runtimes ship only the modular AWS SDK v3; an import of aws-sdk that the package does not bring fails with Runtime.ImportModuleError on the first invocation.',
    fix: 'Move the calls to the @aws-sdk/client-* packages (preferred), or add aws-sdk to dependencies in package.json or to a layer.',
  },
  messages: {
    notShipped:
      '{{fn}} imports aws-sdk (v2), which the {{runtime}} runtime no longer ships and its package does not bring.',
  },
  check({ model, report }) {
    for (const fn of model.functions) {
      const hc = fn.handlerCode;
      if (!hc || hc.status !== 'found' || hc.language !== 'node') continue;
      const seen = new Set<string>();
      for (const imp of hc.imports) {
        if (imp.name !== 'aws-sdk' || imp.provider !== 'missing') continue;
        const key = `${imp.origin.range?.file}:${imp.origin.range?.start.line}`;
        if (seen.has(key)) continue;
        seen.add(key);
        report({ messageId: 'notShipped', data: { fn: fn.id, runtime: fn.runtime?.value ?? '?' }, at: imp.origin, fn });
      }
    }
  },
});
