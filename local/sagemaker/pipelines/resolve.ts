// Pipeline expressions at run time: parameters, execution variables, step properties (following
// the step's Describe* response), Std:Join, Std:JsonGet over property files, and conditions.
import { TwinError } from '../../errors.js';

export interface Scope {
  parameters: Record<string, string | number | boolean>;
  execution: Record<string, string>;
  /** Each finished step's properties: its Describe* response (or Outcome, ModelPackageArn). */
  steps: Record<string, Record<string, unknown>>;
  /** Reads a property file of a step as JSON. */
  propertyFile: (step: string, name: string) => unknown;
}

/** `ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri` -> segments; ['x'] picks a list item by its name. */
export function propertyPath(path: string): (string | number | { name: string })[] {
  const segments: (string | number | { name: string })[] = [];
  for (const part of path.match(/[^.[\]]+|\[[^\]]*\]/g) ?? []) {
    if (part.startsWith('[')) {
      const inner = part.slice(1, -1);
      segments.push(/^\d+$/.test(inner) ? Number(inner) : { name: inner.replace(/^['"]|['"]$/g, '') });
    } else {
      segments.push(part);
    }
  }
  return segments;
}

export function follow(value: unknown, path: string, what: string): unknown {
  let at: unknown = value;
  for (const segment of propertyPath(path)) {
    if (typeof segment === 'object') {
      // A list member picked by name: Outputs['train'] is the output whose OutputName is train.
      const list = Array.isArray(at) ? at : [];
      at = list.find((item) => Object.entries(item as Record<string, unknown>).some(([k, v]) => k.endsWith('Name') && v === segment.name));
    } else {
      at = (at as Record<string | number, unknown> | undefined)?.[segment];
    }
    if (at === undefined) throw new TwinError('ValidationException', `${what}: ${path} does not resolve`);
  }
  return at;
}

export function resolveValue(value: unknown, scope: Scope): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, scope));
  if (!value || typeof value !== 'object') return value;
  const node = value as Record<string, unknown>;
  if ('Get' in node) {
    const ref = String(node.Get);
    const [root, name, ...rest] = ref.split('.');
    if (root === 'Parameters') {
      if (!(name in scope.parameters)) throw new TwinError('ValidationException', `Pipeline parameter ${name} has no value`);
      return scope.parameters[name];
    }
    if (root === 'Execution') return scope.execution[name];
    if (root === 'Steps') {
      const props = scope.steps[name];
      if (!props) throw new TwinError('ValidationException', `${ref}: step ${name} has not run`);
      return follow(props, rest.join('.'), ref);
    }
    throw new TwinError('ValidationException', `Unknown reference ${ref}`);
  }
  if ('Std:Join' in node) {
    const { On, Values } = node['Std:Join'] as { On: string; Values: unknown[] };
    return Values.map((v) => String(resolveValue(v, scope))).join(On);
  }
  if ('Std:JsonGet' in node) {
    const { PropertyFile, Path } = node['Std:JsonGet'] as { PropertyFile: { Get: string }; Path: string };
    const m = PropertyFile.Get.match(/^Steps\.([^.]+)\.PropertyFiles\.(.+)$/);
    if (!m) throw new TwinError('ValidationException', `Std:JsonGet needs a property file, got ${PropertyFile.Get}`);
    return follow(scope.propertyFile(m[1], m[2]), Path, `Std:JsonGet ${Path}`);
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolveValue(v, scope)]));
}

interface Condition {
  Type: string;
  LeftValue?: unknown;
  RightValue?: unknown;
  QueryValue?: unknown;
  Values?: unknown[];
  Condition?: Condition;
  Conditions?: Condition[];
}

const compare = (a: unknown, b: unknown) => (typeof a === 'number' || typeof b === 'number' ? Number(a) - Number(b) : String(a).localeCompare(String(b)));

export function evaluateCondition(condition: Condition, scope: Scope): boolean {
  const v = (x: unknown) => resolveValue(x, scope);
  switch (condition.Type) {
    case 'Equals':
      return String(v(condition.LeftValue)) === String(v(condition.RightValue));
    case 'GreaterThan':
      return compare(v(condition.LeftValue), v(condition.RightValue)) > 0;
    case 'GreaterThanOrEqualTo':
      return compare(v(condition.LeftValue), v(condition.RightValue)) >= 0;
    case 'LessThan':
      return compare(v(condition.LeftValue), v(condition.RightValue)) < 0;
    case 'LessThanOrEqualTo':
      return compare(v(condition.LeftValue), v(condition.RightValue)) <= 0;
    case 'In':
      return (condition.Values ?? []).map((x) => String(v(x))).includes(String(v(condition.QueryValue)));
    case 'Not':
      return !evaluateCondition(condition.Condition!, scope);
    case 'Or':
      return (condition.Conditions ?? []).some((c) => evaluateCondition(c, scope));
    default:
      throw new TwinError('ValidationException', `Unknown condition type ${condition.Type}`);
  }
}
