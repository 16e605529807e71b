// restXml (S3) and restJson1 (SageMaker Runtime): the operation from the HTTP method, the path,
// the query string and the headers its botocore binding requires; members bound to the URI,
// query string, headers or payload; responses written back through the same bindings.
import type { Protocol, ServiceDefinition, WireRequest, WireResponse } from './adapter.js';
import type { Member, OperationModel, ServiceModel } from './model.js';
import { jsonOutput, scalarIn, scalarText, typedInput } from './shapes.js';
import { escapeXml, fromXmlContent, parseXml, toXmlContent } from './xml.js';
import { TwinError } from '../errors.js';

interface Route {
  operation: OperationModel;
  pattern: RegExp;
  labels: string[];
  /** Query keys (and values) the request URI itself carries: `?uploads`, `?list-type=2`. */
  literals: [string, string | undefined][];
}

const routeCache = new WeakMap<ServiceModel, Route[]>();

function routesOf(model: ServiceModel): Route[] {
  let routes = routeCache.get(model);
  if (!routes) {
    routes = model.operations.filter((op) => op.http).map((operation) => {
      const [path, query = ''] = operation.http!.requestUri.split('?');
      const labels: string[] = [];
      const source = path.replace(/\{([^}]+)\}|[^{]+/g, (part, label: string | undefined) => {
        if (!label) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
        labels.push(label.replace(/\+$/, ''));
        return label.endsWith('+') ? '(.+)' : '([^/]+)';
      });
      const literals = query.split('&').filter(Boolean).map((kv) => kv.split('=') as [string, string | undefined]);
      return { operation, pattern: new RegExp(`^${source === '/' ? '/' : `${source.replace(/\/$/, '')}/?`}$`), labels, literals };
    });
    routeCache.set(model, routes);
  }
  return routes;
}

const header = (req: WireRequest, name: string) => {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(',') : v;
};

/** Members of an operation's input bound to the query string or headers that must be present. */
function requiredBindings(model: ServiceModel, op: OperationModel): { where: 'querystring' | 'header'; name: string }[] {
  if (!op.input) return [];
  const shape = model.shape(op.input.shape);
  return (shape.required ?? [])
    .map((name) => shape.members![name])
    .filter((m) => m.location === 'querystring' || m.location === 'header')
    .map((m) => ({ where: m.location as 'querystring' | 'header', name: m.locationName! }));
}

/**
 * The operation a REST request names: among the operations of its method whose path matches,
 * the one whose literal query keys and required query and header members the request carries
 * most of (PUT with x-amz-copy-source is CopyObject, with ?uploadId&partNumber UploadPart).
 * The JS SDK also names the operation in `x-id`, which settles it.
 */
export function routeRest(model: ServiceModel, req: WireRequest): { operation: string; labels: Record<string, string> } | undefined {
  let best: { score: number; route: Route; match: RegExpMatchArray } | undefined;
  const named = req.query.get('x-id');
  for (const route of routesOf(model)) {
    if (route.operation.http!.method !== req.method) continue;
    const match = req.path.match(route.pattern);
    if (!match) continue;
    if (named && route.operation.name === named) {
      best = { score: Infinity, route, match };
      break;
    }
    if (!route.literals.every(([k, v]) => req.query.has(k) && (v === undefined || req.query.get(k) === v))) continue;
    const required = requiredBindings(model, route.operation);
    if (!required.every((r) => (r.where === 'querystring' ? req.query.has(r.name) : header(req, r.name) !== undefined))) continue;
    const score = route.literals.length * 10 + required.length;
    if (!best || score > best.score) best = { score, route, match };
  }
  if (!best) return undefined;
  const labels = Object.fromEntries(best.route.labels.map((l, i) => [l, decodeURIComponent(best.match[i + 1])]));
  return { operation: best.route.operation.name, labels };
}

/** The SDKs stream bodies of unknown length as aws-chunked, with chunk signatures and trailers. */
export function decodeBody(req: Pick<WireRequest, 'headers'>, raw: Buffer): Buffer {
  const sha = String(req.headers['x-amz-content-sha256'] ?? '');
  const encoding = String(req.headers['content-encoding'] ?? '');
  if (!sha.startsWith('STREAMING-') && !encoding.includes('aws-chunked')) return raw;
  const chunks: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = parseInt(raw.subarray(at, lineEnd).toString().split(';')[0], 16);
    if (!size) break;
    chunks.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(chunks);
}

