import { defineRule } from '../src/engine/types.js';
import type { Deployment, LambdaFunction, Model, Permission, Trigger, TriggerKind } from '../src/model/types.js';

// docs/FACTS.md §4.2 and §8: services that push events (S3, SNS, EventBridge, API Gateway) invoke a
// function only when its resource-based policy lets their service principal do so; SAM and the
// Serverless Framework add that permission for the events they wire, plain CloudFormation, CDK
// output and Terraform must declare it. A permission without a qualifier covers only the
// unqualified function; one on an alias covers only that alias.
const PRINCIPALS: Partial<Record<TriggerKind, string>> = {
  s3: 's3.amazonaws.com',
  sns: 'sns.amazonaws.com',
  eventbridge: 'events.amazonaws.com',
  schedule: 'events.amazonaws.com',
  api: 'apigateway.amazonaws.com',
  'http-api': 'apigateway.amazonaws.com',
  websocket: 'apigateway.amazonaws.com',
  // https://docs.aws.amazon.com/iot/latest/developerguide/lambda-rule-action.html
  iot: 'iot.amazonaws.com',
};

/** Each service principal's first label with its dot (`s3.`): any principal of that service starts so. */
const SERVICE_PREFIX = new Map(Object.values(PRINCIPALS).map((p) => [p, p.slice(0, p.indexOf('.') + 1)]));

/** 'yes' / 'no' / 'maybe': does the permission's principal name this service? */
function principalMatches(p: Permission, principal: string): 'yes' | 'no' | 'maybe' {
  const v = p.principal;
  if (!v) return 'maybe';
  const text = v.value ?? (v.sym?.kind === 'expr' ? v.sym.text : undefined);
  if (text === undefined) return 'maybe';
  const prefix = SERVICE_PREFIX.get(principal) ?? `${principal.split('.')[0]}.`;
  if (text === principal || text === '*' || text.startsWith(prefix)) return 'yes';
  return text.includes('${') ? 'maybe' : 'no';
}

/**
 * A function URL with AuthType NONE answers only when the resource-based policy lets everyone (`*`)
 * call `lambda:InvokeFunctionUrl` (https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html).
 */
function grantsPublicUrl(p: Permission): 'yes' | 'no' | 'maybe' {
  const principal = p.principal?.value;
  if (principal === undefined) return p.principal?.sym?.kind === 'expr' ? 'no' : 'maybe';
  if (principal !== '*') return 'no';
  const action = p.action?.value;
  if (action === undefined) return p.action ? 'maybe' : 'no';
  return /^(\*|lambda:\*|lambda:InvokeFunctionUrl)$/i.test(action) ? 'yes' : 'no';
}

function covers(p: Permission, t: Trigger): 'yes' | 'no' | 'maybe' {
  if (p.target.functionId === undefined || p.target.qualifier === 'unknown') return 'maybe';
  if (p.target.functionId !== t.target.functionId) return 'no';
  const tq = t.target.qualifier === 'latest' ? 'unqualified' : t.target.qualifier;
  const pq = p.target.qualifier === 'latest' ? 'unqualified' : p.target.qualifier;
  if (tq === 'unqualified' || pq === 'unqualified') return tq === pq ? 'yes' : 'no';
  if (tq === 'alias' && pq === 'alias')
    return t.target.aliasId && p.target.aliasId ? (t.target.aliasId === p.target.aliasId ? 'yes' : 'no') : 'maybe';
  return 'maybe';
}

const THIS_ACCOUNT = /^\$\{(AWS::AccountId|data\.aws_caller_identity\.[\w-]+\.account_id)\}$/;

/**
 * Whether the permission's `SourceArn` / `SourceAccount` (the aws:SourceArn / aws:SourceAccount
 * condition Lambda adds to the function's resource-based policy,
 * https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-services.html) let the
 * trigger's requests through: the ARN names the trigger's own bucket, topic, rule or API ('yes'),
 * another resource of the template ('no'), or something lambdalint cannot compare ('maybe', with why).
 */
