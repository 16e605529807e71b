// What real clients rely on, through the JS SDK (boto3 covers the same in local/tests): ranged
// reads, copies, batch deletes and ListObjects v1 in S3; the listings a CLI reaches; what the
// SageMaker Python SDK reads; the deleted-stack lifecycle and Retain; CloudWatch units.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeEventsCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateSummaryCommand,
  ListStacksCommand,
  UpdateStackCommand,
  ValidateTemplateCommand,
} from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, GetMetricStatisticsCommand, ListMetricsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { BatchGetImageCommand, CreateRepositoryCommand, ECRClient, ListImagesCommand, PutImageCommand } from '@aws-sdk/client-ecr';
import {
  CopyObjectCommand, CreateBucketCommand, DeleteObjectsCommand, GetObjectCommand, HeadBucketCommand, ListObjectsCommand, PutObjectCommand, S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateEndpointConfigCommand, CreateModelCommand, CreateModelPackageCommand, CreateModelPackageGroupCommand, CreatePipelineCommand,
  DescribeModelPackageCommand, ListEndpointConfigsCommand, ListEndpointsCommand, ListModelPackagesCommand, ListModelsCommand,
  ListPipelineParametersForExecutionCommand, ListPipelinesCommand, ListProcessingJobsCommand, ListTrainingJobsCommand, SageMakerClient,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTwin, type Twin } from '../../local/server.js';

let twin: Twin;
const config = () => ({ region: 'us-east-1', endpoint: twin.url, credentials: { accessKeyId: 'twin', secretAccessKey: 'twin' } });

async function until<T>(check: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('timed out');
}

beforeAll(async () => {
  twin = await startTwin({ stateDir: mkdtempSync(join(tmpdir(), 'fidelity-')), timeScale: 1e6 });
});
afterAll(() => twin.stop());

describe('S3 as the SDKs use it', () => {
  it('reads ranges, copies, deletes many, lists v1 and re-creates a bucket in us-east-1', async () => {
    const s3 = new S3Client({ ...config(), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'fidelity' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'fidelity' }));
    await s3.send(new PutObjectCommand({ Bucket: 'fidelity', Key: 'a.txt', Body: '0123456789', Metadata: { owner: 'ml' } }));
    const part = await s3.send(new GetObjectCommand({ Bucket: 'fidelity', Key: 'a.txt', Range: 'bytes=-3' }));
    expect([part.ContentRange, await part.Body!.transformToString()]).toEqual(['bytes 7-9/10', '789']);
    await expect(s3.send(new GetObjectCommand({ Bucket: 'fidelity', Key: 'a.txt', Range: 'bytes=20-' }))).rejects.toMatchObject({ name: 'InvalidRange' });
    await s3.send(new CopyObjectCommand({ Bucket: 'fidelity', Key: 'b.txt', CopySource: 'fidelity/a.txt', MetadataDirective: 'REPLACE', Metadata: { owner: 'ops' } }));
    const copied = await s3.send(new GetObjectCommand({ Bucket: 'fidelity', Key: 'b.txt' }));
    expect([await copied.Body!.transformToString(), copied.Metadata]).toEqual(['0123456789', { owner: 'ops' }]);
    await expect(s3.send(new CopyObjectCommand({ Bucket: 'fidelity', Key: 'c.txt', CopySource: 'fidelity' }))).rejects.toMatchObject({ name: 'InvalidArgument' });
    const listed = await s3.send(new ListObjectsCommand({ Bucket: 'fidelity', MaxKeys: 1, Delimiter: '/' }));
    expect([listed.Contents?.map((c) => c.Key), listed.IsTruncated, listed.NextMarker]).toEqual([['a.txt'], true, 'a.txt']);
    const deleted = await s3.send(new DeleteObjectsCommand({ Bucket: 'fidelity', Delete: { Objects: [{ Key: 'a.txt' }, { Key: 'b.txt' }] } }));
    expect(deleted.Deleted?.map((d) => d.Key)).toEqual(['a.txt', 'b.txt']);
    expect((await s3.send(new ListObjectsCommand({ Bucket: 'fidelity' }))).Contents).toBeUndefined();
  });
});

