// The offline twin: one loopback HTTP server that speaks each AWS client's own protocol. Clients
// reach it through AWS_ENDPOINT_URL only; no action code knows it exists.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RequestChain } from './chain.js';
import { Clock } from './clock.js';
import { providers } from './cloudformation/providers.js';
import { signerOf, type RequestContext } from './context.js';
import { Contract } from './contract.js';
import { Faults, type FaultRule } from './faults.js';
import { Fleets } from './hosting/fleets.js';
import type { ServiceDefinition, WireResponse } from './protocols/adapter.js';
import { findBotocoreData, ServiceModels } from './protocols/model.js';
import { recoverInterrupted } from './recovery.js';
import { autoscalingOperations } from './services/autoscaling.js';
import { cloudformationOperations } from './services/cloudformation.js';
import { cloudwatchOperations } from './services/cloudwatch.js';
import { ecrOperations } from './services/ecr.js';
import { S3_XML_ROOTS, s3Operations } from './services/s3.js';
import { hostingOperations } from './services/sagemaker-hosting.js';
import { jobOperations } from './services/sagemaker-jobs.js';
import { pipelineOperations } from './services/sagemaker-pipelines.js';
import { registryOperations } from './services/sagemaker-registry.js';
import { runtimeOperations } from './services/sagemaker-runtime.js';
import { accountOf, stsOperations } from './services/sts.js';
import { Store } from './store.js';

/**
 * Every service of the twin and how clients address it. Adding one is a line here: its botocore
 * model name, its address (JSON target, awsQuery version or REST signing name) and its operations.
 */
function services(repoRoot: string, fleets: Fleets): ServiceDefinition[] {
  const sagemaker = { ...registryOperations, ...jobOperations(repoRoot), ...pipelineOperations(repoRoot), ...hostingOperations(fleets) };
  const ecr = ecrOperations(repoRoot);
  const cfnProviders = providers({ sagemaker, ecr, cloudwatch: cloudwatchOperations, autoscaling: autoscalingOperations });
  return [
    { name: 'SageMaker', model: 'sagemaker', json: { target: 'SageMaker', version: '1.1' }, operations: sagemaker },
    { name: 'ECR', model: 'ecr', json: { target: 'AmazonEC2ContainerRegistry_V20150921', version: '1.1' }, operations: ecr },
    // CloudWatch speaks awsJson1_0 to the JS SDK and awsQuery to boto3, with the same shapes.
    {
      name: 'CloudWatch', model: 'cloudwatch', json: { target: 'GraniteServiceVersion20100801', version: '1.0', queryCompatible: true }, query: { version: '2010-08-01' }, operations: cloudwatchOperations,
    },
    { name: 'ApplicationAutoScaling', model: 'application-autoscaling', json: { target: 'AnyScaleFrontendService', version: '1.1' }, operations: autoscalingOperations },
    { name: 'STS', model: 'sts', query: { version: '2011-06-15' }, operations: stsOperations },
    { name: 'CloudFormation', model: 'cloudformation', query: { version: '2010-05-15' }, operations: cloudformationOperations(cfnProviders) },
    { name: 'SageMakerRuntime', model: 'sagemaker-runtime', rest: { protocol: 'rest-json', signingName: 'sagemaker' }, operations: runtimeOperations(fleets) },
    { name: 'S3', model: 's3', rest: { protocol: 'rest-xml', signingName: 's3' }, operations: s3Operations, xmlRoots: S3_XML_ROOTS },
  ];
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
   * botocore's data folder, whose models the twin parses, answers and checks every request by
   * (default: the project's .venv, which `bash scripts/python-env.sh` prepares).
   */
  botocoreData?: string;
}

export interface Twin {
  url: string;
  port: number;
  store: Store;
  faults: Faults;
  /** The contract check: every request's violations of botocore's model. */
  contract: Contract;
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

export const MISSING_MODELS =
  "The twin needs botocore's service models and found none in .venv: run `bash scripts/python-env.sh` " +
  '(npm test, npm start and npm run twin do it first), or pass botocoreData.';

export async function startTwin(options: TwinOptions): Promise<Twin> {
  const repoRoot = options.repoRoot ?? process.cwd();
  const dataDir = options.botocoreData ?? findBotocoreData(repoRoot);
  if (!dataDir) throw new Error(MISSING_MODELS);
  const store = new Store(options.stateDir);
  const clock = new Clock(options.timeScale ?? 1);
  const faults = new Faults();
  faults.set(options.faults ?? []);
  const log = options.log ?? (() => undefined);
  const fleets = new Fleets({ repoRoot, containerDirs: options.containerDirs ?? [] });
  recoverInterrupted(store);
  const contract = new Contract();
  const chain = new RequestChain(services(repoRoot, fleets), new ServiceModels(dataDir), contract, faults, log);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://twin');
    // The control API, for tests: fault rules.
    if (url.pathname.startsWith('/_twin/')) {
      if (url.pathname === '/_twin/faults' && req.method === 'POST') faults.set(JSON.parse(body.toString() || '[]'));
      return send(res, { status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' });
    }
    const signer = signerOf(req.headers.authorization);
    const ctx: RequestContext = {
      requestId: randomUUID(),
      store,
      clock,
      faults,
      accessKeyId: signer.accessKeyId,
      region: signer.region ?? options.region ?? 'us-east-1',
      account: accountOf({ store }, signer.accessKeyId, options.account ?? '111111111111'),
    };
    const wire = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body };
    send(res, await chain.handle(wire, ctx, signer.service));
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

/** The one place the twin writes to the HTTP response. */
function send(res: ServerResponse, response: WireResponse): void {
  res.writeHead(response.status, response.headers);
  res.end(response.body);
}
