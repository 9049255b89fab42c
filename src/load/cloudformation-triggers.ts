// The CloudFormation reader's triggers: what pushes events to a function (S3 notifications, SNS
// subscriptions and topics, IoT topic rules, EventBridge rules, CloudWatch Logs subscription
// filters, the CDK's bucket notifications, function URLs) and the API Gateway integrations that
// invoke one (REST methods, HTTP and WebSocket API integrations, OpenAPI definitions). The reader
// (./cloudformation.ts) calls these for each resource and lends them its value readers, as it does
// the SAM transform (./sam.ts).
import { entry, get, keyRange, nodeRange, type TNode } from '../source/parse.js';
import type { ResourceInfo } from '../values/cfn.js';
import type { FunctionTarget, Origin, Trigger, TriggerKind, Val, Via } from '../model/types.js';
import type { TemplateLoader } from './cloudformation.js';

/**
 * AWS::Lambda::Url: an HTTPS endpoint that invokes the function (its `Qualifier` names an alias;
 * without one it is `$LATEST`). CloudFormation adds no permission: a `NONE` URL needs an
 * AWS::Lambda::Permission for principal `*` (https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html).
 */
export function loadFunctionUrl(cfn: TemplateLoader, res: ResourceInfo): void {
  const props = cfn.props(res);
  const fnEntry = entry(props, 'TargetFunctionArn');
  const origin: Origin = { via: 'direct', range: keyRange(res.entry) };
  const base = cfn.target(cfn.strVal(props, 'TargetFunctionArn'), fnEntry ? cfn.origin(fnEntry) : origin);
  const target: FunctionTarget = { ...base };
  const qualifier = cfn.strVal(props, 'Qualifier');
  if (qualifier?.value === '$LATEST') {
    target.qualifier = 'latest';
    target.origin = qualifier.origin;
  } else if (qualifier?.value !== undefined || qualifier?.sym) {
    target.qualifier = 'alias';
    const alias =
      qualifier.sym?.target && cfn.scope.resources.get(qualifier.sym.target)?.type === 'AWS::Lambda::Alias'
        ? qualifier.sym.target
        : undefined;
    if (alias) target.aliasId = alias;
  }
  cfn.model.triggers.push({
    id: res.id,
    deployment: cfn.deployment,
    kind: 'function-url',
    target,
    implicitPermission: false,
    authType: cfn.strVal(props, 'AuthType'),
    origin,
    label: `function URL ${res.id}`,
  });
}

export function loadBucket(cfn: TemplateLoader, res: ResourceInfo): void {
  const cfgs = get(get(cfn.props(res), 'NotificationConfiguration'), 'LambdaConfigurations');
  for (const [i, c] of (cfgs?.items ?? []).entries()) {
    const fe = entry(c, 'Function');
    const origin = fe ? cfn.origin(fe) : { via: 'direct' as Via, range: nodeRange(c) };
    cfn.model.triggers.push({
      id: `${res.id}.LambdaConfigurations[${i}]`,
      deployment: cfn.deployment,
      kind: 's3',
      target: cfn.target(cfn.strVal(c, 'Function'), origin),
      implicitPermission: false,
      origin,
      label: `S3 notification of ${res.id}`,
    });
    const pushed = cfn.model.triggers[cfn.model.triggers.length - 1];
    pushed.source = {
      sym: { kind: 'ref', key: `Ref:${res.id}`, text: `!Ref ${res.id}`, target: res.id, resourceType: res.type },
      origin: { via: 'direct', range: keyRange(res.entry) },
    };
    pushed.sourceResource = res.id;
    if (get(c, 'Filter')) pushed.filtered = true;
  }
}

