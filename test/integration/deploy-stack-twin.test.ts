// deploy-stack through the real SDK against the twin's CloudFormation, with the project's own
// templates: the foundation, then the endpoint created, redeployed with nothing to do, updated to
// a new model version with a canary, and a candidate whose container fails half its requests
// rolled back by the 5XX alarm during the bake. A first create that fails ends ROLLBACK_COMPLETE
// and the next deploy replaces it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CloudFormationClient, DescribeStackEventsCommand, DescribeStacksCommand, ListExportsCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, DescribeAlarmHistoryCommand } from '@aws-sdk/client-cloudwatch';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateModelPackageCommand, DescribeEndpointCommand, SageMakerClient, type DescribeEndpointCommandOutput } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { jest } from '@jest/globals';
import { drive, realSetTimeout, sampleRows, trainSampleModel, useTwin } from './twin-harness.js';
import { runDeploy } from '../../actions/deploy-stack/src/run.js';
import { actionContext, FailureWithSummary } from '../../actions/lib/action.js';
import { memoryLogger } from '../../actions/lib/log.js';
import { runSmoke } from '../../actions/smoke-test/src/run.js';
import { startTwin, type Twin } from '../../local/server.js';
import { inputEnv } from '../deploy-stack/fixtures.js';

const REGION = 'eu-west-1';
const BUCKET = `sagemaker-gitops-artifacts-111111111111-${REGION}`;
const REGISTRY = `111111111111.dkr.ecr.${REGION}.amazonaws.com/sagemaker-gitops`;
const ENDPOINT = 'sagemaker-gitops-dev';
const saved = { ...process.env };
let twin: Twin;
let envDir: string;
let stateDir: string;
let run = 0;

const sagemaker = () => new SageMakerClient({ region: REGION });
const cfn = () => new CloudFormationClient({ region: REGION });

function environment(version: number): void {
  writeFileSync(join(envDir, 'dev.yaml'), [
    'account: "111111111111"',
    `region: ${REGION}`,
    'roleToAssume: arn:aws:iam::111111111111:role/deploy',
    'deployment: { strategy: canary, canaryPercent: 50, bakeSeconds: 300, terminationWaitSeconds: 60 }',
    'alarms: { max5xxRatePercent: 2, maxP99LatencyMs: 2000 }',
    `model: { packageGroup: churn-model, version: ${version} }`,
  ].join('\n'));
}

const deploy = (template: string, stackName: string, extra: Record<string, string> = {}) =>
  drive(runDeploy(actionContext({
    ...process.env,
    ...inputEnv({ 'template': template, 'stack-name': stackName, 'environment': 'dev', 'environments-dir': envDir, 'timeout-minutes': '60', ...extra }),
    GITHUB_RUN_ID: String(++run),
  }, memoryLogger())));

async function failureOf(promise: Promise<unknown>): Promise<FailureWithSummary> {
  try {
    await promise;
  } catch (error) {
    return error as FailureWithSummary;
  }
  throw new Error('expected the deploy to fail');
}

async function register(image: string, modelDataUrl: string): Promise<string> {
  const out = await sagemaker().send(new CreateModelPackageCommand({
    ModelPackageGroupName: 'churn-model',
    ModelApprovalStatus: 'PendingManualApproval',
    InferenceSpecification: { Containers: [{ Image: image, ModelDataUrl: modelDataUrl }], SupportedContentTypes: ['text/csv'], SupportedResponseMIMETypes: ['text/csv'] },
  }));
  return out.ModelPackageArn!;
}

/** Invokes the endpoint with real timers' pacing until stopped; counts answers by variant and failures. */
function traffic() {
  const runtime = new SageMakerRuntimeClient({ region: REGION, maxAttempts: 1 });
  const rows = sampleRows(3);
  const seen = { ok: 0, failed: 0, statuses: [] as string[] };
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      try {
        const out = await runtime.send(new InvokeEndpointCommand({ EndpointName: ENDPOINT, ContentType: 'text/csv', Accept: 'text/csv', Body: rows.join('\n') }));
        expect(out.InvokedProductionVariant).toBe('AllTraffic');
        seen.ok++;
      } catch (error) {
        seen.failed++;
        seen.statuses.push((error as Error).name);
      }
      await new Promise((r) => realSetTimeout(r, 10));
    }
  })();
  return { seen, stop: async () => ((stopped = true), await loop, seen) };
}

