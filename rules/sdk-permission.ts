import { defineRule } from '../src/engine/types.js';
import {
  grantOf,
  isUnknownCallResource,
  missingPermissions,
  RESOURCE_NOT_TOLD,
  roleLocation,
} from '../src/iam/check.js';
import type { Val } from '../src/model/types.js';

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
    missingAnyResource:
      '{{operation}} needs {{action}}, which role {{role}} of {{fn}} does not allow on any resource (resource not known from the code; actions compared only).',
  },
  check({ model, report, skip, record }) {
    for (const fn of model.functions) {
      const hc = fn.handlerCode;
      if (!hc || hc.status !== 'found' || hc.sdkCalls.length === 0) continue;
      calls: for (const call of hc.sdkCalls) {
        // Within one account, a role's trust policy that names the caller allows AssumeRole on its
        // own, whatever the caller's policies say (IAM User Guide, "Policy evaluation for requests
        // within a single account": either the identity-based or the resource-based policy suffices).
        // lambdalint does not read the target role's trust policy from the call: no verdict.
        if (call.actions.some((a) => TRUST_POLICY_ACTIONS.has(a.toLowerCase()))) {
          skip(fn, `${call.operation}: the target role's trust policy can allow ${call.actions.join(', ')} on its own`);
          continue;
        }
        const reported = new Set<string>();
        for (const resource of call.resources ?? [call.resource ?? unknownCallResourceOf(call)]) {
          const result = missingPermissions(
            model,
            fn,
            call.actions.map((action) => ({ anyOf: [{ action, resource }] })),
            skip,
            record,
          );
          if (!result) break calls; // the role cannot be seen
          const unknown = isUnknownCallResource(resource);
          const on = unknown ? '' : ` on ${resourceLabel(resource)}`;
          for (const action of result.denied) {
            if (unknown) {
              if (reported.has(action)) continue;
              reported.add(action);
              report({
                messageId: 'missingAnyResource',
                data: { operation: call.operation, action, role: result.role.id, fn: fn.id },
                at: call.origin,
                fn,
                related: [roleLocation(result.role)],
                grant: grantOf(result, [action]),
              });
            } else
              report({
                messageId: 'missing',
                data: { operation: call.operation, action, role: result.role.id, fn: fn.id, on },
                at: call.origin,
                fn,
                related: [roleLocation(result.role)],
                grant: grantOf(result, [action]),
              });
          }
        }
      }
    }
  },
});

const TRUST_POLICY_ACTIONS = new Set(['sts:assumerole', 'sts:tagsession', 'sts:setsourceidentity', 'sts:setcontext']);

/**
 * A resource as messages show it: an ARN, a template reference (`!GetAtt Table.Arn`), or an ARN
 * built from the code with what is not known written as `<region>`, `<account>`, `<key>`...
 */
function resourceLabel(v: Val<string>): string {
  const text = v.value ?? v.sym!.text;
  if (v.value !== undefined || v.sym?.kind !== 'expr') return text;
  const names: Record<string, string> = {
    'AWS::Partition': 'partition',
    'AWS::Region': 'region',
    'AWS::AccountId': 'account',
  };
  return text.replace(/\$\{([^}.]+)\}/g, (_, n: string) => `<${names[n] ?? n}>`);
}

/** A call whose resource the analysis did not set: any resource. */
function unknownCallResourceOf(call: { origin: Val<string>['origin'] }): Val<string> {
  return { sym: { kind: 'param', key: RESOURCE_NOT_TOLD, text: 'a resource' }, origin: call.origin };
}
