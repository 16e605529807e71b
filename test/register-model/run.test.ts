import {
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  DeleteModelPackageGroupCommand,
  DescribeModelPackageCommand,
  DescribeModelPackageGroupCommand,
  ListModelPackagesCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { jest } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { actionContext } from '../../actions/lib/action.js';
import 'aws-sdk-client-mock-jest';
import { memoryLogger } from '../../actions/lib/log.js';
import { runRegister } from '../../actions/register-model/src/run.js';
import { inputEnv } from '../deploy-stack/fixtures.js';
import { settle } from '../helpers/timers.js';

const sm = mockClient(SageMakerClient);
const client = new SageMakerClient({ region: 'eu-west-1' });
const GROUP = 'churn-model';
const ARN = (v: number) => `arn:aws:sagemaker:eu-west-1:111111111111:model-package/${GROUP}/${v}`;
const MODEL = 's3://artifacts/train/abc/output/model.tar.gz';
const INPUTS = {
  'model-package-group': GROUP,
  'model-data-url': MODEL,
  'image-uri': '111111111111.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-gitops/inference:content-1a2b',
  'metrics-s3-uri': 's3://artifacts/eval/evaluation.json',
  'data-quality-statistics-s3-uri': 's3://artifacts/baseline/statistics.json',
  'data-quality-constraints-s3-uri': 's3://artifacts/baseline/constraints.json',
};
const RUN_ENV = { GITHUB_SHA: 'c0ffee1234', GITHUB_REPOSITORY: 'org/churn', GITHUB_SERVER_URL: 'https://github.com', GITHUB_RUN_ID: '77', AWS_REGION: 'eu-west-1' };
const run = (inputs: Record<string, string> = INPUTS, extra: NodeJS.ProcessEnv = RUN_ENV) =>
  settle(runRegister(actionContext({ ...inputEnv(inputs), ...extra }, memoryLogger()), () => client));
const missingGroup = Object.assign(new Error(`ModelPackageGroup ${GROUP} does not exist.`), { name: 'ValidationException' });

beforeEach(() => {
  jest.useFakeTimers({ now: new Date('2026-11-22T10:00:00Z') });
  sm.reset();
});
afterEach(() => jest.useRealTimers());

describe('register-model', () => {
  it('creates the group when missing and registers a version with metrics, baselines and metadata', async () => {
    sm.on(DescribeModelPackageGroupCommand).rejects(missingGroup);
    sm.on(CreateModelPackageGroupCommand).resolves({ ModelPackageGroupArn: 'arn:group' });
    sm.on(CreateModelPackageCommand).resolves({ ModelPackageArn: ARN(1) });
    sm.on(DescribeModelPackageCommand).resolvesOnce({ ModelPackageStatus: 'InProgress' }).resolves({ ModelPackageStatus: 'Completed' });

    const result = await run();

    expect(sm).toHaveReceivedCommandWith(CreateModelPackageGroupCommand, { ModelPackageGroupName: GROUP });
    expect(sm).not.toHaveReceivedCommand(ListModelPackagesCommand);
    const create = sm.commandCalls(CreateModelPackageCommand)[0].args[0].input;
    expect(create).toEqual({
      ModelPackageGroupName: GROUP,
      ModelPackageDescription: 'Registered by sagemaker-gitops from c0ffee1234',
      ModelApprovalStatus: 'PendingManualApproval',
      InferenceSpecification: {
        Containers: [{ Image: INPUTS['image-uri'], ModelDataUrl: MODEL }],
        SupportedContentTypes: ['text/csv', 'application/json'],
        SupportedResponseMIMETypes: ['text/csv', 'application/json'],
      },
      ModelMetrics: {
        ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: INPUTS['metrics-s3-uri'] } },
        ModelDataQuality: {
          Statistics: { ContentType: 'application/json', S3Uri: INPUTS['data-quality-statistics-s3-uri'] },
          Constraints: { ContentType: 'application/json', S3Uri: INPUTS['data-quality-constraints-s3-uri'] },
        },
      },
      DriftCheckBaselines: {
        ModelDataQuality: {
          Statistics: { ContentType: 'application/json', S3Uri: INPUTS['data-quality-statistics-s3-uri'] },
          Constraints: { ContentType: 'application/json', S3Uri: INPUTS['data-quality-constraints-s3-uri'] },
        },
      },
      CustomerMetadataProperties: { git_commit: 'c0ffee1234', repository: 'org/churn', run_url: 'https://github.com/org/churn/actions/runs/77' },
      ClientToken: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(sm).toHaveReceivedCommandTimes(DescribeModelPackageCommand, 2);
    expect(result.outputs).toEqual({ arn: ARN(1), version: 1, created: true });
    expect(result.summary).toContain('| **Result** | ✅ Registered |');
  });

  it('deletes the group it just created when the version is refused, and says so', async () => {
    sm.on(DescribeModelPackageGroupCommand).rejects(missingGroup);
    sm.on(CreateModelPackageGroupCommand).resolves({ ModelPackageGroupArn: 'arn:group' });
    sm.on(CreateModelPackageCommand).rejects(Object.assign(new Error('Image is not in this account'), { name: 'ValidationException' }));
    sm.on(DeleteModelPackageGroupCommand).resolves({});
    await expect(run()).rejects.toThrow(
      `CreateModelPackage failed: Image is not in this account. The model package group ${GROUP}, created by this run, was deleted again; nothing changed`,
    );
    expect(sm).toHaveReceivedCommandWith(DeleteModelPackageGroupCommand, { ModelPackageGroupName: GROUP });
  });

  it('reports the empty group exactly when deleting it fails too', async () => {
    sm.on(DescribeModelPackageGroupCommand).rejects(missingGroup);
    sm.on(CreateModelPackageGroupCommand).resolves({ ModelPackageGroupArn: 'arn:group' });
    sm.on(CreateModelPackageCommand).rejects(Object.assign(new Error('Image is not in this account'), { name: 'ValidationException' }));
    sm.on(DeleteModelPackageGroupCommand).rejects(Object.assign(new Error('User is not authorized to perform: sagemaker:DeleteModelPackageGroup'), { name: 'AccessDeniedException' }));
    await expect(run()).rejects.toThrow(
      `The model package group ${GROUP}, created by this run, is left empty: deleting it failed (User is not authorized to perform: sagemaker:DeleteModelPackageGroup)`,
    );
  });

  it('leaves a group it did not create alone when the version is refused', async () => {
    sm.on(DescribeModelPackageGroupCommand).resolves({ ModelPackageGroupName: GROUP });
    sm.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [] });
    sm.on(CreateModelPackageCommand).rejects(Object.assign(new Error('Image is not in this account'), { name: 'ValidationException' }));
    await expect(run()).rejects.toThrow('Image is not in this account');
    expect(sm).not.toHaveReceivedCommand(DeleteModelPackageGroupCommand);
  });

  it('returns the version already registered from the same commit and artifact', async () => {
    sm.on(DescribeModelPackageGroupCommand).resolves({ ModelPackageGroupName: GROUP });
    const summaries = [{ ModelPackageArn: ARN(4) }, { ModelPackageArn: ARN(3) }] as never[];
    sm.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: summaries });
    sm.on(DescribeModelPackageCommand, { ModelPackageName: ARN(4) }).resolves({ CustomerMetadataProperties: { git_commit: 'other' } });
    sm.on(DescribeModelPackageCommand, { ModelPackageName: ARN(3) }).resolves({
      CustomerMetadataProperties: { git_commit: 'c0ffee1234' },
      InferenceSpecification: { Containers: [{ Image: 'x', ModelDataUrl: MODEL }] },
    });
    const result = await run();
    expect(sm).toHaveReceivedCommandWith(ListModelPackagesCommand, { ModelPackageGroupName: GROUP, SortBy: 'CreationTime', SortOrder: 'Descending' });
    expect(sm).not.toHaveReceivedCommand(CreateModelPackageCommand);
    expect(result.outputs).toEqual({ arn: ARN(3), version: 3, created: false });
  });

  it('fails with the reasons of a version that failed', async () => {
    sm.on(DescribeModelPackageGroupCommand).resolves({});
    sm.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [] });
    sm.on(CreateModelPackageCommand).resolves({ ModelPackageArn: ARN(5) });
    sm.on(DescribeModelPackageCommand).resolves({
      ModelPackageStatus: 'Failed',
      ModelPackageStatusDetails: { ValidationStatuses: [{ Name: 'image', Status: 'Failed', FailureReason: 'Image not found' }] },
    });
    await expect(run()).rejects.toThrow(`Model package ${ARN(5)} failed: image: Image not found`);
  });

  it.each([
    [{ ...INPUTS, 'model-data-url': 's3://b/model.zip' }, "Input 'model-data-url' must be the S3 URI of a model.tar.gz, got 's3://b/model.zip'"],
    [{ ...INPUTS, 'model-package-group': 'bad_group' }, "Input 'model-package-group' must be a model package group name"],
    [{ ...INPUTS, 'approval-status': 'Maybe' }, "Input 'approval-status' must be one of PendingManualApproval, Approved, Rejected, got 'Maybe'"],
    [{ ...INPUTS, 'metrics-s3-uri': 'https://x/e.json' }, "Input 'metrics-s3-uri' must be an S3 URI like s3://bucket/path/file.json, got 'https://x/e.json'"],
    [{ ...INPUTS, 'data-quality-constraints-s3-uri': '' }, "Inputs 'data-quality-statistics-s3-uri' and 'data-quality-constraints-s3-uri' go together"],
    [{ ...INPUTS, 'git-commit': 'has?question' }, "Input 'git-commit' must be 1-256 letters, digits, spaces or _.:/=+-@ (SageMaker metadata), got 'has?question'"],
    [{ ...INPUTS, 'image-uri': 'not an image' }, "Input 'image-uri' must be a container image URI with a tag or digest"],
    [{ ...INPUTS, description: 'd'.repeat(1025) }, "Input 'description' must be at most 1024 characters (SageMaker's limit for ModelPackageDescription), got 1025"],
  ])('refuses bad input %#: %s', async (inputs, message) => {
    await expect(run(inputs as Record<string, string>)).rejects.toThrow(message);
    expect(sm.calls()).toHaveLength(0);
  });

  it('needs a region', async () => {
    await expect(run(INPUTS, { GITHUB_SHA: 'abc' })).rejects.toThrow("No region: set the 'region' input or AWS_REGION");
    expect(sm.calls()).toHaveLength(0);
  });
});
