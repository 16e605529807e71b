import type { Change } from '@aws-sdk/client-cloudformation';
import type { DeployResult } from './deploy.js';
import { describeChange, isDestructive } from './destructive.js';
import type { DeploymentPlan } from './plan.js';
import type { Preview } from './preview.js';
import { blocks, heading, keyValueTable, table } from '../../lib/summary.js';
import { formatDuration } from '../../lib/time.js';

function verdict(result: DeployResult, failure?: string): string {
  if (failure) return `❌ Failed${result.status ? ` (${result.status})` : ''}`;
  if (!result.changed) return '✅ No changes';
  return `✅ ${result.changeSet?.type === 'CREATE' ? 'Created' : 'Updated'} (${result.status})`;
}

/** The job summary of one deploy: what changed, how it ended, the endpoints and the outputs. */
export function renderSummary(plan: DeploymentPlan, result: DeployResult, failure?: string): string {
  const environment = plan.environment;
  const overview: Record<string, unknown> = {
    'Stack': plan.stackName,
    'Environment': environment ? `${environment.name} (${environment.file})` : '—',
    'Region': plan.region,
    'Template': plan.templatePath,
    'Result': verdict(result, failure),
    'Change set': result.changeSet ? `${result.changeSet.changeSetName} (${result.changeSet.type})` : '—',
    'Duration': result.finishedAt ? formatDuration(result.finishedAt.getTime() - result.startedAt.getTime()) : '—',
  };
  if (result.recreated) overview.Note = 'The stack was in ROLLBACK_COMPLETE; it was deleted and created again';

  const changes = result.changes.length
    ? table(
      ['Action', 'Logical ID', 'Type', 'Replacement'],
      result.changes.map((c) => [c.ResourceChange?.Action, c.ResourceChange?.LogicalResourceId, c.ResourceChange?.ResourceType, c.ResourceChange?.Replacement ?? '']),
    )
    : undefined;
  const endpoints = result.endpoints.length
    ? table(
      ['Endpoint', 'Status', 'Endpoint config', 'Deployed config', 'Check'],
      result.endpoints.map((e) => [e.endpointName, e.status, e.configName, e.expectedConfigName, e.ok ? '✅' : `❌ ${e.problem}`]),
    )
    : undefined;
  const outputs = Object.keys(result.outputs).length ? keyValueTable(result.outputs, ['Output', 'Value']) : undefined;
  const f = result.failedEvent;
  const failed = f
    ? table(['Resource', 'Type', 'Status', 'Reason'], [[f.LogicalResourceId, f.ResourceType, f.ResourceStatus, f.ResourceStatusReason]])
    : undefined;

  const refused = result.refused?.length ? `**⚠️ Refused, nothing changed:** ${result.refused.map(describeChange).join(', ')}` : undefined;
  return blocks(
    heading(`deploy-stack: ${plan.stackName}`),
    keyValueTable(overview),
    refused,
    failure && `**Error:** ${failure}`,
    failed && heading('First failed resource', 3),
    failed,
    changes && heading('Changes', 3),
    changes,
    endpoints && heading('Endpoints', 3),
    endpoints,
    outputs && heading('Outputs', 3),
    outputs,
  );
}

const changeRow = (c: Change) => {
  const rc = c.ResourceChange ?? {};
  const flag = rc.Action === 'Remove' ? '⚠️ removed' : rc.Replacement === 'True' ? '⚠️ replaced' : rc.Replacement === 'Conditional' ? '⚠️ may be replaced' : '';
  return [flag, rc.Action, rc.LogicalResourceId, rc.ResourceType, rc.Replacement ?? ''];
};

/**
 * The plan a reviewer approves: for one stack, what a deploy would create, change, replace or
 * remove, with everything destructive named first. The same Markdown goes to the job summary
 * and the plan-markdown output (for a pull-request comment).
 */
export function renderPlan(plan: DeploymentPlan, preview: Preview): string {
  const environment = plan.environment;
  const destructive = preview.changes.filter(isDestructive);
  const what = preview.empty
    ? '✅ No changes'
    : preview.recreate
      ? `⚠️ Re-creates the stack (it is in ROLLBACK_COMPLETE): ${preview.changes.length} resource(s)`
      : `${preview.type === 'CREATE' ? 'Creates the stack' : 'Updates the stack'}: ${preview.changes.length} change(s)`;
  const destroys = destructive.length
    ? `**⚠️ Removes or replaces:** ${destructive.map((c) => `\`${c.ResourceChange?.LogicalResourceId}\` (${c.ResourceChange?.ResourceType})`).join(', ')}`
    : undefined;
  return blocks(
    heading(`Plan: ${plan.stackName}${environment ? ` (${environment.name})` : ''}`, 3),
    keyValueTable({
      Stack: plan.stackName,
      Environment: environment ? `${environment.name} (${environment.file})` : '—',
      Region: plan.region,
      Template: plan.templatePath,
      Plan: what,
    }),
    destroys,
    preview.changes.length > 0 && table(['', 'Action', 'Logical ID', 'Type', 'Replacement'], preview.changes.map(changeRow)),
  );
}
