import { readEnvironment } from './inputs.js';
import { pinnedModelPackageArn } from '../../../core/environment/parameters.js';
import type { ActionContext, ActionResult } from '../../lib/action.js';

/**
 * What a workflow needs of an environment file before it can call AWS: the role to assume through
 * OIDC and the region (for configure-aws-credentials), the account, and the pinned model version.
 */
export async function runEnvironment(ctx: ActionContext): Promise<ActionResult> {
  const environment = readEnvironment(ctx.env);
  const c = environment.config;
  ctx.logger.info(`${environment.file}: account ${c.account}, ${c.region}, model ${c.model.packageGroup} ${c.model.version === null ? '(none pinned)' : `v${c.model.version}`}`);
  return {
    outputs: {
      'role-to-assume': c.roleToAssume,
      'region': c.region,
      'account': c.account,
      'model-package-group': c.model.packageGroup,
      'model-version': c.model.version === null ? '' : c.model.version,
      'model-package-arn': pinnedModelPackageArn(environment) ?? '',
      'deployment-strategy': c.deployment.strategy,
    },
  };
}
