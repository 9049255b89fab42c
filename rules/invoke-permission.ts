import { defineRule } from '../src/engine/types.js';
import { targetFunction } from '../src/model/lookup.js';
import type { Permission, Trigger, TriggerKind } from '../src/model/types.js';

// docs/FACTS.md §4.2 and §8: services that push events (S3, SNS, EventBridge, API Gateway) invoke a
// function only when its resource-based policy lets their service principal do so; SAM and the
// Serverless Framework add that permission for the events they wire, plain CloudFormation, CDK
// output and Terraform must declare it. A permission without a qualifier covers only the
// unqualified function; one on an alias covers only that alias.
const PRINCIPALS: Partial<Record<TriggerKind, string>> = {
  s3: 's3.amazonaws.com',
  sns: 'sns.amazonaws.com',
  eventbridge: 'events.amazonaws.com',
  schedule: 'events.amazonaws.com',
  api: 'apigateway.amazonaws.com',
  'http-api': 'apigateway.amazonaws.com',
  websocket: 'apigateway.amazonaws.com',
  // https://docs.aws.amazon.com/iot/latest/developerguide/lambda-rule-action.html
  iot: 'iot.amazonaws.com',
};

/** 'yes' / 'no' / 'maybe': does the permission's principal name this service? */
function principalMatches(p: Permission, principal: string): 'yes' | 'no' | 'maybe' {
  const v = p.principal;
  if (!v) return 'maybe';
  const text = v.value ?? (v.sym?.kind === 'expr' ? v.sym.text : undefined);
  if (text === undefined) return 'maybe';
  const service = principal.split('.')[0];
  if (text === principal || text === '*' || text.startsWith(`${service}.`)) return 'yes';
  return text.includes('${') ? 'maybe' : 'no';
}

function covers(p: Permission, t: Trigger): 'yes' | 'no' | 'maybe' {
  if (p.target.functionId === undefined || p.target.qualifier === 'unknown') return 'maybe';
  if (p.target.functionId !== t.target.functionId) return 'no';
  const tq = t.target.qualifier === 'latest' ? 'unqualified' : t.target.qualifier;
  const pq = p.target.qualifier === 'latest' ? 'unqualified' : p.target.qualifier;
  if (tq === 'unqualified' || pq === 'unqualified') return tq === pq ? 'yes' : 'no';
  if (tq === 'alias' && pq === 'alias') return t.target.aliasId && p.target.aliasId ? (t.target.aliasId === p.target.aliasId ? 'yes' : 'no') : 'maybe';
  return 'maybe';
}

export default defineRule({
  id: 'invoke-permission',
  severity: 'error',
  category: 'permissions',
  frameworks: ['cloudformation', 'sam', 'cdk', 'serverless', 'terraform'],
  needs: ['code-triggers'],
  docs: {
    summary: 'Give every service that pushes events to a function a permission to invoke it.',
    why: 'S3, SNS, EventBridge, API Gateway and AWS IoT call a function only when its resource-based policy allows their service principal; without an AWS::Lambda::Permission the notification or rule is created but every event is refused, silently.',
    fix: 'Declare a permission (AWS::Lambda::Permission, aws_lambda_permission) with Action lambda:InvokeFunction, the service principal, and the function (or alias) the trigger invokes, ideally limited with SourceArn.',
  },
  messages: {
    missing: '{{what}} invokes {{fn}}, but no permission lets {{principal}} invoke it, so its events are refused.',
  },
  check({ model, report, skip, record }) {
    for (const t of model.triggers) {
      const principal = PRINCIPALS[t.kind];
      if (!principal || t.target.functionId === undefined) continue;
      const fn = targetFunction(model, t.deployment, t.target);
      const item = `${t.label} invokes`;
      // An API Gateway integration with credentials invokes as that IAM role: no resource policy needed.
      if (t.implicitPermission || t.invokeRole) {
        if (fn) record?.(fn, { item, status: 'allowed', reason: t.invokeRole ? 'invokes with its own IAM role' : 'the framework adds the permission', decidedBy: [t.origin] });
        continue;
      }
      if (!fn) continue;
      const undecided = (reason: string): void => {
        skip(fn, reason);
        record?.(fn, { item, status: 'unknown', reason });
      };
      const opaque = t.deployment.opaquePermissions ?? fn.deployment.opaquePermissions;
      if (opaque) {
        undecided(`permissions lambdalint does not model (${opaque})`);
        continue;
      }
      if (t.target.qualifier === 'unknown') {
        undecided(`trigger invokes a version or alias that does not resolve (${t.label})`);
        continue;
      }
      // A SAM event of the same service already makes SAM add the permission (an S3 event on the
      // bucket whose own notification configuration names the function, for one).
      const viaFramework = model.triggers.some(
        (o) => o !== t && o.implicitPermission && o.deployment === t.deployment && PRINCIPALS[o.kind] === principal && o.target.functionId === t.target.functionId,
      );
      if (viaFramework) {
        record?.(fn, { item, status: 'allowed', reason: 'the framework adds the permission for another event of the same service' });
        continue;
      }
      let verdict: 'yes' | 'no' | 'maybe' = 'no';
      // A permission may be declared in the function's stack or in the trigger's (Fn::ImportValue).
      let maybe: Permission | undefined;
      let granting: Permission | undefined;
      for (const p of model.permissions) {
        if ((p.target.deployment ?? p.deployment) !== fn.deployment && p.target.functionId !== undefined) continue;
        if (p.deployment !== t.deployment && p.deployment !== fn.deployment) continue;
        const a = principalMatches(p, principal);
        const b = covers(p, t);
        if (a === 'yes' && b === 'yes') {
          verdict = 'yes';
          granting ??= p;
        } else if (a !== 'no' && b !== 'no' && verdict === 'no') {
          verdict = 'maybe';
          maybe = p;
        }
      }
      if (verdict === 'maybe' && maybe) undecided(`permission whose function or principal does not resolve (${maybe.id})`);
      if (verdict === 'yes') record?.(fn, { item, status: 'allowed', ...(granting ? { decidedBy: [granting.origin] } : {}) });
      if (verdict !== 'no') continue;
      record?.(fn, { item, status: 'missing', reason: `no permission lets ${principal} invoke it` });
      report({ messageId: 'missing', data: { what: t.label.charAt(0).toUpperCase() + t.label.slice(1), fn: fn.id, principal }, at: t.origin, fn, resource: t.id });
    }
  },
});
