// The GitHub REST calls promotion makes, through GITHUB_API_URL (github.com, GitHub Enterprise or
// the local stand-in alike), typed by GitHub's OpenAPI description. fetch rather than octokit:
// octokit and undici would add about 700 KB to the bundle.
import type { components } from '@octokit/openapi-types';
import type { Logger } from '../../lib/log.js';

export type PullRequest = components['schemas']['pull-request-simple'];
type Content = components['schemas']['content-file'];
type Ref = components['schemas']['git-ref'];

export interface GitHubTarget {
  apiUrl: string;
  repository: string;
  token: string;
}

export class GitHubError extends Error {
  constructor(readonly status: number, method: string, path: string, body: string) {
    super(`GitHub ${method} ${path} answered ${status}: ${body.slice(0, 300)}`);
    this.name = 'GitHubError';
  }
}

export class GitHub {
  constructor(private readonly target: GitHubTarget, private readonly logger: Logger, private readonly fetchImpl: typeof fetch = fetch) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.fetchImpl(`${this.target.apiUrl}/repos/${this.target.repository}${path}`, {
      method,
      headers: {
        'authorization': `Bearer ${this.target.token}`,
        'accept': 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
        'content-type': 'application/json',
        'user-agent': 'sagemaker-gitops',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new GitHubError(response.status, method, path, text);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** The commit a branch points at, or undefined when there is no such branch. */
  async branchSha(branch: string): Promise<string | undefined> {
    try {
      return (await this.call<Ref>('GET', `/git/ref/heads/${encodeURIComponent(branch)}`)).object.sha;
    } catch (error) {
      if (error instanceof GitHubError && error.status === 404) return undefined;
      throw error;
    }
  }

  async createBranch(branch: string, sha: string): Promise<void> {
    await this.call<Ref>('POST', '/git/refs', { ref: `refs/heads/${branch}`, sha });
    this.logger.info(`Created branch ${branch} at ${sha.slice(0, 7)}`);
  }

  async file(path: string, branch: string): Promise<{ text: string; sha: string }> {
    const content = await this.call<Content>('GET', `/contents/${path}?ref=${encodeURIComponent(branch)}`);
    return { text: Buffer.from(content.content, 'base64').toString('utf8'), sha: content.sha };
  }

  async writeFile(path: string, branch: string, text: string, sha: string, message: string): Promise<void> {
    await this.call('PUT', `/contents/${path}`, { message, content: Buffer.from(text).toString('base64'), sha, branch });
    this.logger.info(`Committed ${path} to ${branch}`);
  }

  async openPullRequest(branch: string): Promise<PullRequest | undefined> {
    const owner = this.target.repository.split('/')[0];
    const open = await this.call<PullRequest[]>('GET', `/pulls?head=${encodeURIComponent(`${owner}:${branch}`)}&state=open`);
    return open[0];
  }

  async createPullRequest(branch: string, base: string, title: string, body: string): Promise<PullRequest> {
    return this.call<PullRequest>('POST', '/pulls', { title, head: branch, base, body });
  }

  async updatePullRequest(number: number, title: string, body: string): Promise<PullRequest> {
    return this.call<PullRequest>('PATCH', `/pulls/${number}`, { title, body });
  }
}
