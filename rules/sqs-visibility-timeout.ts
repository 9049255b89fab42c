import { defineRule, type RelatedLocation } from '../src/engine/types.js';

// docs/FACTS.md §1.6: CreateEventSourceMapping fails when the queue's visibility timeout is below the
// function timeout (cfn-lint E3505); AWS advises at least six times the function timeout, plus the
// batching window when one is set. SQS's default visibility timeout is 30 s, Lambda's default
// timeout 3 s (docs/FACTS.md §1.1).
const SQS_DEFAULT_VISIBILITY = 30;
const LAMBDA_DEFAULT_TIMEOUT = 3;

export default defineRule({
  id: 'sqs-visibility-timeout',
  severity: 'error',
  category: 'reliability',
  frameworks: ['cloudformation', 'sam', 'cdk', 'serverless', 'terraform'],
  docs: {
    summary: 'Give every queue a function reads a visibility timeout that outlasts the function.',
    why: 'Lambda refuses to map a queue whose visibility timeout is shorter than the function timeout, so the deploy fails; below six times the timeout (plus the batching window) a message can become visible again while its batch is still being processed or retried, and is handled twice.',
    fix: "Set the queue's VisibilityTimeout to at least six times the function timeout plus MaximumBatchingWindowInSeconds (SQS allows up to 43,200 s), or lower the function timeout.",
  },
  messages: {
    belowTimeout:
      'Queue {{queue}} has a visibility timeout of {{visibility}}, below the {{timeout}} s timeout of {{fn}}, so Lambda refuses to create this mapping.',
    belowAdvice:
      'Queue {{queue}} has a visibility timeout of {{visibility}}, under the {{needed}} s that six times the {{timeout}} s timeout of {{fn}}{{window}} calls for, so a message can be delivered again while it is still being processed.',
  },
  check({ model, report }) {
    for (const m of model.mappings) {
      if (m.kind !== 'sqs') continue;
      const queue = m.queue;
      const fn = m.target.fn;
      if (!queue || !fn) continue;
      // A timeout or visibility timeout that cannot be resolved (a parameter without default) says nothing.
      if (fn.timeout && fn.timeout.value === undefined) continue;
      if (queue.visibilityTimeout && queue.visibilityTimeout.value === undefined) continue;
      const timeout = fn.timeout?.value ?? LAMBDA_DEFAULT_TIMEOUT;
      const visibility = queue.visibilityTimeout?.value ?? SQS_DEFAULT_VISIBILITY;
      const window = m.batchingWindow?.value ?? 0;
      const related: RelatedLocation[] = [
        queue.visibilityTimeout
          ? { at: queue.visibilityTimeout, message: 'visibility timeout set here' }
          : { at: queue.origin, message: 'queue declared here without VisibilityTimeout (SQS default 30 s)' },
      ];
      if (fn.timeout) related.push({ at: fn.timeout, message: `timeout of ${fn.id} set here` });
      const data = {
        queue: queue.id,
        visibility: queue.visibilityTimeout ? `${visibility} s` : `${visibility} s (the SQS default)`,
        timeout,
        fn: fn.id,
      };
      if (visibility < timeout) {
        report({ messageId: 'belowTimeout', data, at: m.origin, fn, resource: m.id, related, severity: 'error' });
      } else if (visibility < 6 * timeout + window) {
        const windowText = window > 0 ? ` plus the mapping's ${window} s batching window` : '';
        report({
          messageId: 'belowAdvice',
          data: { ...data, needed: 6 * timeout + window, window: windowText },
          at: m.origin,
          fn,
          resource: m.id,
          related,
          severity: 'warning',
        });
      }
    }
  },
});
