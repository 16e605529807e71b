import { existsSync, readFileSync } from 'node:fs';
import type { Capability, Parameter, Tag } from '#aws-sdk/client-cloudformation';
import type { DeployInputs } from './inputs.js';
import { parseTemplate, type Template } from '../../../core/cfn-template.js';
import { loadEnvironment, type LoadedEnvironment } from '../../../core/environment/load.js';
import { environmentParameters, missingParameterHint } from '../../../core/environment/parameters.js';
import { UserError } from '../../../core/errors.js';
import { parseKeyValues } from '../../lib/key-values.js';

/** CloudFormation's limit for a template passed inline (TemplateBody). */
export const MAX_INLINE_TEMPLATE_BYTES = 51_200;

/** Everything a deploy needs, checked before any AWS call. */
export interface DeploymentPlan {
  stackName: string;
  region: string;
  templatePath: string;
  templateBody: string;
  template: Template;
  templateBucket?: string;
  parameters: Parameter[];
  /** Where each parameter's value came from, for the summary. */
  parameterSources: Record<string, 'environment' | 'override'>;
  capabilities: Capability[];
  tags: Tag[];
  environment?: LoadedEnvironment;
  failOnEmptyChangeSet: boolean;
  timeoutMinutes: number;
  /** The workflow run, when there is one: names the change set so it can be traced back. */
  run?: { id: string; attempt?: string };
}

/** Reads the template and the environment and resolves the parameters; any problem is a UserError. */
export function planDeployment(inputs: DeployInputs, env: NodeJS.ProcessEnv = process.env): DeploymentPlan {
  const templatePath = inputs.template;
  if (!existsSync(templatePath)) throw new UserError(`Input 'template': file '${templatePath}' does not exist`);
  const templateBody = readFileSync(templatePath, 'utf8');
  const template = parseTemplate(templateBody, templatePath);

  const environment = inputs.environment
    ? loadEnvironment(inputs.environment, inputs['environments-dir'] ?? 'environments')
    : undefined;
  const region = inputs.region ?? environment?.config.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw new UserError('No region: set the \'region\' input, an \'environment\' whose file has a region, or AWS_REGION');
  if (inputs.region && environment && inputs.region !== environment.config.region) {
    throw new UserError(`Input 'region' (${inputs.region}) differs from ${environment.file} (region: ${environment.config.region}); remove one`);
  }

  const overrides = parseKeyValues(inputs['parameter-overrides'] ?? '', 'Input \'parameter-overrides\'');
  const { parameters, sources } = resolveParameters(template, templatePath, environment, overrides);
  const tags = Object.entries(parseKeyValues(inputs.tags ?? '', 'Input \'tags\'')).map(([Key, Value]) => ({ Key, Value }));
  if (environment && !tags.some((t) => t.Key === 'environment')) tags.push({ Key: 'environment', Value: environment.name });

  const size = Buffer.byteLength(templateBody);
  if (size > MAX_INLINE_TEMPLATE_BYTES && !inputs['template-bucket']) {
    throw new UserError(
      `Template ${templatePath} is ${size} bytes, over CloudFormation's ${MAX_INLINE_TEMPLATE_BYTES}-byte limit for inline templates: ` +
        'set the \'template-bucket\' input to an S3 bucket the template can be uploaded to',
    );
  }

  return {
    stackName: inputs['stack-name'],
    region,
    templatePath,
    templateBody,
    template,
    templateBucket: inputs['template-bucket'],
    parameters,
    parameterSources: sources,
    capabilities: inputs.capabilities,
    tags,
    environment,
    failOnEmptyChangeSet: inputs['fail-on-empty-changeset'],
    timeoutMinutes: inputs['timeout-minutes'],
    run: env.GITHUB_RUN_ID ? { id: env.GITHUB_RUN_ID, attempt: env.GITHUB_RUN_ATTEMPT } : undefined,
  };
}

/**
 * Fills the template's declared parameters: the environment file first, overrides win. An override
 * the template does not declare is an error (accepted-and-ignored inputs are bugs), and so is a
 * parameter with no default that nothing fills.
 */
export function resolveParameters(
  template: Template,
  templatePath: string,
  environment: LoadedEnvironment | undefined,
  overrides: Record<string, string>,
): { parameters: Parameter[]; sources: Record<string, 'environment' | 'override'> } {
  const declared = template.Parameters ?? {};
  const unknown = Object.keys(overrides).filter((k) => !(k in declared));
  if (unknown.length > 0) {
    throw new UserError(
      `Input 'parameter-overrides': ${unknown.map((k) => `'${k}'`).join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not a parameter of ${templatePath} ` +
        `(its parameters: ${Object.keys(declared).join(', ') || 'none'})`,
    );
  }
  const fromEnvironment = environment ? environmentParameters(environment) : {};
  const values: Record<string, string> = {};
  const sources: Record<string, 'environment' | 'override'> = {};
  for (const name of Object.keys(declared)) {
    if (name in overrides) {
      values[name] = overrides[name];
      sources[name] = 'override';
    } else if (name in fromEnvironment) {
      values[name] = fromEnvironment[name];
      sources[name] = 'environment';
    }
  }
  const missing = Object.entries(declared).filter(([name, p]) => !(name in values) && p.Default === undefined);
  if (missing.length > 0) {
    const lines = missing.map(([name]) => {
      const hint = missingParameterHint(name, environment);
      return `  ${name}${hint ? `: ${hint}` : ''}`;
    });
    throw new UserError(
      [`${templatePath} needs parameters that nothing provides (give them in 'parameter-overrides'${environment ? '' : " or set 'environment'"}):`, ...lines].join('\n'),
    );
  }
  for (const [name, value] of Object.entries(values)) {
    const allowed = declared[name].AllowedValues;
    if (Array.isArray(allowed) && !allowed.map(String).includes(value)) {
      throw new UserError(`Parameter ${name} (from ${sources[name]}) is '${value}'; ${templatePath} allows ${allowed.map(String).join(', ')}`);
    }
  }
  return { parameters: Object.entries(values).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })), sources };
}
