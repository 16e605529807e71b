// The drift check end to end on the twin: traffic through an endpoint with data capture on, a
// baseline job and then an analyzer processing job on the monitoring image over the captured data,
// once with training-like rows (no violation) and once with one feature shifted (a
// baseline_drift_check on that feature, and on no other).
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  CreateProcessingJobCommand,
  DescribeEndpointCommand,
  DescribeProcessingJobCommand,
  SageMakerClient,
  type CreateProcessingJobCommandInput,
  type DescribeProcessingJobCommandOutput,
} from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { jest } from '@jest/globals';
import { drive, trainSampleModel, useTwin } from './twin-harness.js';
import { startTwin, type Twin } from '../../local/server.js';

const REGION = 'eu-west-1';
const BUCKET = 'drift-artifacts';
const ROLE = 'arn:aws:iam::111111111111:role/sagemaker-execution';
const REGISTRY = `111111111111.dkr.ecr.${REGION}.amazonaws.com/sagemaker-gitops`;
const saved = { ...process.env };
let twin: Twin;

const sagemaker = () => new SageMakerClient({ region: REGION });
const s3 = () => new S3Client({ region: REGION, forcePathStyle: true });

/** Feature rows from the data generator (no label), as CSV lines; the header comes first. */
function generated(rows: number, seed: number): string[] {
  const csv = execFileSync(resolve('.venv/bin/python'), ['containers/data/churn.py', '--rows', String(rows), '--seed', String(seed), '--no-label'], { encoding: 'utf8' });
  return csv.trim().split('\n');
}

function shift(lines: string[], column: string, by: number): string[] {
  const i = lines[0].split(',').indexOf(column);
  return lines.map((line, n) => {
    const cells = line.split(',');
    if (n > 0 && cells[i] !== '') cells[i] = (Number(cells[i]) + by).toFixed(2);
    return cells.join(',');
  });
}

async function waitForEndpoint(name: string): Promise<void> {
  for (;;) {
    const out = await sagemaker().send(new DescribeEndpointCommand({ EndpointName: name }));
    if (out.EndpointStatus === 'InService') return;
    if (out.EndpointStatus === 'Failed') throw new Error(`endpoint ${name} failed: ${out.FailureReason}`);
    await new Promise((r) => setTimeout(r, 5_000));
  }
}

async function endpointWithCapture(name: string): Promise<void> {
  await sagemaker().send(new CreateEndpointConfigCommand({
    EndpointConfigName: name,
    ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'churn-model', InstanceType: 'ml.m5.large', InitialInstanceCount: 1 }],
    DataCaptureConfig: {
      EnableCapture: true,
      InitialSamplingPercentage: 100,
      DestinationS3Uri: `s3://${BUCKET}/data-capture`,
      CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
    },
  }));
  await sagemaker().send(new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: name }));
  await drive(waitForEndpoint(name));
}

async function send(endpoint: string, rows: string[], perRequest: number): Promise<void> {
  const runtime = new SageMakerRuntimeClient({ region: REGION });
  for (let i = 0; i < rows.length; i += perRequest) {
    await runtime.send(new InvokeEndpointCommand({ EndpointName: endpoint, ContentType: 'text/csv', Accept: 'text/csv', Body: rows.slice(i, i + perRequest).join('\n') }));
  }
}

async function processingJob(input: CreateProcessingJobCommandInput): Promise<DescribeProcessingJobCommandOutput> {
  await sagemaker().send(new CreateProcessingJobCommand(input));
  const poll = async () => {
    for (;;) {
      const job = await sagemaker().send(new DescribeProcessingJobCommand({ ProcessingJobName: input.ProcessingJobName }));
      if (job.ProcessingJobStatus !== 'InProgress') return job;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  };
  return drive(poll());
}

const s3Input = (name: string, uri: string, path: string) => ({
  InputName: name, S3Input: { S3Uri: uri, LocalPath: path, S3DataType: 'S3Prefix' as const, S3InputMode: 'File' as const },
});
const resources = { ClusterConfig: { InstanceType: 'ml.m5.large' as const, InstanceCount: 1, VolumeSizeInGB: 30 } };

interface Analysis {
  job: DescribeProcessingJobCommandOutput;
  violations: { feature_name: string; constraint_check_type: string }[];
}

async function analyze(endpoint: string): Promise<Analysis> {
  const job = await processingJob({
    ProcessingJobName: `drift-${endpoint}`,
    RoleArn: ROLE,
    AppSpecification: { ImageUri: `${REGISTRY}/monitoring:test` }, // the image's own entrypoint: the analyzer
    ProcessingResources: resources,
    ProcessingInputs: [
      s3Input('endpoint', `s3://${BUCKET}/data-capture/${endpoint}/`, '/opt/ml/processing/input/endpoint'),
      s3Input('baseline', `s3://${BUCKET}/baseline/statistics/`, '/opt/ml/processing/baseline'),
    ],
    ProcessingOutputConfig: { Outputs: [{ OutputName: 'result', S3Output: { S3Uri: `s3://${BUCKET}/drift/${endpoint}`, LocalPath: '/opt/ml/processing/output', S3UploadMode: 'EndOfJob' } }] },
    Environment: {
      dataset_source: '/opt/ml/processing/input/endpoint',
      output_path: '/opt/ml/processing/output',
      baseline_statistics: '/opt/ml/processing/baseline/statistics.json',
      baseline_constraints: '/opt/ml/processing/baseline/constraints.json',
      publish_cloudwatch_metrics: 'Disabled',
      sagemaker_endpoint_name: endpoint,
    },
  });
  if (job.ProcessingJobStatus !== 'Completed') throw new Error(`analyzer job ${job.ProcessingJobStatus}: ${job.FailureReason}`);
  const body = await s3().send(new GetObjectCommand({ Bucket: BUCKET, Key: `drift/${endpoint}/constraint_violations.json` }));
  return { job, violations: JSON.parse(await body.Body!.transformToString()).violations };
}

beforeAll(async () => {
  twin = await startTwin({ stateDir: mkdtempSync(join(tmpdir(), 'twin-drift-')), timeScale: 50 });
  useTwin(twin.url, REGION);
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  const client = s3();
  await client.send(new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: REGION } }));
  await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'model/model.tar.gz', Body: trainSampleModel() }));
  await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'baseline/input/train.csv', Body: generated(5_000, 1).join('\n') }));
  await sagemaker().send(new CreateModelCommand({
    ModelName: 'churn-model',
    ExecutionRoleArn: ROLE,
    PrimaryContainer: { Image: `${REGISTRY}/inference:test`, ModelDataUrl: `s3://${BUCKET}/model/model.tar.gz` },
  }));
}, 120_000);

