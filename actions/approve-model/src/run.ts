import { z } from 'zod';
import { approveModel } from './approve.js';
import { loadEnvironment } from '../../../core/environment/load.js';
import { UserError } from '../../../core/errors.js';
import type { ActionResult } from '../../lib/action.js';
import { input, parseInputs } from '../../lib/inputs.js';
import type { Logger } from '../../lib/log.js';
import { gateTable } from '../../lib/metrics.js';
import { PACKAGE_ARN, packageArnParts, createRegistryClients, type RegistryClients } from '../../lib/registry.js';
import { runUrl } from '../../lib/run-context.js';
import { blocks, heading, keyValueTable } from '../../lib/summary.js';

export const ApproveInputs = z.object({
  'model-package-arn': input.matching(PACKAGE_ARN, 'a versioned model package ARN (arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>)'),
  'status': input.oneOf(['Approved', 'Rejected'] as const),
  'environment': input.optional(),
  'environments-dir': input.optional(),
  'approved-by': input.optional(),
  'reason': input.optional(),
  'run-url': input.optional(),
});


export async function runApprove(
  env: NodeJS.ProcessEnv,
  logger: Logger,
  makeClients: (region: string) => RegistryClients = (region) => createRegistryClients(region, logger),
): Promise<ActionResult> {
  const i = parseInputs(ApproveInputs, env);
  const environment = loadEnvironment(i.environment ?? 'prod', i['environments-dir'] ?? 'environments');
  const { group, region, account } = packageArnParts(i['model-package-arn'])!;
  if (group !== environment.config.model.packageGroup || account !== environment.config.account) {
    throw new UserError(
      `Input 'model-package-arn' is in group ${group} of account ${account}, but ${environment.file} uses group ` +
        `${environment.config.model.packageGroup} in account ${environment.config.account}`,
    );
  }
  const config = {
    arn: i['model-package-arn'],
    status: i.status,
    actor: i['approved-by'] ?? env.GITHUB_ACTOR,
    runUrl: i['run-url'] ?? runUrl(env),
    reason: i.reason,
    environment,
  };
  const result = await approveModel(makeClients(region), config, logger);
  const summary = blocks(
    heading(`approve-model: ${group} v${packageArnParts(config.arn)!.version}`),
    keyValueTable({
      'Model package': config.arn,
      'Result': result.changed ? `✅ ${result.previousStatus} → ${config.status}` : `✅ already ${config.status}`,
      'Description': result.description ?? '—',
    }),
    result.gate && heading(`Gate (${environment.file})`, 3),
    result.gate && gateTable(result.gate),
  );
  return { outputs: { 'status': config.status, 'changed': result.changed, 'previous-status': result.previousStatus ?? '' }, summary };
}
