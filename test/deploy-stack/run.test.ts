import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DescribeEndpointCommand } from '@aws-sdk/client-sagemaker';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { jest } from '@jest/globals';
import 'aws-sdk-client-mock-jest';
import { ACCOUNT, endpoint, inputEnv, mockClients, NEW_CONFIG, OUTPUTS, resources, stack, STACK, STACK_ID } from './fixtures.js';
import { runDeploy } from '../../actions/deploy-stack/src/run.js';
import { actionContext, FailureWithSummary } from '../../actions/lib/action.js';
import { memoryLogger } from '../../actions/lib/log.js';
import { settle } from '../helpers/timers.js';

const { mocks, clients } = mockClients();
const run = (inputs: Record<string, string>, extraEnv: NodeJS.ProcessEnv = {}) =>
  settle(runDeploy(actionContext({ ...inputEnv(inputs), ...extraEnv }, memoryLogger()), () => clients));

const BASE = { 'template': 'cloudformation/endpoint.yaml', 'stack-name': STACK, 'environment': 'dev', 'environments-dir': 'test/fixtures/environments' };

function tmpFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'deploy-')), name);
  writeFileSync(path, text);
  return path;
}

const BIG_TEMPLATE = `Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: ${'x'.repeat(10)}\n${'# padding to pass the inline limit\n'.repeat(1600)}`;

beforeEach(() => {
  jest.useFakeTimers({ now: new Date('2026-11-22T10:00:00Z') });
  Object.values(mocks).forEach((m) => m.reset());
  mocks.sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: 'arn:aws:sts::111111111111:assumed-role/deploy/x' });
});
afterEach(() => jest.useRealTimers());

