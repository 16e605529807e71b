// The registry actions through their real SDK path against the offline twin: register, gate and
// approve, plus the S3 and STS behaviour they rely on, state surviving a restart, and faults.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { DescribeFeatureGroupCommand, ListModelPackagesCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { useTwin } from './twin-harness.js';
import { runApprove } from '../../actions/approve-model/src/run.js';
import { runGate } from '../../actions/gate-metrics/src/run.js';
import { actionContext } from '../../actions/lib/action.js';
import { createClient } from '../../actions/lib/aws.js';
import { memoryLogger } from '../../actions/lib/log.js';
import { runRegister } from '../../actions/register-model/src/run.js';
import { startTwin, type Twin } from '../../local/server.js';
import { inputEnv } from '../deploy-stack/fixtures.js';
import { statistics } from '../helpers/s3-body.js';

const REGION = 'eu-west-1';
const saved = { ...process.env };
let twin: Twin;
let stateDir: string;
let envDir: string;

const s3 = () => createClient(S3Client, { region: REGION, logger: memoryLogger() });
const sm = () => createClient(SageMakerClient, { region: REGION, logger: memoryLogger() });

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'twin-'));
  twin = await startTwin({ stateDir, timeScale: 1e6 });
  useTwin(twin.url, REGION);
  delete process.env.AWS_PROFILE;
  // An environment whose champion is whatever the registry has Approved.
  envDir = mkdtempSync(join(tmpdir(), 'envs-'));
  writeFileSync(join(envDir, 'prod.yaml'), [
    'account: "111111111111"', `region: ${REGION}`, 'roleToAssume: arn:aws:iam::111111111111:role/deploy',
    'deployment: { strategy: all-at-once }', 'gate: { thresholds: { auc: 0.8 }, maxRegression: 0.01 }',
    'model: { packageGroup: churn-model, version: null }',
  ].join('\n'));
});

afterAll(async () => {
  await twin.stop();
  process.env = { ...saved };
});

async function upload(key: string, value: unknown): Promise<string> {
  await s3().send(new PutObjectCommand({ Bucket: 'artifacts', Key: key, Body: JSON.stringify(value) }));
  return `s3://artifacts/${key}`;
}

