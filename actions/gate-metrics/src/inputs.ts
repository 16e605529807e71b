import type { GateConfig } from './gate.js';
import { loadEnvironment } from '../../../core/environment/load.js';
import { UserError } from '../../../core/errors.js';
import * as z from '../../../core/zod.js';
import { input, parseInputs } from '../../lib/inputs.js';
import { parseKeyValues } from '../../lib/key-values.js';
import { parseThresholds } from '../../lib/metrics.js';
import { PACKAGE_ARN, packageArnParts } from '../../lib/registry.js';

export const inputSchema = z.object({
  'model-package-arn': input.optionalWhere((v) => PACKAGE_ARN.test(v), (v) => `must be a versioned model package ARN, got '${v}'`),
  'metrics-file': input.optionalPath(),
  'environment': input.text('prod'),
  'champion-environment': input.optional(),
  'environments-dir': input.path('environments'),
  'thresholds': input.multiline(),
  'max-regression': input.optionalNumber(0, 1),
  'champion': input.textWhere('auto', (v) => v === 'auto' || v === 'none' || PACKAGE_ARN.test(v), (v) => `must be auto, none or a versioned model package ARN, got '${v}'`),
  'comment': input.boolean(true),
  'github-token': input.optional(),
  'fail-on-gate': input.boolean(true),
  'region': input.region(),
});

export interface GateActionConfig extends GateConfig {
  /** The region the input, the candidate's ARN or the environment file names. */
  region: string;
  comment: boolean;
  githubToken?: string;
  failOnGate: boolean;
}

/** The inputs and the environment files, checked before any AWS call. */
export function readGateConfig(env: NodeJS.ProcessEnv): GateActionConfig {
  const i = parseInputs(inputSchema, env);
  if (Boolean(i['model-package-arn']) === Boolean(i['metrics-file'])) {
    throw new UserError("Give exactly one of the inputs 'model-package-arn' and 'metrics-file'");
  }
  const dir = i['environments-dir'];
  const environment = loadEnvironment(i.environment, dir);
  const championEnvironment = i['champion-environment'] ? loadEnvironment(i['champion-environment'], dir) : undefined;
  return {
    challenger: i['model-package-arn'] ? { packageArn: i['model-package-arn'] } : { metricsFile: i['metrics-file']! },
    champion: i.champion === 'auto' ? 'auto' : i.champion === 'none' ? 'none' : { packageArn: i.champion },
    environment,
    championEnvironment,
    thresholds: i.thresholds ? parseThresholds(parseKeyValues(i.thresholds, "Input 'thresholds'"), "Input 'thresholds'") : environment.config.gate.thresholds,
    maxRegression: i['max-regression'] ?? environment.config.gate.maxRegression,
    region: i.region ?? (i['model-package-arn'] ? packageArnParts(i['model-package-arn'])!.region : environment.config.region),
    comment: i.comment,
    githubToken: i['github-token'],
    failOnGate: i['fail-on-gate'],
  };
}
