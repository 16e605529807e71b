// The offline twin: one loopback HTTP server that speaks each AWS client's own protocol. Clients
// reach it through AWS_ENDPOINT_URL only; no action code knows it exists.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Clock } from './clock.js';
import { signerOf, type RequestContext } from './context.js';
import { Contract, findBotocoreData } from './contract.js';
import { notImplemented, TwinError } from './errors.js';
import { Faults, type FaultRule } from './faults.js';
import { jsonTarget, sendJson, sendJsonError, type JsonService } from './protocols/json.js';
import { parseQuery, sendQueryError, sendQueryResult } from './protocols/query.js';
import { ecrOperations } from './services/ecr.js';
import { handleS3, sendS3Error } from './services/s3.js';
import { jobOperations } from './services/sagemaker-jobs.js';
import { pipelineOperations } from './services/sagemaker-pipelines.js';
import { registryOperations } from './services/sagemaker-registry.js';
import { accountOf, STS_XMLNS, stsOperations } from './services/sts.js';
import { Store } from './store.js';

type Operations<I> = Record<string, (input: I, ctx: RequestContext) => unknown>;

function jsonServices(repoRoot: string): Record<string, JsonService & { operations: Operations<Record<string, unknown>> }> {
  return {
    SageMaker: {
      prefix: 'SageMaker',
      name: 'SageMaker',
      contentType: 'application/x-amz-json-1.1',
      operations: { ...registryOperations, ...jobOperations(repoRoot), ...pipelineOperations(repoRoot) },
    },
    AmazonEC2ContainerRegistry_V20150921: {
      prefix: 'AmazonEC2ContainerRegistry_V20150921',
      name: 'ECR',
      contentType: 'application/x-amz-json-1.1',
      operations: ecrOperations(repoRoot),
    },
  };
}

const QUERY_SERVICES: Record<string, { name: string; model: string; xmlns: string; operations: Operations<Record<string, string>> }> = {
  '2011-06-15': { name: 'STS', model: 'sts', xmlns: STS_XMLNS, operations: stsOperations },
};

// botocore's name for each JSON service's model.
const BOTOCORE_MODEL: Record<string, string> = { SageMaker: 'sagemaker', ECR: 'ecr' };

export interface TwinOptions {
  stateDir: string;
  port?: number;
  host?: string;
  /** Simulated time runs this many times faster than real time. */
  timeScale?: number;
  /** The account of callers that did not assume a role. */
  account?: string;
  region?: string;
  faults?: FaultRule[];
  log?: (line: string) => void;
  /** The repository whose containers/ the twin's jobs run (default the working directory). */
  repoRoot?: string;
  /**
   * Validate every request against botocore's models (from the project's .venv by default), and
   * reject violations as AWS would. false turns it off.
   */
  contract?: boolean | string;
}

