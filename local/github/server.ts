// The GitHub stand-in: a local HTTP server for the REST calls the actions, scripts and workflows
// make, and the repositories' git over HTTP. Each request, in order: find the operation in the
// contract (501 naming it when the subset has none), authenticate the token, check its
// permissions (GitHub's 403 when the job did not ask for the scope), check the request against the
// contract (422), run the handler, fill and check the answer against the contract, log.
//   API at <url>/api/v3 (GITHUB_API_URL), git at <url>/<owner>/<repo>.git (GITHUB_SERVER_URL).
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Contract, type Operation } from './contract.js';
import { serveGit } from './git.js';
import { GitHubError, handlers, type RepositoryEvent } from './handlers.js';
import { Repository } from './state.js';
import type { Permissions } from '../permissions.js';

export type Level = 'read' | 'write';

interface Token {
  login: string;
  repository?: string;
  /** An installation (GITHUB_TOKEN) token's permissions; a user token has none and may do anything. */
  permissions?: Permissions;
}

export interface Review {
  approved: boolean;
  by?: string;
  comment?: string;
}

export interface LoggedRequest {
  method: string;
  path: string;
  operation?: string;
  status: number;
  /** Why the stand-in refused or failed it: not in the contract, the contract, permissions. */
  problem?: string;
}

/** The scope a GITHUB_TOKEN needs per operation (any one of several). Operations no such token can do are 'user'. */
const SCOPES: Record<string, { scopes: string[]; level: Level } | 'user'> = {
  'git/get-ref': { scopes: ['contents'], level: 'read' },
  'git/create-ref': { scopes: ['contents'], level: 'write' },
  'git/update-ref': { scopes: ['contents'], level: 'write' },
  'git/delete-ref': { scopes: ['contents'], level: 'write' },
  'repos/get-content': { scopes: ['contents'], level: 'read' },
  'repos/create-or-update-file-contents': { scopes: ['contents'], level: 'write' },
  'pulls/list': { scopes: ['pull-requests'], level: 'read' },
  'pulls/get': { scopes: ['pull-requests'], level: 'read' },
  'pulls/create': { scopes: ['pull-requests'], level: 'write' },
  'pulls/update': { scopes: ['pull-requests'], level: 'write' },
  'pulls/merge': { scopes: ['contents'], level: 'write' },
  'issues/list-comments': { scopes: ['issues', 'pull-requests'], level: 'read' },
  'issues/create-comment': { scopes: ['issues', 'pull-requests'], level: 'write' },
  'issues/update-comment': { scopes: ['issues', 'pull-requests'], level: 'write' },
  'issues/create': { scopes: ['issues'], level: 'write' },
  'issues/list-for-repo': { scopes: ['issues'], level: 'read' },
  'issues/update': { scopes: ['issues'], level: 'write' },
  'issues/add-labels': { scopes: ['issues'], level: 'write' },
  'actions/create-workflow-dispatch': { scopes: ['actions'], level: 'write' },
  'repos/create-dispatch-event': { scopes: ['contents'], level: 'write' },
  'actions/get-pending-deployments-for-run': { scopes: ['actions'], level: 'read' },
  'actions/review-pending-deployments-for-run': 'user',
  'repos/get-environment': { scopes: ['actions'], level: 'read' },
  'repos/create-or-update-environment': 'user',
  'actions/list-repo-variables': 'user',
  'actions/create-repo-variable': 'user',
  'actions/update-repo-variable': 'user',
  'actions/create-environment-variable': 'user',
};

const allows = (granted: string | undefined, level: Level) => granted === 'write' || (granted === 'read' && level === 'read');

export interface GitHubOptions {
  port?: number;
  stateDir: string;
  log?: (line: string) => void;
}

export class GitHubStandIn {
  url = '';
  readonly requests: LoggedRequest[] = [];
  private server?: Server;
  private readonly contract = new Contract();
  private readonly tokens = new Map<string, Token>();
  private readonly repos = new Map<string, Repository>();
  private readonly listeners: ((repository: string, event: RepositoryEvent, actor: string) => void)[] = [];
  private readonly reviewWaiters = new Map<string, (() => void)[]>();

  constructor(private readonly options: GitHubOptions) {}

