import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { ECR_REPOSITORY_MAX, ECR_REPOSITORY_PATTERN } from '../../../core/aws-names.js';
import { UserError } from '../../../core/errors.js';
import { input, parseInputs } from '../../lib/inputs.js';
import { parseKeyValues } from '../../lib/key-values.js';

export const inputSchema = z.object({
  'context': input.path(),
  'repository': input.optional().refine((v) => v === undefined || (ECR_REPOSITORY_PATTERN.test(v) && v.length <= ECR_REPOSITORY_MAX), {
    error: (i) => `must be an ECR repository name (lowercase letters, digits, . _ - and /), got '${String(i.input)}'`,
  }),
  'repository-prefix': input.text('sagemaker-gitops').refine((v) => ECR_REPOSITORY_PATTERN.test(v) && v.length < ECR_REPOSITORY_MAX, {
    error: (i) => `must be the start of an ECR repository name (lowercase letters, digits, . _ - and /, no / at either end), got '${String(i.input)}'`,
  }),
  'platform': input.matching(/^linux\/(amd64|arm64)$/, 'linux/amd64 or linux/arm64').optional().default('linux/amd64'),
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
