// What the Serverless Framework generates (docs/FACTS.md §5.1-§5.3): whom each function runs as, the
// shared role IamRoleLambdaExecution and the roles per function (Framework v4 or the
// serverless-iam-roles-per-function plugin) as synthetic resources beside `resources:`, and the
// statements the framework and the plugin add to them on their own.
// Over 600 lines because: each role mode (shared, per function in v4, the plugin) and each event type
// that adds statements is a short case of one decision; splitting them would scatter that decision.
import { ENI_ACTIONS } from '../iam/check.js';
import { notChecked } from '../model/coverage.js';
import type {
  EventInvokeConfig,
  EventSourceMapping,
  LambdaFunction,
  Origin,
  PolicyDocument,
  Role,
  Statement,
  Val,
} from '../model/types.js';
import { entry, type Entry, entryRange, get, keyRange, type TNode } from '../source/parse.js';
import { scalarString } from '../values/cfn.js';
import {
  type FunctionSpec,
  functionSpecs,
  isEmptyNode,
  pluginNames,
  ROLE_RULES,
  scalar,
  truthy,
} from './serverless-config.js';
import { isNull, strAt } from './serverless-variables.js';
import type { ServerlessLoader } from './serverless.js';

export const GENERATED_ROLE = 'IamRoleLambdaExecution';

const LOGS_ARN = 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:';

/** The plugin that gives a function with `iamRoleStatements` a role of its own (github functionalone/serverless-iam-roles-per-function). */
export const ROLES_PLUGIN = 'serverless-iam-roles-per-function';

/** Who made a function's own role: the plugin (v3.2.0, src/lib/index.ts) or Framework v4 (roles-per-function.js). */
export type Dedicated = 'plugin' | 'v4';

/** Whom a function runs as: its own `role`, the provider's role, the shared role, a role of its own, or unknown (why). */
export type RoleMode = 'custom' | 'provider' | 'shared' | Dedicated | { unknown: string };

/**
 * Whom a function runs as (docs/FACTS.md §5.3). `functions.X.role` and a provider role win. The
 * serverless-iam-roles-per-function plugin gives a function with `iamRoleStatements` a role of its
 * own (src/lib/index.ts `createRoleForFunction`, v3.2.0), and Framework v4 then leaves per-function
 * roles to it (uses-dedicated-per-function-role.js `hasExternalIamPerFunctionPlugin`). Without the
 * plugin, v4 makes the role itself for `iamRoleStatements`, `iam.role.statements`, a non-empty
 * `iam.role.managedPolicies`, or every function in perFunction mode (same file); v3 ignores these
 * keys (not in its schema), so the function runs as the shared role.
 */
/** Whether a service's `frameworkVersion` pins Serverless Framework v3 or older (`"3"`, `">=2.24.0"`, `^3.38.0`). */
export function frameworkV3OrOlder(loader: ServerlessLoader): boolean {
  const version = scalarString(get(loader.cfg, 'frameworkVersion'));
  return version !== undefined && /^\D*[0-3](\D|$)/.test(version);
}

export function roleMode(
  loader: ServerlessLoader,
  f: FunctionSpec,
  providerRole: Entry | undefined,
  perFunctionMode: boolean,
): RoleMode {
  if (entry(f.node, 'role')) return 'custom';
  if (providerRole) return 'provider';
  const legacy = get(f.node, 'iamRoleStatements') !== undefined;
  const fnRole = get(get(f.node, 'iam'), 'role');
  const plugins = pluginNames(loader);
  const fork = plugins.names.find((n) => n !== ROLES_PLUGIN && n.includes(ROLES_PLUGIN));
  if (plugins.names.includes(ROLES_PLUGIN)) {
    if (perFunctionMode) return { unknown: `provider.iam.role.mode perFunction beside the ${ROLES_PLUGIN} plugin` };
    return legacy ? 'plugin' : 'shared';
  }
  if (fork && legacy) return { unknown: `role made by the plugin ${fork}, a fork lambdalint does not model` };
  const managed = get(fnRole, 'managedPolicies');
  const own =
    perFunctionMode ||
    legacy ||
    get(fnRole, 'statements') !== undefined ||
    (managed !== undefined && !(managed.kind === 'seq' && managed.items!.length === 0));
  if (!own) return 'shared';
  const version = scalarString(get(loader.cfg, 'frameworkVersion'));
  if (frameworkV3OrOlder(loader)) {
    // v3 and older ignore per-function roles: the shared role, unless a plugin lambdalint cannot name may add one.
    return plugins.resolved
      ? 'shared'
      : { unknown: 'per-function role settings with a plugins list lambdalint cannot read' };
  }
  if (version === undefined && legacy && !perFunctionMode && get(f.node, 'iam') === undefined) {
    return {
      unknown: `iamRoleStatements without the ${ROLES_PLUGIN} plugin or a frameworkVersion (v4 makes a role of its own, v3 ignores them)`,
    };
  }
  return 'v4';
}

