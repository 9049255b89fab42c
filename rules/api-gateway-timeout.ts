import { defineRule } from '../src/engine/types.js';
import type { TriggerKind } from '../src/model/types.js';

// docs/FACTS.md §1.7: API Gateway waits for a Lambda integration at most its integration timeout:
// REST APIs 29 s by default (TimeoutInMillis, raisable for Regional and private APIs), HTTP APIs
// 30 s, WebSocket APIs 29 s. Lambda's default timeout is 3 s (docs/FACTS.md §1.1).
const DEFAULT_MS: Partial<Record<TriggerKind, number>> = { api: 29000, 'http-api': 30000, websocket: 29000 };
const WHAT: Partial<Record<TriggerKind, string>> = {
  api: 'REST API',
  'http-api': 'HTTP API',
  websocket: 'WebSocket API',
};
const LAMBDA_DEFAULT_TIMEOUT = 3;

export default defineRule({
  id: 'api-gateway-timeout',
  severity: 'warning',
  category: 'reliability',
  frameworks: ['cloudformation', 'sam', 'cdk', 'serverless', 'terraform'],
  needs: ['code-triggers'],
  docs: {
    summary: 'Keep the timeout of a function behind API Gateway within the integration timeout.',
    why: 'API Gateway stops waiting for the function at its integration timeout (29 s for REST and WebSocket APIs unless raised, 30 s for HTTP APIs) and answers the client with an error, while the function keeps running and is billed for work nobody receives.',
    fix: 'Lower the function timeout to the integration timeout or less, or hand long work to an asynchronous path (a queue, Step Functions) and return at once; REST APIs (Regional or private) can also have their integration timeout raised.',
  },
  messages: {
    exceeds:
      '{{fn}} may run for {{timeout}} s, but {{trigger}} ({{api}}) stops waiting after {{limit}} s and returns an error to the client.',
  },
  check({ model, report }) {
    for (const t of model.triggers) {
      const defaultMs = DEFAULT_MS[t.kind];
      // An integration that invokes asynchronously does not wait for the function.
      if (defaultMs === undefined || t.asyncInvocation) continue;
      const fn = t.target.fn;
      if (!fn) continue;
      if (fn.timeout && fn.timeout.value === undefined) continue;
      if (t.integrationTimeout && t.integrationTimeout.value === undefined) continue;
      const timeout = fn.timeout?.value ?? LAMBDA_DEFAULT_TIMEOUT;
      const limitMs = t.integrationTimeout?.value ?? defaultMs;
      if (timeout * 1000 <= limitMs) continue;
      report({
        messageId: 'exceeds',
        data: { fn: fn.id, timeout, api: WHAT[t.kind]!, trigger: t.label, limit: String(limitMs / 1000) },
        at: fn.timeout ?? fn.origin,
        fn,
        resource: t.id,
        related: [
          {
            at: t.integrationTimeout ?? t.origin,
            message: t.integrationTimeout ? 'integration timeout set here' : 'API integration here',
          },
        ],
      });
    }
  },
});
