// One pull-request comment per marker, created or updated in place, through GitHub's REST API.
// fetch rather than @actions/github: octokit and undici would add ~700 KB to each bundle.
import { readFileSync } from 'node:fs';
import type { Logger } from './log.js';

export interface CommentTarget {
  token: string;
  repository: string;
  issueNumber: number;
  apiUrl: string;
}

/** The pull request this run is for, when it is for one (pull_request / pull_request_target events). */
export function pullRequestTarget(env: NodeJS.ProcessEnv, token: string | undefined): CommentTarget | undefined {
  if (!token || !env.GITHUB_REPOSITORY || !env.GITHUB_EVENT_PATH) return undefined;
  if (!['pull_request', 'pull_request_target'].includes(env.GITHUB_EVENT_NAME ?? '')) return undefined;
  const event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as { pull_request?: { number?: number } };
  const number = event.pull_request?.number;
  if (!number) return undefined;
  return { token, repository: env.GITHUB_REPOSITORY, issueNumber: number, apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com' };
}

async function call(target: CommentTarget, method: string, path: string, body?: unknown, fetchImpl: typeof fetch = fetch): Promise<unknown> {
  const response = await fetchImpl(`${target.apiUrl}${path}`, {
    method,
    headers: {
      'authorization': `Bearer ${target.token}`,
      'accept': 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      'content-type': 'application/json',
      'user-agent': 'sagemaker-gitops',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`GitHub ${method} ${path} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
  return response.json();
}

/**
 * Finds the comment that carries `marker` and writes `compose(itsBody)` to it, or creates one with
 * `compose(undefined)`: one comment per marker, updated in place, so re-runs do not pile up.
 */
async function upsertWith(
  target: CommentTarget,
  marker: string,
  compose: (existing?: string) => string,
  logger: Logger,
  fetchImpl: typeof fetch,
): Promise<number> {
  const base = `/repos/${target.repository}/issues`;
  for (let page = 1; page <= 20; page++) {
    const comments = (await call(target, 'GET', `${base}/${target.issueNumber}/comments?per_page=100&page=${page}`, undefined, fetchImpl)) as {
      id: number;
      body?: string;
    }[];
    const mine = comments.find((c) => c.body?.includes(marker));
    if (mine) {
      await call(target, 'PATCH', `${base}/comments/${mine.id}`, { body: compose(mine.body) }, fetchImpl);
      logger.info(`Updated comment ${mine.id} on #${target.issueNumber}`);
      return mine.id;
    }
    if (comments.length < 100) break;
  }
  const created = (await call(target, 'POST', `${base}/${target.issueNumber}/comments`, { body: compose(undefined) }, fetchImpl)) as { id: number };
  logger.info(`Commented on #${target.issueNumber}`);
  return created.id;
}

/** Creates the comment, or updates the one that carries `marker` (so re-runs do not pile up). */
export function upsertComment(
  target: CommentTarget,
  marker: string,
  markdown: string,
  logger: Logger,
  fetchImpl: typeof fetch = fetch,
): Promise<number> {
  return upsertWith(target, marker, () => `${marker}\n${markdown}`, logger, fetchImpl);
}

/** `body` with the section `key` replaced by `markdown`, or added at the end when it has none. */
export function replaceSection(body: string, key: string, markdown: string): string {
  const open = `<!-- section:${key} -->`;
  const close = `<!-- /section:${key} -->`;
  const section = `${open}\n${markdown.trim()}\n${close}`;
  const start = body.indexOf(open);
  const end = body.indexOf(close);
  if (start >= 0 && end > start) return body.slice(0, start) + section + body.slice(end + close.length);
  return `${body.trimEnd()}\n\n${section}\n`;
}

/**
 * One comment holding a section per key (a plan per stack): each run replaces its own section and
 * keeps the others, so several steps or jobs build one comment between them.
 */
export function upsertCommentSection(
  target: CommentTarget,
  marker: string,
  title: string,
  key: string,
  markdown: string,
  logger: Logger,
  fetchImpl: typeof fetch = fetch,
): Promise<number> {
  return upsertWith(target, marker, (existing) => replaceSection(existing ?? `${marker}\n${title}\n`, key, markdown), logger, fetchImpl);
}
