import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { UserError } from '../../../core/errors.js';
import { input, parseInputs } from '../../lib/inputs.js';
import { parseKeyValues } from '../../lib/key-values.js';

const REPOSITORY = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

export const inputSchema = z.object({
  'context': input.required(),
  'repository': input.optional().refine((v) => v === undefined || (REPOSITORY.test(v) && v.length <= 256), {
    error: (i) => `must be an ECR repository name (lowercase letters, digits, . _ - and /), got '${String(i.input)}'`,
  }),
  'repository-prefix': input.text('sagemaker-gitops'),
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
  return {
    context: i.context,
    // By default a container folder maps to <prefix>/<folder>, as cloudformation/foundation.yaml names them.
    repository: i.repository ?? `${i['repository-prefix']}/${basename(i.context.replace(/\/+$/, ''))}`,
    platform: i.platform,
    buildArgs: parseKeyValues(i['build-args'] ?? '', "Input 'build-args'"),
    gitCommit: commit,
    region: i.region,
    timeoutMinutes: i['timeout-minutes'],
  };
}
