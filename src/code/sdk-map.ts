// AWS SDK operation → IAM action. The rule is "service prefix + operation name"; the catalog
// (src/iam/actions.ts) then says whether that action exists. The operations whose IAM action has
// another name, or that need no permission, are listed below, each with its source.

/** SDK service names (v3 package suffix, v2 class lower-cased, boto3 client name) whose IAM prefix differs. */
const PREFIX: Record<string, string> = {
  // Service Authorization Reference, "Actions, resources, and condition keys for <service>":
  // the service prefix of each service (docs.aws.amazon.com/service-authorization/latest/reference/).
  eventbridge: 'events',
  cloudwatchevents: 'events',
  sfn: 'states',
  stepfunctions: 'states',
  'cloudwatch-logs': 'logs',
  cloudwatchlogs: 'logs',
  'secrets-manager': 'secretsmanager',
  sesv2: 'ses',
  'cognito-identity-provider': 'cognito-idp',
  cognitoidentityserviceprovider: 'cognito-idp',
  'cognito-identity': 'cognito-identity',
  apigatewaymanagementapi: 'execute-api',
  'iot-data-plane': 'iot',
  'iot-data': 'iot',
  iotdata: 'iot',
  'bedrock-runtime': 'bedrock',
  'bedrock-agent-runtime': 'bedrock',
  'dynamodb-streams': 'dynamodb',
  dynamodbstreams: 'dynamodb',
  'timestream-write': 'timestream',
  'timestream-query': 'timestream',
  's3-control': 's3',
  s3control: 's3',
  'elastic-load-balancing-v2': 'elasticloadbalancing',
  elbv2: 'elasticloadbalancing',
  'kinesis-video': 'kinesisvideo',
  'application-auto-scaling': 'application-autoscaling',
  'auto-scaling': 'autoscaling',
  'api-gateway': 'apigateway',
  apigatewayv2: 'apigateway',
  'sagemaker-runtime': 'sagemaker',
  'marketplace-metering': 'aws-marketplace',
  pinpoint: 'mobiletargeting',
};

/** Request parameters (JS) and keyword arguments (boto3) that name the resource a call acts on. */
export const RESOURCE_PARAMS: ReadonlySet<string> = new Set([
  'IndexName',
  'Name',
  'TableName',
  'QueueUrl',
  'TopicArn',
  'Bucket',
  'Key',
  'FunctionName',
  'StateMachineArn',
  'SecretId',
  'StreamName',
  'StreamARN',
  'DeliveryStreamName',
  'EventBusName',
  'InvocationType',
  'Qualifier',
  'Publish',
]);

/** The IAM service prefix of an SDK service name, before catalog validation. */
export function iamPrefix(sdkService: string): string {
  const k = sdkService.toLowerCase();
  return PREFIX[k] ?? k.replace(/-/g, '');
}

/**
 * Operations whose IAM action is not `prefix:Operation`. `[]` means the call needs no permission.
 * Sources: Service Authorization Reference tables (SAR-<service>), and the API reference
 * "Permissions" sections where cited.
 */
