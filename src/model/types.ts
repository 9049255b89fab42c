// The framework-neutral model. Loaders build it; rules read it. Nothing here knows about YAML,
// HCL or ASTs: every value carries the place it was written (its origin) instead.
//
// Over 600 lines because: the model's types are one vocabulary that every loader and rule reads,
// and each type names the others (Deployment, Origin, Val, FunctionTarget are in nearly all of
// them); split by kind, the files would import each other both ways.

import type { SourceRange } from '../source/range.js';

export type { Position, SourceRange } from '../source/range.js';

/**
 * How a value reached the function: written on it (`direct`), inherited from SAM Globals or
 * Serverless provider settings, a framework default, a template parameter's default, a local
 * Terraform module input, or added implicitly by the framework.
 */
export type Via = 'direct' | 'globals' | 'provider' | 'default' | 'parameter' | 'module' | 'implicit';

export interface Origin {
  /** Where it was written; absent for values nobody wrote (framework defaults). */
  range?: SourceRange;
  via: Via;
  /** Human words for implicit values: "added by SAM for the SQS event Jobs". */
  note?: string;
  /** A second place worth showing, e.g. the parameter default a value came from. */
  also?: { range: SourceRange; message: string };
}

/**
 * A value that could not be resolved statically. Two symbolic values are the same thing when
 * their `key`s are equal. `resourceType` is known when the value names a resource of the same
 * deployment (so its ARN's service is known even though the ARN is not).
 */
export interface Symbolic {
  kind: 'ref' | 'getatt' | 'param' | 'import' | 'condition' | 'expr';
  /** Stable identity, e.g. `Ref:Queue`, `GetAtt:Queue.Arn`, `aws_sqs_queue.q.arn`. */
  key: string;
  /** Printable form for messages. */
  text: string;
  /** Logical id / address of the resource it refers to, when it refers to one. */
  target?: string;
  attribute?: string;
  resourceType?: string;
}

/** A value read from a file: either resolved (`value`), or symbolic (`sym`). */
export interface Val<T> {
  value?: T;
  sym?: Symbolic;
  /** The text as written when it is not of the expected type (a timeout of "ten"). */
  raw?: string;
  origin: Origin;
}

export type Framework = 'cloudformation' | 'sam' | 'cdk' | 'serverless' | 'terraform';

/** One deployable unit: a CloudFormation stack, a CDK stack, a Serverless service, a Terraform root. */
export interface Deployment {
  id: string;
  framework: Framework;
  /** Absolute path of the file that declares it. */
  file: string;
  production: Production;
  /** Everything the loader could not resolve and said nothing about, for verbose output. */
  notes: string[];
  /**
   * Set when something in the deployment grants permissions lambdalint does not model (SAM
   * connectors, for one): permission rules then stay silent on it.
   */
  opaquePermissions?: string;
  /**
   * Terraform: the module calls of the root, by address prefix (`module.api.`,
   * `module.api.module.inner.`), with the call block's head. Findings inside a module's own files
   * that the user does not edit (a downloaded module, a module outside the linted project) are
   * reported at the outermost call.
   */
  moduleCalls?: Map<string, { name: string; source: string; range: SourceRange }>;
  /**
   * CloudFormation: the exports of the stack's Outputs (`Export.Name` → `Value`), for
   * `Fn::ImportValue` in other templates of the same run.
   */
  exports?: Map<string, Val<string>>;
  /** The stack's name when it is known (samconfig.toml `stack_name`, the CDK stack). */
  stackName?: string;
}

export interface Production {
  isProduction: boolean;
  /** Why: "parameter Stage defaults to prod", "--stage prod", "folder envs/prod". */
  reason?: string;
  origin?: Origin;
}

/** Where a function's code comes from. */
export interface CodeLocation {
  kind: 'local-dir' | 'local-zip' | 's3' | 'inline' | 'image' | 'unknown';
  /** Absolute path for local folders and zips. */
  path?: string;
  /** Inline source (CloudFormation ZipFile / SAM InlineCode). */
  inline?: string;
  /** Whether the zip is sent in the API request (Terraform `filename`) rather than through S3. */
  directUpload: boolean;
  /**
   * Whether the folder is the package as deployed (cdk.out asset) or a source folder that a build
   * step turns into the package (SAM CodeUri built by `sam build`).
   */
  built: boolean;
  origin: Origin;
  /** Measured before rules run, when the package is on disk. */
  size?: PackageSize;
  /**
   * Why the folder on disk is not the package (the framework filters it with patterns lambdalint
   * does not evaluate): its size says nothing, so it is not measured.
   */
  unmeasured?: string;
}

