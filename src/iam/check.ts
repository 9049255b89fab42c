// What the permission rules share: find a function's execution role, and ask which of a set of
// required actions it is denied. "Unknown" never becomes a finding.
import type { LambdaFunction, Model, Role, Val } from '../model/types.js';
import { effectivePolicySet, evaluate, type PolicySet, type Request } from './evaluate.js';

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
}

const policyCache = new WeakMap<Role, PolicySet>();

/** Roles by deployment and id, built once per model (rebuilt if roles were added since). */
const roleIndex = new WeakMap<Model, { count: number; byDeployment: Map<unknown, Map<string, Role>> }>();

export function roleOf(model: Model, fn: LambdaFunction): Role | undefined {
  const id = fn.role.roleId;
  if (id === undefined) return undefined;
  let index = roleIndex.get(model);
  if (!index || index.count !== model.roles.length) {
    index = { count: model.roles.length, byDeployment: new Map() };
    for (const r of model.roles) {
      let m = index.byDeployment.get(r.deployment);
      if (!m) index.byDeployment.set(r.deployment, (m = new Map()));
      if (!m.has(r.id)) m.set(r.id, r); // the first, as find() did
    }
    roleIndex.set(model, index);
  }
  return index.byDeployment.get(fn.deployment)?.get(id);
}

function policySet(model: Model, role: Role): PolicySet {
  let p = policyCache.get(role);
  if (!p) {
    p = effectivePolicySet(role, model);
    policyCache.set(role, p);
  }
  return p;
}

/** Which requirements the function's role certainly lacks; undefined when the role cannot be seen. */
export function missingPermissions(model: Model, fn: LambdaFunction, requirements: Requirement[]): CheckResult | undefined {
  const role = roleOf(model, fn);
  if (!role || fn.deployment.opaquePermissions) return undefined;
  const policies = policySet(model, role);
  const denied: string[] = [];
  for (const req of requirements) {
    const decisions = req.anyOf.map((r) => evaluate(policies, r).decision);
    if (decisions.every((d) => d === 'denied')) denied.push(req.label ?? req.anyOf[0].action);
  }
  return { role, denied };
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

/** Whether a resource is one nobody can name (`unknownResource`, or a call's resource the code does not tell). */
export function isUnknownCallResource(v: Val<string> | undefined): boolean {
  return !v || (v.value === undefined && v.sym?.kind === 'param' && v.sym.key.startsWith('unknown:'));
}

/** The related location every permission finding carries: where the role is (or is generated). */
export function roleLocation(role: Role): { at: Role['origin']; message: string } {
  return { at: role.origin, message: role.origin.via === 'implicit' ? `role ${role.id} is generated from this function` : `role ${role.id} defined here` };
}

export function joinActions(actions: string[]): string {
  if (actions.length <= 1) return actions.join('');
  return `${actions.slice(0, -1).join(', ')} and ${actions[actions.length - 1]}`;
}