/**
 * The function's own role setting that Framework v3 ignores (roleMode gave it the shared role for
 * its version): `iamRoleStatements` (read by the serverless-iam-roles-per-function plugin only) or
 * `iam.role` (a v4 key), with what to tell the user; undefined when none is ignored.
 */
export function ignoredRoleSetting(
  loader: ServerlessLoader,
  f: FunctionSpec,
  mode: RoleMode,
): { entry: Entry; message: string } | undefined {
  if (mode !== 'shared' || !frameworkV3OrOlder(loader)) return undefined;
  const legacy = entry(f.node, 'iamRoleStatements');
  if (legacy)
    return {
      entry: legacy,
      message: `iamRoleStatements of ${f.key}: Serverless Framework v3 ignores it without the ${ROLES_PLUGIN} plugin (not among the service's plugins); ${f.key} runs as ${GENERATED_ROLE}`,
    };
  const role = entry(get(f.node, 'iam'), 'role');
  if (role)
    return {
      entry: role,
      message: `iam.role of ${f.key}: a Serverless Framework v4 setting, which v3 ignores; ${f.key} runs as ${GENERATED_ROLE}`,
    };
  return undefined;
}

/**
 * A synthetic role resource holding the user's statements, so the CloudFormation loader reads
 * them: the shared `IamRoleLambdaExecution`, or a function's own role. What the framework or the
 * plugin adds on its own comes later (addImplicitStatements, addDedicatedStatements).
 */
export function generatedRoleEntry(
  loader: ServerlessLoader,
  fn?: FunctionSpec,
  id = GENERATED_ROLE,
  flavour?: Dedicated,
  perFunctionMode = false,
): Entry {
  const iam = get(loader.provider, 'iam');
  const roleCfg = get(iam, 'role');
  const fnIam = fn ? get(fn.node, 'iam') : undefined;
  const fnRole = get(fnIam, 'role');
  const legacy = fn ? entry(fn.node, 'iamRoleStatements') : undefined;
  const at =
    (fn
      ? ((flavour === 'plugin' ? legacy : undefined) ??
        entry(fnIam, 'role') ??
        entry(fn.node, 'iam') ??
        legacy ??
        fn.entry)
      : undefined) ??
    entry(iam, 'role') ??
    entry(loader.provider, 'iam') ??
    loader.providerEntry ??
    entry(loader.cfg, 'service')!;
  const file = at.keyFile ?? at.value.file;
  const mk = (entries: Entry[]): TNode => ({ kind: 'map', file, start: at.keyStart, end: at.keyEnd, entries });
  const e = (key: string, value: TNode): Entry => ({
    key,
    keyStart: at.keyStart,
    keyEnd: at.keyEnd,
    value,
    keyFile: file,
  });
  const seq = (...nodes: (TNode | undefined)[]): TNode | undefined => {
    const present = nodes.filter((n): n is TNode => n !== undefined && !isNull(n));
    if (present.length <= 1) return present[0];
    // Lists from two places: one list of their items (an intrinsic in place of a list stays opaque).
    if (present.some((n) => n.kind !== 'seq')) return present.find((n) => n.kind !== 'seq');
    return { kind: 'seq', file, start: at.keyStart, end: at.keyEnd, items: present.flatMap((n) => n.items ?? []) };
  };
  const custom = get(get(loader.cfg, 'custom'), ROLES_PLUGIN);
  const providerBoundary =
    get(roleCfg, 'permissionsBoundary') ??
    get(roleCfg, 'permissionBoundary') ??
    get(loader.provider, 'rolePermissionsBoundary');
  let statements: TNode | undefined;
  let managed: TNode | undefined;
  let boundary: TNode | undefined;
  if (!fn) {
    // The shared role (merge-iam-templates.js): provider statements, managed policies, boundary.
    statements = get(roleCfg, 'statements') ?? get(loader.provider, 'iamRoleStatements');
    managed = get(roleCfg, 'managedPolicies') ?? get(loader.provider, 'iamManagedPolicies');
    boundary = providerBoundary;
  } else {
    // Both copy the provider's statements only when inheriting, from `provider.iam.role.statements`
    // when `provider.iam` exists, else from the legacy `provider.iamRoleStatements` (plugin
    // src/lib/index.ts lines 344-358; v4 roles-per-function.js lines 280-316).
    const inherit = inherits(loader, fn, flavour!, perFunctionMode);
    const providerStatements = iam ? get(roleCfg, 'statements') : get(loader.provider, 'iamRoleStatements');
    const own = flavour === 'v4' ? (get(fnRole, 'statements') ?? legacy?.value) : legacy?.value;
    statements = seq(inherit !== false ? providerStatements : undefined, own);
    // The plugin empties the managed policies of the role it copies (line 312); v4 keeps the
    // provider's only in perFunction mode (`preserveManagedPolicies`), and adds the function's.
    managed =
      flavour === 'v4'
        ? seq(perFunctionMode ? get(roleCfg, 'managedPolicies') : undefined, get(fnRole, 'managedPolicies'))
        : undefined;
    boundary =
      (flavour === 'v4' ? get(fnRole, 'permissionsBoundary') : undefined) ??
      get(fn.node, 'iamPermissionsBoundary') ??
      get(custom, 'iamGlobalPermissionsBoundary') ??
      providerBoundary;
  }
  const props: Entry[] = [];
  if (statements) {
    props.push(
      e('Policies', {
        kind: 'seq',
        file,
        start: at.keyStart,
        end: at.keyEnd,
        items: [
          mk([e('PolicyName', scalar(file, at, 'lambda')), e('PolicyDocument', mk([e('Statement', statements)]))]),
        ],
      }),
    );
  }
  if (managed) props.push(e('ManagedPolicyArns', managed));
  if (boundary) props.push(e('PermissionsBoundary', boundary));
  return e(id, mk([e('Type', scalar(file, at, 'AWS::IAM::Role')), e('Properties', mk(props))]));
}

