import { isAlias, isMap, isScalar, isSeq, type Node } from 'yaml';
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
const FUNCTIONS = new Set([
  'Base64', 'Cidr', 'FindInMap', 'GetAtt', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub',
  'Transform', 'And', 'Equals', 'If', 'Not', 'Or', 'Length', 'ToJsonString',
]);

function toData(node: Node | null | undefined, source: string): unknown {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) throw new UserError(`${source}: YAML aliases are not supported in CloudFormation templates`);
  let value: unknown;
  if (isMap(node)) {
    const obj: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      obj[key] = toData(pair.value as Node, source);
    }
    value = obj;
  } else if (isSeq(node)) {
    value = node.items.map((item) => toData(item as Node, source));
  } else if (isScalar(node)) {
    value = node.value;
  }
  const tag = node.tag;
  if (!tag || !tag.startsWith('!') || tag.startsWith('!!')) return value;
  const name = tag.slice(1);
  if (name === 'Ref' || name === 'Condition') return { [name]: value };
  if (name === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': [value.slice(0, dot), value.slice(dot + 1)] };
  }
  if (FUNCTIONS.has(name)) return { [`Fn::${name}`]: value };
  throw new UserError(`${source}: unknown tag '${tag}' (CloudFormation short forms are !Ref, !Sub, !GetAtt, !Join, ...)`);
}

/** Parses a template (YAML with short-form tags, or JSON); errors name the file, line and column. */
export function parseTemplate(body: string, source: string): Template {
  const doc = parseYaml(body, source);
  const data = toData(doc.contents as Node, source);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new UserError(`${source}: a template must be a mapping with a Resources section`);
  }
  const template = data as Template;
  if (typeof template.Resources !== 'object' || template.Resources === null || Object.keys(template.Resources).length === 0) {
    throw new UserError(`${source}: the template has no Resources (CloudFormation needs at least one)`);
  }
  return template;
}