export interface PackageSize {
  /** Bytes once unzipped (a lower bound when `truncated`). */
  unzippedBytes: number;
  /** Bytes of the zip itself, for local zips and inline code. */
  zippedBytes?: number;
  /** The largest top-level entries, largest first, with why one need not be there. */
  biggest: { path: string; bytes: number; note?: string }[];
  /** Measuring stopped early once a limit was clearly crossed. */
  truncated: boolean;
}

export interface LayerRef {
  /** Logical id of a layer declared in the same deployment, when it is one. */
  target?: string;
  /** The layer ARN or symbolic reference as written. */
  ref: Val<string>;
  /** The layer `target` names, set by the link step (src/model/link.ts). */
  layer?: Layer;
}

export interface Layer {
  id: string;
  deployment: Deployment;
  code: CodeLocation;
  origin: Origin;
  /** SAM `Metadata.BuildMethod` of the layer (`python3.12`, `nodejs20.x`, `makefile`): how `sam build` lays it out. */
  buildMethod?: string;
}

export interface VpcConfig {
  origin: Origin;
  /** Undefined when the key is absent; `value: []` when written empty. */
  subnetIds?: Val<Val<string>[]>;
  securityGroupIds?: Val<Val<string>[]>;
  /**
   * The subnet each entry of `subnetIds` names, where it is one of the model's (same deployment;
   * set by the link step, src/model/link.ts), by position.
   */
  subnets?: (Subnet | undefined)[];
}

/** How a trigger, mapping or permission names the function it invokes. */
export interface FunctionTarget {
  /** Id of the function in the model, when the reference resolves to one. */
  functionId?: string;
  /**
   * `unqualified`: the bare function (runs $LATEST); `latest`: explicitly `$LATEST`;
   * `alias` / `version`: a published version or an alias; `unknown`: cannot tell.
   */
  qualifier: 'unqualified' | 'latest' | 'alias' | 'version' | 'unknown';
  /** Alias id in the model when the target is one of its aliases. */
  aliasId?: string;
  /** Set when the function is in another deployment (reached through `Fn::ImportValue`). */
  deployment?: Deployment;
  /** The export name when the reference is an `Fn::ImportValue` not yet followed. */
  importName?: string;
  /**
   * The function `functionId` names (in `deployment`, else in the deployment of what holds the
   * target), set by the link step (src/model/link.ts).
   */
  fn?: LambdaFunction;
  origin: Origin;
}

export type StatementEffect = 'Allow' | 'Deny';

/** One entry of a statement's Condition block: `"StringEquals": { "aws:SourceAccount": [...] }`. */
export interface Condition {
  /** The condition operator as written (`StringEquals`, `ArnLike`, `StringLikeIfExists`...). */
  operator: string;
  /** The condition key (`aws:SourceArn`, `aws:RequestedRegion`...). */
  key: string;
  values: Val<string>[];
}

/** One IAM statement, as written or as a framework adds it. Values stay symbolic where needed. */
export interface Statement {
  effect: StatementEffect;
  actions?: Val<string>[];
  notActions?: Val<string>[];
  resources?: Val<string>[];
  notResources?: Val<string>[];
  /** Whether the statement has a Condition block. */
  hasCondition: boolean;
  /**
   * The Condition block entry by entry, when the loader could read it. Evaluation decides the
   * entries whose key and values it knows; any other condition makes the statement "unknown".
   */
  conditions?: Condition[];
  origin: Origin;
}

export interface PolicyDocument {
  name?: string;
  statements: Statement[];
  /** False when the document itself could not be resolved (a parameter, an unknown intrinsic). */
  complete: boolean;
  origin: Origin;
}

