import { defineRule } from '../src/engine/types.js';
import { S3_EVENT_BUCKET, type Val } from '../src/model/types.js';

// A function that writes to the bucket, queue or topic that invokes it invokes itself again; S3
// notifications, SQS mappings and SNS subscriptions all deliver the function's own writes (AWS
// Lambda developer guide, "Use Lambda recursive loop detection"; S3 user guide, "Avoid recursive
// invocations"). A filter (S3 key Filter, SNS FilterPolicy, mapping FilterCriteria) may keep the
// writes out, so any filter silences the rule. A write to the bucket the S3 event itself names
// (`event.Records[0].s3.bucket.name`) goes back to the bucket that invoked the function.
const WRITES: Record<string, 's3' | 'sqs' | 'sns'> = {
  's3:PutObject': 's3',
  'sqs:SendMessage': 'sqs',
  'sns:Publish': 'sns',
};

/** The same resource of the deployment: two references to one logical id, or equal literals. */
function sameResource(a: Val<string>, b: Val<string>): boolean {
  if (a.sym?.target && b.sym?.target) return a.sym.target === b.sym.target;
  if (a.value !== undefined && b.value !== undefined) return a.value === b.value;
  return false;
}

export default defineRule({
  id: 'recursive-trigger',
  severity: 'error',
  category: 'reliability',
  frameworks: ['sam', 'cloudformation', 'cdk', 'serverless', 'terraform'],
  needs: ['handler-code'],
  docs: {
    summary: 'Keep a function from writing to the bucket, queue or topic that triggers it.',
    why: 'Each write delivers a new event to the same function, which writes again: an invocation loop that runs up cost until Lambda recursive loop detection (where it applies) or a concurrency limit stops it.',
    fix: "Write to another bucket, queue or topic, or add a filter (S3 key prefix or suffix, SNS filter policy, event source mapping FilterCriteria) that keeps the function's own writes out.",
  },
  messages: {
    loop: '{{operation}} writes to {{resource}}, whose {{trigger}} invokes {{fn}} again with no filter.',
  },
  check({ model, report }) {
    for (const fn of model.functions) {
      const hc = fn.handlerCode;
      if (!hc || hc.status !== 'found') continue;
      const sources: {
        kind: 's3' | 'sqs' | 'sns';
        source?: Val<string>;
        label: string;
        origin: Val<string>['origin'];
      }[] = [];
      // Only triggers and mappings of the function's own deployment: the resources they name are
      // that deployment's, as the resources the code names are.
      for (const t of fn.links?.triggers ?? []) {
        if (t.deployment !== fn.deployment || t.filtered) continue;
        if (t.kind === 's3' || t.kind === 'sns')
          sources.push({ kind: t.kind, source: t.source, label: t.label, origin: t.origin });
      }
      for (const m of fn.links?.mappings ?? []) {
        if (m.deployment !== fn.deployment || !m.source || m.filtered || m.kind !== 'sqs') continue;
        sources.push({ kind: 'sqs', source: m.source, label: m.label, origin: m.origin });
      }
      if (!sources.length) continue;
      for (const call of hc.sdkCalls) {
        if (!call.target) continue;
        const kinds = new Set(call.actions.map((a) => WRITES[a]).filter(Boolean));
        const eventBucket = call.target.sym?.key === S3_EVENT_BUCKET;
        const hit = sources.find(
          (s) =>
            kinds.has(s.kind) && (eventBucket ? s.kind === 's3' : !!s.source && sameResource(s.source, call.target!)),
        );
        if (!hit) continue;
        report({
          messageId: 'loop',
          data: {
            operation: call.operation,
            resource: hit.source?.value ?? hit.source?.sym?.target ?? 'the bucket the S3 event names',
            trigger: hit.label,
            fn: fn.id,
          },
          at: call.origin,
          fn,
          related: [{ at: hit.origin, message: `${hit.label} invokes ${fn.id}` }],
        });
      }
    }
  },
});