const EXCEPTIONS: Record<string, { actions: string[]; source: string }> = {
  // S3: SAR-s3 lists ListBucket for ListObjects / ListObjectsV2; HeadObject "requires s3:GetObject"
  // (S3 API reference, HeadObject, Permissions); multipart parts are written with s3:PutObject.
  's3:ListObjectsV2': { actions: ['s3:ListBucket'], source: 'S3 API reference, ListObjectsV2, Permissions' },
  's3:ListObjects': { actions: ['s3:ListBucket'], source: 'S3 API reference, ListObjects, Permissions' },
  's3:ListObjectVersions': {
    actions: ['s3:ListBucketVersions'],
    source: 'S3 API reference, ListObjectVersions, Permissions',
  },
  's3:HeadObject': { actions: ['s3:GetObject'], source: 'S3 API reference, HeadObject, Permissions' },
  's3:HeadBucket': { actions: ['s3:ListBucket'], source: 'S3 API reference, HeadBucket, Permissions' },
  's3:ListBuckets': { actions: ['s3:ListAllMyBuckets'], source: 'S3 API reference, ListBuckets, Permissions' },
  's3:DeleteObjects': { actions: ['s3:DeleteObject'], source: 'S3 API reference, DeleteObjects, Permissions' },
  's3:CopyObject': { actions: ['s3:GetObject', 's3:PutObject'], source: 'S3 API reference, CopyObject, Permissions' },
  's3:CreateMultipartUpload': {
    actions: ['s3:PutObject'],
    source: 'S3 API reference, CreateMultipartUpload, Permissions',
  },
  's3:UploadPart': { actions: ['s3:PutObject'], source: 'S3 API reference, UploadPart, Permissions' },
  's3:UploadPartCopy': {
    actions: ['s3:GetObject', 's3:PutObject'],
    source: 'S3 API reference, UploadPartCopy, Permissions',
  },
  's3:CompleteMultipartUpload': {
    actions: ['s3:PutObject'],
    source: 'S3 API reference, CompleteMultipartUpload, Permissions',
  },
  's3:ListParts': { actions: ['s3:ListMultipartUploadParts'], source: 'S3 API reference, ListParts, Permissions' },
  // Bucket configuration APIs authorised by actions of other names (S3 API reference, each
  // operation's Permissions section).
  's3:ListMultipartUploads': {
    actions: ['s3:ListBucketMultipartUploads'],
    source: 'S3 API reference, ListMultipartUploads, Permissions',
  },
  's3:SelectObjectContent': { actions: ['s3:GetObject'], source: 'S3 API reference, SelectObjectContent, Permissions' },
  's3:GetBucketEncryption': {
    actions: ['s3:GetEncryptionConfiguration'],
    source: 'S3 API reference, GetBucketEncryption, Permissions',
  },
  's3:PutBucketEncryption': {
    actions: ['s3:PutEncryptionConfiguration'],
    source: 'S3 API reference, PutBucketEncryption, Permissions',
  },
  's3:GetBucketLifecycleConfiguration': {
    actions: ['s3:GetLifecycleConfiguration'],
    source: 'S3 API reference, GetBucketLifecycleConfiguration, Permissions',
  },
  's3:PutBucketLifecycleConfiguration': {
    actions: ['s3:PutLifecycleConfiguration'],
    source: 'S3 API reference, PutBucketLifecycleConfiguration, Permissions',
  },
  's3:GetBucketNotificationConfiguration': {
    actions: ['s3:GetBucketNotification'],
    source: 'S3 API reference, GetBucketNotificationConfiguration, Permissions',
  },
  's3:PutBucketNotificationConfiguration': {
    actions: ['s3:PutBucketNotification'],
    source: 'S3 API reference, PutBucketNotificationConfiguration, Permissions',
  },
  's3:GetPublicAccessBlock': {
    actions: ['s3:GetBucketPublicAccessBlock'],
    source: 'S3 API reference, GetPublicAccessBlock, Permissions',
  },
  's3:PutPublicAccessBlock': {
    actions: ['s3:PutBucketPublicAccessBlock'],
    source: 'S3 API reference, PutPublicAccessBlock, Permissions',
  },
  's3:GetBucketReplication': {
    actions: ['s3:GetReplicationConfiguration'],
    source: 'S3 API reference, GetBucketReplication, Permissions',
  },
  's3:PutBucketReplication': {
    actions: ['s3:PutReplicationConfiguration'],
    source: 'S3 API reference, PutBucketReplication, Permissions',
  },
  's3:WriteGetObjectResponse': {
    actions: ['s3-object-lambda:WriteGetObjectResponse'],
    source: 'S3 API reference, WriteGetObjectResponse',
  },
  // KMS ReEncrypt needs both halves (KMS developer guide, ReEncrypt permissions).
  'kms:ReEncrypt': {
    actions: ['kms:ReEncryptFrom', 'kms:ReEncryptTo'],
    source: 'KMS API reference, ReEncrypt, Required permissions',
  },
  'lambda:GetLayerVersionByArn': { actions: ['lambda:GetLayerVersion'], source: 'SAR-lambda, GetLayerVersion' },
  // The managed transfers of the SDKs (v2 `upload`, boto3 `upload_file` / `download_file`) call
  // PutObject / multipart uploads and GetObject underneath.
  's3:Upload': { actions: ['s3:PutObject'], source: 'AWS SDK for JavaScript v2 ManagedUpload (PutObject / multipart)' },
  's3:UploadFile': { actions: ['s3:PutObject'], source: 'boto3 S3Transfer.upload_file (PutObject / multipart)' },
  's3:UploadFileobj': { actions: ['s3:PutObject'], source: 'boto3 S3Transfer.upload_fileobj (PutObject / multipart)' },
  's3:DownloadFile': { actions: ['s3:GetObject'], source: 'boto3 S3Transfer.download_file (GetObject)' },
  's3:DownloadFileobj': { actions: ['s3:GetObject'], source: 'boto3 S3Transfer.download_fileobj (GetObject)' },
  // SQS / SNS batch APIs are authorised by the single-message action (SAR-sqs, SAR-sns).
  'sqs:SendMessageBatch': { actions: ['sqs:SendMessage'], source: 'SQS developer guide, API permissions reference' },
  'sqs:DeleteMessageBatch': {
    actions: ['sqs:DeleteMessage'],
    source: 'SQS developer guide, API permissions reference',
  },
  'sqs:ChangeMessageVisibilityBatch': {
    actions: ['sqs:ChangeMessageVisibility'],
    source: 'SQS developer guide, API permissions reference',
  },
  'sns:PublishBatch': { actions: ['sns:Publish'], source: 'SNS API reference, PublishBatch' },
  // Lambda: Invoke is authorised by lambda:InvokeFunction (SAR-lambda).
  'lambda:Invoke': { actions: ['lambda:InvokeFunction'], source: 'SAR-lambda, InvokeFunction' },
  'lambda:InvokeWithResponseStream': { actions: ['lambda:InvokeFunction'], source: 'SAR-lambda, InvokeFunction' },
  // Bedrock runtime: Converse uses InvokeModel permissions (Bedrock user guide, Converse API).
  'bedrock:Converse': { actions: ['bedrock:InvokeModel'], source: 'Bedrock user guide, Converse API prerequisites' },
  'bedrock:ConverseStream': {
    actions: ['bedrock:InvokeModelWithResponseStream'],
    source: 'Bedrock user guide, Converse API prerequisites',
  },
  // API Gateway management API calls are authorised by execute-api:ManageConnections.
  'execute-api:PostToConnection': {
    actions: ['execute-api:ManageConnections'],
    source: 'API Gateway developer guide, WebSocket @connections',
  },
  'execute-api:GetConnection': {
    actions: ['execute-api:ManageConnections'],
    source: 'API Gateway developer guide, WebSocket @connections',
  },
  'execute-api:DeleteConnection': {
    actions: ['execute-api:ManageConnections'],
    source: 'API Gateway developer guide, WebSocket @connections',
  },
  // STS GetCallerIdentity needs no permission (STS API reference, GetCallerIdentity).
  'sts:GetCallerIdentity': { actions: [], source: 'STS API reference, GetCallerIdentity' },
  // DynamoDB transactions and PartiQL need per-item actions that depend on the items: not mapped.
  'dynamodb:TransactWriteItems': {
    actions: [],
    source: 'DynamoDB developer guide, transactions IAM: per-item actions',
  },
  'dynamodb:TransactGetItems': { actions: ['dynamodb:GetItem'], source: 'DynamoDB developer guide, transactions IAM' },
  'dynamodb:ExecuteStatement': {
    actions: [],
    source: 'DynamoDB developer guide, PartiQL IAM: depends on the statement',
  },
  'dynamodb:BatchExecuteStatement': {
    actions: [],
    source: 'DynamoDB developer guide, PartiQL IAM: depends on the statement',
  },
};

