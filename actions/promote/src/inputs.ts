import type { PromoteConfig } from './promote.js';
import { loadEnvironment } from '../../../core/environment/load.js';
import { UserError } from '../../../core/errors.js';
import * as z from '../../../core/zod.js';
import { input, parseInputs } from '../../lib/inputs.js';
import type { GateResult } from '../../lib/metrics.js';
import { PACKAGE_ARN, packageArnParts } from '../../lib/registry.js';

export const inputSchema = z.object({
  'model-package-arn': input.matching(PACKAGE_ARN, 'a versioned model package ARN (arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>)'),
  'environments': input.text('dev,staging,prod'),
  'environments-dir': input.path('environments'),
  'base': input.textWhere('main', (v) => /^[\w./-]{1,255}$/.test(v) && !v.includes('..'), (v) => `must be a branch name, got '${v}'`),
  'gate-report': input.multiline(),
  'github-token': input.optional(),
  'region': input.region(),
});

export interface PromoteActionConfig extends PromoteConfig {
  region: string;
  github: { apiUrl: string; repository: string; token: string };
}

function gateReport(text: string | undefined): GateResult | undefined {
  if (text === undefined) return undefined;
  let report: unknown;
  try {
    report = JSON.parse(text);
  } catch {
    throw new UserError("Input 'gate-report' must be the JSON of gate-metrics' report output, and is not JSON");
  }
  const r = report as Partial<GateResult>;
  if (typeof r?.passed !== 'boolean' || !Array.isArray(r.rows)) throw new UserError("Input 'gate-report' must be gate-metrics' report output (with passed and rows)");
  return r as GateResult;
}

/** The inputs, each environment file (which must deploy the package's group) and the repository, before any call. */
export function readPromoteConfig(env: NodeJS.ProcessEnv): PromoteActionConfig {
  const i = parseInputs(inputSchema, env);
  const { group, version, region } = packageArnParts(i['model-package-arn'])!;
  const names = [...new Set(i.environments.split(/[,\s]+/).filter(Boolean))];
  if (names.length === 0) throw new UserError("Input 'environments' must name at least one environment");
  const files = names.map((name) => {
    const environment = loadEnvironment(name, i['environments-dir']);
    if (environment.config.model.packageGroup !== group) {
      throw new UserError(`Input 'model-package-arn' is in group ${group}, but ${environment.file} deploys ${environment.config.model.packageGroup}`);
    }
    return { environment: name, path: environment.file };
  });
  if (!i['github-token']) throw new UserError("Input 'github-token' is required (a token with contents and pull-requests write)");
  if (!env.GITHUB_REPOSITORY) throw new UserError('GITHUB_REPOSITORY is not set: promote runs in a workflow, or with GITHUB_REPOSITORY=owner/name');
  return {
    arn: i['model-package-arn'],
    group,
    version,
    files,
    base: i.base,
    gate: gateReport(i['gate-report']),
    region: i.region ?? region,
    github: { apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com', repository: env.GITHUB_REPOSITORY, token: i['github-token'] },
  };
}
