// Benchmark of the offline twin: its overhead per call for a cheap operation (p50/p99 of the
// round trip through the real SDK, and of a bare HTTP request), and the wall time of the
// model-build pipeline on the sample data with the share the containers' own work takes, and
// InvokeEndpoint on the model it registers: the round trip against the container's own time.
//   npx projen bench:twin [--calls N]
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  CreateModelPackageGroupCommand,
  DescribeEndpointCommand,
  CreatePipelineCommand,
  DescribeModelPackageGroupCommand,
  DescribePipelineExecutionCommand,
  DescribeProcessingJobCommand,
  DescribeTrainingJobCommand,
  ListPipelineExecutionStepsCommand,
  SageMakerClient,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { startTwin } from '../local/server.js';
import { churnPipeline } from '../pipelines/churn.js';

const args = process.argv.slice(2);
const CALLS = Number(args[args.indexOf('--calls') + 1] ?? 1000) || 1000;
const credentials = { accessKeyId: 'twin', secretAccessKey: 'twin' };

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const twin = await startTwin({ stateDir: mkdtempSync(join(tmpdir(), 'bench-twin-')), timeScale: 1e6 });
const sm = new SageMakerClient({ region: 'us-east-1', endpoint: twin.url, credentials });
await sm.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: 'churn-model' }));

const sdk: number[] = [];
for (let i = 0; i < CALLS + 50; i++) {
  const t = performance.now();
  await sm.send(new DescribeModelPackageGroupCommand({ ModelPackageGroupName: 'churn-model' }));
  if (i >= 50) sdk.push(performance.now() - t);
}
const raw: number[] = [];
for (let i = 0; i < CALLS + 50; i++) {
  const t = performance.now();
  const r = await fetch(twin.url, {
    method: 'POST',
    headers: { 'x-amz-target': 'SageMaker.DescribeModelPackageGroup', 'content-type': 'application/x-amz-json-1.1' },
    body: '{"ModelPackageGroupName":"churn-model"}',
  });
  await r.text();
  if (i >= 50) raw.push(performance.now() - t);
}
console.log(`DescribeModelPackageGroup, ${CALLS} calls after 50 warm-up calls:`);
console.log(`  through the SDK:   p50 ${percentile(sdk, 50).toFixed(3)} ms, p99 ${percentile(sdk, 99).toFixed(3)} ms`);
console.log(`  bare HTTP (fetch): p50 ${percentile(raw, 50).toFixed(3)} ms, p99 ${percentile(raw, 99).toFixed(3)} ms`);

const s3 = new S3Client({ region: 'us-east-1', endpoint: twin.url, forcePathStyle: true, credentials });
await s3.send(new CreateBucketCommand({ Bucket: 'artifacts' }));
await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: 'data/v1/sample.csv', Body: readFileSync('containers/data/sample.csv') }));
await sm.send(new CreatePipelineCommand({ PipelineName: 'churn', PipelineDefinition: JSON.stringify(churnPipeline()), RoleArn: 'arn:aws:iam::111111111111:role/sm' }));
const image = (name: string) => `111111111111.dkr.ecr.us-east-1.amazonaws.com/sagemaker-gitops/${name}:bench`;
const started = performance.now();
const { PipelineExecutionArn } = await sm.send(
  new StartPipelineExecutionCommand({
    PipelineName: 'churn',
    PipelineParameters: [
      { Name: 'InputDataUri', Value: 's3://artifacts/data/v1/' },
      { Name: 'ArtifactsUri', Value: 's3://artifacts/pipelines/churn' },
      { Name: 'ExecutionRoleArn', Value: 'arn:aws:iam::111111111111:role/sm' },
      { Name: 'ProcessingImageUri', Value: image('processing') },
      { Name: 'MonitoringImageUri', Value: image('monitoring') },
      { Name: 'TrainingImageUri', Value: image('training') },
      { Name: 'InferenceImageUri', Value: image('inference') },
    ],
  }),
);
let status = 'Executing';
while (status === 'Executing') {
  await new Promise((r) => setTimeout(r, 50));
  status = (await sm.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn }))).PipelineExecutionStatus!;
}
const wall = performance.now() - started;
const steps = (await sm.send(new ListPipelineExecutionStepsCommand({ PipelineExecutionArn, SortOrder: 'Ascending' }))).PipelineExecutionSteps ?? [];
let jobs = 0;
for (const step of steps) {
  const p = step.Metadata?.ProcessingJob?.Arn;
  const t = step.Metadata?.TrainingJob?.Arn;
  if (p) {
    const d = await sm.send(new DescribeProcessingJobCommand({ ProcessingJobName: p.split('/').pop() }));
    jobs += d.ProcessingEndTime!.getTime() - d.ProcessingStartTime!.getTime();
  }
  if (t) {
    const d = await sm.send(new DescribeTrainingJobCommand({ TrainingJobName: t.split('/').pop() }));
    jobs += d.TrainingEndTime!.getTime() - d.TrainingStartTime!.getTime();
  }
}
console.log(`\nModel-build pipeline on the sample (3,000 rows): ${status} in ${(wall / 1000).toFixed(2)} s wall time`);
console.log(`  container jobs: ${(jobs / 1000).toFixed(2)} s summed over ${steps.length} steps (Baseline and Train run side by side, so the sum can exceed the critical path)`);

