import { gateMetrics, type GateReport } from './gate.js';
import { readGateConfig } from './inputs.js';
import { FailureWithSummary, type ActionContext, type ActionResult } from '../../lib/action.js';
import { pullRequestTarget, upsertComment } from '../../lib/github-comment.js';
import { gateTable } from '../../lib/metrics.js';
import { createModelClients, type ModelClients } from '../../lib/registry.js';
import { blocks, heading, keyValueTable } from '../../lib/summary.js';

export function renderGate(report: GateReport, environment: string): string {
  return blocks(
    heading(`Model gate for ${environment}: ${report.passed ? '✅ passed' : '❌ failed'}`),
    keyValueTable({
      Challenger: report.challenger.source,
      Champion: report.champion ? `${report.champion.arn} (${report.champion.how})` : 'none: thresholds only',
    }),
    gateTable(report),
  );
}

export async function runGate(
  ctx: ActionContext,
  makeClients: (region: string) => ModelClients = (region) => createModelClients(region, ctx.logger),
  fetchImpl: typeof fetch = fetch,
): Promise<ActionResult> {
  const config = readGateConfig(ctx.env);
  const report = await gateMetrics(makeClients(config.region), config, ctx.logger);
  const environment = config.environment.name;
  const markdown = renderGate(report, environment);
  const target = config.comment ? pullRequestTarget(ctx.env, config.githubToken) : undefined;
  if (target) await upsertComment(target, `<!-- sagemaker-gitops:gate-metrics:${environment} -->`, markdown, ctx.logger, fetchImpl);
  const outputs = { passed: report.passed, report: JSON.stringify(report) };
  if (!report.passed && config.failOnGate) {
    const failing = report.rows.filter((r) => !r.passed).map((r) => `${r.metric} ${r.reason}`);
    throw new FailureWithSummary(`The candidate fails the ${environment} gate: ${failing.join('; ')}`, markdown, outputs);
  }
  return { outputs, summary: markdown };
}
