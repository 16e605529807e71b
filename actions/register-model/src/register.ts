import { createHash } from 'node:crypto';
import {
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  DeleteModelPackageGroupCommand,
  DescribeModelPackageGroupCommand,
  ListModelPackagesCommand,
  type CreateModelPackageInput,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import type { RegisterConfig } from './inputs.js';
import { awsErrorCode, UserError } from '../../../core/errors.js';
import type { Logger } from '../../lib/log.js';
import { describePackage, packageArnParts } from '../../lib/registry.js';
import { pollUntil, type Deadline } from '../../lib/wait.js';

export interface RegisterResult {
  arn: string;
  version: number;
  created: boolean;
  groupCreated: boolean;
}

// How many of the newest versions are searched for one registered from the same commit.
const SEARCH_DEPTH = 50;

async function ensureGroup(sagemaker: SageMakerClient, group: string, logger: Logger): Promise<boolean> {
  try {
    await sagemaker.send(new DescribeModelPackageGroupCommand({ ModelPackageGroupName: group }));
    return false;
  } catch (error) {
    if (awsErrorCode(error) !== 'ValidationException' || !/does not exist/i.test((error as Error).message)) throw error;
  }
  await sagemaker.send(
    new CreateModelPackageGroupCommand({ ModelPackageGroupName: group, ModelPackageGroupDescription: 'Created by sagemaker-gitops register-model' }),
  );
  logger.info(`Created model package group ${group}`);
  return true;
}

/** A version of the group registered from the same commit and model artifact, if any. */
async function findExisting(sagemaker: SageMakerClient, config: RegisterConfig): Promise<string | undefined> {
  const commit = config.metadata.git_commit;
  if (!commit) return undefined;
  let token: string | undefined;
  let seen = 0;
  do {
    const page = await sagemaker.send(
      new ListModelPackagesCommand({ ModelPackageGroupName: config.group, SortBy: 'CreationTime', SortOrder: 'Descending', MaxResults: 25, NextToken: token }),
    );
    for (const summary of page.ModelPackageSummaryList ?? []) {
      const pkg = await describePackage(sagemaker, summary.ModelPackageArn!);
      const sameArtifact = pkg.InferenceSpecification?.Containers?.[0]?.ModelDataUrl === config.modelDataUrl;
      if (pkg.CustomerMetadataProperties?.git_commit === commit && sameArtifact) {
        return summary.ModelPackageArn;
      }
      if (++seen >= SEARCH_DEPTH) return undefined;
    }
    token = page.NextToken;
  } while (token);
  return undefined;
}

function request(config: RegisterConfig): CreateModelPackageInput {
  const json = (uri: string) => ({ ContentType: 'application/json', S3Uri: uri });
  const dataQuality = config.statisticsUri && config.constraintsUri
    ? { Statistics: json(config.statisticsUri), Constraints: json(config.constraintsUri) }
    : undefined;
  return {
    ModelPackageGroupName: config.group,
    ModelPackageDescription: config.description ?? `Registered by sagemaker-gitops${config.metadata.git_commit ? ` from ${config.metadata.git_commit}` : ''}`,
    ModelApprovalStatus: config.approvalStatus,
    InferenceSpecification: {
      Containers: [{ Image: config.imageUri, ModelDataUrl: config.modelDataUrl }],
      SupportedContentTypes: ['text/csv', 'application/json'],
      SupportedResponseMIMETypes: ['text/csv', 'application/json'],
    },
    ModelMetrics: config.metricsUri || dataQuality
      ? { ModelQuality: config.metricsUri ? { Statistics: json(config.metricsUri) } : undefined, ModelDataQuality: dataQuality }
      : undefined,
    DriftCheckBaselines: dataQuality ? { ModelDataQuality: dataQuality } : undefined,
    CustomerMetadataProperties: Object.keys(config.metadata).length ? config.metadata : undefined,
    // A retried request with the same token registers no second version.
    ClientToken: createHash('sha256').update(`${config.group}|${config.metadata.git_commit ?? ''}|${config.modelDataUrl}`).digest('hex').slice(0, 32),
  };
}

/**
 * Creates the version. When that is refused right after this run created the group, the group is
 * deleted again, so a failed run leaves no empty group behind; the error says which happened.
 */
async function createPackage(sagemaker: SageMakerClient, config: RegisterConfig, groupCreated: boolean, logger: Logger) {
  try {
    return await sagemaker.send(new CreateModelPackageCommand(request(config)));
  } catch (error) {
    if (!groupCreated) throw error;
    const reason = (error as Error).message;
    try {
      await sagemaker.send(new DeleteModelPackageGroupCommand({ ModelPackageGroupName: config.group }));
      logger.info(`Deleted model package group ${config.group} again: this run created it and could not register into it`);
    } catch (undo) {
      throw new UserError(`CreateModelPackage failed: ${reason}. The model package group ${config.group}, created by this run, is left empty: deleting it failed (${(undo as Error).message})`);
    }
    throw new UserError(`CreateModelPackage failed: ${reason}. The model package group ${config.group}, created by this run, was deleted again; nothing changed`);
  }
}

/** Registers a version for a model trained outside the pipeline; the same commit never registers twice. */
export async function registerModel(sagemaker: SageMakerClient, config: RegisterConfig, logger: Logger, deadline: Deadline): Promise<RegisterResult> {
  const groupCreated = await ensureGroup(sagemaker, config.group, logger);
  const existing = groupCreated ? undefined : await findExisting(sagemaker, config);
  if (existing) {
    logger.info(`${existing} was already registered from commit ${config.metadata.git_commit}; nothing to do`);
    return { arn: existing, version: packageArnParts(existing)!.version, created: false, groupCreated };
  }
  const out = await createPackage(sagemaker, config, groupCreated, logger);
  const arn = out.ModelPackageArn!;
  logger.info(`Registered ${arn}`);
  await pollUntil({
    what: `model package ${arn} to be Completed`,
    deadline,
    logger,
    initialDelayMs: 1_000,
    maxDelayMs: 10_000,
    check: async () => {
      const pkg = await describePackage(sagemaker, arn);
      if (pkg.ModelPackageStatus === 'Completed') return { done: true, value: pkg };
      if (pkg.ModelPackageStatus === 'Failed') {
        const details = (pkg.ModelPackageStatusDetails?.ValidationStatuses ?? []).map((s) => `${s.Name}: ${s.FailureReason ?? s.Status}`).join('; ');
        throw new UserError(`Model package ${arn} failed${details ? `: ${details}` : ''}`);
      }
      return { done: false, status: pkg.ModelPackageStatus ?? 'Unknown' };
    },
  });
  return { arn, version: packageArnParts(arn)?.version ?? 0, created: true, groupCreated };
}
