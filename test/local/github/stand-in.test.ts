// The GitHub stand-in: real git underneath, GitHub's contract on every request and answer, and a
// job's token refused what its permissions do not give.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RepositoryEvent } from '../../../local/github/handlers.js';
import { GitHubStandIn } from '../../../local/github/server.js';

let github: GitHubStandIn;
let temp: string;
let token: string;
const events: RepositoryEvent[] = [];

type Json = Record<string, unknown> & Record<string, unknown>[];

async function call(method: string, path: string, body?: unknown, as = token): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${github.apiUrl}/repos/octo/repo${path}`, {
    method,
    headers: { 'authorization': `Bearer ${as}`, 'content-type': 'application/json', 'x-github-api-version': '2022-11-28' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {} };
}

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' } }).trim();

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'github-stand-in-'));
  github = await new GitHubStandIn({ stateDir: join(temp, 'state') }).start();
  github.onEvent((_repo, event) => events.push(event));
  token = github.userToken('octocat');
  github.repository('octo/repo');
  const work = join(temp, 'work');
  execFileSync('git', ['init', '--quiet', '--initial-branch=main', work]);
  writeFileSync(join(work, 'pin.yaml'), 'version: 1\n');
  git(work, 'add', '.');
  git(work, 'commit', '--quiet', '-m', 'first');
  // Not execFileSync: the server answering the push runs in this process.
  await new Promise((resolve, reject) => execFile('git', ['push', '--quiet', `${github.url}/octo/repo.git`, 'main'], { cwd: work }, (e) => (e ? reject(e) : resolve(undefined))));
});

afterAll(async () => {
  await github?.stop();
  rmSync(temp, { recursive: true, force: true });
});

describe('repositories are real git', () => {
  it('takes a push through git http-backend and calls it a push event', () => {
    const main = github.repository('octo/repo').git.resolve('refs/heads/main');
    expect(main).toMatch(/^[0-9a-f]{40}$/);
    expect(events).toContainEqual({ event: 'push', ref: 'refs/heads/main', before: '0'.repeat(40), after: main });
  });

  it('serves a file at a ref through the contents API', async () => {
    const got = await call('GET', '/contents/pin.yaml?ref=main');
    expect(got.status).toBe(200);
    expect(Buffer.from(String(got.body.content), 'base64').toString()).toBe('version: 1\n');
  });

  it('plays a promotion: branch, commit, pull request, merge commit on main', async () => {
    events.length = 0;
    const main = (await call('GET', '/git/ref/heads/main')).body.object as { sha: string };
    expect((await call('POST', '/git/refs', { ref: 'refs/heads/promote/v2', sha: main.sha })).status).toBe(201);
    const file = (await call('GET', '/contents/pin.yaml?ref=promote/v2')).body;
    const put = await call('PUT', '/contents/pin.yaml', { message: 'Pin version 2', content: Buffer.from('version: 2\n').toString('base64'), sha: file.sha, branch: 'promote/v2' });
    expect(put.status).toBe(200);
    const created = await call('POST', '/pulls', { title: 'Promote v2', head: 'promote/v2', base: 'main', body: 'lineage' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ number: 1, state: 'open', title: 'Promote v2', head: { ref: 'promote/v2' }, base: { ref: 'main' }, commits: 1, changed_files: 1 });
    expect((await call('POST', '/pulls', { title: 'again', head: 'promote/v2', base: 'main' })).status).toBe(422);
    const listed = await call('GET', '/pulls?head=octo:promote/v2&state=open');
    expect(listed.body.map((p: Record<string, unknown>) => p.number)).toEqual([1]);

    const merged = await call('PUT', '/pulls/1/merge', { merge_method: 'merge' });
    expect(merged.status).toBe(200);
    const repo = github.repository('octo/repo').git;
    const parents = repo.git(['rev-list', '--parents', '-n', '1', String(merged.body.sha)]).trim().split(' ').slice(1);
    expect(parents).toEqual([main.sha, (put.body.commit as { sha: string }).sha]);
    expect(repo.file('main', 'pin.yaml')?.content.toString()).toBe('version: 2\n');
    expect((await call('GET', '/pulls/1')).body).toMatchObject({ state: 'closed', merged: true, merge_commit_sha: merged.body.sha });
    expect(events.map((e) => `${e.event}${'action' in e ? `:${e.action}` : ''}${'ref' in e ? ` ${e.ref}` : ''}`)).toEqual([
      'push refs/heads/promote/v2', 'push refs/heads/promote/v2', 'pull_request:opened', 'pull_request:closed', 'push refs/heads/main',
    ]);
  });

  it('keeps one comment per marker updatable in place', async () => {
    const created = await call('POST', '/issues/1/comments', { body: '<!-- plan --> first' });
    expect(created.status).toBe(201);
    expect((await call('PATCH', `/issues/comments/${String(created.body.id)}`, { body: '<!-- plan --> second' })).status).toBe(200);
    const listed = await call('GET', '/issues/1/comments');
    expect(listed.body.map((c: Record<string, unknown>) => c.body)).toEqual(['<!-- plan --> second']);
  });
});

describe('the contract and the token', () => {
  it('answers 501 for an operation it does not serve, naming it', async () => {
    const got = await call('GET', '/releases');
    expect(got.status).toBe(501);
    expect(got.body.message).toBe('GET /repos/octo/repo/releases is not an operation the GitHub stand-in serves (local/github/openapi.json)');
  });

  it('refuses a request that breaks GitHub\'s contract with 422 and the reason', async () => {
    const got = await call('POST', '/git/refs', { ref: 'refs/heads/x' });
    expect(got.status).toBe(422);
    expect(got.body.errors).toEqual(["body must have required property 'sha'"]);
  });

  it('gives a job\'s token what its permissions allow and GitHub\'s 403 for the rest', async () => {
    const readOnly = github.installationToken('octo/repo', { 'contents': 'read', 'pull-requests': 'none' });
    expect((await call('GET', '/contents/pin.yaml', undefined, readOnly)).status).toBe(200);
    const refused = await call('POST', '/pulls', { title: 't', head: 'main', base: 'main' }, readOnly);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe('Resource not accessible by integration');
    expect(github.requests.at(-1)).toMatchObject({ operation: 'pulls/create', status: 403, problem: 'pulls/create needs pull-requests: write; the job\'s permissions give pull-requests: none' });
    expect((await call('GET', '/contents/pin.yaml', undefined, 'ghs_unknown')).status).toBe(401);
  });

  it('checked every answer it gave against the contract', () => {
    expect(github.requests.filter((r) => r.status >= 500 && r.status !== 501)).toEqual([]);
  });
});

describe('environments', () => {
  it('holds a job until a reviewer approves it in the pending deployments of its run', async () => {
    expect((await call('PUT', '/environments/prod', { wait_timer: 0, reviewers: [{ type: 'User', id: 7 }] })).status).toBe(200);
    const waiting = github.waitForReview('octo/repo', 42, 'deploy', 'prod');
    const pending = await call('GET', '/actions/runs/42/pending_deployments');
    expect(pending.body.map((p) => (p.environment as { name: string }).name)).toEqual(['prod']);
    const id = (pending.body[0] as { environment: { id: number } }).environment.id;
    const job = github.installationToken('octo/repo', { actions: 'write' });
    expect((await call('POST', '/actions/runs/42/pending_deployments', { environment_ids: [id], state: 'approved', comment: 'ok' }, job)).status).toBe(403);
    expect((await call('POST', '/actions/runs/42/pending_deployments', { environment_ids: [id], state: 'approved', comment: 'ok' })).status).toBe(200);
    await expect(waiting).resolves.toEqual({ approved: true, by: 'octocat', comment: 'ok' });
  });
});

describe('issues, refs, dispatch and variables', () => {
  it('opens, labels, lists and closes an issue', async () => {
    const created = await call('POST', '/issues', { title: 'Drift on prod', body: 'psi 0.3', labels: ['drift'] });
    expect(created.status).toBe(201);
    const number = Number(created.body.number);
    expect((await call('POST', `/issues/${number}/labels`, { labels: ['prod'] })).status).toBe(200);
    const open = await call('GET', '/issues?labels=drift,prod&state=open');
    expect(open.body.map((i) => i.title)).toEqual(['Drift on prod']);
    expect((await call('PATCH', `/issues/${number}`, { state: 'closed', title: 'Drift on prod (retrained)' })).body).toMatchObject({ state: 'closed', title: 'Drift on prod (retrained)' });
    expect((await call('GET', '/issues?labels=drift')).body).toEqual([]);
  });

  it('moves a tag only by force when it is not a fast-forward, and deletes it', async () => {
    const repo = github.repository('octo/repo').git;
    const main = repo.resolve('refs/heads/main')!;
    const first = repo.git(['rev-list', '--max-parents=0', main]).trim();
    expect((await call('POST', '/git/refs', { ref: 'refs/tags/deployed/dev', sha: main })).status).toBe(201);
    expect((await call('PATCH', '/git/refs/tags/deployed/dev', { sha: first })).status).toBe(422);
    expect((await call('PATCH', '/git/refs/tags/deployed/dev', { sha: first, force: true })).body).toMatchObject({ ref: 'refs/tags/deployed/dev', object: { sha: first } });
    expect((await call('DELETE', '/git/refs/tags/deployed/dev')).status).toBe(204);
    expect((await call('GET', '/git/ref/tags/deployed/dev')).status).toBe(404);
  });

  it('edits a pull request and takes dispatches as events', async () => {
    events.length = 0;
    expect((await call('PATCH', '/pulls/1', { body: 'edited' })).body).toMatchObject({ body: 'edited', state: 'closed' });
    expect((await call('POST', '/actions/workflows/retrain.yml/dispatches', { ref: 'main', inputs: { reason: 'drift' } })).status).toBe(204);
    expect((await call('POST', '/dispatches', { event_type: 'drift', client_payload: { psi: 0.3 } })).status).toBe(204);
    expect(events).toEqual([
      { event: 'pull_request', action: 'edited', number: 1 },
      { event: 'workflow_dispatch', workflow: 'retrain.yml', ref: 'main', inputs: { reason: 'drift' } },
      { event: 'repository_dispatch', type: 'drift', payload: { psi: 0.3 } },
    ]);
  });

  it('keeps repository and environment variables for a user, and not for a job', async () => {
    expect((await call('POST', '/actions/variables', { name: 'AWS_ROLE', value: 'arn:1' })).status).toBe(201);
    expect((await call('POST', '/actions/variables', { name: 'AWS_ROLE', value: 'arn:1' })).status).toBe(409);
    expect((await call('PATCH', '/actions/variables/AWS_ROLE', { name: 'AWS_ROLE', value: 'arn:2' })).status).toBe(204);
    expect((await call('GET', '/actions/variables')).body).toMatchObject({ total_count: 1, variables: [{ name: 'AWS_ROLE', value: 'arn:2' }] });
    expect((await call('POST', '/environments/prod/variables', { name: 'REGION', value: 'eu-west-1' })).status).toBe(201);
    expect((await call('GET', '/environments/prod')).body).toMatchObject({ name: 'prod', protection_rules: [{ type: 'required_reviewers' }] });
    const job = github.installationToken('octo/repo', { actions: 'write', contents: 'write' });
    expect((await call('GET', '/actions/variables', undefined, job)).status).toBe(403);
  });
});