// The registered model behind an endpoint, then one-row invocations through the SDK.
const packageArn = steps.find((st) => st.StepName === 'RegisterModel')?.Metadata?.RegisterModel?.Arn;
await sm.send(new CreateModelCommand({ ModelName: 'bench', PrimaryContainer: { ModelPackageName: packageArn }, ExecutionRoleArn: 'arn:aws:iam::111111111111:role/sm' }));
await sm.send(new CreateEndpointConfigCommand({
  EndpointConfigName: 'bench', ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'bench', InitialInstanceCount: 1, InstanceType: 'ml.m5.large' }],
}));
const creating = performance.now();
await sm.send(new CreateEndpointCommand({ EndpointName: 'bench', EndpointConfigName: 'bench' }));
while ((await sm.send(new DescribeEndpointCommand({ EndpointName: 'bench' }))).EndpointStatus === 'Creating') await new Promise((r) => setTimeout(r, 50));
console.log(`\nEndpoint InService (inference server started and answering /ping) in ${((performance.now() - creating) / 1000).toFixed(2)} s`);
const runtime = new SageMakerRuntimeClient({ region: 'us-east-1', endpoint: twin.url, credentials });
const row = readFileSync('containers/data/sample.csv', 'utf8').split('\n')[1].split(',').slice(1).join(',');
const invoke: number[] = [];
const measuredFrom = new Date();
for (let i = 0; i < CALLS + 50; i++) {
  const t = performance.now();
  await runtime.send(new InvokeEndpointCommand({ EndpointName: 'bench', ContentType: 'text/csv', Body: row }));
  if (i >= 50) invoke.push(performance.now() - t);
}
const latency = await new CloudWatchClient({ region: 'us-east-1', endpoint: twin.url, credentials }).send(new GetMetricStatisticsCommand({
  Namespace: 'AWS/SageMaker',
  MetricName: 'ModelLatency',
  Dimensions: [{ Name: 'EndpointName', Value: 'bench' }, { Name: 'VariantName', Value: 'AllTraffic' }],
  StartTime: measuredFrom,
  EndTime: new Date(Date.now() + 1000),
  Period: 3600,
  ExtendedStatistics: ['p50', 'p99'],
}));
const model = latency.Datapoints?.[0]?.ExtendedStatistics ?? {};
console.log(`InvokeEndpoint, one CSV row, ${CALLS} calls after 50 warm-up calls:`);
console.log(`  through the SDK and the twin: p50 ${percentile(invoke, 50).toFixed(3)} ms, p99 ${percentile(invoke, 99).toFixed(3)} ms`);
console.log(`  of which the container (ModelLatency): p50 ${((model.p50 ?? 0) / 1000).toFixed(3)} ms, p99 ${((model.p99 ?? 0) / 1000).toFixed(3)} ms`);
await twin.stop();
