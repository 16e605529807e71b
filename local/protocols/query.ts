// awsQuery (CloudFormation, STS): form-encoded requests, XML responses and errors.
import type { ServerResponse } from 'node:http';
import type { TwinError } from '../errors.js';
import { toXml } from './wire.js';

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

/**
 * Flat awsQuery parameters as the structure they encode: `A.member.1.B=x` -> { A: [{ B: 'x' }] },
 * `M.entry.1.key=k&M.entry.1.value=v` -> { M: { k: 'v' } }. Values stay strings.
 */
export function decodeQuery(params: Record<string, string>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    const parts = key.split('.');
    let node: Record<string, unknown> = root;
    for (let i = 0; i < parts.length; i++) {
      const last = i === parts.length - 1;
      const part = parts[i];
      if ((part === 'member' || part === 'entry') && i + 1 < parts.length) {
        // Lists and maps are gathered as index -> item here and turned into arrays / maps below.
        const bucket = (node[`@${part}`] ??= {}) as Record<string, Record<string, unknown>>;
        const index = parts[++i];
        if (i === parts.length - 1) {
          bucket[index] = value as unknown as Record<string, unknown>;
          break;
        }
        node = bucket[index] ??= {};
        continue;
      }
      if (last) node[part] = value;
      else node = (node[part] ??= {}) as Record<string, unknown>;
    }
  }
  return finish(root) as Record<string, unknown>;
}

function finish(node: unknown): unknown {
  if (!node || typeof node !== 'object') return node;
  const obj = node as Record<string, unknown>;
  const byIndex = (items: Record<string, unknown>) => Object.entries(items).sort(([a], [b]) => Number(a) - Number(b)).map(([, v]) => finish(v));
  if (obj['@member']) return byIndex(obj['@member'] as Record<string, unknown>);
  if (obj['@entry']) return Object.fromEntries((byIndex(obj['@entry'] as Record<string, unknown>) as { key: string; value: unknown }[]).map((e) => [e.key, e.value]));
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, finish(v)]));
}

export function sendQueryResult(res: ServerResponse, action: string, xmlns: string, result: unknown, requestId: string): void {
  const body =
    `<${action}Response xmlns="${xmlns}"><${action}Result>${toXml(result)}</${action}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
  res.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
  res.end(body);
}

export function sendQueryError(res: ServerResponse, error: TwinError, requestId: string): void {
  const body =
    `<ErrorResponse><Error><Type>${error.fault}</Type><Code>${error.code}</Code><Message>${toXml(error.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`;
  res.writeHead(error.status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
  res.end(body);
}
