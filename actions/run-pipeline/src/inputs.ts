import { existsSync, readFileSync } from 'node:fs';
import { PIPELINE_NAME_PATTERN, ROLE_ARN_PATTERN } from '../../../core/aws-names.js';
import { UserError } from '../../../core/errors.js';
import type { PipelineDefinition } from '../../../core/pipeline/builders.js';
import { validatePipeline } from '../../../core/pipeline/validate.js';
import * as z from '../../../core/zod.js';
import { input, parseDecimal, parseInputs } from '../../lib/inputs.js';
import { parseKeyValues } from '../../lib/key-values.js';

export const inputSchema = z.object({
  'definition': input.path(),
  'pipeline-name': input.matching(PIPELINE_NAME_PATTERN, 'a pipeline name (letters, digits and hyphens)'),
  'role-arn': input.matching(ROLE_ARN_PATTERN, 'an IAM role ARN'),
  'parameters': input.multiline(),
  'description': input.limited(3072, "SageMaker's limit for PipelineDescription"),
  'wait': input.boolean(true),
  'timeout-minutes': input.integer(1, 720, 120),
  'region': input.region(),
});

export interface PipelineConfig {
  name: string;
  roleArn: string;
  definitionText: string;
  definition: PipelineDefinition;
  parameters: { Name: string; Value: string }[];
  description?: string;
  wait: boolean;
  timeoutMinutes: number;
  region?: string;
}

function checkValue(type: string, value: string, allowed?: string[]): string | undefined {
  if (type === 'Integer' && !/^-?\d+$/.test(value)) return `must be a whole number, got '${value}'`;
  if (type === 'Float' && parseDecimal(value) === undefined) return `must be a number, got '${value}'`;
  if (type === 'Boolean' && !/^(true|false)$/.test(value)) return `must be true or false, got '${value}'`;
  if (allowed && !allowed.includes(value)) return `must be one of ${allowed.join(', ')}, got '${value}'`;
  return undefined;
}

/** The inputs, the definition (read and validated) and the parameters (checked against it). */
export function readPipelineConfig(env: NodeJS.ProcessEnv): PipelineConfig {
  const i = parseInputs(inputSchema, env);
  const file = i.definition;
  if (!existsSync(file)) throw new UserError(`Input 'definition': ${file} does not exist (run npx projen synth:pipeline to write it)`);
  const definitionText = readFileSync(file, 'utf8');
  let definition: PipelineDefinition;
  try {
    definition = JSON.parse(definitionText);
  } catch (error) {
    throw new UserError(`Input 'definition': ${file} is not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(definition?.Steps) || !Array.isArray(definition?.Parameters)) {
    throw new UserError(`Input 'definition': ${file} is not a pipeline definition (it needs Parameters and Steps)`);
  }
  const problems = validatePipeline(definition);
  if (problems.length) throw new UserError(`Input 'definition': ${file} is not a valid pipeline:\n  ${problems.join('\n  ')}`);

  const given = parseKeyValues(i.parameters ?? '', "Input 'parameters'");
  const declared = new Map(definition.Parameters.map((p) => [p.Name, p]));
  const errors: string[] = [];
  for (const [name, value] of Object.entries(given)) {
    const p = declared.get(name);
    if (!p) {errors.push(`${name} is not a parameter of the pipeline (its parameters: ${[...declared.keys()].join(', ')})`);} else {
      const problem = checkValue(p.Type, value, p.EnumValues);
      if (problem) errors.push(`${name} (${p.Type}) ${problem}`);
    }
  }
  for (const p of definition.Parameters) {
    if (p.DefaultValue === undefined && !(p.Name in given)) errors.push(`${p.Name} has no default and must be given`);
  }
  if (errors.length) throw new UserError(`Input 'parameters':\n  ${errors.join('\n  ')}`);
  return {
    name: i['pipeline-name'],
    roleArn: i['role-arn'],
    definitionText,
    definition,
    parameters: Object.entries(given).map(([Name, Value]) => ({ Name, Value })),
    description: i.description,
    wait: i.wait,
    timeoutMinutes: i['timeout-minutes'],
    region: i.region,
  };
}
