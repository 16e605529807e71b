// awsJson1_1 (SageMaker, ECR, Application Auto Scaling) and awsJson1_0 query-compatible
// (CloudWatch): the operation in x-amz-target, JSON in and out, errors by __type.
import type { IncomingHttpHeaders } from 'node:http';
import type { Protocol, ServiceDefinition } from './adapter.js';
import { jsonOutput, typedInput } from './shapes.js';
import { TwinError } from '../errors.js';

export function jsonTarget(headers: IncomingHttpHeaders): { prefix: string; operation: string } | undefined {
  const target = headers['x-amz-target'];
  if (typeof target !== 'string' || !target.includes('.')) return undefined;
  const dot = target.lastIndexOf('.');
  return { prefix: target.slice(0, dot), operation: target.slice(dot + 1) };
}

const contentType = (service?: ServiceDefinition) => `application/x-amz-json-${service?.json?.version ?? '1.1'}`;

export const jsonProtocol: Protocol = {
  name: 'json',
  validationCode: 'ValidationException',
  throttling: { code: 'ThrottlingException', message: 'Rate exceeded', status: 400 },

  parse(req, model, operation) {
    let body: unknown;
    try {
      body = JSON.parse(req.body.toString() || '{}');
    } catch {
      throw new TwinError('SerializationException', 'The request body is not valid JSON');
    }
    const shape = model.operation(operation)?.input?.shape;
    return (shape ? typedInput(model, shape, body) : body) as Record<string, unknown>;
  },

  serialize(model, operation, output, requestId, service) {
    const shape = model.operation(operation)?.output?.shape;
    const body = shape ? jsonOutput(model, shape, output ?? {}) : output ?? {};
    return { status: 200, headers: { 'content-type': contentType(service), 'x-amzn-requestid': requestId }, body: JSON.stringify(body) };
  },

  error(error, requestId, _req, service) {
    const headers: Record<string, string> = { 'content-type': contentType(service), 'x-amzn-requestid': requestId, 'x-amzn-errortype': error.code };
    if (service?.json?.queryCompatible) headers['x-amzn-query-error'] = `${error.code};${error.fault}`;
    return { status: error.status, headers, body: JSON.stringify({ __type: error.code, message: error.message, ...error.fields }) };
  },
};