export interface Twin {
  url: string;
  port: number;
  store: Store;
  faults: Faults;
  /** The contract check, when botocore's models were found. */
  contract?: Contract;
  stop(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function faultError(rule: FaultRule, protocol: 'json' | 'query' | 's3'): TwinError | undefined {
  if (rule.kind === 'throttle') {
    if (protocol === 's3') return new TwinError('SlowDown', 'Please reduce your request rate.', 503);
    return new TwinError(protocol === 'query' ? 'Throttling' : 'ThrottlingException', 'Rate exceeded', 400);
  }
  if (rule.kind === 'error') return new TwinError(protocol === 's3' ? 'InternalError' : 'InternalFailure', 'Injected fault: internal error', 500, 'Receiver');
  return undefined;
}

export async function startTwin(options: TwinOptions): Promise<Twin> {
  const store = new Store(options.stateDir);
  const clock = new Clock(options.timeScale ?? 1);
  const faults = new Faults();
  faults.set(options.faults ?? []);
  const log = options.log ?? (() => undefined);
  const repoRoot = options.repoRoot ?? process.cwd();
  const JSON_SERVICES = jsonServices(repoRoot);
  const dataDir = options.contract === false ? undefined : typeof options.contract === 'string' ? options.contract : findBotocoreData(repoRoot);
  const contract = dataDir ? new Contract(dataDir) : undefined;
  const rejectViolations = (messages: string[]) => {
    if (messages.length === 0) return;
    const count = `${messages.length} validation error${messages.length > 1 ? 's' : ''} detected`;
    throw new TwinError('ValidationException', `${count}: ${messages.join('; ')}`);
  };

  /** Delays the call, or throws the injected error, when a fault rule picks it. */
  async function applyFaults(service: string, operation: string, protocol: 'json' | 'query' | 's3'): Promise<void> {
    const rule = faults.next(service, operation);
    if (rule?.kind === 'delay') await new Promise((r) => setTimeout(r, rule.delayMs ?? 1000));
    const injected = rule && faultError(rule, protocol);
    if (injected) throw injected;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const body = await readBody(req);
    const requestId = randomUUID();
    const signer = signerOf(req.headers.authorization);
    const ctx: RequestContext = {
      requestId,
      store,
      clock,
      accessKeyId: signer.accessKeyId,
      region: signer.region ?? options.region ?? 'us-east-1',
      account: accountOf({ store }, signer.accessKeyId, options.account ?? '111111111111'),
    };
    const url = req.url ?? '/';
    let label = `${req.method} ${url}`;
    let status = 200;
    const finish = () => log(`${label} ${status} ${Date.now() - started}ms`);

    // The control API, for tests: fault rules.
    if (url.startsWith('/_twin/')) {
      if (url === '/_twin/faults' && req.method === 'POST') faults.set(JSON.parse(body.toString() || '[]'));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
      return;
    }

    const target = jsonTarget(req.headers);
    if (target) {
      const service = JSON_SERVICES[target.prefix] ?? { prefix: target.prefix, name: target.prefix, contentType: 'application/x-amz-json-1.1' as const, operations: {} };
      label = `${service.name}.${target.operation}`;
      try {
        await applyFaults(service.name, target.operation, 'json');
        const op = service.operations[target.operation];
        if (!op) throw notImplemented(service.name, target.operation);
        const input = JSON.parse(body.toString() || '{}');
        if (contract && BOTOCORE_MODEL[service.name]) rejectViolations(contract.checkJson(BOTOCORE_MODEL[service.name], target.operation, input));
        sendJson(res, service, await op(input, ctx), requestId);
      } catch (error) {
        const e = error instanceof TwinError ? error : internal(error, log);
        status = e.status;
        sendJsonError(res, service, e, requestId);
      }
      return finish();
    }

    const query = String(req.headers['content-type'] ?? '').includes('x-www-form-urlencoded') ? parseQuery(body.toString()) : undefined;
    if (query) {
      const service = QUERY_SERVICES[query.version];
      label = `${service?.name ?? `Version ${query.version}`}.${query.action}`;
      try {
        if (!service) throw notImplemented(`the awsQuery API version ${query.version}`, query.action);
        await applyFaults(service.name, query.action, 'query');
        const op = service.operations[query.action];
        if (!op) throw notImplemented(service.name, query.action);
        if (contract) {
          const violations = contract.checkQuery(service.model, query.action, query.params);
          if (violations.length) throw new TwinError('ValidationError', `${violations.length} validation error${violations.length > 1 ? 's' : ''} detected: ${violations.join('; ')}`);
        }
        sendQueryResult(res, query.action, service.xmlns, await op(query.params, ctx), requestId);
      } catch (error) {
        const e = error instanceof TwinError ? error : internal(error, log);
        status = e.status;
        sendQueryError(res, e, requestId);
      }
      return finish();
    }

    label = `S3 ${req.method} ${url.split('?')[0]}`;
    try {
      await applyFaults('S3', req.method ?? 'GET', 's3');
      handleS3(req, res, body, ctx);
      status = res.statusCode;
    } catch (error) {
      const e = error instanceof TwinError ? error : internal(error, log);
      status = e.status;
      sendS3Error(res, req.method ?? 'GET', e, requestId);
    }
    finish();
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      log(`unhandled: ${(error as Error).stack}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    store,
    faults,
    contract,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function internal(error: unknown, log: (line: string) => void): TwinError {
  log(`internal error: ${(error as Error)?.stack ?? String(error)}`);
  return new TwinError('InternalFailure', `The twin failed: ${(error as Error)?.message ?? String(error)}`, 500, 'Receiver');
}
