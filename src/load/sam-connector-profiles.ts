// The permissions a SAM connector (AWS::Serverless::Connector, or `Connectors` on a resource) grants
// when its source or destination is a Lambda function, as data: the pairs of
// samtranslator/model/connector_profiles/profiles.json (aws/serverless-application-model, commit
// 7000d0a3b0e5e0d9fca014ce135850718aad1290) of type AWS_IAM_ROLE_MANAGED_POLICY (statements added to
// the role of the source, or of the destination when `sourcePolicy` is false) and
// AWS_LAMBDA_PERMISSION (a resource-based permission on the destination function). Pairs not listed
// here grant nothing to a function. `arn` is how SAM names each resource type's ARN (Ref or GetAtt
// Arn, `CfnResourceProperties` of the same file).

interface ConnectorStatement {
  actions: string[];
  /** With `%{Source.Arn}`, `%{Destination.Arn}` (and placeholders lambdalint cannot fill). */
  resources: string[];
  hasCondition: boolean;
}

export type ConnectorProfile =
  | { kind: 'role'; sourcePolicy: boolean; access: Record<string, ConnectorStatement[]> }
  | { kind: 'permission'; access: Record<string, { principal: string }> };

export const CONNECTOR_PROFILES: Record<string, Record<string, ConnectorProfile>> = {
  'AWS::DynamoDB::Table': {
    'AWS::Lambda::Function': {
      kind: 'role',
      sourcePolicy: false,
      access: {
        Read: [
          {
            actions: [
              'dynamodb:DescribeStream',
              'dynamodb:GetRecords',
              'dynamodb:GetShardIterator',
              'dynamodb:ListStreams',
            ],
            resources: ['%{Source.Arn}/stream/*'],
            hasCondition: false,
          },
        ],
      },
    },
  },
  'AWS::Events::Rule': {
    'AWS::Lambda::Function': {
      kind: 'permission',
      access: {
        Write: {
          principal: 'events.amazonaws.com',
        },
      },
    },
  },
  'AWS::Lambda::Function': {
    'AWS::Lambda::Function': {
      kind: 'role',
      sourcePolicy: true,
      access: {
        Write: [
          {
            actions: ['lambda:InvokeAsync', 'lambda:InvokeFunction'],
            resources: ['%{Destination.Arn}'],
            hasCondition: false,
          },
        ],
      },
    },
    'AWS::S3::Bucket': {
      kind: 'role',
      sourcePolicy: true,
      access: {
        Read: [
          {
            actions: [
              's3:GetObject',
              's3:GetObjectAcl',
              's3:GetObjectLegalHold',
              's3:GetObjectRetention',
              's3:GetObjectTorrent',
              's3:GetObjectVersion',
              's3:GetObjectVersionAcl',
              's3:GetObjectVersionForReplication',
              's3:GetObjectVersionTorrent',
              's3:ListBucket',
              's3:ListBucketMultipartUploads',
              's3:ListBucketVersions',
              's3:ListMultipartUploadParts',
            ],
            resources: ['%{Destination.Arn}', '%{Destination.Arn}/*'],
            hasCondition: false,
          },
        ],
        Write: [
          {
            actions: [
              's3:AbortMultipartUpload',
              's3:DeleteObject',
              's3:DeleteObjectVersion',
              's3:PutObject',
              's3:PutObjectLegalHold',
              's3:PutObjectRetention',
              's3:RestoreObject',
            ],
            resources: ['%{Destination.Arn}', '%{Destination.Arn}/*'],
            hasCondition: false,
          },
        ],
      },
    },
    'AWS::DynamoDB::Table': {
      kind: 'role',
      sourcePolicy: true,
      access: {
        Read: [
          {
            actions: [
              'dynamodb:GetItem',
              'dynamodb:Query',
              'dynamodb:Scan',
              'dynamodb:BatchGetItem',
              'dynamodb:ConditionCheckItem',
              'dynamodb:PartiQLSelect',
            ],
            resources: ['%{Destination.Arn}', '%{Destination.Arn}/index/*'],
            hasCondition: false,
          },
        ],
        Write: [
          {
            actions: [
              'dynamodb:PutItem',
              'dynamodb:UpdateItem',
              'dynamodb:DeleteItem',
              'dynamodb:BatchWriteItem',
              'dynamodb:PartiQLDelete',
              'dynamodb:PartiQLInsert',
              'dynamodb:PartiQLUpdate',
            ],
            resources: ['%{Destination.Arn}', '%{Destination.Arn}/index/*'],
            hasCondition: false,
          },
        ],
      },
    },
    'AWS::SQS::Queue': {
      kind: 'role',
      sourcePolicy: true,
      access: {
        Read: [
          {
            actions: ['sqs:ReceiveMessage', 'sqs:GetQueueAttributes'],
            resources: ['%{Destination.Arn}'],
            hasCondition: false,
          },
        ],
        Write: [
          {
            actions: ['sqs:DeleteMessage', 'sqs:SendMessage', 'sqs:ChangeMessageVisibility', 'sqs:PurgeQueue'],
            resources: ['%{Destination.Arn}'],
            hasCondition: false,
          },
        ],
      },
    },
    'AWS::SNS::Topic': {
      kind: 'role',
      sourcePolicy: true,
      access: {
        Write: [
          {
            actions: ['sns:Publish'],
            resources: ['%{Destination.Arn}'],
            hasCondition: false,
          },
        ],
      },
    },
    'AWS::StepFunctions::StateMachine': {
      kind: 'role',
      sourcePolicy: true,
      access: {
        Write: [
          {
            actions: ['states:StartExecution', 'states:StartSyncExecution'],
            resources: ['%{Destination.Arn}'],
            hasCondition: false,
          },
          {
            actions: ['states:StopExecution'],
            resources: [
              'arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:%{Destination.Name}:*',
            ],
            hasCondition: false,
          },
        ],
        Read: [
          {
            actions: ['states:DescribeStateMachine', 'states:ListExecutions'],
            resources: ['%{Destination.Arn}'],
            hasCondition: false,
          },
          {
            actions: [
              'states:DescribeExecution',
              'states:DescribeStateMachineForExecution',
              'states:GetExecutionHistory',
            ],
            resources: [
              'arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:%{Destination.Name}:*',
            ],
            hasCondition: false,
          },
        ],
      },
    },
    'AWS::Events::EventBus': {
      kind: 'role',
      sourcePolicy: true,
      access: {
        Write: [
          {
            actions: ['events:PutEvents'],
            resources: ['%{Destination.Arn}'],
            hasCondition: false,
          },
        ],
      },
    },
    'AWS::Location::PlaceIndex': {
      kind: 'role',
      sourcePolicy: true,
      access: {
        Read: [
          {
            actions: [
              'geo:DescribePlaceIndex',
              'geo:GetPlace',
              'geo:SearchPlaceIndexForPosition',
              'geo:SearchPlaceIndexForSuggestions',
              'geo:SearchPlaceIndexForText',
            ],
            resources: ['%{Destination.Arn}'],
            hasCondition: false,
          },
        ],
      },
    },
  },
  'AWS::ApiGatewayV2::Api': {
    'AWS::Lambda::Function': {
      kind: 'permission',
      access: {
        Write: {
          principal: 'apigateway.amazonaws.com',
        },
      },
    },
  },
  'AWS::ApiGateway::RestApi': {
    'AWS::Lambda::Function': {
      kind: 'permission',
      access: {
        Write: {
          principal: 'apigateway.amazonaws.com',
        },
      },
    },
  },
  'AWS::SNS::Topic': {
    'AWS::Lambda::Function': {
      kind: 'permission',
      access: {
        Write: {
          principal: 'sns.amazonaws.com',
        },
      },
    },
  },
  'AWS::SQS::Queue': {
    'AWS::Lambda::Function': {
      kind: 'role',
      sourcePolicy: false,
      access: {
        Write: [
          {
            actions: ['sqs:DeleteMessage'],
            resources: ['%{Source.Arn}'],
            hasCondition: false,
          },
        ],
        Read: [
          {
            actions: ['sqs:ReceiveMessage', 'sqs:GetQueueAttributes'],
            resources: ['%{Source.Arn}'],
            hasCondition: false,
          },
        ],
      },
    },
  },
  'AWS::S3::Bucket': {
    'AWS::Lambda::Function': {
      kind: 'permission',
      access: {
        Write: {
          principal: 's3.amazonaws.com',
        },
      },
    },
  },
  'AWS::StepFunctions::StateMachine': {
    'AWS::Lambda::Function': {
      kind: 'role',
      sourcePolicy: true,
      access: {
        Write: [
          {
            actions: ['lambda:InvokeAsync', 'lambda:InvokeFunction'],
            resources: ['%{Destination.Arn}'],
            hasCondition: false,
          },
        ],
      },
    },
  },
  'AWS::AppSync::DataSource': {
    'AWS::Lambda::Function': {
      kind: 'role',
      sourcePolicy: true,
      access: {
        Write: [
          {
            actions: ['lambda:InvokeAsync', 'lambda:InvokeFunction'],
            resources: ['%{Destination.Arn}', '%{Destination.Arn}:*'],
            hasCondition: false,
          },
        ],
      },
    },
  },
  'AWS::AppSync::GraphQLApi': {
    'AWS::Lambda::Function': {
      kind: 'permission',
      access: {
        Write: {
          principal: 'appsync.amazonaws.com',
        },
      },
    },
  },
};

