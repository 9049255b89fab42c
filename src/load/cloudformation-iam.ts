// The CloudFormation reader's IAM: roles (AWS::IAM::Role with inline policies, managed policy ARNs
// and a permissions boundary), the policies attached to them (AWS::IAM::Policy,
// AWS::IAM::ManagedPolicy) and policy documents statement by statement, Condition blocks included.
// The reader (./cloudformation.ts) calls these for each resource and lends them its value readers,
// as it does the SAM transform (./sam.ts).
import { entry, get, keyRange, nodeRange, type TNode } from '../source/parse.js';
import { intrinsicKey, scalarString, toVal, type ResourceInfo } from '../values/cfn.js';
import type { Condition, Origin, PolicyDocument, Role, Statement, Val } from '../model/types.js';
import type { TemplateLoader } from './cloudformation.js';

export function policyDocument(
  cfn: TemplateLoader,
  node: TNode | undefined,
  origin: Origin,
  name?: string,
): PolicyDocument {
  const doc: PolicyDocument = { name, statements: [], complete: true, origin };
  const ev = cfn.r.evaluate(node);
  if (ev.k !== 'node') {
    doc.complete = ev.k === 'novalue';
    return doc;
  }
  const stmts = cfn.r.evaluate(get(ev.node, 'Statement'));
  if (stmts.k !== 'node') {
    doc.complete = stmts.k === 'novalue';
    return doc;
  }
  const items = stmts.node.kind === 'seq' ? stmts.node.items! : [stmts.node];
  for (const item of items) {
    const s = cfn.r.evaluate(item);
    if (s.k === 'novalue') continue;
    if (s.k !== 'node' || s.node.kind !== 'map') {
      doc.complete = false;
      continue;
    }
    doc.statements.push(statement(cfn, s.node, origin));
  }
  return doc;
}

function statement(cfn: TemplateLoader, n: TNode, docOrigin: Origin): Statement {
  const effect = scalarString(get(n, 'Effect')) === 'Deny' ? 'Deny' : 'Allow';
  const strings = (key: string): Val<string>[] | undefined => {
    const e = entry(n, key);
    if (!e) return undefined;
    const l = cfn.r.list(e.value);
    if (l.absent) return undefined;
    if (!l.value) return [toVal<string>({ sym: l.sym }, e, docOrigin.via)];
    return l.value.map((i) => toVal<string>(i, i.node ?? e, docOrigin.via));
  };
  const st: Statement = {
    effect,
    actions: strings('Action'),
    notActions: strings('NotAction'),
    resources: strings('Resource'),
    notResources: strings('NotResource'),
    hasCondition: get(n, 'Condition') !== undefined,
    origin: { via: docOrigin.via, range: nodeRange(n), note: docOrigin.note },
  };
  const conditions = conditionEntries(cfn, get(n, 'Condition'), docOrigin);
  if (conditions) st.conditions = conditions;
  return st;
}

/** A statement's Condition block entry by entry; undefined when it is absent or not plain (an intrinsic). */
function conditionEntries(cfn: TemplateLoader, node: TNode | undefined, docOrigin: Origin): Condition[] | undefined {
  const block = cfn.r.evaluate(node);
  if (block.k !== 'node' || block.node.kind !== 'map' || intrinsicKey(block.node)) return undefined;
  const out: Condition[] = [];
  for (const op of block.node.entries ?? []) {
    const keys = cfn.r.evaluate(op.value);
    if (keys.k !== 'node' || keys.node.kind !== 'map' || intrinsicKey(keys.node)) return undefined;
    for (const k of keys.node.entries ?? []) {
      const l = cfn.r.list(k.value);
      if (l.absent) continue;
      const values = l.value
        ? l.value.map((i) => toVal<string>(i, i.node ?? k, docOrigin.via))
        : [toVal<string>({ sym: l.sym }, k, docOrigin.via)];
      out.push({ operator: op.key, key: k.key, values });
    }
  }
  return out;
}

