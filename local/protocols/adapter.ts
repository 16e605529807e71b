// What every wire protocol of the twin provides to the one request chain (../chain.ts): which
// operation a request names, its input typed from the botocore shape, the response written from
// the output shape, and errors in the protocol's own form. Only adapters touch the wire.
import type { IncomingHttpHeaders } from 'node:http';
import type { ServiceModel } from './model.js';
import type { TwinError } from '../errors.js';

export interface WireRequest {
  method: string;
  /** The path without the query string, still URI-encoded. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** For REST, the URI labels the route matched ({Bucket}, {Key+}). */
  labels?: Record<string, string>;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body?: Buffer | string;
}

/** How a service is reached: the x-amz-target prefix of JSON, the Version of awsQuery, the signing name of REST. */
export interface ServiceAddress {
  json?: { target: string; version: '1.0' | '1.1'; queryCompatible?: boolean };
  query?: { version: string };
  rest?: { protocol: 'rest-json' | 'rest-xml'; signingName: string };
}

export interface ServiceDefinition extends ServiceAddress {
  /** The name in logs, errors and fault rules: SageMaker, S3, CloudFormation. */
  name: string;
  /** botocore's name for the model: sagemaker, s3, cloudformation. */
  model: string;
  operations: Record<string, (input: never, ctx: never) => unknown>;
  /** restXml root elements botocore does not record (S3's ListBucketResult). */
  xmlRoots?: Record<string, string>;
}

export type ProtocolName = 'json' | 'query' | 'rest-json' | 'rest-xml';

export interface Protocol {
  name: ProtocolName;
  /** The error code AWS answers a request that breaks its model with. */
  validationCode: string;
  /** The error a throttled call gets in this protocol. */
  throttling: { code: string; message: string; status: number };
  parse(req: WireRequest, model: ServiceModel, operation: string): Record<string, unknown>;
  serialize(model: ServiceModel, operation: string, output: unknown, requestId: string, service: ServiceDefinition): WireResponse;
  error(error: TwinError, requestId: string, req: WireRequest, service?: ServiceDefinition): WireResponse;
}