describe('deploy-stack bad inputs: a clear error and no AWS call', () => {
  it.each([
    ['a missing template', { ...BASE, template: 'cloudformation/nope.yaml' }, "Input 'template': file 'cloudformation/nope.yaml' does not exist"],
    ['no template input', { 'stack-name': STACK }, "Input 'template' is required"],
    ['malformed parameter overrides', { ...BASE, 'parameter-overrides': 'InstanceType=ml.m5.large,Broken' }, "Input 'parameter-overrides': 'Broken' is not Key=Value"],
    ['an override the template lacks', { ...BASE, 'parameter-overrides': 'InstanceSize=2' }, "Input 'parameter-overrides': 'InstanceSize' is not a parameter of cloudformation/endpoint.yaml (its parameters: ProjectName, EnvironmentName,"],
    ['an override outside AllowedValues', { ...BASE, 'parameter-overrides': 'TrafficRoutingType=ROLLING' }, "Parameter TrafficRoutingType (from override) is 'ROLLING'; cloudformation/endpoint.yaml allows ALL_AT_ONCE, CANARY, LINEAR"],
    ['an unknown environment', { ...BASE, environment: 'qa' }, "Unknown environment 'qa': test/fixtures/environments/qa.yaml does not exist (available: dev)"],
    ['an environment file with invalid YAML', { ...BASE, 'environment': 'broken', 'environments-dir': 'test/fixtures/bad-environments' }, 'test/fixtures/bad-environments/broken.yaml:2:19: invalid YAML: the text ends inside a flow collection'],
    ['an environment file that breaks the schema', { ...BASE, 'environment': 'invalid', 'environments-dir': 'test/fixtures/bad-environments' }, [
      'test/fixtures/bad-environments/invalid.yaml is not a valid environment file:',
      '  endpoint.instanceType: must be a SageMaker instance type like ml.m5.large',
      '  deployment.stepPercent: must be at least 10, got number 5',
    ].join('\n')],
    ['an environment with no model pinned', { ...BASE, 'environment': 'dev', 'environments-dir': 'environments' }, [
      "cloudformation/endpoint.yaml needs parameters that nothing provides (give them in 'parameter-overrides'):",
      '  ModelPackageArn: environments/dev.yaml has model.version: null (no model version promoted to dev yet)',
    ].join('\n')],
    ['no environment and missing parameters', { 'template': 'cloudformation/endpoint.yaml', 'stack-name': STACK, 'region': 'us-east-1' }, [
      "cloudformation/endpoint.yaml needs parameters that nothing provides (give them in 'parameter-overrides' or set 'environment'):",
      '  EnvironmentName',
      '  ModelPackageArn',
    ].join('\n')],
    ['a region that contradicts the environment', { ...BASE, region: 'us-west-2' }, "Input 'region' (us-west-2) differs from test/fixtures/environments/dev.yaml (region: eu-west-1); remove one"],
    ['no region at all', { 'template': 'cloudformation/foundation.yaml', 'stack-name': STACK }, "No region: set the 'region' input, an 'environment' whose file has a region, or AWS_REGION"],
    ['bad tags', { ...BASE, tags: '{"team": {"a": 1}}' }, "Input 'tags': 'team' must have a plain value"],
    ['a bad timeout and bucket', { ...BASE, 'timeout-minutes': '0', 'template-bucket': 'Bad_Bucket' }, "Input 'timeout-minutes' must be a whole number from 1 to 360, got '0'\nInput 'template-bucket' must be an S3 bucket name"],
  ])('%s', async (_what, inputs, message) => {
    await expect(run(inputs as Record<string, string>)).rejects.toThrow(message);
    for (const mock of Object.values(mocks)) expect(mock.calls()).toHaveLength(0);
  });

  it.each([
    ['an absolute template path', { ...BASE, template: '/etc/hostname' }, "Input 'template' must be a path inside the workspace"],
    ['a template through ..', { ...BASE, template: '../outside.yaml' }, "Input 'template' must be a path inside the workspace"],
    ['an environments folder outside', { ...BASE, 'environments-dir': '/tmp' }, "Input 'environments-dir' must be a path inside the workspace"],
  ])('%s, once the runner names the workspace', async (_what, inputs, message) => {
    await expect(run(inputs, { GITHUB_WORKSPACE: process.cwd() })).rejects.toThrow(`${message} (${process.cwd()}), got '${inputs.template === BASE.template ? inputs['environments-dir'] : inputs.template}'`);
    for (const mock of Object.values(mocks)) expect(mock.calls()).toHaveLength(0);
  });

  it('a template with invalid YAML', async () => {
    const path = tmpFile('t.yaml', 'Resources:\n  A:\n    Type: [x\n');
    await expect(run({ ...BASE, template: path })).rejects.toThrow(new RegExp(`^${path}:3:13: invalid YAML: the text ends inside a flow collection`));
    for (const mock of Object.values(mocks)) expect(mock.calls()).toHaveLength(0);
  });

  it('a template over 51,200 bytes without a bucket', async () => {
    const path = tmpFile('big.yaml', BIG_TEMPLATE);
    await expect(run({ 'template': path, 'stack-name': STACK, 'region': 'us-east-1' })).rejects.toThrow(
      /over CloudFormation's 51200-byte limit for inline templates: set the 'template-bucket' input/,
    );
    for (const mock of Object.values(mocks)) expect(mock.calls()).toHaveLength(0);
  });
});

