// The model-build pipeline on the sample data, offline: the twin in this process, the pipeline
// run through run-pipeline's own logic, and the registered version's model-quality statistics
// written to a file, which gate-metrics then reads. CI runs it on every pull request, so a change
// to the model code shows its metrics before it is merged.
//   npx tsx scripts/sample-pipeline.ts [--out build/sample-pipeline/statistics.json]
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateModelPackageGroupCommand, DescribeModelPackageCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { actionContext } from '../actions/lib/action.js';
import { consoleLogger } from '../actions/lib/log.js';
import { runPipeline } from '../actions/run-pipeline/src/run.js';
import { describeError } from '../core/errors.js';
import { startTwin } from '../local/server.js';
import { churnPipeline } from '../pipelines/churn.js';

const args = process.argv.slice(2);
const out = args.includes('--out') ? args[args.indexOf('--out') + 1] : 'build/sample-pipeline/statistics.json';
const REGION = 'us-east-1';
const REGISTRY = `111111111111.dkr.ecr.${REGION}.amazonaws.com/sagemaker-gitops`;

console.log('Starting the offline twin and running the model-build pipeline on containers/data/sample.csv');
const twin = await startTwin({ stateDir: mkdtempSync(join(tmpdir(), 'sample-pipeline-')), timeScale: 1e6 });
const aws = { AWS_ENDPOINT_URL: twin.url, AWS_ACCESS_KEY_ID: 'twin', AWS_SECRET_ACCESS_KEY: 'twin', AWS_REGION: REGION };
Object.assign(process.env, aws);
try {
  const s3 = new S3Client({ region: REGION, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'artifacts' }));
  await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: 'data/churn/sample/sample.csv', Body: readFileSync('containers/data/sample.csv') }));
  const sagemaker = new SageMakerClient({ region: REGION });
  await sagemaker.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: 'churn-model' }));
  // Inside the workspace: run-pipeline refuses a definition outside GITHUB_WORKSPACE when a job runs this.
  const definition = join('build', 'sample-pipeline', 'churn.json');
  mkdirSync(dirname(definition), { recursive: true });
  writeFileSync(definition, JSON.stringify(churnPipeline()));
  const parameters = {
    InputDataUri: 's3://artifacts/data/churn/sample/',
    ArtifactsUri: 's3://artifacts/pipelines/churn',
    ExecutionRoleArn: 'arn:aws:iam::111111111111:role/sagemaker',
    ProcessingImageUri: `${REGISTRY}/processing:offline`,
    MonitoringImageUri: `${REGISTRY}/monitoring:offline`,
    TrainingImageUri: `${REGISTRY}/training:offline`,
    InferenceImageUri: `${REGISTRY}/inference:offline`,
  };
  const inputs = {
    'INPUT_DEFINITION': definition,
    'INPUT_PIPELINE-NAME': 'churn-sample',
    'INPUT_ROLE-ARN': parameters.ExecutionRoleArn,
    'INPUT_PARAMETERS': Object.entries(parameters).map(([k, v]) => `${k}=${v}`).join('\n'),
    'INPUT_TIMEOUT-MINUTES': '20',
  };
  // The step summary is the runner's file when this runs in a workflow; the twin stays out of it.
  const result = await runPipeline(actionContext({ ...process.env, ...inputs, GITHUB_STEP_SUMMARY: undefined }, consoleLogger));
  if (process.env.GITHUB_STEP_SUMMARY && result.summary) appendFileSync(process.env.GITHUB_STEP_SUMMARY, result.summary);
  const arn = String(result.outputs['model-package-arn']);
  if (!arn) throw new Error(`the pipeline ended ${result.outputs.status} without registering a model`);
  const pkg = await sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
  const uri = pkg.ModelMetrics!.ModelQuality!.Statistics!.S3Uri!;
  const [, bucket, key] = uri.match(/^s3:\/\/([^/]+)\/(.+)$/)!;
  const statistics = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, statistics);
  console.log(`Wrote the model-quality statistics of ${arn} to ${out}: ${result.outputs.metrics}`);
} catch (error) {
  console.error(`The sample pipeline failed: ${describeError(error)}`);
  process.exitCode = 1;
} finally {
  await twin.stop();
}
