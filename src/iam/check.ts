// What the permission rules share: find a function's execution role, and ask which of a set of
// required actions it is denied. "Unknown" never becomes a finding.
import type { NeedRecorder } from '../model/coverage.js';
import type { LambdaFunction, Model, Role, Val } from '../model/types.js';
import {
  effectivePolicySet,
  evaluate,
  symbolicWords,
  unknownReason,
  type Evaluation,
  type PolicySet,
  type Request,
} from './evaluate.js';

/**
 * The EC2 actions SAM's and the Serverless Framework's generated roles grant for an event source
 * polled inside a VPC (Amazon MQ, MSK, self-managed Kafka); event-source-permission requires the Describe ones.
 */
export const ENI_ACTIONS: string[] = [
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DeleteNetworkInterface',
  'ec2:DescribeVpcs',
  'ec2:DescribeSubnets',
  'ec2:DescribeSecurityGroups',
];

export interface Requirement {
  /** Alternatives: the requirement holds when any one of them is allowed. */
  anyOf: Request[];
  /** How the requirement is named in messages (defaults to the first action). */
  label?: string;
}

export interface CheckResult {
  role: Role;
  /** Requirements the role certainly does not meet, by label. */
  denied: string[];
  /**
   * For each of `denied` (same order), the request a fix should allow (see `grantFor`); undefined
   * where an Allow cannot help (an explicit Deny, the permissions boundary).
   */
  grants: (Request | undefined)[];
  /** Why some requirements could not be decided (unknown: neither allowed nor denied). */
  unknown: string[];
}

/**
 * Gives every role a function runs as its effective policy set (`role.policies`), once per run:
 * after the link step (src/model/link.ts sets `fn.role.role`) and before the first rule
 * (src/engine/run.ts), so that the permission rules read it instead of joining the role's
 * policies again. Safe to run again: each set is recomputed.
 */
export function linkPolicies(model: Model): void {
  const done = new Set<Role>();
  for (const fn of model.functions) {
    const role = fn.role.role;
    if (!role || done.has(role)) continue;
    done.add(role);
    role.policies = effectivePolicySet(role, model);
  }
}

/** Records that a rule could not decide for a function, and why (the rule context's `skip`). */
export type Skip = (fn: LambdaFunction, reason: string) => void;

/**
 * Why the function's role cannot be followed, in words a user can act on: "role from parameter
 * RoleArn", "role in another stack (ImportValue Shared-Role)", "role given as an ARN (...)".
 */
