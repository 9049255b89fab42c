// Terraform IAM → the model: roles with their inline policies, customer managed policies, role
// policies and attachments, and policy documents written as JSON (jsonencode, heredocs, files) or as
// aws_iam_policy_document data sources. A grant lambdalint cannot place leaves the role incomplete.
import { type Node as JsonNode, type ParseError, parseTree } from 'jsonc-parser';
import type { Origin, PolicyDocument, Role, Statement, Val } from '../../model/types.js';
import { type Attribute, type Block, HclFile, type Span, spanRange } from '../../source/hcl.js';
import type { Res, TerraformLoader } from './load.js';
import { listItems, originAt, scalarText, type Scope, strVal, type TV } from './values.js';

export function loadRole(tf: TerraformLoader, r: Res): void {
  const role: Role = {
    id: r.address,
    deployment: tf.deployment,
    generated: false,
    inline: [],
    managedPolicyArns: [],
    managedPolicyIds: [],
    complete: !tf.opaqueRoles.has(r.address),
    origin: tf.head(r),
  };
  const inline = tf.blocksOf(r, r.block.body, 'inline_policy');
  if (inline.unknown) role.complete = false;
  for (const { block: b, r: br } of inline.items) {
    const p = tf.value(br, b.body, 'policy');
    if (!p) continue;
    const name = tf.str(br, b.body, 'name')?.value;
    const doc = tf.document(p.v, p.attr, br, name);
    role.inline.push(doc);
  }
  const managed = tf.list(r, r.block.body, 'managed_policy_arns');
  if (managed?.sym) role.complete = false;
  for (const arn of managed?.value ?? []) tf.attachArn(role, arn);
  const boundary = tf.str(r, r.block.body, 'permissions_boundary');
  if (boundary) role.permissionsBoundary = managedRef(tf, boundary);
  tf.roles.set(r.address, role);
  tf.model.roles.push(role);
}

function managedRef(tf: TerraformLoader, arn: Val<string>): Val<string> {
  const t = arn.sym?.target;
  if (t && tf.resource(t)?.type === 'aws_iam_policy') return { ...arn, sym: { ...arn.sym!, target: t } };
  return arn;
}

export function loadManagedPolicy(tf: TerraformLoader, r: Res): void {
  const p = tf.value(r, r.block.body, 'policy');
  const doc = p ? tf.document(p.v, p.attr, r, r.address) : { statements: [], complete: false, origin: tf.head(r) };
  tf.model.managedPolicies.push({ id: r.address, deployment: tf.deployment, document: doc });
}

/** The roles a `role` / `roles` argument names; `unknown` when one of them cannot be found. */
function rolesNamed(tf: TerraformLoader, r: Res, name: 'role' | 'roles'): { roles: Role[]; unknown: boolean } {
  const got = tf.value(r, r.block.body, name);
  if (!got) return { roles: [], unknown: true };
  const items = name === 'roles' ? listItems(got.v) : [got.v];
  if (!items) return { roles: [], unknown: true };
  const roles: Role[] = [];
  let unknown = false;
  for (const v of items) {
    const t = v.t === 'sym' ? v.sym.target : undefined;
    let role = t ? tf.roles.get(t) : undefined;
    const text = scalarText(v);
    if (!role && text !== undefined) {
      const bare = /:role\/(?:.*\/)?([^/]+)$/.exec(text)?.[1] ?? text;
      role = [...tf.roles.values()].find((ro) => {
        const res = tf.resource(ro.id);
        return res && tf.str(res, res.block.body, 'name')?.value === bare;
      });
    }
    if (role) roles.push(role);
    else unknown = true;
  }
  return { roles, unknown };
}

/** A policy attached to a role lambdalint cannot identify may grant anything to any role. */
function unknownGrant(tf: TerraformLoader, r: Res): void {
  tf.notes.push(
    `${r.address}: attaches a policy to a role that cannot be identified; permission checks treat every role as incomplete`,
  );
  for (const role of tf.roles.values()) role.complete = false;
}

export function loadRolePolicy(tf: TerraformLoader, r: Res): void {
  const { roles, unknown } = rolesNamed(tf, r, 'role');
  if (unknown) return unknownGrant(tf, r);
  const p = tf.value(r, r.block.body, 'policy');
  if (!p) return;
  const doc = tf.document(p.v, p.attr, r, tf.str(r, r.block.body, 'name')?.value ?? r.address);
  for (const role of roles) role.inline.push(doc);
}

export function loadAttachment(tf: TerraformLoader, r: Res, name: 'role' | 'roles'): void {
  const { roles, unknown } = rolesNamed(tf, r, name);
  if (unknown && name === 'role') return unknownGrant(tf, r);
  const arn = tf.str(r, r.block.body, 'policy_arn');
  if (!arn) return;
  for (const role of roles) tf.attachArn(role, arn);
}

/** Parses a JSON policy string, keeping ranges when its text is exactly what the file holds. */
export function jsonTV(v: TV & { t: 'str' }, attr: Attribute): TV | undefined {
  const errors: ParseError[] = [];
  const tree = parseTree(v.v, errors, { allowTrailingComma: true });
  if (!tree || errors.length) return undefined;
  let file: HclFile | undefined;
  let base = 0;
  if (v.readFrom) {
    file = new HclFile(v.readFrom, v.v);
  } else if (v.span && v.span.file.text.slice(v.span.start, v.span.end) === v.v) {
    file = v.span.file;
    base = v.span.start;
  }
  const fallback: Span = attr.span;
  const conv = (n: JsonNode): TV => {
    const span: Span = file ? { file, start: base + n.offset, end: base + n.offset + n.length } : fallback;
    switch (n.type) {
      case 'object': {
        const entries = new Map<string, TV>();
        for (const p of n.children ?? []) {
          const [k, val] = p.children ?? [];
          if (k && val) entries.set(String(k.value), conv(val));
        }
        return { t: 'obj', entries, span };
      }
      case 'array':
        return { t: 'list', items: (n.children ?? []).map(conv), span };
      case 'string':
        return { t: 'str', v: String(n.value), span };
      case 'number':
        return { t: 'num', v: Number(n.value), span };
      case 'boolean':
        return { t: 'bool', v: Boolean(n.value), span };
      default:
        return { t: 'null', span };
    }
  };
  return conv(tree);
}

