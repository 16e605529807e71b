// The promotion's merge as GitHub and AWS would play it, offline: this repository's own workflow
// files (model-deploy calling deploy-environment), its bundled actions under Node 24, the GitHub
// stand-in holding the repository and the twin holding the accounts. A commit that pins dev to
// version 1 deploys dev only, smoke-tests it and records deployed/dev.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeEndpointCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadEnvironment } from '../../core/environment/load.js';
import { accountOf, bootstrapFoundation, registerVersion } from '../../local/flow/bootstrap.js';
import { Dispatcher } from '../../local/flow/dispatcher.js';
import { GitHubStandIn } from '../../local/github/server.js';
import { ConcurrencyGroups } from '../../local/runner/concurrency.js';
import { node24 } from '../../local/runner/node.js';
import { OidcIssuer } from '../../local/runner/oidc.js';
import { startTwin, type Twin } from '../../local/server.js';
import { trainSampleModel } from '../integration/twin-harness.js';

const REPO = 'octo/sagemaker-gitops';
let temp: string;
let twin: Twin;
let github: GitHubStandIn;
let oidc: OidcIssuer;
let dispatcher: Dispatcher;
let owner: string;
const progress: string[] = [];

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'e2e-deploy-'));
  twin = await startTwin({ stateDir: join(temp, 'twin'), timeScale: 120 });
  github = await new GitHubStandIn({ stateDir: join(temp, 'github') }).start();
  oidc = await new OidcIssuer().start();
  owner = github.userToken('octocat');
  // The template as forked: this checkout's tree, one commit on main.
  const git = github.repository(REPO).git;
  execFileSync('git', ['push', '--quiet', git.dir, 'HEAD:refs/heads/seed']);
  const tree = execFileSync('git', ['rev-parse', 'HEAD^{tree}'], { encoding: 'utf8' }).trim();
  git.updateRef('refs/heads/main', git.commitTree(tree, [], 'From the template', { name: 'octocat', email: 'octocat@x' }));
  git.deleteRef('refs/heads/seed');
  const dev = loadEnvironment('dev');
  const account = await accountOf(twin.url, dev);
  const outputs = await bootstrapFoundation(account, dev);
  await registerVersion(account, dev, outputs.ArtifactBucketName, trainSampleModel(), '1');
  dispatcher = new Dispatcher({
    github,
    oidc,
    concurrency: new ConcurrencyGroups(),
    node: node24(),
    workDir: join(temp, 'work'),
    baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', AWS_ENDPOINT_URL: twin.url, AWS_EC2_METADATA_DISABLED: 'true' },
    review: async () => ({ state: 'approved', comment: 'e2e' }),
    // ci.yml also starts on this push; it runs the whole test suite, which is this test's caller.
    only: ['model-deploy.yml'],
    progress: (line) => progress.push(line),
  });
}, 120_000);

afterAll(async () => {
  await oidc?.stop();
  await github?.stop();
  await twin?.stop();
  rmSync(temp, { recursive: true, force: true });
});

describe('merging a pin to dev', () => {
  it('runs model-deploy for dev only: foundation, endpoint, smoke test, deployed/dev recorded', async () => {
    const git = github.repository(REPO).git;
    const file = git.file('main', 'environments/dev.yaml')!;
    const pinned = file.content.toString().replace('  version: null', '  version: 1');
    const put = await fetch(`${github.apiUrl}/repos/${REPO}/contents/environments/dev.yaml`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${owner}` },
      body: JSON.stringify({ message: 'Promote churn-model v1 to dev', content: Buffer.from(pinned).toString('base64'), sha: file.sha, branch: 'main' }),
    });
    expect(put.status).toBe(200);
    const commit = ((await put.json()) as { commit: { sha: string } }).commit.sha;
    await dispatcher.idle();

    const run = dispatcher.runs.find((r) => r.name === 'model-deploy')!;
    if (process.env.E2E_TIMINGS) {
      for (const j of run.jobs) console.log(`${j.key} ${(j.finishedAt.getTime() - j.startedAt.getTime()) / 1000} s\n${j.steps.map((s) => `  ${s.seconds.toFixed(1)} s ${s.name}`).join('\n')}`);
    }
    const summary = run.jobs.map((j) => `${j.key}: ${j.result}`);
    const failed = run.jobs.filter((j) => j.result === 'failure').flatMap((j) => [j.key, ...j.log.slice(-15)]);
    expect(failed).toEqual([]);
    expect(summary).toEqual([
      'changes: success',
      'dev / deploy: success',
      'dev / record: success',
      'staging: skipped',
      'prod: skipped',
      'reconcile: skipped',
    ]);
    expect(git.resolve('refs/tags/deployed/dev')).toBe(commit);
    const account = await accountOf(twin.url, loadEnvironment('dev'));
    const endpoint = await new SageMakerClient(account).send(new DescribeEndpointCommand({ EndpointName: 'sagemaker-gitops-dev' }));
    expect(endpoint.EndpointStatus).toBe('InService');
    expect(github.requests.filter((r) => r.status === 403 || r.status >= 500)).toEqual([]);
  }, 600_000);
});
