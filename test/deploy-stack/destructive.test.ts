// deploy-stack refuses a change set that removes or replaces state (buckets, model package
// groups, ECR repositories, IAM roles, Retain resources, or what protected-resources names),
// executes nothing, deletes the change set and says which resources, first.
import {
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  ListStackResourcesCommand,
  type Change,
} from '@aws-sdk/client-cloudformation';
import { DescribeEndpointCommand } from '@aws-sdk/client-sagemaker';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import 'aws-sdk-client-mock-jest';
import { ACCOUNT, endpoint, inputEnv, mockClients, NEW_CONFIG, resources, stack, STACK, STACK_ID } from './fixtures.js';
import { refusedChanges } from '../../actions/deploy-stack/src/destructive.js';
import { runDeploy } from '../../actions/deploy-stack/src/run.js';
import { actionContext, FailureWithSummary } from '../../actions/lib/action.js';
import { memoryLogger } from '../../actions/lib/log.js';
import { parseTemplate } from '../../core/cfn-template.js';
import { settle } from '../helpers/timers.js';

const { mocks, clients } = mockClients();
const BASE = { 'template': 'cloudformation/endpoint.yaml', 'stack-name': STACK, 'environment': 'dev', 'environments-dir': 'test/fixtures/environments' };
const run = (inputs: Record<string, string> = BASE) => settle(runDeploy(actionContext(inputEnv(inputs), memoryLogger()), () => clients));
const change = (Action: string, LogicalResourceId: string, ResourceType: string, Replacement?: string): Change => ({
  Type: 'Resource',
  ResourceChange: { Action: Action as 'Add', LogicalResourceId, ResourceType, Replacement: Replacement as 'True' },
});

function changeSetWith(changes: Change[]): void {
  mocks.cfn.on(DescribeStacksCommand).resolves(stack('UPDATE_COMPLETE'));
  mocks.cfn.on(CreateChangeSetCommand).resolves({ Id: 'cs', StackId: STACK_ID });
  mocks.cfn.on(DescribeChangeSetCommand).resolvesOnce({ Status: 'CREATE_COMPLETE', Changes: changes }).rejects(Object.assign(new Error('gone'), { name: 'ChangeSetNotFoundException' }));
  mocks.cfn.on(DeleteChangeSetCommand).resolves({});
  mocks.cfn.on(ExecuteChangeSetCommand).resolves({});
  mocks.cfn.on(ListStackResourcesCommand).resolves(resources());
  mocks.sagemaker.on(DescribeEndpointCommand).resolves(endpoint(NEW_CONFIG));
}

beforeEach(() => {
  jest.useFakeTimers({ now: new Date('2026-11-22T10:00:00Z') });
  Object.values(mocks).forEach((m) => m.reset());
  mocks.sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/x` });
});
afterEach(() => {
  jest.useRealTimers();
});

describe('deploy-stack destructive changes', () => {
  it('refuses to remove a bucket or replace a role, executes nothing and deletes the change set', async () => {
    changeSetWith([change('Modify', 'Endpoint', 'AWS::SageMaker::Endpoint', 'False'), change('Remove', 'ArtifactBucket', 'AWS::S3::Bucket'), change('Modify', 'ExecutionRole', 'AWS::IAM::Role', 'True')]);
    const failure = (await run().catch((e: unknown) => e)) as FailureWithSummary;
    expect(failure).toBeInstanceOf(FailureWithSummary);
    expect(failure.message).toMatch(
      /^Refusing to execute change set gitops-[\w-]+: it would remove or replace ArtifactBucket \(AWS::S3::Bucket, removed\), ExecutionRole \(AWS::IAM::Role, replaced\)\. Nothing was changed\. If that is intended, name them in 'allow-destructive-changes'\.$/,
    );
    expect(mocks.cfn).not.toHaveReceivedCommand(ExecuteChangeSetCommand);
    expect(mocks.cfn).toHaveReceivedCommandTimes(DeleteChangeSetCommand, 1);
    expect(failure.summary).toContain('**⚠️ Refused, nothing changed:** ArtifactBucket (AWS::S3::Bucket, removed), ExecutionRole (AWS::IAM::Role, replaced)');
  });

  it('executes them when allow-destructive-changes names every one', async () => {
    changeSetWith([change('Remove', 'ArtifactBucket', 'AWS::S3::Bucket'), change('Modify', 'ExecutionRole', 'AWS::IAM::Role', 'True')]);
    const result = await run({ ...BASE, 'allow-destructive-changes': 'ArtifactBucket, ExecutionRole' });
    expect(mocks.cfn).toHaveReceivedCommandTimes(ExecuteChangeSetCommand, 1);
    expect(result.outputs.changed).toBe(true);
  });

  it('protects what protected-resources names, and lets other replacements through', async () => {
    changeSetWith([change('Modify', 'Endpoint', 'AWS::SageMaker::Endpoint', 'Conditional'), change('Modify', 'Model', 'AWS::SageMaker::Model', 'True')]);
    await expect(run({ ...BASE, 'protected-resources': 'Endpoint' })).rejects.toThrow('it would remove or replace Endpoint (AWS::SageMaker::Endpoint, may be replaced).');
    expect(mocks.cfn).not.toHaveReceivedCommand(ExecuteChangeSetCommand);
  });

  it('counts DeletionPolicy and UpdateReplacePolicy Retain as protection', () => {
    const template = parseTemplate('Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    DeletionPolicy: Retain\n  Queue:\n    Type: AWS::SQS::Queue\n', 't.yaml');
    const refused = refusedChanges([change('Modify', 'Topic', 'AWS::SNS::Topic', 'True'), change('Modify', 'Queue', 'AWS::SQS::Queue', 'True')], template, { protected: [], allowed: [] });
    expect(refused.map((c) => c.ResourceChange?.LogicalResourceId)).toEqual(['Topic']);
  });

  it('refuses a list that is not logical ids before any call', async () => {
    await expect(run({ ...BASE, 'protected-resources': 'Endpoint, arn:aws:s3:::x' })).rejects.toThrow("Input 'protected-resources' must list logical ids (letters and digits), got 'arn:aws:s3:::x'");
    for (const mock of Object.values(mocks)) expect(mock.calls()).toHaveLength(0);
  });
});
