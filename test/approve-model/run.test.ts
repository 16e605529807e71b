import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeModelPackageCommand, SageMakerClient, UpdateModelPackageCommand } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { runApprove } from '../../actions/approve-model/src/run.js';
import { actionContext } from '../../actions/lib/action.js';
import { memoryLogger } from '../../actions/lib/log.js';
import { inputEnv } from '../deploy-stack/fixtures.js';
import { jsonBody, statistics } from '../helpers/s3-body.js';

const sm = mockClient(SageMakerClient);
const s3 = mockClient(S3Client);
const clients = { sagemaker: new SageMakerClient({ region: 'eu-west-1' }), s3: new S3Client({ region: 'eu-west-1' }) };
const ARN = 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/churn-model/8';
const base = { 'model-package-arn': ARN, 'status': 'Approved', 'environment': 'dev', 'environments-dir': 'test/fixtures/environments' };
const RUN = { GITHUB_ACTOR: 'alice', GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'org/churn', GITHUB_RUN_ID: '9' };
const run = (inputs: Record<string, string> = base) => runApprove(actionContext({ ...inputEnv(inputs), ...RUN }, memoryLogger()), () => clients);
const pkg = (status = 'Completed', approval = 'PendingManualApproval') => ({
  ModelPackageArn: ARN,
  ModelPackageStatus: status as 'Completed',
  ModelApprovalStatus: approval as 'PendingManualApproval',
  ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: 's3://artifacts/eval/evaluation.json' } } },
});

beforeEach(() => {
  sm.reset();
  s3.reset();
  sm.on(UpdateModelPackageCommand).resolves({ ModelPackageArn: ARN });
});

describe('approve-model', () => {
  it('approves a Completed version whose metrics pass, recording who and where', async () => {
    sm.on(DescribeModelPackageCommand).resolves(pkg());
    s3.on(GetObjectCommand).resolves({ Body: jsonBody(statistics({ auc: 0.86 })) });
    const result = await run({ ...base, reason: 'canary clean' });
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: 'artifacts', Key: 'eval/evaluation.json' });
    expect(sm).toHaveReceivedCommandWith(UpdateModelPackageCommand, {
      ModelPackageArn: ARN,
      ModelApprovalStatus: 'Approved',
      ApprovalDescription: 'Approved by @alice in https://github.com/org/churn/actions/runs/9 for dev: canary clean',
    });
    expect(result.outputs).toEqual({ 'status': 'Approved', 'changed': true, 'previous-status': 'PendingManualApproval' });
    expect(result.summary).toContain('| auc | 0.8600 | — | 0.7500 | ✅ pass |');
  });

  it('refuses to approve a version whose metrics fail the gate', async () => {
    sm.on(DescribeModelPackageCommand).resolves(pkg());
    s3.on(GetObjectCommand).resolves({ Body: jsonBody(statistics({ auc: 0.7 })) });
    await expect(run()).rejects.toThrow(`Refusing to approve ${ARN}: its metrics fail the gate of test/fixtures/environments/dev.yaml`);
    expect(sm).not.toHaveReceivedCommand(UpdateModelPackageCommand);
  });

  it('refuses a version that is not Completed, and one with no metrics', async () => {
    sm.on(DescribeModelPackageCommand).resolves(pkg('InProgress'));
    await expect(run()).rejects.toThrow(`Model package ${ARN} is InProgress; only a Completed version can be approved`);
    sm.on(DescribeModelPackageCommand).resolves({ ...pkg(), ModelMetrics: undefined });
    await expect(run()).rejects.toThrow(`Model package ${ARN} has no ModelMetrics.ModelQuality.Statistics to gate on`);
    expect(sm).not.toHaveReceivedCommand(UpdateModelPackageCommand);
  });

  it('rejects without a gate, and does nothing when the status is already set', async () => {
    sm.on(DescribeModelPackageCommand).resolves(pkg());
    await run({ ...base, status: 'Rejected' });
    expect(sm).toHaveReceivedCommandWith(UpdateModelPackageCommand, { ModelApprovalStatus: 'Rejected' });
    expect(s3.calls()).toHaveLength(0);

    sm.reset();
    sm.on(DescribeModelPackageCommand).resolves(pkg('Completed', 'Approved'));
    const result = await run();
    expect(result.outputs.changed).toBe(false);
    expect(sm).not.toHaveReceivedCommand(UpdateModelPackageCommand);
  });

  it('names a package that does not exist', async () => {
    sm.on(DescribeModelPackageCommand).rejects(Object.assign(new Error('Model Package arn does not exist.'), { name: 'ValidationException' }));
    await expect(run()).rejects.toThrow(`Model package ${ARN} does not exist`);
  });

  it.each([
    [{ ...base, 'model-package-arn': 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/churn-model' }, "Input 'model-package-arn' must be a versioned model package ARN"],
    [{ ...base, status: 'Pending' }, "Input 'status' must be one of Approved, Rejected, got 'Pending'"],
    [{ ...base, 'model-package-arn': ARN.replace('churn-model', 'other') }, "Input 'model-package-arn' is in group other of account 111111111111, but test/fixtures/environments/dev.yaml uses group churn-model"],
    [{ ...base, environment: 'qa' }, "Unknown environment 'qa'"],
    [{ ...base, 'approved-by': 'someone else' }, "Input 'approved-by' must be a GitHub login, got 'someone else'"],
    [{ ...base, reason: 'x'.repeat(601) }, "Input 'reason' must be at most 600 characters (the reason goes into the ApprovalDescription, at most 1024 in all), got 601"],
    [{ ...base, 'run-url': 'javascript:alert(1)' }, "Input 'run-url' must be an http(s) URL of at most 300 characters, got 'javascript:alert(1)'"],
  ])('refuses bad input %#', async (inputs, message) => {
    await expect(run(inputs)).rejects.toThrow(message);
    expect(sm.calls()).toHaveLength(0);
  });
});
