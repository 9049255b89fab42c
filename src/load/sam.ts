// The SAM transform (AWS::Serverless-2016-10-31) → the model: Globals, the function's events, its
// AutoPublishAlias and EventInvokeConfig, and the role SAM generates with its managed policies,
// implicit statements and policy templates. Modelled from docs/FACTS.md §4, without running the SAM
// translator. The CloudFormation reader (./cloudformation.ts) calls loadSamFunction for each
// AWS::Serverless::Function and lends it its value readers.
// Over 600 lines because: the transform of one function is one pass over its properties (code,
// events of a dozen types, role, policy templates, aliases); the event types are the bulk.
import { entry, entryRange, get, keyRange, nodeRange, type Entry, type TNode } from '../source/parse.js';
import { intrinsicKey, placeholder, scalarString, toVal, type ResourceInfo } from '../values/cfn.js';
import type {
  Destination,
  EventSourceKind,
  FunctionTarget,
  LambdaFunction,
  Origin,
  PolicyDocument,
  Role,
  Statement,
  TriggerKind,
  Val,
  Via,
} from '../model/types.js';
import { ENI_ACTIONS } from '../iam/check.js';
import { managedPolicyArn, managedPolicyByName } from '../iam/managed-policies.js';
import { POLICY_TEMPLATES, type PolicyTemplate } from './sam-policy-templates.js';
import type { TemplateLoader } from './cloudformation.js';
import { policyDocument } from './cloudformation-iam.js';
import { definitionTimeout } from './cloudformation-triggers.js';

const PULL_EVENTS: Record<string, { kind: EventSourceKind; prop: string; policy?: string }> = {
  SQS: { kind: 'sqs', prop: 'Queue', policy: 'AWSLambdaSQSQueueExecutionRole' },
  Kinesis: { kind: 'kinesis', prop: 'Stream', policy: 'AWSLambdaKinesisExecutionRole' },
  DynamoDB: { kind: 'dynamodb', prop: 'Stream', policy: 'AWSLambdaDynamoDBExecutionRole' },
  MSK: { kind: 'msk', prop: 'Stream', policy: 'AWSLambdaMSKExecutionRole' },
  SelfManagedKafka: { kind: 'kafka', prop: 'KafkaBootstrapServers' },
  MQ: { kind: 'mq', prop: 'Broker' },
  DocumentDB: { kind: 'documentdb', prop: 'Cluster' },
};

const PUSH_EVENTS: Record<string, TriggerKind> = {
  S3: 's3',
  SNS: 'sns',
  Api: 'api',
  HttpApi: 'http-api',
  Schedule: 'schedule',
  ScheduleV2: 'schedule',
  CloudWatchEvent: 'eventbridge',
  EventBridgeRule: 'eventbridge',
  CloudWatchLogs: 'cloudwatch-logs',
  IoTRule: 'iot',
  AlexaSkill: 'alexa',
  Cognito: 'cognito',
};

function mergedSamProps(l: TemplateLoader, res: ResourceInfo): TNode | undefined {
  const local = l.props(res);
  if (!l.globals) return local;
  const ignore = get(res.node, 'IgnoreGlobals');
  let ignored = new Set<string>();
  if (ignore) {
    if (scalarString(ignore) === '*') return local;
    ignored = new Set((ignore.items ?? []).map((i) => scalarString(i) ?? ''));
  }
  const g: TNode = {
    ...l.globals,
    entries: (l.globals.entries ?? []).filter(
      (e) =>
        !ignored.has(e.key) &&
        e.key !== 'Role' &&
        e.key !== 'Policies' &&
        e.key !== 'Events' &&
        e.key !== 'FunctionName',
    ),
  };
  if (!local) return g;
  return mergeSam(g, local);
}

