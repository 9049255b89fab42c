import { defineRule } from '../src/engine/types.js';

// Lambda's limit is 900 s (docs/FACTS.md §1.1: API Timeout doc, CloudFormation schema maximum 900);
// functions on Lambda Managed Instances (CapacityProviderConfig) may run up to 5,400 s.
const MAX = 900;
const MAX_MANAGED_INSTANCES = 5400;
// Callers that wait for the answer: API Gateway, function URLs, Alexa, Cognito.
const SYNC_TRIGGERS: ReadonlySet<string> = new Set([
  'api',
  'http-api',
  'websocket',
  'function-url',
  'alexa',
  'cognito',
]);

export default defineRule({
  id: 'timeout-limit',
  severity: 'error',
  category: 'limits',
  frameworks: ['cloudformation', 'sam', 'cdk', 'serverless', 'terraform'],
  needs: ['code-triggers'],
  docs: {
    summary: 'Keep every function timeout within what Lambda allows.',
    why: 'Lambda stops every invocation at 900 s (5,400 s on Lambda Managed Instances) and rejects other values at deploy time, so a longer timeout fails the deploy or misleads whoever reads it.',
    fix: 'Set a whole number of seconds from 1 to 900, or move long work to Step Functions, ECS or a queue of smaller jobs.',
  },
  messages: {
    tooLong: 'Timeout is {{seconds}} s; Lambda stops every function at 900 s.',
    tooLongManaged: 'Timeout is {{seconds}} s; Lambda Managed Instances stop a function at 5,400 s.',
    tooLongManagedSync:
      'Timeout is {{seconds}} s, but {{what}} invokes the function {{how}}, and Lambda Managed Instances allow more than 900 s only for asynchronous and most mapping invocations.',
    tooShort: 'Timeout is {{seconds}} s; Lambda needs at least 1 s.',
    notWhole: 'Timeout is {{seconds}} s; Lambda takes a whole number of seconds.',
    notNumber: 'Timeout "{{value}}" is not a number of seconds.',
  },
  check({ model, report }) {
    for (const fn of model.functions) {
      const t = fn.timeout;
      if (!t) continue;
      if (t.value === undefined) {
        if (t.raw !== undefined) report({ messageId: 'notNumber', data: { value: t.raw }, at: t, fn });
        continue;
      }
      const seconds = t.value;
      if (!Number.isInteger(seconds)) report({ messageId: 'notWhole', data: { seconds }, at: t, fn });
      else if (seconds < 1) report({ messageId: 'tooShort', data: { seconds }, at: t, fn });
      else if (fn.capacityProvider) {
        if (seconds > MAX_MANAGED_INSTANCES) report({ messageId: 'tooLongManaged', data: { seconds }, at: t, fn });
        else if (seconds > MAX) {
          // docs/FACTS.md §1.1: past 900 s only for async and mapping invocations other than MQ and DocumentDB.
          const mine = (x: { deployment: unknown }) => x.deployment === fn.deployment;
          const sync = fn.links?.triggers.find((tr) => mine(tr) && SYNC_TRIGGERS.has(tr.kind));
          const capped = fn.links?.mappings.find((m) => mine(m) && (m.kind === 'mq' || m.kind === 'documentdb'));
          if (sync)
            report({
              messageId: 'tooLongManagedSync',
              data: { seconds, what: sync.label, how: 'synchronously' },
              at: t,
              fn,
              resource: sync.id,
            });
          else if (capped)
            report({
              messageId: 'tooLongManagedSync',
              data: { seconds, what: capped.label, how: `from ${capped.kind === 'mq' ? 'Amazon MQ' : 'DocumentDB'}` },
              at: t,
              fn,
              resource: capped.id,
            });
        }
      } else if (seconds > MAX) report({ messageId: 'tooLong', data: { seconds }, at: t, fn });
    }
  },
});