export function loadSubscription(cfn: TemplateLoader, res: ResourceInfo): void {
  const props = cfn.props(res);
  if (cfn.r.str(get(props, 'Protocol')).value !== 'lambda') return;
  const e = entry(props, 'Endpoint');
  const origin = e ? cfn.origin(e) : { via: 'direct' as Via, range: keyRange(res.entry) };
  cfn.model.triggers.push({
    id: res.id,
    deployment: cfn.deployment,
    kind: 'sns',
    target: cfn.target(cfn.strVal(props, 'Endpoint'), origin),
    implicitPermission: false,
    origin,
    label: `SNS subscription ${res.id}`,
  });
  const pushed = cfn.model.triggers[cfn.model.triggers.length - 1];
  const redrive = entry(props, 'RedrivePolicy');
  if (redrive) pushed.deliveryDeadLetter = cfn.origin(redrive);
  // The topic and its filter, for recursive-trigger.
  const topic = cfn.strVal(props, 'TopicArn');
  if (topic) pushed.source = topic;
  if (topic?.sym?.target && cfn.scope.resources.has(topic.sym.target)) pushed.sourceResource = topic.sym.target;
  if (get(props, 'FilterPolicy')) pushed.filtered = true;
}

/** An SNS topic's inline `Subscription` list: each `lambda` endpoint is pushed the topic's messages. */
export function loadTopic(cfn: TemplateLoader, res: ResourceInfo): void {
  for (const [i, s] of (get(cfn.props(res), 'Subscription')?.items ?? []).entries()) {
    if (cfn.r.str(get(s, 'Protocol')).value !== 'lambda') continue;
    const e = entry(s, 'Endpoint');
    if (!e) continue;
    const origin = cfn.origin(e);
    const target = cfn.target(cfn.strVal(s, 'Endpoint'), origin);
    cfn.model.triggers.push({
      id: `${res.id}.Subscription[${i}]`,
      deployment: cfn.deployment,
      kind: 'sns',
      target,
      implicitPermission: false,
      source: { sym: cfn.r.refSymbol(res.id), origin: { via: 'direct', range: keyRange(res.entry) } },
      sourceResource: res.id,
      origin,
      label: `SNS topic ${res.id} subscription`,
    });
  }
}

/**
 * An IoT topic rule whose actions (or error action) invoke a function. AWS IoT invokes Lambda
 * asynchronously and needs a resource-based permission for iot.amazonaws.com
 * (https://docs.aws.amazon.com/iot/latest/developerguide/lambda-rule-action.html,
 * https://docs.aws.amazon.com/lambda/latest/dg/services-iot.html). A disabled rule invokes nothing.
 */
export function loadTopicRule(cfn: TemplateLoader, res: ResourceInfo): void {
  const payload = get(cfn.props(res), 'TopicRulePayload');
  if (cfn.r.str(get(payload, 'RuleDisabled')).value === 'true') return;
  const actions: [TNode, string][] = (get(payload, 'Actions')?.items ?? []).map((a, i) => [a, `Actions[${i}]`]);
  const errorAction = get(payload, 'ErrorAction');
  if (errorAction) actions.push([errorAction, 'ErrorAction']);
  for (const [action, key] of actions) {
    const lambda = get(action, 'Lambda');
    const e = entry(lambda, 'FunctionArn');
    if (!e) continue;
    const target = cfn.target(cfn.strVal(lambda, 'FunctionArn'), cfn.origin(e));
    if (!target.functionId && target.qualifier === 'unknown' && !target.importName) continue;
    cfn.model.triggers.push({
      id: `${res.id}.${key}`,
      deployment: cfn.deployment,
      kind: 'iot',
      target,
      implicitPermission: false,
      sourceResource: res.id,
      origin: cfn.origin(e),
      label: `IoT topic rule ${res.id}${key === 'ErrorAction' ? ' (error action)' : ''}`,
    });
  }
}

/**
 * The CDK's `Custom::S3BucketNotifications` resource (aws-s3 `addEventNotification`): its handler
 * puts NotificationConfiguration on the bucket named by BucketName, so each
 * LambdaFunctionConfigurations entry is an S3 notification of that bucket.
 */
