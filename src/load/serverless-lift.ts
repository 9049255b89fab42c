// serverless-lift (github getlift/lift): its `constructs:` add resources, functions and IAM
// statements to a Serverless service when the plugin initialises. What is modelled here was read
// in the plugin's source (master @ 8a006dd, release 1.37.7):
// - src/plugin.ts `appendPermissions`: every construct's `permissions()` is pushed onto
//   `provider.iam.role.statements` when `provider.iam.role` is an object with `statements`, else
//   onto `provider.iamRoleStatements`; `lift.automaticPermissions: false` turns this off. These are
//   then the provider's statements: the shared role gets them, and per-function roles that inherit
//   the provider's statements too.
// - src/constructs/aws/Queue.ts: sqs:SendMessage and sqs:ChangeMessageVisibility on the queue
//   (ChangeMessageVisibility since 1.25.1); the worker (`worker:` a function definition, named
//   `<id>Worker`, or the name of an existing function) gets an `sqs` event on the queue with
//   batchSize 1 unless `batchSize` says otherwise. Variables queueUrl, queueArn, dlqUrl, dlqArn.
// - src/constructs/aws/Storage.ts: on the bucket and `bucket/*`, s3:PutObject, s3:GetObject,
//   s3:DeleteObject, s3:ListBucket, and since 1.37.4 ten more (STORAGE_EXTRA below). Variables
//   bucketName, bucketArn.
// - src/constructs/aws/DatabaseDynamoDBSingleTable.ts: nine item actions on the table and
//   `table/index/*`. Variables tableName, tableArn, tableStreamArn.
// - webhook, static-website, single-page-app, server-side-website: no statements for functions.
// - vpc: sets `provider.vpc` (src/providers/AwsProvider.ts `setVpcConfig`): not modelled here; the
//   loader records what it leaves unchecked.
// The resources are made by CDK inside the construct (`new Queue(this, "Queue")`); their logical ids
// in the deployed template carry a CDK hash suffix. lambdalint names them `<id>Queue`, `<id>Dlq`,
// `<id>Bucket`, `<id>Table` without the suffix: only their identity within the service matters.
import fs from 'node:fs';
import path from 'node:path';
import { get, type Entry, type TNode } from '../source/parse.js';

const LIFT_PLUGIN = 'serverless-lift';

const STORAGE_BASE = ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:ListBucket'];
const STORAGE_EXTRA = [
  's3:GetObjectAcl',
  's3:PutObjectAcl',
  's3:GetObjectTagging',
  's3:PutObjectTagging',
  's3:DeleteObjectTagging',
  's3:GetObjectAttributes',
  's3:AbortMultipartUpload',
  's3:ListMultipartUploadParts',
  's3:ListBucketMultipartUploads',
  's3:RestoreObject',
];
const TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:PutItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:UpdateItem',
  'dynamodb:ConditionCheckItem',
];

/** Construct types that add nothing to the functions' roles. */
const NO_STATEMENTS = new Set(['webhook', 'static-website', 'single-page-app', 'server-side-website', 'vpc']);

/** The resources of a construct: variable name → [logical id, attribute or 'Ref'], and their types. */
const VARIABLES: Record<string, { resources: Record<string, string>; vars: Record<string, [string, string]> }> = {
  queue: {
    resources: { Queue: 'AWS::SQS::Queue', Dlq: 'AWS::SQS::Queue' },
    vars: { queueUrl: ['Queue', 'Ref'], queueArn: ['Queue', 'Arn'], dlqUrl: ['Dlq', 'Ref'], dlqArn: ['Dlq', 'Arn'] },
  },
  storage: {
    resources: { Bucket: 'AWS::S3::Bucket' },
    vars: { bucketName: ['Bucket', 'Ref'], bucketArn: ['Bucket', 'Arn'] },
  },
  'database/dynamodb-single-table': {
    resources: { Table: 'AWS::DynamoDB::Table' },
    vars: { tableName: ['Table', 'Ref'], tableArn: ['Table', 'Arn'], tableStreamArn: ['Table', 'StreamArn'] },
  },
};

