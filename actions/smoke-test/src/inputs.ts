import { buildPayloads, sampleRows } from './payloads.js';
import type { SmokeConfig } from './smoke.js';
import { SAGEMAKER_NAME_PATTERN } from '../../../core/aws-names.js';
import { loadEnvironment } from '../../../core/environment/load.js';
import * as z from '../../../core/zod.js';
import { input, parseInputs } from '../../lib/inputs.js';

export const inputSchema = z.object({
  'endpoint-name': input.matching(SAGEMAKER_NAME_PATTERN, 'a SageMaker endpoint name (letters, digits and hyphens, at most 63)'),
  'environment': input.optional(),
  'environments-dir': input.path('environments'),
  'sample-file': input.path('containers/data/sample.csv'),
  'label-column': input.text('churn'),
  'rows': input.integer(1, 1000, 10),
  'invocations-per-payload': input.optionalInteger(1, 100),
  'max-p95-latency-ms': input.optionalInteger(1, 60000),
  'region': input.region(),
  'timeout-minutes': input.integer(1, 60, 5),
});

export interface SmokeActionConfig extends SmokeConfig {
  region?: string;
  environmentName?: string;
  timeoutMinutes: number;
}

/** The inputs, the environment file's bounds and the sample payloads, all read before any call. */
export function readSmokeConfig(env: NodeJS.ProcessEnv): SmokeActionConfig {
  const i = parseInputs(inputSchema, env);
  const environment = i.environment ? loadEnvironment(i.environment, i['environments-dir']) : undefined;
  const payloads = buildPayloads(sampleRows(i['sample-file'], i['label-column'] || undefined, i.rows));
  return {
    endpointName: i['endpoint-name'],
    payloads,
    invocationsPerPayload: i['invocations-per-payload'] ?? environment?.config.smokeTest.invocationsPerPayload ?? 5,
    maxP95LatencyMs: i['max-p95-latency-ms'] ?? environment?.config.smokeTest.maxP95LatencyMs ?? 1000,
    region: i.region ?? environment?.config.region,
    environmentName: environment?.name,
    timeoutMinutes: i['timeout-minutes'],
  };
}