export function loadCdkBucketNotifications(cfn: TemplateLoader, res: ResourceInfo): void {
  const props = cfn.props(res);
  const bucket = cfn.strVal(props, 'BucketName');
  const name = bucket?.sym?.target ?? bucket?.value ?? res.id;
  const cfgs = get(get(props, 'NotificationConfiguration'), 'LambdaFunctionConfigurations');
  for (const [i, c] of (cfgs?.items ?? []).entries()) {
    const fe = entry(c, 'LambdaFunctionArn');
    if (!fe) continue;
    const origin = cfn.origin(fe);
    cfn.model.triggers.push({
      id: `${res.id}.LambdaFunctionConfigurations[${i}]`,
      deployment: cfn.deployment,
      kind: 's3',
      target: cfn.target(cfn.strVal(c, 'LambdaFunctionArn'), origin),
      implicitPermission: false,
      ...(bucket ? { source: bucket } : {}),
      ...(bucket?.sym?.target && cfn.scope.resources.has(bucket.sym.target)
        ? { sourceResource: bucket.sym.target }
        : {}),
      ...(get(c, 'Filter') ? { filtered: true } : {}),
      origin,
      label: `S3 notification of ${name}`,
    });
  }
}

export function loadRule(cfn: TemplateLoader, res: ResourceInfo): void {
  const props = cfn.props(res);
  const kind: TriggerKind = get(props, 'ScheduleExpression') ? 'schedule' : 'eventbridge';
  for (const [i, t] of (get(props, 'Targets')?.items ?? []).entries()) {
    const e = entry(t, 'Arn');
    if (!e) continue;
    const arn = cfn.strVal(t, 'Arn');
    const target = cfn.target(arn, cfn.origin(e));
    if (
      !target.functionId &&
      target.qualifier === 'unknown' &&
      !target.importName &&
      !/:lambda:|:function:/.test(arn?.value ?? arn?.sym?.text ?? '')
    )
      continue;
    // A computed Id (`!Sub ${AWS::StackName}-target`) says nothing to the reader: name the function instead.
    const tid = cfn.r.str(get(t, 'Id')).value;
    const label =
      tid !== undefined
        ? `EventBridge rule ${res.id} target ${tid}`
        : `EventBridge rule ${res.id} target for ${target.functionId ?? arn?.value ?? arn?.sym?.text ?? `Targets[${i}]`}`;
    cfn.model.triggers.push({
      id: `${res.id}.${tid ?? `Targets[${i}]`}`,
      deployment: cfn.deployment,
      kind,
      target,
      implicitPermission: false,
      sourceResource: res.id,
      origin: cfn.origin(e),
      label,
    });
    const targetDlq = entry(t, 'DeadLetterConfig');
    if (targetDlq) cfn.model.triggers[cfn.model.triggers.length - 1].deliveryDeadLetter = cfn.origin(targetDlq);
  }
}

/** A CloudWatch Logs subscription filter that delivers to a function (asynchronously). */
export function loadSubscriptionFilter(cfn: TemplateLoader, res: ResourceInfo): void {
  const props = cfn.props(res);
  const e = entry(props, 'DestinationArn');
  if (!e) return;
  const target = cfn.target(cfn.strVal(props, 'DestinationArn'), cfn.origin(e));
  if (!target.functionId) return;
  cfn.model.triggers.push({
    id: res.id,
    deployment: cfn.deployment,
    kind: 'cloudwatch-logs',
    target,
    implicitPermission: false,
    origin: cfn.origin(e),
    label: `log subscription filter ${res.id}`,
  });
}

/** The function an API Gateway integration URI (`.../functions/<arn>/invocations`) or ARN invokes. */
function integrationTarget(
  cfn: TemplateLoader,
  uri: Val<string> | undefined,
  origin: Origin,
): FunctionTarget | undefined {
  if (!uri) return undefined;
  const text = uri.value ?? (uri.sym?.kind === 'expr' ? uri.sym.text : undefined);
  const inner = text === undefined ? undefined : /:lambda:path\/[^/]+\/functions\/(.+)\/invocations$/.exec(text)?.[1];
  if (inner !== undefined) {
    const v: Val<string> = inner.includes('${')
      ? { sym: { kind: 'expr', key: `expr:${inner}`, text: inner }, origin }
      : { value: inner, origin };
    return cfn.target(v, origin);
  }
  const t = cfn.target(uri, origin);
  return t.functionId || t.importName ? t : undefined;
}

