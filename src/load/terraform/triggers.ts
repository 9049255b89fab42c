// Terraform resources that invoke or feed a function → the model: aliases, event source mappings,
// permissions, event invoke configs, API Gateway integrations, S3 bucket notifications, SNS
// subscriptions and EventBridge targets, each aimed at a function (and qualifier) by its reference.
import type { Destination, FunctionTarget, Origin, Trigger, TriggerKind, Val } from '../../model/types.js';
import { type Attribute, spanRange } from '../../source/hcl.js';
import type { Res, TerraformLoader } from './load.js';
import { originAt, scalarText, strVal, type TV } from './values.js';

export function targetOf(
  tf: TerraformLoader,
  address: string,
  attribute: string,
  qualifier: string | undefined,
  origin: Origin,
): FunctionTarget {
  const res = tf.resource(address);
  const type = res?.type ?? tf.lambdaModules.types.get(address);
  if (!type) return { qualifier: 'unknown', origin };
  if (type === 'aws_lambda_function') {
    const fn = tf.fnByAddress(address);
    if (qualifier !== undefined) {
      return {
        functionId: fn?.id,
        qualifier:
          qualifier === '$LATEST'
            ? 'latest'
            : /^\d+$/.test(qualifier)
              ? 'version'
              : qualifier.includes('${')
                ? 'unknown'
                : 'alias',
        origin,
      };
    }
    if (attribute === 'arn' || attribute === 'function_name' || attribute === 'id' || attribute === 'invoke_arn')
      return { functionId: fn?.id, qualifier: 'unqualified', origin };
    if (attribute === 'qualified_arn' || attribute === 'qualified_invoke_arn') {
      // docs/FACTS.md §8.1: without publish, qualified_arn ends in :$LATEST.
      const pub = fn?.meta.publish;
      return {
        functionId: fn?.id,
        qualifier: pub === 'false' ? 'latest' : pub === 'true' ? 'version' : 'unknown',
        origin,
      };
    }
    return { qualifier: 'unknown', origin };
  }
  const modelled = tf.lambdaModules.aliases.get(address);
  if (modelled && qualifier === undefined)
    return { functionId: modelled.functionId, qualifier: 'alias', aliasId: address, origin };
  if (res && res.type === 'aws_lambda_alias' && qualifier === undefined) {
    const fnRef = tf.value(res, res.block.body, 'function_name');
    const inner = fnRef ? tf.target(fnRef.v, origin) : undefined;
    return { functionId: inner?.functionId, qualifier: 'alias', aliasId: address, origin };
  }
  return { qualifier: 'unknown', origin };
}

function withQualifier(tf: TerraformLoader, base: FunctionTarget, q: Val<string> | undefined): FunctionTarget {
  if (!q) return base;
  const t: FunctionTarget = { ...base };
  if (q.value === '$LATEST') {
    t.qualifier = 'latest';
    t.origin = q.origin;
  } else if (q.value !== undefined) t.qualifier = /^\d+$/.test(q.value) ? 'version' : 'alias';
  else if (q.sym?.target && tf.resource(q.sym.target)?.type === 'aws_lambda_alias') {
    t.qualifier = 'alias';
    t.aliasId = q.sym.target;
  } else t.qualifier = 'unknown';
  if (t.qualifier === 'alias' && !t.aliasId && q.value !== undefined) {
    const alias = tf.aliasByName(tf.deployment, aliasKey(t.functionId, q.value));
    if (alias) t.aliasId = alias.id;
  }
  return t;
}

/** How the loader indexes an alias: the function it belongs to (or none) and its name. */
export function aliasKey(functionId: string | undefined, name: string): string {
  return `${functionId === undefined ? '\u0001' : `=${functionId}`}\u0000${name}`;
}

