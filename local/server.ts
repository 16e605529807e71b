// The offline twin: one loopback HTTP server that speaks each AWS client's own protocol. Clients
// reach it through AWS_ENDPOINT_URL only; no action code knows it exists.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RequestChain } from './chain.js';
import { Clock } from './clock.js';
import { signerOf, type RequestContext } from './context.js';
import { Contract } from './contract.js';
import { Faults, type FaultRule } from './faults.js';
import type { WireResponse } from './protocols/adapter.js';
import { findBotocoreData, ServiceModels } from './protocols/model.js';
import { recoverInterrupted } from './recovery.js';
import { Fleets } from './sagemaker/hosting/fleets.js';
import { twinServices } from './services.js';
import { Store } from './store.js';
import { accountOf } from './sts/operations.js';

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
  const models = new ServiceModels(dataDir);
  const chain = new RequestChain(twinServices(repoRoot, fleets), models, contract, faults, log);

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
      models,
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
