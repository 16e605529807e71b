import { CORE_SCHEMA, Type } from 'js-yaml';
import { UserError } from './errors.js';
import { parseYaml } from './yaml.js';

/** A CloudFormation template as data: short-form tags (`!Ref`, `!Sub`) become their long forms. */
export interface Template {
  AWSTemplateFormatVersion?: string;
  Description?: string;
  Parameters?: Record<string, TemplateParameter>;
  Conditions?: Record<string, unknown>;
  Mappings?: Record<string, unknown>;
  Resources: Record<string, TemplateResource>;
  Outputs?: Record<string, { Value: unknown; Description?: string; Export?: { Name: unknown } }>;
  [key: string]: unknown;
}

export interface TemplateParameter {
  Type: string;
  Default?: unknown;
  AllowedValues?: unknown[];
  Description?: string;
  [key: string]: unknown;
}

export interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  Condition?: string;
  [key: string]: unknown;
}

// Short forms whose long form is `Fn::<name>`; Ref and Condition keep their names.
const FUNCTIONS = [
  'Base64', 'Cidr', 'FindInMap', 'GetAtt', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub',
  'Transform', 'And', 'Equals', 'If', 'Not', 'Or', 'Length', 'ToJsonString',
];

function longForm(name: string, value: unknown): unknown {
  if (name === 'Ref' || name === 'Condition') return { [name]: value };
  if (name === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${name}`]: value };
}

// Each short form may tag a scalar, a list or a mapping (`!Sub x`, `!Sub [x, {..}]`).
const CFN_SCHEMA = CORE_SCHEMA.extend(
  ['Ref', 'Condition', ...FUNCTIONS].flatMap((name) =>
    (['scalar', 'sequence', 'mapping'] as const).map((kind) => new Type(`!${name}`, { kind, construct: (value: unknown) => longForm(name, value) })),
  ),
);

/** Parses a template (YAML with short-form tags, or JSON); errors name the file, line and column. */
export function parseTemplate(body: string, source: string): Template {
  const data = parseYaml(body, source, {
    schema: CFN_SCHEMA,
    noAnchors: 'YAML anchors and aliases are not supported in CloudFormation templates',
    knownTags: 'CloudFormation short forms are !Ref, !Sub, !GetAtt, !Join, ...',
  });
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new UserError(`${source}: a template must be a mapping with a Resources section`);
  }
  const template = data as Template;
  if (typeof template.Resources !== 'object' || template.Resources === null || Object.keys(template.Resources).length === 0) {
    throw new UserError(`${source}: the template has no Resources (CloudFormation needs at least one)`);
  }
  return template;
}