/**
 * Whether a function's own role copies the provider's statements: true, false, or undefined when
 * a flag cannot be read. Plugin: `iamRoleStatementsInherit || (defaultInherit && iamRoleStatementsInherit !== false)`
 * (src/lib/index.ts line 344). v4: `iam.inheritStatements`, else `iamRoleStatementsInherit`, else
 * the plugin's `defaultInherit`, else true in perFunction mode and false otherwise
 * (roles-per-function.js lines 286-308).
 */
function inherits(
  loader: ServerlessLoader,
  fn: FunctionSpec,
  flavour: Dedicated,
  perFunctionMode: boolean,
): boolean | undefined {
  const flag = (n: TNode | undefined): boolean | undefined | 'unknown' => {
    if (!n) return undefined;
    if (n.kind !== 'scalar' || (typeof n.value !== 'boolean' && n.value !== null)) return 'unknown';
    return n.value === null ? undefined : n.value;
  };
  const legacyFlag = flag(get(fn.node, 'iamRoleStatementsInherit'));
  const defaultFlag = flag(get(get(get(loader.cfg, 'custom'), ROLES_PLUGIN), 'defaultInherit'));
  if (flavour === 'plugin') {
    if (legacyFlag === true) return true;
    if (legacyFlag === 'unknown' || defaultFlag === 'unknown') return undefined;
    return defaultFlag === true && legacyFlag !== false;
  }
  for (const f of [flag(get(get(fn.node, 'iam'), 'inheritStatements')), legacyFlag, defaultFlag]) {
    if (f === 'unknown') return undefined;
    if (f !== undefined) return f;
  }
  return perFunctionMode;
}

/** `resources:` (a map, or a list of maps from `${file(...)}`) as one template root. */
export function mergedResources(loader: ServerlessLoader, extras: Entry[]): TNode {
  const res = get(loader.cfg, 'resources');
  const parts = res?.kind === 'seq' ? res.items!.filter((i) => i.kind === 'map') : res?.kind === 'map' ? [res] : [];
  const sections = new Map<string, Entry[]>();
  for (const p of parts) {
    for (const e of p.entries ?? []) {
      if (e.value.kind !== 'map') continue;
      const list = sections.get(e.key) ?? [];
      list.push(...(e.value.entries ?? []));
      sections.set(e.key, list);
    }
  }
  const ids = new Set(extras.map((x) => x.key));
  const resources = (sections.get('Resources') ?? []).filter((e) => !ids.has(e.key));
  for (const extra of extras) {
    if ((sections.get('Resources') ?? []).some((e) => e.key === extra.key)) {
      loader.deployment.notes.push(
        `resources: ${extra.key} is extended in resources; its added properties are not modelled`,
      );
    }
    resources.push(extra);
  }
  sections.set('Resources', resources);
  const base = res ?? loader.cfg;
  const file = base.file;
  return {
    kind: 'map',
    file,
    start: base.start,
    end: base.end,
    entries: [...sections].map(([key, entries]) => ({
      key,
      keyStart: base.start,
      keyEnd: base.start,
      value: { kind: 'map', file: base.file, start: base.start, end: base.end, entries },
    })),
  };
}

