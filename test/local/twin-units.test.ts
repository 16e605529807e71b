import { mkdtempSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteBucketCommand, DeleteObjectCommand, HeadBucketCommand, ListBucketsCommand, PutObjectCommand, S3Client, AbortMultipartUploadCommand, CreateMultipartUploadCommand, UploadPartCommand, CreateBucketCommand } from '@aws-sdk/client-s3';
import {
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  CreatePipelineCommand,
  DescribeModelCommand,
  DescribePipelineExecutionCommand,
  ListPipelineExecutionStepsCommand,
  StartPipelineExecutionCommand,
  DeleteModelPackageGroupCommand,
  ListModelPackageGroupsCommand,
  SageMakerClient,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import { Clock } from '../../local/clock.js';
import type { RequestContext } from '../../local/context.js';
import { Faults } from '../../local/faults.js';
import { findBotocoreData, ServiceModels } from '../../local/protocols/model.js';
import { parseQuery, queryInput } from '../../local/protocols/query.js';
import { decodeBody } from '../../local/protocols/rest.js';
import { listKeys, readObject, writeObject } from '../../local/s3/objects.js';
import { startTwin, type Twin } from '../../local/server.js';
import { Store } from '../../local/store.js';

describe('twin building blocks', () => {
  it('decodes aws-chunked bodies with signatures and trailers', () => {
    const req = { headers: { 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' } } as unknown as IncomingMessage;
    const raw = Buffer.from('5;chunk-signature=ab\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:AAAA\r\n\r\n');
    expect(decodeBody(req, raw).toString()).toBe('hello world');
    expect(decodeBody({ headers: {} } as IncomingMessage, Buffer.from('plain')).toString()).toBe('plain');
  });

  it('reads awsQuery lists of values, lists of structures, maps and nested structures', () => {
    const q = parseQuery(
      'Action=CreateChangeSet&Version=2010-05-15&Capabilities.member.2=CAPABILITY_AUTO_EXPAND&Capabilities.member.1=CAPABILITY_IAM' +
        '&Parameters.member.1.ParameterKey=A&Parameters.member.1.ParameterValue=1&Parameters.member.10.ParameterKey=J' +
        '&Attrs.entry.1.key=k&Attrs.entry.1.value=v&RollbackConfiguration.MonitoringTimeInMinutes=5',
    )!;
    expect(q.action).toBe('CreateChangeSet');
    // Rebuilt from CloudFormation's input shape and typed by it; a parameter the model lacks is dropped.
    const model = new ServiceModels(findBotocoreData(process.cwd())!).get('cloudformation');
    expect(queryInput(model, 'CreateChangeSetInput', q.params)).toEqual({
      Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND'],
      Parameters: [{ ParameterKey: 'A', ParameterValue: '1' }, { ParameterKey: 'J' }],
      RollbackConfiguration: { MonitoringTimeInMinutes: 5 },
    });
    expect(parseQuery('Version=1')).toBeUndefined();
  });

  it('will not start without botocore\'s models, and says how to get them', async () => {
    await expect(startTwin({ stateDir: mkdtempSync(join(tmpdir(), 'no-models-')), repoRoot: mkdtempSync(join(tmpdir(), 'no-venv-')) })).rejects.toThrow(
      "The twin needs botocore's service models and found none in .venv: run `bash scripts/python-env.sh`",
    );
  });

  it('scales simulated time and refuses a bad scale', async () => {
    const clock = new Clock(1000);
    expect(clock.real(60_000)).toBe(60);
    const started = Date.now();
    await clock.sleep(5_000);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(clock.elapsedSince(Date.now() - 2)).toBeGreaterThanOrEqual(2000);
    expect(() => new Clock(0)).toThrow('time scale must be a positive number, got 0');
  });

  it('applies fault shares deterministically and refuses bad rules', () => {
    const faults = new Faults();
    faults.set([{ operation: 'S3.GET', kind: 'error', share: 0.5 }]);
    expect([1, 2, 3, 4].map(() => faults.next('S3', 'GET')?.kind)).toEqual(['error', undefined, 'error', undefined]);
    expect(faults.next('S3', 'PUT')).toBeUndefined();
    expect(() => faults.set([{ operation: '*', kind: 'explode' as 'error', share: 1 }])).toThrow('fault kind must be throttle, error or delay, got explode');
    expect(() => faults.set([{ operation: '*', kind: 'delay', share: 2 }])).toThrow('fault share must be in (0, 1], got 2');
  });

  it('lets other twin services read, write and list objects', () => {
    const store = new Store(mkdtempSync(join(tmpdir(), 'store-')));
    const ctx: RequestContext = { store, clock: new Clock(), account: '111111111111', region: 'us-east-1', requestId: 'r' };
    writeObject(ctx, 'jobs', 'out/model.tar.gz', Buffer.from('model'));
    writeObject(ctx, 'jobs', 'out/eval.json', Buffer.from('{}'), 'application/json');
    expect(listKeys(ctx, 'jobs', 'out/')).toEqual(['out/eval.json', 'out/model.tar.gz']);
    expect(readObject(ctx, 'jobs', 'out/model.tar.gz').toString()).toBe('model');
    expect(() => readObject(ctx, 'jobs', 'nope')).toThrow('The specified key does not exist.');
    expect(() => listKeys(ctx, 'absent', '')).toThrow('The specified bucket does not exist');
  });
});

describe('twin over HTTP', () => {
  let twin: Twin;
  const saved = { ...process.env };
  beforeAll(async () => {
    twin = await startTwin({ stateDir: mkdtempSync(join(tmpdir(), 'twin-')), timeScale: 1e6 });
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'twin', AWS_SECRET_ACCESS_KEY: 'twin' });
  });
  afterAll(async () => {
    await twin.stop();
    process.env = { ...saved };
  });

  it('creates, lists and deletes buckets, and aborts uploads', async () => {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: twin.url, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'lifecycle' }));
    await expect(s3.send(new CreateBucketCommand({ Bucket: 'Bad_Name' }))).rejects.toMatchObject({ name: 'InvalidBucketName' });
    await s3.send(new HeadBucketCommand({ Bucket: 'lifecycle' }));
    expect((await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toContain('lifecycle');
    await s3.send(new PutObjectCommand({ Bucket: 'lifecycle', Key: 'k', Body: 'v', Metadata: { owner: 'ml' } }));
    await expect(s3.send(new DeleteBucketCommand({ Bucket: 'lifecycle' }))).rejects.toMatchObject({ name: 'BucketNotEmpty' });
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'lifecycle', Key: 'big' }));
    await s3.send(new UploadPartCommand({ Bucket: 'lifecycle', Key: 'big', UploadId, PartNumber: 1, Body: 'x' }));
    await s3.send(new AbortMultipartUploadCommand({ Bucket: 'lifecycle', Key: 'big', UploadId }));
    await expect(s3.send(new UploadPartCommand({ Bucket: 'lifecycle', Key: 'big', UploadId, PartNumber: 2, Body: 'y' }))).rejects.toMatchObject({ name: 'NoSuchUpload' });
    await s3.send(new DeleteObjectCommand({ Bucket: 'lifecycle', Key: 'k' }));
    await s3.send(new DeleteBucketCommand({ Bucket: 'lifecycle' }));
    await expect(s3.send(new HeadBucketCommand({ Bucket: 'lifecycle' }))).rejects.toMatchObject({ name: 'NotFound' });
  });

  it('names S3 calls by botocore operation, so fault rules and the contract cover them', async () => {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: twin.url, forcePathStyle: true, maxAttempts: 1 });
    await s3.send(new CreateBucketCommand({ Bucket: 'faulty' }));
    twin.faults.set([{ operation: 'S3.PutObject', kind: 'throttle', share: 1 }]);
    await expect(s3.send(new PutObjectCommand({ Bucket: 'faulty', Key: 'k', Body: 'v' }))).rejects.toMatchObject({ name: 'SlowDown', $metadata: { httpStatusCode: 503 } });
    twin.faults.set([]);
    await s3.send(new PutObjectCommand({ Bucket: 'faulty', Key: 'k', Body: 'v' }));
    // The max-keys query parameter is typed by its shape (an integer) and checked against it.
    const violations = twin.contract.violations.length;
    const response = await fetch(`${twin.url}/faulty?list-type=2&max-keys=oops`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("<Code>InvalidArgument</Code><Message>1 validation error detected: Value 'NaN' at 'maxKeys' failed to satisfy constraint: Member must be a number</Message>");
    expect(twin.contract.violations.slice(violations).map((v) => `${v.service}.${v.operation}`)).toEqual(['s3.ListObjectsV2']);
  });

  it('lists and deletes package groups, and validates names and statuses', async () => {
    const sm = new SageMakerClient({ region: 'us-east-1', endpoint: twin.url });
    await sm.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: 'g-one' }));
    await sm.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: 'g-two' }));
    await expect(sm.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: 'g-one' }))).rejects.toThrow('Model Package Group already exists');
    await expect(sm.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: '-bad' }))).rejects.toThrow("Value '-bad' at 'modelPackageGroupName' failed to satisfy constraint");
    const page1 = await sm.send(new ListModelPackageGroupsCommand({ MaxResults: 1, SortOrder: 'Descending' }));
    expect(page1.ModelPackageGroupSummaryList?.map((g) => g.ModelPackageGroupName)).toEqual(['g-two']);
    const page2 = await sm.send(new ListModelPackageGroupsCommand({ MaxResults: 1, SortOrder: 'Descending', NextToken: page1.NextToken }));
    expect(page2.ModelPackageGroupSummaryList?.map((g) => g.ModelPackageGroupName)).toEqual(['g-one']);
    const { ModelPackageArn } = await sm.send(new CreateModelPackageCommand({ ModelPackageGroupName: 'g-one', ModelApprovalStatus: 'Approved' }));
    await expect(sm.send(new UpdateModelPackageCommand({ ModelPackageArn, ModelApprovalStatus: 'Maybe' as 'Approved' }))).rejects.toThrow('Member must satisfy enum value set');
    await expect(sm.send(new CreateModelPackageCommand({ ModelPackageName: 'unversioned' }))).rejects.toThrow('registers versioned model packages only');
    await expect(sm.send(new DeleteModelPackageGroupCommand({ ModelPackageGroupName: 'g-one' }))).rejects.toThrow('is not empty');
    await sm.send(new DeleteModelPackageGroupCommand({ ModelPackageGroupName: 'g-two' }));
    expect((await sm.send(new ListModelPackageGroupsCommand({}))).ModelPackageGroupSummaryList?.map((g) => g.ModelPackageGroupName)).toEqual(['g-one']);
  });

  it('refuses requests that break botocore\'s model of the operation, as AWS does', async () => {
    const response = await fetch(twin.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'SageMaker.ListModelPackages', 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({ SortOrder: 'Sideways', Bogus: 1, MaxResults: 500 }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { __type: string; message: string };
    expect(body.__type).toBe('ValidationException');
    expect(body.message).toContain('3 validation errors detected');
    expect(body.message).toContain("Value 'Sideways' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: [Ascending, Descending]");
    expect(body.message).toContain("Unknown member 'Bogus' at '(input)'");
    expect(body.message).toContain("Value '500' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100");
    const query = await fetch(twin.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn:aws:iam::111111111111:role/x&RoleSessionName=s&WebIdentityToken=tok',
    });
    expect(await query.text()).toContain("Value 's' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2");
  });

  it('takes fault rules through its control API and names unknown services', async () => {
    const set = await fetch(`${twin.url}/_twin/faults`, { method: 'POST', body: JSON.stringify([{ operation: 'SageMaker.ListModelPackageGroups', kind: 'error', share: 1 }]) });
    expect(set.status).toBe(200);
    const sm = new SageMakerClient({ region: 'us-east-1', endpoint: twin.url, maxAttempts: 1 });
    await expect(sm.send(new ListModelPackageGroupsCommand({}))).rejects.toThrow('Injected fault: internal error');
    twin.faults.set([]);
    const unknown = await fetch(twin.url, { method: 'POST', headers: { 'x-amz-target': 'AmazonSQS.ListQueues', 'content-type': 'application/x-amz-json-1.0' }, body: '{}' });
    expect(await unknown.json()).toEqual({ __type: 'NotImplemented', message: 'The offline twin does not implement AmazonSQS ListQueues' });
    const query = await fetch(twin.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=ListQueues&Version=2012-11-05' });
    expect(await query.text()).toContain('<Code>NotImplemented</Code><Message>The offline twin does not implement the awsQuery API version 2012-11-05 ListQueues</Message>');
  });
  it('runs a pipeline Model step: the model exists afterwards under the step\'s name', async () => {
    const sm = new SageMakerClient({ region: 'us-east-1', endpoint: twin.url });
    const definition = {
      Version: '2020-12-01',
      Parameters: [],
      Steps: [{
        Name: 'Package',
        Type: 'Model',
        Arguments: { ExecutionRoleArn: 'arn:aws:iam::111111111111:role/sm', PrimaryContainer: { Image: 'repo/inference:1', ModelDataUrl: 's3://b/model.tar.gz' } },
      }],
    };
    await sm.send(new CreatePipelineCommand({ PipelineName: 'model-step', PipelineDefinition: JSON.stringify(definition), RoleArn: 'arn:aws:iam::111111111111:role/sm' }));
    const { PipelineExecutionArn } = await sm.send(new StartPipelineExecutionCommand({ PipelineName: 'model-step' }));
    let status = 'Executing';
    for (let i = 0; i < 100 && status === 'Executing'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      status = (await sm.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn }))).PipelineExecutionStatus!;
    }
    expect(status).toBe('Succeeded');
    const step = (await sm.send(new ListPipelineExecutionStepsCommand({ PipelineExecutionArn }))).PipelineExecutionSteps![0];
    const name = step.Metadata!.Model!.Arn!.split('/').pop()!;
    const model = await sm.send(new DescribeModelCommand({ ModelName: name }));
    expect(model.PrimaryContainer).toEqual({ Image: 'repo/inference:1', ModelDataUrl: 's3://b/model.tar.gz' });
  });
});