export interface Role {
  id: string;
  deployment: Deployment;
  /** True when the framework generates the role (SAM, Serverless, CDK ServiceRole). */
  generated: boolean;
  inline: PolicyDocument[];
  /** AWS managed policy ARNs (possibly symbolic) and customer managed policies by id. */
  managedPolicyArns: Val<string>[];
  /** Ids of customer managed policies (in the same deployment) attached to the role. */
  managedPolicyIds: string[];
  permissionsBoundary?: Val<string>;
  /** False when part of the role's policy set cannot be seen (a managed policy ARN from a parameter...). */
  complete: boolean;
  /** Why the role is not complete, in words a user can act on ("Policies of role R from parameter P"). */
  gaps?: string[];
  origin: Origin;
  /**
   * Everything that grants or limits the role's permissions (its policies joined with the customer
   * and AWS managed policies and the boundary they name), set once per run before the rules for
   * every role a function runs as (src/iam/check.ts `linkPolicies`).
   */
  policies?: RolePolicies;
}

/** A role's effective policies (src/iam/evaluate.ts `PolicySet`). */
export interface RolePolicies {
  statements: Statement[];
  /** False when part of the identity policies cannot be seen: a missing Allow is then "unknown". */
  complete: boolean;
  /** What cannot be seen, in words a user can act on ("unknown managed policy arn:..."). */
  gaps?: string[];
  boundary?: { statements: Statement[]; complete: boolean; gaps?: string[] };
}

/** A log group the deployment declares (AWS::Logs::LogGroup, aws_cloudwatch_log_group). */
export interface LogGroup {
  id: string;
  deployment: Deployment;
  name?: Val<string>;
  origin: Origin;
}

/** Whom a function runs as. */
export interface RoleRef {
  /** Id of a role in the model; absent when the role cannot be seen. */
  roleId?: string;
  /** The reference as written (a parameter, an ARN, an import) when it cannot be followed. */
  ref?: Val<string>;
  /** The role `roleId` names, set by the link step (src/model/link.ts). */
  role?: Role;
  origin: Origin;
  /**
   * Role settings of the function its framework does not apply, and why: Serverless Framework v3
   * ignores a function's `iamRoleStatements` without the serverless-iam-roles-per-function plugin.
   * A finding that cites the function's role cites these too.
   */
  ignored?: { origin: Origin; message: string };
}

export type EventSourceKind = 'sqs' | 'kinesis' | 'dynamodb' | 'msk' | 'kafka' | 'mq' | 'documentdb' | 'unknown';

export interface EventSourceMapping {
  id: string;
  deployment: Deployment;
  kind: EventSourceKind;
  target: FunctionTarget;
  source?: Val<string>;
  batchSize?: Val<number>;
  batchingWindow?: Val<number>;
  /** The customer managed KMS key that encrypts the source queue (not SSE-SQS, not alias/aws/sqs). */
  sourceKey?: Val<string>;
  /** On-failure destinations of stream and Kafka mappings. */
  destinations?: Destination[];
  /** SourceAccessConfigurations: auth secrets, VPC subnets and security groups of the source. */
  accessConfigs?: { type?: string; uri: Val<string> }[];
  /** Set when FilterCriteria limits which records invoke the function. */
  filtered?: boolean;
  /** The queue of the deployment `source` references, set by the link step (src/model/link.ts). */
  queue?: Queue;
  /** Origin of the mapping itself (the ESM resource or the SAM / Serverless event entry). */
  origin: Origin;
  /** "SQS event Jobs" / "AWS::Lambda::EventSourceMapping OrdersMapping". */
  label: string;
}

export type TriggerKind =
  | 's3'
  | 'sns'
  | 'api'
  | 'http-api'
  | 'websocket'
  | 'eventbridge'
  | 'schedule'
  | 'cloudwatch-logs'
  | 'iot'
  | 'alexa'
  | 'cognito'
  | 'function-url'
  | 'other';

