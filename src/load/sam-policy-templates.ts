// SAM policy templates that matter for lambdalint's permission rules, as data: the actions and
// resources SAM expands each one to. Source: docs/FACTS.md §4.5 (SAM v1.110.0
// policy_templates_data/policy_templates.json); the DynamoDB item-level lists follow the same file.
// Templates not listed here leave the role "incomplete", so no rule claims an action is missing.
//
// Resources use `${AWS::Partition}`, `${AWS::Region}`, `${AWS::AccountId}` and `${<Parameter>}`.

interface TemplateStatement {
  actions: string[];
  resources: string[];
}

export interface PolicyTemplate {
  params: string[];
  statements: TemplateStatement[];
  /**
   * The parameter that names the template's main resource and the resource types it names, so
   * `QueueName: !GetAtt Jobs.QueueName` is understood as "queue Jobs".
   */
  names?: { param: string; types: string[]; arnAttribute?: string };
}

const ENV = 'arn:${AWS::Partition}';
const REGIONAL = (svc: string) => `${ENV}:${svc}:\${AWS::Region}:\${AWS::AccountId}`;

const SQS = `${REGIONAL('sqs')}:\${QueueName}`;
const KINESIS = `${REGIONAL('kinesis')}:stream/\${StreamName}`;
const TABLE = `${REGIONAL('dynamodb')}:table/\${TableName}`;
const TOPIC = `${REGIONAL('sns')}:\${TopicName}`;
const BUCKET = `${ENV}:s3:::\${BucketName}`;

const DDB_READ = [
  'dynamodb:GetItem',
  'dynamodb:Scan',
  'dynamodb:Query',
  'dynamodb:BatchGetItem',
  'dynamodb:DescribeTable',
];
const DDB_WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'];
const DDB_CRUD = [
  'dynamodb:GetItem',
  'dynamodb:DeleteItem',
  'dynamodb:PutItem',
  'dynamodb:Scan',
  'dynamodb:Query',
  'dynamodb:UpdateItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:BatchGetItem',
  'dynamodb:DescribeTable',
  'dynamodb:ConditionCheckItem',
];
const S3_READ = [
  's3:GetObject',
  's3:ListBucket',
  's3:GetBucketLocation',
  's3:GetObjectVersion',
  's3:GetLifecycleConfiguration',
];
const S3_WRITE = ['s3:PutObject', 's3:PutObjectAcl', 's3:PutLifecycleConfiguration'];

const TABLE_TYPES = { param: 'TableName', types: ['AWS::DynamoDB::Table', 'AWS::Serverless::SimpleTable'] };
const BUCKET_TYPES = { param: 'BucketName', types: ['AWS::S3::Bucket'] };

