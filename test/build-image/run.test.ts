import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { contentTag } from '../../actions/build-image/src/build.js';
import { runBuild } from '../../actions/build-image/src/run.js';
import { actionContext } from '../../actions/lib/action.js';
import { memoryLogger } from '../../actions/lib/log.js';
import { contentHash, contextFiles } from '../../core/content-hash.js';
import { inputEnv } from '../deploy-stack/fixtures.js';

const ecr = mockClient(ECRClient);
const client = new ECRClient({ region: 'eu-west-1' });
const URI = '111111111111.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-gitops/training';
const DIGEST = `sha256:${'a'.repeat(64)}`;
const SHA = 'c0ffee0123456789abcdef0123456789abcdef01';
const notFound = (name: string) => Object.assign(new Error(name), { name });

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'build-'));
  const context = join(dir, 'training');
  cpSync('containers/training', context, { recursive: true });
  const log = join(dir, 'docker.log');
  writeFileSync(log, '');
  const env = { PATH: `${resolve('test/fixtures/bin')}:${process.env.PATH}`, DOCKER_LOG: log, AWS_REGION: 'eu-west-1', GITHUB_SHA: SHA };
  const calls = () => readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { args: string[]; stdin: string });
  return { context, env, calls };
}

let logger: ReturnType<typeof memoryLogger>;
beforeEach(() => {
  ecr.reset();
  logger = memoryLogger();
  ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryUri: URI }] });
  ecr.on(GetAuthorizationTokenCommand).resolves({
    authorizationData: [{ authorizationToken: Buffer.from('AWS:s3cr3t-pass').toString('base64'), proxyEndpoint: 'https://111111111111.dkr.ecr.eu-west-1.amazonaws.com' }],
  });
});