/** Something that invokes the function by pushing events (S3, SNS, API Gateway, EventBridge...). */
export interface Trigger {
  id: string;
  deployment: Deployment;
  kind: TriggerKind;
  target: FunctionTarget;
  /** True when the framework creates the resource-based permission itself (SAM events). */
  implicitPermission: boolean;
  /** API Gateway integrations: TimeoutInMillis as written (milliseconds), when set. */
  integrationTimeout?: Val<number>;
  /** Set when the events reach the function through a queue (SAM SNS `SqsSubscription`), not pushed. */
  throughQueue?: boolean;
  /** Set when an API Gateway integration invokes the function asynchronously (X-Amz-Invocation-Type 'Event'). */
  asyncInvocation?: boolean;
  /**
   * Set when an API Gateway integration names credentials (an IAM role it assumes to invoke the
   * function): no resource-based permission is needed then.
   */
  invokeRole?: Origin;
  /**
   * The event source's own dead-letter queue (EventBridge target DeadLetterConfig, SNS subscription
   * RedrivePolicy): it keeps events the source could not deliver, not events the function failed on.
   */
  deliveryDeadLetter?: Origin;
  /** The bucket or topic whose events these are (S3, SNS), when the loader knows it. */
  source?: Val<string>;
  /** Function URLs: the AuthType (`NONE`: public, `AWS_IAM`: callers sign with IAM credentials). */
  authType?: Val<string>;
  /** Set when a filter limits the events (S3 key Filter, SNS FilterPolicy). */
  filtered?: boolean;
  /**
   * Logical id / address of the resource whose ARN the service sends as `aws:SourceArn` when it
   * invokes the function (the bucket, topic, rule, API, IoT rule), when the loader knows it.
   */
  sourceResource?: string;
  origin: Origin;
  label: string;
}

export interface Permission {
  id: string;
  deployment: Deployment;
  target: FunctionTarget;
  principal?: Val<string>;
  /** `SourceArn` / `source_arn`: the permission holds only for requests from that ARN (aws:SourceArn). */
  sourceArn?: Val<string>;
  /**
   * The resources of the same deployment `sourceArn` names (`!GetAtt Rule.Arn`,
   * `${Api}` in a `!Sub`), with the text after the last one (such as `/*` after an API): empty when it names none.
   */
  sourceArnResources?: { id: string; rest: string }[];
  /** `SourceAccount` / `source_account` (aws:SourceAccount). */
  sourceAccount?: Val<string>;
  /** The action granted (`lambda:InvokeFunction`, `lambda:InvokeFunctionUrl`...), when written. */
  action?: Val<string>;
  origin: Origin;
}

export interface Alias {
  id: string;
  deployment: Deployment;
  name?: Val<string>;
  functionId?: string;
  /** The function `functionId` names, set by the link step (src/model/link.ts). */
  fn?: LambdaFunction;
  /** `$LATEST`, a version number, or symbolic (a version resource). */
  version: Val<string>;
  /** Whether the version points at a published version resource of the model. */
  pointsToPublished: boolean;
  origin: Origin;
}

export interface Destination {
  kind: 'dead-letter' | 'on-failure' | 'on-success';
  arn: Val<string>;
  /** SQS, SNS, Lambda, EventBridge, S3, when the framework says so. */
  type?: string;
}

export interface EventInvokeConfig {
  id: string;
  deployment: Deployment;
  target: FunctionTarget;
  destinations: Destination[];
  /** MaximumRetryAttempts (0–2, Lambda's default 2), when set. */
  maximumRetryAttempts?: Val<number>;
  origin: Origin;
}

/** An SQS queue declared in a deployment. */
export interface Queue {
  id: string;
  deployment: Deployment;
  /** Seconds; undefined when the queue sets none (SQS's default is 30 s). */
  visibilityTimeout?: Val<number>;
  origin: Origin;
}

/** A VPC subnet declared in a deployment, with what tells whether it is public. */
export interface Subnet {
  id: string;
  deployment: Deployment;
  mapPublicIpOnLaunch?: Val<boolean>;
  /**
   * The default routes (0.0.0.0/0, ::/0) of the route tables associated with the subnet, with
   * where they lead: an internet gateway, something else (NAT, transit gateway...), or unknown.
   */
  defaultRoutes: { to: 'internet-gateway' | 'other' | 'unknown'; origin: Origin }[];
  /** False when an association of the subnet names a route table that cannot be followed. */
  routesKnown: boolean;
  origin: Origin;
}