/** @aws-sdk/lib-dynamodb document commands → DynamoDB operations (lib-dynamodb README). */
export const LIB_DYNAMODB: Record<string, string> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  Query: 'Query',
  Scan: 'Scan',
  BatchGet: 'BatchGetItem',
  BatchWrite: 'BatchWriteItem',
  TransactGet: 'TransactGetItems',
  TransactWrite: 'TransactWriteItems',
  ExecuteStatement: 'ExecuteStatement',
  BatchExecuteStatement: 'BatchExecuteStatement',
};

/** DocumentClient (JS v2) and boto3 Table resource methods are the same names as the DynamoDB operations. */
const V2_DOCUMENT_CLIENT: Record<string, string> = {
  get: 'GetItem',
  put: 'PutItem',
  update: 'UpdateItem',
  delete: 'DeleteItem',
  query: 'Query',
  scan: 'Scan',
  batchGet: 'BatchGetItem',
  batchWrite: 'BatchWriteItem',
  transactGet: 'TransactGetItems',
  transactWrite: 'TransactWriteItems',
};

/** Operation candidates for `prefix:Operation`: the exception when there is one, else the action itself. */
export function actionsFor(prefix: string, operation: string): { actions: string[]; exception: boolean } {
  const key = `${prefix}:${operation}`;
  const ex = EXCEPTIONS[key];
  if (ex) return { actions: ex.actions, exception: true };
  return { actions: [key], exception: false };
}

/** `get_object` → `GetObject`; `list_objects_v2` → `ListObjectsV2`. */
export function snakeToPascal(s: string): string {
  return s
    .split('_')
    .filter(Boolean)
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join('');
}

