import { approveModel } from './approve.js';
import { readApproveConfig } from './inputs.js';
import type { ActionContext, ActionResult } from '../../lib/action.js';
import { gateTable } from '../../lib/metrics.js';
import { createModelClients, type ModelClients } from '../../lib/registry.js';
import { blocks, heading, keyValueTable } from '../../lib/summary.js';

export async function runApprove(
  ctx: ActionContext,
  makeClients: (region: string) => ModelClients = (region) => createModelClients(region, ctx.logger),
): Promise<ActionResult> {
  const config = readApproveConfig(ctx.env);
  const result = await approveModel(makeClients(config.region), config, ctx.logger);
  const summary = blocks(
    heading(`approve-model: ${config.group} v${config.version}`),
    keyValueTable({
      'Model package': config.arn,
      'Result': result.changed ? `✅ ${result.previousStatus} → ${config.status}` : `✅ already ${config.status}`,
      'Description': result.description ?? '—',
    }),
    result.gate && heading(`Gate (${config.environment.file})`, 3),
    result.gate && gateTable(result.gate),
  );
  return { outputs: { 'status': config.status, 'changed': result.changed, 'previous-status': result.previousStatus ?? '' }, summary };
}