/** Whether the service lists serverless-lift among its plugins. */
function usesLift(root: TNode | undefined): boolean {
  const p = get(root, 'plugins');
  const list = p?.kind === 'map' ? get(p, 'modules') : p;
  return (list?.items ?? []).some((i) => i.kind === 'scalar' && i.value === LIFT_PLUGIN);
}

function constructType(c: TNode): string | undefined {
  const t = get(c, 'type');
  return t?.kind === 'scalar' && typeof t.value === 'string' ? t.value : undefined;
}

/**
 * `${construct:<id>.<property>}` as the CloudFormation reference lift puts there, or undefined when
 * lambdalint does not know that construct or property.
 */
export function liftVariable(root: TNode, address: string, at: TNode): TNode | undefined {
  if (!usesLift(root)) return undefined;
  const m = /^([\w-]+)\.(\w+)$/.exec(address.trim());
  if (!m) return undefined;
  const c = get(get(root, 'constructs'), m[1]);
  const type = c ? constructType(c) : undefined;
  const ref = type ? VARIABLES[type]?.vars[m[2]] : undefined;
  if (!ref) return undefined;
  return ref[1] === 'Ref' ? map(at, [['Ref', str(at, `${m[1]}${ref[0]}`)]]) : getAtt(at, `${m[1]}${ref[0]}`, ref[1]);
}

export interface LiftResult {
  /** Resources the constructs create, by the logical id lambdalint gives them, and their types. */
  resources: Map<string, string>;
  /** Why part of what lift adds is not modelled, per construct (for the coverage). */
  gaps: { at: Entry; reason: string; rules: string[] }[];
}

const ROLE_RULES = [
  'logs-permission',
  'xray-permission',
  'event-source-permission',
  'destination-permission',
  'vpc-permission',
  'sdk-permission',
];

/**
 * What lift does to the service configuration when it initialises, applied to the (resolved)
 * configuration: the constructs' statements added to the provider's, the queue workers added to
 * `functions` with their `sqs` events. Returns the configuration unchanged when lift is not used.
 */
