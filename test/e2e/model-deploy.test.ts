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
const reviews: string[] = [];

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
  const model = trainSampleModel();
  for (const name of ['dev', 'staging', 'prod']) {
    const environment = loadEnvironment(name);
    const account = await accountOf(twin.url, environment);
    const outputs = await bootstrapFoundation(account, environment);
    await registerVersion(account, environment, outputs.ArtifactBucketName, model, '1', { auc: 0.83, f1: 0.64 });
  }
  // staging and prod have required reviewers, as the bootstrap sets them up.
  for (const name of ['staging', 'prod']) {
    await fetch(`${github.apiUrl}/repos/${REPO}/environments/${name}`, { method: 'PUT', headers: { authorization: `Bearer ${owner}` }, body: JSON.stringify({ reviewers: [{ type: 'User', id: 1 }] }) });
  }
  dispatcher = new Dispatcher({
    github,
    oidc,
    concurrency: new ConcurrencyGroups(),
    node: node24(),
    workDir: join(temp, 'work'),
    baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', AWS_ENDPOINT_URL: twin.url, AWS_EC2_METADATA_DISABLED: 'true' },
    review: async (environment, job) => {
      reviews.push(`${environment}/${job}`);
      return { state: 'approved', comment: 'e2e' };
    },
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

/** Commits environments/<name>.yaml pinned to version 1 to main, as merging a promotion does. */
async function pin(name: string): Promise<string> {
  const git = github.repository(REPO).git;
  const file = git.file('main', `environments/${name}.yaml`)!;
  const pinned = file.content.toString().replace('  version: null', '  version: 1');
  const put = await fetch(`${github.apiUrl}/repos/${REPO}/contents/environments/${name}.yaml`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${owner}` },
    body: JSON.stringify({ message: `Promote churn-model v1 to ${name}`, content: Buffer.from(pinned).toString('base64'), sha: file.sha, branch: 'main' }),
  });
  expect(put.status).toBe(200);
  return ((await put.json()) as { commit: { sha: string } }).commit.sha;
}

describe('merging a pin to dev', () => {
  it('runs model-deploy for dev only: foundation, endpoint, smoke test, deployed/dev recorded', async () => {
    const git = github.repository(REPO).git;
    const commit = await pin('dev');
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

  it('then staging and prod, each after its reviewer approves; prod marks the package Approved', async () => {
    await pin('staging');
    await dispatcher.idle();
    const commit = await pin('prod');
    await dispatcher.idle();
    const runs = dispatcher.runs.filter((r) => r.name === 'model-deploy');
    expect(runs.flatMap((r) => r.jobs).filter((j) => j.result === 'failure').flatMap((j) => [j.key, ...j.log.slice(-12)])).toEqual([]);
    expect(runs.map((r) => r.jobs.filter((j) => j.result !== 'skipped').map((j) => `${j.key}: ${j.result}`))).toEqual([
      ['changes: success', 'dev / deploy: success', 'dev / record: success'],
      ['changes: success', 'staging / deploy: success', 'staging / record: success'],
      ['changes: success', 'prod / deploy: success', 'prod / record: success'],
    ]);
    expect(reviews).toEqual(['staging/deploy', 'prod/deploy']);
    expect(github.repository(REPO).git.resolve('refs/tags/deployed/prod')).toBe(commit);
    const prod = await accountOf(twin.url, loadEnvironment('prod'));
    const { DescribeModelPackageCommand } = await import('@aws-sdk/client-sagemaker');
    const pkg = await new SageMakerClient(prod).send(new DescribeModelPackageCommand({ ModelPackageName: 'arn:aws:sagemaker:us-east-1:333333333333:model-package/churn-model/1' }));
    expect(pkg.ModelApprovalStatus).toBe('Approved');
    const endpoint = await new SageMakerClient(prod).send(new DescribeEndpointCommand({ EndpointName: 'sagemaker-gitops-prod' }));
    expect(endpoint.EndpointStatus).toBe('InService');
  }, 600_000);
});
