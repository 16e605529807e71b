// awsJson1_1 (SageMaker, ECR, Application Auto Scaling) and awsJson1_0 query-compatible
// (CloudWatch): the operation in x-amz-target, JSON in and out, errors by __type.
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { TwinError } from '../errors.js';

export interface JsonService {
  /** The x-amz-target prefix: SageMaker, AmazonEC2ContainerRegistry_V20150921, ... */
  prefix: string;
  name: string;
  contentType: 'application/x-amz-json-1.1' | 'application/x-amz-json-1.0';
  /** CloudWatch's JSON protocol also reports the error code in x-amzn-query-error. */
  queryCompatible?: boolean;
}

export function jsonTarget(headers: IncomingHttpHeaders): { prefix: string; operation: string } | undefined {
  const target = headers['x-amz-target'];
  if (typeof target !== 'string' || !target.includes('.')) return undefined;
  const dot = target.lastIndexOf('.');
  return { prefix: target.slice(0, dot), operation: target.slice(dot + 1) };
}

export function sendJson(res: ServerResponse, service: JsonService, output: unknown, requestId: string): void {
  res.writeHead(200, { 'content-type': service.contentType, 'x-amzn-requestid': requestId });
  res.end(JSON.stringify(output ?? {}));
}

export function sendJsonError(res: ServerResponse, service: JsonService, error: TwinError, requestId: string): void {
  const headers: Record<string, string> = { 'content-type': service.contentType, 'x-amzn-requestid': requestId, 'x-amzn-errortype': error.code };
  if (service.queryCompatible) headers['x-amzn-query-error'] = `${error.code};${error.fault}`;
  res.writeHead(error.status, headers);
  res.end(JSON.stringify({ __type: error.code, message: error.message }));
}