export function docFromTV(v: TV, origin: Origin, name?: string): PolicyDocument {
  const doc: PolicyDocument = { name, statements: [], complete: true, origin };
  if (v.t !== 'obj') return { ...doc, complete: false };
  const st = v.entries.get('Statement');
  if (!st) return v.partial ? { ...doc, complete: false } : doc;
  const items = st.t === 'obj' ? [st] : listItems(st);
  if (!items) return { ...doc, complete: false };
  for (const s of items) {
    if (s.t !== 'obj' || s.partial) {
      doc.complete = false;
      continue;
    }
    const strings = (key: string): Val<string>[] | undefined => {
      const x = s.entries.get(key);
      if (!x) return undefined;
      const list = listItems(x);
      const at = (i: TV) => (i.span ? originAt(i.span, i, origin.via) : origin);
      if (!list) return [strVal(x, at(x))];
      return list.map((i) => strVal(i, at(i)));
    };
    const effect = scalarText(s.entries.get('Effect'));
    if (effect !== undefined && effect !== 'Allow' && effect !== 'Deny') {
      doc.complete = false;
      continue;
    }
    doc.statements.push({
      effect: effect === 'Deny' ? 'Deny' : 'Allow',
      actions: strings('Action'),
      notActions: strings('NotAction'),
      resources: strings('Resource'),
      notResources: strings('NotResource'),
      hasCondition: s.entries.has('Condition'),
      origin: { via: origin.via, range: s.span ? spanRange(s.span) : origin.range, note: origin.note },
    });
  }
  return doc;
}

/** data.aws_iam_policy_document: statements, then source / override documents merged by sid. */
export function policyDocumentData(
  tf: TerraformLoader,
  block: Block,
  scope: Scope,
  origin: Origin,
  name: string | undefined,
  depth: number,
): PolicyDocument {
  const doc: PolicyDocument = { name, statements: [], complete: true, origin };
  if (depth > 8) return { ...doc, complete: false };
  const r: Res = { address: `data.${block.labels.join('.')}`, type: block.labels[0], block, scope, inst: {} };
  const withSid: { sid?: string; st: Statement }[] = [];
  const merge = (items: { sid?: string; st: Statement }[], replace: boolean): void => {
    for (const it of items) {
      const at = it.sid ? withSid.findIndex((x) => x.sid === it.sid) : -1;
      if (at >= 0 && replace) withSid[at] = it;
      else if (at >= 0) withSid[at] = it;
      else withSid.push(it);
    }
  };
  const docsOf = (attrName: string): { sid?: string; st: Statement }[] => {
    const got = tf.value(r, block.body, attrName);
    if (!got) return [];
    const items = attrName.endsWith('_json') ? [got.v] : listItems(got.v);
    if (!items) {
      doc.complete = false;
      return [];
    }
    const out: { sid?: string; st: Statement }[] = [];
    for (const i of items) {
      const d = i.doc
        ? policyDocumentData(tf, i.doc.block, i.doc.scope, origin, undefined, depth + 1)
        : i.json
          ? docFromTV(i.json, origin)
          : i.t === 'str'
            ? tf.document(i, got.attr, r)
            : undefined;
      if (!d || !d.complete) doc.complete = false;
      if (d) out.push(...d.statements.map((st) => ({ sid: (st as Statement & { sid?: string }).sid, st })));
    }
    return out;
  };
  merge(docsOf('source_policy_documents'), false);
  merge(docsOf('source_json'), false);
  const own: { sid?: string; st: Statement }[] = [];
  const stmts = tf.blocksOf(r, block.body, 'statement');
  if (stmts.unknown) doc.complete = false;
  for (const { block: b, r: sr } of stmts.items) {
    const r = sr;
    const sid = tf.str(r, b.body, 'sid')?.value;
    const effect = tf.str(r, b.body, 'effect');
    if (effect && effect.value === undefined) {
      doc.complete = false;
      continue;
    }
    const strings = (k: string): Val<string>[] | undefined => {
      const l = tf.list(r, b.body, k);
      if (!l) return undefined;
      return l.value ?? [{ sym: l.sym, origin: l.origin }];
    };
    const st: Statement & { sid?: string } = {
      effect: effect?.value === 'Deny' ? 'Deny' : 'Allow',
      actions: strings('actions'),
      notActions: strings('not_actions'),
      resources: strings('resources'),
      notResources: strings('not_resources'),
      hasCondition: b.body.blocks.some(
        (x) => x.type === 'condition' || (x.type === 'dynamic' && x.labels[0] === 'condition'),
      ),
      origin: { via: origin.via, range: spanRange(b.headSpan), note: origin.note },
    };
    if (sid) st.sid = sid;
    own.push({ sid, st });
  }
  merge(own, true);
  merge(docsOf('override_policy_documents'), true);
  merge(docsOf('override_json'), true);
  doc.statements = withSid.map((x) => x.st);
  return doc;
}
