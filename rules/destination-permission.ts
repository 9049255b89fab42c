import { defineRule } from '../src/engine/types.js';
import { resourceType } from '../src/model/resource-types.js';
import { joinActions, grantOf, missingPermissions, type Requirement, roleLocation } from '../src/iam/check.js';
import { symbolicWords } from '../src/iam/evaluate.js';
import type { Destination, LambdaFunction } from '../src/model/types.js';

// docs/FACTS.md §3.3: Lambda delivers to a dead-letter queue, an async destination or a mapping's
// on-failure destination with the execution role: sqs:SendMessage, sns:Publish,
// lambda:InvokeFunction, events:PutEvents, s3:PutObject (+ s3:ListBucket on the bucket).
const BY_SERVICE: Record<string, { what: string; actions: string[] }> = {
  sqs: { what: 'queue', actions: ['sqs:SendMessage'] },
  sns: { what: 'topic', actions: ['sns:Publish'] },
  lambda: { what: 'function', actions: ['lambda:InvokeFunction'] },
  events: { what: 'event bus', actions: ['events:PutEvents'] },
  s3: { what: 'bucket', actions: ['s3:PutObject'] },
};

/** The `Type` a SAM destination or a Serverless destination declares. */
const DECLARED_SERVICE: Record<string, string> = {
  SQS: 'sqs',
  SNS: 'sns',
  Lambda: 'lambda',
  EventBridge: 'events',
  S3: 's3',
  S3Bucket: 's3',
};

/** The service a destination belongs to, from its declared type, its resource type or its ARN. */
function serviceOf(d: Destination): string | undefined {
  if (d.type && DECLARED_SERVICE[d.type]) return DECLARED_SERVICE[d.type];
  const known = resourceType(d.arn.sym?.resourceType);
  if (known?.destination) return known.service;
  const text = d.arn.value ?? (d.arn.sym?.kind === 'expr' ? d.arn.sym.text : '');
  const svc = /^arn:[^:]+:([a-z0-9-]+):/.exec(text)?.[1];
  return svc && BY_SERVICE[svc] ? svc : undefined;
}

const KIND: Record<Destination['kind'], string> = {
  'dead-letter': 'dead-letter',
  'on-failure': 'on-failure',
  'on-success': 'on-success',
};

export default defineRule({
  id: 'destination-permission',
  severity: 'error',
  category: 'permissions',
  frameworks: ['cloudformation', 'sam', 'cdk', 'serverless', 'terraform'],
  docs: {
    summary: 'Let the execution role write to every dead-letter queue and destination it is given.',
    why: "Lambda delivers failed (and successful) events to dead-letter queues and destinations with the function's execution role; when the role cannot write there, the deploy fails or the events meant to be kept are lost.",
    fix: "Allow the role to send to the target: sqs:SendMessage on a queue, sns:Publish on a topic, lambda:InvokeFunction on a function, events:PutEvents on an event bus, s3:PutObject on a bucket's objects.",
  },
  messages: {
    missing: 'Role {{role}} cannot deliver to the {{kind}} {{what}} of {{fn}}: it lacks {{actions}}.',
  },
  check({ model, report, skip, record }) {
    const checkOne = (fn: LambdaFunction, d: Destination, resource?: string): void => {
      const svc = serviceOf(d);
      if (!svc) {
        // A target whose service cannot be told: no finding, but say so (RULES.md `coverage`).
        if (d.arn.value === undefined)
          skip(fn, `${KIND[d.kind]} target that does not resolve (${symbolicWords(d.arn)})`);
        return;
      }
      const { what, actions } = BY_SERVICE[svc];
      const target = svc === 's3' && d.arn.value !== undefined ? { ...d.arn, value: `${d.arn.value}/\${Key}` } : d.arn;
      const reqs: Requirement[] = actions.map((action) => ({
        anyOf: [{ action, resource: svc === 's3' && d.arn.value === undefined ? d.arn : target }],
      }));
      const result = missingPermissions(model, fn, reqs, skip, record);
      if (!result || result.denied.length === 0) return;
      report({
        messageId: 'missing',
        data: { role: result.role.id, kind: KIND[d.kind], what, fn: fn.id, actions: joinActions(result.denied) },
        at: d.arn,
        fn,
        resource,
        related: [roleLocation(result.role)],
        grant: grantOf(result),
      });
    };
    for (const fn of model.functions) if (fn.deadLetter) checkOne(fn, fn.deadLetter);
    for (const c of model.invokeConfigs) {
      const fn = c.target.fn;
      if (fn) for (const d of c.destinations) checkOne(fn, d, c.id);
    }
    for (const m of model.mappings) {
      const fn = m.target.fn;
      if (fn) for (const d of m.destinations ?? []) checkOne(fn, d, m.id);
    }
  },
});
