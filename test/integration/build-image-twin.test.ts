// build-image through the real SDK against the twin: a container of containers/ is found by its
// content tag and nothing is built (the stand-in docker records no call); an image the twin does
// not know is built, and found once its push is registered.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DescribeRepositoriesCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { useTwin } from './twin-harness.js';
import { runBuild } from '../../actions/build-image/src/run.js';
import { actionContext } from '../../actions/lib/action.js';
import { memoryLogger } from '../../actions/lib/log.js';
import { findBotocoreData } from '../../local/protocols/model.js';
import { startTwin, type Twin } from '../../local/server.js';

let twin: Twin;
let dir: string;
const saved = { ...process.env };
const credentials = { accessKeyId: 'twin', secretAccessKey: 'twin' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'twin-ecr-'));
  // The twin serves the containers of a repository root; a copy lets the test change one.
  cpSync('containers/training', join(dir, 'containers', 'training'), { recursive: true });
  cpSync('containers/monitoring', join(dir, 'containers', 'monitoring'), { recursive: true });
  twin = await startTwin({ stateDir: join(dir, 'state'), repoRoot: dir, botocoreData: findBotocoreData(process.cwd()) });
  // The SDK clients read their endpoint and credentials from the process environment.
  useTwin(twin.url, 'us-east-1');
});
afterAll(async () => {
  await twin.stop();
  process.env = { ...saved };
});

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  writeFileSync(join(dir, 'docker.log'), '');
  return {
    'PATH': `${resolve('test/fixtures/bin')}:${process.env.PATH}`,
    'DOCKER_LOG': join(dir, 'docker.log'),
    'AWS_ENDPOINT_URL': twin.url,
    'AWS_ACCESS_KEY_ID': 'twin',
    'AWS_SECRET_ACCESS_KEY': 'twin',
    'AWS_REGION': 'us-east-1',
    'GITHUB_SHA': 'abcdef1234567',
    'INPUT_CONTEXT': join(dir, 'containers', 'training'),
    'INPUT_TIMEOUT-MINUTES': '5',
    ...extra,
  };
}

it('creates the repository and finds the unchanged container without building', async () => {
  const result = await runBuild(actionContext(env(), memoryLogger()));
  expect(result.outputs.built).toBe(false);
  expect(String(result.outputs['image-uri'])).toMatch(/^111111111111\.dkr\.ecr\.us-east-1\.amazonaws\.com\/sagemaker-gitops\/training@sha256:[0-9a-f]{64}$/);
  expect(readFileSync(join(dir, 'docker.log'), 'utf8')).toBe('');
  const ecr = new ECRClient({ region: 'us-east-1', endpoint: twin.url, credentials });
  const repo = (await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['sagemaker-gitops/training'] }))).repositories![0];
  expect([repo.imageTagMutability, repo.imageScanningConfiguration?.scanOnPush]).toEqual(['IMMUTABLE', true]);
  expect(twin.contract?.violations).toEqual([]);
});

it('finds the drift analyzer image by its content tag too', async () => {
  const result = await runBuild(actionContext(env({ INPUT_CONTEXT: join(dir, 'containers', 'monitoring') }), memoryLogger()));
  expect(result.outputs.built).toBe(false);
  expect(String(result.outputs['image-uri'])).toMatch(/\/sagemaker-gitops\/monitoring@sha256:[0-9a-f]{64}$/);
  expect(readFileSync(join(dir, 'docker.log'), 'utf8')).toBe('');
});

it('builds an image the twin does not know, then finds it once its push is registered', async () => {
  const ecr = new ECRClient({ region: 'us-east-1', endpoint: twin.url, credentials });
  const inputs = { INPUT_REPOSITORY: 'team/custom' };
  await expect(runBuild(actionContext(env(inputs), memoryLogger()))).rejects.toThrow('finished but ECR does not list the image');
  const calls = readFileSync(join(dir, 'docker.log'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).args as string[]);
  expect(calls.map((a) => a[0])).toEqual(['login', 'buildx']);
  const tag = calls[1][5].split(':').pop()!;
  // The stand-in docker cannot push; register what the push would have.
  await ecr.send(new PutImageCommand({ repositoryName: 'team/custom', imageManifest: '{"schemaVersion":2}', imageTag: tag }));
  const again = await runBuild(actionContext(env(inputs), memoryLogger()));
  expect(again.outputs).toMatchObject({ built: false, tag });
  expect(twin.contract?.violations).toEqual([]);
});
