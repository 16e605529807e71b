// What the people of the story do in GitHub (open a pull request, merge it, read its comments,
// press "Run workflow"), done through the stand-in's REST API with a user's token, so that every
// step is an operation GitHub has and the stand-in checks it against the OpenAPI description.
import type { components } from '@octokit/openapi-types';

type PullRequest = components['schemas']['pull-request-simple'];
type Comment = components['schemas']['issue-comment'];

export class Person {
  constructor(private readonly apiUrl: string, private readonly repository: string, private readonly token: string) {}

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.apiUrl}/repos/${this.repository}${path}`, {
      method,
      headers: { 'authorization': `Bearer ${this.token}`, 'content-type': 'application/json', 'accept': 'application/vnd.github+json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** A branch off main with each file changed by `edit`, one commit per file, as the web editor makes them. */
  async branch(name: string, edits: Record<string, (text: string) => string>, message: string): Promise<string> {
    const main = await this.call<{ object: { sha: string } }>('GET', '/git/ref/heads/main');
    await this.call('POST', '/git/refs', { ref: `refs/heads/${name}`, sha: main.object.sha });
    let head = main.object.sha;
    for (const [path, edit] of Object.entries(edits)) {
      const file = await this.call<{ content: string; sha: string }>('GET', `/contents/${path}?ref=${name}`);
      const before = Buffer.from(file.content, 'base64').toString();
      const after = edit(before);
      if (after === before) throw new Error(`the story's edit of ${path} changed nothing`);
      const put = await this.call<{ commit: { sha: string } }>('PUT', `/contents/${path}`, {
        message, content: Buffer.from(after).toString('base64'), sha: file.sha, branch: name,
      });
      head = put.commit.sha;
    }
    return head;
  }

  async openPullRequest(head: string, title: string, body: string): Promise<number> {
    return (await this.call<PullRequest>('POST', '/pulls', { title, head, base: 'main', body })).number;
  }

  async pullRequests(state: 'open' | 'closed' | 'all' = 'open'): Promise<PullRequest[]> {
    return this.call<PullRequest[]>('GET', `/pulls?state=${state}`);
  }

  /** Merges and returns the merge commit. */
  async merge(number: number): Promise<string> {
    return (await this.call<{ sha: string }>('PUT', `/pulls/${number}/merge`, { merge_method: 'merge' })).sha;
  }

  async close(number: number, comment: string): Promise<void> {
    await this.call('POST', `/issues/${number}/comments`, { body: comment });
    await this.call('PATCH', `/pulls/${number}`, { state: 'closed' });
  }

  async comments(number: number): Promise<Comment[]> {
    return this.call<Comment[]>('GET', `/issues/${number}/comments`);
  }

  async dispatch(workflow: string, inputs: Record<string, string> = {}): Promise<void> {
    await this.call('POST', `/actions/workflows/${workflow}/dispatches`, { ref: 'main', inputs });
  }
}
