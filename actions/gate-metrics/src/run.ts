import { z } from 'zod';
import { gateMetrics, type GateConfig, type GateReport } from './gate.js';
import { loadEnvironment } from '../../../core/environment/load.js';
import { UserError } from '../../../core/errors.js';
import { FailureWithSummary, type ActionResult } from '../../lib/action.js';
import { pullRequestTarget, upsertComment } from '../../lib/github-comment.js';
import { input, parseInputs } from '../../lib/inputs.js';
import { parseKeyValues } from '../../lib/key-values.js';
import type { Logger } from '../../lib/log.js';
import { gateTable, parseThresholds } from '../../lib/metrics.js';
import { PACKAGE_ARN, packageArnParts, createRegistryClients, type RegistryClients } from '../../lib/registry.js';
import { blocks, heading, keyValueTable } from '../../lib/summary.js';

export const GateInputs = z.object({
  'model-package-arn': input.optional().refine((v) => v === undefined || PACKAGE_ARN.test(v), { error: (i) => `must be a versioned model package ARN, got '${String(i.input)}'` }),
  'metrics-file': input.optional(),
  'environment': input.optional(),
  'champion-environment': input.optional(),
  'environments-dir': input.optional(),
  'thresholds': input.optional(),
  'max-regression': input.optional().refine((v) => v === undefined || (/^\d*\.?\d+$/.test(v) && Number(v) <= 1), { error: (i) => `must be a number from 0 to 1, got '${String(i.input)}'` }),
  'champion': input.optional().refine((v) => v === undefined || v === 'auto' || v === 'none' || PACKAGE_ARN.test(v), { error: (i) => `must be auto, none or a versioned model package ARN, got '${String(i.input)}'` }),
  'comment': input.boolean(true),
  'github-token': input.optional(),
  'fail-on-gate': input.boolean(true),
  'region': input.optional(),
});


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
  env: NodeJS.ProcessEnv,
  logger: Logger,
  makeClients: (region: string) => RegistryClients = (region) => createRegistryClients(region, logger),
  fetchImpl: typeof fetch = fetch,
): Promise<ActionResult> {
  const i = parseInputs(GateInputs, env);
  if (Boolean(i['model-package-arn']) === Boolean(i['metrics-file'])) {
    throw new UserError("Give exactly one of the inputs 'model-package-arn' and 'metrics-file'");
  }
  const dir = i['environments-dir'] ?? 'environments';
  const environment = loadEnvironment(i.environment ?? 'prod', dir);
  const championEnvironment = i['champion-environment'] ? loadEnvironment(i['champion-environment'], dir) : undefined;
  const config: GateConfig = {
    challenger: i['model-package-arn'] ? { packageArn: i['model-package-arn'] } : { metricsFile: i['metrics-file']! },
    champion: i.champion === undefined || i.champion === 'auto' ? 'auto' : i.champion === 'none' ? 'none' : { packageArn: i.champion },
    environment,
    championEnvironment,
    thresholds: i.thresholds ? parseThresholds(parseKeyValues(i.thresholds, "Input 'thresholds'"), "Input 'thresholds'") : environment.config.gate.thresholds,
    maxRegression: i['max-regression'] !== undefined ? Number(i['max-regression']) : environment.config.gate.maxRegression,
  };
  const region = i.region ?? (i['model-package-arn'] ? packageArnParts(i['model-package-arn'])!.region : environment.config.region);

  const report = await gateMetrics(makeClients(region), config, logger);
  const markdown = renderGate(report, environment.name);
  const target = i.comment ? pullRequestTarget(env, i['github-token']) : undefined;
  if (target) await upsertComment(target, `<!-- sagemaker-gitops:gate-metrics:${environment.name} -->`, markdown, logger, fetchImpl);
  const outputs = { passed: report.passed, report: JSON.stringify(report) };
  if (!report.passed && i['fail-on-gate']) {
    const failing = report.rows.filter((r) => !r.passed).map((r) => `${r.metric} ${r.reason}`);
    throw new FailureWithSummary(`The candidate fails the ${environment.name} gate: ${failing.join('; ')}`, markdown, outputs);
  }
  return { outputs, summary: markdown };
}
