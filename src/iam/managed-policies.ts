// AWS managed policy documents that matter for Lambda execution roles, as data.
//
// Source: docs/FACTS.md §2 (IAMDS = github iann0036/iam-dataset `aws/managedpolicies/<Name>.json`, snapshot
// 2026-08-22 `2073fa5`, spot-checked against docs.aws.amazon.com/aws-managed-policy/latest/reference;
// AdministratorAccess / PowerUserAccess from MAMIP `de4971a`). Where docs/FACTS.md only summarises a
// document, the full action list was copied from the IAMDS JSON (AmazonDynamoDBFullAccess,
// AmazonDynamoDBFullAccess_v2, AWSLambda_FullAccess, AWSLambdaFullAccess, AWSLambdaReadOnlyAccess,
// CloudWatchLambdaApplicationSignalsExecutionRolePolicy). Entries that list only part of the real
// document say so in `partial` (and in a comment): the services whose actions are not all listed.
// effectivePolicySet() turns `partial` into "unknown" for those services, so an abbreviation can
// never produce a wrong "denied".

import type { Origin, Statement, Val } from '../model/types.js';

export interface ManagedPolicyStatement {
  sid?: string;
  effect: 'Allow' | 'Deny';
  actions?: string[];
  notActions?: string[];
  resources: string[];
  /** The statement has a Condition block (evaluates as "unknown" when it is the only match). */
  condition?: boolean;
}

export interface ManagedPolicy {
  name: string;
  /** ARN path between `policy/` and the name. */
  path: '' | 'service-role/';
  /** Version and date of the last edit, as in docs/FACTS.md. */
  version: string;
  /** Deprecated: keeps working where attached, cannot be attached anew. */
  deprecated?: boolean;
  /**
   * Service prefixes whose actions this table lists only in part (the document is abbreviated
   * here). Absent when the table holds the complete document.
   */
  partial?: string[];
  statements: ManagedPolicyStatement[];
}

const LOGS3 = ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'];
const XRAY_WRITE = [
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'xray:GetSamplingStatisticSummaries',
];

function allow(actions: string[], resources: string[] = ['*'], condition = false): ManagedPolicyStatement {
  return condition ? { effect: 'Allow', actions, resources, condition } : { effect: 'Allow', actions, resources };
}