function sourceMatches(p: Permission, t: Trigger): { v: 'yes' | 'no' | 'maybe'; why?: string } {
  let v: 'yes' | 'no' | 'maybe' = 'yes';
  let why: string | undefined;
  const arn = p.sourceArn;
  if (arn) {
    const named = p.sourceArnResources ?? [];
    const text = arn.value ?? arn.sym?.text ?? 'SourceArn';
    const hit = named.find((n) => n.id === t.sourceResource);
    if (named.length && t.sourceResource && p.deployment === t.deployment && !hit) return { v: 'no' };
    // After an API id, a run of `/*` segments allows every stage, method and path; anything else limits them.
    const api = t.kind === 'api' || t.kind === 'http-api' || t.kind === 'websocket';
    if (!hit || (hit.rest !== '' && !(api && /^(\/\*)+$/.test(hit.rest)))) {
      v = 'maybe';
      why = `permission ${p.id} limited to SourceArn ${text}, which cannot be matched to ${t.label}`;
    }
  }
  const account = p.sourceAccount;
  if (account) {
    const text =
      account.sym?.key === 'Ref:AWS::AccountId'
        ? '${AWS::AccountId}'
        : (account.value ?? (account.sym?.kind === 'expr' ? account.sym.text : undefined));
    // Resources of the same deployment belong to the deploying account; any other account cannot be compared.
    if (text === undefined || !THIS_ACCOUNT.test(text.trim())) {
      v = 'maybe';
      why ??= `permission ${p.id} limited to SourceAccount ${text ?? account.sym?.text ?? 'that does not resolve'}`;
    }
  }
  return { v, why };
}

/**
 * The permissions of the model arranged so that a trigger looks only at those that may let it
 * through, in model order (a trigger's permissions are its function's, and of those only the ones
 * whose SourceArn may name its source; sorting by model order keeps "the first" what a scan of
 * every permission found).
 */
class PermissionIndex {
  /** Each permission's position in the model, made when two lists of candidates are first merged. */
  private order: Map<Permission, number> | undefined;
  /** Permissions that may name any function (their function or qualifier does not resolve), by deployment. */
  private readonly open = new Map<Deployment, Permission[]>();
  private readonly byFunction = new Map<LambdaFunction, OwnPermissions>();

  constructor(private readonly model: Model) {
    for (const p of model.permissions) {
      if (p.target.functionId !== undefined && p.target.qualifier !== 'unknown') continue;
      const list = this.open.get(p.deployment);
      if (list) list.push(p);
      else this.open.set(p.deployment, [p]);
    }
  }

  private own(fn: LambdaFunction): OwnPermissions {
    let o = this.byFunction.get(fn);
    if (!o) {
      o = { unnamed: [] };
      for (const p of fn.links?.permissions ?? []) {
        if (p.target.qualifier === 'unknown') continue; // among the open ones
        const named = p.sourceArn ? (p.sourceArnResources ?? []) : [];
        if (named.length === 0) {
          o.unnamed.push(p);
          continue;
        }
        o.named ??= new Map();
        let d = o.named.get(p.deployment);
        if (!d) o.named.set(p.deployment, (d = { all: [], bySource: new Map() }));
        d.all.push(p);
        for (let i = 0; i < named.length; i++) {
          const n = named[i].id;
          if (named.findIndex((x) => x.id === n) < i) continue; // named twice: listed once
          const list = d.bySource.get(n);
          if (list) list.push(p);
          else d.bySource.set(n, [p]);
        }
      }
      this.byFunction.set(fn, o);
    }
    return o;
  }

  /**
   * Every permission that may allow (or leave undecided) `t` invoking `fn`, in model order; those
   * whose SourceArn keeps `t` out are left out when `bySource`.
   */
  candidates(fn: LambdaFunction, t: Trigger, bySource: boolean): readonly Permission[] {
    const o = this.own(fn);
    // Lists of permissions apart from each other, each in model order (made by scans in model
    // order): one is returned as it is, more are merged. Nothing is made per trigger for the
    // common case, one list (on a 10,000-function template this rule's time grew 20-26x for ten
    // times the functions, the garbage of a copy, a set and a sort per trigger included).
    const lists: Permission[][] = [];
    if (o.unnamed.length) lists.push(o.unnamed);
    for (const [d, named] of o.named ?? []) {
      // A SourceArn naming other resources of the trigger's deployment keeps the trigger out (`sourceMatches`).
      const list =
        bySource && d === t.deployment && t.sourceResource ? named.bySource.get(t.sourceResource) : named.all;
      if (list?.length) lists.push(list);
    }
    const here = this.open.get(t.deployment);
    if (here) lists.push(here);
    const there = fn.deployment === t.deployment ? undefined : this.open.get(fn.deployment);
    if (there) lists.push(there);
    if (lists.length <= 1) return lists[0] ?? [];
    if (!this.order) {
      this.order = new Map();
      this.model.permissions.forEach((p, i) => this.order!.set(p, i));
    }
    const order = this.order;
    return lists.flat().sort((a, b) => order.get(a)! - order.get(b)!);
  }

  /**
   * The first permission of the trigger's deployment that lets `principal` invoke `fn` as `t`
   * does, but only from other resources than `t`'s source.
   */
  limiting(fn: LambdaFunction, t: Trigger, principal: string): Permission | undefined {
    const source = t.sourceResource;
    if (!source) return undefined;
    const o = this.own(fn);
    const key = `${principal} ${t.target.qualifier} ${t.target.aliasId ?? ''}`;
    let list = o.limiting?.get(t.deployment)?.get(key);
    if (!list) {
      list = (o.named?.get(t.deployment)?.all ?? []).filter(
        (p) => principalMatches(p, principal) === 'yes' && covers(p, t) === 'yes',
      );
      o.limiting ??= new Map();
      let m = o.limiting.get(t.deployment);
      if (!m) o.limiting.set(t.deployment, (m = new Map()));
      m.set(key, list);
    }
    return list.find((p) => !p.sourceArnResources!.some((n) => n.id === source));
  }
}