/** What the framework adds to IamRoleLambdaExecution on its own (docs/FACTS.md §5.1, §5.2). */
export function addImplicitStatements(
  loader: ServerlessLoader,
  role: Role,
  loaded: { fn: LambdaFunction; spec: FunctionSpec }[],
  service: Val<string>,
  stage: string,
): void {
  const ids = new Set(loaded.map((l) => l.fn.id));
  const providerRange = loader.providerEntry ? keyRange(loader.providerEntry) : undefined;
  const docs: PolicyDocument[] = [];
  const add = (
    note: string,
    range: Origin['range'],
    stmts: { actions: string[]; resources: Val<string>[]; effect?: Statement['effect'] }[],
  ) => {
    const origin: Origin = { via: 'implicit', range, note };
    const statements: Statement[] = stmts.map((s) => ({
      effect: s.effect ?? 'Allow',
      actions: s.actions.map((a) => ({ value: a, origin })),
      resources: s.resources.map((r) => ({ ...r, origin })),
      hasCondition: false,
      origin,
    }));
    docs.push({ name: `${service.value ?? 'service'}-${stage}-lambda`, statements, complete: true, origin });
  };
  const text = (t: string): Val<string> =>
    t.includes('${')
      ? { sym: { kind: 'expr', key: `expr:${t}`, text: t }, origin: { via: 'implicit' } }
      : { value: t, origin: { via: 'implicit' } };
  const star = text('*');
  const svc = service.value ?? (service.sym?.kind === 'expr' ? service.sym.text : '${service}');
  const prefix = `${svc}-${stage}`;

  // Logs: one pattern for canonically named functions, one per custom-named function.
  const groups: string[] = [];
  let canonical = false;
  for (const { fn } of loaded) {
    const group = fn.logGroup
      ? (fn.logGroup.value ?? (fn.logGroup.sym?.kind === 'expr' ? fn.logGroup.sym.text : undefined))
      : undefined;
    if (fn.logGroup) {
      if (group !== undefined) groups.push(group);
      else role.complete = false;
      continue;
    }
    const name = fn.name?.value ?? (fn.name?.sym?.kind === 'expr' ? fn.name.sym.text : undefined);
    if (name !== undefined && name.startsWith(prefix)) canonical = true;
    else if (name !== undefined) groups.push(`/aws/lambda/${name}`);
    else role.complete = false;
  }
  const logGroups = [...(canonical ? [`/aws/lambda/${prefix}*`] : []), ...new Set(groups)];
  if (logGroups.length) {
    add("added by the Serverless Framework for the functions' logs", providerRange, [
      {
        actions: ['logs:CreateLogStream', 'logs:CreateLogGroup', 'logs:TagResource'],
        resources: logGroups.map((g) => text(`${LOGS_ARN}${g}:*`)),
      },
      { actions: ['logs:PutLogEvents'], resources: logGroups.map((g) => text(`${LOGS_ARN}${g}:*:*`)) },
    ]);
  }
  for (const { fn, spec } of loaded) {
    const dl = entry(spec.node, 'disableLogs');
    if (dl && truthy(dl.value) && fn.name?.value?.startsWith(prefix)) {
      add(`added by the Serverless Framework for disableLogs of ${fn.id}`, entryRange(dl), [
        {
          effect: 'Deny',
          actions: ['logs:PutLogEvents'],
          resources: [text(`${LOGS_ARN}/aws/lambda/${fn.name.value}:*`)],
        },
      ]);
    }
  }

  // Events of every function (v3 pushes them to the shared role whatever role the function uses).
  for (const m of loader.model.mappings.filter(
    (x) => x.deployment === loader.deployment && ids.has(x.target.functionId ?? ''),
  )) {
    const fnId = m.target.functionId ?? '';
    const source = m.source;
    const note = `added by the Serverless Framework for the ${m.label.replace(/ event \d+ of .*$/, '')} event of ${fnId}`;
    const range = m.origin.range;
    const arn = (v: Val<string> | undefined) => (v ? [v] : []);
    if (m.kind === 'sqs' && source)
      add(note, range, [
        { actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], resources: [source] },
      ]);
    else if (m.kind === 'dynamodb' && source)
      add(note, range, [
        {
          actions: [
            'dynamodb:GetRecords',
            'dynamodb:GetShardIterator',
            'dynamodb:DescribeStream',
            'dynamodb:ListStreams',
          ],
          resources: [source],
        },
      ]);
    else if (m.kind === 'kinesis' && source) {
      const ev = eventNode(loader, m.id);
      const consumer = ev ? entry(ev, 'consumer') : undefined;
      if (consumer && truthy(consumer.value)) {
        add(note, range, [
          {
            actions: [
              'kinesis:GetRecords',
              'kinesis:GetShardIterator',
              'kinesis:DescribeStreamSummary',
              'kinesis:ListShards',
            ],
            resources: [source],
          },
        ]);
        const c = strAt(loader, consumer, 'direct');
        if (c && c.value !== 'true' && typeof consumer.value.value !== 'boolean')
          add(note, range, [{ actions: ['kinesis:SubscribeToShard'], resources: [c] }]);
        else role.complete = false; // the consumer the framework creates: its ARN is not modelled
      } else
        add(note, range, [
          {
            actions: [
              'kinesis:GetRecords',
              'kinesis:GetShardIterator',
              'kinesis:DescribeStream',
              'kinesis:ListStreams',
            ],
            resources: [source],
          },
        ]);
    } else if (m.kind === 'msk' && source) {
      add(note, range, [
        { actions: ['kafka:DescribeCluster', 'kafka:GetBootstrapBrokers'], resources: [source] },
        { actions: ENI_ACTIONS, resources: [star] },
      ]);
    } else if (m.kind === 'kafka') {
      const secrets = (m.accessConfigs ?? []).filter((a) => a.type && /AUTH$/.test(a.type)).map((a) => a.uri);
      const hasVpc =
        (m.accessConfigs ?? []).some((a) => a.type === 'VPC_SUBNET') &&
        (m.accessConfigs ?? []).some((a) => a.type === 'VPC_SECURITY_GROUP');
      const stmts = [
        ...(secrets.length ? [{ actions: ['secretsmanager:GetSecretValue'], resources: secrets }] : []),
        ...(hasVpc ? [{ actions: ENI_ACTIONS, resources: [star] }] : []),
      ];
      if (stmts.length) add(note, range, stmts);
    } else if (m.kind === 'mq') {
      const secrets = (m.accessConfigs ?? []).map((a) => a.uri);
      add(note, range, [
        { actions: ENI_ACTIONS, resources: [star] },
        ...(secrets.length ? [{ actions: ['secretsmanager:GetSecretValue'], resources: secrets }] : []),
        ...(source ? [{ actions: ['mq:DescribeBroker'], resources: arn(source) }] : []),
      ]);
    }
    for (const d of m.destinations ?? []) {
      if (d.type === 'sns')
        add(`${note} (on-failure destination)`, range, [{ actions: ['sns:Publish'], resources: [d.arn] }]);
      else if (d.type === 'sqs')
        add(`${note} (on-failure destination)`, range, [
          { actions: ['sqs:ListQueues', 'sqs:SendMessage'], resources: [d.arn] },
        ]);
      else role.complete = false;
    }
  }

  // A websocket event on any function: the API's @connections for the shared role, unless the
  // API is an existing one (compile/events/websockets/lib/api.js `compileApi`, v3.40.0 and v4).
  const ws = functionSpecs(loader)
    .map((f) => (get(f.node, 'events')?.items ?? []).map((i) => entry(i, 'websocket')).find((e) => e !== undefined))
    .find((e) => e !== undefined);
  if (ws && get(get(loader.provider, 'apiGateway'), 'websocketApiId') === undefined) {
    add('added by the Serverless Framework for websocket events', keyRange(ws), [
      {
        actions: ['execute-api:ManageConnections'],
        resources: [text('arn:${AWS::Partition}:execute-api:*:*:*/@connections/*')],
      },
    ]);
  }

  // Tracing, VPC, dead-letter topics, destinations, KMS (compile/functions.js).
  const ptr = entry(get(loader.provider, 'tracing'), 'lambda');
  const traced = loaded.find(({ spec }) => truthy(get(spec.node, 'tracing')));
  if ((ptr && truthy(ptr.value)) || traced) {
    const at = ptr && truthy(ptr.value) ? ptr : entry(traced!.spec.node, 'tracing')!;
    add('added by the Serverless Framework for tracing', entryRange(at), [
      { actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: [star] },
    ]);
  }
  const pvpc = entry(loader.provider, 'vpc');
  const fvpc = loaded.map(({ spec }) => entry(spec.node, 'vpc')).find((e) => e !== undefined);
  const vpcAt = pvpc ?? fvpc;
  if (vpcAt) {
    role.managedPolicyArns.push({
      value: 'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole',
      origin: { via: 'implicit', range: entryRange(vpcAt), note: 'added by the Serverless Framework for vpc' },
    });
  }
  for (const { fn, spec } of loaded) {
    if (fn.deadLetter)
      add(`added by the Serverless Framework for onError of ${fn.id}`, fn.deadLetter.arn.origin.range, [
        { actions: ['sns:Publish'], resources: [fn.deadLetter.arn] },
      ]);
    const kms =
      strAt(loader, entry(spec.node, 'kmsKeyArn'), 'direct') ??
      strAt(loader, entry(loader.provider, 'kmsKeyArn'), 'provider');
    if (kms)
      add(`added by the Serverless Framework for kmsKeyArn of ${fn.id}`, kms.origin.range, [
        { actions: ['kms:Decrypt'], resources: [kms] },
      ]);
  }
  for (const c of loader.model.invokeConfigs.filter(
    (x) => x.deployment === loader.deployment && ids.has(x.target.functionId ?? ''),
  )) {
    for (const d of c.destinations) {
      const actions: Record<string, string> = {
        function: 'lambda:InvokeFunction',
        sqs: 'sqs:SendMessage',
        sns: 'sns:Publish',
        eventBus: 'events:PutEvents',
      };
      const action = d.type ? actions[d.type] : undefined;
      if (action)
        add(`added by the Serverless Framework for destinations of ${c.target.functionId}`, d.arn.origin.range, [
          { actions: [action], resources: [d.arn] },
        ]);
      else role.complete = false;
    }
  }
  role.inline.unshift(...docs);
}