describe('listings and what the SageMaker Python SDK reads', () => {
  it('lists pipelines, models, configs and jobs, and answers execution parameters and group/version', async () => {
    const sm = new SageMakerClient(config());
    await sm.send(new CreatePipelineCommand({
      PipelineName: 'listed',
      RoleArn: 'arn:aws:iam::111111111111:role/sm',
      PipelineDefinition: JSON.stringify({ Version: '2020-12-01', Parameters: [{ Name: 'Rows', Type: 'Integer', DefaultValue: 5 }], Steps: [] }),
    }));
    const { PipelineExecutionArn } = await sm.send(new StartPipelineExecutionCommand({ PipelineName: 'listed' }));
    expect((await sm.send(new ListPipelineParametersForExecutionCommand({ PipelineExecutionArn }))).PipelineParameters).toEqual([{ Name: 'Rows', Value: '5' }]);
    expect((await sm.send(new ListPipelinesCommand({ PipelineNamePrefix: 'list' }))).PipelineSummaries?.map((p) => p.PipelineName)).toEqual(['listed']);
    for (const name of ['m-one', 'm-two']) await sm.send(new CreateModelCommand({ ModelName: name, PrimaryContainer: { Image: 'img:1' }, ExecutionRoleArn: 'arn:aws:iam::111111111111:role/sm' }));
    const models = await sm.send(new ListModelsCommand({ SortBy: 'Name', SortOrder: 'Ascending', MaxResults: 1 }));
    expect([models.Models?.map((m) => m.ModelName), typeof models.NextToken]).toEqual([['m-one'], 'string']);
    expect((await sm.send(new ListModelsCommand({ NextToken: models.NextToken, SortBy: 'Name', SortOrder: 'Ascending' }))).Models?.map((m) => m.ModelName)).toEqual(['m-two']);
    await sm.send(new CreateEndpointConfigCommand({ EndpointConfigName: 'c-one', ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'm-one', InitialInstanceCount: 1, InstanceType: 'ml.m5.large' }] }));
    expect((await sm.send(new ListEndpointConfigsCommand({ NameContains: 'c-' }))).EndpointConfigs?.map((c) => c.EndpointConfigName)).toEqual(['c-one']);
    expect((await sm.send(new ListEndpointsCommand({ StatusEquals: 'InService' }))).Endpoints).toEqual([]);
    expect((await sm.send(new ListTrainingJobsCommand({ CreationTimeAfter: new Date(0) }))).TrainingJobSummaries).toEqual([]);
    expect((await sm.send(new ListProcessingJobsCommand({ CreationTimeBefore: new Date() }))).ProcessingJobSummaries).toEqual([]);
    await sm.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: 'fidelity' }));
    const { ModelPackageArn } = await sm.send(new CreateModelPackageCommand({
      ModelPackageGroupName: 'fidelity',
      InferenceSpecification: { Containers: [{ Image: 'img:1' }], SupportedContentTypes: ['text/csv'], SupportedResponseMIMETypes: ['text/csv'] },
    }));
    expect((await sm.send(new DescribeModelPackageCommand({ ModelPackageName: 'fidelity/1' }))).ModelPackageArn).toBe(ModelPackageArn);
    expect((await sm.send(new ListModelPackagesCommand({}))).ModelPackageSummaryList).toEqual([]);
  });

  it('lists ECR images and gets them by tag, and lists CloudWatch metrics with their units', async () => {
    const ecr = new ECRClient(config());
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'fidelity/images' }));
    await ecr.send(new PutImageCommand({ repositoryName: 'fidelity/images', imageManifest: '{"schemaVersion":2}', imageTag: 'v1' }));
    expect((await ecr.send(new ListImagesCommand({ repositoryName: 'fidelity/images', filter: { tagStatus: 'TAGGED' } }))).imageIds?.map((i) => i.imageTag)).toEqual(['v1']);
    const got = await ecr.send(new BatchGetImageCommand({ repositoryName: 'fidelity/images', imageIds: [{ imageTag: 'v1' }, { imageTag: 'v9' }] }));
    expect([got.images?.[0].imageManifest, got.failures?.[0].failureCode]).toEqual(['{"schemaVersion":2}', 'ImageNotFound']);

    const cw = new CloudWatchClient(config());
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const Dimensions = [{ Name: 'Job', Value: 'js' }];
    await cw.send(new PutMetricDataCommand({
      Namespace: 'Fidelity',
      MetricData: [
        { MetricName: 'Latency', Dimensions, Value: 120, Unit: 'Milliseconds', Timestamp: new Date(minute + 5_000) },
        { MetricName: 'Latency', Dimensions, Value: 3, Unit: 'Seconds', Timestamp: new Date(minute + 6_000) },
      ],
    }));
    const stats = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'Fidelity', MetricName: 'Latency', Dimensions, StartTime: new Date(minute + 1_000), EndTime: new Date(minute + 120_000), Period: 60, Statistics: ['Maximum'], Unit: 'Seconds' }));
    expect(stats.Datapoints?.map((d) => [d.Timestamp?.getTime(), d.Maximum, d.Unit])).toEqual([[minute, 3, 'Seconds']]);
    expect((await cw.send(new ListMetricsCommand({ Namespace: 'Fidelity', Dimensions: [{ Name: 'Job' }] }))).Metrics).toEqual([{ Namespace: 'Fidelity', MetricName: 'Latency', Dimensions }]);
  });
});