export function loadSamFunction(l: TemplateLoader, res: ResourceInfo): void {
  const props = mergedSamProps(l, res);
  const fn = l.baseFunction(res, props, 'sam');
  const fnVia = (e: Entry | undefined): Via => (e ? l.viaOf(e) : 'direct');
  // Code
  const inline = entry(props, 'InlineCode');
  const codeUri = entry(props, 'CodeUri');
  const image = entry(props, 'ImageUri');
  if (fn.packageType === 'Image' || image) {
    fn.packageType = 'Image';
    fn.code = { kind: 'image', directUpload: false, built: false, origin: l.origin(image ?? codeUri, fnVia(image)) };
  } else if (inline) {
    fn.code = {
      kind: 'inline',
      inline: l.r.str(inline.value).value,
      directUpload: false,
      built: false,
      origin: l.origin(inline, fnVia(inline)),
    };
  } else if (codeUri) {
    const ev = l.r.evaluate(codeUri.value);
    const origin = l.origin(codeUri, fnVia(codeUri));
    if (ev.k === 'node' && ev.node.kind === 'scalar' && typeof ev.node.value === 'string')
      fn.code = l.localCode(ev.node.value, origin, false);
    else if (ev.k === 'str') fn.code = l.localCode(ev.value, origin, false);
    else if (ev.k === 'node' && ev.node.kind === 'map')
      fn.code = { kind: 's3', directUpload: false, built: false, origin };
    else fn.code = { kind: 'unknown', directUpload: false, built: false, origin };
  } else {
    // No CodeUri (nor in Globals): `sam build` reads the template's folder (SAM CLI
    // samcli/lib/providers/sam_base_provider.py, DEFAULT_CODEURI = "."), and `sam package` without a
    // build zips the folder it runs in (samcli/lib/package/packageable_resources.py,
    // PACKAGE_NULL_PROPERTY = True), the template's folder when run beside it.
    fn.code = l.localCode(
      '.',
      { via: 'default', range: fn.origin.range, note: 'no CodeUri: SAM builds and packages the template folder' },
      false,
    );
  }
  const buildMethod = scalarString(get(get(res.node, 'Metadata'), 'BuildMethod'));
  if (buildMethod) fn.meta.buildMethod = buildMethod;
  // esbuild entry points and externals, for the code analysis (src/code/) to judge the bundle.
  const buildProps = get(get(res.node, 'Metadata'), 'BuildProperties');
  for (const [key, metaKey] of [
    ['EntryPoints', 'entryPoints'],
    ['External', 'external'],
  ] as const) {
    const items = (get(buildProps, key)?.items ?? []).map((i) => scalarString(i)).filter((x): x is string => !!x);
    if (items.length) fn.meta[metaKey] = items.join('\n');
  }
  // Tracing
  const tracing = l.strVal(props, 'Tracing');
  if (tracing) fn.tracing = tracing;
  // AutoPublishAlias
  const aliasName = l.strVal(props, 'AutoPublishAlias');
  const fnTarget = (origin: Origin): FunctionTarget => {
    if (aliasName && (aliasName.value !== undefined || aliasName.sym)) {
      return { functionId: res.id, qualifier: 'alias', aliasId: `${res.id}Alias${aliasName.value ?? ''}`, origin };
    }
    return { functionId: res.id, qualifier: 'unqualified', origin };
  };
  if (aliasName && (aliasName.value !== undefined || aliasName.sym)) {
    fn.meta.autoPublishAlias = aliasName.value ?? aliasName.sym!.text;
    l.model.aliases.push({
      id: `${res.id}Alias${(aliasName.value ?? '').replace(/-/g, 'D').replace(/_/g, 'U')}`,
      deployment: l.deployment,
      name: aliasName,
      functionId: res.id,
      version: {
        value: 'published',
        origin: { ...aliasName.origin, via: 'implicit', note: 'version published by SAM AutoPublishAlias' },
      },
      pointsToPublished: true,
      origin: aliasName.origin,
    });
  }
  // Role
  const roleEntry = entry(l.props(res), 'Role');
  const roleRef = l.roleRef(l.props(res), 'Role');
  if (roleRef && !(roleEntry && l.r.evaluate(roleEntry.value).k === 'novalue')) {
    fn.role = roleRef;
  } else {
    fn.role = {
      roleId: samRole(l, res, props, fn, aliasName !== undefined),
      origin: { via: 'implicit', range: keyRange(res.entry), note: 'role generated by SAM' },
    };
  }
  // Dead-letter queue
  const dlq = get(props, 'DeadLetterQueue');
  if (dlq) {
    const arn = l.strVal(dlq, 'TargetArn');
    if (arn) fn.deadLetter = { kind: 'dead-letter', arn, type: scalarString(get(dlq, 'Type')) };
  }
  // EventInvokeConfig
  const eic = entry(props, 'EventInvokeConfig');
  if (eic) {
    const dests: Destination[] = [];
    for (const [k, kind] of [
      ['OnSuccess', 'on-success'],
      ['OnFailure', 'on-failure'],
    ] as const) {
      const d = get(get(eic.value, 'DestinationConfig'), k);
      const arn = l.strVal(d, 'Destination');
      if (d && arn) dests.push({ kind, arn, type: scalarString(get(d, 'Type')) });
      else if (d && scalarString(get(d, 'Type'))) {
        // SQS / SNS without Destination: SAM creates the queue or topic itself (docs/FACTS.md §4.1).
        const at = entry(get(eic.value, 'DestinationConfig'), k);
        dests.push({
          kind,
          arn: {
            sym: {
              kind: 'expr',
              key: `expr:${res.id}EventInvokeConfig.${k}`,
              text: `the ${scalarString(get(d, 'Type'))} target SAM creates for ${k}`,
            },
            origin: l.origin(at, fnVia(eic)),
          },
        });
      }
    }
    const t = fnTarget(l.origin(eic, fnVia(eic)));
    l.model.invokeConfigs.push({
      id: `${res.id}EventInvokeConfig`,
      deployment: l.deployment,
      target: t,
      destinations: dests,
      maximumRetryAttempts: l.numVal(eic.value, 'MaximumRetryAttempts'),
      origin: l.origin(eic, fnVia(eic)),
    });
  }
  // Provisioned concurrency goes on the AutoPublishAlias; without one it would be $LATEST's.
  const pc = entry(props, 'ProvisionedConcurrencyConfig');
  if (pc && l.r.evaluate(pc.value).k !== 'novalue') {
    const at = l.origin(pc, fnVia(pc));
    l.model.provisionedConcurrency.push({
      id: res.id,
      deployment: l.deployment,
      target: fnTarget(at),
      executions: l.numVal(pc.value, 'ProvisionedConcurrentExecutions'),
      origin: at,
      label: `function ${res.id}`,
    });
  }
  // FunctionUrlConfig: SAM creates the AWS::Lambda::Url on the AutoPublishAlias (or the function) and,
  // for AuthType NONE, the public permission itself (SAM sam_resources.py `_construct_url_permission`).
  const url = entry(props, 'FunctionUrlConfig');
  if (url && url.value.kind === 'map') {
    const at = l.origin(url, fnVia(url));
    l.model.triggers.push({
      id: `${res.id}Url`,
      deployment: l.deployment,
      kind: 'function-url',
      target: fnTarget(at),
      implicitPermission: true,
      authType: l.strVal(url.value, 'AuthType'),
      origin: at,
      label: `function URL of ${res.id}`,
    });
  }
  // Events
  for (const ev of get(l.props(res), 'Events')?.entries ?? []) {
    const type = scalarString(get(ev.value, 'Type'));
    const eprops = get(ev.value, 'Properties');
    const origin: Origin = { via: 'direct', range: keyRange(ev) };
    if (!type) continue;
    const pull = PULL_EVENTS[type];
    if (pull) {
      l.model.mappings.push({
        id: `${res.id}${ev.key}`,
        deployment: l.deployment,
        kind: pull.kind,
        target: fnTarget(origin),
        source: l.strVal(eprops, pull.prop),
        batchSize: l.numVal(eprops, 'BatchSize'),
        batchingWindow: l.numVal(eprops, 'MaximumBatchingWindowInSeconds'),
        destinations: l.mappingDestinations(eprops, 'Destination'),
        accessConfigs: l.accessConfigs(eprops),
        sourceKey: pull.kind === 'sqs' ? l.queueKey(l.strVal(eprops, pull.prop)) : undefined,
        filtered: get(eprops, 'FilterCriteria') ? true : undefined,
        origin,
        label: `${type} event ${ev.key}`,
      });
      continue;
    }
    const kind = PUSH_EVENTS[type];
    if (kind) {
      const t = fnTarget(origin);
      l.model.triggers.push({
        id: `${res.id}${ev.key}`,
        deployment: l.deployment,
        kind,
        target: t,
        implicitPermission: true,
        origin,
        label: `${type} event ${ev.key}`,
      });
      const pushed = l.model.triggers[l.model.triggers.length - 1];
      if (type === 'Api' || type === 'HttpApi') {
        pushed.integrationTimeout = l.numVal(eprops, 'TimeoutInMillis') ?? definitionTimeout(l, eprops, type);
        const api = l.r.str(get(eprops, type === 'Api' ? 'RestApiId' : 'ApiId')).sym?.target;
        if (api) l.eventApis.add(`${res.id}\u0000${api}`);
      }
      if (type === 'SNS' && get(eprops, 'SqsSubscription')) pushed.throughQueue = true;
      if (type === 'S3' || type === 'SNS') {
        // The bucket / topic and its filter, for recursive-trigger.
        pushed.source = l.strVal(eprops, type === 'S3' ? 'Bucket' : 'Topic');
        if (get(eprops, type === 'S3' ? 'Filter' : 'FilterPolicy')) pushed.filtered = true;
      }
      const deliveryDlq = entry(eprops, type === 'SNS' ? 'RedrivePolicy' : 'DeadLetterConfig');
      if (deliveryDlq) pushed.deliveryDeadLetter = l.origin(deliveryDlq);
      if (type === 'SNS' && get(eprops, 'SqsSubscription')) {
        l.model.mappings.push({
          id: `${res.id}${ev.key}Queue`,
          deployment: l.deployment,
          kind: 'sqs',
          target: t,
          origin,
          label: `SNS event ${ev.key} (SqsSubscription)`,
        });
      }
    }
  }
  l.model.functions.push(fn);
}

