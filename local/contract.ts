// The contract check: every request the twin receives is validated against botocore's model of
// the operation (required members, unknown members, enum values, lengths, ranges, patterns), so
// what passes against the twin is what real AWS accepts. A violation is rejected as AWS rejects
// it (a ValidationException) and recorded, so tests can assert there were none.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

interface Shape {
  type: string;
  members?: Record<string, { shape: string; locationName?: string }>;
  required?: string[];
  member?: { shape: string };
  value?: { shape: string };
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
}
interface Model {
  operations: Record<string, { input?: { shape: string }; output?: { shape: string } }>;
  shapes: Record<string, Shape>;
}

export interface Violation {
  service: string;
  operation: string;
  message: string;
}

/** botocore's data folder in the project's .venv, if it is installed. */
export function findBotocoreData(repoRoot: string): string | undefined {
  const lib = join(repoRoot, '.venv', 'lib');
  if (!existsSync(lib)) return undefined;
  for (const python of readdirSync(lib)) {
    const data = join(lib, python, 'site-packages', 'botocore', 'data');
    if (existsSync(data)) return data;
  }
  return undefined;
}

export class Contract {
  private readonly models = new Map<string, Model>();
  private readonly patterns = new Map<string, RegExp | null>();
  readonly violations: Violation[] = [];

  constructor(private readonly dataDir: string) {}

  private model(service: string): Model | undefined {
    if (!this.models.has(service)) {
      const dir = join(this.dataDir, service);
      if (!existsSync(dir)) return undefined;
      const version = readdirSync(dir).sort().pop()!;
      const file = join(dir, version, 'service-2.json.gz');
      const text = existsSync(file) ? gunzipSync(readFileSync(file)).toString() : readFileSync(join(dir, version, 'service-2.json'), 'utf8');
      this.models.set(service, JSON.parse(text) as Model);
    }
    return this.models.get(service);
  }

  private regex(pattern: string): RegExp | null {
    if (!this.patterns.has(pattern)) {
      let compiled: RegExp | null = null;
      try {
        compiled = new RegExp(`^(?:${pattern})$`, 'u');
      } catch {
        compiled = null; // a Java-only construct: the other checks still apply
      }
      this.patterns.set(pattern, compiled);
    }
    return this.patterns.get(pattern)!;
  }

