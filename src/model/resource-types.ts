// One table of the AWS resource types lambdalint reasons about, for CloudFormation (and SAM, CDK
// output) and Terraform alike: the service, the ARN each attribute yields, what `Ref` returns, and
// what the resource is to a function (an event source a mapping polls, a destination it writes
// to). Loaders, the IAM evaluation, the code analysis and the rules read it; nothing keeps a copy.

import type { EventSourceKind } from './types.js';

/**
 * ARN shapes: {P} {R} {A} partition, region, account of the deployment; {N} a name we do not know
 * (no `:`); {S} a name or id that cannot contain `/` either (queue, table, bucket, function names).
 */
const ARN = {
  sqs: 'arn:{P}:sqs:{R}:{A}:{S}',
  sns: 'arn:{P}:sns:{R}:{A}:{S}',
  kinesis: 'arn:{P}:kinesis:{R}:{A}:stream/{S}',
  kinesisConsumer: 'arn:{P}:kinesis:{R}:{A}:stream/{S}/consumer/{S}:{S}',
  table: 'arn:{P}:dynamodb:{R}:{A}:table/{S}',
  tableStream: 'arn:{P}:dynamodb:{R}:{A}:table/{S}/stream/{S}',
  function: 'arn:{P}:lambda:{R}:{A}:function:{S}',
  qualifiedFunction: 'arn:{P}:lambda:{R}:{A}:function:{S}:{S}',
  eventBus: 'arn:{P}:events:{R}:{A}:event-bus/{N}',
  key: 'arn:{P}:kms:{R}:{A}:key/{S}',
  secret: 'arn:{P}:secretsmanager:{R}:{A}:secret:{N}',
  msk: 'arn:{P}:kafka:{R}:{A}:cluster/{S}/{S}',
  stateMachine: 'arn:{P}:states:{R}:{A}:stateMachine:{S}',
  role: 'arn:{P}:iam::{A}:role/{N}',
  efsAccessPoint: 'arn:{P}:elasticfilesystem:{R}:{A}:access-point/{S}',
  bucket: 'arn:{P}:s3:::{S}',
} as const;

/** What a function's destination (DLQ, on-failure, on-success) of this type is. */
type DestinationKind = 'sqs' | 'sns' | 'function' | 'eventBus' | 's3';

export interface ResourceType {
  /** IAM service prefix. */
  service: string;
  /**
   * ARN shape per attribute, lower-cased (`arn`, `streamarn`; `ref` for what CloudFormation's Ref
   * returns when that is an ARN).
   */
  arns?: Record<string, string>;
  /** The attribute whose value is the ARN, when `Ref` returns a name or URL (CloudFormation). */
  arnAttribute?: string;
  /** CloudFormation: `Ref` returns the ARN itself. */
  refIsArn?: boolean;
  /** The kind of event source mapping that polls a resource of this type. */
  source?: EventSourceKind;
  /** What a destination of this type is. */
  destination?: DestinationKind;
  /**
   * What a reference to a resource of this type gives, for the code analysis (src/code/resource.ts):
   * what `Ref` returns (CloudFormation; in Terraform the resource itself), the attribute that gives
   * its ARN, and the attributes that give its name, id or URL.
   */
  names?: { refIs: 'name' | 'arn' | 'url'; arnAttr: string; nameAttrs: string[] };
}