/** `getObject` → `GetObject`. */
function camelToPascal(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

/** One IAM-relevant call a helper library makes, as an SDK operation and the hint its argument gives. */
export interface HelperCall {
  service: string;
  operations: string[];
  /** The request parameter the helper's first argument (or named option) stands for. */
  hint?: string;
}

/**
 * Powertools for AWS Lambda (TypeScript) parameters functions → the SDK operations they call. Source:
 * the Parameters utility docs, "IAM Permissions"
 * (https://docs.powertools.aws.dev/lambda/typescript/latest/features/parameters/#iam-permissions):
 * getParameter → ssm:GetParameter; getParameters → ssm:GetParametersByPath; getParametersByName →
 * ssm:GetParameter and ssm:GetParameters; setParameter → ssm:PutParameter; getSecret →
 * secretsmanager:GetSecretValue; getAppConfig → appconfig:GetLatestConfiguration and
 * appconfig:StartConfigurationSession. (`decrypt: true` adds kms:Decrypt on a key the code does not name.)
 */
export const POWERTOOLS_FUNCTIONS: Record<string, Record<string, HelperCall>> = {
  '@aws-lambda-powertools/parameters/ssm': {
    getParameter: { service: 'ssm', operations: ['GetParameter'], hint: 'Name' },
    getParameters: { service: 'ssm', operations: ['GetParametersByPath'], hint: 'Path' },
    getParametersByName: { service: 'ssm', operations: ['GetParameter', 'GetParameters'] },
    setParameter: { service: 'ssm', operations: ['PutParameter'], hint: 'Name' },
  },
  '@aws-lambda-powertools/parameters/secrets': {
    getSecret: { service: 'secretsmanager', operations: ['GetSecretValue'], hint: 'SecretId' },
  },
  '@aws-lambda-powertools/parameters/appconfig': {
    getAppConfig: { service: 'appconfig', operations: ['StartConfigurationSession', 'GetLatestConfiguration'] },
  },
};

/** Powertools providers (same source): class → method → calls. DynamoDBProvider reads its `tableName` option. */
export const POWERTOOLS_PROVIDERS: Record<string, { module: string; methods: Record<string, HelperCall> }> = {
  SSMProvider: {
    module: '@aws-lambda-powertools/parameters/ssm',
    methods: {
      get: { service: 'ssm', operations: ['GetParameter'], hint: 'Name' },
      getMultiple: { service: 'ssm', operations: ['GetParametersByPath'], hint: 'Path' },
      getParametersByName: { service: 'ssm', operations: ['GetParameter', 'GetParameters'] },
      set: { service: 'ssm', operations: ['PutParameter'], hint: 'Name' },
    },
  },
  SecretsProvider: {
    module: '@aws-lambda-powertools/parameters/secrets',
    methods: { get: { service: 'secretsmanager', operations: ['GetSecretValue'], hint: 'SecretId' } },
  },
  AppConfigProvider: {
    module: '@aws-lambda-powertools/parameters/appconfig',
    methods: { get: { service: 'appconfig', operations: ['StartConfigurationSession', 'GetLatestConfiguration'] } },
  },
  DynamoDBProvider: {
    module: '@aws-lambda-powertools/parameters/dynamodb',
    methods: {
      get: { service: 'dynamodb', operations: ['GetItem'] },
      getMultiple: { service: 'dynamodb', operations: ['Query'] },
    },
  },
};

/**
 * Powertools idempotency: a DynamoDBPersistenceLayer reads, writes, updates and deletes its records
 * in `tableName` when the idempotent function runs. Source: the Idempotency utility docs, "IAM
 * Permissions" (https://docs.powertools.aws.dev/lambda/typescript/latest/features/idempotency/#iam-permissions):
 * "dynamodb:GetItem, dynamodb:PutItem, dynamodb:UpdateItem and dynamodb:DeleteItem".
 */
export const POWERTOOLS_IDEMPOTENCY = {
  module: '@aws-lambda-powertools/idempotency/dynamodb',
  className: 'DynamoDBPersistenceLayer',
  operations: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'],
};

/** Methods of SDK clients that are not operations (v3 `send`, v2 `.promise()` chains, presigners). */
const NOT_OPERATIONS = new Set([
  'send',
  'promise',
  'destroy',
  'middlewareStack',
  'getSignedUrl',
  'getSignedUrlPromise',
  'createPresignedPost',
  'config',
  'on',
  'makeRequest',
  'makeUnauthenticatedRequest',
  'waitFor',
]);

/** The operation a method of a client names: DocumentClient methods by table, others camelCase → PascalCase. */
export function clientMethodOperation(client: { document?: boolean }, method: string): string | undefined {
  if (NOT_OPERATIONS.has(method)) return undefined;
  return client.document ? V2_DOCUMENT_CLIENT[method] : camelToPascal(method);
}