describe('deploy-stack run', () => {
  function updateScenario() {
    mocks.cfn.on(DescribeStacksCommand).resolvesOnce(stack('UPDATE_COMPLETE')).resolves(stack('UPDATE_COMPLETE', { Outputs: OUTPUTS }));
    mocks.cfn.on(CreateChangeSetCommand).resolves({ Id: 'cs', StackId: STACK_ID });
    mocks.cfn.on(DescribeChangeSetCommand).resolves({
      Status: 'CREATE_COMPLETE',
      Changes: [{ Type: 'Resource', ResourceChange: { Action: 'Modify', LogicalResourceId: 'Endpoint', ResourceType: 'AWS::SageMaker::Endpoint', Replacement: 'False' } }],
    });
    mocks.cfn.on(ExecuteChangeSetCommand).resolves({});
    mocks.cfn.on(ListStackResourcesCommand).resolves(resources());
    mocks.sagemaker.on(DescribeEndpointCommand).resolves(endpoint(NEW_CONFIG));
  }

  it('returns the documented outputs and every stack output, and a summary of the deploy', async () => {
    updateScenario();
    const result = await run({ ...BASE, 'parameter-overrides': 'InstanceCount=2', 'tags': 'team=ml' }, { GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '2' });
    expect(result.outputs).toEqual({
      'stack-id': STACK_ID,
      'status': 'UPDATE_COMPLETE',
      'changed': true,
      'endpoint-name': 'sagemaker-gitops-dev',
      'EndpointName': 'sagemaker-gitops-dev',
      'EndpointConfigName': NEW_CONFIG,
    });
    expect(mocks.cfn).toHaveReceivedCommandWith(CreateChangeSetCommand, {
      ChangeSetName: 'gitops-20261122-100000-run42-2',
      Tags: [{ Key: 'team', Value: 'ml' }, { Key: 'environment', Value: 'dev' }],
    });
    const params = mocks.cfn.commandCalls(CreateChangeSetCommand)[0].args[0].input.Parameters;
    expect(params).toContainEqual({ ParameterKey: 'InstanceCount', ParameterValue: '2' });
    expect(result.summary).toContain('## deploy-stack: churn-dev');
    expect(result.summary).toContain('| **Result** | ✅ Updated (UPDATE_COMPLETE) |');
    expect(result.summary).toContain('| Modify | Endpoint | AWS::SageMaker::Endpoint | False |');
    expect(result.summary).toContain(`| sagemaker-gitops-dev | InService | ${NEW_CONFIG} | endpointconfig-new | ✅ |`);
    expect(result.summary).toContain(`| **EndpointConfigName** | ${NEW_CONFIG} |`);
  });

  it('fails with a summary that explains the failure', async () => {
    updateScenario();
    mocks.sagemaker.on(DescribeEndpointCommand).resolves({ ...endpoint(NEW_CONFIG, 'Failed'), FailureReason: 'Image not found' });
    let failure: FailureWithSummary | undefined;
    try {
      await run(BASE);
    } catch (e) {
      failure = e as FailureWithSummary;
    }
    expect(failure).toBeInstanceOf(FailureWithSummary);
    expect(failure!.message).toBe('Endpoint sagemaker-gitops-dev is Failed: Image not found');
    expect(failure!.summary).toContain('| **Result** | ❌ Failed (UPDATE_COMPLETE) |');
    expect(failure!.summary).toContain('**Error:** Endpoint sagemaker-gitops-dev is Failed: Image not found');
    expect(failure!.outputs).toMatchObject({ status: 'UPDATE_COMPLETE', changed: true });
  });

  it('uploads a template over the inline limit to the bucket and passes its URL', async () => {
    const path = tmpFile('big.yaml', BIG_TEMPLATE);
    mocks.cfn.on(DescribeStacksCommand).rejectsOnce(Object.assign(new Error('Stack with id churn-dev does not exist'), { name: 'ValidationError' })).resolves(stack('CREATE_COMPLETE'));
    mocks.cfn.on(CreateChangeSetCommand).resolves({ Id: 'cs', StackId: STACK_ID });
    mocks.cfn.on(DescribeChangeSetCommand).resolves({ Status: 'CREATE_COMPLETE', Changes: [] });
    mocks.cfn.on(ExecuteChangeSetCommand).resolves({});
    mocks.cfn.on(ListStackResourcesCommand).resolves({ StackResourceSummaries: [] });
    mocks.s3.on(PutObjectCommand).resolves({});

    const result = await run({ 'template': path, 'stack-name': STACK, 'region': 'us-east-1', 'template-bucket': 'my-artifacts' });

    const put = mocks.s3.commandCalls(PutObjectCommand)[0].args[0].input;
    expect(put).toMatchObject({ Bucket: 'my-artifacts', Body: BIG_TEMPLATE });
    expect(put.Key).toMatch(/^sagemaker-gitops\/templates\/churn-dev\/[0-9a-f]{16}-big\.yaml$/);
    const create = mocks.cfn.commandCalls(CreateChangeSetCommand)[0].args[0].input;
    expect(create.TemplateURL).toBe(`https://my-artifacts.s3.us-east-1.amazonaws.com/${put.Key}`);
    expect(create.TemplateBody).toBeUndefined();
    expect(mocks.sts.calls()).toHaveLength(0);
    expect(result.outputs.status).toBe('CREATE_COMPLETE');
  });
});
