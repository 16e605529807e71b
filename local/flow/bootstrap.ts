// What a platform team does once before the first deploy, done against the twin: in each
// environment's account (through its deploy role, as the bootstrap would with admin credentials),
// the foundation stack (bucket, registry group, image repositories, execution role), and a model
// version in its registry so that a pin has something to deploy.
import { readFileSync } from 'node:fs';
import { CreateStackCommand, CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateModelPackageCommand, DescribeModelPackageCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { contentHash } from '../../core/content-hash.js';
import type { LoadedEnvironment } from '../../core/environment/load.js';
import { parseS3Uri } from '../../core/s3-uri.js';

export interface AccountClients {
  region: string;
  endpoint: string;
  forcePathStyle: true;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
}

const FOUNDATION = 'sagemaker-gitops-foundation';

/** Client options acting in the environment's account as its deploy role. */
export async function accountOf(twinUrl: string, environment: LoadedEnvironment): Promise<AccountClients> {
  const region = environment.config.region;
  const sts = new STSClient({ region, endpoint: twinUrl, credentials: { accessKeyId: 'bootstrap', secretAccessKey: 'bootstrap' } });
  const assume = new AssumeRoleWithWebIdentityCommand({ RoleArn: environment.config.roleToAssume, RoleSessionName: 'bootstrap', WebIdentityToken: 'bootstrap' });
  const out = await sts.send(assume);
  const c = out.Credentials!;
  const credentials = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
  return { region, endpoint: twinUrl, forcePathStyle: true, credentials };
}

/** Creates the foundation stack and waits for it; returns its outputs. */
export async function bootstrapFoundation(account: AccountClients, environment: LoadedEnvironment, pollMs = 200): Promise<Record<string, string>> {
  const cfn = new CloudFormationClient(account);
  await cfn.send(new CreateStackCommand({
    StackName: FOUNDATION,
    TemplateBody: readFileSync('cloudformation/foundation.yaml', 'utf8'),
    Parameters: [{ ParameterKey: 'ModelPackageGroupName', ParameterValue: environment.config.model.packageGroup }],
    Capabilities: ['CAPABILITY_NAMED_IAM'],
  }));
  for (;;) {
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: FOUNDATION }))).Stacks![0];
    if (stack.StackStatus === 'CREATE_COMPLETE') return Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue ?? '']));
    if (!stack.StackStatus?.endsWith('_IN_PROGRESS')) throw new Error(`${FOUNDATION} in ${environment.config.account}: ${stack.StackStatus} ${stack.StackStatusReason ?? ''}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** The inference image of this checkout in an account's registry, by the content tag build-image gives it. */
export function inferenceImage(account: AccountClients, environment: LoadedEnvironment): string {
  const tag = `content-${contentHash('containers/inference').slice(0, 16)}`;
  return `${environment.config.account}.dkr.ecr.${account.region}.amazonaws.com/sagemaker-gitops/inference:${tag}`;
}

/**
 * Registers a trained model as the next version of the environment's group, with its evaluation
 * (SageMaker's model-quality statistics, what the gate and approve-model read); returns its ARN.
 * It must come out as `version`, so that one number names the model in every account.
 */
export async function registerVersion(
  account: AccountClients, environment: LoadedEnvironment, bucket: string, model: Buffer, version: string, metrics: Record<string, number>,
  image = inferenceImage(account, environment),
): Promise<string> {
  const key = `models/${version}/model.tar.gz`;
  const s3 = new S3Client(account);
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: model }));
  const evaluation = `models/${version}/evaluation.json`;
  const byName = Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, { value: v, standard_deviation: 0 }]));
  const statistics = { binary_classification_metrics: byName };
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: evaluation, Body: JSON.stringify(statistics) }));
  const out = await new SageMakerClient(account).send(new CreateModelPackageCommand({
    ModelPackageGroupName: environment.config.model.packageGroup,
    ModelApprovalStatus: 'PendingManualApproval',
    InferenceSpecification: { Containers: [{ Image: image, ModelDataUrl: `s3://${bucket}/${key}` }], SupportedContentTypes: ['text/csv'], SupportedResponseMIMETypes: ['text/csv'] },
    ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: `s3://${bucket}/${evaluation}` } } },
  }));
  const arn = out.ModelPackageArn!;
  if (!arn.endsWith(`/${version}`)) throw new Error(`${environment.name}: registering ${version} gave ${arn}; the accounts' registries are out of step`);
  return arn;
}

/** The model artifact and metrics a registered version points at. */
export async function readVersion(account: AccountClients, arn: string): Promise<{ model: Buffer; metrics: Record<string, number> }> {
  const pkg = await new SageMakerClient(account).send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
  const s3 = new S3Client(account);
  const get = async (uri: string) => {
    const { bucket, key } = parseS3Uri(uri, `${arn}'s S3 location`);
    return Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray());
  };
  const model = await get(pkg.InferenceSpecification!.Containers![0].ModelDataUrl!);
  const statistics = JSON.parse((await get(pkg.ModelMetrics!.ModelQuality!.Statistics!.S3Uri!)).toString()) as {
    binary_classification_metrics: Record<string, { value?: unknown }>;
  };
  // Model quality statistics also hold curves and matrices; the metrics are the entries with a number value.
  const metrics = Object.entries(statistics.binary_classification_metrics).filter(([, v]) => typeof v?.value === 'number');
  return { model, metrics: Object.fromEntries(metrics.map(([k, v]) => [k, v.value as number])) };
}

/** Puts the sample data where model-build trains from: s3://<bucket>/data/churn/latest/. */
export async function uploadTrainingData(account: AccountClients, bucket: string): Promise<string> {
  await new S3Client(account).send(new PutObjectCommand({ Bucket: bucket, Key: 'data/churn/latest/sample.csv', Body: readFileSync('containers/data/sample.csv') }));
  return `s3://${bucket}/data/churn/latest/`;
}
