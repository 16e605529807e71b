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

/** `X.member.N` (or `X.member.N.Field`) entries as a list, in order. */
export function queryList(params: Record<string, string>, name: string): string[];
export function queryList(params: Record<string, string>, name: string, fields: string[]): Record<string, string>[];
export function queryList(params: Record<string, string>, name: string, fields?: string[]): (string | Record<string, string>)[] {
  const out: (string | Record<string, string>)[] = [];
  for (let i = 1; ; i++) {
    const prefix = `${name}.member.${i}`;
    if (!fields) {
      if (!(prefix in params)) break;
      out.push(params[prefix]);
      continue;
    }
    const item: Record<string, string> = {};
    for (const f of fields) if (`${prefix}.${f}` in params) item[f] = params[`${prefix}.${f}`];
    if (Object.keys(item).length === 0) break;
    out.push(item);
  }
  return out;
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