export function loadAlias(tf: TerraformLoader, r: Res): void {
  const body = r.block.body;
  const fnRef = tf.value(r, body, 'function_name');
  const target = fnRef ? tf.target(fnRef.v, originAt(fnRef.attr, fnRef.v)) : undefined;
  const ver = tf.value(r, body, 'function_version');
  let version: Val<string> = ver ? strVal(ver.v, originAt(ver.attr, ver.v)) : { origin: tf.head(r) };
  if (
    ver &&
    version.value === '$LATEST' &&
    ver.v.t === 'str' &&
    ver.v.span &&
    ver.v.span !== ver.attr.expr.span &&
    !ver.v.from
  ) {
    version = { ...version, origin: { ...version.origin, note: 'publish is not true, so version is $LATEST' } };
  }
  const sym = ver?.v.t === 'sym' ? ver.v.sym : undefined;
  const published =
    (sym?.resourceType === 'aws_lambda_function' && sym.attribute === 'version') ||
    (version.value !== undefined && /^\d+$/.test(version.value));
  tf.model.aliases.push({
    id: r.address,
    deployment: tf.deployment,
    name: tf.str(r, body, 'name'),
    functionId: target?.functionId,
    version,
    pointsToPublished: published,
    origin: tf.head(r),
  });
}

export function loadMapping(tf: TerraformLoader, r: Res): void {
  const body = r.block.body;
  const head = tf.head(r);
  const fnRef = tf.value(r, body, 'function_name');
  const source = tf.str(r, body, 'event_source_arn');
  const dc = tf.sub(r, body, 'destination_config');
  const destArn = dc?.unknown
    ? tf.subStr(r, body, 'destination_config', 'on_failure')
    : dc
      ? tf.subStr(dc.r, dc.block.body, 'on_failure', 'destination_arn')
      : undefined;
  const access = tf
    .blocksOf(r, body, 'source_access_configuration')
    .items.map(({ block: b, r: br }) => ({ type: tf.str(br, b.body, 'type')?.value, uri: tf.str(br, b.body, 'uri') }))
    .filter((x): x is { type: string | undefined; uri: Val<string> } => !!x.uri);
  tf.model.mappings.push({
    id: r.address,
    deployment: tf.deployment,
    kind: tf.mappingKind(source, body),
    target: tf.target(fnRef?.v, fnRef ? originAt(fnRef.attr, fnRef.v) : head),
    source,
    batchSize: tf.num(r, body, 'batch_size'),
    batchingWindow: tf.num(r, body, 'maximum_batching_window_in_seconds'),
    destinations: destArn ? [{ kind: 'on-failure', arn: destArn }] : undefined,
    accessConfigs: access.length ? access : undefined,
    sourceKey: tf.queueKey(source),
    // FilterCriteria keeps some records from invoking the function (recursive-trigger).
    ...(body.blocks.some(
      (b) => b.type === 'filter_criteria' || (b.type === 'dynamic' && b.labels[0] === 'filter_criteria'),
    ) || body.attrs.has('filter_criteria')
      ? { filtered: true }
      : {}),
    origin: head,
    label: `event source mapping ${r.address}`,
  });
}

export function loadPermission(tf: TerraformLoader, r: Res): void {
  const body = r.block.body;
  const fnRef = tf.value(r, body, 'function_name');
  const base = tf.target(fnRef?.v, fnRef ? originAt(fnRef.attr, fnRef.v) : tf.head(r));
  tf.model.permissions.push({
    id: r.address,
    deployment: tf.deployment,
    target: withQualifier(tf, base, tf.str(r, body, 'qualifier')),
    principal: tf.str(r, body, 'principal'),
    action: tf.str(r, body, 'action'),
    origin: tf.head(r),
  });
}

/**
 * aws_lambda_function_url. For `authorization_type = "NONE"` the AWS provider adds the public
 * permissions itself on creation: `lambda:InvokeFunctionUrl` since v4.10.0, and
 * `lambda:InvokeFunction` with `InvokedViaFunctionUrl` since v6.28.0 (terraform-provider-aws
 * CHANGELOG.md, #24220 and #44858).
 */