const POLICIES: ManagedPolicy[] = [
  {
    name: 'AWSLambdaBasicExecutionRole',
    path: 'service-role/',
    version: 'v1 / 2015-04-09',
    statements: [allow(LOGS3)],
  },
  {
    name: 'AWSLambdaBasicDurableExecutionRolePolicy',
    path: 'service-role/',
    version: 'v3 / 2026-02-12',
    statements: [allow([...LOGS3, 'lambda:CheckpointDurableExecution', 'lambda:GetDurableExecutionState'])],
  },
  {
    name: 'AWSLambdaVPCAccessExecutionRole',
    path: 'service-role/',
    version: 'v3 / 2024-01-05',
    statements: [
      allow([
        ...LOGS3,
        'ec2:CreateNetworkInterface',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeSubnets',
        'ec2:DeleteNetworkInterface',
        'ec2:AssignPrivateIpAddresses',
        'ec2:UnassignPrivateIpAddresses',
      ]),
    ],
  },
  {
    name: 'AWSLambdaENIManagementAccess',
    path: 'service-role/',
    version: 'v2 / 2020-10-01',
    statements: [
      allow([
        'ec2:CreateNetworkInterface',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DeleteNetworkInterface',
        'ec2:AssignPrivateIpAddresses',
        'ec2:UnassignPrivateIpAddresses',
      ]),
    ],
  },
  {
    name: 'AWSLambdaSQSQueueExecutionRole',
    path: 'service-role/',
    version: 'v1 / 2018-06-14',
    statements: [allow(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', ...LOGS3])],
  },
  {
    name: 'AWSLambdaKinesisExecutionRole',
    path: 'service-role/',
    version: 'v2 / 2018-11-19',
    statements: [
      allow([
        'kinesis:DescribeStream',
        'kinesis:DescribeStreamSummary',
        'kinesis:GetRecords',
        'kinesis:GetShardIterator',
        'kinesis:ListShards',
        'kinesis:ListStreams',
        'kinesis:SubscribeToShard',
        ...LOGS3,
      ]),
    ],
  },
  {
    name: 'AWSLambdaDynamoDBExecutionRole',
    path: 'service-role/',
    version: 'v1 / 2015-04-09',
    statements: [
      allow(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams', ...LOGS3]),
    ],
  },
  {
    name: 'AWSLambdaMSKExecutionRole',
    path: 'service-role/',
    version: 'v2 / 2022-08-02',
    statements: [
      allow([
        'kafka:DescribeCluster',
        'kafka:DescribeClusterV2',
        'kafka:GetBootstrapBrokers',
        'ec2:CreateNetworkInterface',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeVpcs',
        'ec2:DeleteNetworkInterface',
        'ec2:DescribeSubnets',
        'ec2:DescribeSecurityGroups',
        ...LOGS3,
      ]),
    ],
  },
  {
    name: 'AWSLambdaRole',
    path: 'service-role/',
    version: 'v1 / 2015-02-06',
    statements: [allow(['lambda:InvokeFunction'])],
  },
  {
    name: 'AmazonS3ObjectLambdaExecutionRolePolicy',
    path: 'service-role/',
    version: 'v1 / 2021-08-18',
    statements: [allow([...LOGS3, 's3-object-lambda:WriteGetObjectResponse'])],
  },
  {
    // logs:* only in the `aws` partition (hard-coded ARN): does not cover logs in aws-cn / aws-us-gov.
    name: 'AWSLambdaExecute',
    path: '',
    version: 'v1 / 2015-02-06',
    statements: [allow(['logs:*'], ['arn:aws:logs:*:*:*']), allow(['s3:GetObject', 's3:PutObject'], ['arn:aws:s3:::*'])],
  },
  {
    // No logs writes, no X-Ray writes.
    name: 'AWSLambda_FullAccess',
    path: '',
    version: 'v7 / 2026-02-12',
    statements: [
      allow([
        'cloudformation:DescribeStacks',
        'cloudformation:ListStackResources',
        'cloudwatch:ListMetrics',
        'cloudwatch:GetMetricData',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeSubnets',
        'ec2:DescribeVpcs',
        'kms:DescribeKey',
        'kms:ListAliases',
        'iam:GetPolicy',
        'iam:GetPolicyVersion',
        'iam:GetRole',
        'iam:GetRolePolicy',
        'iam:ListAttachedRolePolicies',
        'iam:ListRolePolicies',
        'iam:ListRoles',
        'lambda:*',
        'logs:DescribeLogGroups',
        'states:DescribeStateMachine',
        'states:ListStateMachines',
        'tag:GetResources',
        'xray:GetTraceSummaries',
        'xray:BatchGetTraces',
      ]),
      allow(['iam:PassRole'], ['*'], true), // iam:PassedToService = lambda.amazonaws.com
      allow(
        ['logs:DescribeLogStreams', 'logs:GetLogEvents', 'logs:FilterLogEvents', 'logs:StartLiveTail', 'logs:StopLiveTail'],
        ['arn:aws:logs:*:*:log-group:/aws/lambda/*'],
      ),
      allow(
        ['iam:CreateServiceLinkedRole'],
        ['arn:aws:iam::*:role/aws-service-role/lambda.amazonaws.com/AWSServiceRoleForLambda'],
        true,
      ),
    ],
  },
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
  {
    name: 'AWSLambdaInvocation-DynamoDB',
    path: '',
    version: 'v1 / 2015-02-06',
    statements: [
      allow(['lambda:InvokeFunction']),
      allow(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams']),
    ],
  },
  { name: 'AWSXRayDaemonWriteAccess', path: '', version: 'v2 / 2024-02-13', statements: [allow(XRAY_WRITE)] },
  { name: 'AWSXrayWriteOnlyAccess', path: '', version: 'v2 / 2018-08-28', statements: [allow(XRAY_WRITE)] },
  { name: 'AWSXrayFullAccess', path: '', version: 'v2 / 2024-04-11', statements: [allow(['xray:*'])] },
  {
    // Writes only to /aws/lambda-insights.
    name: 'CloudWatchLambdaInsightsExecutionRolePolicy',
    path: '',
    version: 'v1 / 2020-10-07',
    statements: [
      allow(['logs:CreateLogGroup']),
      allow(['logs:CreateLogStream', 'logs:PutLogEvents'], ['arn:aws:logs:*:*:log-group:/aws/lambda-insights:*']),
    ],
  },
  {
    // Both statements: aws:ResourceAccount = ${aws:PrincipalAccount}. No xray:PutTelemetryRecords.
    name: 'CloudWatchLambdaApplicationSignalsExecutionRolePolicy',
    path: '',
    version: 'v1 / 2024-10-16',
    statements: [
      allow(['xray:PutTraceSegments'], ['*'], true),
      allow(LOGS3, ['arn:aws:logs:*:*:log-group:/aws/application-signals/data:*'], true),
    ],
  },
  { name: 'AmazonSQSFullAccess', path: '', version: 'v1 / 2015-02-06', statements: [allow(['sqs:*'])] },
  {
    // No ReceiveMessage / DeleteMessage.
    name: 'AmazonSQSReadOnlyAccess',
    path: '',
    version: 'v4 / 2024-05-24',
    statements: [
      allow([
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ListDeadLetterSourceQueues',
        'sqs:ListQueues',
        'sqs:ListMessageMoveTasks',
        'sqs:ListQueueTags',
      ]),
    ],
  },
  { name: 'AmazonKinesisFullAccess', path: '', version: 'v1 / 2015-02-06', statements: [allow(['kinesis:*'])] },
  {
    // No SubscribeToShard.
    name: 'AmazonKinesisReadOnlyAccess',
    path: '',
    version: 'v1 / 2015-02-06',
    statements: [allow(['kinesis:Get*', 'kinesis:List*', 'kinesis:Describe*'])],
  },
  {
    name: 'AmazonDynamoDBFullAccess',
    path: '',
    version: 'v15 / 2021-01-29',
    statements: [
      allow([
        'dynamodb:*',
        'dax:*',
        'application-autoscaling:DeleteScalingPolicy',
        'application-autoscaling:DeregisterScalableTarget',
        'application-autoscaling:DescribeScalableTargets',
        'application-autoscaling:DescribeScalingActivities',
        'application-autoscaling:DescribeScalingPolicies',
        'application-autoscaling:PutScalingPolicy',
        'application-autoscaling:RegisterScalableTarget',
        'cloudwatch:DeleteAlarms',
        'cloudwatch:DescribeAlarmHistory',
        'cloudwatch:DescribeAlarms',
        'cloudwatch:DescribeAlarmsForMetric',
        'cloudwatch:GetMetricStatistics',
        'cloudwatch:ListMetrics',
        'cloudwatch:PutMetricAlarm',
        'cloudwatch:GetMetricData',
        'datapipeline:ActivatePipeline',
        'datapipeline:CreatePipeline',
        'datapipeline:DeletePipeline',
        'datapipeline:DescribeObjects',
        'datapipeline:DescribePipelines',
        'datapipeline:GetPipelineDefinition',
        'datapipeline:ListPipelines',
        'datapipeline:PutPipelineDefinition',
        'datapipeline:QueryObjects',
        'ec2:DescribeVpcs',
        'ec2:DescribeSubnets',
        'ec2:DescribeSecurityGroups',
        'iam:GetRole',
        'iam:ListRoles',
        'kms:DescribeKey',
        'kms:ListAliases',
        'sns:CreateTopic',
        'sns:DeleteTopic',
        'sns:ListSubscriptions',
        'sns:ListSubscriptionsByTopic',
        'sns:ListTopics',
        'sns:Subscribe',
        'sns:Unsubscribe',
        'sns:SetTopicAttributes',
        'lambda:CreateFunction',
        'lambda:ListFunctions',
        'lambda:ListEventSourceMappings',
        'lambda:CreateEventSourceMapping',
        'lambda:DeleteEventSourceMapping',
        'lambda:GetFunctionConfiguration',
        'lambda:DeleteFunction',
        'resource-groups:ListGroups',
        'resource-groups:ListGroupResources',
        'resource-groups:GetGroup',
        'resource-groups:GetGroupQuery',
        'resource-groups:DeleteGroup',
        'resource-groups:CreateGroup',
        'tag:GetResources',
        'kinesis:ListStreams',
        'kinesis:DescribeStream',
        'kinesis:DescribeStreamSummary',
      ]),
      allow(['cloudwatch:GetInsightRuleReport'], ['arn:aws:cloudwatch:*:*:insight-rule/DynamoDBContributorInsights*']),
      allow(['iam:PassRole'], ['*'], true), // PassedToService: application-autoscaling, dax
      allow(['iam:CreateServiceLinkedRole'], ['*'], true), // DynamoDB / DAX / autoscaling SLRs
    ],
  },
  {
    name: 'AmazonDynamoDBFullAccess_v2',
    path: '',
    version: 'v3 / 2026-02-12',
    // IAMDS document of the previous version; docs/FACTS.md: v3 = "dynamodb:*, dax:* + scoped helpers".
    partial: ['application-autoscaling', 'cloudwatch', 'ec2', 'iam', 'kinesis', 'kms', 'lambda', 'sns', 'tag'],
    statements: [
      allow(['dynamodb:*', 'dax:*']),
      allow(['kms:DescribeKey', 'kms:ListAliases']),
      allow(['lambda:ListEventSourceMappings', 'lambda:ListFunctions']),
      allow(['sns:ListTopics']),
      allow(
        [
          'application-autoscaling:DeleteScalingPolicy',
          'application-autoscaling:DeregisterScalableTarget',
          'application-autoscaling:PutScalingPolicy',
          'application-autoscaling:RegisterScalableTarget',
        ],
        ['*'],
        true,
      ),
      allow([
        'application-autoscaling:DescribeScalableTargets',
        'application-autoscaling:DescribeScalingActivities',
        'application-autoscaling:DescribeScalingPolicies',
      ]),
      allow(['tag:GetResources']),
      allow(['cloudwatch:DescribeAlarms', 'cloudwatch:GetMetricStatistics', 'cloudwatch:GetMetricData']),
      allow(['kinesis:ListStreams', 'kinesis:DescribeStream', 'kinesis:DescribeStreamSummary']),
      allow(['ec2:DescribeVpcs', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups']),
      allow(['cloudwatch:GetInsightRuleReport'], ['arn:aws:cloudwatch:*:*:insight-rule/DynamoDBContributorInsights*']),
      allow(['iam:CreateServiceLinkedRole'], ['*'], true),
      allow(['iam:ListRoles']),
    ],
  },
  {
    // No GetRecords / GetShardIterator (not a streams policy).
    name: 'AmazonDynamoDBReadOnlyAccess',
    path: '',
    version: 'v15 / 2024-11-18',
    // IAMDS v14 document plus dynamodb:GetAbacStatus (v15, docs/FACTS.md); the dax/cloudwatch/... read
    // helpers may have changed in v15.
    partial: ['application-autoscaling', 'cloudwatch', 'datapipeline', 'dax', 'ec2', 'iam', 'kinesis', 'kms', 'lambda', 'resource-groups', 'sns', 'tag'],
    statements: [
      allow([
        'application-autoscaling:DescribeScalableTargets',
        'application-autoscaling:DescribeScalingActivities',
        'application-autoscaling:DescribeScalingPolicies',
        'cloudwatch:DescribeAlarmHistory',
        'cloudwatch:DescribeAlarms',
        'cloudwatch:DescribeAlarmsForMetric',
        'cloudwatch:GetMetricStatistics',
        'cloudwatch:ListMetrics',
        'cloudwatch:GetMetricData',
        'datapipeline:DescribeObjects',
        'datapipeline:DescribePipelines',
        'datapipeline:GetPipelineDefinition',
        'datapipeline:ListPipelines',
        'datapipeline:QueryObjects',
        'dynamodb:BatchGetItem',
        'dynamodb:Describe*',
        'dynamodb:List*',
        'dynamodb:GetAbacStatus',
        'dynamodb:GetItem',
        'dynamodb:GetResourcePolicy',
        'dynamodb:Query',
        'dynamodb:Scan',
        'dynamodb:PartiQLSelect',
        'dax:Describe*',
        'dax:List*',
        'dax:GetItem',
        'dax:BatchGetItem',
        'dax:Query',
        'dax:Scan',
        'ec2:DescribeVpcs',
        'ec2:DescribeSubnets',
        'ec2:DescribeSecurityGroups',
        'iam:GetRole',
        'iam:ListRoles',
        'kms:DescribeKey',
        'kms:ListAliases',
        'sns:ListSubscriptionsByTopic',
        'sns:ListTopics',
        'lambda:ListFunctions',
        'lambda:ListEventSourceMappings',
        'lambda:GetFunctionConfiguration',
        'resource-groups:ListGroups',
        'resource-groups:ListGroupResources',
        'resource-groups:GetGroup',
        'resource-groups:GetGroupQuery',
        'tag:GetResources',
        'kinesis:ListStreams',
        'kinesis:DescribeStream',
        'kinesis:DescribeStreamSummary',
      ]),
      allow(['cloudwatch:GetInsightRuleReport'], ['arn:aws:cloudwatch:*:*:insight-rule/DynamoDBContributorInsights*']),
    ],
  },
  {
    name: 'CloudWatchLogsFullAccess',
    path: '',
    version: 'v8 / 2026-02-12',
    statements: [
      allow([
        'logs:*',
        'cloudwatch:GenerateQuery',
        'cloudwatch:GenerateQueryResultsSummary',
        'observabilityadmin:GetS3TableIntegration',
        'observabilityadmin:ListS3TableIntegrations',
        'observabilityadmin:ListTelemetryPipelines',
      ]),
    ],
  },
  { name: 'AdministratorAccess', path: '', version: 'v1', statements: [allow(['*'])] },
  {
    name: 'PowerUserAccess',
    path: '',
    version: 'v6 / 2024-08-19',
    statements: [
      { effect: 'Allow', notActions: ['iam:*', 'organizations:*', 'account:*'], resources: ['*'] },
      allow([
        'account:GetAccountInformation',
        'account:GetPrimaryEmail',
        'account:ListRegions',
        'iam:CreateServiceLinkedRole',
        'iam:DeleteServiceLinkedRole',
        'iam:ListRoles',
        'organizations:DescribeOrganization',
      ]),
    ],
  },
];

const BY_PATH_NAME = new Map(POLICIES.map((p) => [p.path + p.name, p]));
const BY_NAME = new Map(POLICIES.map((p) => [p.name, p]));

/** Every AWS managed policy in the table. */
export function allManagedPolicies(): readonly ManagedPolicy[] {
  return POLICIES;
}

/** Partitions whose AWS managed policies share names and documents (SAM's bundled map). */
export const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov', 'aws-eusc'] as const;

const ARN_RE = /^arn:(aws|aws-cn|aws-us-gov|aws-eusc|\$\{[^}]*\}):iam::aws:policy\/(.+)$/;

/**
 * The AWS managed policy named by `arn:<partition>:iam::aws:policy/<path><Name>`. The partition may
 * be unresolved (`${AWS::Partition}`, or any single `${...}`). Path and name must match exactly:
 * a wrong path or case is a different (non-existent) policy.
 */
export function managedPolicyByArn(arn: string): ManagedPolicy | undefined {
  const m = ARN_RE.exec(arn);
  return m ? BY_PATH_NAME.get(m[2]) : undefined;
}

/** Whether the ARN has the form of an AWS managed policy ARN (known to the table or not). */
export function isAwsManagedPolicyArn(arn: string): boolean {
  return ARN_RE.test(arn);
}

/** An AWS managed policy by its bare name, as SAM's `Policies: [AWSLambdaBasicExecutionRole]` writes it. */
export function managedPolicyByName(name: string): ManagedPolicy | undefined {
  return BY_NAME.get(name);
}

/** `arn:<partition>:iam::aws:policy/<path><Name>`. */
export function managedPolicyArn(policy: ManagedPolicy, partition = 'aws'): string {
  return `arn:${partition}:iam::aws:policy/${policy.path}${policy.name}`;
}

/**
 * The policy's statements in model form, each with `origin` (callers pass the origin of the ARN
 * entry that attached it). For an abbreviated policy (`partial`), one extra conditional Allow per
 * omitted service makes its other actions evaluate as "unknown" instead of "denied".
 */
export function managedPolicyStatements(policy: ManagedPolicy, origin: Origin): Statement[] {
  const v = (s: string): Val<string> => ({ value: s, origin });
  const out: Statement[] = policy.statements.map((s) => {
    const st: Statement = { effect: s.effect, hasCondition: !!s.condition, origin, resources: s.resources.map(v) };
    if (s.actions) st.actions = s.actions.map(v);
    if (s.notActions) st.notActions = s.notActions.map(v);
    return st;
  });
  if (policy.partial?.length) {
    const note = `${origin.note ?? `AWS managed policy ${policy.name}`} (abbreviated in lambdalint's table)`;
    const o: Origin = { ...origin, note };
    out.push({
      effect: 'Allow',
      actions: policy.partial.map((p) => ({ value: `${p}:*`, origin: o })),
      resources: [{ value: '*', origin: o }],
      hasCondition: true,
      origin: o,
    });
  }
  return out;
}
