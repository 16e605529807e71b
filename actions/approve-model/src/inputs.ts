import type { ApproveConfig } from './approve.js';
import { GITHUB_LOGIN_PATTERN } from '../../../core/aws-names.js';
import { loadEnvironment } from '../../../core/environment/load.js';
import { UserError } from '../../../core/errors.js';
import * as z from '../../../core/zod.js';
import { input, parseInputs } from '../../lib/inputs.js';
import { PACKAGE_ARN, packageArnParts } from '../../lib/registry.js';
import { runUrl } from '../../lib/run-context.js';

export const inputSchema = z.object({
  'model-package-arn': input.matching(PACKAGE_ARN, 'a versioned model package ARN (arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>)'),
  'status': input.oneOf(['Approved', 'Rejected'] as const),
  'environment': input.text('prod'),
  'environments-dir': input.path('environments'),
  'approved-by': input.optionalWhere((v) => GITHUB_LOGIN_PATTERN.test(v), (v) => `must be a GitHub login, got '${v}'`),
  // Together they make the ApprovalDescription, which SageMaker limits to 1024 characters.
  'reason': input.limited(600, 'the reason goes into the ApprovalDescription, at most 1024 in all'),
  'run-url': input.optionalWhere((v) => /^https?:\/\/\S+$/.test(v) && v.length <= 300, (v) => `must be an http(s) URL of at most 300 characters, got '${v}'`),
});

/** The inputs, the environment file and the run's context, checked before any AWS call. */
export function readApproveConfig(env: NodeJS.ProcessEnv): ApproveConfig & { region: string; group: string; version: number } {
  const i = parseInputs(inputSchema, env);
  const environment = loadEnvironment(i.environment, i['environments-dir']);
  const { group, region, account, version } = packageArnParts(i['model-package-arn'])!;
  if (group !== environment.config.model.packageGroup || account !== environment.config.account) {
    throw new UserError(
      `Input 'model-package-arn' is in group ${group} of account ${account}, but ${environment.file} uses group ` +
        `${environment.config.model.packageGroup} in account ${environment.config.account}`,
    );
  }
  return {
    arn: i['model-package-arn'],
    status: i.status,
    actor: i['approved-by'] ?? env.GITHUB_ACTOR,
    runUrl: i['run-url'] ?? runUrl(env),
    reason: i.reason,
    environment,
    region,
    group,
    version,
  };
}
