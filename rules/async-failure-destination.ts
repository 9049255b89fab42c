import { defineRule } from '../src/engine/types.js';
import type { LambdaFunction, Trigger, TriggerKind } from '../src/model/types.js';

// docs/FACTS.md §1.4: S3, SNS, EventBridge (rules and schedules), CloudWatch Logs subscriptions and AWS
// IoT rules (https://docs.aws.amazon.com/iot/latest/developerguide/lambda-rule-action.html) invoke a
// function asynchronously; Lambda retries a failed event MaximumRetryAttempts times
// (default 2, 0–2) and then discards it unless a dead-letter queue (DeadLetterConfig) or an
// on-failure destination (EventInvokeConfig) keeps it. SQS, streams and API Gateway are not
// asynchronous invocations: the queue, the stream or the caller keeps the event, unless an API
// Gateway integration asks for an asynchronous invocation (X-Amz-Invocation-Type 'Event').
const ASYNC: ReadonlySet<TriggerKind> = new Set<TriggerKind>([
  's3',
  'sns',
  'eventbridge',
  'schedule',
  'cloudwatch-logs',
  'iot',
]);
const DEFAULT_RETRIES = 2;

export default defineRule({
  id: 'async-failure-destination',
  severity: 'warning',
  category: 'reliability',
  frameworks: ['cloudformation', 'sam', 'cdk', 'serverless', 'terraform'],
  needs: ['code-triggers'],
  docs: {
    summary: 'Keep the events of asynchronously invoked functions when they fail.',
    why: 'S3, SNS, EventBridge, schedules, CloudWatch Logs and AWS IoT rules hand their events to Lambda asynchronously; when the function still fails after the retries (two by default), Lambda drops the event, and without a dead-letter queue or an on-failure destination nothing records that it ever existed.',
    fix: 'Give the function an on-failure destination (EventInvokeConfig DestinationConfig.OnFailure: SQS, SNS, EventBridge, Lambda or S3) or a dead-letter queue (DeadLetterConfig / SAM DeadLetterQueue), and alarm on it.',
  },
  messages: {
    dropped:
      '{{fn}} is invoked asynchronously by {{triggers}} with neither a dead-letter queue nor an on-failure destination, so an event that {{fails}} is dropped.',
    droppedDespiteSourceQueue:
      '{{fn}} is invoked asynchronously by {{triggers}}, whose dead-letter queue keeps only events that could not be delivered, and has no dead-letter queue or on-failure destination of its own, so an event that {{fails}} is dropped.',
  },
  check({ model, report }) {
    const byFunction = new Map<LambdaFunction, Trigger[]>();
    for (const t of model.triggers) {
      if (!(ASYNC.has(t.kind) || t.asyncInvocation) || t.throughQueue) continue;
      const fn = t.target.fn;
      if (!fn) continue;
      const list = byFunction.get(fn);
      if (list) list.push(t);
      else byFunction.set(fn, [t]);
    }
    // Deployments holding an invoke config whose function cannot be told.
    const unknownConfig = new Set(
      model.invokeConfigs.filter((c) => c.target.functionId === undefined).map((c) => c.deployment),
    );
    for (const [fn, triggers] of byFunction) {
      // Durable functions keep their own execution history; what happens to a failed execution is
      // not among the facts lambdalint holds, so they are left alone.
      if (fn.deadLetter || fn.durable) continue;
      // An invoke config whose function cannot be told might be this function's: say nothing.
      if (unknownConfig.has(fn.deployment)) continue;
      const own = (fn.links?.invokeConfigs ?? []).filter((c) => c.deployment === fn.deployment);
      if (own.some((c) => c.destinations.some((d) => d.kind === 'on-failure'))) continue;
      const retrySet = own.map((c) => c.maximumRetryAttempts).find((r) => r !== undefined);
      if (retrySet && retrySet.value === undefined) continue;
      const retries = retrySet?.value ?? DEFAULT_RETRIES;
      const names = triggers.map((t) => t.label);
      const shown = names.length > 3 ? [...names.slice(0, 3), `${names.length - 3} more`] : names;
      const fails =
        retries === 0
          ? 'fails (retries are turned off)'
          : `still fails after ${retries === 1 ? '1 retry' : `${retries} retries`}`;
      // EventBridge and SNS dead-letter queues catch delivery failures only: once Lambda has queued
      // the event (docs/FACTS.md §1.4, LDG invocation-async), function errors go to the function's own.
      const sourceQueue = triggers.find((t) => t.deliveryDeadLetter);
      report({
        messageId: sourceQueue ? 'droppedDespiteSourceQueue' : 'dropped',
        data: {
          fn: fn.id,
          triggers: shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}` : shown[0],
          fails,
        },
        at: fn.origin,
        fn,
        related: [
          ...triggers.map((t) => ({ at: t.origin, message: `invoked asynchronously by ${t.label}` })),
          ...(sourceQueue?.deliveryDeadLetter
            ? [{ at: sourceQueue.deliveryDeadLetter, message: 'dead-letter queue for delivery failures only' }]
            : []),
          ...(retrySet ? [{ at: retrySet, message: 'retries set here' }] : []),
        ],
      });
    }
  },
});
