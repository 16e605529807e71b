import { runExecution, stepJob } from './execution.js';
import { readPipelineConfig } from './inputs.js';
import { renderSummary } from './summary.js';
import { FailureWithSummary, type ActionContext, type ActionResult } from '../../lib/action.js';
import { describePackage, packageMetrics, createModelClients, type ModelClients } from '../../lib/registry.js';

export async function runPipeline(
  ctx: ActionContext,
  makeClients: (region: string) => ModelClients = (region) => createModelClients(region, ctx.logger),
): Promise<ActionResult> {
  const config = readPipelineConfig(ctx.env);
  const clients = makeClients(ctx.region([config.region]));
  const result = await runExecution(clients.sagemaker, config, ctx.logger, ctx.deadline(config.timeoutMinutes), ctx.env);

  const registered = result.steps.find((s) => s.Metadata?.RegisterModel?.Arn)?.Metadata?.RegisterModel?.Arn ?? '';
  let metrics = {};
  if (registered && result.status === 'Succeeded') {
    metrics = await packageMetrics(clients.s3, await describePackage(clients.sagemaker, registered));
  }
  const outputs = { 'execution-arn': result.executionArn, 'status': result.status, 'model-package-arn': registered, 'metrics': JSON.stringify(metrics) };

  if (config.wait && result.status !== 'Succeeded') {
    const failed = result.steps.find((s) => s.StepStatus === 'Failed');
    const cause = failed
      ? `step ${failed.StepName} failed: ${failed.FailureReason ?? 'no reason given'}${stepJob(failed) ? ` (${stepJob(failed)})` : ''}`
      : result.failureReason ?? 'no failure reason given';
    const message = result.stopped
      ? `${result.failureReason}; stopped the execution ${result.executionArn}`
      : `Pipeline execution ${result.executionArn} ${result.status}: ${cause}`;
    throw new FailureWithSummary(message, renderSummary(config, result, outputs, message), outputs);
  }
  return { outputs, summary: renderSummary(config, result, outputs) };
}
