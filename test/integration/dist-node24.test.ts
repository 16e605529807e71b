// run-pipeline and deploy-stack from their committed bundles under Node 24, as GitHub's runner
// runs them (INPUT_*, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY), against the twin: the whole pipeline
// on the sample data, and the foundation stack created then redeployed with nothing to do.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateModelPackageGroupCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { startTwin, type Twin } from '../../local/server.js';
import { churnPipeline } from '../../pipelines/churn.js';

const REGISTRY = '111111111111.dkr.ecr.us-east-1.amazonaws.com/sagemaker-gitops';
let twin: Twin;
let node24: string;
const credentials = { accessKeyId: 'twin', secretAccessKey: 'twin' };

beforeAll(async () => {
  // The runner's Node, from the npm registry (cached after the first run).
  node24 = execFileSync('npx', ['-y', '-p', 'node@24', '-c', 'command -v node'], { encoding: 'utf8', timeout: 240_000 }).trim().split('\n').pop()!;
  twin = await startTwin({ stateDir: mkdtempSync(join(tmpdir(), 'twin-dist-')), timeScale: 1e6 });
  const s3 = new S3Client({ region: 'us-east-1', endpoint: twin.url, forcePathStyle: true, credentials });
  await s3.send(new CreateBucketCommand({ Bucket: 'artifacts' }));
  await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: 'data/v1/sample.csv', Body: readFileSync('containers/data/sample.csv') }));
  await new SageMakerClient({ region: 'us-east-1', endpoint: twin.url, credentials }).send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: 'churn-model' }));
}, 300_000);

afterAll(() => twin.stop());

/** Runs an action's dist/index.js under Node 24 with the runner's files; its exit code, log, outputs and summary. */
async function runBundle(action: string, inputs: Record<string, string>, runId: string) {
  const dir = mkdtempSync(join(tmpdir(), 'runner-'));
  writeFileSync(join(dir, 'output'), '');
  writeFileSync(join(dir, 'summary'), '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    AWS_ENDPOINT_URL: twin.url,
    AWS_ACCESS_KEY_ID: 'twin',
    AWS_SECRET_ACCESS_KEY: 'twin',
    AWS_REGION: 'us-east-1',
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    GITHUB_RUN_ID: runId,
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
  };
  const { code, log } = await new Promise<{ code: number | null; log: string }>((resolve) => {
    const child = spawn(node24, [`actions/${action}/dist/index.js`], { env });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (c) => resolve({ code: c, log: out }));
  });
  const output = readFileSync(join(dir, 'output'), 'utf8');
  const outputs = Object.fromEntries([...output.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)].map((m) => [m[1], m[3]]));
  return { code, log, outputs, summary: readFileSync(join(dir, 'summary'), 'utf8') };
}

it('runs the pipeline from dist/index.js under Node 24 and writes outputs and the summary', async () => {
  const definition = join(mkdtempSync(join(tmpdir(), 'definition-')), 'churn.json');
  writeFileSync(definition, JSON.stringify(churnPipeline()));
  const { code, log, outputs, summary } = await runBundle('run-pipeline', {
    'definition': definition,
    'pipeline-name': 'churn',
    'role-arn': 'arn:aws:iam::111111111111:role/sagemaker',
    'parameters': [
      'InputDataUri=s3://artifacts/data/v1/', 'ArtifactsUri=s3://artifacts/pipelines/churn', 'ExecutionRoleArn=arn:aws:iam::111111111111:role/sagemaker',
      `ProcessingImageUri=${REGISTRY}/processing:c1`, `MonitoringImageUri=${REGISTRY}/monitoring:c1`, `TrainingImageUri=${REGISTRY}/training:c1`, `InferenceImageUri=${REGISTRY}/inference:c1`, 'MaxIterations=100',
    ].join('\n'),
  }, '24');
  expect({ code, tail: log.split('\n').slice(-5) }).toMatchObject({ code: 0 });
  expect(log).toContain('RegisterModel: Succeeded');
  expect(outputs.status).toBe('Succeeded');
  expect(outputs['model-package-arn']).toBe('arn:aws:sagemaker:us-east-1:111111111111:model-package/churn-model/1');
  expect(JSON.parse(outputs.metrics).auc).toBeGreaterThan(0.75);
  expect(summary).toContain('## run-pipeline: churn');
  expect(summary).toContain('```mermaid');
}, 300_000);

it('deploys the foundation stack from dist/index.js under Node 24, then finds nothing to change', async () => {
  const inputs = { 'template': 'cloudformation/foundation.yaml', 'stack-name': 'foundation', 'region': 'us-east-1', 'parameter-overrides': 'ModelPackageGroupName=churn-deploy' };
  const created = await runBundle('deploy-stack', inputs, '25');
  expect({ code: created.code, tail: created.log.split('\n').slice(-5) }).toMatchObject({ code: 0 });
  expect(created.outputs).toMatchObject({ status: 'CREATE_COMPLETE', changed: 'true', ArtifactBucketName: 'sagemaker-gitops-artifacts-111111111111-us-east-1' });
  expect(created.log).toContain('CREATE_COMPLETE AWS::IAM::Role SageMakerExecutionRole');
  expect(created.summary).toContain('| Add | SageMakerExecutionRole | AWS::IAM::Role |');
  const again = await runBundle('deploy-stack', inputs, '26');
  expect(again.code).toBe(0);
  expect(again.outputs).toMatchObject({ status: 'CREATE_COMPLETE', changed: 'false' });
}, 120_000);
