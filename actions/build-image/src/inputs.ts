import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ECR_REPOSITORY_MAX, ECR_REPOSITORY_PATTERN } from '../../../core/aws-names.js';
import { UserError } from '../../../core/errors.js';
import * as z from '../../../core/zod.js';
import { input, parseInputs } from '../../lib/inputs.js';
import { parseKeyValues } from '../../lib/key-values.js';

export const inputSchema = z.object({
  'context': input.path(),
  'repository': input.optionalWhere(
    (v) => ECR_REPOSITORY_PATTERN.test(v) && v.length <= ECR_REPOSITORY_MAX,
    (v) => `must be an ECR repository name (lowercase letters, digits, . _ - and /), got '${v}'`,
  ),
  'repository-prefix': input.textWhere(
    'sagemaker-gitops',
    (v) => ECR_REPOSITORY_PATTERN.test(v) && v.length < ECR_REPOSITORY_MAX,
    (v) => `must be the start of an ECR repository name (lowercase letters, digits, . _ - and /, no / at either end), got '${v}'`,
  ),
  'platform': input.matchingOr(/^linux\/(amd64|arm64)$/, 'linux/amd64 or linux/arm64', 'linux/amd64'),
  'build-args': input.multiline(),
  'git-commit': input.optional(),
  'region': input.region(),
  'timeout-minutes': input.integer(1, 180, 60),
});

export interface BuildConfig {
  context: string;
  repository: string;
  platform: string;
  buildArgs: Record<string, string>;
  gitCommit?: string;
  region?: string;
  timeoutMinutes: number;
}

export function readBuildConfig(env: NodeJS.ProcessEnv): BuildConfig {
  const i = parseInputs(inputSchema, env);
  if (!existsSync(join(i.context, 'Dockerfile'))) throw new UserError(`Input 'context': ${i.context} has no Dockerfile`);
  const commit = i['git-commit'] ?? env.GITHUB_SHA;
  if (commit !== undefined && !/^[0-9a-f]{7,40}$/.test(commit)) throw new UserError(`Input 'git-commit' must be a commit SHA, got '${commit}'`);
  // By default a container folder maps to <prefix>/<folder>, as cloudformation/foundation.yaml names them.
  const repository = i.repository ?? `${i['repository-prefix']}/${basename(i.context.replace(/\/+$/, ''))}`;
  if (!ECR_REPOSITORY_PATTERN.test(repository) || repository.length > ECR_REPOSITORY_MAX) {
    throw new UserError(`Input 'context': the folder name makes ECR repository '${repository}', which ECR refuses (lowercase letters, digits, . _ -); set 'repository'`);
  }
  return {
    context: i.context,
    repository,
    platform: i.platform,
    buildArgs: parseKeyValues(i['build-args'] ?? '', "Input 'build-args'"),
    gitCommit: commit,
    region: i.region,
    timeoutMinutes: i['timeout-minutes'],
  };
}
