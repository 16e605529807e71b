import { GitHub } from './github.js';
import { readPromoteConfig } from './inputs.js';
import { promote } from './promote.js';
import type { ActionContext, ActionResult } from '../../lib/action.js';
import { createModelClients, type ModelClients } from '../../lib/registry.js';
import { blocks, heading, keyValueTable } from '../../lib/summary.js';

export async function runPromote(
  ctx: ActionContext,
  makeClients: (region: string) => ModelClients = (region) => createModelClients(region, ctx.logger),
  fetchImpl: typeof fetch = fetch,
): Promise<ActionResult> {
  const config = readPromoteConfig(ctx.env);
  ctx.logger.mask(config.github.token);
  const result = await promote(new GitHub(config.github, ctx.logger, fetchImpl), makeClients(config.region), config, ctx.logger);
  const summary = blocks(
    heading(`promote: ${config.group} v${config.version}`),
    keyValueTable({
      'Pull request': `[#${result.pullRequest.number}](${result.pullRequest.html_url}) (${result.created ? 'opened' : 'updated'})`,
      'Branch': result.branch,
      'Pins changed': result.changed.length ? result.changed.join(', ') : 'none (already pinned)',
    }),
    result.body,
  );
  return {
    outputs: { 'pull-request-number': result.pullRequest.number, 'pull-request-url': result.pullRequest.html_url, 'branch': result.branch, 'created': result.created },
    summary,
  };
}