interface OwnPermissions {
  /** Without a SourceArn naming resources of the model. */
  unnamed: Permission[];
  /** With one, by deployment: all of them, and by the resource named (made for the first). */
  named?: Map<Deployment, { all: Permission[]; bySource: Map<string, Permission[]> }>;
  /** `limiting` answers, by trigger deployment and principal / qualifier / alias (made for the first). */
  limiting?: Map<Deployment, Map<string, Permission[]>>;
}

export default defineRule({
  id: 'invoke-permission',
  severity: 'error',
  category: 'permissions',
  frameworks: ['cloudformation', 'sam', 'cdk', 'serverless', 'terraform'],
  needs: ['code-triggers'],
  docs: {
    summary: 'Give every service that pushes events to a function a permission to invoke it.',
    why: 'S3, SNS, EventBridge, API Gateway and AWS IoT call a function only when its resource-based policy allows their service principal; without an AWS::Lambda::Permission the notification or rule is created but every event is refused, silently. A function URL with AuthType NONE likewise answers only once the policy grants public access.',
    fix: 'Declare a permission (AWS::Lambda::Permission, aws_lambda_permission) with Action lambda:InvokeFunction, the service principal, and the function (or alias) the trigger invokes, ideally limited with SourceArn. For a public function URL: Action lambda:InvokeFunctionUrl, Principal *, FunctionUrlAuthType NONE, and (for URLs created since October 2025) a second one with Action lambda:InvokeFunction and InvokedViaFunctionUrl: true.',
  },
  messages: {
    missing: '{{what}} invokes {{fn}}, but no permission lets {{principal}} invoke it, so its events are refused.',
    otherSource:
      '{{what}} invokes {{fn}}, but permission {{permission}} lets {{principal}} invoke it only from {{source}}, so its events are refused.',
    publicUrl:
      '{{what}} of {{fn}} has AuthType NONE, but no permission lets everyone (*) call lambda:InvokeFunctionUrl, so every request is refused with 403 Forbidden.',
  },
  check({ model, report, skip, record }) {
    const index = new PermissionIndex(model);
    // Functions for which the framework adds the permission of a service: `deployment principal`.
    const implicit = new Map<LambdaFunction, Set<string>>();
    for (const o of model.triggers) {
      const principal = PRINCIPALS[o.kind];
      const fn = o.target.fn;
      if (!o.implicitPermission || !principal || !fn || o.target.deployment) continue;
      let s = implicit.get(fn);
      if (!s) implicit.set(fn, (s = new Set()));
      s.add(principal);
    }
    // What could not be decided, and why (once for the rule: nothing is made per trigger for it).
    const undecided = (fn: LambdaFunction, item: string, reason: string): void => {
      skip(fn, reason);
      record?.(fn, { item, status: 'unknown', reason });
    };
    for (const t of model.triggers) {
      if (t.kind === 'function-url') {
        checkUrl(t);
        continue;
      }
      const principal = PRINCIPALS[t.kind];
      if (!principal || t.target.functionId === undefined) continue;
      const fn = t.target.fn;
      const item = record ? `${t.label} invokes` : ''; // read only by `record`
      // An API Gateway integration with credentials invokes as that IAM role: no resource policy needed.
      if (t.implicitPermission || t.invokeRole) {
        if (fn)
          record?.(fn, {
            item,
            status: 'allowed',
            reason: t.invokeRole ? 'invokes with its own IAM role' : 'the framework adds the permission',
            decidedBy: [t.origin],
          });
        continue;
      }
      if (!fn) continue;
      const opaque = t.deployment.opaquePermissions ?? fn.deployment.opaquePermissions;
      if (opaque) {
        undecided(fn, item, `permissions lambdalint does not model (${opaque})`);
        continue;
      }
      if (t.target.qualifier === 'unknown') {
        undecided(fn, item, `trigger invokes a version or alias that does not resolve (${t.label})`);
        continue;
      }
      // A SAM event of the same service already makes SAM add the permission (an S3 event on the
      // bucket whose own notification configuration names the function, for one).
      const viaFramework = !t.target.deployment && !!implicit.get(fn)?.has(principal);
      if (viaFramework) {
        record?.(fn, {
          item,
          status: 'allowed',
          reason: 'the framework adds the permission for another event of the same service',
        });
        continue;
      }
      let verdict: 'yes' | 'no' | 'maybe' = 'no';
      // A permission may be declared in the function's stack or in the trigger's (Fn::ImportValue).
      let maybe: string | undefined;
      let granting: Permission | undefined;
      for (const p of index.candidates(fn, t, true)) {
        if ((p.target.deployment ?? p.deployment) !== fn.deployment && p.target.functionId !== undefined) continue;
        if (p.deployment !== t.deployment && p.deployment !== fn.deployment) continue;
        const a = principalMatches(p, principal);
        const b = covers(p, t);
        const c = sourceMatches(p, t);
        if (a === 'yes' && b === 'yes' && c.v === 'yes') {
          verdict = 'yes';
          granting = p;
          break;
        } else if (a !== 'no' && b !== 'no' && c.v !== 'no' && verdict === 'no') {
          verdict = 'maybe';
          maybe =
            a === 'yes' && b === 'yes' && c.why
              ? c.why
              : `permission whose function or principal does not resolve (${p.id})`;
        }
      }
      if (verdict === 'maybe' && maybe) undecided(fn, item, maybe);
      if (verdict === 'yes')
        record?.(fn, { item, status: 'allowed', ...(granting ? { decidedBy: [granting.origin] } : {}) });
      if (verdict !== 'no') continue;
      const what = t.label.charAt(0).toUpperCase() + t.label.slice(1);
      const limited = index.limiting(fn, t, principal);
      if (limited) {
        const source = limited.sourceArnResources?.map((r) => r.id).join(', ') ?? '';
        record?.(fn, {
          item,
          status: 'missing',
          reason: `permission ${limited.id} lets ${principal} invoke it only from ${source}`,
        });
        report({
          messageId: 'otherSource',
          data: { what, fn: fn.id, permission: limited.id, principal, source },
          at: t.origin,
          fn,
          resource: t.id,
          related: [{ at: limited.sourceArn ?? limited.origin, message: `permission ${limited.id} limited here` }],
        });
      } else {
        record?.(fn, { item, status: 'missing', reason: `no permission lets ${principal} invoke it` });
        report({ messageId: 'missing', data: { what, fn: fn.id, principal }, at: t.origin, fn, resource: t.id });
      }
    }

    // AWS_IAM URLs are authorised by the caller's IAM policy; SAM, the Serverless Framework and the
    // Terraform AWS provider add a NONE URL's public permission themselves.
    function checkUrl(t: Trigger): void {
      if (t.target.functionId === undefined) return;
      const fn = t.target.fn;
      if (!fn) return;
      const item = `${t.label} is public`;
      const auth = t.authType?.value;
      if (auth === undefined) {
        if (t.authType) {
          skip(fn, `AuthType of ${t.label} does not resolve`);
          record?.(fn, { item, status: 'unknown', reason: `AuthType of ${t.label} does not resolve` });
        }
        return;
      }
      if (auth !== 'NONE') return;
      if (t.implicitPermission) {
        record?.(fn, { item, status: 'allowed', reason: 'the framework adds the permission', decidedBy: [t.origin] });
        return;
      }
      const undecided = (reason: string): void => {
        skip(fn, reason);
        record?.(fn, { item, status: 'unknown', reason });
      };
      const opaque = t.deployment.opaquePermissions ?? fn.deployment.opaquePermissions;
      if (opaque) {
        undecided(`permissions lambdalint does not model (${opaque})`);
        return;
      }
      if (t.target.qualifier === 'unknown') {
        undecided(`function URL on a version or alias that does not resolve (${t.label})`);
        return;
      }
      let verdict: 'yes' | 'no' | 'maybe' = 'no';
      let maybe: Permission | undefined;
      let granting: Permission | undefined;
      for (const p of index.candidates(fn, t, false)) {
        if (p.deployment !== t.deployment && p.deployment !== fn.deployment) continue;
        const a = grantsPublicUrl(p);
        const b = covers(p, t);
        if (a === 'yes' && b === 'yes') {
          verdict = 'yes';
          granting ??= p;
        } else if (a !== 'no' && b !== 'no' && verdict === 'no') {
          verdict = 'maybe';
          maybe = p;
        }
      }
      if (verdict === 'maybe' && maybe)
        undecided(`permission whose function, principal or action does not resolve (${maybe.id})`);
      if (verdict === 'yes')
        record?.(fn, { item, status: 'allowed', ...(granting ? { decidedBy: [granting.origin] } : {}) });
      if (verdict !== 'no') return;
      record?.(fn, { item, status: 'missing', reason: 'no permission lets * call lambda:InvokeFunctionUrl' });
      report({
        messageId: 'publicUrl',
        data: { what: t.label.charAt(0).toUpperCase() + t.label.slice(1), fn: fn.id },
        at: t.origin,
        fn,
        resource: t.id,
      });
    }
  },
});