/** The role SAM generates when `Role` is not set (docs/FACTS.md §4.1, §4.2). */
function samRole(
  l: TemplateLoader,
  res: ResourceInfo,
  props: TNode | undefined,
  fn: LambdaFunction,
  hasAlias: boolean,
): string {
  const id = `${res.id}Role`;
  const origin = (note: string, at?: Entry): Origin => ({
    via: 'implicit',
    range: at ? entryRange(at) : keyRange(res.entry),
    note,
  });
  const managed = (name: string, note: string, at?: Entry): Val<string> => ({
    value: `arn:aws:iam::aws:policy/${name}`,
    origin: origin(note, at),
  });
  const role: Role = {
    id,
    deployment: l.deployment,
    generated: true,
    inline: [],
    managedPolicyArns: [],
    managedPolicyIds: [],
    complete: true,
    origin: origin('role generated by SAM'),
  };
  const durable = entry(props, 'DurableConfig');
  role.managedPolicyArns.push(
    durable
      ? managed('service-role/AWSLambdaBasicDurableExecutionRolePolicy', 'added by SAM for DurableConfig', durable)
      : managed('service-role/AWSLambdaBasicExecutionRole', `added by SAM for ${res.id}`),
  );
  const tracing = entry(props, 'Tracing');
  if (tracing && fn.tracing?.value !== 'Disabled' && fn.tracing) {
    role.managedPolicyArns.push(managed('AWSXrayWriteOnlyAccess', 'added by SAM for Tracing', tracing));
  }
  const vpc = entry(props, 'VpcConfig');
  if (vpc)
    role.managedPolicyArns.push(
      managed('service-role/AWSLambdaVPCAccessExecutionRole', 'added by SAM for VpcConfig', vpc),
    );
  for (const ev of get(l.props(res), 'Events')?.entries ?? []) {
    const type = scalarString(get(ev.value, 'Type')) ?? '';
    const pol =
      PULL_EVENTS[type]?.policy ??
      (type === 'SNS' && get(get(ev.value, 'Properties'), 'SqsSubscription')
        ? 'AWSLambdaSQSQueueExecutionRole'
        : undefined);
    if (pol)
      role.managedPolicyArns.push(managed(`service-role/${pol}`, `added by SAM for the ${type} event ${ev.key}`, ev));
    const sourceDoc = samSourcePolicy(l, type, ev);
    if (sourceDoc) {
      role.inline.push(sourceDoc);
      if (!sourceDoc.complete) role.complete = false;
    }
    const dest = get(get(get(ev.value, 'Properties'), 'DestinationConfig'), 'OnFailure');
    const dtype = scalarString(get(dest, 'Type'));
    const darn = l.strVal(dest, 'Destination');
    if (dest && darn && dtype) {
      const actions =
        dtype === 'SQS'
          ? ['sqs:SendMessage']
          : dtype === 'SNS'
            ? ['sns:publish']
            : dtype === 'S3'
              ? ['s3:PutObject', 's3:ListBucket']
              : [];
      if (actions.length)
        role.inline.push(
          implicitDoc(l, actions, [darn], `added by SAM for the on-failure destination of ${ev.key}`, ev),
        );
    }
  }
  const dlq = get(props, 'DeadLetterQueue');
  const dlqArn = l.strVal(dlq, 'TargetArn');
  const dlqType = scalarString(get(dlq, 'Type'));
  if (dlq && dlqArn && dlqType) {
    role.inline.push(
      implicitDoc(
        l,
        [dlqType === 'SNS' ? 'sns:Publish' : 'sqs:SendMessage'],
        [dlqArn],
        'added by SAM for DeadLetterQueue',
        entry(props, 'DeadLetterQueue'),
      ),
    );
  }
  const eic = get(get(props, 'EventInvokeConfig'), 'DestinationConfig');
  for (const k of ['OnSuccess', 'OnFailure']) {
    const d = get(eic, k);
    const t = scalarString(get(d, 'Type'));
    const arn = l.strVal(d, 'Destination');
    const actions: Record<string, string[]> = {
      SQS: ['sqs:SendMessage'],
      SNS: ['sns:publish'],
      Lambda: ['lambda:InvokeFunction'],
      EventBridge: ['events:PutEvents'],
      S3Bucket: ['s3:PutObject', 's3:ListBucket'],
    };
    if (d && t && arn && actions[t])
      role.inline.push(implicitDoc(l, actions[t], [arn], `added by SAM for EventInvokeConfig ${k}`, entry(eic, k)));
    else if (d && t && !arn && actions[t]) role.complete = false; // SAM creates the queue/topic itself
  }
  // Policies: managed names/ARNs, inline documents, policy templates.
  const pe = entry(l.props(res), 'Policies');
  if (pe) {
    const ev = l.r.evaluate(pe.value);
    const items = ev.k === 'node' ? (ev.node.kind === 'seq' ? ev.node.items! : [ev.node]) : [];
    if (ev.k === 'sym') role.complete = false;
    for (const item of items) {
      const iv = l.r.evaluate(item);
      if (iv.k === 'novalue') continue;
      if (iv.k === 'node' && iv.node.kind === 'map' && !intrinsicKey(iv.node)) {
        if (get(iv.node, 'Statement')) {
          const doc = policyDocument(l, iv.node, { via: 'direct', range: nodeRange(iv.node), note: 'SAM Policies' });
          if (!doc.complete) role.complete = false;
          role.inline.push(doc);
        } else {
          // A SAM policy template ({ SQSPollerPolicy: { QueueName: ... } }).
          const first = iv.node.entries?.[0];
          const tpl = first ? POLICY_TEMPLATES[first.key] : undefined;
          if (first && tpl) role.inline.push(expandTemplate(l, first.key, tpl, first.value, item));
          else role.complete = false; // a template lambdalint does not know: never claim it lacks anything
        }
        continue;
      }
      const s = l.r.str(item);
      if (s.absent) continue;
      if (s.value !== undefined && !s.value.startsWith('arn:')) {
        const known = managedPolicyByName(s.value);
        const arn = known ? managedPolicyArn(known) : `arn:aws:iam::aws:policy/${s.value}`;
        role.managedPolicyArns.push({ value: arn, origin: { via: 'direct', range: nodeRange(item) } });
      } else {
        const v = toVal<string>(s, item);
        const t = v.sym?.target;
        if (t && l.scope.resources.get(t)?.type === 'AWS::IAM::ManagedPolicy') role.managedPolicyIds.push(t);
        else role.managedPolicyArns.push(v);
      }
    }
  }
  const boundary = l.strVal(props, 'PermissionsBoundary');
  if (boundary) role.permissionsBoundary = boundary;
  void hasAlias;
  l.roles.set(id, role);
  l.model.roles.push(role);
  return id;
}

