import { defineRule } from '../src/engine/types.js';
import { missingPermissions, roleLocation } from '../src/iam/check.js';

// Each SDK call needs its IAM action (service prefix + operation, with the exceptions listed in
// src/code/sdk-map.ts) on the resource it acts on. Unknown roles and undecidable statements
// yield nothing (src/iam/check.ts).
export default defineRule({
  id: 'sdk-permission',
  severity: 'error',
  category: 'permissions',
  frameworks: ['sam', 'cloudformation', 'cdk', 'serverless', 'terraform'],
  needs: ['handler-code'],
  docs: {
    summary: 'Let the execution role do what the handler code calls.',
    why: 'An AWS SDK call whose IAM action the execution role does not allow fails at run time with AccessDenied, typically only on the code path that makes it, long after deploy.',
    fix: 'Add a statement allowing the action on the resource to the execution role (or a SAM policy template that includes it), or remove the call.',
  },
  messages: {
    missing: '{{operation}} needs {{action}}, which role {{role}} of {{fn}} does not allow{{on}}.',
  },
  check({ model, report }) {
    for (const fn of model.functions) {
      const hc = fn.handlerCode;
      if (!hc || hc.status !== 'found' || hc.sdkCalls.length === 0) continue;
      for (const call of hc.sdkCalls) {
        const resource = call.resource ?? '*';
        const result = missingPermissions(
          model,
          fn,
          call.actions.map((action) => ({ anyOf: [{ action, resource }] })),
        );
        if (!result) break; // the role cannot be seen
        const on = typeof resource === 'object' && (resource.value !== undefined || resource.sym?.kind === 'ref' || resource.sym?.kind === 'getatt') ? ` on ${resource.value ?? resource.sym!.text}` : '';
        for (const action of result.denied) {
          report({ messageId: 'missing', data: { operation: call.operation, action, role: result.role.id, fn: fn.id, on }, at: call.origin, fn, related: [roleLocation(result.role)] });
        }
      }
    }
  },
});
