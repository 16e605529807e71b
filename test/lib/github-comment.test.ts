import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pullRequestTarget, upsertComment } from '../../actions/lib/github-comment.js';
import { memoryLogger } from '../../actions/lib/log.js';

type Call = { method: string; url: string; body?: unknown; auth?: string };

function fakeGitHub(pages: { id: number; body: string }[][], status = 200) {
  const calls: Call[] = [];
  const impl = (async (url: string, init: RequestInit) => {
    const auth = (init.headers as Record<string, string>).authorization;
    calls.push({ method: init.method!, url, body: init.body ? JSON.parse(String(init.body)) : undefined, auth });
    const page = Number(new URL(url).searchParams.get('page') ?? 0);
    const payload = init.method === 'GET' ? pages[page - 1] ?? [] : { id: 99 };
    return new Response(JSON.stringify(payload), { status: init.method === 'GET' ? 200 : status });
  }) as typeof fetch;
  return { calls, impl };
}

const target = { token: 't0k', repository: 'org/repo', issueNumber: 12, apiUrl: 'https://api.github.test' };
const MARKER = '<!-- gate:prod -->';

describe('upsertComment', () => {
  it('updates the comment that carries the marker, looking through pages', async () => {
    const full = Array.from({ length: 100 }, (_, i) => ({ id: i, body: 'other' }));
    const gh = fakeGitHub([full, [{ id: 500, body: `${MARKER}\nold` }]]);
    expect(await upsertComment(target, MARKER, 'new table', memoryLogger(), gh.impl)).toBe(500);
    expect(gh.calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET https://api.github.test/repos/org/repo/issues/12/comments?per_page=100&page=1',
      'GET https://api.github.test/repos/org/repo/issues/12/comments?per_page=100&page=2',
      'PATCH https://api.github.test/repos/org/repo/issues/comments/500',
    ]);
    expect(gh.calls[2].body).toEqual({ body: `${MARKER}\nnew table` });
    expect(gh.calls[0].auth).toBe('Bearer t0k');
  });

  it('creates a comment when there is none, and reports API errors', async () => {
    const gh = fakeGitHub([[{ id: 1, body: 'unrelated' }]]);
    expect(await upsertComment(target, MARKER, 'table', memoryLogger(), gh.impl)).toBe(99);
    expect(gh.calls.at(-1)).toMatchObject({ method: 'POST', url: 'https://api.github.test/repos/org/repo/issues/12/comments', body: { body: `${MARKER}\ntable` } });
    const denied = fakeGitHub([[]], 403);
    await expect(upsertComment(target, MARKER, 'table', memoryLogger(), denied.impl)).rejects.toThrow('GitHub POST /repos/org/repo/issues/12/comments answered 403');
  });
});

describe('pullRequestTarget', () => {
  const event = (payload: unknown) => {
    const path = join(mkdtempSync(join(tmpdir(), 'event-')), 'event.json');
    writeFileSync(path, JSON.stringify(payload));
    return path;
  };

  it('finds the pull request of pull_request events only', () => {
    const path = event({ pull_request: { number: 7 } });
    const env = { GITHUB_REPOSITORY: 'org/repo', GITHUB_EVENT_PATH: path, GITHUB_EVENT_NAME: 'pull_request' };
    expect(pullRequestTarget(env, 'tok')).toEqual({ token: 'tok', repository: 'org/repo', issueNumber: 7, apiUrl: 'https://api.github.com' });
    expect(pullRequestTarget({ ...env, GITHUB_EVENT_NAME: 'push' }, 'tok')).toBeUndefined();
    expect(pullRequestTarget(env, undefined)).toBeUndefined();
    expect(pullRequestTarget({ ...env, GITHUB_EVENT_PATH: event({}) }, 'tok')).toBeUndefined();
  });
});
