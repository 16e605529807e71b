import { CloudFormationClient, type Stack, type StackEvent } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import type { DeployClients } from '../../actions/deploy-stack/src/deploy.js';
import { readDeployRequest } from '../../actions/deploy-stack/src/inputs.js';
import { planDeployment, type DeploymentPlan } from '../../actions/deploy-stack/src/plan.js';

export const REGION = 'eu-west-1';
export const ACCOUNT = '111111111111';
export const STACK = 'churn-dev';
export const STACK_ID = `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${STACK}/0f1e`;
export const ENDPOINT = 'sagemaker-gitops-dev';
export const NEW_CONFIG = 'EndpointConfig-NEW';
export const OLD_CONFIG = 'EndpointConfig-OLD';

/** Mocks of every client deploy-stack uses, reset for each test. */
export function mockClients() {
  const mocks = {
    cfn: mockClient(CloudFormationClient),
    sagemaker: mockClient(SageMakerClient),
    cloudwatch: mockClient(CloudWatchClient),
    s3: mockClient(S3Client),
    sts: mockClient(STSClient),
  };
  const clients: DeployClients = {
    cfn: new CloudFormationClient({ region: REGION }),
    sagemaker: new SageMakerClient({ region: REGION }),
    cloudwatch: new CloudWatchClient({ region: REGION }),
    s3: new S3Client({ region: REGION }),
    sts: new STSClient({ region: REGION }),
  };
  return { mocks, clients };
}

export function inputEnv(inputs: Record<string, string>): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]));
}

/** The plan of a deploy of the real endpoint template to the fixture dev environment. */
export function endpointPlan(extra: Record<string, string> = {}): DeploymentPlan {
  const request = readDeployRequest(
    inputEnv({
      'template': 'cloudformation/endpoint.yaml',
      'stack-name': STACK,
      'environment': 'dev',
      'environments-dir': 'test/fixtures/environments',
      ...extra,
    }),
  );
  return planDeployment(request, () => request.environment!.config.region);
}

export function stack(status: string, extra: Partial<Stack> = {}): { Stacks: Stack[] } {
  return {
    Stacks: [
      {
        StackName: STACK,
        StackId: STACK_ID,
        StackStatus: status as Stack['StackStatus'],
        CreationTime: new Date('2026-01-01T00:00:00Z'),
        ...extra,
      },
    ],
  };
}

export const OUTPUTS = [
  { OutputKey: 'EndpointName', OutputValue: ENDPOINT },
  { OutputKey: 'EndpointConfigName', OutputValue: NEW_CONFIG },
];

let eventSeq = 0;
export function event(logicalId: string, type: string, status: string, reason?: string, at = new Date()): StackEvent {
  eventSeq++;
  return {
    EventId: `e-${eventSeq}`,
    StackId: STACK_ID,
    StackName: STACK,
    LogicalResourceId: logicalId,
    ResourceType: type,
    ResourceStatus: status as StackEvent['ResourceStatus'],
    ResourceStatusReason: reason,
    Timestamp: at,
  };
}

/** The stack's resources as ListStackResources reports them (SageMaker physical ids are ARNs). */
export function resources(configName = NEW_CONFIG) {
  return {
    StackResourceSummaries: [
      { LogicalResourceId: 'Endpoint', PhysicalResourceId: `arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint/${ENDPOINT}`, ResourceType: 'AWS::SageMaker::Endpoint', ResourceStatus: 'UPDATE_COMPLETE' as const, LastUpdatedTimestamp: new Date() },
      { LogicalResourceId: 'EndpointConfig', PhysicalResourceId: `arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint-config/${configName.toLowerCase()}`, ResourceType: 'AWS::SageMaker::EndpointConfig', ResourceStatus: 'CREATE_COMPLETE' as const, LastUpdatedTimestamp: new Date() },
      { LogicalResourceId: 'ErrorRateAlarm', PhysicalResourceId: `${ENDPOINT}-5xx-rate`, ResourceType: 'AWS::CloudWatch::Alarm', ResourceStatus: 'CREATE_COMPLETE' as const, LastUpdatedTimestamp: new Date() },
    ],
  };
}

export const ALARMS = [`${ENDPOINT}-5xx-rate`, `${ENDPOINT}-p99-latency`];

export function endpoint(configName: string, status = 'InService') {
  return {
    EndpointName: ENDPOINT,
    EndpointArn: `arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint/${ENDPOINT}`,
    EndpointConfigName: configName,
    EndpointStatus: status as 'InService',
    CreationTime: new Date(),
    LastModifiedTime: new Date(),
    LastDeploymentConfig: { AutoRollbackConfiguration: { Alarms: ALARMS.map((AlarmName) => ({ AlarmName })) } },
  };
}
