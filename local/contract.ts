// The contract check: every request the twin receives is validated against botocore's model of
// the operation (required members, unknown members, enum values, lengths, ranges, patterns), so
// what passes against the twin is what real AWS accepts. A violation is rejected as AWS rejects
// it and recorded, so tests can assert there were none.
import type { ServiceModel } from './protocols/model.js';

export interface Violation {
  service: string;
  operation: string;
  message: string;
}

export class Contract {
  private readonly patterns = new Map<string, RegExp | null>();
  readonly violations: Violation[] = [];

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

  private walk(model: ServiceModel, shapeName: string, value: unknown, path: string, out: string[]): void {
    const shape = model.shape(shapeName);
    if (value === undefined || value === null) return;
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
          else this.walk(model, m.shape, member, path ? `${path}.${camel(k)}` : camel(k), out);
        }
        return;
      }
      case 'list':
        if (!Array.isArray(value)) return fail('Member must be a list');
        if (shape.min !== undefined && value.length < shape.min) fail(`Member must have length greater than or equal to ${shape.min}`);
        if (shape.max !== undefined && value.length > shape.max) fail(`Member must have length less than or equal to ${shape.max}`);
        value.forEach((item, i) => this.walk(model, shape.member!.shape, item, `${path}.${i + 1}.member`, out));
        return;
      case 'map':
        if (typeof value !== 'object') return fail('Member must be a map');
        if (shape.max !== undefined && Object.keys(value).length > shape.max) fail(`Map must have length less than or equal to ${shape.max}`);
        for (const [k, v] of Object.entries(value)) this.walk(model, shape.value!.shape, v, `${path}.${k}`, out);
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

  /** Violations of a request's typed input (what the protocol layer parsed), recorded by botocore's service name. */
  check(model: ServiceModel, operation: string, input: unknown): string[] {
    const shape = model.operation(operation)?.input?.shape;
    if (!shape) return [];
    const out: string[] = [];
    this.walk(model, shape, input, '', out);
    for (const message of out) this.violations.push({ service: model.name, operation, message });
    return out;
  }
}

/** AWS's validation messages name members in lower camel case: RoleArn -> roleArn. */
function camel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