function roleRefReason(fn: LambdaFunction): string {
  const ref = fn.role.ref;
  if (!ref) return 'no execution role declared';
  const s = ref.sym;
  if (ref.value !== undefined) {
    return /^arn:[^:]*:iam::/.test(ref.value)
      ? `role given as an ARN (${ref.value})`
      : `role not found in the ${fn.framework === 'serverless' ? 'service' : 'template'} (${ref.value})`;
  }
  if (!s) return 'role cannot be resolved';
  if (s.kind === 'import') return `role in another stack (${s.text.replace(/^!/, '')})`;
  if (s.kind === 'expr' && /^arn:[^:]*:iam::[^:]*:role\//.test(s.text)) return `role given as an ARN (${s.text})`;
  if (s.kind === 'getatt' && s.target && s.resourceType !== 'AWS::IAM::Role') {
    return s.resourceType === 'AWS::CloudFormation::Stack' || /^Outputs\./.test(s.attribute ?? '')
      ? `role from a nested stack output (${s.text.replace(/^!/, '')})`
      : `role from another resource (${s.text.replace(/^!/, '')})`;
  }
  if (s.kind === 'ref' && s.target && !s.resourceType) return `role not found in the template (${s.target})`;
  if (s.kind === 'expr') return `role from a value that does not resolve (${s.text})`;
  return `role from ${symbolicWords(ref)}`;
}

/**
 * Which requirements the function's role certainly lacks; undefined when the role cannot be
 * seen. With `skip`, records why the rule cannot decide: for the function (the role cannot be
 * followed) or for requirements that evaluate to "unknown" (an unknown managed policy, a
 * condition, a value that does not resolve) when nothing is certainly missing.
 */
export function missingPermissions(
  model: Model,
  fn: LambdaFunction,
  requirements: Requirement[],
  skip?: Skip,
  record?: NeedRecorder,
): CheckResult | undefined {
  const undecided = (reason: string): undefined => {
    skip?.(fn, reason);
    for (const req of requirements) record?.(fn, { item: requirementText(req), status: 'unknown', reason });
    return undefined;
  };
  if (fn.deployment.opaquePermissions)
    return undecided(`permissions lambdalint does not model (${fn.deployment.opaquePermissions})`);
  const role = fn.role.role;
  if (!role) return undecided(roleRefReason(fn));
  // Set by linkPolicies before the rules; computed here for a caller that runs a rule on its own.
  const policies: PolicySet = role.policies ?? effectivePolicySet(role, model);
  const denied: string[] = [];
  const grants: (Request | undefined)[] = [];
  const unknown: string[] = [];
  for (const req of requirements) {
    // The alternatives in order, up to the first the role allows: the rest would decide nothing.
    const evaluations: Evaluation[] = [];
    let allowed: Evaluation | undefined;
    for (const r of req.anyOf) {
      const e = evaluate(policies, r);
      evaluations.push(e);
      if (e.decision === 'allowed') {
        allowed = e;
        break;
      }
    }
    if (evaluations.every((e) => e.decision === 'denied')) {
      denied.push(req.label ?? req.anyOf[0].action);
      grants.push(evaluations.every((e) => e.reason === 'implicit-deny') ? grantFor(req) : undefined);
      const deny = evaluations.find((e) => e.reason !== 'implicit-deny');
      record?.(fn, {
        item: requirementText(req),
        status: 'missing',
        ...(deny
          ? {
              reason: deny.reason === 'boundary' ? 'denied by the permissions boundary' : 'denied by an explicit Deny',
              decidedBy: deny.by?.map((st) => st.origin),
            }
          : {}),
      });
    } else if (!allowed) {
      const at = evaluations.findIndex((e) => e.decision === 'unknown');
      // A call whose resource the code does not tell, against a role that allows the action on some
      // resources only: that is what cannot be decided, whatever those resources are.
      const why = unknownReason(policies, evaluations[at], role.id, resourceNotTold(req.anyOf[at].resource));
      if (!unknown.includes(why)) unknown.push(why);
      record?.(fn, { item: requirementText(req), status: 'unknown', reason: why });
    } else
      record?.(fn, { item: requirementText(req), status: 'allowed', decidedBy: allowed.by?.map((st) => st.origin) });
  }
  if (skip && denied.length === 0) for (const why of unknown) skip(fn, why);
  return { role, denied, grants, unknown };
}

/**
 * What a fix should allow for a requirement: of its alternatives, the one on a whole log group or
 * prefix (`...:*`, which covers its streams and keys) when there is one, else the first.
 */
function grantFor(req: Requirement): Request {
  return (
    req.anyOf.find((r) => r.resource !== '*' && (r.resource.value ?? r.resource.sym?.text ?? '').endsWith(':*')) ??
    req.anyOf[0]
  );
}

/** What a permission finding asks its fix to allow: the role, and the requests it lacks. */
export interface Grant {
  role: Role;
  requests: Request[];
}

/** The grant for all of a result's denied requirements, or for those labelled `only`. */
export function grantOf(result: CheckResult, only?: readonly string[]): Grant {
  const requests = result.grants.filter(
    (r, i): r is Request => r !== undefined && (!only || only.includes(result.denied[i])),
  );
  return { role: result.role, requests };
}

/** A requirement in words for the report: its action and the resource it is requested on. */
function requirementText(req: Requirement): string {
  const first = req.anyOf[0];
  const label = req.label ?? first.action;
  if (first.resource === '*') return label;
  const r = first.resource;
  // The partition, region and account of the deployment add nothing a reader needs.
  const text = (r.value ?? r.sym?.text)?.replace(
    /^arn:\$\{AWS::Partition\}:[a-z0-9-]+:\$\{AWS::Region\}:\$\{AWS::AccountId\}:/,
    '',
  );
  return text ? `${label} on ${text}` : label;
}

/** A requirement of one or more actions on one resource, each action its own requirement. */
export function actionsOn(actions: readonly string[], resource: Request['resource']): Requirement[] {
  return actions.map((action) => ({ anyOf: [{ action, resource }] }));
}

/** A resource value nobody wrote: built by lambdalint from what is known (a log group ARN). */
export function derived(text: string, like: Val<unknown>): Val<string> {
  if (!text.includes('${')) return { value: text, origin: like.origin };
  return { sym: { kind: 'expr', key: `expr:${text}`, text }, origin: like.origin };
}

/** A resource nobody can name statically: matched only by statements that cover every resource. */
export function unknownResource(like: Val<unknown>, what: string): Val<string> {
  return { sym: { kind: 'param', key: `unknown:${what}`, text: what }, origin: like.origin };
}

/** The key that starts a call's resource the code does not tell (src/code/resource.ts, sdk-permission). */
export const RESOURCE_NOT_TOLD = 'unknown:call';

/** Whether a request's resource is a call's that the code does not tell (keys RESOURCE_NOT_TOLD…). */
function resourceNotTold(v: Request['resource']): boolean {
  return v !== '*' && v.value === undefined && !!v.sym?.key.startsWith(RESOURCE_NOT_TOLD);
}

/** Whether a resource is one nobody can name (`unknownResource`, or a call's resource the code does not tell). */
export function isUnknownCallResource(v: Val<string> | undefined): boolean {
  return !v || (v.value === undefined && v.sym?.kind === 'param' && v.sym.key.startsWith('unknown:'));
}

/** The related location every permission finding carries: where the role is (or is generated). */
export function roleLocation(role: Role): { at: Role['origin']; message: string } {
  return {
    at: role.origin,
    message:
      role.origin.via === 'implicit'
        ? `role ${role.id} is generated from this function`
        : `role ${role.id} defined here`,
  };
}

export function joinActions(actions: string[]): string {
  if (actions.length <= 1) return actions.join('');
  return `${actions.slice(0, -1).join(', ')} and ${actions[actions.length - 1]}`;
}