/**
 * What the serverless-iam-roles-per-function plugin (v3.2.0, src/lib/index.ts
 * `createRoleForFunction`, lines 298-342) or Framework v4 (roles-per-function-permissions.js)
 * puts on a function's own role besides the user's statements.
 *
 * The plugin copies the shared role, empties its statements and managed policies, then adds:
 * logs:CreateLogStream, logs:CreateLogGroup and logs:PutLogEvents on `/aws/lambda/<name>:*:*`
 * (its own group by the default name, whatever `logs.logGroup` says); the VPC managed policy when
 * the function or the provider has a `vpc`; the four read actions per DynamoDB or Kinesis stream
 * (none for a Kinesis consumer, none for a stream's on-failure destination); the three SQS
 * actions per queue; sns:Publish for `onError`. It adds nothing for tracing (no X-Ray), kmsKeyArn,
 * destinations, MSK, Kafka, MQ or websockets, and drops the provider's managed policies.
 *
 * v4 adds all of that with the group resolved from `logs.logGroup`, and also: a Deny of
 * logs:PutLogEvents with `disableLogs`, the durable-execution managed policy, Kinesis consumer
 * and stream on-failure statements, execute-api:ManageConnections for websockets, MQ, Kafka and
 * MSK statements, CloudFront (Lambda@Edge) logs, X-Ray when traced, kms:Decrypt for kmsKeyArn,
 * EFS mount actions and async destinations.
 */
