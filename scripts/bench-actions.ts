// Benchmark of every bundled action: the size of dist/index.js (and of its whole dist/), and the
// cold start from `node dist/index.js` to its first AWS request (to its exit for an action that
// makes none), median of RUNS runs, and that as a ratio to a bare `node -e 0` in the same run. The
// first request goes to a loopback server that records its arrival and answers 500.
//   npx projen bench [--runs N] [--node /path/to/node | --node24]
// --node24 runs the bundles under Node 24 (from the npm registry), the runtime of GitHub's runners.
// Targets: bundle <= 1.5 MB; cold start <= 2.5x bare node.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1] ?? 15) || 15;
const NODE = args.includes('--node24')
  ? execFileSync('npx', ['-y', '-p', 'node@24', '-c', 'command -v node'], { encoding: 'utf8', timeout: 240_000 }).trim().split('\n').pop()!
  : args.includes('--node') ? args[args.indexOf('--node') + 1] : process.execPath;
const MAX_BUNDLE = 1.5 * 1024 * 1024;
const MAX_RATIO = 2.5;
// Actions that make no AWS call: their cold start ends when they exit.
const NO_AWS_CALL = new Set(['environment']);

// Valid inputs per action that get it to its first AWS call (run-pipeline reads the synthesized
// definition: run `npx projen synth:pipeline` first).
const INPUTS: Record<string, Record<string, string>> = {
  'deploy-stack': { 'template': 'cloudformation/foundation.yaml', 'stack-name': 'bench', 'region': 'us-east-1' },
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
  'smoke-test': { 'endpoint-name': 'bench', 'region': 'us-east-1', 'invocations-per-payload': '1' },
  'register-model': {
    'model-package-group': 'churn-model',
    'model-data-url': 's3://bench/model.tar.gz',
    'image-uri': '333333333333.dkr.ecr.us-east-1.amazonaws.com/inference:bench',
    'region': 'us-east-1',
  },
};

async function firstRequestMs(action: string, endpoint: { url: string; next: () => Promise<number> }): Promise<number> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    AWS_ACCESS_KEY_ID: 'AKIDBENCH',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_ENDPOINT_URL: endpoint.url,
    AWS_MAX_ATTEMPTS: '1',
    GITHUB_REPOSITORY: 'bench/bench',
  };
  for (const [k, v] of Object.entries(INPUTS[action] ?? {})) env[`INPUT_${k.toUpperCase()}`] = v;
  const arrival = endpoint.next();
  const started = performance.now();
  const child = spawn(NODE, [join('actions', action, 'dist', 'index.js')], { env, stdio: 'ignore' });
  const exited = new Promise<number>((resolve) => child.on('exit', () => resolve(-1)));
  const at = await Promise.race([arrival, exited]);
  child.kill('SIGKILL');
  if (at < 0 && NO_AWS_CALL.has(action)) return performance.now() - started;
  if (at < 0) throw new Error(`${action} exited before making an AWS request; check its bench inputs`);
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
  const bare: number[] = [];
  for (let i = 0; i <= RUNS; i++) bare.push(await bareNodeMs());
  const bareMedian = median(bare.slice(1));
  console.log(`node ${version}, ${RUNS} runs per action; bare node -e 0: median ${bareMedian.toFixed(0)} ms\n`);
  console.log('action            bundle bytes   dist bytes   cold start median (min..max)   ratio   verdict');
  let failed = false;
  for (const action of actions) {
    const dist = join('actions', action, 'dist');
    const bundle = statSync(join(dist, 'index.js')).size;
    const total = readdirSync(dist).reduce((n, f) => n + statSync(join(dist, f)).size, 0);
    await firstRequestMs(action, endpoint); // warm the file cache once, like a runner after checkout
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) times.push(await firstRequestMs(action, endpoint));
    const med = median(times);
    const ratio = med / bareMedian;
    const ok = bundle <= MAX_BUNDLE && ratio <= MAX_RATIO;
    failed ||= !ok;
    console.log(
      `${action.padEnd(16)} ${String(bundle).padStart(13)} ${String(total).padStart(12)}   ` +
        `${med.toFixed(0).padStart(6)} ms (${Math.min(...times).toFixed(0)}..${Math.max(...times).toFixed(0)})`.padEnd(32) +
        `${ratio.toFixed(2).padStart(5)}x   ` +
        (ok ? 'ok' : `over target (bundle <= ${MAX_BUNDLE}, cold start <= ${MAX_RATIO}x bare node)`),
    );
  }
  server.close();
  if (failed) process.exitCode = 1;
}

await main();