function parseRest(kind: 'rest-xml' | 'rest-json', req: WireRequest, model: ServiceModel, operation: string): Record<string, unknown> {
  const op = model.operation(operation)!;
  const input: Record<string, unknown> = {};
  if (!op.input) return input;
  const shape = model.shape(op.input.shape);
  const labels = req.labels ?? {};
  const bodyMembers: string[] = [];
  for (const [name, m] of Object.entries(shape.members ?? {})) {
    const memberShape = model.shape(m.shape);
    if (m.location === 'uri') {
      if (labels[m.locationName ?? name] !== undefined) input[name] = labels[m.locationName ?? name];
    } else if (m.location === 'querystring') {
      const values = req.query.getAll(m.locationName ?? name);
      if (values.length === 0) continue;
      input[name] = memberShape.type === 'list' ? values.map((v) => scalarIn(model.shape(memberShape.member!.shape), v)) : scalarIn(memberShape, values[0]);
    } else if (m.location === 'header') {
      const v = header(req, m.locationName ?? name);
      if (v !== undefined) input[name] = scalarIn(memberShape, v);
    } else if (m.location === 'headers') {
      const prefix = (m.locationName ?? '').toLowerCase();
      const prefixed = Object.entries(req.headers).filter(([k]) => k.startsWith(prefix));
      const map = Object.fromEntries(prefixed.map(([k, v]) => [k.slice(prefix.length), String(v)]));
      if (Object.keys(map).length) input[name] = map;
    } else if (!m.location) {
      bodyMembers.push(name);
    }
  }
  const body = decodeBody(req, req.body);
  if (shape.payload) {
    const m = shape.members![shape.payload];
    const payloadShape = model.shape(m.shape);
    if (payloadShape.type === 'blob' || payloadShape.type === 'string') input[shape.payload] = body;
    else if (body.length) input[shape.payload] = kind === 'rest-xml' ? fromXmlContent(model, m.shape, parseXml(body.toString()).content) : typedInput(model, m.shape, JSON.parse(body.toString()));
  } else if (bodyMembers.length && body.length) {
    const parsed = kind === 'rest-xml' ? (fromXmlContent(model, op.input.shape, parseXml(body.toString()).content) as Record<string, unknown>) : (typedInput(model, op.input.shape, JSON.parse(body.toString())) as Record<string, unknown>);
    for (const name of bodyMembers) if (parsed[name] !== undefined) input[name] = parsed[name];
  }
  return input;
}

function serializeRest(kind: 'rest-xml' | 'rest-json', model: ServiceModel, operation: string, output: unknown, requestId: string, service: ServiceDefinition): WireResponse {
  const op = model.operation(operation)!;
  const headers: Record<string, string> = kind === 'rest-xml' ? { 'x-amz-request-id': requestId } : { 'x-amzn-requestid': requestId };
  let status = op.http?.responseCode ?? 200;
  const { $status, ...out } = (output ?? {}) as Record<string, unknown>;
  // A handler may answer another success status than the operation's own (S3's 206 for a range).
  if (typeof $status === 'number') status = $status;
  if (!op.output) return { status, headers };
  const shape = model.shape(op.output.shape);
  const body: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(out)) {
    const m: Member | undefined = shape.members?.[name];
    if (value === undefined || value === null || !m) continue;
    if (m.location === 'header') headers[(m.locationName ?? name).toLowerCase()] = scalarText(model.shape(m.shape), value, 'rfc822', m);
    else if (m.location === 'headers') for (const [k, v] of Object.entries(value as Record<string, string>)) headers[`${(m.locationName ?? '').toLowerCase()}${k}`] = v;
    else if (m.location === 'statusCode') status = Number(value);
    else if (!m.location && name !== shape.payload) body[name] = value;
  }
  if (shape.payload) {
    const m = shape.members![shape.payload];
    const value = out[shape.payload];
    const payloadShape = model.shape(m.shape);
    if (value === undefined) return { status, headers };
    if (payloadShape.type === 'blob' || payloadShape.type === 'string') return { status, headers, body: value as Buffer | string };
    if (kind === 'rest-json') return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(jsonOutput(model, m.shape, value)) };
    const root = m.locationName ?? shape.payload;
    return { status, headers: { 'content-type': 'application/xml', ...headers }, body: xmlDocument(root, toXmlContent(model, m.shape, value)) };
  }
  if (Object.keys(body).length === 0) return { status, headers };
  if (kind === 'rest-json') return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(jsonOutput(model, op.output.shape, body)) };
  const root = service.xmlRoots?.[operation] ?? shape.locationName ?? `${operation}Result`;
  return { status, headers: { 'content-type': 'application/xml', ...headers }, body: xmlDocument(root, toXmlContent(model, op.output.shape, body)) };
}

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const xmlDocument = (root: string, content: string) => `<?xml version="1.0" encoding="UTF-8"?><${root} xmlns="${XMLNS}">${content}</${root}>`;

export const restXmlProtocol: Protocol = {
  name: 'rest-xml',
  validationCode: 'InvalidArgument',
  throttling: { code: 'SlowDown', message: 'Please reduce your request rate.', status: 503 },
  parse: (req, model, operation) => parseRest('rest-xml', req, model, operation),
  serialize: (model, operation, output, requestId, service) => serializeRest('rest-xml', model, operation, output, requestId, service),
  error(error: TwinError, requestId, req) {
    const headers = { 'content-type': 'application/xml', 'x-amz-request-id': requestId };
    // HEAD responses carry no body; the SDK reads the status alone.
    if (req.method === 'HEAD') return { status: error.status, headers };
    const fields = Object.entries(error.fields).map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`).join('');
    const body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${error.code}</Code><Message>${escapeXml(error.message)}</Message>${fields}<RequestId>${requestId}</RequestId></Error>`;
    return { status: error.status, headers, body };
  },
};

export const restJsonProtocol: Protocol = {
  name: 'rest-json',
  validationCode: 'ValidationError',
  throttling: { code: 'ThrottlingException', message: 'Rate exceeded', status: 400 },
  parse: (req, model, operation) => parseRest('rest-json', req, model, operation),
  serialize: (model, operation, output, requestId, service) => serializeRest('rest-json', model, operation, output, requestId, service),
  error(error: TwinError, requestId) {
    const headers = { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amzn-errortype': error.code };
    return { status: error.status, headers, body: JSON.stringify({ message: error.message, ...error.fields }) };
  },
};