export function loadFunctionUrl(tf: TerraformLoader, r: Res): void {
  const body = r.block.body;
  const fnRef = tf.value(r, body, 'function_name');
  const base = tf.target(fnRef?.v, fnRef ? originAt(fnRef.attr, fnRef.v) : tf.head(r));
  const origin = tf.head(r);
  tf.model.triggers.push({
    id: r.address,
    deployment: tf.deployment,
    kind: 'function-url',
    target: withQualifier(tf, base, tf.str(r, body, 'qualifier')),
    implicitPermission: true,
    authType: tf.str(r, body, 'authorization_type'),
    origin,
    label: `function URL ${r.address}`,
  });
}

export function loadInvokeConfig(tf: TerraformLoader, r: Res): void {
  const body = r.block.body;
  const fnRef = tf.value(r, body, 'function_name');
  const base = tf.target(fnRef?.v, fnRef ? originAt(fnRef.attr, fnRef.v) : tf.head(r));
  const dests: Destination[] = [];
  const dc = tf.sub(r, body, 'destination_config');
  for (const [k, kind] of [
    ['on_success', 'on-success'],
    ['on_failure', 'on-failure'],
  ] as const) {
    const arn = dc?.unknown
      ? tf.subStr(r, body, 'destination_config', k)
      : dc
        ? tf.subStr(dc.r, dc.block.body, k, 'destination')
        : undefined;
    if (arn) dests.push({ kind, arn });
  }
  const retries = tf.num(r, body, 'maximum_retry_attempts');
  tf.model.invokeConfigs.push({
    id: r.address,
    deployment: tf.deployment,
    target: withQualifier(tf, base, tf.str(r, body, 'qualifier')),
    destinations: dests,
    origin: tf.head(r),
    ...(retries ? { maximumRetryAttempts: retries } : {}),
  });
}

function trigger(
  tf: TerraformLoader,
  r: Res,
  id: string,
  kind: TriggerKind,
  v: { attr: Attribute; v: TV },
  label: string,
  extra: Partial<Trigger> = {},
): void {
  const origin = originAt(v.attr, v.v);
  tf.model.triggers.push({
    id,
    deployment: tf.deployment,
    kind,
    target: tf.target(v.v, origin),
    implicitPermission: false,
    origin,
    label,
    ...extra,
  });
}

/**
 * An API Gateway integration that invokes a function: `aws_api_gateway_integration` (REST, `uri`)
 * or `aws_apigatewayv2_integration` (HTTP or WebSocket, `integration_uri`), each with
 * `timeout_milliseconds` (the provider's names for TimeoutInMillis). The URI is a function's
 * `invoke_arn`, an alias's, or an `arn:aws:apigateway:...:lambda:path/.../functions/<arn>/invocations`
 * text.
 */