/** The OpenAPI document written inline on an API (`DefinitionBody` for SAM, `Body` otherwise). */
function apiDefinition(cfn: TemplateLoader, api: ResourceInfo): TNode | undefined {
  const key =
    api.type === 'AWS::Serverless::Api' || api.type === 'AWS::Serverless::HttpApi'
      ? 'DefinitionBody'
      : api.type === 'AWS::ApiGateway::RestApi' || api.type === 'AWS::ApiGatewayV2::Api'
        ? 'Body'
        : undefined;
  if (!key) return undefined;
  const ev = cfn.r.evaluate(get(cfn.props(api), key));
  return ev.k === 'node' && ev.node.kind === 'map' ? ev.node : undefined;
}

/**
 * The `timeoutInMillis` of the `x-amazon-apigateway-integration` that the OpenAPI definition of a
 * SAM event's API gives its path and method (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-integration.html).
 */
export function definitionTimeout(
  cfn: TemplateLoader,
  eprops: TNode | undefined,
  type: 'Api' | 'HttpApi',
): Val<number> | undefined {
  const apiId = cfn.r.str(get(eprops, type === 'Api' ? 'RestApiId' : 'ApiId')).sym?.target;
  const api = apiId ? cfn.scope.resources.get(apiId) : undefined;
  const body = api ? apiDefinition(cfn, api) : undefined;
  const p = cfn.r.str(get(eprops, 'Path')).value;
  const method = cfn.r.str(get(eprops, 'Method')).value?.toLowerCase();
  if (!body || p === undefined || method === undefined) return undefined;
  const ops = get(get(body, 'paths'), p);
  const op =
    get(ops, method === 'any' ? 'x-amazon-apigateway-any-method' : method) ??
    get(ops, 'x-amazon-apigateway-any-method');
  return cfn.numVal(get(op, 'x-amazon-apigateway-integration'), 'timeoutInMillis');
}

/**
 * Lambda integrations written in an API's OpenAPI definition (`x-amazon-apigateway-integration`
 * with a `.../functions/<arn>/invocations` uri). Those a SAM event of the same function on the
 * same API already stands for are left to the event (SAM adds its permission).
 */
