// Writes one large CloudFormation YAML template, shaped like a synthesized CDK app: per function an
// execution role, its default policy, a queue with an event source mapping, a log group, and CDK
// metadata. Used by `npm run bench` for the memory row (a 15 MB template). Written to a temp folder,
// never committed. Run alone: npx tsx bench/big-template.ts <file> [megabytes]
import fs from 'node:fs';

/** The YAML of one function and its companions (about 3 KB). */
function functionBlock(i: number): string {
  const id = `Orders${i}`;
  return [
    `  ${id}ServiceRole:`,
    '    Type: AWS::IAM::Role',
    '    Properties:',
    '      AssumeRolePolicyDocument:',
    '        Statement:',
    '          - Action: sts:AssumeRole',
    '            Effect: Allow',
    '            Principal:',
    '              Service: lambda.amazonaws.com',
    "        Version: '2012-10-17'",
    '      ManagedPolicyArns:',
    "        - !Join ['', ['arn:', !Ref AWS::Partition, ':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']]",
    '    Metadata:',
    `      aws:cdk:path: App/Orders/${id}/ServiceRole/Resource`,
    `  ${id}ServiceRoleDefaultPolicy:`,
    '    Type: AWS::IAM::Policy',
    '    Properties:',
    '      PolicyDocument:',
    '        Statement:',
    '          - Action:',
    '              - sqs:ChangeMessageVisibility',
    '              - sqs:DeleteMessage',
    '              - sqs:GetQueueAttributes',
    '              - sqs:GetQueueUrl',
    '              - sqs:ReceiveMessage',
    '            Effect: Allow',
    `            Resource: !GetAtt ${id}Queue.Arn`,
    '          - Action:',
    '              - dynamodb:GetItem',
    '              - dynamodb:PutItem',
    '              - dynamodb:Query',
    '            Effect: Allow',
    "            Resource: !Sub 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/orders'",
    "        Version: '2012-10-17'",
    `      PolicyName: ${id}ServiceRoleDefaultPolicy`,
    '      Roles:',
    `        - !Ref ${id}ServiceRole`,
    '    Metadata:',
    `      aws:cdk:path: App/Orders/${id}/ServiceRole/DefaultPolicy/Resource`,
    `  ${id}Queue:`,
    '    Type: AWS::SQS::Queue',
    '    Properties:',
    '      VisibilityTimeout: 180',
    '      MessageRetentionPeriod: 1209600',
    '    UpdateReplacePolicy: Delete',
    '    DeletionPolicy: Delete',
    '    Metadata:',
    `      aws:cdk:path: App/Orders/${id}/Queue/Resource`,
    `  ${id}:`,
    '    Type: AWS::Lambda::Function',
    '    Properties:',
    '      Code:',
    "        S3Bucket: !Sub 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}'",
    `        S3Key: ${(i * 2654435761).toString(16).padStart(16, '0')}c1f0a2b3d4e5f60718293a4b5c6d7e8f.zip`,
    '      Environment:',
    '        Variables:',
    '          TABLE_NAME: orders',
    `          QUEUE_URL: !Ref ${id}Queue`,
    '          POWERTOOLS_SERVICE_NAME: orders',
    '          LOG_LEVEL: INFO',
    '      Handler: index.handler',
    '      MemorySize: 512',
    `      Role: !GetAtt ${id}ServiceRole.Arn`,
    '      Runtime: nodejs22.x',
    '      Timeout: 30',
    '      TracingConfig:',
    '        Mode: PassThrough',
    '      Tags:',
    '        - Key: team',
    '          Value: orders',
    '    DependsOn:',
    `      - ${id}ServiceRoleDefaultPolicy`,
    `      - ${id}ServiceRole`,
    '    Metadata:',
    `      aws:cdk:path: App/Orders/${id}/Resource`,
    '      aws:asset:path: asset.c1f0a2b3d4e5f60718293a4b5c6d7e8f',
    '      aws:asset:is-bundled: true',
    '      aws:asset:property: Code',
    `  ${id}SqsEventSource:`,
    '    Type: AWS::Lambda::EventSourceMapping',
    '    Properties:',
    `      EventSourceArn: !GetAtt ${id}Queue.Arn`,
    `      FunctionName: !Ref ${id}`,
    '      BatchSize: 10',
    '    Metadata:',
    `      aws:cdk:path: App/Orders/${id}/SqsEventSource/Resource`,
    `  ${id}LogGroup:`,
    '    Type: AWS::Logs::LogGroup',
    '    Properties:',
    `      LogGroupName: !Join ['', [/aws/lambda/, !Ref ${id}]]`,
    '      RetentionInDays: 30',
    '    UpdateReplacePolicy: Retain',
    '    DeletionPolicy: Retain',
    '',
  ].join('\n');
}

/** Writes a template of at least `bytes` bytes; returns its size and how many functions it declares. */
export function writeBigTemplate(file: string, bytes: number): { bytes: number; functions: number } {
  const parts = [
    "AWSTemplateFormatVersion: '2010-09-09'",
    'Description: A large synthesized application',
    'Resources:',
    '',
  ];
  let size = parts.join('\n').length;
  let functions = 0;
  while (size < bytes) {
    const block = functionBlock(functions++);
    parts.push(block);
    size += block.length;
  }
  const text = parts.join('\n');
  fs.writeFileSync(file, text);
  return { bytes: Buffer.byteLength(text), functions };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.argv[2] ?? 'big-template.yaml';
  const r = writeBigTemplate(out, Number(process.argv[3] ?? 15) * 1e6);
  console.log(`${out}: ${(r.bytes / 1e6).toFixed(1)} MB, ${r.functions} functions`);
}
