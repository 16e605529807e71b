// The CloudFormation template engine of the twin: parameters (types, defaults, constraints, with
// CloudFormation's error texts), conditions, intrinsic functions and the order resources are
// created in. Pure functions: the providers and change sets build on them.
import type { Template } from '../../core/cfn-template.js';
import { TwinError } from '../errors.js';

export type ParameterValue = string | string[];

/** Marks a value that AWS::NoValue removed from its object or list. */
export const NO_VALUE = Symbol('AWS::NoValue');

export interface EvaluationContext {
  stackName: string;
  stackId: string;
  region: string;
  account: string;
  parameters: Record<string, ParameterValue>;
  conditions: Record<string, boolean>;
  mappings?: Record<string, Record<string, Record<string, unknown>>>;
  /** The value of `Ref` for a resource (its physical id). */
  ref(logicalId: string): string;
  getAtt(logicalId: string, attribute: string): unknown;
  importValue(name: string): string;
}

/** CloudFormation's answer to a request or template it refuses: a ValidationError with CloudFormation's text. */
export const cfnValidationError = (message: string) => new TwinError('ValidationError', message);

/** Values for every declared parameter, checked as CloudFormation checks them. */
export function resolveParameters(template: Template, given: Record<string, string>): Record<string, ParameterValue> {
  const declared = template.Parameters ?? {};
  const unknown = Object.keys(given).filter((k) => !(k in declared));
  if (unknown.length) throw cfnValidationError(`Parameters: [${unknown.join(', ')}] do not exist in the template`);
  const missing = Object.entries(declared).filter(([k, p]) => given[k] === undefined && p.Default === undefined).map(([k]) => k);
  if (missing.length) throw cfnValidationError(`Parameters: [${missing.join(', ')}] must have values`);
  const values: Record<string, ParameterValue> = {};
  for (const [name, p] of Object.entries(declared)) {
    const text = String(given[name] ?? p.Default);
    const allowed = p.AllowedValues as unknown[] | undefined;
    if (allowed && !allowed.map(String).includes(text)) throw cfnValidationError(`Parameter '${name}' must be one of AllowedValues`);
    if (p.AllowedPattern && !new RegExp(`^(?:${String(p.AllowedPattern).replace(/^\^|\$$/g, '')})$`).test(text)) {
      throw cfnValidationError(`Parameter '${name}' must match pattern ${String(p.AllowedPattern)}`);
    }
    if (p.Type === 'Number') {
      const n = Number(text);
      if (text === '' || !Number.isFinite(n)) throw cfnValidationError(`Parameter '${name}' must be a number`);
      if (p.MinValue !== undefined && n < Number(p.MinValue)) throw cfnValidationError(`Parameter '${name}' must be a number not less than ${String(p.MinValue)}`);
      if (p.MaxValue !== undefined && n > Number(p.MaxValue)) throw cfnValidationError(`Parameter '${name}' must be a number not greater than ${String(p.MaxValue)}`);
    }
    if (p.MinLength !== undefined && text.length < Number(p.MinLength)) throw cfnValidationError(`Parameter '${name}' must contain at least ${String(p.MinLength)} characters`);
    if (p.MaxLength !== undefined && text.length > Number(p.MaxLength)) throw cfnValidationError(`Parameter '${name}' must contain at most ${String(p.MaxLength)} characters`);
    values[name] = p.Type === 'CommaDelimitedList' || String(p.Type).startsWith('List<') ? text.split(',').map((s) => s.trim()) : text;
  }
  return values;
}

const PSEUDO = ['AWS::StackName', 'AWS::StackId', 'AWS::Region', 'AWS::AccountId', 'AWS::Partition', 'AWS::URLSuffix', 'AWS::NoValue', 'AWS::NotificationARNs'];

function pseudo(name: string, ctx: EvaluationContext): unknown {
  switch (name) {
    case 'AWS::StackName':
      return ctx.stackName;
    case 'AWS::StackId':
      return ctx.stackId;
    case 'AWS::Region':
      return ctx.region;
    case 'AWS::AccountId':
      return ctx.account;
    case 'AWS::Partition':
      return 'aws';
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    case 'AWS::NotificationARNs':
      return [];
    default:
      return NO_VALUE;
  }
}

