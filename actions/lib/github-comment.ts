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

/** Creates the comment, or updates the one that carries `marker` (so re-runs do not pile up). */
export async function upsertComment(
  target: CommentTarget,
  marker: string,
  markdown: string,
  logger: Logger,
  fetchImpl: typeof fetch = fetch,
): Promise<number> {
  const body = `${marker}\n${markdown}`;
  const base = `/repos/${target.repository}/issues`;
  for (let page = 1; page <= 20; page++) {
    const comments = (await call(target, 'GET', `${base}/${target.issueNumber}/comments?per_page=100&page=${page}`, undefined, fetchImpl)) as {
      id: number;
      body?: string;
    }[];
    const mine = comments.find((c) => c.body?.includes(marker));
    if (mine) {
      await call(target, 'PATCH', `${base}/comments/${mine.id}`, { body }, fetchImpl);
      logger.info(`Updated comment ${mine.id} on #${target.issueNumber}`);
      return mine.id;
    }
    if (comments.length < 100) break;
  }
  const created = (await call(target, 'POST', `${base}/${target.issueNumber}/comments`, { body }, fetchImpl)) as { id: number };
  logger.info(`Commented on #${target.issueNumber}`);
  return created.id;
}