  get apiUrl(): string {
    return `${this.url}/api/v3`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(this.options.port ?? 0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  repository(fullName: string): Repository {
    let repo = this.repos.get(fullName);
    if (!repo) {
      repo = new Repository(this.options.stateDir, fullName);
      this.repos.set(fullName, repo);
    }
    return repo;
  }

  /** A user's token: may do anything, as the repository's owner may. */
  userToken(login: string): string {
    const token = `ghp_${randomBytes(18).toString('hex')}`;
    this.tokens.set(token, { login });
    return token;
  }

  /**
   * A job's GITHUB_TOKEN, for one repository, with the job's permissions; with `app`, the
   * installation token of that GitHub App instead (what a PROMOTION_TOKEN secret holds): it acts
   * as `<app>[bot]`, and what it does starts workflows, as GITHUB_TOKEN's actions do not.
   */
  installationToken(repository: string, permissions: Permissions, app = 'github-actions'): string {
    const token = `ghs_${randomBytes(18).toString('hex')}`;
    this.tokens.set(token, { login: `${app}[bot]`, repository, permissions });
    return token;
  }

  /** Called for every push, pull request change and dispatch, as GitHub starts workflows on them. */
  onEvent(listener: (repository: string, event: RepositoryEvent, actor: string) => void): void {
    this.listeners.push(listener);
  }

  /** Records a job waiting on an environment and resolves once a reviewer approves or rejects it. */
  async waitForReview(repository: string, runId: number, job: string, environment: string): Promise<Review> {
    const repo = this.repository(repository);
    const run = (repo.state.runs[String(runId)] ??= { pending: [] });
    const entry = { environment, job, since: new Date().toISOString() };
    run.pending.push(entry);
    repo.save();
    const key = `${repository}#${runId}`;
    for (;;) {
      const reviewed = repo.state.runs[String(runId)].pending.find((p) => p.job === job && p.environment === environment && p.since === entry.since);
      if (reviewed?.review) return { approved: reviewed.review.state === 'approved', by: reviewed.review.by, comment: reviewed.review.comment || undefined };
      await new Promise<void>((resolve) => this.reviewWaiters.set(key, [...(this.reviewWaiters.get(key) ?? []), resolve]));
    }
  }

  private reviewed(repository: string, runId: string): void {
    const key = `${repository}#${runId}`;
    const waiters = this.reviewWaiters.get(key) ?? [];
    this.reviewWaiters.delete(key);
    for (const w of waiters) w();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const gitMatch = url.pathname.match(/^\/([^/]+\/[^/]+?)\.git(\/.*)$/);
    if (gitMatch) {
      const repo = this.repository(gitMatch[1]);
      const before = repo.git.refs('refs/heads/');
      serveGit(repo.git, gitMatch[2], req, res, () => {
        const after = repo.git.refs('refs/heads/');
        for (const ref of after) {
          const old = before.find((b) => b.ref === ref.ref)?.sha;
          if (old !== ref.sha) for (const l of this.listeners) l(gitMatch[1], { event: 'push', ref: ref.ref, before: old ?? '0'.repeat(40), after: ref.sha }, 'octocat');
        }
      });
      return;
    }
    const logged: LoggedRequest = { method: req.method ?? 'GET', path: url.pathname + url.search, status: 0 };
    const send = (status: number, body?: unknown, problem?: string) => {
      Object.assign(logged, { status, problem });
      this.requests.push(logged);
      this.options.log?.(`${logged.method} ${logged.path} ${status}${logged.operation ? ` ${logged.operation}` : ''}${problem ? ` (${problem})` : ''}`);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-github-request-id': randomBytes(8).toString('hex'), 'x-github-api-version-selected': '2022-11-28' });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    const error = (status: number, message: string, extra: Record<string, unknown> = {}, problem?: string) =>
      send(status, { message, documentation_url: 'https://docs.github.com/rest', status: String(status), ...extra }, problem ?? message);

    if (!url.pathname.startsWith('/api/v3/')) return error(404, 'Not Found');
    const path = url.pathname.slice('/api/v3'.length);
    const matched = this.contract.match(logged.method, path);
    if (!matched) return error(501, `${logged.method} ${path} is not an operation the GitHub stand-in serves (local/github/openapi.json)`);
    const { operation, params } = matched;
    logged.operation = operation.id;

    const token = this.tokens.get((req.headers.authorization ?? '').replace(/^(Bearer|token) /i, ''));
    if (!token) return error(401, 'Bad credentials');
    const repository = `${params.owner}/${params.repo}`;
    const denied = this.denied(operation, token, repository);
    if (denied) return error(403, 'Resource not accessible by integration', {}, denied);

    let body: Record<string, unknown> = {};
    const text = await new Promise<string>((resolve) => {
      let data = '';
      req.on('data', (c) => (data += c));
      req.on('end', () => resolve(data));
    });
    if (text) {
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return error(400, 'Problems parsing JSON');
      }
    }
    const problems = this.contract.checkBody(operation, text ? body : undefined);
    if (problems.length) return error(422, 'Invalid request.', { errors: problems }, `the request breaks the contract: ${problems.join('; ')}`);

    const repo = this.repository(repository);
    try {
      const answer = handlers[operation.id]({
        repo,
        params,
        query: url.searchParams,
        body,
        actor: token.login,
        api: this.apiUrl,
        web: this.url,
        emit: (event) => {
          for (const l of this.listeners) l(repository, event, token.login);
        },
        reviewed: (runId) => this.reviewed(repository, runId),
      });
      repo.save();
      const fill = (b: unknown) => (answer.shape ? this.contract.complete(answer.shape, b as Record<string, unknown>) : b);
      const filled = Array.isArray(answer.body) ? answer.body.map(fill) : answer.body === undefined ? undefined : fill(answer.body);
      const broken = this.contract.checkResponse(operation, answer.status, filled);
      if (broken.length) return error(500, 'The GitHub stand-in made an answer that breaks the contract', { errors: broken }, `answer breaks the contract: ${broken.join('; ')}`);
      return send(answer.status, filled);
    } catch (e) {
      if (e instanceof GitHubError) return error(e.status, e.message, e.errors ? { errors: e.errors } : {}, e.status >= 500 ? e.message : undefined);
      return error(500, `The GitHub stand-in failed: ${(e as Error).message}`);
    }
  }

  /** Why a token may not make this call, or undefined when it may. */
  private denied(operation: Operation, token: Token, repository: string): string | undefined {
    if (!token.permissions) return undefined;
    if (token.repository !== repository) return `the job's token is for ${token.repository}, not ${repository}`;
    const need = SCOPES[operation.id];
    if (need === 'user') return `${operation.id} needs a user's token; a GITHUB_TOKEN cannot do it`;
    if (!need) return `no permission is mapped for ${operation.id}`;
    if (need.scopes.some((s) => allows(token.permissions![s], need.level))) return undefined;
    return `${operation.id} needs ${need.scopes.map((s) => `${s}: ${need.level}`).join(' or ')}; the job's permissions give ${need.scopes.map((s) => `${s}: ${token.permissions![s] ?? 'none'}`).join(', ')}`;
  }
}
