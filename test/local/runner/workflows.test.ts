// What the template's deploys rest on, as GitHub does it: reusable workflows with inputs, secrets
// and outputs; concurrency replacing a pending run; environments that wait for approval and
// scope secrets; a token that carries the job's permissions.
import { afterEach, describe, expect, it } from '@jest/globals';
import { job, output, workspace, type Workspace } from './harness.js';
import type { JobIdentity } from '../../../local/runner/types.js';

let ws: Workspace;
afterEach(() => ws?.remove());

describe('reusable workflows', () => {
  it('runs the called workflow with typed inputs and passed secrets, and gives its outputs to the caller', async () => {
    ws = workspace({
      '.github/workflows/deploy.yml': `
on:
  workflow_call:
    inputs:
      environment: { type: string, required: true }
      dry-run: { type: boolean, default: false }
    secrets:
      key: { required: true }
    outputs:
      url: { description: where, value: '\${{ jobs.go.outputs.url }}' }
jobs:
  go:
    runs-on: ubuntu-latest
    outputs: { url: '\${{ steps.d.outputs.url }}' }
    steps:
      - id: d
        env: { KEY: '\${{ secrets.key }}' }
        run: |
          echo "deploying \${{ inputs.environment }} dry=\${{ inputs.dry-run }} key=$KEY"
          echo "url=https://\${{ inputs.environment }}.example" >> "$GITHUB_OUTPUT"
`,
      '.github/workflows/main.yml': `
on: push
jobs:
  dev:
    uses: ./.github/workflows/deploy.yml
    with: { environment: dev }
    secrets: { key: '\${{ secrets.DEV_KEY }}' }
  after:
    needs: dev
    runs-on: ubuntu-latest
    steps: [{ run: 'echo "dev is at \${{ needs.dev.outputs.url }}"' }]
`,
    });
    const run = await ws.run('.github/workflows/main.yml', { secrets: { DEV_KEY: 'k-123' } });
    expect(run.result).toBe('success');
    expect(run.jobs.map((j) => j.key)).toEqual(['dev / go', 'after']);
    expect(output(job(run, 'dev / go'))).toEqual(['deploying dev dry=false key=***']);
    expect(output(job(run, 'after'))).toEqual(['dev is at https://dev.example']);
  });

  it('refuses a call without a required input, naming it', async () => {
    ws = workspace({
      '.github/workflows/deploy.yml': 'on:\n  workflow_call:\n    inputs:\n      environment: { type: string, required: true }\njobs:\n  go: { runs-on: ubuntu-latest, steps: [{ run: echo }] }\n',
      '.github/workflows/main.yml': 'on: push\njobs:\n  dev:\n    uses: ./.github/workflows/deploy.yml\n',
    });
    await expect(ws.run('.github/workflows/main.yml')).rejects.toThrow(".github/workflows/deploy.yml: input 'environment' is required");
  });
});

describe('concurrency', () => {
  it('runs one at a time per group; a newer waiting run replaces the one already waiting', async () => {
    ws = workspace({
      '.github/workflows/w.yml': `
on: push
concurrency: { group: deploy-prod, cancel-in-progress: false }
jobs:
  j:
    runs-on: ubuntu-latest
    steps: [{ run: 'while [ ! -f "$GITHUB_WORKSPACE/go-$GITHUB_RUN_ID" ]; do sleep 0.02; done; echo done' }]
`,
    });
    const first = ws.run('.github/workflows/w.yml', { runId: 1 });
    await waitFor(() => ws.concurrency.snapshot()['deploy-prod']?.running !== undefined);
    const second = ws.run('.github/workflows/w.yml', { runId: 2 });
    await waitFor(() => ws.concurrency.snapshot()['deploy-prod']?.pending !== undefined);
    const third = ws.run('.github/workflows/w.yml', { runId: 3 });
    expect((await second).result).toBe('cancelled');
    ws.write('go-1', '');
    ws.write('go-3', '');
    const [a, c] = await Promise.all([first, third]);
    expect([a.result, c.result]).toEqual(['success', 'success']);
    expect(c.jobs[0].startedAt.getTime()).toBeGreaterThanOrEqual(a.jobs[0].finishedAt.getTime());
    expect(ws.concurrency.snapshot()).toEqual({});
  });
});

describe('environments and tokens', () => {
  const files = {
    '.github/workflows/w.yml': `
on: push
permissions: { contents: read }
jobs:
  prod:
    runs-on: ubuntu-latest
    environment: prod
    permissions: { contents: read, id-token: write }
    steps:
      - env: { S: '\${{ secrets.PROD_ONLY }}', V: '\${{ vars.REGION }}' }
        run: 'echo "secret=$S var=$V oidc=\${ACTIONS_ID_TOKEN_REQUEST_URL:+set}"'
  plain:
    runs-on: ubuntu-latest
    steps: [{ run: 'echo "oidc=\${ACTIONS_ID_TOKEN_REQUEST_URL:-unset} token=\${{ github.token }}"' }]
`,
  };
  const hooks = (approved: boolean, identities: JobIdentity[]) => ({
    node: process.execPath,
    actions: {},
    approve: async (identity: JobIdentity, environment: string) => ({ approved, by: 'reviewer', comment: approved ? undefined : `not now (${environment}, ${identity.job})` }),
    environment: async () => ({ secrets: { PROD_ONLY: 'p-secret' }, vars: { REGION: 'eu-west-1' } }),
    token: async (identity: JobIdentity) => {
      identities.push(identity);
      return `ghs_${identity.job}`;
    },
    idTokenRequest: async () => ({ url: 'http://github.local/oidc?x=1', token: 'req-token' }),
  });

  it('waits for approval, then gives the job its environment\'s secrets and variables and an OIDC request URL', async () => {
    ws = workspace(files);
    const identities: JobIdentity[] = [];
    const run = await ws.run('.github/workflows/w.yml', { hooks: hooks(true, identities) });
    expect(job(run, 'prod').environment).toBe('prod');
    expect(job(run, 'prod').log).toContain('Environment prod approved by reviewer');
    expect(output(job(run, 'prod'))).toContain('secret=*** var=eu-west-1 oidc=set');
    expect(output(job(run, 'plain'))).toEqual(['oidc=unset token=***']);
    const byJob = Object.fromEntries(identities.map((i) => [i.job, i]));
    expect(byJob.prod.permissions).toMatchObject({ 'contents': 'read', 'id-token': 'write', 'pull-requests': 'none' });
    expect(byJob.plain.permissions).toMatchObject({ 'contents': 'read', 'id-token': 'none' });
    expect(byJob.prod.environment).toBe('prod');
  });

  it('fails a rejected job, as GitHub does, naming who and why', async () => {
    ws = workspace(files);
    const run = await ws.run('.github/workflows/w.yml', { hooks: hooks(false, []) });
    expect(job(run, 'prod').result).toBe('failure');
    expect(job(run, 'prod').reason).toBe('the deployment to prod was rejected by reviewer: not now (prod, prod)');
    expect(job(run, 'prod').steps).toEqual([]);
    expect(run.result).toBe('failure');
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!condition()) throw new Error('condition never held');
}