// What `Ref` returns is each type's "Return values" in the CloudFormation resource reference: a
// table's and a bucket's name, a queue's URL, a topic's, secret's and state machine's ARN, a
// function's name. Terraform attributes are the provider's (docs/FACTS.md §7).
const RESOURCE_TYPES: Readonly<Record<string, ResourceType>> = {
  'AWS::SQS::Queue': {
    service: 'sqs',
    arns: { arn: ARN.sqs },
    arnAttribute: 'Arn',
    source: 'sqs',
    destination: 'sqs',
    names: { refIs: 'url', arnAttr: 'Arn', nameAttrs: ['QueueUrl', 'QueueName'] },
  },
  aws_sqs_queue: {
    service: 'sqs',
    arns: { arn: ARN.sqs },
    source: 'sqs',
    destination: 'sqs',
    names: { refIs: 'url', arnAttr: 'arn', nameAttrs: ['id', 'url', 'name'] },
  },
  'AWS::SNS::Topic': {
    service: 'sns',
    arns: { ref: ARN.sns, topicarn: ARN.sns },
    refIsArn: true,
    destination: 'sns',
    names: { refIs: 'arn', arnAttr: 'TopicArn', nameAttrs: [] },
  },
  aws_sns_topic: {
    service: 'sns',
    arns: { arn: ARN.sns, id: ARN.sns },
    destination: 'sns',
    names: { refIs: 'arn', arnAttr: 'arn', nameAttrs: ['id'] },
  },
  'AWS::Kinesis::Stream': { service: 'kinesis', arns: { arn: ARN.kinesis }, arnAttribute: 'Arn', source: 'kinesis' },
  aws_kinesis_stream: { service: 'kinesis', arns: { arn: ARN.kinesis }, source: 'kinesis' },
  'AWS::Kinesis::StreamConsumer': {
    service: 'kinesis',
    arns: { ref: ARN.kinesisConsumer, consumerarn: ARN.kinesisConsumer },
    refIsArn: true,
    source: 'kinesis',
  },
  aws_kinesis_stream_consumer: { service: 'kinesis', arns: { arn: ARN.kinesisConsumer }, source: 'kinesis' },
  'AWS::DynamoDB::Table': {
    service: 'dynamodb',
    arns: { arn: ARN.table, streamarn: ARN.tableStream },
    arnAttribute: 'Arn',
    source: 'dynamodb',
    names: { refIs: 'name', arnAttr: 'Arn', nameAttrs: [] },
  },
  'AWS::DynamoDB::GlobalTable': {
    service: 'dynamodb',
    arns: { arn: ARN.table, streamarn: ARN.tableStream },
    arnAttribute: 'Arn',
    source: 'dynamodb',
    names: { refIs: 'name', arnAttr: 'Arn', nameAttrs: [] },
  },
  'AWS::Serverless::SimpleTable': {
    service: 'dynamodb',
    arnAttribute: 'Arn',
    names: { refIs: 'name', arnAttr: 'Arn', nameAttrs: [] },
  },
  aws_dynamodb_table: {
    service: 'dynamodb',
    arns: { arn: ARN.table, stream_arn: ARN.tableStream },
    source: 'dynamodb',
    names: { refIs: 'name', arnAttr: 'arn', nameAttrs: ['name', 'id'] },
  },
  'AWS::Logs::LogGroup': { service: 'logs', arns: { arn: 'arn:{P}:logs:{R}:{A}:log-group:{N}:*' } },
  aws_cloudwatch_log_group: { service: 'logs', arns: { arn: 'arn:{P}:logs:{R}:{A}:log-group:{N}' } },
  'AWS::S3::Bucket': {
    service: 's3',
    arns: { arn: ARN.bucket },
    destination: 's3',
    names: { refIs: 'name', arnAttr: 'Arn', nameAttrs: [] },
  },
  aws_s3_bucket: {
    service: 's3',
    arns: { arn: ARN.bucket },
    destination: 's3',
    names: { refIs: 'name', arnAttr: 'arn', nameAttrs: ['id', 'bucket'] },
  },
  'AWS::Lambda::Function': {
    service: 'lambda',
    arns: { arn: ARN.function },
    arnAttribute: 'Arn',
    destination: 'function',
  },
  'AWS::Serverless::Function': { service: 'lambda', arnAttribute: 'Arn', destination: 'function' },
  aws_lambda_function: {
    service: 'lambda',
    arns: { arn: ARN.function, qualified_arn: ARN.qualifiedFunction },
    destination: 'function',
  },
  'AWS::Lambda::Alias': {
    service: 'lambda',
    arns: { ref: ARN.qualifiedFunction, aliasarn: ARN.qualifiedFunction },
    refIsArn: true,
    destination: 'function',
  },
  aws_lambda_alias: { service: 'lambda', arns: { arn: ARN.qualifiedFunction }, destination: 'function' },
  'AWS::Lambda::Version': {
    service: 'lambda',
    arns: { ref: ARN.qualifiedFunction, functionarn: ARN.qualifiedFunction },
    refIsArn: true,
  },
  'AWS::Events::EventBus': { service: 'events', arns: { arn: ARN.eventBus }, destination: 'eventBus' },
  aws_cloudwatch_event_bus: { service: 'events', arns: { arn: ARN.eventBus }, destination: 'eventBus' },
  'AWS::KMS::Key': { service: 'kms', arns: { arn: ARN.key } },
  aws_kms_key: { service: 'kms', arns: { arn: ARN.key } },
  'AWS::SecretsManager::Secret': {
    service: 'secretsmanager',
    arns: { ref: ARN.secret, id: ARN.secret },
    refIsArn: true,
    names: { refIs: 'arn', arnAttr: 'Id', nameAttrs: [] },
  },
  aws_secretsmanager_secret: {
    service: 'secretsmanager',
    arns: { arn: ARN.secret, id: ARN.secret },
    names: { refIs: 'arn', arnAttr: 'arn', nameAttrs: ['id'] },
  },
  'AWS::MSK::Cluster': { service: 'kafka', arns: { ref: ARN.msk, arn: ARN.msk }, refIsArn: true, source: 'msk' },
  'AWS::MSK::ServerlessCluster': {
    service: 'kafka',
    arns: { ref: ARN.msk, arn: ARN.msk },
    refIsArn: true,
    source: 'msk',
  },
  aws_msk_cluster: { service: 'kafka', arns: { arn: ARN.msk }, source: 'msk' },
  aws_msk_serverless_cluster: { service: 'kafka', arns: { arn: ARN.msk }, source: 'msk' },
  'AWS::AmazonMQ::Broker': { service: 'mq', source: 'mq' },
  aws_mq_broker: { service: 'mq', source: 'mq' },
  'AWS::DocDB::DBCluster': { service: 'rds', source: 'documentdb' },
  aws_docdb_cluster: { service: 'rds', source: 'documentdb' },
  'AWS::StepFunctions::StateMachine': {
    service: 'states',
    arns: { ref: ARN.stateMachine, arn: ARN.stateMachine },
    refIsArn: true,
  },
  'AWS::Serverless::StateMachine': { service: 'states', refIsArn: true },
  aws_sfn_state_machine: { service: 'states', arns: { arn: ARN.stateMachine, id: ARN.stateMachine } },
  'AWS::IAM::Role': { service: 'iam', arns: { arn: ARN.role } },
  aws_iam_role: { service: 'iam', arns: { arn: ARN.role } },
  'AWS::EFS::AccessPoint': { service: 'elasticfilesystem', arns: { arn: ARN.efsAccessPoint } },
  aws_efs_access_point: { service: 'elasticfilesystem', arns: { arn: ARN.efsAccessPoint } },
};

export function resourceType(type: string | undefined): ResourceType | undefined {
  return type === undefined ? undefined : RESOURCE_TYPES[type];
}

/** The ARN shape the `attribute` of a resource of `type` has (`ref` for CloudFormation's Ref). */
export function arnShape(type: string | undefined, attribute: string): string | undefined {
  return resourceType(type)?.arns?.[attribute.toLowerCase()];
}

const ARN_SERVICE_KINDS: Record<string, EventSourceKind> = {
  sqs: 'sqs',
  kinesis: 'kinesis',
  dynamodb: 'dynamodb',
  kafka: 'msk',
  mq: 'mq',
  rds: 'documentdb',
};

/** The kind of event source an ARN (or ARN pattern with placeholders) names, from its service. */
export function sourceKindOfArn(text: string): EventSourceKind {
  const svc = /^arn:[^:]+:([a-z0-9-]+):/.exec(text)?.[1];
  return (svc && ARN_SERVICE_KINDS[svc]) || 'unknown';
}

/** The kind of event source a mapping's source is, from the referenced resource's type or the ARN. */
export function sourceKindOf(type: string | undefined, arnText: string): EventSourceKind {
  return resourceType(type)?.source ?? sourceKindOfArn(arnText);
}
