import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface StubResponse {
  status: number;
  headers?: Record<string, string>;
  body: string;
  /** Hold the response back this long (real time), to exercise client timeouts. */
  delayMs?: number;
}

/**
 * A loopback HTTP server that answers from a queue and records every request, so tests can
 * drive a real AWS SDK client (its retries, timeouts, headers) without AWS.
 */
export class HttpStub {
  readonly requests: RecordedRequest[] = [];
  private readonly queue: StubResponse[] = [];
  private server?: Server;
  url = '';

  respond(...responses: StubResponse[]): this {
    this.queue.push(...responses);
    return this;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
        const next = this.queue.shift() ?? { status: 500, body: 'no stubbed response left' };
        const send = () => {
          if (res.destroyed) return;
          // The SDK corrects for clock skew from this header; under fake timers it must be the faked time.
          res.writeHead(next.status, { date: new Date().toUTCString(), ...next.headers });
          res.end(next.body);
        };
        if (next.delayMs) setTimeout(send, next.delayMs).unref();
        else send();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

/** An awsQuery (CloudFormation) XML response. */
export function queryXml(operation: string, result: string): StubResponse {
  return {
    status: 200,
    headers: { 'content-type': 'text/xml' },
    body: `<${operation}Response xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><${operation}Result>${result}</${operation}Result><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></${operation}Response>`,
  };
}

/** An awsQuery error response, as CloudFormation and STS send them. */
export function queryError(status: number, code: string, message: string): StubResponse {
  return {
    status,
    headers: { 'content-type': 'text/xml' },
    body: `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r-2</RequestId></ErrorResponse>`,
  };
}
