// GitHub's REST contract for the operations the stand-in serves (local/github/openapi.json, cut
// from GitHub's OpenAPI description by scripts/github-openapi-subset.ts): finding the operation of
// a request, checking its parameters and body, and checking every answer before it is sent.
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';

type Schema = Record<string, unknown>;

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
  $ref?: string;
}

interface OperationSpec {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  responses: Record<string, { $ref?: string; content?: Record<string, { schema: Schema }> }>;
}

interface Description {
  paths: Record<string, Record<string, OperationSpec>>;
  components: {
    schemas: Record<string, Schema>;
    parameters: Record<string, Parameter>;
    responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
  };
}

export interface Operation {
  id: string;
  method: string;
  template: string;
  pattern: RegExp;
  pathParams: string[];
  query: Parameter[];
  validateBody?: ValidateFunction;
  bodyRequired: boolean;
  responses: Map<number, { validate?: ValidateFunction; schema?: Schema }>;
}

export interface Matched {
  operation: Operation;
  params: Record<string, string>;
}

const DESCRIPTION_ID = 'github';
const SPEC_FILE = new URL('./openapi.json', import.meta.url);

/**
 * An OpenAPI 3.0 schema as Ajv reads it: local `#/components/...` references into the registered
 * description, and `nullable` beside no `type` (a nullable $ref or allOf) as anyOf with null.
 */
function anchored(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(anchored);
  if (!schema || typeof schema !== 'object') return schema;
  const out = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `${DESCRIPTION_ID}${v}` : anchored(v)]));
  if (out.nullable === true && out.type === undefined) {
    const { nullable: _, ...rest } = out;
    return { anyOf: [rest, { type: 'null' }] };
  }
  return out;
}

export class Contract {
  readonly operations: Operation[] = [];
  private readonly description: Description;
  private readonly ajv: Ajv;

  constructor() {
    this.description = JSON.parse(readFileSync(SPEC_FILE, 'utf8')) as Description;
    // OpenAPI 3.0 schemas: `nullable`, formats as documentation only, unknown keywords allowed.
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, discriminator: false });
    this.ajv.addSchema({ $id: DESCRIPTION_ID, components: anchored(this.description.components) });
    for (const [template, item] of Object.entries(this.description.paths)) {
      for (const [method, spec] of Object.entries(item)) this.operations.push(this.compile(method.toUpperCase(), template, spec));
    }
  }

  private parameter(p: Parameter): Parameter {
    return p.$ref ? this.description.components.parameters[p.$ref.split('/').pop()!] : p;
  }

  private compile(method: string, template: string, spec: OperationSpec): Operation {
    const pathParams: string[] = [];
    // {path} of the contents API spans slashes; every other parameter is one segment.
    const pattern = new RegExp(`^${template.replace(/\{([^}]+)\}/g, (_m, name: string) => {
      pathParams.push(name);
      return name === 'path' || name === 'ref' ? '(.+)' : '([^/]+)';
    })}$`);
    const body = spec.requestBody?.content['application/json']?.schema;
    const responses = new Map<number, { validate?: ValidateFunction; schema?: Schema }>();
    for (const [status, response] of Object.entries(spec.responses)) {
      const resolved = response.$ref ? this.description.components.responses[response.$ref.split('/').pop()!] : response;
      const schema = resolved?.content?.['application/json']?.schema;
      responses.set(Number(status), schema ? { schema, validate: this.ajv.compile(anchored(schema) as Schema) } : {});
    }
    return {
      id: spec.operationId,
      method,
      template,
      pattern,
      pathParams,
      query: (spec.parameters ?? []).map((p) => this.parameter(p)).filter((p) => p.in === 'query'),
      validateBody: body ? this.ajv.compile(anchored(body) as Schema) : undefined,
      bodyRequired: Boolean(spec.requestBody?.required),
      responses,
    };
  }

  /** The operation a request is, with its path parameters; undefined when the subset has none. */
  match(method: string, path: string): Matched | undefined {
    for (const operation of this.operations) {
      if (operation.method !== method) continue;
      const m = path.match(operation.pattern);
      if (m) return { operation, params: Object.fromEntries(operation.pathParams.map((n, i) => [n, decodeURIComponent(m[i + 1])])) };
    }
    return undefined;
  }

  /** Problems of a request body as GitHub's 422 lists them (empty when it is valid). */
  checkBody(operation: Operation, body: unknown): string[] {
    if (body === undefined) return operation.bodyRequired ? ['the request body is required'] : [];
    if (!operation.validateBody || operation.validateBody(body)) return [];
    return (operation.validateBody.errors ?? []).map((e) => `${e.instancePath || 'body'} ${e.message ?? 'is invalid'}`);
  }

  /** Problems of an answer against the documented response of that status (empty when it is valid or undocumented). */
  checkResponse(operation: Operation, status: number, body: unknown): string[] {
    const validate = operation.responses.get(status)?.validate;
    if (!validate || validate(body)) return [];
    return (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || 'response'} ${e.message ?? 'is invalid'}`);
  }

  /** A component schema, for filling the documentation-only fields of an answer. */
  schema(name: string): Schema {
    const schema = this.description.components.schemas[name];
    if (!schema) throw new Error(`no schema ${name} in local/github/openapi.json`);
    return schema;
  }

  resolve(schema: Schema): Schema {
    const ref = schema.$ref as string | undefined;
    return ref ? this.resolve(this.schema(ref.split('/').pop()!)) : schema;
  }

  /**
   * An answer with the fields the stand-in does not model (avatar URLs, counters, node ids) filled
   * in as the schema types them: null where nullable, 0, false, [], or a URL for *_url. What the
   * handler set is kept; the contract check that follows still sees everything.
   */
  complete(schemaName: string, value: Record<string, unknown>): Record<string, unknown> {
    return this.fill(this.schema(schemaName), value, '') as Record<string, unknown>;
  }

  private fill(schema: Schema, value: unknown, key: string): unknown {
    const s = this.resolve(schema);
    if (value === undefined) return this.placeholder(s, key);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      if (Array.isArray(value) && s.items) return value.map((v) => this.fill(s.items as Schema, v, key));
      return value;
    }
    // One of several shapes (a reviewer is a user or a team): the first, which the handlers build.
    const alternatives = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
    if (alternatives?.length && !s.properties) return this.fill(alternatives[0], value, key);
    const parts = [s, ...((s.allOf as Schema[] | undefined) ?? []).map((x) => this.resolve(x))];
    const out = { ...(value as Record<string, unknown>) };
    for (const part of parts) {
      const props = (part.properties ?? {}) as Record<string, Schema>;
      for (const k of (part.required as string[] | undefined) ?? []) if (!(k in out)) out[k] = this.placeholder(this.resolve(props[k] ?? {}), k);
      for (const [k, v] of Object.entries(out)) if (props[k] && v && typeof v === 'object') out[k] = this.fill(props[k], v, k);
    }
    return out;
  }

  private placeholder(s: Schema, key: string): unknown {
    if (s.nullable) return null;
    const alt = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
    if (alt?.length) return this.placeholder(this.resolve(alt[0]), key);
    if (s.allOf) return this.fill(s, {}, key);
    if (s.enum) return (s.enum as unknown[])[0];
    switch (s.type) {
      case 'integer':
      case 'number':
        return 0;
      case 'boolean':
        return false;
      case 'array':
        return [];
      case 'object':
        return this.fill(s, {}, key);
      case 'string':
        if (s.format === 'date-time') return new Date(0).toISOString();
        return key.endsWith('url') ? `http://github.local/${key}` : '';
      default:
        return null;
    }
  }
}