describe('the twin', () => {
  it('assumes a role through OIDC and answers GetCallerIdentity as that role', async () => {
    const sts = new STSClient({ region: REGION });
    const assumed = await sts.send(
      new AssumeRoleWithWebIdentityCommand({ RoleArn: 'arn:aws:iam::333333333333:role/prod-deploy', RoleSessionName: 'gh-run', WebIdentityToken: 'jwt-token' }),
    );
    expect(assumed.AssumedRoleUser?.Arn).toBe('arn:aws:sts::333333333333:assumed-role/prod-deploy/gh-run');
    const creds = assumed.Credentials!;
    const credentials = { accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey!, sessionToken: creds.SessionToken };
    const asRole = new STSClient({ region: REGION, credentials });
    expect(await asRole.send(new GetCallerIdentityCommand({}))).toMatchObject({ Account: '333333333333', Arn: 'arn:aws:sts::333333333333:assumed-role/prod-deploy/gh-run' });
    expect(await sts.send(new GetCallerIdentityCommand({}))).toMatchObject({ Account: '111111111111' });
    await expect(sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: 'not-a-role', RoleSessionName: 'gh', WebIdentityToken: 'jwt-token' }))).rejects.toThrow(
      "1 validation error detected: Value 'not-a-role' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20",
    );
  });

  it('stores objects, lists them in pages, assembles multipart uploads, and answers missing keys like S3', async () => {
    const client = s3();
    await client.send(new CreateBucketCommand({ Bucket: 'artifacts' }));
    await expect(client.send(new CreateBucketCommand({ Bucket: 'artifacts' }))).rejects.toMatchObject({ name: 'BucketAlreadyOwnedByYou' });
    for (const k of ['data/a.csv', 'data/b.csv', 'data/c.csv', 'other/d.csv']) await client.send(new PutObjectCommand({ Bucket: 'artifacts', Key: k, Body: `rows of ${k}` }));
    const first = await client.send(new ListObjectsV2Command({ Bucket: 'artifacts', Prefix: 'data/', MaxKeys: 2 }));
    expect(first.Contents?.map((o) => o.Key)).toEqual(['data/a.csv', 'data/b.csv']);
    expect(first.IsTruncated).toBe(true);
    const second = await client.send(new ListObjectsV2Command({ Bucket: 'artifacts', Prefix: 'data/', MaxKeys: 2, ContinuationToken: first.NextContinuationToken }));
    expect(second.Contents?.map((o) => o.Key)).toEqual(['data/c.csv']);
    const folders = await client.send(new ListObjectsV2Command({ Bucket: 'artifacts', Delimiter: '/' }));
    expect(folders.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['data/', 'other/']);

    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: 'artifacts', Key: 'big.bin' }));
    const parts = [];
    for (const [n, text] of [[1, 'a'.repeat(5 * 1024 * 1024)], [2, 'tail']] as const) {
      const { ETag } = await client.send(new UploadPartCommand({ Bucket: 'artifacts', Key: 'big.bin', UploadId, PartNumber: n, Body: text }));
      parts.push({ ETag, PartNumber: n });
    }
    const done = await client.send(new CompleteMultipartUploadCommand({ Bucket: 'artifacts', Key: 'big.bin', UploadId, MultipartUpload: { Parts: parts } }));
    expect(done.ETag).toMatch(/-2"$/);
    const big = await client.send(new GetObjectCommand({ Bucket: 'artifacts', Key: 'big.bin' }));
    expect((await big.Body!.transformToString()).length).toBe(5 * 1024 * 1024 + 4);

    await expect(client.send(new GetObjectCommand({ Bucket: 'artifacts', Key: 'nope' }))).rejects.toMatchObject({ name: 'NoSuchKey' });
    await expect(client.send(new HeadObjectCommand({ Bucket: 'artifacts', Key: 'nope' }))).rejects.toMatchObject({ name: 'NotFound' });
    await expect(client.send(new GetObjectCommand({ Bucket: 'missing-bucket', Key: 'x' }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });

  it('registers, gates and approves a model through the actions, unchanged', async () => {
    const logger = memoryLogger();
    const metrics = await upload('eval/1/evaluation.json', statistics({ auc: 0.84, f1: 0.6 }));
    const register = {
      'model-package-group': 'churn-model',
      'model-data-url': 's3://artifacts/train/1/model.tar.gz',
      'image-uri': '111111111111.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-gitops/inference:content-1',
      'metrics-s3-uri': metrics,
    };
    const first = await runRegister(actionContext({ ...process.env, ...inputEnv(register), GITHUB_SHA: 'aaaaaaa1' }, logger));
    expect(first.outputs).toMatchObject({ version: 1, created: true });
    const arn = String(first.outputs.arn);
    expect(arn).toBe('arn:aws:sagemaker:eu-west-1:111111111111:model-package/churn-model/1');
    const again = await runRegister(actionContext({ ...process.env, ...inputEnv(register), GITHUB_SHA: 'aaaaaaa1' }, logger));
    expect(again.outputs).toEqual({ arn, version: 1, created: false });

    const gate = await runGate(actionContext({ ...process.env, ...inputEnv({ 'model-package-arn': arn, 'environment': 'prod', 'environments-dir': envDir }) }, logger));
    expect(gate.outputs.passed).toBe(true);
    expect(JSON.parse(String(gate.outputs.report)).champion).toBeUndefined();

    const approved = await runApprove(actionContext({ ...process.env, ...inputEnv({ 'model-package-arn': arn, 'status': 'Approved', 'environment': 'prod', 'environments-dir': envDir }), GITHUB_ACTOR: 'alice' }, logger),
    );
    expect(approved.outputs).toEqual({ 'status': 'Approved', 'changed': true, 'previous-status': 'PendingManualApproval' });
    const listed = await sm().send(new ListModelPackagesCommand({ ModelPackageGroupName: 'churn-model', ModelApprovalStatus: 'Approved' }));
    expect(listed.ModelPackageSummaryList?.map((p) => p.ModelPackageArn)).toEqual([arn]);

    // A second candidate, worse than the approved champion beyond the allowed regression.
    const worse = await upload('eval/2/evaluation.json', statistics({ auc: 0.81, f1: 0.6 }));
    const second = await runRegister(actionContext({ ...process.env, ...inputEnv({ ...register, 'model-data-url': 's3://artifacts/train/2/model.tar.gz', 'metrics-s3-uri': worse }), GITHUB_SHA: 'bbbbbbb2' }, logger));
    expect(second.outputs).toMatchObject({ version: 2, created: true });
    await expect(
      runGate(actionContext({ ...process.env, ...inputEnv({ 'model-package-arn': String(second.outputs.arn), 'environment': 'prod', 'environments-dir': envDir }) }, logger)),
    ).rejects.toThrow('The candidate fails the prod gate: auc worse than the champion by 0.03 (allowed 0.01)');
  });

  it('answers an operation it does not implement with an error naming it', async () => {
    await expect(sm().send(new DescribeFeatureGroupCommand({ FeatureGroupName: 'x' }))).rejects.toThrow('The offline twin does not implement SageMaker DescribeFeatureGroup');
  });

  it('injects throttling that the client factory retries, and keeps state across a restart', async () => {
    twin.faults.set([{ operation: 'SageMaker.ListModelPackages', kind: 'throttle', share: 0.5 }]);
    const logger = memoryLogger();
    const client = createClient(SageMakerClient, { region: REGION, logger });
    const list = await client.send(new ListModelPackagesCommand({ ModelPackageGroupName: 'churn-model' }));
    expect(list.ModelPackageSummaryList?.length).toBe(2);
    expect(logger.lines).toEqual(['warning: ListModelPackagesCommand failed (ThrottlingException: throttled, HTTP 400), attempt 1 of 6; retrying with backoff']);
    twin.faults.set([]);
    // Every request of the flows above met botocore's models, but the one refused on purpose.
    expect(twin.contract!.violations.map((v) => `${v.service}.${v.operation}`)).toEqual(['sts.AssumeRoleWithWebIdentity']);

    await twin.stop();
    twin = await startTwin({ stateDir, timeScale: 1e6 });
    process.env.AWS_ENDPOINT_URL = twin.url;
    const after = await sm().send(new ListModelPackagesCommand({ ModelPackageGroupName: 'churn-model', SortOrder: 'Descending' }));
    expect(after.ModelPackageSummaryList?.map((p) => [p.ModelPackageVersion, p.ModelApprovalStatus])).toEqual([[2, 'PendingManualApproval'], [1, 'Approved']]);
    const object = await s3().send(new GetObjectCommand({ Bucket: 'artifacts', Key: 'data/a.csv' }));
    expect(await object.Body!.transformToString()).toBe('rows of data/a.csv');
  });
});