/** How SAM names the ARN of each resource type a connector joins. */
export const CONNECTOR_ARN: Record<string, 'getatt' | 'ref'> = {
  'AWS::Lambda::Function': 'getatt',
  'AWS::StepFunctions::StateMachine': 'ref',
  'AWS::AppSync::GraphQLApi': 'ref',
  'AWS::AppSync::DataSource': 'ref',
  'AWS::Events::Rule': 'getatt',
  'AWS::SQS::Queue': 'getatt',
  'AWS::SNS::Topic': 'ref',
  'AWS::DynamoDB::Table': 'getatt',
  'AWS::S3::Bucket': 'getatt',
  'AWS::Location::PlaceIndex': 'getatt',
  'AWS::ApiGatewayV2::Api': 'getatt',
  'AWS::ApiGateway::RestApi': 'getatt',
  'AWS::Events::EventBus': 'getatt',
};

/** The resource type a connector endpoint stands for (SAM resources are translated first). */
export const CONNECTOR_TYPE: Record<string, string> = {
  'AWS::Serverless::Function': 'AWS::Lambda::Function',
  'AWS::Serverless::SimpleTable': 'AWS::DynamoDB::Table',
  'AWS::Serverless::Api': 'AWS::ApiGateway::RestApi',
  'AWS::Serverless::HttpApi': 'AWS::ApiGatewayV2::Api',
  'AWS::Serverless::StateMachine': 'AWS::StepFunctions::StateMachine',
  'AWS::Serverless::GraphQLApi': 'AWS::AppSync::GraphQLApi',
};
