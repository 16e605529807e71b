// The local runner with this repository's real actions (their bundles, under the pinned Node 24)
// and the twin: a job reads its environment file, assumes the environment's role through OIDC as
// configure-aws-credentials does, and acts in that environment's account.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConcurrencyGroups } from '../../local/runner/concurrency.js';
import { node24 } from '../../local/runner/node.js';
import { OidcIssuer } from '../../local/runner/oidc.js';
import { runWorkflow } from '../../local/runner/run.js';
import { localActions } from '../../local/runner/third-party.js';
import type { RunOptions } from '../../local/runner/types.js';
import { startTwin, type Twin } from '../../local/server.js';

const WORKFLOW = 'test/fixtures/workflows/assume-role.yml';
const CHECKOUT = 'actions/checkout@08eba0b27e820071cde6df949e0beb9ba4906955';
const CONFIGURE = 'aws-actions/configure-aws-credentials@e3dd6a429d7300a6a4c196c26e071d42e0343502';

let twin: Twin;
let oidc: OidcIssuer;
let temp: string;

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'runner-twin-'));
  twin = await startTwin({ port: 0, stateDir: join(temp, 'twin') });
  oidc = await new OidcIssuer().start();
});

afterAll(async () => {
  await oidc?.stop();
  await twin?.stop();
  rmSync(temp, { recursive: true, force: true });
});

function options(): RunOptions {
  const node = node24();
  return {
    workspace: resolve('.'),
    workflow: WORKFLOW,
    event: 'push',
    payload: {},
    repository: 'octo/sagemaker-gitops',
    sha: '0123456789abcdef0123456789abcdef01234567',
    ref: 'refs/heads/main',
    actor: 'octocat',
    runId: 7,
    runNumber: 7,
    serverUrl: 'http://github.local',
    apiUrl: 'http://github.local/api/v3',
    secrets: {},
    vars: {},
    baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', AWS_ENDPOINT_URL: twin.url, AWS_EC2_METADATA_DISABLED: 'true' },
    tempDir: join(temp, 'runner'),
    hooks: { node, actions: localActions(node), idTokenRequest: async (identity) => oidc.request('octo/sagemaker-gitops', identity, 'push') },
    concurrency: new ConcurrencyGroups(),
  };
}

describe('a job that assumes its environment\'s role', () => {
  it('acts in the environment\'s account as the role, its credentials masked', async () => {
    const run = await runWorkflow(options());
    const job = run.jobs.find((j) => j.id === 'with-oidc')!;
    expect(job.steps.map((s) => `${s.name}: ${s.outcome}`)).toEqual([
      `Run ${CHECKOUT}: success`,
      'Run ./actions/environment: success',
      `Run ${CONFIGURE}: success`,
      'Run echo "account 222222222222 region $AWS_REGION": success',
    ]);
    expect(job.log).toContain('account 222222222222 region us-east-1');
    expect(job.log).toContain('arn:aws:sts::222222222222:assumed-role/sagemaker-gitops-staging-deploy/GitHubActions');
    expect(job.outputs).toEqual({});
  }, 60_000);

  it('fails with the action\'s own words when the job may not ask for an OIDC token', async () => {
    const run = await runWorkflow(options());
    const job = run.jobs.find((j) => j.id === 'without-oidc')!;
    expect(job.result).toBe('failure');
    expect(job.steps[0].error).toMatch(/^It looks like you might be trying to authenticate with OIDC\. Did you mean to set the `id-token` permission\?/);
  }, 60_000);
});
