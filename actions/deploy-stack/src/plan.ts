import { existsSync, readFileSync } from 'node:fs';
import type { Parameter } from '@aws-sdk/client-cloudformation';
import type { DeployRequest } from './inputs.js';
import { parseTemplate, type Template } from '../../../core/cfn-template.js';
import type { LoadedEnvironment } from '../../../core/environment/load.js';
import { environmentParameters, missingParameterHint } from '../../../core/environment/parameters.js';
import { UserError } from '../../../core/errors.js';

/** CloudFormation's limit for a template passed inline (TemplateBody). */
export const MAX_INLINE_TEMPLATE_BYTES = 51_200;

/** Everything a deploy needs, checked before any AWS call. */
export interface DeploymentPlan extends Omit<DeployRequest, 'parameterOverrides' | 'region'> {
  region: string;
  templateBody: string;
  template: Template;
  parameters: Parameter[];
  /** Where each parameter's value came from, for the summary. */
  parameterSources: Record<string, 'environment' | 'override'>;
}

/**
 * Reads the template and resolves the parameters; any problem is a UserError. `region` is asked
 * last, so a wrong template or parameter is reported before a missing region.
 */
export function planDeployment(request: DeployRequest, region: () => string): DeploymentPlan {
  const { templatePath, environment, parameterOverrides, ...rest } = request;
  if (!existsSync(templatePath)) throw new UserError(`Input 'template': file '${templatePath}' does not exist`);
  const templateBody = readFileSync(templatePath, 'utf8');
  const template = parseTemplate(templateBody, templatePath);
  const { parameters, sources } = resolveParameters(template, templatePath, environment, parameterOverrides);
  const tags = [...request.tags];
  if (environment && !tags.some((t) => t.Key === 'environment')) tags.push({ Key: 'environment', Value: environment.name });

  const size = Buffer.byteLength(templateBody);
  if (size > MAX_INLINE_TEMPLATE_BYTES && !request.templateBucket) {
    throw new UserError(
      `Template ${templatePath} is ${size} bytes, over CloudFormation's ${MAX_INLINE_TEMPLATE_BYTES}-byte limit for inline templates: ` +
        'set the \'template-bucket\' input to an S3 bucket the template can be uploaded to',
    );
  }
  return { ...rest, templatePath, environment, region: region(), templateBody, template, parameters, parameterSources: sources, tags };
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