  private check(model: Model, shapeName: string, value: unknown, path: string, out: string[]): void {
    const shape = model.shapes[shapeName];
    if (!shape || value === undefined || value === null) return;
    const fail = (constraint: string): void => {
      out.push(`Value '${typeof value === 'object' ? JSON.stringify(value) : String(value)}' at '${path}' failed to satisfy constraint: ${constraint}`);
    };
    switch (shape.type) {
      case 'structure': {
        if (typeof value !== 'object' || Array.isArray(value)) return fail('Member must be a structure');
        const v = value as Record<string, unknown>;
        for (const r of shape.required ?? []) {
          if (v[r] === undefined) out.push(`Value null at '${path ? `${path}.` : ''}${camel(r)}' failed to satisfy constraint: Member must not be null`);
        }
        for (const [k, member] of Object.entries(v)) {
          const m = shape.members?.[k];
          if (!m) out.push(`Unknown member '${k}' at '${path || '(input)'}'`);
          else this.check(model, m.shape, member, path ? `${path}.${camel(k)}` : camel(k), out);
        }
        return;
      }
      case 'list':
        if (!Array.isArray(value)) return fail('Member must be a list');
        if (shape.min !== undefined && value.length < shape.min) fail(`Member must have length greater than or equal to ${shape.min}`);
        if (shape.max !== undefined && value.length > shape.max) fail(`Member must have length less than or equal to ${shape.max}`);
        value.forEach((item, i) => this.check(model, shape.member!.shape, item, `${path}.${i + 1}.member`, out));
        return;
      case 'map':
        if (typeof value !== 'object') return fail('Member must be a map');
        if (shape.max !== undefined && Object.keys(value).length > shape.max) fail(`Map must have length less than or equal to ${shape.max}`);
        for (const [k, v] of Object.entries(value)) this.check(model, shape.value!.shape, v, `${path}.${k}`, out);
        return;
      case 'string': {
        const s = String(value);
        if (shape.enum && !shape.enum.includes(s)) return fail(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
        if (shape.min !== undefined && s.length < shape.min) fail(`Member must have length greater than or equal to ${shape.min}`);
        if (shape.max !== undefined && s.length > shape.max) fail(`Member must have length less than or equal to ${shape.max}`);
        const re = shape.pattern ? this.regex(shape.pattern) : null;
        if (re && !re.test(s)) fail(`Member must satisfy regular expression pattern: ${shape.pattern}`);
        return;
      }
      case 'integer':
      case 'long':
      case 'double':
      case 'float': {
        const n = Number(value);
        if (!Number.isFinite(n)) return fail('Member must be a number');
        if (shape.min !== undefined && n < shape.min) fail(`Member must have value greater than or equal to ${shape.min}`);
        if (shape.max !== undefined && n > shape.max) fail(`Member must have value less than or equal to ${shape.max}`);
        return;
      }
      default:
        return;
    }
  }

  /** Violations of a JSON-protocol request (its body is the operation's input). */
  checkJson(service: string, operation: string, input: unknown): string[] {
    const model = this.model(service);
    const shape = model?.operations[operation]?.input?.shape;
    if (!model || !shape) return [];
    const out: string[] = [];
    this.check(model, shape, input, '', out);
    for (const message of out) this.violations.push({ service, operation, message });
    return out;
  }

  /** Violations of an awsQuery request: flat params rebuilt into the input's shape first. */
  checkQuery(service: string, operation: string, params: Record<string, string>): string[] {
    const model = this.model(service);
    const shape = model?.operations[operation]?.input?.shape;
    if (!model || !shape) return [];
    return this.checkJson(service, operation, unflatten(model, shape, params, ''));
  }

  /**
   * An awsQuery request as the JSON protocol's input: structure from the flat params, numbers,
   * booleans and timestamps (epoch seconds) typed by the model. How a service the twin serves
   * over JSON (CloudWatch) also answers clients that still speak awsQuery to it (boto3).
   */
  queryAsJson(service: string, operation: string, params: Record<string, string>): Record<string, unknown> | undefined {
    const model = this.model(service);
    const shape = model?.operations[operation]?.input?.shape;
    if (!model || !shape) return undefined;
    return typed(model, shape, unflatten(model, shape, params, '')) as Record<string, unknown>;
  }

  /** A JSON protocol's output for an awsQuery response: timestamps (epoch seconds) become dates. */
  jsonAsQuery(service: string, operation: string, output: unknown): unknown {
    const model = this.model(service);
    const shape = model?.operations[operation]?.output?.shape;
    return model && shape ? dated(model, shape, output) : output;
  }
}

/** The value with `leaf` applied to every scalar, following the shapes through structures, lists and maps. */
function mapScalars(model: Model, shapeName: string, value: unknown, leaf: (shape: Shape, value: unknown) => unknown): unknown {
  const shape = model.shapes[shapeName];
  if (value === undefined || value === null || !shape) return value;
  const each = (entries: [string, unknown][], shapeOf: (k: string) => string | undefined) =>
    Object.fromEntries(entries.map(([k, v]) => [k, shapeOf(k) ? mapScalars(model, shapeOf(k)!, v, leaf) : v]));
  switch (shape.type) {
    case 'structure':
      return each(Object.entries(value as Record<string, unknown>), (k) => shape.members?.[k]?.shape);
    case 'list':
      return (value as unknown[]).map((v) => mapScalars(model, shape.member!.shape, v, leaf));
    case 'map':
      return each(Object.entries(value as Record<string, unknown>), () => shape.value!.shape);
    default:
      return leaf(shape, value);
  }
}

/** Query strings as the JSON protocol's types: numbers, booleans, timestamps in epoch seconds. */
function typed(model: Model, shapeName: string, value: unknown): unknown {
  return mapScalars(model, shapeName, value, (shape, v) => {
    if (['integer', 'long', 'double', 'float'].includes(shape.type)) return Number(v);
    if (shape.type === 'boolean') return v === 'true';
    if (shape.type === 'timestamp') return /^\d+(\.\d+)?$/.test(String(v)) ? Number(v) : Date.parse(String(v)) / 1000;
    return v;
  });
}

/** Epoch-second timestamps as dates, which the XML writer renders as ISO 8601. */
function dated(model: Model, shapeName: string, value: unknown): unknown {
  return mapScalars(model, shapeName, value, (shape, v) => (shape.type === 'timestamp' && typeof v === 'number' ? new Date(v * 1000) : v));
}

/** AWS's validation messages name members in lower camel case: RoleArn -> roleArn. */
function camel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** `A.member.1.B=x` -> { A: [{ B: 'x' }] }, following the shapes. */
function unflatten(model: Model, shapeName: string, params: Record<string, string>, prefix: string): unknown {
  const shape = model.shapes[shapeName];
  if (shape.type === 'structure') {
    const out: Record<string, unknown> = {};
    for (const [name, m] of Object.entries(shape.members ?? {})) {
      const key = prefix ? `${prefix}.${name}` : name;
      if (!Object.keys(params).some((k) => k === key || k.startsWith(`${key}.`))) continue;
      out[name] = unflatten(model, m.shape, params, key);
    }
    return out;
  }
  if (shape.type === 'list') {
    const items: unknown[] = [];
    for (let i = 1; Object.keys(params).some((k) => k === `${prefix}.member.${i}` || k.startsWith(`${prefix}.member.${i}.`)); i++) {
      items.push(unflatten(model, shape.member!.shape, params, `${prefix}.member.${i}`));
    }
    return items;
  }
  if (shape.type === 'map') {
    const out: Record<string, unknown> = {};
    for (let i = 1; `${prefix}.entry.${i}.key` in params; i++) out[params[`${prefix}.entry.${i}.key`]] = unflatten(model, shape.value!.shape, params, `${prefix}.entry.${i}.value`);
    return out;
  }
  return params[prefix];
}