export function loadApiIntegration(tf: TerraformLoader, r: Res, api: 'rest' | 'v2'): void {
  const body = r.block.body;
  const type = tf.str(r, body, api === 'rest' ? 'type' : 'integration_type')?.value;
  if (type !== undefined && type !== 'AWS_PROXY' && type !== 'AWS') return;
  const uri = tf.value(r, body, api === 'rest' ? 'uri' : 'integration_uri');
  if (!uri) return;
  const origin = originAt(uri.attr, uri.v);
  let target = tf.target(uri.v, origin);
  if (!target.functionId) {
    // The invocation URI spelled out: the function ARN sits between `functions/` and `/invocations`.
    const text = uri.v.t === 'sym' ? (uri.v.sym.kind === 'expr' ? uri.v.sym.text : undefined) : scalarText(uri.v);
    const inner = text === undefined ? undefined : /:lambda:path\/[^/]+\/functions\/(.+)\/invocations$/.exec(text)?.[1];
    if (inner === undefined) return;
    const v: TV = inner.includes('${')
      ? { t: 'sym', sym: { kind: 'expr', key: `expr:${inner}`, text: inner } }
      : { t: 'str', v: inner };
    target = tf.target(v, origin);
  }
  if (!target.functionId) return;
  let kind: TriggerKind = 'api';
  if (api === 'v2') {
    // An API that cannot be seen counts as an HTTP API, whose 30 s limit is the more lenient one.
    const apiId = tf.value(r, body, 'api_id');
    const apiRes = tf.resource(apiId?.v.t === 'sym' ? apiId.v.sym.target : undefined);
    const protocol =
      apiRes?.type === 'aws_apigatewayv2_api' ? tf.str(apiRes, apiRes.block.body, 'protocol_type')?.value : undefined;
    kind = protocol === 'WEBSOCKET' ? 'websocket' : 'http-api';
  }
  const trigger: Trigger = {
    id: r.address,
    deployment: tf.deployment,
    kind,
    target,
    implicitPermission: false,
    origin,
    label: `API Gateway integration ${r.address}`,
  };
  const timeout = tf.num(r, body, 'timeout_milliseconds');
  if (timeout) trigger.integrationTimeout = timeout;
  // A non-proxy REST integration may ask Lambda for an asynchronous invocation with this header.
  const params = tf.value(r, body, 'request_parameters');
  const header =
    params?.v.t === 'obj' ? params.v.entries.get('integration.request.header.X-Amz-Invocation-Type') : undefined;
  if (header && scalarText(header)?.replace(/'/g, '').trim() === 'Event') trigger.asyncInvocation = true;
  tf.model.triggers.push(trigger);
}

/** The bucket (for recursive-trigger), and whether a key prefix or suffix filters what invokes the function. */
export function loadBucketNotification(tf: TerraformLoader, r: Res): void {
  const bucket = tf.str(r, r.block.body, 'bucket');
  tf.blocksOf(r, r.block.body, 'lambda_function').items.forEach(({ block: b, r: br }, i) => {
    const arn = tf.value(br, b.body, 'lambda_function_arn');
    const filtered = b.body.attrs.has('filter_prefix') || b.body.attrs.has('filter_suffix');
    if (arn)
      trigger(tf, r, `${r.address}.lambda_function[${i}]`, 's3', arn, `S3 notification ${r.address}`, {
        ...(bucket ? { source: bucket } : {}),
        ...(filtered ? { filtered: true } : {}),
      });
  });
}

export function loadSubscription(tf: TerraformLoader, r: Res): void {
  const body = r.block.body;
  if (tf.str(r, body, 'protocol')?.value !== 'lambda') return;
  const ep = tf.value(r, body, 'endpoint');
  const topic = tf.str(r, body, 'topic_arn');
  const filtered = body.attrs.has('filter_policy');
  if (ep)
    trigger(tf, r, r.address, 'sns', ep, `SNS subscription ${r.address}`, {
      ...(topic ? { source: topic } : {}),
      ...(filtered ? { filtered: true } : {}),
    });
}

export function loadEventTarget(tf: TerraformLoader, r: Res): void {
  const body = r.block.body;
  const arn = tf.value(r, body, 'arn');
  if (!arn) return;
  const t = tf.target(arn.v, originAt(arn.attr, arn.v));
  const text = arn.v.t === 'sym' ? arn.v.sym.text : (scalarText(arn.v) ?? '');
  if (!t.functionId && t.qualifier === 'unknown' && !/:lambda:|:function:|aws_lambda_/.test(text)) return;
  const rule = tf.value(r, body, 'rule');
  const ruleRes = tf.resource(rule?.v.t === 'sym' ? rule.v.sym.target : undefined);
  const kind: TriggerKind = ruleRes && ruleRes.block.body.attrs.has('schedule_expression') ? 'schedule' : 'eventbridge';
  trigger(tf, r, r.address, kind, arn, `EventBridge target ${r.address}`);
  const dlq = tf.sub(r, body, 'dead_letter_config');
  // The target's dead-letter queue catches delivery failures only (see async-failure-destination).
  if (dlq)
    tf.model.triggers[tf.model.triggers.length - 1].deliveryDeadLetter = {
      via: 'direct',
      range: spanRange(dlq.unknown ? dlq.unknown.headSpan : dlq.block.headSpan),
    };
}
