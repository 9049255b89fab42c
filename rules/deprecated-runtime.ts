import { defineRule } from '../src/engine/types.js';
import { replacementFor, runtimeLifecycle } from '../src/data/runtimes.js';

// Dates from the AWS "Lambda runtimes" page (see src/data/runtimes.ts for the snapshot and its
// source); compared with the context's `today`, never the clock.
const iso = (d: Date): string => d.toISOString().slice(0, 10);

export default defineRule({
  id: 'deprecated-runtime',
  severity: 'warning',
  category: 'reliability',
  frameworks: ['cloudformation', 'sam', 'cdk', 'serverless', 'terraform'],
  docs: {
    summary: 'Run functions on runtimes AWS still supports.',
    why: 'After deprecation a runtime gets no security patches or support; later Lambda blocks creating functions on it, and then blocks updating them, so the next deploy fails.',
    fix: 'Move to the newest runtime of the same language and test the handler on it.',
  },
  messages: {
    deprecated: 'Runtime {{runtime}} has been deprecated since {{date}}; move to {{replacement}}.',
    createBlocked:
      'Runtime {{runtime}} has been deprecated since {{date}} and Lambda blocks creating functions on it since {{blocked}}; move to {{replacement}}.',
    updateBlocked:
      'Runtime {{runtime}} is blocked: Lambda refuses updates to functions on it since {{blocked}}; move to {{replacement}}.',
  },
  check({ model, report, today }) {
    const now = iso(today);
    for (const fn of model.functions) {
      const rt = fn.runtime;
      if (rt?.value === undefined) continue;
      const life = runtimeLifecycle(rt.value);
      if (!life?.deprecation || life.deprecation > now) continue;
      const replacement = replacementFor(rt.value, today) ?? 'a supported runtime';
      if (life.blockUpdate && life.blockUpdate <= now) {
        report({
          messageId: 'updateBlocked',
          data: { runtime: rt.value, blocked: life.blockUpdate, replacement },
          at: rt,
          fn,
          severity: 'error',
        });
      } else if (life.blockCreate && life.blockCreate <= now) {
        report({
          messageId: 'createBlocked',
          data: { runtime: rt.value, date: life.deprecation, blocked: life.blockCreate, replacement },
          at: rt,
          fn,
        });
      } else {
        report({
          messageId: 'deprecated',
          data: { runtime: rt.value, date: life.deprecation, replacement },
          at: rt,
          fn,
        });
      }
    }
  },
});