function ref(name: string, ctx: EvaluationContext): unknown {
  if (PSEUDO.includes(name)) return pseudo(name, ctx);
  if (name in ctx.parameters) return ctx.parameters[name];
  return ctx.ref(name);
}

function sub(template: string, vars: Record<string, unknown>, ctx: EvaluationContext): string {
  return template.replace(/\$\{([^}]+)\}/g, (_whole, name: string) => {
    if (name.startsWith('!')) return `\${${name.slice(1)}}`;
    if (name in vars) return String(vars[name]);
    const dot = name.indexOf('.');
    if (dot > 0 && !name.startsWith('AWS::')) return String(ctx.getAtt(name.slice(0, dot), name.slice(dot + 1)));
    return String(ref(name, ctx));
  });
}

/** A template value with every intrinsic function applied; AWS::NoValue members are removed. */
export function evaluate(value: unknown, ctx: EvaluationContext): unknown {
  if (Array.isArray(value)) return value.map((v) => evaluate(v, ctx)).filter((v) => v !== NO_VALUE);
  if (!value || typeof value !== 'object') return value;
  const node = value as Record<string, unknown>;
  const keys = Object.keys(node);
  if (keys.length === 1) {
    const [fn] = keys;
    const arg = node[fn];
    const ev = (x: unknown) => evaluate(x, ctx);
    switch (fn) {
      case 'Ref':
        return ref(String(arg), ctx);
      case 'Fn::GetAtt': {
        const [logical, attribute] = Array.isArray(arg) ? arg : String(arg).split(/\.(.*)/);
        return ctx.getAtt(String(logical), String(ev(attribute)));
      }
      case 'Fn::Sub': {
        const [text, vars] = Array.isArray(arg) ? arg : [arg, {}];
        const resolved = Object.fromEntries(Object.entries((vars ?? {}) as Record<string, unknown>).map(([k, v]) => [k, ev(v)]));
        return sub(String(text), resolved, ctx);
      }
      case 'Fn::Join': {
        const [delimiter, list] = arg as [string, unknown];
        return (ev(list) as unknown[]).map(String).join(delimiter);
      }
      case 'Fn::Select': {
        const [index, list] = arg as [unknown, unknown];
        const items = ev(list) as unknown[];
        const i = Number(ev(index));
        if (!Array.isArray(items) || i < 0 || i >= items.length) throw cfnValidationError('Template error: Fn::Select cannot select nonexistent value at index ' + i);
        return items[i];
      }
      case 'Fn::Split': {
        const [delimiter, text] = arg as [string, unknown];
        return String(ev(text)).split(delimiter);
      }
      case 'Fn::If': {
        const [name, whenTrue, whenFalse] = arg as [string, unknown, unknown];
        if (!(name in ctx.conditions)) throw cfnValidationError(`Template error: unresolved condition dependency ${name} in Fn::If`);
        return ev(ctx.conditions[name] ? whenTrue : whenFalse);
      }
      case 'Fn::Equals':
      case 'Fn::And':
      case 'Fn::Or':
      case 'Fn::Not':
      case 'Condition':
        return condition(node, ctx);
      case 'Fn::FindInMap': {
        const [map, top, second] = (arg as unknown[]).map(ev) as string[];
        const found = ctx.mappings?.[map]?.[top]?.[second];
        if (found === undefined) throw cfnValidationError(`Template error: Unable to get mapping for ${map}::${top}::${second}`);
        return found;
      }
      case 'Fn::ImportValue':
        return ctx.importValue(String(ev(arg)));
      case 'Fn::Base64':
        return Buffer.from(String(ev(arg))).toString('base64');
      case 'Fn::GetAZs':
        return ['a', 'b', 'c'].map((z) => `${ctx.region}${z}`);
      default:
        if (fn.startsWith('Fn::')) throw cfnValidationError(`Template format error: Unrecognized intrinsic function ${fn}`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    const e = evaluate(v, ctx);
    if (e !== NO_VALUE) out[k] = e;
  }
  return out;
}

/** A condition expression: Fn::Equals, Fn::And, Fn::Or, Fn::Not, or a named Condition. */
export function condition(expr: unknown, ctx: EvaluationContext): boolean {
  const node = expr as Record<string, unknown>;
  if ('Condition' in node) return Boolean(ctx.conditions[String(node.Condition)]);
  if ('Fn::Equals' in node) {
    const [a, b] = node['Fn::Equals'] as [unknown, unknown];
    return String(evaluate(a, ctx)) === String(evaluate(b, ctx));
  }
  if ('Fn::And' in node) return (node['Fn::And'] as unknown[]).every((c) => condition(c, ctx));
  if ('Fn::Or' in node) return (node['Fn::Or'] as unknown[]).some((c) => condition(c, ctx));
  if ('Fn::Not' in node) return !condition((node['Fn::Not'] as unknown[])[0], ctx);
  throw cfnValidationError('Template format error: a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition');
}

/** Every condition of the template, evaluated in the order they refer to each other. */
export function evaluateConditions(template: Template, ctx: Omit<EvaluationContext, 'conditions'>): Record<string, boolean> {
  const conditions: Record<string, boolean> = {};
  const pending = new Set(Object.keys(template.Conditions ?? {}));
  const full: EvaluationContext = { ...ctx, conditions };
  const visit = (name: string, trail: string[]) => {
    if (name in conditions) return;
    if (trail.includes(name)) throw cfnValidationError(`Template error: circular condition dependency: ${[...trail, name].join(' -> ')}`);
    const expr = template.Conditions![name];
    for (const m of JSON.stringify(expr).matchAll(/"Condition":"([^"]+)"/g)) visit(m[1], [...trail, name]);
    conditions[name] = condition(expr, full);
  };
  for (const name of pending) visit(name, []);
  return conditions;
}

/** The resources a value refers to (Ref, Fn::GetAtt, and ${Name} / ${Name.Attr} in Fn::Sub). */
export function referencedResources(value: unknown, resources: Set<string>): Set<string> {
  const found = new Set<string>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (k === 'Ref' && resources.has(String(x))) {found.add(String(x));} else if (k === 'Fn::GetAtt') {
        const logical = Array.isArray(x) ? String(x[0]) : String(x).split('.')[0];
        if (resources.has(logical)) found.add(logical);
      } else if (k === 'Fn::Sub') {
        const text = Array.isArray(x) ? String(x[0]) : String(x);
        for (const m of text.matchAll(/\$\{([^}!][^}.]*)/g)) if (resources.has(m[1])) found.add(m[1]);
        if (Array.isArray(x)) walk(x[1]);
      } else {walk(x);}
    }
  };
  walk(value);
  return found;
}

/** The resources to create (their conditions hold), each after the resources it refers to or DependsOn. */
export function creationOrder(template: Template, conditions: Record<string, boolean>): string[] {
  const all = Object.entries(template.Resources).filter(([, r]) => !r.Condition || conditions[r.Condition]);
  const names = new Set(all.map(([n]) => n));
  const deps = new Map(all.map(([n, r]) => {
    const d = referencedResources(r.Properties ?? {}, names);
    for (const x of [r.DependsOn ?? []].flat()) {
      if (!(x in template.Resources)) throw cfnValidationError(`Template format error: Unresolved resource dependencies [${x}] in the Resources block of the template`);
      if (names.has(x)) d.add(x);
    }
    return [n, d];
  }));
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (n: string, trail: string[]) => {
    if (state.get(n) === 'done') return;
    if (state.get(n) === 'visiting') throw cfnValidationError(`Circular dependency between resources: [${trail.slice(trail.indexOf(n)).join(', ')}]`);
    state.set(n, 'visiting');
    for (const d of deps.get(n) ?? []) visit(d, [...trail, n]);
    state.set(n, 'done');
    order.push(n);
  };
  for (const [n] of all) visit(n, []);
  return order;
}
