// awsQuery (CloudFormation, STS, and CloudWatch for boto3): form-encoded requests whose flat
// parameters are rebuilt into the input shape and typed by it; XML responses written from the
// output shape; XML errors.
import type { Protocol } from './adapter.js';
import type { ServiceModel } from './model.js';
import { scalarIn } from './shapes.js';
import { escapeXml, toXmlContent } from './xml.js';

export interface QueryRequest {
  action: string;
  version: string;
  params: Record<string, string>;
}

export function parseQuery(body: string): QueryRequest | undefined {
  const form = new URLSearchParams(body);
  const action = form.get('Action');
  if (!action) return undefined;
  const params: Record<string, string> = {};
  for (const [k, v] of form) if (k !== 'Action' && k !== 'Version') params[k] = v;
  return { action, version: form.get('Version') ?? '', params };
}

/** `A.member.1.B=x` -> { A: [{ B: 'x' }] }, `M.entry.1.key=k&M.entry.1.value=v` -> { M: { k: 'v' } }, typed by the shapes. */
export function queryInput(model: ServiceModel, shapeName: string, params: Record<string, string>, prefix = ''): unknown {
  const shape = model.shape(shapeName);
  const present = (key: string) => Object.keys(params).some((k) => k === key || k.startsWith(`${key}.`));
  if (shape.type === 'structure') {
    const out: Record<string, unknown> = {};
    for (const [name, m] of Object.entries(shape.members ?? {})) {
      const key = prefix ? `${prefix}.${m.locationName ?? name}` : m.locationName ?? name;
      if (present(key)) out[name] = queryInput(model, m.shape, params, key);
    }
    return out;
  }
  if (shape.type === 'list') {
    const base = shape.flattened ? `${prefix}.` : `${prefix}.${shape.member!.locationName ?? 'member'}.`;
    const indexes = new Set(Object.keys(params).filter((k) => k.startsWith(base)).map((k) => Number(k.slice(base.length).split('.')[0])));
    return [...indexes].filter(Number.isInteger).sort((a, b) => a - b).map((i) => queryInput(model, shape.member!.shape, params, `${base}${i}`));
  }
  if (shape.type === 'map') {
    const out: Record<string, unknown> = {};
    for (let i = 1; `${prefix}.entry.${i}.key` in params; i++) out[params[`${prefix}.entry.${i}.key`]] = queryInput(model, shape.value!.shape, params, `${prefix}.entry.${i}.value`);
    return out;
  }
  return scalarIn(shape, params[prefix]);
}

export const queryProtocol: Protocol = {
  name: 'query',
  validationCode: 'ValidationError',
  throttling: { code: 'Throttling', message: 'Rate exceeded', status: 400 },

  parse(req, model, operation) {
    const shape = model.operation(operation)?.input?.shape;
    const params = parseQuery(req.body.toString())?.params ?? {};
    return (shape ? queryInput(model, shape, params) : {}) as Record<string, unknown>;
  },

  serialize(model, operation, output, requestId) {
    const out = model.operation(operation)?.output;
    const xmlns = model.metadata.xmlNamespace ?? '';
    const result = out ? `<${out.resultWrapper ?? `${operation}Result`}>${toXmlContent(model, out.shape, output ?? {})}</${out.resultWrapper ?? `${operation}Result`}>` : '';
    const body = `<${operation}Response xmlns="${xmlns}">${result}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`;
    return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
  },

  error(error, requestId) {
    const body =
      `<ErrorResponse><Error><Type>${error.fault}</Type><Code>${error.code}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
      `<RequestId>${requestId}</RequestId></ErrorResponse>`;
    return { status: error.status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
  },
};