describe('build-image', () => {
  it('skips the build when an image with the content tag exists', async () => {
    const { context, env, calls } = setup();
    ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST }] });
    const result = await runBuild(actionContext({ ...inputEnv({ context }), ...env }, logger), () => client);
    const tag = contentTag(context);
    expect(ecr).toHaveReceivedCommandWith(DescribeImagesCommand, { repositoryName: 'sagemaker-gitops/training', imageIds: [{ imageTag: tag }] });
    expect(ecr).not.toHaveReceivedCommand(GetAuthorizationTokenCommand);
    expect(calls()).toEqual([]);
    expect(result.outputs).toEqual({ 'image-uri': `${URI}@${DIGEST}`, 'tag': tag, 'digest': DIGEST, 'built': false });
  });

  it('creates the repository, logs in through stdin, builds, pushes both tags and reads the digest back', async () => {
    const { context, env, calls } = setup();
    ecr.on(DescribeRepositoriesCommand).rejects(notFound('RepositoryNotFoundException'));
    ecr.on(CreateRepositoryCommand).resolves({ repository: { repositoryUri: URI } });
    ecr.on(DescribeImagesCommand).rejectsOnce(notFound('ImageNotFoundException')).resolves({ imageDetails: [{ imageDigest: DIGEST }] });
    const result = await runBuild(actionContext({ ...inputEnv({ context, 'build-args': 'PYTHON=3.11' }), ...env, ACTIONS_RUNTIME_TOKEN: 'rt', ACTIONS_CACHE_URL: 'https://cache' }, logger),
      () => client,
    );
    const tag = contentTag(context);
    expect(ecr).toHaveReceivedCommandWith(CreateRepositoryCommand, {
      repositoryName: 'sagemaker-gitops/training',
      imageScanningConfiguration: { scanOnPush: true },
      imageTagMutability: 'IMMUTABLE',
    });
    expect(calls()).toEqual([
      { args: ['login', '--username', 'AWS', '--password-stdin', '111111111111.dkr.ecr.eu-west-1.amazonaws.com'], stdin: 's3cr3t-pass' },
      {
        args: [
          'buildx', 'build', '--platform', 'linux/amd64', '--tag', `${URI}:${tag}`, '--tag', `${URI}:git-c0ffee012345`,
          '--build-arg', 'PYTHON=3.11',
          '--cache-from', 'type=gha,scope=sagemaker-gitops-training', '--cache-to', 'type=gha,mode=max,scope=sagemaker-gitops-training',
          '--provenance=false', '--sbom=false', '--push', context,
        ],
        stdin: '',
      },
    ]);
    expect(logger.masked).toEqual(['s3cr3t-pass']);
    expect(logger.lines.join('\n')).not.toContain('s3cr3t-pass');
    expect(result.outputs).toEqual({ 'image-uri': `${URI}@${DIGEST}`, 'tag': tag, 'digest': DIGEST, 'built': true });
  });

  it('fails with docker\'s own words when the build fails', async () => {
    const { context, env } = setup();
    ecr.on(DescribeImagesCommand).rejects(notFound('ImageNotFoundException'));
    await expect(runBuild(actionContext({ ...inputEnv({ context }), ...env, DOCKER_FAIL: 'buildx' }, logger), () => client)).rejects.toThrow(
      'docker buildx build exited with 3:\nerror: buildx failed on purpose',
    );
    expect(logger.lines).toContain('No GitHub Actions cache service in this environment; building without a layer cache');
  });

  it('says so when docker is not installed', async () => {
    const { context } = setup();
    ecr.on(DescribeImagesCommand).rejects(notFound('ImageNotFoundException'));
    await expect(runBuild(actionContext({ ...inputEnv({ context }), PATH: '/nonexistent', AWS_REGION: 'eu-west-1' }, logger), () => client)).rejects.toThrow(
      'Could not run docker: spawn docker ENOENT (is Docker installed on the runner?)',
    );
  });

  it.each([
    [{ context: 'containers/nope' }, "Input 'context': containers/nope has no Dockerfile"],
    [{ context: 'containers/training', repository: 'Bad Repo' }, "Input 'repository' must be an ECR repository name"],
    [{ context: 'containers/training', platform: 'windows/amd64' }, "Input 'platform' must be linux/amd64 or linux/arm64"],
    [{ 'context': 'containers/training', 'git-commit': 'main' }, "Input 'git-commit' must be a commit SHA, got 'main'"],
    [{ 'context': 'containers/training', 'repository-prefix': 'Team/' }, "Input 'repository-prefix' must be the start of an ECR repository name (lowercase letters, digits, . _ - and /, no / at either end), got 'Team/'"],
  ])('refuses bad input %#', async (inputs, message) => {
    await expect(runBuild(actionContext({ ...inputEnv(inputs), AWS_REGION: 'eu-west-1' }, logger), () => client)).rejects.toThrow(message);
    expect(ecr.calls()).toHaveLength(0);
  });

  it('refuses a folder whose name ECR would refuse as a repository, naming the repository', async () => {
    const context = join(mkdtempSync(join(tmpdir(), 'build-')), 'My_Image');
    cpSync('containers/training', context, { recursive: true });
    await expect(runBuild(actionContext({ ...inputEnv({ context }), AWS_REGION: 'eu-west-1' }, logger), () => client)).rejects.toThrow(
      "Input 'context': the folder name makes ECR repository 'sagemaker-gitops/My_Image', which ECR refuses (lowercase letters, digits, . _ -); set 'repository'",
    );
    expect(ecr.calls()).toHaveLength(0);
  });
});

describe('contentHash', () => {
  it('changes with the content and the executable bit, not with what .dockerignore leaves out', () => {
    const { context } = setup();
    const before = contentHash(context);
    expect(contextFiles(context)).not.toContain('tests/test_train.py');
    writeFileSync(join(context, 'tests', 'test_new.py'), 'pass\n');
    expect(contentHash(context)).toBe(before);
    writeFileSync(join(context, 'train.py'), readFileSync(join(context, 'train.py'), 'utf8') + '\n# changed\n');
    expect(contentHash(context)).not.toBe(before);
  });
});