afterAll(async () => {
  jest.useRealTimers();
  await twin.stop();
  process.env = { ...saved };
});

describe('the drift analyzer on the twin', () => {
  it('baselines the training rows on the monitoring image, as the pipeline step does', async () => {
    const job = await processingJob({
      ProcessingJobName: 'baseline',
      RoleArn: ROLE,
      AppSpecification: { ImageUri: `${REGISTRY}/monitoring:test`, ContainerEntrypoint: ['python3', '-m', 'monitoring.baseline'] },
      ProcessingResources: resources,
      ProcessingInputs: [s3Input('baseline', `s3://${BUCKET}/baseline/input/`, '/opt/ml/processing/baseline')],
      ProcessingOutputConfig: { Outputs: [{ OutputName: 'statistics', S3Output: { S3Uri: `s3://${BUCKET}/baseline/statistics`, LocalPath: '/opt/ml/processing/statistics', S3UploadMode: 'EndOfJob' } }] },
    });
    expect(job.ProcessingJobStatus).toBe('Completed');
    const stats = JSON.parse(await (await s3().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'baseline/statistics/statistics.json' }))).Body!.transformToString());
    expect(stats.dataset.item_count).toBe(5_000);
  }, 120_000);

  it('finds no violation in training-like traffic', async () => {
    await endpointWithCapture('drift-clean');
    await send('drift-clean', generated(600, 21).slice(1), 10);
    const { job, violations } = await analyze('drift-clean');
    expect(violations).toEqual([]);
    expect(job.ExitMessage).toBe('Completed: Job completed successfully with no violations.');
  }, 180_000);

  it('flags the shifted feature, and no other', async () => {
    await endpointWithCapture('drift-shifted');
    await send('drift-shifted', shift(generated(600, 22), 'monthly_charges', 20).slice(1), 10);
    const { job, violations } = await analyze('drift-shifted');
    expect(violations.map((v) => [v.constraint_check_type, v.feature_name])).toEqual([['baseline_drift_check', 'monthly_charges']]);
    expect(job.ExitMessage).toBe('CompletedWithViolations: Job completed successfully with 1 violations.');
  }, 180_000);

  it('fails clearly, in FailureReason, when the window holds no data', async () => {
    const job = await processingJob({
      ProcessingJobName: 'drift-empty-window',
      RoleArn: ROLE,
      AppSpecification: { ImageUri: `${REGISTRY}/monitoring:test` },
      ProcessingResources: resources,
      ProcessingInputs: [
        s3Input('endpoint', `s3://${BUCKET}/data-capture/drift-clean/`, '/opt/ml/processing/input/endpoint'),
        s3Input('baseline', `s3://${BUCKET}/baseline/statistics/`, '/opt/ml/processing/baseline'),
      ],
      Environment: {
        baseline_statistics: '/opt/ml/processing/baseline/statistics.json',
        baseline_constraints: '/opt/ml/processing/baseline/constraints.json',
        start_time: '2001-01-01T00:00:00Z',
        end_time: '2001-01-01T01:00:00Z',
      },
    });
    expect(job.ProcessingJobStatus).toBe('Failed');
    expect(job.FailureReason).toMatch(/^AlgorithmError: no data in the window 2001-01-01T00:00:00Z to 2001-01-01T01:00:00Z: 60 records in 1 files/);
  }, 120_000);
});