/** Inline statements SAM adds for MQ, DocumentDB, self-managed Kafka and MSK events (docs/FACTS.md §4.2). */
function samSourcePolicy(l: TemplateLoader, type: string, ev: Entry): PolicyDocument | undefined {
  const props = get(ev.value, 'Properties');
  const note = `added by SAM for the ${type} event ${ev.key}`;
  const origin: Origin = { via: 'implicit', range: entryRange(ev), note };
  const statements: Statement[] = [];
  const stmt = (actions: string[], resources: Val<string>[]) =>
    statements.push({
      effect: 'Allow',
      actions: actions.map((a) => ({ value: a, origin })),
      resources,
      hasCondition: false,
      origin,
    });
  const star: Val<string> = { value: '*', origin };
  const configs = (get(props, 'SourceAccessConfigurations')?.items ?? []).map((c) => ({
    type: l.r.str(get(c, 'Type')).value,
    uri: l.strVal(c, 'URI'),
  }));
  const uris = (types: string[]) => configs.filter((c) => c.type && types.includes(c.type) && c.uri).map((c) => c.uri!);
  const kmsKey = l.strVal(props, 'SecretsManagerKmsKeyId');
  const kms = () => {
    if (kmsKey)
      stmt(
        ['kms:Decrypt'],
        [derivedVal(`arn:\${AWS::Partition}:kms:\${AWS::Region}:\${AWS::AccountId}:key/`, kmsKey, origin)],
      );
  };
  // Kafka schema registry (MSK and self-managed): secrets of its AccessConfigs, and for a Glue
  // registry GetRegistry on it and GetSchemaVersion on its schemas (docs/FACTS.md §4.2, SAM pull.py
  // get_schema_registry_permissions). A registry whose name cannot be read leaves the policy incomplete.
  let complete = true;
  const registry = type === 'MSK' || type === 'SelfManagedKafka' ? get(props, 'SchemaRegistryConfig') : undefined;
  if (registry) {
    const secrets = (get(registry, 'AccessConfigs')?.items ?? [])
      .map((c) => l.strVal(c, 'URI'))
      .filter((u): u is Val<string> => !!u);
    if (secrets.length) stmt(['secretsmanager:GetSecretValue'], secrets);
    const uri = l.strVal(registry, 'SchemaRegistryURI');
    const text = uri?.value ?? (uri?.sym?.kind === 'expr' ? uri.sym.text : undefined);
    if (text !== undefined && !/:glue:/.test(text)) {
      // A Confluent registry (an https URL): no Glue permissions.
    } else {
      const name = text === undefined ? undefined : /:registry\/([^/${}]+)$/.exec(text)?.[1];
      if (uri && name) {
        stmt(['glue:GetRegistry'], [uri]);
        stmt(
          ['glue:GetSchemaVersion'],
          [
            {
              sym: {
                kind: 'expr',
                key: `expr:glue-schema:${name}`,
                text: `arn:\${AWS::Partition}:glue:\${AWS::Region}:\${AWS::AccountId}:schema/${name}/*`,
              },
              origin,
            },
          ],
        );
      } else complete = false;
    }
  }
  switch (type) {
    case 'MQ': {
      const secrets = uris(['BASIC_AUTH']);
      if (secrets.length) stmt(['secretsmanager:GetSecretValue'], secrets);
      const broker = l.strVal(props, 'Broker');
      if (broker) stmt(['mq:DescribeBroker'], [broker]);
      kms();
      break;
    }
    case 'DocumentDB': {
      const secrets = uris(['BASIC_AUTH']);
      if (secrets.length) stmt(['secretsmanager:GetSecretValue'], secrets);
      const cluster = l.strVal(props, 'Cluster');
      if (cluster) stmt(['rds:DescribeDBClusters'], [cluster]);
      stmt(
        ['rds:DescribeDBClusterParameters'],
        [
          {
            sym: {
              kind: 'expr',
              key: 'expr:documentdb-cluster-pg',
              text: 'arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:cluster-pg:*',
            },
            origin,
          },
        ],
      );
      stmt(
        ['rds:DescribeDBSubnetGroups'],
        [
          {
            sym: {
              kind: 'expr',
              key: 'expr:documentdb-subgrp',
              text: 'arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:subgrp:*',
            },
            origin,
          },
        ],
      );
      stmt(ENI_ACTIONS, [star]);
      kms();
      break;
    }
    case 'SelfManagedKafka': {
      const auth = uris(['BASIC_AUTH', 'SASL_SCRAM_256_AUTH', 'SASL_SCRAM_512_AUTH', 'CLIENT_CERTIFICATE_TLS_AUTH']);
      if (auth.length) stmt(['secretsmanager:GetSecretValue'], auth);
      if (uris(['VPC_SUBNET']).length && uris(['VPC_SECURITY_GROUP']).length) stmt(ENI_ACTIONS, [star]);
      kms();
      break;
    }
    case 'MSK': {
      const certs = uris(['CLIENT_CERTIFICATE_TLS_AUTH']);
      if (certs.length) stmt(['secretsmanager:GetSecretValue'], certs);
      break;
    }
    default:
      return undefined;
  }
  return statements.length || !complete ? { name: `${ev.key}${type}Policy`, statements, complete, origin } : undefined;
}

