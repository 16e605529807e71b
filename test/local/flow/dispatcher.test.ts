// The GitHub stand-in and the runner together: a commit to main starts the workflow whose paths
// it touches, at that commit; the job waits for its environment's reviewer; its token does what
// its permissions allow and gets GitHub's 403 for the rest.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Dispatcher } from '../../../local/flow/dispatcher.js';
import { GitHubStandIn } from '../../../local/github/server.js';
import { ConcurrencyGroups } from '../../../local/runner/concurrency.js';
import { OidcIssuer } from '../../../local/runner/oidc.js';

const WORKFLOW = `
on:
  push:
    branches: [main]
    paths: [environments/**]
permissions: {}
jobs:
  deploy:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    environment: prod
    permissions: { contents: write }
    steps:
      - uses: actions/checkout@08eba0b27e820071cde6df949e0beb9ba4906955 # v4.3.0
      - run: cat environments/prod.yaml
      - env: { GH_TOKEN: '\${{ github.token }}', REGION: '\${{ vars.REGION }}' }
        run: |
          echo "region $REGION"
          curl -sSf -X POST "$GITHUB_API_URL/repos/$GITHUB_REPOSITORY/git/refs" -H "Authorization: Bearer $GH_TOKEN" \\
            -d "{\\"ref\\": \\"refs/tags/deployed/prod\\", \\"sha\\": \\"$GITHUB_SHA\\"}" -o /dev/null
  comment:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    permissions: { contents: read }
    steps:
      - env: { GH_TOKEN: '\${{ github.token }}' }
        run: |
          curl -s -o /dev/null -w '%{http_code}\\n' -X POST "$GITHUB_API_URL/repos/$GITHUB_REPOSITORY/issues" -H "Authorization: Bearer $GH_TOKEN" -d '{"title": "x"}'
`;

let github: GitHubStandIn;
let oidc: OidcIssuer;
let dispatcher: Dispatcher;
let temp: string;
let owner: string;
const reviews: string[] = [];

async function put(path: string, content: string, message: string): Promise<string> {
  const repo = github.repository('octo/flow').git;
  const sha = repo.file('main', path)?.sha;
  const response = await fetch(`${github.apiUrl}/repos/octo/flow/contents/${path}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${owner}` },
    body: JSON.stringify({ message, content: Buffer.from(content).toString('base64'), branch: 'main', ...(sha ? { sha } : {}) }),
  });
  expect(response.status).toBeLessThan(300);
  return ((await response.json()) as { commit: { sha: string } }).commit.sha;
}

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'flow-'));
  github = await new GitHubStandIn({ stateDir: join(temp, 'github') }).start();
  oidc = await new OidcIssuer().start();
  owner = github.userToken('octocat');
  const git = github.repository('octo/flow').git;
  const empty = git.git(['mktree'], { input: '' }).trim();
  git.updateRef('refs/heads/main', git.commitTree(empty, [], 'empty', { name: 'o', email: 'o@x' }));
  github.repository('octo/flow').state.variables.REGION = { value: 'eu-west-1', createdAt: '', updatedAt: '' };
  await fetch(`${github.apiUrl}/repos/octo/flow/environments/prod`, { method: 'PUT', headers: { authorization: `Bearer ${owner}` }, body: JSON.stringify({ reviewers: [{ type: 'User', id: 1 }] }) });
  dispatcher = new Dispatcher({
    github,
    oidc,
    concurrency: new ConcurrencyGroups(),
    node: process.execPath,
    workDir: join(temp, 'work'),
    baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' },
    review: async (environment, job) => {
      reviews.push(`${environment}/${job}`);
      return { state: 'approved', comment: 'looks right' };
    },
  });
});

afterAll(async () => {
  await github?.stop();
  await oidc?.stop();
  rmSync(temp, { recursive: true, force: true });
});

describe('events start workflows', () => {
  it('starts nothing for a commit outside the paths, then the workflow at the commit that touches them', async () => {
    await put('.github/workflows/deploy.yml', WORKFLOW, 'Add the deploy workflow');
    await dispatcher.idle();
    expect(dispatcher.runs).toEqual([]);

    const commit = await put('environments/prod.yaml', 'model:\n  version: 3\n', 'Promote v3 to prod');
    await dispatcher.idle();
    expect(dispatcher.runs).toHaveLength(1);
    const run = dispatcher.runs[0];
    const deploy = run.jobs.find((j) => j.id === 'deploy')!;
    expect(deploy.result).toBe('success');
    expect(deploy.log).toEqual(expect.arrayContaining(['model:', '  version: 3', 'region eu-west-1', 'Environment prod approved by reviewer']));
    expect(reviews).toEqual(['prod/deploy']);
    expect(github.repository('octo/flow').git.resolve('refs/tags/deployed/prod')).toBe(commit);
  }, 60_000);

  it('refuses what a job\'s permissions do not give, with GitHub\'s 403', () => {
    const comment = dispatcher.runs[0].jobs.find((j) => j.id === 'comment')!;
    expect(comment.log.filter((l) => !l.startsWith('▶'))).toEqual(['403']);
    expect(github.requests.filter((r) => r.status === 403)).toEqual([
      expect.objectContaining({ operation: 'issues/create', problem: 'issues/create needs issues: write; the job\'s permissions give issues: none' }),
    ]);
  });
});
