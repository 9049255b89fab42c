import { defineRule } from '../src/engine/types.js';
import type { FunctionTarget, Model } from '../src/model/types.js';

// docs/FACTS.md §8: invoking an unqualified ARN runs $LATEST, which every deploy overwrites in place;
// an alias or a published version does not change under running traffic.
export default defineRule({
  id: 'latest-in-production',
  severity: 'error',
  category: 'deployment',
  frameworks: ['cloudformation', 'sam', 'cdk', 'serverless', 'terraform'],
  needs: ['handler-code', 'code-triggers', 'deploy-scripts'],
  docs: {
    summary: 'Production traffic runs on published versions or aliases, never on $LATEST.',
    why: '$LATEST is mutable: every deploy replaces its code while events are in flight, and there is no version to roll back to or shift traffic from gradually.',
    fix: 'Publish versions and point triggers at an alias: AutoPublishAlias in SAM, an AWS::Lambda::Alias on an AWS::Lambda::Version in CloudFormation, fn.currentVersion or an Alias in the CDK.',
  },
  messages: {
    aliasOnLatest:
      'Alias {{alias}} points at $LATEST in a production stack ({{reason}}), so it runs whatever was deployed last.',
    explicitLatest: '{{what}} invokes {{fn}}:$LATEST in a production stack ({{reason}}).',
    unqualified:
      '{{what}} invokes the unqualified function {{fn}}, which runs $LATEST, in a production stack ({{reason}}).',
    scriptUpdatesUnpublished:
      '`{{command}}` changes the production function {{fn}} in place without publishing a version ({{reason}}), so $LATEST changes under live traffic.',
    updatesUnpublished:
      'The {{operation}} call in the handler of {{caller}} changes the production function {{fn}} without publishing a version ({{reason}}), so $LATEST changes in place under live traffic.',
  },
  check({ model, report }) {
    for (const alias of model.aliases) {
      const prod = alias.deployment.production;
      if (!prod.isProduction || alias.version.value !== '$LATEST') continue;
      const fn = alias.fn;
      if (!fn) continue;
      report({
        messageId: 'aliasOnLatest',
        data: { alias: alias.name?.value ?? alias.id, reason: prod.reason ?? 'production' },
        at: alias.version,
        fn,
        resource: alias.id,
      });
    }
    const check = (
      what: string,
      id: string,
      target: FunctionTarget,
      deployment: Model['deployments'][number],
      unqualifiedToo: boolean,
    ): void => {
      const prod = deployment.production;
      if (!prod.isProduction) return;
      // The function of the item's own deployment (one of another stack, reached through
      // Fn::ImportValue, is not looked at here).
      const fn = target.fn;
      if (!fn || fn.deployment !== deployment) return;
      const data = { what, fn: fn.id, reason: prod.reason ?? 'production' };
      if (target.qualifier === 'latest')
        report({ messageId: 'explicitLatest', data, at: target.origin, fn, resource: id });
      else if (target.qualifier === 'unqualified' && unqualifiedToo) {
        report({ messageId: 'unqualified', data, at: target.origin, fn, resource: id, severity: 'warning' });
      }
    };
    for (const m of model.mappings) check(capitalise(m.label), m.id, m.target, m.deployment, true);
    for (const t of model.triggers) check(capitalise(t.label), t.id, t.target, t.deployment, true);
    // Permissions and invoke configs only matter when they name $LATEST outright: an unqualified one
    // merely accompanies an unqualified trigger, which is reported already.
    for (const p of model.permissions) check(`Permission ${p.id}`, p.id, p.target, p.deployment, false);
    for (const c of model.invokeConfigs) check(`Event invoke config ${c.id}`, c.id, c.target, c.deployment, false);
    for (const u of model.scriptUpdates) {
      const prod = u.deployment.production;
      const fn = u.fn;
      if (!prod.isProduction || !fn || u.publishes) continue;
      report({
        messageId: 'scriptUpdatesUnpublished',
        data: { command: u.command, fn: fn.id, reason: prod.reason ?? 'production' },
        at: u.origin,
        fn,
        severity: 'warning',
      });
    }
    // Handler code that updates a production function in place (docs/FACTS.md §8: UpdateFunctionCode and
    // UpdateFunctionConfiguration change $LATEST only; Publish: true or PublishVersion snapshots it).
    for (const caller of model.functions) {
      const calls = caller.handlerCode?.sdkCalls ?? [];
      for (const call of calls) {
        const op =
          /(UpdateFunctionCode|UpdateFunctionConfiguration|update_function_code|update_function_configuration)/i.exec(
            call.operation,
          )?.[1];
        const t = call.lambdaTarget;
        if (!op || !t?.functionId) continue;
        const target = t.fn;
        const prod = caller.deployment.production;
        if (!target || !prod.isProduction) continue;
        if (/code/i.test(op) && call.flags?.Publish === 'true') continue;
        const publishes = calls.some(
          (c) => /PublishVersion|publish_version/i.test(c.operation) && c.lambdaTarget?.functionId === t.functionId,
        );
        if (publishes) continue;
        report({
          messageId: 'updatesUnpublished',
          data: { operation: call.operation, caller: caller.id, fn: target.id, reason: prod.reason ?? 'production' },
          at: call.origin,
          fn: target,
          severity: 'warning',
        });
      }
    }
  },
});

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
