// Compares the role lambdalint believes SAM generates with the role SAM really generates, on SAM's
// own translator tests (input YAML → expected CloudFormation output):
//   npx tsx scripts/sam-ground-truth.ts ../shared/corpus/sam-translator/tests/translator [--show N]
// For every function whose input sets no Role and whose expected output has `<Fn>Role`, it compares
// which of the actions that matter to lambdalint's permission rules (logs, X-Ray, event sources,
// VPC) each side grants, ignoring resources. Prints the share of roles that agree exactly.
import fs from 'node:fs';
import path from 'node:path';
import { loadProject } from '../src/lint.js';
import { effectivePolicySet } from '../src/iam/evaluate.js';
import { actionMatchesPattern } from '../src/iam/actions.js';
import { managedPolicyByArn } from '../src/iam/managed-policies.js';
import type { Statement } from '../src/model/types.js';

const RELEVANT = [
  'logs:CreateLogGroup',
  'logs:CreateLogStream',
  'logs:PutLogEvents',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'sqs:ReceiveMessage',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
  'kinesis:GetRecords',
  'kinesis:GetShardIterator',
  'kinesis:DescribeStream',
  'kinesis:DescribeStreamSummary',
  'kinesis:ListShards',
  'kinesis:ListStreams',
  'kinesis:SubscribeToShard',
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:ListStreams',
  'kafka:DescribeCluster',
  'kafka:DescribeClusterV2',
  'kafka:GetBootstrapBrokers',
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
  'ec2:DescribeSubnets',
  'ec2:DescribeVpcs',
  'ec2:DescribeSecurityGroups',
  'mq:DescribeBroker',
  'secretsmanager:GetSecretValue',
  'rds:DescribeDBClusters',
  'rds:DescribeDBClusterParameters',
  'rds:DescribeDBSubnetGroups',
];

const args = process.argv.slice(2);
const root = path.resolve(args.find((a) => !a.startsWith('--')) ?? '../shared/corpus/sam-translator/tests/translator');
const show = args.includes('--show') ? Number(args[args.indexOf('--show') + 1]) : 10;

function granted(statements: { effect: string; actions: string[] }[]): Set<string> {
  const out = new Set<string>();
  for (const a of RELEVANT) {
    const allowed = statements.some((s) => s.effect === 'Allow' && s.actions.some((p) => actionMatchesPattern(p, a)));
    const denied = statements.some((s) => s.effect === 'Deny' && s.actions.some((p) => actionMatchesPattern(p, a)));
    if (allowed && !denied) out.add(a);
  }
  return out;
}

function plainActions(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

/** Actions the role in SAM's expected output grants (managed policies through our table). */
function expectedRole(role: { Properties?: Record<string, unknown> }): {
  statements: { effect: string; actions: string[] }[];
  unknownManaged: string[];
} {
  const statements: { effect: string; actions: string[] }[] = [];
  const unknownManaged: string[] = [];
  const props = role.Properties ?? {};
  for (const arn of (props.ManagedPolicyArns as unknown[]) ?? []) {
    const text =
      typeof arn === 'string'
        ? arn
        : typeof (arn as Record<string, unknown>)['Fn::Sub'] === 'string'
          ? (arn as Record<string, string>)['Fn::Sub']
          : JSON.stringify(arn);
    const mp = managedPolicyByArn(text);
    if (!mp) {
      unknownManaged.push(text);
      continue;
    }
    for (const s of mp.statements)
      if (!s.conditions?.length) statements.push({ effect: s.effect, actions: s.actions ?? [] });
  }
  for (const p of (props.Policies as { PolicyDocument?: { Statement?: unknown } }[]) ?? []) {
    const stmts = p.PolicyDocument?.Statement;
    for (const s of (Array.isArray(stmts) ? stmts : stmts ? [stmts] : []) as Record<string, unknown>[]) {
      statements.push({ effect: String(s.Effect ?? 'Allow'), actions: plainActions(s.Action) });
    }
  }
  return { statements, unknownManaged };
}

/** Statements as action lists; a conditional Allow grants nothing for certain, so it is left out. */
function ourActions(st: Statement[]): { effect: string; actions: string[] }[] {
  return st
    .filter((s) => s.effect === 'Deny' || !s.hasCondition)
    .map((s) => ({ effect: s.effect, actions: (s.actions ?? []).map((a) => a.value ?? '') }));
}

let roles = 0;
let agree = 0;
let incomplete = 0;
const diffs: string[] = [];
const inputs = fs.readdirSync(path.join(root, 'input')).filter((f) => f.endsWith('.yaml') && !f.startsWith('error_'));
for (const input of inputs) {
  const outFile = path.join(root, 'output', input.replace(/\.yaml$/, '.json'));
  if (!fs.existsSync(outFile)) continue;
  let expected: { Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }> };
  try {
    expected = JSON.parse(fs.readFileSync(outFile, 'utf8'));
  } catch {
    continue;
  }
  const project = loadProject({ cwd: path.join(root, 'input'), paths: [input] });
  for (const fn of project.model.functions) {
    if (fn.framework !== 'sam') continue;
    const role = project.model.roles.find((r) => r.id === fn.role.roleId && r.generated);
    const exp = expected.Resources?.[`${fn.id}Role`];
    if (!role || !exp || exp.Type !== 'AWS::IAM::Role') continue;
    roles++;
    const ps = effectivePolicySet(role, project.model);
    if (!ps.complete) incomplete++;
    const ours = granted(ourActions(ps.statements));
    const { statements, unknownManaged } = expectedRole(exp);
    // Policies SAM attaches to the role as resources of their own (connectors' `<Connector>Policy`).
    for (const r of Object.values(expected.Resources ?? {})) {
      if (
        (r.Type !== 'AWS::IAM::ManagedPolicy' && r.Type !== 'AWS::IAM::Policy') ||
        !JSON.stringify(r.Properties?.Roles ?? []).includes(`"${fn.id}Role"`)
      )
        continue;
      const doc = r.Properties?.PolicyDocument as { Statement?: unknown } | undefined;
      const stmts = doc?.Statement;
      for (const st of (Array.isArray(stmts) ? stmts : stmts ? [stmts] : []) as Record<string, unknown>[])
        statements.push({ effect: String(st.Effect ?? 'Allow'), actions: plainActions(st.Action) });
    }
    const theirs = granted(statements);
    const missing = [...theirs].filter((a) => !ours.has(a));
    const extra = [...ours].filter((a) => !theirs.has(a));
    if (missing.length === 0 && extra.length === 0) agree++;
    else
      diffs.push(
        `${input} ${fn.id}: SAM grants but we do not: [${missing.join(' ')}]; we grant but SAM does not: [${extra.join(' ')}]${unknownManaged.length ? ` (unknown managed: ${unknownManaged.join(', ')})` : ''}${ps.complete ? '' : ' (our role incomplete)'}`,
      );
  }
}
console.log(`roles compared: ${roles}`);
console.log(
  `agree exactly on logs / X-Ray / event-source / VPC actions: ${agree} (${((100 * agree) / Math.max(1, roles)).toFixed(1)}%)`,
);
console.log(`roles lambdalint marks incomplete (permission rules stay silent on them): ${incomplete}`);
console.log(`differences: ${diffs.length}`);
for (const d of diffs.slice(0, show)) console.log(`  ${d}`);