/** `prefix` + a value that may be symbolic, as a Val (symbolic parts become placeholders). */
function derivedVal(prefix: string, v: Val<string>, origin: Origin): Val<string> {
  if (v.value !== undefined)
    return v.value.startsWith('arn:')
      ? { value: v.value, origin }
      : { sym: { kind: 'expr', key: `expr:${prefix}${v.value}`, text: `${prefix}${v.value}` }, origin };
  const text = `${prefix}${v.sym ? placeholder(v.sym) : '${?}'}`;
  return { sym: { kind: 'expr', key: `expr:${text}`, text }, origin };
}

/** A SAM policy template as the statements SAM expands it to. */
function expandTemplate(
  l: TemplateLoader,
  name: string,
  tpl: PolicyTemplate,
  params: TNode,
  at: TNode,
): PolicyDocument {
  const origin: Origin = { via: 'direct', range: nodeRange(at), note: `SAM policy template ${name}` };
  const subst = new Map<string, string>();
  let mainArn: Val<string> | undefined;
  for (const p of tpl.params) {
    const v = l.r.str(get(params, p));
    if (v.value !== undefined) subst.set(p, v.value);
    else if (v.sym) {
      subst.set(p, placeholder(v.sym));
      const target = v.sym.target;
      const type = target ? l.scope.resources.get(target)?.type : undefined;
      if (tpl.names?.param === p && target && type && tpl.names.types.includes(type)) {
        mainArn = {
          sym: tpl.names.arnAttribute ? l.r.getAttSymbol(target, tpl.names.arnAttribute) : l.r.refSymbol(target),
          origin,
        };
      }
    }
  }
  const statements: Statement[] = tpl.statements.map((st) => ({
    effect: 'Allow',
    actions: st.actions.map((a) => ({ value: a, origin })),
    resources: st.resources.map((r, i): Val<string> => {
      // The template's first resource is the named resource itself: keep its identity.
      if (mainArn && i === 0 && tpl.names && r.endsWith('${' + tpl.names.param + '}')) return mainArn;
      const text = r.replace(/\$\{([A-Za-z]+)\}/g, (whole, p: string) => subst.get(p) ?? whole);
      return text.includes('${')
        ? { sym: { kind: 'expr', key: `expr:${text}`, text }, origin }
        : { value: text, origin };
    }),
    hasCondition: false,
    origin,
  }));
  return { name, statements, complete: true, origin };
}

