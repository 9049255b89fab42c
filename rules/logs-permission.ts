import { defineRule } from '../src/engine/types.js';
import { derived, joinActions, grantOf, missingPermissions, type Requirement, roleLocation } from '../src/iam/check.js';
import type { Deployment, LambdaFunction, Model, Val } from '../src/model/types.js';

// docs/FACTS.md §3.1: Lambda writes logs with the execution role: logs:CreateLogStream and
// logs:PutLogEvents on the function's group (/aws/lambda/<name>, or LoggingConfig.LogGroup), and
// logs:CreateLogGroup unless the group already exists. §2.1 lists the managed policies that do and
// do not grant this (AWSLambda_FullAccess does not).
const ARN = 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:';

function nameText(v: Val<string> | undefined, fallback: string): string {
  if (v?.value !== undefined) return v.value;
  if (v?.sym?.kind === 'expr') return v.sym.text;
  if (v?.sym?.target) return '${' + v.sym.target + '}';
  return fallback;
}

/**
 * The names of the log groups each deployment declares, as this rule writes them (placeholders for
 * what does not resolve): the rule's own question, whether a function's group already exists.
 */
function declaredNames(model: Model): Map<Deployment, Set<string>> {
  const out = new Map<Deployment, Set<string>>();
  for (const g of model.logGroups) {
    let names = out.get(g.deployment);
    if (!names) out.set(g.deployment, (names = new Set()));
    if (g.name) names.add(nameText(g.name, ''));
  }
  return out;
}

/** The log group's name as text (placeholders for what is unknown), and whether the deployment declares it. */
function logGroupOf(
  names: Set<string> | undefined,
  fn: LambdaFunction,
): { name: string; declared: boolean; custom: boolean } {
  if (fn.logGroup) {
    // The group resource LoggingConfig names (the link step, src/model/link.ts).
    const declaredGroup = fn.logGroupResource;
    const name = declaredGroup
      ? nameText(declaredGroup.name, '${' + declaredGroup.id + '}')
      : nameText(fn.logGroup, '${LogGroup}');
    return { name, declared: !!declaredGroup || !!names?.has(name), custom: true };
  }
  const name = `/aws/lambda/${nameText(fn.name?.sym?.kind === 'expr' || fn.name?.value !== undefined ? fn.name : undefined, '${' + fn.id + '}')}`;
  return { name, declared: !!names?.has(name), custom: false };
}

export default defineRule({
  id: 'logs-permission',
  severity: 'error',
  category: 'permissions',
  frameworks: ['cloudformation', 'sam', 'cdk', 'serverless', 'terraform'],
  docs: {
    summary: "Let every execution role write its function's CloudWatch logs.",
    why: "Lambda writes a function's logs with its execution role. Without logs:CreateLogStream and logs:PutLogEvents on the log group (and logs:CreateLogGroup when nothing creates the group), the function runs but every log line is silently lost.",
    fix: "Attach the AWS managed policy AWSLambdaBasicExecutionRole to the role, or allow the logs actions on the function's log group (arn:aws:logs:<region>:<account>:log-group:<group>:*).",
  },
  messages: {
    missing: 'Role {{role}} cannot write the logs of {{fn}}: it lacks {{actions}} on log group {{group}}.',
  },
  check({ model, report, skip, record }) {
    const names = declaredNames(model);
    for (const fn of model.functions) {
      const group = logGroupOf(names.get(fn.deployment), fn);
      const at = fn.logGroup ?? fn.origin;
      const like = { origin: fn.origin };
      const stream = derived(`${ARN}${group.name}:log-stream:\${LogStream}`, like);
      const groupStar = derived(`${ARN}${group.name}:*`, like);
      const groupArn = derived(`${ARN}${group.name}`, like);
      // CloudWatch Logs authorises group-level calls such as CreateLogGroup on the group's ARN with
      // a trailing `:*` ("Use the second version, with the trailing :*, ... when specifying
      // permissions in IAM policies for all other API actions",
      // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/iam-access-control-overview-cwl.html),
      // and working roles grant it on `log-group:<name>:log-stream:*` too (docs/FACTS.md §3.1,
      // correction): a statement matching either form grants it.
      const groupStreams = derived(`${ARN}${group.name}:log-stream:`, like);
      const requirements: Requirement[] = [
        {
          label: 'logs:CreateLogStream',
          anyOf: [stream, groupStar, groupArn].map((resource) => ({ action: 'logs:CreateLogStream', resource })),
        },
        {
          label: 'logs:PutLogEvents',
          anyOf: [stream, groupStar].map((resource) => ({ action: 'logs:PutLogEvents', resource })),
        },
      ];
      // A custom group whose name cannot be resolved may well exist already: only a group lambdalint
      // can name and does not see declared is certain to need creating.
      if (!group.declared && !(group.custom && group.name.includes('${'))) {
        requirements.unshift({
          label: 'logs:CreateLogGroup',
          anyOf: [groupArn, groupStar, groupStreams].map((resource) => ({ action: 'logs:CreateLogGroup', resource })),
        });
      }
      const result = missingPermissions(model, fn, requirements, skip, record);
      if (!result || result.denied.length === 0) continue;
      // Without CreateLogStream / PutLogEvents nothing is written; CreateLogGroup alone is fatal
      // only when no one creates the group.
      report({
        messageId: 'missing',
        data: { role: result.role.id, fn: fn.id, actions: joinActions(result.denied), group: group.name },
        at,
        fn,
        related: [roleLocation(result.role)],
        grant: grantOf(result),
      });
    }
  },
});
