import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { readSmokeConfig, type SmokeActionConfig } from './inputs.js';
import { percentile, SmokeFailure, smokeTest, type SmokeReport } from './smoke.js';
import { FailureWithSummary, type ActionContext, type ActionResult } from '../../lib/action.js';
import { createClient } from '../../lib/aws.js';
import { blocks, heading, keyValueTable, table } from '../../lib/summary.js';

const ms = (x: number) => `${x.toFixed(1)} ms`;

function renderSmoke(config: SmokeActionConfig, report: SmokeReport | undefined, failure?: string): string {
  const verdict = failure ? '❌ Failed' : report!.passed ? '✅ Passed' : '❌ Too slow';
  return blocks(
    heading(`smoke-test: ${config.endpointName}${config.environmentName ? ` (${config.environmentName})` : ''}`),
    keyValueTable({
      'Result': verdict,
      'Latency p50 / p95 / max': report ? `${ms(report.p50Ms)} / ${ms(report.p95Ms)} / ${ms(report.maxMs)}` : '—',
      'p95 bound': ms(config.maxP95LatencyMs),
      'Invocations': report ? report.results.reduce((n, r) => n + r.latenciesMs.length, 0) : '—',
    }),
    failure && `**Error:** ${failure.split('\n')[0]}`,
    report && table(
      ['Payload', 'Rows', 'Answers', 'p50', 'p95', 'Variant'],
      report.results.map((r) => [r.payload.name, r.payload.rows, `✅ ${r.latenciesMs.length}`, ms(percentile(r.latenciesMs, 50)), ms(percentile(r.latenciesMs, 95)), r.variants.join(', ')]),
    ),
  );
}

export async function runSmoke(
  ctx: ActionContext,
  makeClient: (region: string) => SageMakerRuntimeClient = (region) => createClient(SageMakerRuntimeClient, { region, logger: ctx.logger }),
): Promise<ActionResult> {
  const config = readSmokeConfig(ctx.env);
  const runtime = makeClient(ctx.region([config.region], "the 'region' input, an 'environment' whose file has a region,"));
  let report: SmokeReport;
  try {
    report = await smokeTest(runtime, config, ctx.logger, ctx.deadline(config.timeoutMinutes));
  } catch (error) {
    if (error instanceof SmokeFailure) throw new FailureWithSummary(error.message, renderSmoke(config, undefined, error.message), { passed: false });
    throw error;
  }
  const outputs = { 'passed': report.passed, 'p50-ms': Math.round(report.p50Ms), 'p95-ms': Math.round(report.p95Ms) };
  const summary = renderSmoke(config, report);
  if (!report.passed) {
    throw new FailureWithSummary(`Endpoint ${config.endpointName} answered correctly but too slowly: p95 ${ms(report.p95Ms)} is over the bound of ${ms(config.maxP95LatencyMs)}`, summary, outputs);
  }
  return { outputs, summary };
}