function implicitDoc(
  l: TemplateLoader,
  actions: string[],
  resources: Val<string>[],
  note: string,
  at: Entry | undefined,
): PolicyDocument {
  const origin: Origin = { via: 'implicit', range: at ? entryRange(at) : undefined, note };
  if (actions.includes('s3:PutObject')) {
    // SAM grants s3:PutObject on the bucket's objects and s3:ListBucket on the bucket.
    resources = resources.flatMap((r) => [
      r,
      derivedVal(
        '',
        {
          ...r,
          value: r.value !== undefined ? `${r.value}/*` : undefined,
          sym: r.sym
            ? { ...r.sym, kind: 'expr', text: `${placeholder(r.sym)}/*`, key: `expr:${placeholder(r.sym)}/*` }
            : undefined,
        },
        origin,
      ),
    ]);
  }
  return {
    statements: [
      { effect: 'Allow', actions: actions.map((a) => ({ value: a, origin })), resources, hasCondition: false, origin },
    ],
    complete: true,
    origin,
  };
}

/** SAM Globals merge: maps merge deeply, lists concatenate (global first), scalars: local wins. */
function mergeSam(global: TNode, local: TNode): TNode {
  if (global.kind === 'map' && local.kind === 'map') {
    const out: Entry[] = [];
    const localKeys = new Map(local.entries!.map((e) => [e.key, e]));
    for (const g of global.entries!) {
      const l = localKeys.get(g.key);
      if (!l) out.push(g);
    }
    for (const l of local.entries!) {
      const g = global.entries!.find((e) => e.key === l.key);
      out.push(g ? { ...l, value: mergeSam(g.value, l.value) } : l);
    }
    return { ...local, entries: out };
  }
  if (global.kind === 'seq' && local.kind === 'seq') {
    return { ...local, items: [...global.items!, ...local.items!] };
  }
  return local;
}
