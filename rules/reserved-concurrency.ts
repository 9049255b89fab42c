import { defineRule, type RelatedLocation } from '../src/engine/types.js';
import type { Deployment, LambdaFunction } from '../src/model/types.js';

// docs/FACTS.md §1.4: an account has 1,000 concurrent executions per Region by default (raisable), and
// reservations must leave at least 100 unreserved, so with 1,000 at most 900 can be reserved;
// Terraform's -1 means "no reservation". Provisioned concurrency goes only on a published version
// or an alias, never on $LATEST (API PutProvisionedConcurrencyConfig; docs/FACTS.md §8); SAM requires
// AutoPublishAlias for ProvisionedConcurrencyConfig (docs/FACTS.md §4.3).
const DEFAULT_ACCOUNT_LIMIT = 1000;
const UNRESERVED = 100;

export default defineRule({
  id: 'reserved-concurrency',
  severity: 'error',
  category: 'limits',
  frameworks: ['cloudformation', 'sam', 'cdk', 'serverless', 'terraform'],
  docs: {
    summary:
      'Reserve no more concurrency than the account can give, and provision concurrency only on versions or aliases.',
    why: 'Lambda keeps 100 concurrent executions unreserved for the functions without a reservation, so reservations adding up past the account limit minus 100 fail the deploy of the function that crosses it; provisioned concurrency cannot be configured on $LATEST at all.',
    fix: "Lower ReservedConcurrentExecutions, or raise the account's concurrency quota and set `accountLimit` in the lambdalint configuration; put provisioned concurrency on an alias (SAM AutoPublishAlias, an AWS::Lambda::Alias on a published version).",
  },
  messages: {
    overLimit:
      'Functions in {{deployment}} reserve {{total}} concurrent executions, more than the {{max}} an account limit of {{limit}} allows once 100 stay unreserved.',
    provisionedOnLatest:
      'Provisioned concurrency of {{what}} would apply to $LATEST, which cannot have any: only a published version or an alias can.',
  },
  options: {
    accountLimit: {
      type: 'integer',
      minimum: UNRESERVED + 1,
      default: DEFAULT_ACCOUNT_LIMIT,
      description:
        "The account's concurrent executions quota in the Region (Service Quotas); reservations may add up to it minus the 100 Lambda keeps unreserved.",
    },
  },
  check({ model, options, report }) {
    const limit = options.accountLimit;
    const max = limit - UNRESERVED;
    const byDeployment = new Map<Deployment, LambdaFunction[]>();
    for (const fn of model.functions) {
      const v = fn.reservedConcurrency?.value;
      if (v === undefined || v <= 0) continue;
      const list = byDeployment.get(fn.deployment);
      if (list) list.push(fn);
      else byDeployment.set(fn.deployment, [fn]);
    }
    for (const [deployment, fns] of byDeployment) {
      const total = fns.reduce((sum, f) => sum + f.reservedConcurrency!.value!, 0);
      if (total <= max) continue;
      // Point at the reservation that carries the running total past the limit.
      let running = 0;
      const crossing = fns.find((f) => (running += f.reservedConcurrency!.value!) > max)!;
      // A reservation inherited from SAM Globals is shown at the function that inherits it.
      const related: RelatedLocation[] = fns
        .filter((f) => f !== crossing)
        .map((f) => {
          const inherited =
            f.reservedConcurrency!.origin.via === 'globals' || f.reservedConcurrency!.origin.via === 'provider';
          return {
            at: inherited ? f.origin : f.reservedConcurrency!,
            message: `${f.id} reserves ${f.reservedConcurrency!.value}${inherited ? ` (inherited from ${f.reservedConcurrency!.origin.via === 'globals' ? 'Globals' : 'provider'})` : ''}`,
          };
        });
      report({
        messageId: 'overLimit',
        data: { deployment: deployment.id, total, max, limit },
        at: crossing.reservedConcurrency!,
        fn: crossing,
        related,
      });
    }
    for (const pc of model.provisionedConcurrency) {
      if (pc.target.qualifier !== 'latest' && pc.target.qualifier !== 'unqualified') continue;
      const fn = pc.target.fn;
      if (!fn) continue;
      if (pc.executions && pc.executions.value === 0) continue;
      report({
        messageId: 'provisionedOnLatest',
        data: { what: pc.label },
        at: pc.target.origin,
        fn,
        resource: pc.id !== fn.id ? pc.id : undefined,
      });
    }
  },
});
