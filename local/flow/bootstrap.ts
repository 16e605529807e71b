// What a platform team does once before the first deploy, done against the twin: in each
// environment's account (through its deploy role, as the bootstrap would with admin credentials),
// the foundation stack (bucket, registry group, image repositories, execution role), and a model
// version in its registry so that a pin has something to deploy.
import { readFileSync } from 'node:fs';
import { CreateStackCommand, CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateModelPackageCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { contentHash } from '../../core/content-hash.js';
import type { LoadedEnvironment } from '../../core/environment/load.js';

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

/**
 * Registers a trained model as the next version of the environment's group, with its evaluation
 * (SageMaker's model-quality statistics, what the gate and approve-model read); returns its ARN.
 */
export async function registerVersion(
  account: AccountClients, environment: LoadedEnvironment, bucket: string, model: Buffer, version: string, metrics: Record<string, number>,
): Promise<string> {
  const key = `models/${version}/model.tar.gz`;
  const s3 = new S3Client(account);
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: model }));
  const evaluation = `models/${version}/evaluation.json`;
  const byName = Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, { value: v, standard_deviation: 0 }]));
  const statistics = { binary_classification_metrics: byName };
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: evaluation, Body: JSON.stringify(statistics) }));
  // The inference image of this checkout, by the content tag build-image gives it.
  const tag = `content-${contentHash('containers/inference').slice(0, 16)}`;
  const image = `${environment.config.account}.dkr.ecr.${account.region}.amazonaws.com/sagemaker-gitops/inference:${tag}`;
  const out = await new SageMakerClient(account).send(new CreateModelPackageCommand({
    ModelPackageGroupName: environment.config.model.packageGroup,
    ModelApprovalStatus: 'PendingManualApproval',
    InferenceSpecification: { Containers: [{ Image: image, ModelDataUrl: `s3://${bucket}/${key}` }], SupportedContentTypes: ['text/csv'], SupportedResponseMIMETypes: ['text/csv'] },
    ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: `s3://${bucket}/${evaluation}` } } },
  }));
  return out.ModelPackageArn!;
}