export function addDedicatedStatements(
  loader: ServerlessLoader,
  role: Role,
  { fn, spec }: { fn: LambdaFunction; spec: FunctionSpec },
  flavour: Dedicated,
  perFunctionMode: boolean,
  /** The mappings and invoke configs of the deployment by function id, in model order (grouped once, not scanned per function). */
  of: {
    mappings: ReadonlyMap<string, readonly EventSourceMapping[]>;
    invokeConfigs: ReadonlyMap<string, readonly EventInvokeConfig[]>;
  },
): void {
  const by = flavour === 'plugin' ? ROLES_PLUGIN : 'the Serverless Framework';
  const docs: PolicyDocument[] = [];
  const add = (
    what: string,
    range: Origin['range'],
    stmts: { actions: string[]; resources: Val<string>[]; effect?: Statement['effect'] }[],
  ) => {
    const origin: Origin = { via: 'implicit', range, note: `added by ${by} for ${what}` };
    const statements: Statement[] = stmts.map((st) => ({
      effect: st.effect ?? 'Allow',
      actions: st.actions.map((a) => ({ value: a, origin })),
      resources: st.resources.map((r) => ({ ...r, origin })),
      hasCondition: false,
      origin,
    }));
    docs.push({ name: 'lambda', statements, complete: true, origin });
  };
  const text = (t: string): Val<string> =>
    t.includes('${')
      ? { sym: { kind: 'expr', key: `expr:${t}`, text: t }, origin: { via: 'implicit' } }
      : { value: t, origin: { via: 'implicit' } };
  const asText = (v: Val<string> | undefined): string | undefined =>
    v?.value ?? (v?.sym?.kind === 'expr' ? v.sym.text : undefined);
  const node = spec.node;
  const fnRange = fn.origin.range;
  const v4 = flavour === 'v4';
  if (inherits(loader, spec, flavour, perFunctionMode) === undefined) {
    role.complete = false;
    notChecked(loader.model, {
      fn: fn.id,
      file: loader.file,
      rules: ROLE_RULES,
      reason: "whether its role inherits the provider's statements is not known",
    });
  }

  // Logs: the function's group by its default name (plugin), or the resolved group (v4).
  const name = asText(fn.name);
  const group = v4 && fn.logGroup ? asText(fn.logGroup) : name !== undefined ? `/aws/lambda/${name}` : undefined;
  if (group === undefined) role.complete = false;
  else {
    const logs = text(`${LOGS_ARN}${group}:*:*`);
    add(`the logs of ${fn.id}`, fnRange, [
      { actions: ['logs:CreateLogStream', 'logs:CreateLogGroup', 'logs:PutLogEvents'], resources: [logs] },
    ]);
    const dl = entry(node, 'disableLogs');
    if (v4 && dl && truthy(dl.value))
      add(`disableLogs of ${fn.id}`, entryRange(dl), [
        { effect: 'Deny', actions: ['logs:PutLogEvents'], resources: [logs] },
      ]);
  }
  const managed = (policy: string, what: string, at: Entry) =>
    role.managedPolicyArns.push({
      value: `arn:aws:iam::aws:policy/${policy}`,
      origin: { via: 'implicit', range: entryRange(at), note: `added by ${by} for ${what}` },
    });
  const vpcAt = [entry(node, 'vpc'), entry(loader.provider, 'vpc')].find(
    (e) => e !== undefined && !isEmptyNode(e.value),
  );
  if (vpcAt) managed('service-role/AWSLambdaVPCAccessExecutionRole', 'vpc', vpcAt);
  const durable = entry(node, 'durableConfig');
  if (v4 && durable && truthy(durable.value))
    managed('service-role/AWSLambdaBasicDurableExecutionRolePolicy', 'durableConfig', durable);

  // Event sources of this function.
  const star = text('*');
  for (const m of (of.mappings.get(fn.id) ?? []).filter((x) => /\.events\[\d+\]$/.test(x.id))) {
    const what = `the ${m.label.replace(/ event \d+ of .*$/, '')} event of ${fn.id}`;
    const range = m.origin.range;
    const source = m.source;
    if (m.kind === 'sqs') {
      if (source)
        add(what, range, [
          { actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], resources: [source] },
        ]);
      else role.complete = false;
    } else if (m.kind === 'dynamodb' && source)
      add(what, range, [
        {
          actions: [
            'dynamodb:GetRecords',
            'dynamodb:GetShardIterator',
            'dynamodb:DescribeStream',
            'dynamodb:ListStreams',
          ],
          resources: [source],
        },
      ]);
    else if (m.kind === 'kinesis' && source) {
      const consumer = v4 ? entry(eventNode(loader, m.id), 'consumer') : undefined;
      if (consumer && truthy(consumer.value)) {
        add(what, range, [
          {
            actions: [
              'kinesis:GetRecords',
              'kinesis:GetShardIterator',
              'kinesis:DescribeStreamSummary',
              'kinesis:ListShards',
            ],
            resources: [source],
          },
        ]);
        const c = typeof consumer.value.value === 'boolean' ? undefined : strAt(loader, consumer, 'direct');
        if (c) add(what, range, [{ actions: ['kinesis:SubscribeToShard'], resources: [c] }]);
        else role.complete = false; // the consumer the framework creates: its ARN is not modelled
      } else
        add(what, range, [
          {
            actions: [
              'kinesis:GetRecords',
              'kinesis:GetShardIterator',
              'kinesis:DescribeStream',
              'kinesis:ListStreams',
            ],
            resources: [source],
          },
        ]);
    } else if (m.kind === 'dynamodb' || m.kind === 'kinesis' || m.kind === 'unknown') role.complete = false;
    else if (!v4)
      continue; // the plugin adds nothing for MSK, Kafka or MQ
    else if (m.kind === 'msk') {
      add(what, range, [
        ...(source ? [{ actions: ['kafka:DescribeCluster', 'kafka:GetBootstrapBrokers'], resources: [source] }] : []),
        { actions: ENI_ACTIONS, resources: [star] },
      ]);
    } else if (m.kind === 'kafka') {
      const ac = m.accessConfigs ?? [];
      const secrets = ac.filter((a) => a.type !== 'VPC_SUBNET' && a.type !== 'VPC_SECURITY_GROUP').map((a) => a.uri);
      const vpc = ac.some((a) => a.type === 'VPC_SUBNET' || a.type === 'VPC_SECURITY_GROUP');
      const stmts = [
        ...(secrets.length ? [{ actions: ['secretsmanager:GetSecretValue'], resources: secrets }] : []),
        ...(vpc ? [{ actions: ENI_ACTIONS, resources: [star] }] : []),
      ];
      if (stmts.length) add(what, range, stmts);
    } else if (m.kind === 'mq') {
      const secrets = (m.accessConfigs ?? []).map((a) => a.uri);
      add(what, range, [
        ...(secrets.length ? [{ actions: ['secretsmanager:GetSecretValue'], resources: secrets }] : []),
        ...(source ? [{ actions: ['mq:DescribeBroker'], resources: [source] }] : []),
        { actions: ENI_ACTIONS, resources: [star] },
      ]);
    }
    if (!v4) continue;
    // v4 only: a stream's on-failure destination (SNS, else SQS).
    for (const d of m.destinations ?? []) {
      add(`${what} (on-failure destination)`, range, [
        d.type === 'sns'
          ? { actions: ['sns:Publish'], resources: [d.arn] }
          : { actions: ['sqs:ListQueues', 'sqs:SendMessage'], resources: [d.arn] },
      ]);
    }
  }
  if (fn.deadLetter)
    add(`onError of ${fn.id}`, fn.deadLetter.arn.origin.range, [
      { actions: ['sns:Publish'], resources: [fn.deadLetter.arn] },
    ]);
  if (v4) {
    const events = get(node, 'events')?.items ?? [];
    const eventOf = (type: string) => events.map((i) => entry(i, type)).find((e) => e !== undefined);
    const ws = eventOf('websocket');
    if (ws)
      add(`the websocket event of ${fn.id}`, keyRange(ws), [
        {
          actions: ['execute-api:ManageConnections'],
          resources: [text('arn:${AWS::Partition}:execute-api:*:*:*/@connections/*')],
        },
      ]);
    const cf = eventOf('cloudFront');
    if (cf)
      add(`the cloudFront event of ${fn.id}`, keyRange(cf), [
        {
          actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:TagResource'],
          resources: [text('arn:${AWS::Partition}:logs:*:*:*')],
        },
      ]);
    if (fn.tracing)
      add(`tracing of ${fn.id}`, fn.tracing.origin.range, [
        { actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: [star] },
      ]);
    const kms =
      strAt(loader, entry(node, 'kmsKeyArn'), 'direct') ??
      strAt(loader, entry(loader.provider, 'kmsKeyArn'), 'provider');
    if (kms) add(`kmsKeyArn of ${fn.id}`, kms.origin.range, [{ actions: ['kms:Decrypt'], resources: [kms] }]);
    const efs = strAt(loader, entry(get(node, 'fileSystemConfig'), 'arn'), 'direct');
    if (efs)
      add(`fileSystemConfig of ${fn.id}`, efs.origin.range, [
        {
          actions: /:s3files:/.test(asText(efs) ?? '')
            ? ['s3files:ClientMount', 's3files:ClientWrite']
            : ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
          resources: [efs],
        },
      ]);
    for (const c of of.invokeConfigs.get(fn.id) ?? []) {
      for (const d of c.destinations) {
        const actions: Record<string, string> = {
          function: 'lambda:InvokeFunction',
          sqs: 'sqs:SendMessage',
          sns: 'sns:Publish',
          eventBus: 'events:PutEvents',
        };
        const action = d.type ? actions[d.type] : undefined;
        if (action) add(`destinations of ${fn.id}`, d.arn.origin.range, [{ actions: [action], resources: [d.arn] }]);
        else role.complete = false;
      }
    }
  }
  role.inline.unshift(...docs);
}

function eventNode(loader: ServerlessLoader, mappingId: string): TNode | undefined {
  const m = /^(.*)\.events\[(\d+)\]$/.exec(mappingId);
  if (!m) return undefined;
  const spec = functionSpecs(loader).find((f) => f.key === m[1]);
  const item = get(spec?.node, 'events')?.items?.[Number(m[2])];
  const v = item?.entries?.[0]?.value;
  return v?.kind === 'map' ? v : undefined;
}
