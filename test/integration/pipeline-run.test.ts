// The model-build pipeline on the sample data, end to end through run-pipeline and the real SDK
// against the twin: real preprocessing and training by the container code, the AUC condition,
// registration, the cache on a second run, and the Fail step when the threshold is out of reach.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateModelPackageGroupCommand, DescribeTrainingJobCommand, ListPipelineExecutionStepsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { jest } from '@jest/globals';
import { drive, useTwin } from './twin-harness.js';
import { actionContext, FailureWithSummary } from '../../actions/lib/action.js';
import { memoryLogger } from '../../actions/lib/log.js';
import { runPipeline } from '../../actions/run-pipeline/src/run.js';
import { startTwin, type Twin } from '../../local/server.js';
import { churnPipeline } from '../../pipelines/churn.js';
import { inputEnv } from '../deploy-stack/fixtures.js';

const REGISTRY = '111111111111.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-gitops';
const saved = { ...process.env };
let twin: Twin;
let definition: string;

function parameters(extra: Record<string, string> = {}): string {
  return Object.entries({
    InputDataUri: 's3://artifacts/data/churn/v1/',
    ArtifactsUri: 's3://artifacts/pipelines/churn',
    ExecutionRoleArn: 'arn:aws:iam::111111111111:role/sagemaker',
    ProcessingImageUri: `${REGISTRY}/processing:content-1`,
    MonitoringImageUri: `${REGISTRY}/monitoring:content-1`,
    TrainingImageUri: `${REGISTRY}/training:content-1`,
    InferenceImageUri: `${REGISTRY}/inference:content-1`,
    MaxIterations: '120',
    GitCommit: 'c0ffee1',
    ...extra,
  }).map(([k, v]) => `${k}=${v}`).join('\n');
}

const run = (extra: Record<string, string> = {}, runId = '1') =>
  drive(runPipeline(actionContext({
    ...process.env,
    ...inputEnv({ 'definition': definition, 'pipeline-name': 'churn', 'role-arn': 'arn:aws:iam::111111111111:role/sagemaker', 'parameters': parameters(extra), 'timeout-minutes': '30' }),
    GITHUB_RUN_ID: runId,
  }, memoryLogger())));

beforeAll(async () => {
  twin = await startTwin({ stateDir: mkdtempSync(join(tmpdir(), 'twin-pipeline-')), timeScale: 1e6 });
  useTwin(twin.url, 'eu-west-1');
  const s3 = new S3Client({ region: 'eu-west-1', forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'artifacts' }));
  await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: 'data/churn/v1/sample.csv', Body: readFileSync('containers/data/sample.csv') }));
  // The foundation stack creates the group; RegisterModel needs it to exist.
  await new SageMakerClient({ region: 'eu-west-1' }).send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: 'churn-model' }));
  definition = join(mkdtempSync(join(tmpdir(), 'definition-')), 'churn.json');
  writeFileSync(definition, JSON.stringify(churnPipeline()));
});

beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }));
afterEach(() => jest.useRealTimers());
afterAll(async () => {
  await twin.stop();
  process.env = { ...saved };
});

describe('the model-build pipeline on the twin', () => {
  it('preprocesses, trains, evaluates, passes the condition and registers the model', async () => {
    const result = await run();
    expect(result.outputs.status).toBe('Succeeded');
    expect(result.outputs['model-package-arn']).toBe('arn:aws:sagemaker:eu-west-1:111111111111:model-package/churn-model/1');
    const metrics = JSON.parse(String(result.outputs.metrics));
    expect(metrics.auc).toBeGreaterThan(0.75);
    const steps = await new SageMakerClient({ region: 'eu-west-1' }).send(
      new ListPipelineExecutionStepsCommand({ PipelineExecutionArn: String(result.outputs['execution-arn']), SortOrder: 'Ascending' }),
    );
    expect(steps.PipelineExecutionSteps?.map((s) => `${s.StepName}:${s.StepStatus}`).sort()).toEqual(
      ['Baseline', 'CheckAuc', 'Evaluate', 'Preprocess', 'RegisterModel', 'Train'].map((n) => `${n}:Succeeded`),
    );
    // Steps run in dependency order: Preprocess first, RegisterModel last.
    const started = steps.PipelineExecutionSteps!.map((s) => s.StepName);
    expect([started[0], started.at(-1)]).toEqual(['Preprocess', 'RegisterModel']);
    expect(steps.PipelineExecutionSteps?.find((s) => s.StepName === 'CheckAuc')?.Metadata?.Condition?.Outcome).toBe('True');
    const trainArn = steps.PipelineExecutionSteps?.find((s) => s.StepName === 'Train')?.Metadata?.TrainingJob?.Arn;
    expect(trainArn).toMatch(/:training-job\/pipelines-/);
    // What the SageMaker Python SDK's Estimator.attach reads: a KmsKeyId is always there.
    const job = await new SageMakerClient({ region: 'eu-west-1' }).send(new DescribeTrainingJobCommand({ TrainingJobName: trainArn!.split('/').pop() }));
    expect(job.OutputDataConfig?.KmsKeyId).toBe('');
  });

  it('reuses the cached Preprocess and fails with the metric and threshold when AUC is out of reach', async () => {
    let failure: FailureWithSummary | undefined;
    try {
      await run({ AucThreshold: '0.99' }, '2');
    } catch (error) {
      failure = error as FailureWithSummary;
    }
    expect(failure?.message).toMatch(/step AucTooLow failed: Evaluation AUC 0\.\d+ is below the threshold AucThreshold=0\.99$/);
    expect(failure?.summary).toContain('| Preprocess | Succeeded (cached) |');
    expect(failure?.summary).toContain('  class RegisterModel pending');
  });

  it('retries a step whose job creation is throttled, as its RetryPolicies say', async () => {
    twin.faults.set([{ operation: 'SageMaker.CreateTrainingJob', kind: 'throttle', share: 0.5 }]);
    try {
      const result = await run({ MaxIterations: '80' }, '3');
      expect(result.outputs.status).toBe('Succeeded');
      const steps = await new SageMakerClient({ region: 'eu-west-1' }).send(new ListPipelineExecutionStepsCommand({ PipelineExecutionArn: String(result.outputs['execution-arn']) }));
      const train = steps.PipelineExecutionSteps!.find((s) => s.StepName === 'Train')!;
      expect([train.StepStatus, train.AttemptCount]).toEqual(['Succeeded', 2]);
      expect(train.Metadata?.TrainingJob?.Arn).toMatch(/-train-2$/);
    } finally {
      twin.faults.set([]);
    }
  });

  it('received only requests that botocore\'s models accept', () => {
    expect(twin.contract).toBeDefined();
    expect(twin.contract!.violations).toEqual([]);
  });
});
