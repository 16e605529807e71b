// The offline twin: one loopback HTTP server that speaks each AWS client's own protocol. Clients
// reach it through AWS_ENDPOINT_URL only; no action code knows it exists.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Clock } from './clock.js';
import { providers } from './cloudformation/providers.js';
import { signerOf, type RequestContext } from './context.js';
import { Contract, findBotocoreData } from './contract.js';
import { notImplemented, TwinError } from './errors.js';
import { Faults, type FaultRule } from './faults.js';
import { Fleets } from './hosting/fleets.js';
import { jsonTarget, sendJson, sendJsonError, type JsonService } from './protocols/json.js';
import { decodeQuery, parseQuery, sendQueryError, sendQueryResult } from './protocols/query.js';
import { recoverInterrupted } from './recovery.js';
import { autoscalingOperations } from './services/autoscaling.js';
import { CLOUDFORMATION_XMLNS, cloudformationOperations } from './services/cloudformation.js';
import { cloudwatchOperations } from './services/cloudwatch.js';
import { ecrOperations } from './services/ecr.js';
import { handleS3, sendS3Error } from './services/s3.js';
import { hostingOperations } from './services/sagemaker-hosting.js';
import { jobOperations } from './services/sagemaker-jobs.js';
import { pipelineOperations } from './services/sagemaker-pipelines.js';
import { registryOperations } from './services/sagemaker-registry.js';
import { handleInvocation, isInvocation, sendRuntimeError } from './services/sagemaker-runtime.js';
import { accountOf, STS_XMLNS, stsOperations } from './services/sts.js';
import { Store } from './store.js';

type Input = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Operations = Record<string, (input: Input, ctx: RequestContext) => unknown>;
type Service = JsonService & { operations: Operations; model: string };
type QueryService = { name: string; model: string; xmlns: string; operations: Operations; typedByModel?: boolean };

/** Every service of the twin by how requests name it: JSON by x-amz-target prefix, awsQuery by Version. */
function services(repoRoot: string, fleets: Fleets): { json: Record<string, Service>; query: Record<string, QueryService> } {
  const sagemaker = { ...registryOperations, ...jobOperations(repoRoot), ...pipelineOperations(repoRoot), ...hostingOperations(fleets) };
  const ecr = ecrOperations(repoRoot);
  const json1 = 'application/x-amz-json-1.1' as const;
  const json: Record<string, Service> = {
    SageMaker: { prefix: 'SageMaker', name: 'SageMaker', model: 'sagemaker', contentType: json1, operations: sagemaker },
    AmazonEC2ContainerRegistry_V20150921: { prefix: 'AmazonEC2ContainerRegistry_V20150921', name: 'ECR', model: 'ecr', contentType: json1, operations: ecr },
    GraniteServiceVersion20100801: {
      prefix: 'GraniteServiceVersion20100801', name: 'CloudWatch', model: 'cloudwatch', contentType: 'application/x-amz-json-1.0', queryCompatible: true, operations: cloudwatchOperations,
    },
    AnyScaleFrontendService: { prefix: 'AnyScaleFrontendService', name: 'ApplicationAutoScaling', model: 'application-autoscaling', contentType: json1, operations: autoscalingOperations },
  };
  const cfnProviders = providers({ sagemaker, ecr, cloudwatch: cloudwatchOperations, autoscaling: autoscalingOperations });
  const query: Record<string, QueryService> = {
    '2011-06-15': { name: 'STS', model: 'sts', xmlns: STS_XMLNS, operations: stsOperations },
    '2010-05-15': { name: 'CloudFormation', model: 'cloudformation', xmlns: CLOUDFORMATION_XMLNS, operations: cloudformationOperations(cfnProviders) },
    // CloudWatch's awsQuery protocol, still spoken by boto3 and JS SDKs before 3.949: typed by botocore's model.
    '2010-08-01': { name: 'CloudWatch', model: 'cloudwatch', xmlns: 'http://monitoring.amazonaws.com/doc/2010-08-01/', operations: cloudwatchOperations, typedByModel: true },
  };
  return { json, query };
}

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
  /** More folders of containers, searched after containers/ (tests keep stand-in containers there). */
  containerDirs?: string[];
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
  const fleets = new Fleets({ repoRoot, containerDirs: options.containerDirs ?? [] });
  const { json: JSON_SERVICES, query: QUERY_SERVICES } = services(repoRoot, fleets);
  recoverInterrupted(store);
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
      faults,
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
      const service = JSON_SERVICES[target.prefix] ?? { prefix: target.prefix, name: target.prefix, model: '', contentType: 'application/x-amz-json-1.1' as const, operations: {} };
      label = `${service.name}.${target.operation}`;
      try {
        await applyFaults(service.name, target.operation, 'json');
        const op = service.operations[target.operation];
        if (!op) throw notImplemented(service.name, target.operation);
        const input = JSON.parse(body.toString() || '{}');
        if (contract && service.model) rejectViolations(contract.checkJson(service.model, target.operation, input));
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
        if (!service.typedByModel) {
          sendQueryResult(res, query.action, service.xmlns, await op(decodeQuery(query.params), ctx), requestId);
          return finish();
        }
        const input = contract?.queryAsJson(service.model, query.action, query.params);
        if (!input) throw notImplemented(`${service.name} over awsQuery (it needs botocore's models from .venv)`, query.action);
        sendQueryResult(res, query.action, service.xmlns, contract!.jsonAsQuery(service.model, query.action, await op(input, ctx)), requestId);
      } catch (error) {
        const e = error instanceof TwinError ? error : internal(error, log);
        status = e.status;
        sendQueryError(res, e, requestId);
      }
      return finish();
    }

    if (isInvocation(req.method, url) && signer.service !== 's3') {
      label = `SageMakerRuntime.InvokeEndpoint ${url.split('/')[2]}`;
      try {
        await applyFaults('SageMakerRuntime', 'InvokeEndpoint', 'json');
        await handleInvocation(req, res, body, ctx, fleets);
        status = res.statusCode;
      } catch (error) {
        const e = error instanceof TwinError ? error : internal(error, log);
        status = e.status;
        sendRuntimeError(res, e, requestId);
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
        fleets.stopAll();
        store.flush();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function internal(error: unknown, log: (line: string) => void): TwinError {
  log(`internal error: ${(error as Error)?.stack ?? String(error)}`);
  return new TwinError('InternalFailure', `The twin failed: ${(error as Error)?.message ?? String(error)}`, 500, 'Receiver');
}