export function loadRole(cfn: TemplateLoader, res: ResourceInfo): void {
  const props = cfn.props(res);
  const cdkPath = scalarString(get(get(res.node, 'Metadata'), 'aws:cdk:path'));
  const role: Role = {
    id: res.id,
    deployment: cfn.deployment,
    generated: cdkPath !== undefined && /\/ServiceRole\/Resource$/.test(cdkPath),
    inline: [],
    managedPolicyArns: [],
    managedPolicyIds: [],
    complete: true,
    origin: { via: 'direct', range: keyRange(res.entry) },
  };
  const policies = cfn.r.evaluate(get(props, 'Policies'));
  if (policies.k === 'node' && policies.node.kind === 'seq') {
    for (const p of policies.node.items!) {
      const ev = cfn.r.evaluate(p);
      if (ev.k === 'novalue') continue;
      if (ev.k !== 'node') {
        role.complete = false;
        continue;
      }
      const name = cfn.r.str(get(ev.node, 'PolicyName')).value;
      const doc = policyDocument(
        cfn,
        get(ev.node, 'PolicyDocument'),
        { via: 'direct', range: nodeRange(ev.node) },
        name,
      );
      if (!doc.complete) role.complete = false;
      role.inline.push(doc);
    }
  } else if (policies.k === 'sym') role.complete = false;
  const managed = cfn.listVal(props, 'ManagedPolicyArns');
  if (managed?.sym) role.complete = false;
  for (const arn of managed?.value ?? []) {
    const t = arn.sym?.target;
    if (t && cfn.scope.resources.get(t)?.type === 'AWS::IAM::ManagedPolicy') role.managedPolicyIds.push(t);
    else role.managedPolicyArns.push(arn);
  }
  const boundary = cfn.strVal(props, 'PermissionsBoundary');
  if (boundary) role.permissionsBoundary = boundary;
  cfn.roles.set(res.id, role);
  cfn.model.roles.push(role);
}

function rolesOf(cfn: TemplateLoader, props: TNode | undefined): { roles: Role[]; unknown: boolean } {
  const l = cfn.r.list(get(props, 'Roles'));
  const roles: Role[] = [];
  let unknown = !!l.sym;
  for (const item of l.value ?? []) {
    const t = item.sym?.target;
    const role = t
      ? cfn.roles.get(t)
      : [...cfn.roles.values()].find(
          (ro) => cfn.r.str(get(cfn.props(cfn.scope.resources.get(ro.id)!), 'RoleName')).value === item.value,
        );
    if (role) roles.push(role);
    else unknown = true;
  }
  return { roles, unknown };
}

export function loadPolicy(cfn: TemplateLoader, res: ResourceInfo): void {
  const props = cfn.props(res);
  const { roles } = rolesOf(cfn, props);
  if (roles.length === 0) return;
  const name = cfn.r.str(get(props, 'PolicyName')).value ?? res.id;
  const doc = policyDocument(
    cfn,
    get(props, 'PolicyDocument'),
    { via: 'direct', range: keyRange(res.entry), note: `policy ${res.id}` },
    name,
  );
  for (const role of roles) {
    role.inline.push(doc);
    if (!doc.complete) role.complete = false;
  }
}

export function loadManagedPolicy(cfn: TemplateLoader, res: ResourceInfo): void {
  const props = cfn.props(res);
  const doc = policyDocument(
    cfn,
    get(props, 'PolicyDocument'),
    { via: 'direct', range: keyRange(res.entry), note: `managed policy ${res.id}` },
    res.id,
  );
  cfn.model.managedPolicies.push({ id: res.id, deployment: cfn.deployment, document: doc });
  for (const role of rolesOf(cfn, props).roles)
    if (!role.managedPolicyIds.includes(res.id)) role.managedPolicyIds.push(res.id);
}