export const POLICY_TEMPLATES: Record<string, PolicyTemplate> = {
  SQSPollerPolicy: {
    params: ['QueueName'],
    statements: [
      {
        actions: [
          'sqs:ChangeMessageVisibility',
          'sqs:ChangeMessageVisibilityBatch',
          'sqs:DeleteMessage',
          'sqs:DeleteMessageBatch',
          'sqs:GetQueueAttributes',
          'sqs:ReceiveMessage',
        ],
        resources: [SQS],
      },
    ],
    names: { param: 'QueueName', types: ['AWS::SQS::Queue'], arnAttribute: 'Arn' },
  },
  SQSSendMessagePolicy: {
    params: ['QueueName'],
    statements: [{ actions: ['sqs:SendMessage*'], resources: [SQS] }],
    names: { param: 'QueueName', types: ['AWS::SQS::Queue'], arnAttribute: 'Arn' },
  },
  KinesisStreamReadPolicy: {
    params: ['StreamName'],
    statements: [
      { actions: ['kinesis:ListStreams', 'kinesis:DescribeLimits'], resources: [`${REGIONAL('kinesis')}:stream/*`] },
      {
        actions: [
          'kinesis:DescribeStream',
          'kinesis:DescribeStreamSummary',
          'kinesis:GetRecords',
          'kinesis:GetShardIterator',
        ],
        resources: [KINESIS],
      },
    ],
    names: { param: 'StreamName', types: ['AWS::Kinesis::Stream'], arnAttribute: 'Arn' },
  },
  KinesisCrudPolicy: {
    params: ['StreamName'],
    statements: [
      {
        actions: [
          'kinesis:AddTagsToStream',
          'kinesis:CreateStream',
          'kinesis:DecreaseStreamRetentionPeriod',
          'kinesis:DeleteStream',
          'kinesis:DescribeStream',
          'kinesis:DescribeStreamSummary',
          'kinesis:GetShardIterator',
          'kinesis:IncreaseStreamRetentionPeriod',
          'kinesis:ListTagsForStream',
          'kinesis:MergeShards',
          'kinesis:PutRecord',
          'kinesis:PutRecords',
          'kinesis:SplitShard',
          'kinesis:RemoveTagsFromStream',
        ],
        resources: [KINESIS],
      },
    ],
    names: { param: 'StreamName', types: ['AWS::Kinesis::Stream'], arnAttribute: 'Arn' },
  },
  DynamoDBStreamReadPolicy: {
    params: ['TableName', 'StreamName'],
    statements: [
      {
        actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
        resources: [`${TABLE}/stream/\${StreamName}`],
      },
      { actions: ['dynamodb:ListStreams'], resources: [`${TABLE}/stream/*`] },
    ],
  },
  DynamoDBReadPolicy: {
    params: ['TableName'],
    statements: [{ actions: DDB_READ, resources: [TABLE, `${TABLE}/index/*`] }],
    names: { ...TABLE_TYPES, arnAttribute: 'Arn' },
  },
  DynamoDBWritePolicy: {
    params: ['TableName'],
    statements: [{ actions: DDB_WRITE, resources: [TABLE, `${TABLE}/index/*`] }],
    names: { ...TABLE_TYPES, arnAttribute: 'Arn' },
  },
  DynamoDBCrudPolicy: {
    params: ['TableName'],
    statements: [{ actions: DDB_CRUD, resources: [TABLE, `${TABLE}/index/*`] }],
    names: { ...TABLE_TYPES, arnAttribute: 'Arn' },
  },
  SNSPublishMessagePolicy: {
    params: ['TopicName'],
    statements: [{ actions: ['sns:Publish'], resources: [TOPIC] }],
    names: { param: 'TopicName', types: ['AWS::SNS::Topic'] },
  },
  SNSCrudPolicy: {
    params: ['TopicName'],
    statements: [
      {
        actions: [
          'sns:ListSubscriptionsByTopic',
          'sns:CreateTopic',
          'sns:SetTopicAttributes',
          'sns:Subscribe',
          'sns:Publish',
        ],
        resources: [`${TOPIC}*`],
      },
    ],
  },
  S3ReadPolicy: {
    params: ['BucketName'],
    statements: [{ actions: S3_READ, resources: [BUCKET, `${BUCKET}/*`] }],
    names: BUCKET_TYPES,
  },
  S3WritePolicy: {
    params: ['BucketName'],
    statements: [{ actions: S3_WRITE, resources: [BUCKET, `${BUCKET}/*`] }],
    names: BUCKET_TYPES,
  },
  S3CrudPolicy: {
    params: ['BucketName'],
    statements: [{ actions: [...S3_READ, ...S3_WRITE, 's3:DeleteObject'], resources: [BUCKET, `${BUCKET}/*`] }],
    names: BUCKET_TYPES,
  },
  VPCAccessPolicy: {
    params: [],
    statements: [
      {
        actions: [
          'ec2:CreateNetworkInterface',
          'ec2:DeleteNetworkInterface',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DetachNetworkInterface',
        ],
        resources: ['*'],
      },
    ],
  },
  KMSDecryptPolicy: {
    params: ['KeyId'],
    statements: [{ actions: ['kms:Decrypt'], resources: [`${REGIONAL('kms')}:key/\${KeyId}`] }],
  },
  LambdaInvokePolicy: {
    params: ['FunctionName'],
    statements: [
      { actions: ['lambda:InvokeFunction'], resources: [`${REGIONAL('lambda')}:function:\${FunctionName}*`] },
    ],
  },
  EventBridgePutEventsPolicy: {
    params: ['EventBusName'],
    statements: [{ actions: ['events:PutEvents'], resources: [`${REGIONAL('events')}:event-bus/\${EventBusName}`] }],
  },
  AWSSecretsManagerGetSecretValuePolicy: {
    params: ['SecretArn'],
    statements: [{ actions: ['secretsmanager:GetSecretValue'], resources: ['${SecretArn}'] }],
  },
  CloudWatchPutMetricPolicy: { params: [], statements: [{ actions: ['cloudwatch:PutMetricData'], resources: ['*'] }] },
  SSMParameterReadPolicy: {
    params: ['ParameterName'],
    statements: [
      { actions: ['ssm:DescribeParameters'], resources: ['*'] },
      {
        actions: ['ssm:GetParameters', 'ssm:GetParameter', 'ssm:GetParametersByPath'],
        resources: [`${REGIONAL('ssm')}:parameter/\${ParameterName}`],
      },
    ],
  },
  StepFunctionsExecutionPolicy: {
    params: ['StateMachineName'],
    statements: [
      { actions: ['states:StartExecution'], resources: [`${REGIONAL('states')}:stateMachine:\${StateMachineName}`] },
    ],
  },
  FilterLogEventsPolicy: {
    params: ['LogGroupName'],
    statements: [
      { actions: ['logs:FilterLogEvents'], resources: [`${REGIONAL('logs')}:log-group:\${LogGroupName}:log-stream:*`] },
    ],
  },
};