export function applyLift(cfg: TNode, serviceDir: string): { cfg: TNode; result: LiftResult } {
  const result: LiftResult = { resources: new Map(), gaps: [] };
  if (!usesLift(cfg)) return { cfg, result };
  const constructs = get(cfg, 'constructs');
  if (!constructs || constructs.kind !== 'map') return { cfg, result };
  const version = installedVersion(serviceDir);
  const automatic = get(get(cfg, 'lift'), 'automaticPermissions');
  const permissions = !(automatic?.kind === 'scalar' && automatic.value === false);
  const statements: TNode[] = [];
  const workers: Entry[] = [];
  const events = new Map<string, TNode>();
  for (const e of constructs.entries ?? []) {
    const c = e.value;
    const type = constructType(c);
    const at = c;
    const id = e.key;
    for (const [name, t] of Object.entries((type && VARIABLES[type]?.resources) ?? {}))
      result.resources.set(`${id}${name}`, t);
    if (type === 'queue') {
      const arn = getAtt(at, `${id}Queue`, 'Arn');
      const actions = [
        'sqs:SendMessage',
        ...(version === undefined || atLeast(version, [1, 25, 1]) ? ['sqs:ChangeMessageVisibility'] : []),
      ];
      if (permissions) statements.push(statement(at, actions, [arn]));
      const worker = get(c, 'worker');
      const batch = get(c, 'batchSize');
      const sqs = map(at, [
        ['arn', arn],
        ['batchSize', batch ?? num(at, 1)],
        ['functionResponseType', str(at, 'ReportBatchItemFailures')],
      ]);
      const event = map(at, [['sqs', sqs]]);
      if (worker?.kind === 'map')
        workers.push({ key: `${id}Worker`, keyStart: e.keyStart, keyEnd: e.keyEnd, keyFile: e.keyFile, value: worker });
      if (worker?.kind === 'map') events.set(`${id}Worker`, event);
      else if (worker?.kind === 'scalar' && typeof worker.value === 'string') events.set(worker.value, event);
      else
        result.gaps.push({ at: e, reason: `worker of serverless-lift queue ${id} that does not resolve`, rules: [] });
    } else if (type === 'storage') {
      const arn = getAtt(at, `${id}Bucket`, 'Arn');
      const objects = map(at, [['Fn::Join', seq(at, [str(at, '/'), seq(at, [arn, str(at, '*')])])]]);
      const actions =
        version === undefined || atLeast(version, [1, 37, 4]) ? [...STORAGE_BASE, ...STORAGE_EXTRA] : STORAGE_BASE;
      if (permissions) statements.push(statement(at, actions, [arn, objects]));
    } else if (type === 'database/dynamodb-single-table') {
      const arn = getAtt(at, `${id}Table`, 'Arn');
      const indexes = map(at, [['Fn::Join', seq(at, [str(at, '/'), seq(at, [arn, str(at, 'index'), str(at, '*')])])]]);
      if (permissions) statements.push(statement(at, TABLE_ACTIONS, [arn, indexes]));
    } else if (type === 'vpc') {
      result.gaps.push({
        at: e,
        reason: `VPC set by serverless-lift construct ${id}`,
        rules: ['vpc-config', 'vpc-permission', 'vpc-public-subnet'],
      });
    } else if (!type || !NO_STATEMENTS.has(type)) {
      result.gaps.push({
        at: e,
        reason: `serverless-lift construct ${id}${type ? ` of type ${type}` : ''} not modelled`,
        rules: ROLE_RULES,
      });
    }
  }
  let out = cfg;
  if (statements.length) out = withStatements(out, statements);
  if (workers.length || events.size) out = withWorkers(out, workers, events);
  return { cfg: out, result };
}

/** The statements appended where lift appends them (src/plugin.ts `appendPermissions`). */
function withStatements(cfg: TNode, statements: TNode[]): TNode {
  const provider = get(cfg, 'provider') ?? map(cfg, []);
  const iam = get(provider, 'iam');
  const role = get(iam, 'role');
  const append = (list: TNode | undefined, at: TNode): TNode =>
    list?.kind === 'seq'
      ? { ...list, items: [...(list.items ?? []), ...statements] }
      : list
        ? list
        : seq(at, statements);
  let newProvider: TNode;
  if (role?.kind === 'map' && get(role, 'statements') !== undefined) {
    const newRole = set(role, 'statements', append(get(role, 'statements'), role));
    newProvider = set(provider, 'iam', set(iam!, 'role', newRole));
  } else newProvider = set(provider, 'iamRoleStatements', append(get(provider, 'iamRoleStatements'), provider));
  return set(cfg, 'provider', newProvider);
}

function withWorkers(cfg: TNode, workers: Entry[], events: Map<string, TNode>): TNode {
  const fns = get(cfg, 'functions');
  const maps = fns?.kind === 'seq' ? fns.items!.filter((i) => i.kind === 'map') : fns?.kind === 'map' ? [fns] : [];
  const addEvent = (name: string, fn: TNode): TNode => {
    const ev = events.get(name);
    if (!ev || fn.kind !== 'map') return fn;
    const list = get(fn, 'events');
    return set(fn, 'events', list?.kind === 'seq' ? { ...list, items: [...(list.items ?? []), ev] } : seq(fn, [ev]));
  };
  const rewrite = (m: TNode): TNode => ({
    ...m,
    entries: (m.entries ?? []).map((e) => ({ ...e, value: addEvent(e.key, e.value) })),
  });
  const extra: Entry[] = workers.map((w) => ({ ...w, value: addEvent(w.key, w.value) }));
  if (fns?.kind === 'seq') {
    const items = (fns.items ?? []).map((i) => (maps.includes(i) ? rewrite(i) : i));
    return set(cfg, 'functions', {
      ...fns,
      items: [
        ...items,
        ...(extra.length
          ? [{ kind: 'map' as const, file: cfg.file, start: cfg.start, end: cfg.start, entries: extra }]
          : []),
      ],
    });
  }
  const base = fns?.kind === 'map' ? rewrite(fns) : map(cfg, []);
  return set(cfg, 'functions', { ...base, entries: [...(base.entries ?? []), ...extra] });
}

