// promote against the GitHub stand-in: real git under the branch and the pull request, GitHub's
// contract on every call, and the token model-build gives it (contents and pull-requests write).
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeModelPackageCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { actionContext } from '../../actions/lib/action.js';
import { memoryLogger } from '../../actions/lib/log.js';
import { runPromote } from '../../actions/promote/src/run.js';
import { GitHubStandIn } from '../../local/github/server.js';
import { inputEnv } from '../deploy-stack/fixtures.js';
import { jsonBody, statistics } from '../helpers/s3-body.js';

const ARN = 'arn:aws:sagemaker:us-east-1:333333333333:model-package/churn-model/7';
const REPO = 'org/churn';
const sagemaker = mockClient(SageMakerClient);
const s3 = mockClient(S3Client);
const clients = { sagemaker: new SageMakerClient({ region: 'us-east-1' }), s3: new S3Client({ region: 'us-east-1' }) };
let github: GitHubStandIn;
let temp: string;

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'promote-github-'));
  github = await new GitHubStandIn({ stateDir: temp }).start();
  const git = github.repository(REPO).git;
  const author = { name: 'o', email: 'o@x' };
  let commit = git.commitTree(git.git(['mktree'], { input: '' }).trim(), [], 'template', author);
  for (const e of ['dev', 'staging', 'prod']) commit = git.commitFile(commit, `environments/${e}.yaml`, readFileSync(`environments/${e}.yaml`), `add ${e}`, author);
  git.updateRef('refs/heads/main', commit);
  sagemaker.on(DescribeModelPackageCommand).resolves({
    ModelPackageArn: ARN,
    CreationTime: new Date('2026-11-30T12:00:00Z'),
    CustomerMetadataProperties: { git_commit: 'c0ffee1', repository: REPO, data_version: 'v3' },
    ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: 's3://artifacts/eval/evaluation.json' } } },
  });
  s3.on(GetObjectCommand).resolves({ Body: jsonBody(statistics({ auc: 0.83 })) });
});
afterAll(async () => {
  await github?.stop();
  rmSync(temp, { recursive: true, force: true });
});

const run = (token: string) => runPromote(
  actionContext({ ...inputEnv({ 'model-package-arn': ARN, 'github-token': token }), GITHUB_REPOSITORY: REPO, GITHUB_API_URL: github.apiUrl }, memoryLogger()),
  () => clients,
);

describe('promote against the GitHub stand-in', () => {
  it('commits the pins to the version\'s branch and opens one pull request, updated on a re-run', async () => {
    const token = github.installationToken(REPO, { 'contents': 'write', 'pull-requests': 'write' });
    const first = await run(token);
    await run(token);
    const state = github.repository(REPO).state;
    expect(state.pulls.map((p) => [p.number, p.head, p.base, p.state])).toEqual([[1, 'promote/churn-model-v7', 'main', 'open']]);
    expect(first.outputs).toMatchObject({ 'pull-request-number': 1 });
    const git = github.repository(REPO).git;
    for (const e of ['dev', 'staging', 'prod']) {
      expect(git.file('refs/heads/promote/churn-model-v7', `environments/${e}.yaml`)!.content.toString()).toBe(readFileSync(`environments/${e}.yaml`, 'utf8').replace(/^ {2}version: null$/m, '  version: 7'));
    }
    expect(git.file('refs/heads/main', 'environments/dev.yaml')!.content.toString()).toBe(readFileSync('environments/dev.yaml', 'utf8'));
    expect(state.pulls[0].body).toContain('c0ffee1');
    expect(github.requests.filter((r) => r.status >= 400 && !(r.operation === 'git/get-ref' && r.status === 404))).toEqual([]);
  });

  it('fails naming GitHub\'s 403 when the token may not open pull requests', async () => {
    const token = github.installationToken(REPO, { 'contents': 'write', 'pull-requests': 'read' });
    github.repository(REPO).state.pulls.length = 0;
    const error = await run(token).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/403/);
    expect((error as Error).message).toContain('Resource not accessible by integration');
  });
});
