import type { S3Client } from '@aws-sdk/client-s3';
import {
  DescribeModelPackageCommand,
  ListModelPackagesCommand,
  SageMakerClient,
  type DescribeModelPackageCommandOutput,
  type ModelPackageSummary,
} from '@aws-sdk/client-sagemaker';
import { createClient, lazyClient, type Sender } from './aws.js';
import type { Logger } from './log.js';
import { metricsFromStatistics, type Metrics } from './metrics.js';
import { awsErrorCode, UserError } from '../../core/errors.js';

export const PACKAGE_ARN = /^arn:aws[a-z-]*:sagemaker:([a-z0-9-]+):(\d{12}):model-package\/([a-zA-Z0-9](?:-*[a-zA-Z0-9]){0,62})\/(\d+)$/;

export function packageArnParts(arn: string): { region: string; account: string; group: string; version: number } | undefined {
  const m = arn.match(PACKAGE_ARN);
  return m ? { region: m[1], account: m[2], group: m[3], version: Number(m[4]) } : undefined;
}

/**
 * The newest Approved version in a group. SageMaker can return empty pages with a NextToken
 * when filtering, so paging continues until a package appears or the pages end.
 */
export async function latestApprovedPackage(sagemaker: SageMakerClient, group: string): Promise<ModelPackageSummary | undefined> {
  let token: string | undefined;
  do {
    const page = await sagemaker.send(
      new ListModelPackagesCommand({
        ModelPackageGroupName: group,
        ModelApprovalStatus: 'Approved',
        SortBy: 'CreationTime',
        SortOrder: 'Descending',
        MaxResults: 1,
        NextToken: token,
      }),
    );
    if (page.ModelPackageSummaryList?.length) return page.ModelPackageSummaryList[0];
    token = page.NextToken;
  } while (token);
  return undefined;
}

export async function describePackage(sagemaker: SageMakerClient, arn: string): Promise<DescribeModelPackageCommandOutput> {
  try {
    return await sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
  } catch (error) {
    if (awsErrorCode(error) === 'ValidationException' && /does not exist|not found/i.test((error as Error).message)) {
      throw new UserError(`Model package ${arn} does not exist`);
    }
    throw error;
  }
}

/** The model-quality metrics a package was registered with (ModelMetrics.ModelQuality.Statistics). */
export async function packageMetrics(s3: Sender<S3Client>, pkg: DescribeModelPackageCommandOutput): Promise<Metrics> {
  const uri = pkg.ModelMetrics?.ModelQuality?.Statistics?.S3Uri;
  if (!uri) throw new UserError(`Model package ${pkg.ModelPackageArn} has no ModelMetrics.ModelQuality.Statistics to gate on`);
  const { readS3Json } = await import('./s3-object.js');
  return metricsFromStatistics(await readS3Json(s3, uri, `the metrics of ${pkg.ModelPackageArn}`), uri);
}

/** SageMaker and the S3 objects its models and metrics live in: what every action about models calls. */
export interface ModelClients {
  sagemaker: SageMakerClient;
  s3: Sender<S3Client>;
}

export function createModelClients(region: string, logger: Logger): ModelClients {
  // The first call of every model action is SageMaker's; S3 loads when metrics are read.
  const s3 = lazyClient(() => import('./s3-object.js').then((m) => m.S3Client), { region, logger });
  return { sagemaker: createClient(SageMakerClient, { region, logger }), s3 };
}