describe('CloudFormation lifecycle', () => {
  it('keeps what Retain says, and a deleted stack by id and in listings', async () => {
    const cfn = new CloudFormationClient(config());
    const TemplateBody = 'Resources:\n  Kept:\n    Type: AWS::S3::Bucket\n    DeletionPolicy: Retain\n    Properties: {BucketName: js-kept}\n  Gone:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: js-gone}\n';
    const { StackId } = await cfn.send(new CreateStackCommand({ StackName: 'js-retain', TemplateBody }));
    await until(async () => ((await cfn.send(new DescribeStacksCommand({ StackName: 'js-retain' }))).Stacks?.[0].StackStatus === 'CREATE_COMPLETE' ? true : undefined));
    await cfn.send(new DeleteStackCommand({ StackName: 'js-retain' }));
    const gone = await until(async () => {
      const s = (await cfn.send(new DescribeStacksCommand({ StackName: StackId }))).Stacks?.[0];
      return s?.StackStatus === 'DELETE_COMPLETE' ? s : undefined;
    });
    expect(gone.DeletionTime).toBeInstanceOf(Date);
    await expect(cfn.send(new DescribeStacksCommand({ StackName: 'js-retain' }))).rejects.toThrow('Stack with id js-retain does not exist');
    await cfn.send(new DeleteStackCommand({ StackName: StackId }));
    expect((await cfn.send(new ListStacksCommand({ StackStatusFilter: ['DELETE_COMPLETE'] }))).StackSummaries?.map((s) => s.StackId)).toEqual([StackId]);
    const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: StackId }))).StackEvents!.map((e) => `${e.LogicalResourceId}:${e.ResourceStatus}`);
    expect(events).toEqual(expect.arrayContaining(['Kept:DELETE_SKIPPED', 'Gone:DELETE_COMPLETE']));
    const s3 = new S3Client({ ...config(), forcePathStyle: true });
    await s3.send(new HeadBucketCommand({ Bucket: 'js-kept' }));
    await expect(s3.send(new HeadBucketCommand({ Bucket: 'js-gone' }))).rejects.toMatchObject({ name: 'NotFound' });
  });

  it('groups events by operation for DescribeEvents, and names the last operations', async () => {
    const cfn = new CloudFormationClient(config());
    const bucket = (name: string) => `  ${name}:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: js-ops-${name.toLowerCase()}}\n`;
    await cfn.send(new CreateChangeSetCommand({ StackName: 'js-ops', ChangeSetName: 'first', ChangeSetType: 'CREATE', TemplateBody: `Resources:\n${bucket('A')}` }));
    await until(async () => ((await cfn.send(new DescribeChangeSetCommand({ StackName: 'js-ops', ChangeSetName: 'first' }))).Status === 'CREATE_COMPLETE' ? true : undefined));
    await cfn.send(new ExecuteChangeSetCommand({ StackName: 'js-ops', ChangeSetName: 'first' }));
    const status = async () => (await cfn.send(new DescribeStacksCommand({ StackName: 'js-ops' }))).Stacks![0];
    const created = await until(async () => ((await status()).StackStatus === 'CREATE_COMPLETE' ? status() : undefined));
    const [create] = created.LastOperations!;
    expect(create.OperationType).toBe('CREATE_STACK');

    const byChangeSet = (await cfn.send(new DescribeEventsCommand({ StackName: 'js-ops', ChangeSetName: 'first' }))).OperationEvents!;
    expect(new Set(byChangeSet.map((e) => e.OperationType))).toEqual(new Set(['CREATE_CHANGESET', 'CREATE_STACK']));
    expect(byChangeSet[0]).toMatchObject({ EventType: 'STACK_EVENT', ResourceStatus: 'CREATE_COMPLETE', OperationId: create.OperationId, OperationStatus: 'SUCCEEDED' });
    expect(byChangeSet.map((e) => `${e.EventType}:${e.LogicalResourceId}:${e.ResourceStatus}`)).toEqual(expect.arrayContaining([
      'PROGRESS_EVENT:A:CREATE_COMPLETE', 'STACK_EVENT:js-ops:CREATE_IN_PROGRESS', 'STACK_EVENT:js-ops:REVIEW_IN_PROGRESS',
    ]));

    // An update whose new resource fails rolls back: two operations, the update FAILED and its rollback.
    await cfn.send(new UpdateStackCommand({ StackName: 'js-ops', TemplateBody: `Resources:\n${bucket('A')}  Bad:\n    Type: AWS::Nope::Thing\n` }));
    const rolledBack = await until(async () => ((await status()).StackStatus === 'UPDATE_ROLLBACK_COMPLETE' ? status() : undefined));
    const [rollback, update] = rolledBack.LastOperations!;
    expect([rollback.OperationType, update.OperationType]).toEqual(['ROLLBACK', 'UPDATE_STACK']);
    const failed = (await cfn.send(new DescribeEventsCommand({ OperationId: update.OperationId, Filters: { FailedEvents: true } }))).OperationEvents!;
    expect(failed.map((e) => [e.EventType, e.LogicalResourceId, e.ResourceStatus, e.OperationStatus])).toEqual([['PROVISIONING_ERROR', 'Bad', 'CREATE_FAILED', 'FAILED']]);
    const all = (await cfn.send(new DescribeEventsCommand({ StackName: 'js-ops' }))).OperationEvents!;
    expect(new Set(all.map((e) => e.OperationId)).size).toBe(4);

    await expect(cfn.send(new DescribeEventsCommand({}))).rejects.toThrow('One of ChangeSetName, OperationId or StackName must be specified');
    await expect(cfn.send(new DescribeEventsCommand({ StackName: 'js-nope' }))).rejects.toThrow('Stack [js-nope] does not exist');
    await expect(cfn.send(new DescribeEventsCommand({ StackName: 'js-ops', ChangeSetName: 'never' }))).rejects.toMatchObject({ name: 'ChangeSetNotFoundException' });
  });

  it('summarises a template as GetTemplateSummary does: parameters with constraints, types, capabilities', async () => {
    const cfn = new CloudFormationClient(config());
    const TemplateBody = [
      'AWSTemplateFormatVersion: "2010-09-09"', 'Description: two things', 'Metadata: {Owner: ml}',
      'Parameters:', '  Size: {Type: Number, Default: 2, Description: how many}', '  Mode: {Type: String, AllowedValues: [a, b], NoEcho: true}',
      'Resources:', '  Role:', '    Type: AWS::IAM::Role', '    Properties: {RoleName: js-summary, AssumeRolePolicyDocument: {}}',
      '  Odd:', '    Type: AWS::Nope::Thing',
    ].join('\n');
    const warnOnly = { TreatUnrecognizedResourceTypesAsWarnings: true };
    const out = await cfn.send(new GetTemplateSummaryCommand({ TemplateBody, TemplateSummaryConfig: warnOnly }));
    expect(out.Parameters).toEqual([
      { ParameterKey: 'Size', DefaultValue: '2', ParameterType: 'Number', NoEcho: false, Description: 'how many' },
      { ParameterKey: 'Mode', ParameterType: 'String', NoEcho: true, ParameterConstraints: { AllowedValues: ['a', 'b'] } },
    ]);
    expect(out).toMatchObject({
      Description: 'two things',
      Version: '2010-09-09',
      Metadata: '{"Owner":"ml"}',
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      ResourceTypes: ['AWS::IAM::Role', 'AWS::Nope::Thing'],
      Warnings: { UnrecognizedResourceTypes: ['AWS::Nope::Thing'] },
    });
    await expect(cfn.send(new GetTemplateSummaryCommand({ StackName: 'js-none' }))).rejects.toThrow('Stack with id js-none does not exist');
  });

  it('refuses a malformed template with CloudFormation\'s own texts', async () => {
    const cfn = new CloudFormationClient(config());
    const refused = (TemplateBody: string) => cfn.send(new ValidateTemplateCommand({ TemplateBody }));
    await expect(refused('Resources:\n  A: [unclosed\n')).rejects.toThrow(/^Template format error: YAML not well-formed\. \(line \d+, column \d+\)$/);
    await expect(refused('{"Resources": {')).rejects.toThrow(/^Template format error: JSON not well-formed\. \(line \d+, column \d+\)$/);
    await expect(refused('Description: nothing\n')).rejects.toThrow('Template format error: At least one Resources member must be defined.');
    await expect(refused('just text')).rejects.toThrow('Template format error: unsupported structure.');
    await expect(refused('Resources:\n  A: {Type: AWS::S3::Bucket}\nOutput: {}\n')).rejects.toThrow('Template format error: Invalid template property or properties [Output]');
    await expect(refused('Resources:\n  A: {Properties: {}}\n')).rejects.toThrow('Template format error: [/Resources/A] Every Resources object must contain a Type member.');
    await expect(cfn.send(new CreateChangeSetCommand({ StackName: 'js-bad', ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateBody: 'Resources: {}' })))
      .rejects.toMatchObject({ name: 'ValidationError', message: 'Template format error: At least one Resources member must be defined.' });
  });
});