/** Provisioned concurrency configured on a function version or alias (or, wrongly, on neither). */
export interface ProvisionedConcurrency {
  id: string;
  deployment: Deployment;
  /** What it is configured on: an alias, a version, or the unqualified function / $LATEST. */
  target: FunctionTarget;
  executions?: Val<number>;
  origin: Origin;
  label: string;
}

export interface LambdaFunction {
  /** Logical id / key under `functions:` / `aws_lambda_function.NAME`. */
  id: string;
  deployment: Deployment;
  framework: Framework;
  /** Origin of the function's declaration (its logical id key, resource block...). */
  origin: Origin;
  name?: Val<string>;
  runtime?: Val<string>;
  handler?: Val<string>;
  /** Seconds, after Globals / provider defaults. Undefined when nothing sets it (Lambda's default 3 s). */
  timeout?: Val<number>;
  memorySize?: Val<number>;
  ephemeralStorage?: Val<number>;
  architectures?: Val<string>[];
  packageType: 'Zip' | 'Image';
  code: CodeLocation;
  layers: LayerRef[];
  role: RoleRef;
  vpc?: VpcConfig;
  tracing?: Val<string>;
  /** Custom log group (LoggingConfig.LogGroup), when set. */
  logGroup?: Val<string>;
  /** The log group of the deployment that `logGroup` names, set by the link step (src/model/link.ts). */
  logGroupResource?: LogGroup;
  reservedConcurrency?: Val<number>;
  /** Set when the function runs on Lambda Managed Instances (CapacityProviderConfig). */
  capacityProvider?: Origin;
  /** Set when the function is a durable function (DurableConfig): its executions checkpoint and replay. */
  durable?: Origin;
  deadLetter?: Destination;
  environment: Record<string, Val<string>>;
  /** Framework-specific details worth keeping (`aws:cdk:path`, SAM AutoPublishAlias name). */
  meta: Record<string, string>;
  /** What the handler code holds; set by the code analysis (src/code/) when a rule needs it. */
  handlerCode?: HandlerCode;
  /** What names the function, set by the link step (src/model/link.ts) before rules run. */
  links?: FunctionLinks;
}

/**
 * Everything whose target is a function (`target.fn`), gathered on that function in model order:
 * the items of every deployment, so one of another stack (`Fn::ImportValue`) is there too.
 */
export interface FunctionLinks {
  triggers: Trigger[];
  mappings: EventSourceMapping[];
  permissions: Permission[];
  invokeConfigs: EventInvokeConfig[];
}

/**
 * The key of the symbolic target of an SDK call whose bucket is the one the S3 event names
 * (`event.Records[0].s3.bucket.name`): the bucket of whichever S3 notification invoked the function.
 */
export const S3_EVENT_BUCKET = 'event:s3.bucket.name';

/** Where an import of handler code comes from at run time. */
export type ImportProvider = 'builtin' | 'local' | 'package' | 'bundle' | 'runtime' | 'layer' | 'missing' | 'unknown';

/** One import of handler code, with its range in the handler file. */
export interface CodeImport {
  /** Package (`@aws-sdk/client-s3`, `lodash`) or top-level Python module (`requests`). */
  name: string;
  provider: ImportProvider;
  origin: Origin;
}

/** One AWS SDK call found in handler code, mapped to the IAM actions it needs. */
export interface SdkCall {
  sdk: 'js-v3' | 'js-v2' | 'boto3';
  /** `S3.GetObject`: the client and operation as the code names them. */
  operation: string;
  /** IAM actions the call needs (all of them), validated against the action catalog. */
  actions: string[];
  /** The resource the call acts on, when it resolves (literal ARN, environment variable). */
  resource?: Val<string>;
  /** Every resource a batch or transaction call acts on, when there are several (one table each). */
  resources?: Val<string>[];
  /** The bucket, queue, topic or table the call names, as written or as its environment variable holds it. */
  target?: Val<string>;
  /** Lambda API calls: the function of the project the call names, and how (alias, $LATEST...). */
  lambdaTarget?: FunctionTarget;
  /** Literal request flags that matter to rules: InvocationType, Qualifier, Publish. */
  flags?: Record<string, string>;
  origin: Origin;
}

