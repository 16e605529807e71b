import { z } from 'zod';
import { BUCKET_NAME_PATTERN, REGION_PATTERN } from '../../../core/aws-names.js';
import { input, parseInputs } from '../../lib/inputs.js';

export const CAPABILITIES = ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'] as const;

export const DeployInputs = z.object({
  'template': input.required(),
  'stack-name': input.matching(/^[A-Za-z][A-Za-z0-9-]{0,127}$/, 'a stack name: letters, digits and hyphens, starting with a letter, at most 128'),
  'environment': input.optional(),
  'environments-dir': input.optional(),
  'parameter-overrides': input.optional(),
  'capabilities': input.list(CAPABILITIES, ['CAPABILITY_IAM']),
  'tags': input.optional(),
  'fail-on-empty-changeset': input.boolean(false),
  'timeout-minutes': input.integer(1, 360, 60),
  'template-bucket': input
    .optional()
    .refine((v) => v === undefined || BUCKET_NAME_PATTERN.test(v), {
      error: (iss) => `must be an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens), got '${String(iss.input)}'`,
    }),
  'region': input
    .optional()
    .refine((v) => v === undefined || REGION_PATTERN.test(v), {
      error: (iss) => `must be an AWS region like us-east-1, got '${String(iss.input)}'`,
    }),
});

export type DeployInputs = z.output<typeof DeployInputs>;

export function readDeployInputs(env: NodeJS.ProcessEnv = process.env): DeployInputs {
  return parseInputs(DeployInputs, env);
}
