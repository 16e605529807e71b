import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetAuthorizationTokenCommand,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import { docker } from './docker.js';
import type { BuildConfig } from './inputs.js';
import { contentHash } from '../../../core/content-hash.js';
import { awsErrorCode, UserError } from '../../../core/errors.js';
import type { Logger } from '../../lib/log.js';
import type { Deadline } from '../../lib/wait.js';

export interface BuildResult {
  repositoryUri: string;
  tag: string;
  gitTag?: string;
  digest: string;
  imageUri: string;
  built: boolean;
  repositoryCreated: boolean;
}

/** The tag an image gets from its folder's content: equal content, equal tag. */
export function contentTag(folder: string): string {
  return `content-${contentHash(folder).slice(0, 16)}`;
}

async function ensureRepository(ecr: ECRClient, name: string, logger: Logger): Promise<{ uri: string; created: boolean }> {
  try {
    const out = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
    return { uri: out.repositories![0].repositoryUri!, created: false };
  } catch (error) {
    if (awsErrorCode(error) !== 'RepositoryNotFoundException') throw error;
  }
  const out = await ecr.send(
    new CreateRepositoryCommand({ repositoryName: name, imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: 'IMMUTABLE' }),
  );
  logger.info(`Created ECR repository ${name} (scan on push, immutable tags)`);
  return { uri: out.repository!.repositoryUri!, created: true };
}

async function digestOf(ecr: ECRClient, repository: string, tag: string): Promise<string | undefined> {
  try {
    const out = await ecr.send(new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageTag: tag }] }));
    return out.imageDetails?.[0]?.imageDigest;
  } catch (error) {
    if (awsErrorCode(error) === 'ImageNotFoundException') return undefined;
    throw error;
  }
}

/** Builds and pushes the container unless an image with its content tag already exists. */
export async function buildImage(
  ecr: ECRClient,
  config: BuildConfig,
  logger: Logger,
  deadline: Deadline,
  env: NodeJS.ProcessEnv,
): Promise<BuildResult> {
  const tag = contentTag(config.context);
  const repo = await ensureRepository(ecr, config.repository, logger);
  const existing = await digestOf(ecr, config.repository, tag);
  if (existing) {
    logger.info(`${repo.uri}:${tag} exists (${existing}); the content of ${config.context} is unchanged, nothing to build`);
    return { repositoryUri: repo.uri, tag, digest: existing, imageUri: `${repo.uri}@${existing}`, built: false, repositoryCreated: repo.created };
  }

  const auth = (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData?.[0];
  const [user, password] = Buffer.from(auth?.authorizationToken ?? '', 'base64').toString().split(':');
  if (!user || !password || !auth?.proxyEndpoint) throw new UserError('ECR returned no usable authorization token');
  logger.mask(password);
  const registry = auth.proxyEndpoint.replace(/^https?:\/\//, '');
  await docker(['login', '--username', user, '--password-stdin', registry], { logger, deadline, stdin: password, env });

  const gitTag = config.gitCommit ? `git-${config.gitCommit.slice(0, 12)}` : undefined;
  const args = ['buildx', 'build', '--platform', config.platform, '--tag', `${repo.uri}:${tag}`];
  if (gitTag) args.push('--tag', `${repo.uri}:${gitTag}`);
  for (const [k, v] of Object.entries(config.buildArgs)) args.push('--build-arg', `${k}=${v}`);
  // The GitHub Actions cache needs the runtime token the runner gives JavaScript actions.
  if (env.ACTIONS_RUNTIME_TOKEN && (env.ACTIONS_CACHE_URL || env.ACTIONS_RESULTS_URL)) {
    const scope = config.repository.replace(/[^a-zA-Z0-9-]/g, '-');
    args.push('--cache-from', `type=gha,scope=${scope}`, '--cache-to', `type=gha,mode=max,scope=${scope}`);
  } else {
    logger.info('No GitHub Actions cache service in this environment; building without a layer cache');
  }
  // SageMaker accepts single-platform Docker manifests, not the image index attestations create.
  args.push('--provenance=false', '--sbom=false', '--push', config.context);
  await docker(args, { logger, deadline, env });

  const digest = await digestOf(ecr, config.repository, tag);
  if (!digest) throw new UserError(`The push of ${repo.uri}:${tag} finished but ECR does not list the image`);
  return { repositoryUri: repo.uri, tag, gitTag, digest, imageUri: `${repo.uri}@${digest}`, built: true, repositoryCreated: repo.created };
}