export function loadDefinitionIntegrations(cfn: TemplateLoader, api: ResourceInfo): void {
  const body = apiDefinition(cfn, api);
  if (!body) return;
  let kind: TriggerKind =
    api.type === 'AWS::Serverless::Api' || api.type === 'AWS::ApiGateway::RestApi' ? 'api' : 'http-api';
  if (api.type === 'AWS::ApiGatewayV2::Api' && cfn.r.str(get(cfn.props(api), 'ProtocolType')).value === 'WEBSOCKET')
    kind = 'websocket';
  for (const pathEntry of get(body, 'paths')?.entries ?? []) {
    for (const op of pathEntry.value.entries ?? []) {
      const integration = get(op.value, 'x-amazon-apigateway-integration');
      const e = entry(integration, 'uri');
      if (!e) continue;
      const target = integrationTarget(cfn, cfn.strVal(integration, 'uri'), cfn.origin(e));
      if (!target || (!target.functionId && target.qualifier === 'unknown' && !target.importName)) continue;
      if (target.functionId && cfn.eventApis.has(`${target.functionId}\u0000${api.id}`)) continue;
      const method = op.key === 'x-amazon-apigateway-any-method' ? 'ANY' : op.key.toUpperCase();
      const trigger: Trigger = {
        id: `${api.id}.paths.${pathEntry.key}.${op.key}`,
        deployment: cfn.deployment,
        kind,
        target,
        implicitPermission: false,
        integrationTimeout: cfn.numVal(integration, 'timeoutInMillis'),
        sourceResource: api.id,
        origin: cfn.origin(e),
        label: `API ${api.id} ${method} ${pathEntry.key}`,
      };
      // An integration with credentials invokes the function as that role, not through its resource policy.
      const credentials = entry(integration, 'credentials');
      if (credentials) trigger.invokeRole = cfn.origin(credentials);
      const invocationType = cfn.r.str(
        get(get(integration, 'requestParameters'), 'integration.request.header.X-Amz-Invocation-Type'),
      ).value;
      if (invocationType !== undefined && invocationType.replace(/'/g, '').trim() === 'Event')
        trigger.asyncInvocation = true;
      cfn.model.triggers.push(trigger);
    }
  }
}

/** A REST API method whose integration invokes a function (AWS_PROXY or AWS). */
export function loadRestMethod(cfn: TemplateLoader, res: ResourceInfo): void {
  const integration = get(cfn.props(res), 'Integration');
  const e = entry(integration, 'Uri');
  const target = e ? integrationTarget(cfn, cfn.strVal(integration, 'Uri'), cfn.origin(e)) : undefined;
  if (!target || (!target.functionId && target.qualifier === 'unknown' && !target.importName)) return;
  cfn.model.triggers.push({
    id: res.id,
    deployment: cfn.deployment,
    kind: 'api',
    target,
    implicitPermission: false,
    integrationTimeout: cfn.numVal(integration, 'TimeoutInMillis'),
    origin: cfn.origin(e),
    label: `API Gateway method ${res.id}`,
  });
  const restApi = cfn.r.str(get(cfn.props(res), 'RestApiId')).sym?.target;
  if (restApi && cfn.scope.resources.has(restApi))
    cfn.model.triggers[cfn.model.triggers.length - 1].sourceResource = restApi;
  const credentials = entry(integration, 'Credentials');
  if (credentials) cfn.model.triggers[cfn.model.triggers.length - 1].invokeRole = cfn.origin(credentials);
  // A non-proxy integration may ask Lambda for an asynchronous invocation with cfn header.
  const invocationType = cfn.r.str(
    get(get(integration, 'RequestParameters'), 'integration.request.header.X-Amz-Invocation-Type'),
  ).value;
  if (invocationType !== undefined && invocationType.replace(/'/g, '').trim() === 'Event')
    cfn.model.triggers[cfn.model.triggers.length - 1].asyncInvocation = true;
}

/** An HTTP or WebSocket API integration that invokes a function. */
export function loadV2Integration(cfn: TemplateLoader, res: ResourceInfo): void {
  const props = cfn.props(res);
  const e = entry(props, 'IntegrationUri');
  const target = e ? integrationTarget(cfn, cfn.strVal(props, 'IntegrationUri'), cfn.origin(e)) : undefined;
  if (!target || (!target.functionId && target.qualifier === 'unknown' && !target.importName)) return;
  const api = cfn.r.str(get(props, 'ApiId')).sym?.target;
  const apiRes = api ? cfn.scope.resources.get(api) : undefined;
  // An API that cannot be seen counts as an HTTP API, whose 30 s limit is the more lenient one.
  const protocol =
    apiRes?.type === 'AWS::ApiGatewayV2::Api' ? cfn.r.str(get(cfn.props(apiRes), 'ProtocolType')).value : undefined;
  const kind: TriggerKind = protocol === 'WEBSOCKET' ? 'websocket' : 'http-api';
  cfn.model.triggers.push({
    id: res.id,
    deployment: cfn.deployment,
    kind,
    target,
    implicitPermission: false,
    integrationTimeout: cfn.numVal(props, 'TimeoutInMillis'),
    ...(apiRes ? { sourceResource: api } : {}),
    origin: cfn.origin(e),
    label: `API Gateway integration ${res.id}`,
  });
}