/** The handler a function runs, resolved into its code before rules run. */
export interface HandlerCode {
  language: 'node' | 'python';
  /**
   * `found`: file and export are there. `no-file` / `no-export` / `not-function`: Handler names
   * something the package does not hold. `unchecked`: the package cannot be seen (see `note`).
   */
  status: 'found' | 'no-file' | 'no-export' | 'not-function' | 'unchecked';
  /** The handler file (absolute) once found. */
  file?: string;
  /** The file Handler names, relative to the code folder, as looked for (`src/app.{js,mjs,cjs}`). */
  expected?: string;
  exportName?: string;
  /** Where the export that is not a function is defined. */
  exportOrigin?: Origin;
  /** Whether a bundler builds the package from these sources (or the package is a bundle). */
  bundled: boolean;
  /** The deployed bundle (cdk.out asset) when `file` is the source it was built from. */
  bundleFile?: string;
  /** Every source file read from the handler on (absolute): what `--changed` follows. */
  files?: string[];
  /** Whether the file was looked for among the bundler's declared entry points. */
  entryPoints?: boolean;
  imports: CodeImport[];
  sdkCalls: SdkCall[];
  /**
   * SDK calls the handler reaches through the call graph (before mapping to IAM actions), and
   * (JS/TS) those that could not be resolved, by reason (`computed property call`).
   */
  reach?: { calls: number; unresolved: Record<string, number> };
  /** SDK calls in branches the function's environment variables rule out (src/code/guard.ts): not charged. */
  deadCalls?: number;
  /** Where the code uses the X-Ray SDK or a Powertools tracer. */
  tracer?: Origin;
  note?: string;
}

/** A script command that updates a function of the deployment in place. */
export interface ScriptUpdate {
  deployment: Deployment;
  functionId: string;
  /** The function `functionId` names, set by the link step (src/model/link.ts). */
  fn?: LambdaFunction;
  command: string;
  /** `update-function-code --publish`: a version is published right after the update. */
  publishes: boolean;
  origin: Origin;
}

/** Everything the loaders found, ready for rules. */
export interface Model {
  /** What could not be checked, and why (see NotChecked). */
  notChecked: NotChecked[];
  deployments: Deployment[];
  functions: LambdaFunction[];
  roles: Role[];
  /** Customer managed policies (AWS::IAM::ManagedPolicy, aws_iam_policy) by id. */
  managedPolicies: { id: string; deployment: Deployment; document: PolicyDocument }[];
  layers: Layer[];
  mappings: EventSourceMapping[];
  triggers: Trigger[];
  permissions: Permission[];
  aliases: Alias[];
  invokeConfigs: EventInvokeConfig[];
  /** `aws lambda update-function-*` commands in the deployments' package.json and shell scripts. */
  scriptUpdates: ScriptUpdate[];
  /** Log groups declared in the deployments (so Lambda need not create them). */
  logGroups: LogGroup[];
  /** Resource types by id per deployment, so symbolic references know what they point at. */
  resourceTypes: Map<Deployment, Map<string, string>>;
  queues: Queue[];
  subnets: Subnet[];
  provisionedConcurrency: ProvisionedConcurrency[];
}

/**
 * Something lambdalint could not check, and why: a role passed as a parameter, an unknown managed
 * policy, a functions object built at run time. Loaders and analysis stages record these; the
 * engine adds the ones rules report through `context.skip`. They reach the user as `coverage`.
 */
export interface NotChecked {
  /** The function's id (as findings name it); absent when the entry concerns a whole file. */
  fn?: string;
  /** Absolute path of the file that declares the function (or the file concerned). */
  file: string;
  /** Rule ids that could not decide; empty means every rule about that function or file. */
  rules: readonly string[];
  /** A short phrase a user can act on: "role from parameter RoleArn". */
  reason: string;
}

export function emptyModel(): Model {
  return {
    notChecked: [],
    deployments: [],
    functions: [],
    roles: [],
    managedPolicies: [],
    layers: [],
    mappings: [],
    triggers: [],
    permissions: [],
    aliases: [],
    invokeConfigs: [],
    logGroups: [],
    scriptUpdates: [],
    resourceTypes: new Map(),
    queues: [],
    subnets: [],
    provisionedConcurrency: [],
  };
}