beforeAll(async () => {
  envDir = mkdtempSync(join(tmpdir(), 'twin-deploy-env-'));
  stateDir = mkdtempSync(join(tmpdir(), 'twin-deploy-'));
  twin = await startTwin({ stateDir, timeScale: 10, containerDirs: [resolve('test/fixtures/containers')] });
  useTwin(twin.url, REGION);
  environment(1);
  // One fake clock for the whole file: simulated time runs ahead of real time, and must not go back between tests.
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
}, 60_000);
afterAll(async () => {
  jest.useRealTimers();
  await twin.stop();
  process.env = { ...saved };
});

describe('deploy-stack on the twin', () => {
  it('plans the first foundation deploy as a create and leaves no stack and no change set behind', async () => {
    const result = await deploy('cloudformation/foundation.yaml', 'sagemaker-gitops-foundation', { mode: 'plan' });
    const template = readFileSync('cloudformation/foundation.yaml', 'utf8');
    const resources = [...template.matchAll(/^  ([A-Za-z0-9]+):\n    Type: (AWS::[A-Za-z0-9:]+)/gm)].map((m) => `|   | Add | ${m[1]} | ${m[2]} |   |`);
    expect(resources.length).toBeGreaterThan(5);
    for (const row of resources) expect(result.summary).toContain(row);
    expect(result.summary).toContain(`| **Plan** | Creates the stack: ${resources.length} change(s) |`);
    expect(result.outputs).toMatchObject({ 'changed': true, 'destructive-changes': '' });
    await expect(cfn().send(new DescribeStacksCommand({ StackName: 'sagemaker-gitops-foundation' }))).rejects.toThrow('Stack with id sagemaker-gitops-foundation does not exist');
  });

  it('creates the foundation stack and publishes its exports', async () => {
    const result = await deploy('cloudformation/foundation.yaml', 'sagemaker-gitops-foundation');
    expect(result.outputs).toMatchObject({ status: 'CREATE_COMPLETE', changed: true, ArtifactBucketName: BUCKET, ModelPackageGroupName: 'churn-model' });
    const exports = await cfn().send(new ListExportsCommand({}));
    expect(exports.Exports?.map((e) => e.Name).sort()).toEqual(
      ['sagemaker-gitops-foundation-ArtifactBucket', 'sagemaker-gitops-foundation-ExecutionRoleArn', 'sagemaker-gitops-foundation-ModelPackageGroupName'],
    );
    expect(result.summary).toContain('ArtifactBucket');
  });

  it('refuses a smaller template that would delete the registry, the repositories and the role, and changes nothing', async () => {
    const small = join(mkdtempSync(join(tmpdir(), 'small-')), 'small.yaml');
    writeFileSync(small, 'Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n');
    const failure = await failureOf(deploy(small, 'sagemaker-gitops-foundation'));
    expect(failure.message).toMatch(/^Refusing to execute change set gitops-[\w-]+: it would remove or replace ArtifactBucket \(AWS::S3::Bucket, removed\), /);
    for (const id of ['ModelPackageGroup', 'TrainingRepository', 'SageMakerExecutionRole']) expect(failure.message).toContain(`${id} (`);
    const after = await cfn().send(new DescribeStacksCommand({ StackName: 'sagemaker-gitops-foundation' }));
    expect(after.Stacks?.[0].StackStatus).toBe('CREATE_COMPLETE');
  });

  it('creates the endpoint on version 1, which then serves predictions', async () => {
    await new S3Client({ region: REGION, forcePathStyle: true }).send(new PutObjectCommand({ Bucket: BUCKET, Key: 'models/1/model.tar.gz', Body: trainSampleModel() }));
    await register(`${REGISTRY}/inference:content-1`, `s3://${BUCKET}/models/1/model.tar.gz`);
    const result = await deploy('cloudformation/endpoint.yaml', 'sagemaker-gitops-dev');
    expect(result.outputs).toMatchObject({ 'status': 'CREATE_COMPLETE', 'changed': true, 'endpoint-name': ENDPOINT });
    const ep = await sagemaker().send(new DescribeEndpointCommand({ EndpointName: ENDPOINT }));
    expect([ep.EndpointStatus, ep.EndpointConfigName]).toEqual(['InService', result.outputs.EndpointConfigName]);
    const out = await new SageMakerRuntimeClient({ region: REGION }).send(
      new InvokeEndpointCommand({ EndpointName: ENDPOINT, ContentType: 'text/csv', Accept: 'text/csv', Body: sampleRows(2).join('\n') }),
    );
    const scores = Buffer.from(out.Body!).toString().trim().split('\n').map(Number);
    expect(scores).toHaveLength(2);
    expect(scores.every((s) => s >= 0 && s <= 1)).toBe(true);
    expect(out.InvokedProductionVariant).toBe('AllTraffic');
  }, 60_000);

  it('redeploys the same version as an empty change set: success, nothing changed', async () => {
    const result = await deploy('cloudformation/endpoint.yaml', 'sagemaker-gitops-dev');
    expect(result.outputs).toMatchObject({ changed: false, status: 'CREATE_COMPLETE' });
  });

  it('passes the smoke test on the endpoint it created: CSV and JSON, one row and many, scored by the model', async () => {
    const result = await drive(runSmoke(actionContext({
      ...process.env,
      ...inputEnv({ 'endpoint-name': ENDPOINT, 'environment': 'dev', 'environments-dir': envDir, 'invocations-per-payload': '3', 'max-p95-latency-ms': '60000' }),
    }, memoryLogger())));
    expect(result.outputs.passed).toBe(true);
    for (const row of ['| CSV, 1 row | 1 | ✅ 3 |', '| JSON, 1 row | 1 | ✅ 3 |', '| CSV, 10 rows | 10 | ✅ 3 |', '| JSON, 10 rows | 10 | ✅ 3 |']) expect(result.summary).toContain(row);
    expect(result.summary).toContain('| AllTraffic |');
  });

  it('moves the endpoint to version 2 through a canary and a bake, then cleans up the old model', async () => {
    await register(`${REGISTRY}/inference:content-1`, `s3://${BUCKET}/models/1/model.tar.gz`);
    environment(2);
    const before = await cfn().send(new DescribeStacksCommand({ StackName: 'sagemaker-gitops-dev' }));
    const oldConfig = before.Stacks![0].Outputs!.find((o) => o.OutputKey === 'EndpointConfigName')!.OutputValue;
    const load = traffic();
    const seenDuring: DescribeEndpointCommandOutput[] = [];
    let deploying = true;
    const watch = (async () => {
      while (deploying) {
        await new Promise((r) => realSetTimeout(r, 25));
        seenDuring.push(await sagemaker().send(new DescribeEndpointCommand({ EndpointName: ENDPOINT })));
      }
    })();
    const result = await deploy('cloudformation/endpoint.yaml', 'sagemaker-gitops-dev').finally(() => (deploying = false));
    const seen = await load.stop();
    await watch;
    expect(result.outputs).toMatchObject({ status: 'UPDATE_COMPLETE', changed: true });
    expect(result.outputs.EndpointConfigName).not.toBe(oldConfig);
    expect(seen.failed).toBe(0);
    expect(seen.ok).toBeGreaterThan(10);
    // While it ran: the old config served, the new one was pending, and the canary baked at half the traffic.
    const pending = seenDuring.filter((d) => d.PendingDeploymentSummary);
    expect(pending.length).toBeGreaterThan(0);
    expect(pending.every((d) => d.EndpointStatus === 'Updating' && d.EndpointConfigName === oldConfig)).toBe(true);
    const stages = pending.map((d) => d.PendingDeploymentSummary!.ProductionVariants![0].VariantStatus![0].Status);
    expect(stages).toContain('Baking');
    expect(pending.some((d) => d.PendingDeploymentSummary!.ProductionVariants![0].CurrentWeight === 0.5)).toBe(true);
    const events = await cfn().send(new DescribeStackEventsCommand({ StackName: 'sagemaker-gitops-dev' }));
    const model = events.StackEvents!.filter((e) => e.LogicalResourceId === 'Model').map((e) => e.ResourceStatus);
    expect(model.slice(0, 4)).toEqual(['DELETE_COMPLETE', 'DELETE_IN_PROGRESS', 'UPDATE_COMPLETE', 'UPDATE_IN_PROGRESS']);
    expect(events.StackEvents![0].ResourceStatus).toBe('UPDATE_COMPLETE');
    // Data capture: a sampled share of the invocations, as SageMaker's JSON lines.
    const s3 = new S3Client({ region: REGION, forcePathStyle: true });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `data-capture/${ENDPOINT}/AllTraffic/` }));
    const key = listed.Contents![0].Key!;
    expect(key).toMatch(new RegExp(`^data-capture/${ENDPOINT}/AllTraffic/\\d{4}/\\d{2}/\\d{2}/\\d{2}/[\\w-]+\\.jsonl$`));
    const records = (await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToString()).trim().split('\n').map((l) => JSON.parse(l));
    expect(records.length).toBeGreaterThan(0);
    expect(records[0]).toMatchObject({
      captureData: { endpointInput: { observedContentType: 'text/csv', mode: 'INPUT', encoding: 'CSV' }, endpointOutput: { mode: 'OUTPUT', encoding: 'CSV' } },
      eventVersion: '0',
    });
    expect(records.at(-1).captureData.endpointInput.data).toBe(sampleRows(3).join('\n'));
  }, 90_000);

  it('rolls a candidate that fails half its requests back when the 5XX alarm fires in the bake, and names the alarm', async () => {
    await register(`${REGISTRY}/flaky-inference:1`, `s3://${BUCKET}/models/1/model.tar.gz`);
    environment(3);
    const current = (await sagemaker().send(new DescribeEndpointCommand({ EndpointName: ENDPOINT }))).EndpointConfigName;
    const load = traffic();
    const failure = await failureOf(deploy('cloudformation/endpoint.yaml', 'sagemaker-gitops-dev'));
    const seen = await load.stop();
    expect(failure.message).toContain('sagemaker-gitops-dev-5xx-rate');
    expect(failure.message).toContain('UPDATE_ROLLBACK_COMPLETE');
    expect(seen.statuses).toContain('ModelError');
    const ep = await sagemaker().send(new DescribeEndpointCommand({ EndpointName: ENDPOINT }));
    expect([ep.EndpointStatus, ep.EndpointConfigName]).toEqual(['InService', current]);
    const history = await new CloudWatchClient({ region: REGION }).send(new DescribeAlarmHistoryCommand({ AlarmName: 'sagemaker-gitops-dev-5xx-rate', HistoryItemType: 'StateUpdate' }));
    expect(history.AlarmHistoryItems?.map((h) => h.HistorySummary)).toContain('Alarm updated from OK to ALARM');
    const stack = (await cfn().send(new DescribeStacksCommand({ StackName: 'sagemaker-gitops-dev' }))).Stacks![0];
    expect(stack.StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(stack.Parameters?.find((p) => p.ParameterKey === 'ModelPackageArn')?.ParameterValue).toMatch(/churn-model\/2$/);
  }, 90_000);

  it('fails a first create whose resource type it does not know, then replaces the ROLLBACK_COMPLETE stack', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'twin-template-'));
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n');
    const failure = await failureOf(deploy(broken, 'scratch', { environment: '' }));
    expect(failure.message).toMatch(/Queue.*AWS::SQS::Queue is not supported by the offline twin/s);
    const fixed = join(dir, 'fixed.yaml');
    writeFileSync(fixed, 'Resources:\n  Group:\n    Type: AWS::SageMaker::ModelPackageGroup\n    Properties:\n      ModelPackageGroupName: scratch-group\n');
    const result = await deploy(fixed, 'scratch', { environment: '' });
    expect(result.outputs).toMatchObject({ status: 'CREATE_COMPLETE', changed: true });
    expect(readFileSync(fixed, 'utf8')).toContain('scratch-group');
  }, 60_000);

  it('keeps stacks and endpoints across a restart, and serves again from the endpoint\'s model', async () => {
    const contract = twin.contract!;
    await twin.stop();
    twin = await startTwin({ stateDir, timeScale: 10, containerDirs: [resolve('test/fixtures/containers')] });
    process.env.AWS_ENDPOINT_URL = twin.url;
    const stack = (await cfn().send(new DescribeStacksCommand({ StackName: 'sagemaker-gitops-dev' }))).Stacks![0];
    const ep = await sagemaker().send(new DescribeEndpointCommand({ EndpointName: ENDPOINT }));
    expect([stack.StackStatus, ep.EndpointStatus]).toEqual(['UPDATE_ROLLBACK_COMPLETE', 'InService']);
    // The model server is started again on the first invocation.
    const out = await drive(new SageMakerRuntimeClient({ region: REGION }).send(
      new InvokeEndpointCommand({ EndpointName: ENDPOINT, ContentType: 'text/csv', Body: sampleRows(1)[0] }),
    ));
    expect(Number(Buffer.from(out.Body!).toString())).toBeGreaterThanOrEqual(0);
    expect(contract.violations).toEqual([]);
  }, 60_000);

  it('received only requests that botocore\'s models accept', () => {
    expect(twin.contract!.violations).toEqual([]);
  });
});
