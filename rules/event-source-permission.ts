import { defineRule } from '../src/engine/types.js';
import {
  ENI_ACTIONS,
  joinActions,
  grantOf,
  missingPermissions,
  type Requirement,
  roleLocation,
  unknownResource,
} from '../src/iam/check.js';
import type { EventSourceMapping, Val } from '../src/model/types.js';

// docs/FACTS.md §3.2: Lambda polls an event source with the execution role, and refuses to create the
// mapping when the role cannot read it ("The provided execution role does not have permissions to
// call ReceiveMessage on SQS"). Only the actions every working policy has are required: for
// Kinesis the core GetRecords / GetShardIterator / DescribeStream(Summary) set (the Serverless
// Framework grants no more and works), SubscribeToShard for enhanced fan-out consumers.
const SECRET_TYPES = new Set([
  'BASIC_AUTH',
  'SASL_SCRAM_256_AUTH',
  'SASL_SCRAM_512_AUTH',
  'CLIENT_CERTIFICATE_TLS_AUTH',
  'SERVER_ROOT_CA_CERTIFICATE',
]);

function each(actions: string[], resource: Val<string> | '*'): Requirement[] {
  return actions.map((action) => ({ anyOf: [{ action, resource }] }));
}

function isConsumer(source: Val<string>): boolean {
  return (
    source.sym?.resourceType === 'AWS::Kinesis::StreamConsumer' ||
    source.sym?.resourceType === 'aws_kinesis_stream_consumer' ||
    /:stream\/[^/]+\/consumer\//.test(source.value ?? '')
  );
}

function requirements(m: EventSourceMapping): Requirement[] {
  const source = m.source ?? unknownResource({ origin: m.origin }, 'event source');
  const opaque = (what: string) => unknownResource({ origin: m.origin }, what);
  const secrets = (types?: Set<string>) =>
    (m.accessConfigs ?? [])
      .filter((c) => c.type && (types ?? SECRET_TYPES).has(c.type))
      .map((c) => ({ anyOf: [{ action: 'secretsmanager:GetSecretValue', resource: c.uri }] }));
  const eni = () => [
    ...each(['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface'], opaque('network interface')),
    ...each(
      ENI_ACTIONS.filter((a) => /Describe/.test(a)),
      '*',
    ),
  ];
  switch (m.kind) {
    case 'sqs':
      return [
        ...each(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], source),
        ...(m.sourceKey ? each(['kms:Decrypt'], m.sourceKey) : []),
      ];
    case 'kinesis': {
      if (isConsumer(source)) {
        // The stream behind a consumer is not named by the mapping.
        const stream = opaque('stream');
        return [
          ...each(['kinesis:SubscribeToShard'], source),
          ...each(['kinesis:GetRecords', 'kinesis:GetShardIterator'], stream),
          {
            label: 'kinesis:DescribeStream',
            anyOf: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary'].map((action) => ({
              action,
              resource: stream,
            })),
          },
        ];
      }
      return [
        ...each(['kinesis:GetRecords', 'kinesis:GetShardIterator'], source),
        {
          label: 'kinesis:DescribeStream',
          anyOf: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary'].map((action) => ({
            action,
            resource: source,
          })),
        },
      ];
    }
    case 'dynamodb':
      // docs/FACTS.md §3.2: ListStreams too, as AWSLambdaDynamoDBExecutionRole and
      // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/iam-policy-example-lamda-process-dynamodb-streams.html
      // list it (CDK grants it on "*", the Serverless Framework on the stream): either grant counts.
      return [
        ...each(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'], source),
        {
          label: 'dynamodb:ListStreams',
          anyOf: [source, '*' as const].map((resource) => ({ action: 'dynamodb:ListStreams', resource })),
        },
      ];
    case 'msk':
      return [
        {
          label: 'kafka:DescribeClusterV2',
          anyOf: ['kafka:DescribeClusterV2', 'kafka:DescribeCluster'].map((action) => ({ action, resource: source })),
        },
        ...each(['kafka:GetBootstrapBrokers'], source),
        ...eni(),
        ...secrets(),
      ];
    case 'kafka':
      return [...secrets(), ...((m.accessConfigs ?? []).some((c) => c.type === 'VPC_SUBNET') ? eni() : [])];
    case 'mq':
      return [...each(['mq:DescribeBroker'], source), ...secrets(new Set(['BASIC_AUTH']))];
    case 'documentdb':
      return [
        ...each(['rds:DescribeDBClusters'], source),
        ...each(['rds:DescribeDBClusterParameters', 'rds:DescribeDBSubnetGroups'], opaque('cluster parameters')),
        ...eni(),
        ...secrets(new Set(['BASIC_AUTH'])),
      ];
    default:
      return [];
  }
}

const NAMES: Record<string, string> = {
  sqs: 'queue',
  kinesis: 'stream',
  dynamodb: 'stream',
  msk: 'cluster',
  kafka: 'Kafka cluster',
  mq: 'broker',
  documentdb: 'cluster',
};

export default defineRule({
  id: 'event-source-permission',
  severity: 'error',
  category: 'permissions',
  frameworks: ['cloudformation', 'sam', 'cdk', 'serverless', 'terraform'],
  docs: {
    summary: 'Let the execution role read every source an event source mapping polls.',
    why: "Lambda polls queues, streams and brokers with the function's execution role. When the role cannot read the source, creating the mapping fails the deploy, or polling stops and events pile up.",
    fix: 'Grant the listed actions on the source: for SQS attach AWSLambdaSQSQueueExecutionRole or allow sqs:ReceiveMessage, sqs:DeleteMessage and sqs:GetQueueAttributes on the queue; for streams, AWSLambdaKinesisExecutionRole or AWSLambdaDynamoDBExecutionRole.',
  },
  messages: {
    missing: 'Role {{role}} cannot read the {{source}} of {{mapping}}: it lacks {{actions}}.',
  },
  check({ model, report, skip, record }) {
    for (const m of model.mappings) {
      const fn = m.target.fn;
      if (!fn) continue;
      const reqs = requirements(m);
      if (reqs.length === 0) continue;
      const result = missingPermissions(model, fn, reqs, skip, record);
      if (!result || result.denied.length === 0) continue;
      report({
        messageId: 'missing',
        data: {
          role: result.role.id,
          source: NAMES[m.kind] ?? 'source',
          mapping: m.label,
          actions: joinActions(result.denied),
        },
        at: m.origin,
        fn,
        resource: m.id,
        // A role the framework generates is as its authors made it: what it lacks is a known gap
        // of the tool (docs/FACTS.md, section 9.3), worth a warning rather than an error.
        severity: result.role.generated && result.role.deployment.framework !== 'cdk' ? 'warning' : undefined,
        related: [roleLocation(result.role)],
        grant: grantOf(result),
      });
    }
  },
});
