import { defineRule } from '../src/engine/types.js';

// The X-Ray SDK and the Powertools tracer send segments only when Lambda traces the invocation:
// with TracingConfig Mode PassThrough (the default) and no sampled upstream, nothing is recorded
// (docs/FACTS.md §3.1 on tracing; X-Ray developer guide, "Using AWS Lambda with X-Ray").
export default defineRule({
  id: 'tracing-disabled',
  severity: 'warning',
  category: 'reliability',
  frameworks: ['sam', 'cloudformation', 'cdk', 'serverless', 'terraform'],
  needs: ['handler-code'],
  docs: {
    summary: 'Turn on active tracing for functions whose code instruments X-Ray.',
    why: 'Instrumented code records subsegments only inside a trace that Lambda starts; without active tracing the X-Ray SDK or Powertools tracer runs for nothing and the service map stays empty.',
    fix: 'Set Tracing: Active (SAM), TracingConfig Mode: Active (CloudFormation) or tracing: Tracing.ACTIVE (CDK), or remove the tracer.',
  },
  messages: {
    inactive: '{{fn}} instruments X-Ray in its code but its tracing is {{mode}}.',
  },
  check({ model, report }) {
    for (const fn of model.functions) {
      const hc = fn.handlerCode;
      if (!hc?.tracer || hc.status !== 'found') continue;
      const t = fn.tracing;
      if (t && t.value === undefined) continue; // symbolic: cannot tell
      if (t?.value === 'Active') continue;
      report({
        messageId: 'inactive',
        data: { fn: fn.id, mode: t?.value ?? 'not enabled' },
        at: hc.tracer,
        fn,
        related: t ? [{ at: t, message: 'tracing set here' }] : undefined,
      });
    }
  },
});
