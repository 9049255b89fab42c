import { defineRule } from '../src/engine/types.js';
import { actionsOn, joinActions, grantOf, missingPermissions, roleLocation } from '../src/iam/check.js';

// docs/FACTS.md §3.1: with TracingConfig Mode Active, Lambda sends trace data with the execution role:
// xray:PutTraceSegments and xray:PutTelemetryRecords, which take no resource (Resource "*").
export default defineRule({
  id: 'xray-permission',
  severity: 'error',
  category: 'permissions',
  frameworks: ['cloudformation', 'sam', 'cdk', 'serverless', 'terraform'],
  docs: {
    summary: 'Let the execution role of a traced function send its traces to X-Ray.',
    why: 'With active tracing, Lambda and the X-Ray SDK send segments with the execution role; without xray:PutTraceSegments and xray:PutTelemetryRecords the traces are dropped and the service map stays empty.',
    fix: 'Attach the AWS managed policy AWSXRayDaemonWriteAccess to the role, or allow xray:PutTraceSegments and xray:PutTelemetryRecords on "*".',
  },
  messages: {
    missing: 'Tracing is Active but role {{role}} lacks {{actions}}, so the traces of {{fn}} are dropped.',
  },
  check({ model, report, skip, record }) {
    for (const fn of model.functions) {
      if (fn.tracing?.value !== 'Active') continue;
      const result = missingPermissions(
        model,
        fn,
        actionsOn(['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], '*'),
        skip,
        record,
      );
      if (!result || result.denied.length === 0) continue;
      report({
        messageId: 'missing',
        data: { role: result.role.id, actions: joinActions(result.denied), fn: fn.id },
        at: fn.tracing,
        fn,
        related: [roleLocation(result.role)],
        grant: grantOf(result),
      });
    }
  },
});