/** The version of serverless-lift the service installs: node_modules, then package-lock.json, then an exact pin in package.json. */
function installedVersion(dir: string): number[] | undefined {
  const read = (f: string): unknown => {
    try {
      return JSON.parse(fs.readFileSync(f, 'utf8').replace(/^\uFEFF/, ''));
    } catch {
      return undefined;
    }
  };
  const parse = (v: unknown) =>
    typeof v === 'string' && /^\d+\.\d+\.\d+$/.test(v) ? v.split('.').map(Number) : undefined;
  for (let d = dir, i = 0; i < 8; i++) {
    const installed = read(path.join(d, 'node_modules', LIFT_PLUGIN, 'package.json')) as
      { version?: string } | undefined;
    if (installed) return parse(installed.version);
    const lock = read(path.join(d, 'package-lock.json')) as
      | { packages?: Record<string, { version?: string }>; dependencies?: Record<string, { version?: string }> }
      | undefined;
    const locked =
      lock?.packages?.[`node_modules/${LIFT_PLUGIN}`]?.version ?? lock?.dependencies?.[LIFT_PLUGIN]?.version;
    if (locked) return parse(locked);
    const pkg = read(path.join(d, 'package.json')) as Record<string, Record<string, string> | undefined> | undefined;
    const range = pkg?.dependencies?.[LIFT_PLUGIN] ?? pkg?.devDependencies?.[LIFT_PLUGIN];
    if (range) return parse(range);
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  return undefined;
}

/** v ≥ min; an unknown version is what `npm install` gives today, the newest. */
function atLeast(v: number[], min: number[]): boolean {
  for (let i = 0; i < 3; i++) if (v[i] !== min[i]) return v[i] > min[i];
  return true;
}

// ---- synthetic nodes, placed where the construct is written -----------------------------------

function str(at: TNode, value: string): TNode {
  return { kind: 'scalar', file: at.file, start: at.start, end: at.end, value };
}
function num(at: TNode, value: number): TNode {
  return { kind: 'scalar', file: at.file, start: at.start, end: at.end, value };
}
function seq(at: TNode, items: TNode[]): TNode {
  return { kind: 'seq', file: at.file, start: at.start, end: at.end, items };
}
function map(at: TNode, entries: [string, TNode][]): TNode {
  return {
    kind: 'map',
    file: at.file,
    start: at.start,
    end: at.end,
    entries: entries.map(([key, value]) => ({ key, keyStart: at.start, keyEnd: at.start, value })),
  };
}
function getAtt(at: TNode, id: string, attr: string): TNode {
  return map(at, [['Fn::GetAtt', seq(at, [str(at, id), str(at, attr)])]]);
}
function statement(at: TNode, actions: string[], resources: TNode[]): TNode {
  return map(at, [
    ['Effect', str(at, 'Allow')],
    [
      'Action',
      seq(
        at,
        actions.map((a) => str(at, a)),
      ),
    ],
    ['Resource', seq(at, resources)],
  ]);
}
/** A copy of a map with `key` set (replaced in place, or appended). */
function set(m: TNode, key: string, value: TNode): TNode {
  const entries = m.entries ?? [];
  const i = entries.findIndex((e) => e.key === key);
  if (i >= 0) return { ...m, entries: entries.map((e, j) => (j === i ? { ...e, value } : e)) };
  return { ...m, kind: 'map', entries: [...entries, { key, keyStart: m.start, keyEnd: m.start, value }] };
}
