// The stand-in's operations, by GitHub's operationId: typed input in, a status and a body out,
// no HTTP. Git data is the bare repository's own; answers carry what GitHub's do, and the server
// fills the rest of each documented shape and checks it against the contract.
import type { Author } from './git.js';
import type { PullRecord, Repository } from './state.js';

export class GitHubError extends Error {
  constructor(readonly status: number, message: string, readonly errors?: { resource: string; field: string; code: string; message?: string }[]) {
    super(message);
    this.name = 'GitHubError';
  }
}

/** Something the stand-in did that GitHub would start workflows for. */
export type RepositoryEvent =
  | { event: 'push'; ref: string; before: string; after: string }
  | { event: 'pull_request'; action: 'opened' | 'synchronize' | 'closed' | 'edited'; number: number }
  | { event: 'workflow_dispatch'; workflow: string; ref: string; inputs: Record<string, unknown> }
  | { event: 'repository_dispatch'; type: string; payload: Record<string, unknown> };

export interface HandlerContext {
  repo: Repository;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
  actor: string;
  api: string;
  web: string;
  emit: (event: RepositoryEvent) => void;
  /** Resolves a pending deployment's waiter once it is reviewed. */
  reviewed: (runId: string) => void;
}

export interface Answer {
  status: number;
  /** The component schema the body is, for the fields the stand-in does not model. */
  shape?: string;
  body?: unknown;
}

const now = () => new Date().toISOString();
const validation = (resource: string, field: string, code: string, message: string) => new GitHubError(422, 'Validation Failed', [{ resource, field, code, message }]);
const author = (login: string): Author => ({ name: login, email: `${login}@users.noreply.github.local` });

function user(ctx: HandlerContext, login: string) {
  return { login, id: 1, node_id: `U_${login}`, type: 'User', site_admin: false, url: `${ctx.api}/users/${login}`, html_url: `${ctx.web}/${login}` };
}

function repository(ctx: HandlerContext) {
  const full = ctx.repo.fullName;
  return {
    id: 1,
    node_id: `R_${full}`,
    name: ctx.repo.state.name,
    full_name: full,
    private: false,
    owner: user(ctx, ctx.repo.state.owner),
    html_url: `${ctx.web}/${full}`,
    url: `${ctx.api}/repos/${full}`,
    clone_url: `${ctx.web}/${full}.git`,
    default_branch: 'main',
    description: null,
    homepage: null,
    language: null,
    mirror_url: null,
    license: null,
    pushed_at: null,
    fork: false,
    archived: false,
    disabled: false,
  };
}

function branchRef(ctx: HandlerContext, name: string, sha: string) {
  return { label: `${ctx.repo.state.owner}:${name}`, ref: name, sha, user: user(ctx, ctx.repo.state.owner), repo: repository(ctx) };
}

function pull(ctx: HandlerContext, p: PullRecord) {
  const url = `${ctx.api}/repos/${ctx.repo.fullName}/pulls/${p.number}`;
  const git = ctx.repo.git;
  const headSha = git.resolve(`refs/heads/${p.head}`) ?? p.headSha;
  const baseSha = git.resolve(`refs/heads/${p.base}`) ?? p.baseSha;
  return {
    url,
    id: p.number,
    node_id: `PR_${p.number}`,
    number: p.number,
    state: p.state,
    locked: false,
    title: p.title,
    body: p.body,
    draft: p.draft,
    user: user(ctx, p.user),
    labels: [],
    milestone: null,
    assignee: null,
    active_lock_reason: null,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    closed_at: p.closedAt,
    merged_at: p.mergedAt,
    merge_commit_sha: p.mergeCommitSha,
    head: branchRef(ctx, p.head, headSha),
    base: branchRef(ctx, p.base, baseSha),
    html_url: `${ctx.web}/${ctx.repo.fullName}/pull/${p.number}`,
    issue_url: `${ctx.api}/repos/${ctx.repo.fullName}/issues/${p.number}`,
    author_association: 'OWNER',
    auto_merge: null,
    merged: p.merged,
    mergeable: p.state === 'open' ? true : null,
    mergeable_state: p.state === 'open' ? 'clean' : 'unknown',
    merged_by: p.mergedBy ? user(ctx, p.mergedBy) : null,
    comments: ctx.repo.state.comments.filter((c) => c.issue === p.number).length,
    commits: p.merged ? 0 : git.commitsBetween(baseSha, headSha),
    changed_files: p.merged ? 0 : git.changedFiles(baseSha, headSha).length,
    additions: 0,
    deletions: 0,
    review_comments: 0,
    maintainer_can_modify: false,
    _links: {},
  };
}

function gitRef(ctx: HandlerContext, ref: string, sha: string) {
  return { ref, node_id: `REF_${ref}`, url: `${ctx.api}/repos/${ctx.repo.fullName}/git/${ref}`, object: { type: 'commit', sha, url: `${ctx.api}/repos/${ctx.repo.fullName}/git/commits/${sha}` } };
}

function fullRef(ref: string): string {
  return ref.startsWith('refs/') ? ref : `refs/${ref}`;
}

/** A branch, tag or commit named by a `ref` query or body field; the default branch when empty. */
function commitOf(ctx: HandlerContext, ref: string | null | undefined): string {
  const name = ref || 'main';
  const sha = ctx.repo.git.resolve(`refs/heads/${name}`) ?? ctx.repo.git.resolve(`refs/tags/${name}`) ?? (/^[0-9a-f]{40}$/.test(name) ? ctx.repo.git.resolve(name) : undefined);
  if (!sha) throw new GitHubError(404, `No commit found for the ref ${name}`);
  return sha;
}

function findPull(ctx: HandlerContext): PullRecord {
  const p = ctx.repo.state.pulls.find((x) => x.number === Number(ctx.params.pull_number));
  if (!p) throw new GitHubError(404, 'Not Found');
  return p;
}

function comment(ctx: HandlerContext, c: { id: number; issue: number; body: string; user: string; createdAt: string; updatedAt: string }) {
  const base = `${ctx.api}/repos/${ctx.repo.fullName}/issues`;
  return { id: c.id, node_id: `IC_${c.id}`, url: `${base}/comments/${c.id}`, html_url: `${ctx.web}/${ctx.repo.fullName}/issues/${c.issue}#issuecomment-${c.id}`, issue_url: `${base}/${c.issue}`, body: c.body, user: user(ctx, c.user), created_at: c.createdAt, updated_at: c.updatedAt, author_association: 'OWNER' };
}

function issueOf(ctx: HandlerContext, number: number) {
  const i = ctx.repo.state.issues.find((x) => x.number === number);
  if (i) return i;
  const p = ctx.repo.state.pulls.find((x) => x.number === number);
  if (p) {
    const { title, body, state, user: login, createdAt, updatedAt, closedAt } = p;
    return { number, title, body, state, labels: [] as string[], user: login, createdAt, updatedAt, closedAt };
  }
  throw new GitHubError(404, 'Not Found');
}

function issue(ctx: HandlerContext, i: ReturnType<typeof issueOf>) {
  const url = `${ctx.api}/repos/${ctx.repo.fullName}/issues/${i.number}`;
  return {
    id: i.number,
    node_id: `I_${i.number}`,
    url,
    number: i.number,
    title: i.title,
    body: i.body,
    state: i.state,
    locked: false,
    user: user(ctx, i.user),
    labels: i.labels.map((name, n) => ({ id: n + 1, node_id: `L_${name}`, url: `${ctx.api}/repos/${ctx.repo.fullName}/labels/${name}`, name, color: 'ededed', default: false, description: null })),
    assignee: null,
    milestone: null,
    comments: ctx.repo.state.comments.filter((c) => c.issue === i.number).length,
    html_url: `${ctx.web}/${ctx.repo.fullName}/issues/${i.number}`,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    closed_at: i.closedAt,
    author_association: 'OWNER',
  };
}

function environment(ctx: HandlerContext, name: string) {
  const e = ctx.repo.state.environments[name];
  if (!e) throw new GitHubError(404, 'Not Found');
  const rules = [
    ...(e.waitTimer ? [{ id: 1, node_id: 'WT', type: 'wait_timer', wait_timer: e.waitTimer }] : []),
    ...(e.reviewers.length ? [{ id: 2, node_id: 'RR', type: 'required_reviewers', prevent_self_review: e.preventSelfReview, reviewers: e.reviewers.map((r) => ({ type: r.type, reviewer: user(ctx, `reviewer-${r.id}`) })) }] : []),
  ];
  return { id: e.id, node_id: `EN_${e.id}`, name: e.name, url: `${ctx.api}/repos/${ctx.repo.fullName}/environments/${name}`, html_url: `${ctx.web}/${ctx.repo.fullName}/deployments/activity_log?environments_filter=${name}`, created_at: e.createdAt, updated_at: e.updatedAt, protection_rules: rules };
}

function pushed(ctx: HandlerContext, ref: string, before: string | undefined, after: string) {
  ctx.emit({ event: 'push', ref, before: before ?? '0'.repeat(40), after });
  const branch = ref.replace(/^refs\/heads\//, '');
  for (const p of ctx.repo.state.pulls) if (p.state === 'open' && p.head === branch) ctx.emit({ event: 'pull_request', action: 'synchronize', number: p.number });
}

type Handler = (ctx: HandlerContext) => Answer;

export const handlers: Record<string, Handler> = {
  'git/get-ref': (ctx) => {
    const ref = fullRef(ctx.params.ref);
    const sha = ctx.repo.git.refs(ref).find((r) => r.ref === ref)?.sha;
    if (!sha) throw new GitHubError(404, 'Not Found');
    return { status: 200, shape: 'git-ref', body: gitRef(ctx, ref, sha) };
  },
  'git/create-ref': (ctx) => {
    const ref = String(ctx.body.ref);
    const sha = String(ctx.body.sha);
    if (!/^refs\/[^/]+\/.+/.test(ref)) throw validation('Ref', 'ref', 'invalid', `${ref} is not a valid ref name.`);
    if (!ctx.repo.git.objectExists(sha)) throw validation('Ref', 'sha', 'invalid', 'Object does not exist');
    if (ctx.repo.git.resolve(ref)) throw validation('Ref', 'ref', 'already_exists', 'Reference already exists');
    ctx.repo.git.updateRef(ref, sha);
    pushed(ctx, ref, undefined, sha);
    return { status: 201, shape: 'git-ref', body: gitRef(ctx, ref, sha) };
  },
  'git/update-ref': (ctx) => {
    const ref = fullRef(ctx.params.ref);
    const sha = String(ctx.body.sha);
    const before = ctx.repo.git.refs(ref).find((r) => r.ref === ref)?.sha;
    if (!before) throw validation('Ref', 'ref', 'missing', 'Reference does not exist');
    if (!ctx.repo.git.objectExists(sha)) throw validation('Ref', 'sha', 'invalid', 'Object does not exist');
    if (!ctx.body.force && !ctx.repo.git.isAncestor(before, sha)) throw validation('Ref', 'sha', 'not_fast_forward', 'Update is not a fast forward');
    ctx.repo.git.updateRef(ref, sha);
    pushed(ctx, ref, before, sha);
    return { status: 200, shape: 'git-ref', body: gitRef(ctx, ref, sha) };
  },
  'git/delete-ref': (ctx) => {
    const ref = fullRef(ctx.params.ref);
    if (!ctx.repo.git.resolve(ref)) throw validation('Ref', 'ref', 'missing', 'Reference does not exist');
    ctx.repo.git.deleteRef(ref);
    return { status: 204 };
  },
  'repos/get-content': (ctx) => {
    const sha = commitOf(ctx, ctx.query.get('ref'));
    const path = ctx.params.path.replace(/^\/+/, '');
    const file = ctx.repo.git.file(sha, path);
    if (!file) throw new GitHubError(404, 'Not Found');
    const url = `${ctx.api}/repos/${ctx.repo.fullName}/contents/${path}`;
    return {
      status: 200,
      shape: 'content-file',
      body: { type: 'file', encoding: 'base64', size: file.content.length, name: path.split('/').pop(), path, content: file.content.toString('base64'), sha: file.sha, url, git_url: null, html_url: null, download_url: null, _links: { self: url, git: null, html: null } },
    };
  },
  'repos/create-or-update-file-contents': (ctx) => {
    const path = ctx.params.path.replace(/^\/+/, '');
    const branch = String(ctx.body.branch ?? 'main');
    const parent = ctx.repo.git.resolve(`refs/heads/${branch}`);
    if (!parent) throw new GitHubError(404, `Branch ${branch} not found`);
    const existing = ctx.repo.git.file(parent, path);
    if (existing && ctx.body.sha !== existing.sha) {
      throw new GitHubError(existing && ctx.body.sha === undefined ? 422 : 409, existing && ctx.body.sha === undefined ? 'Invalid request.\n\n"sha" wasn\'t supplied.' : `${path} does not match ${String(ctx.body.sha)}`);
    }
    const commit = ctx.repo.git.commitFile(parent, path, Buffer.from(String(ctx.body.content), 'base64'), String(ctx.body.message), author(ctx.actor));
    ctx.repo.git.updateRef(`refs/heads/${branch}`, commit, parent);
    pushed(ctx, `refs/heads/${branch}`, parent, commit);
    const blob = ctx.repo.git.file(commit, path)!;
    return {
      status: existing ? 200 : 201,
      shape: 'file-commit',
      body: { content: { name: path.split('/').pop(), path, sha: blob.sha, size: blob.content.length, type: 'file' }, commit: { sha: commit, message: String(ctx.body.message) } },
    };
  },
  'pulls/create': (ctx) => {
    const head = String(ctx.body.head).replace(/^[^:]+:/, '');
    const base = String(ctx.body.base);
    const headSha = ctx.repo.git.resolve(`refs/heads/${head}`);
    const baseSha = ctx.repo.git.resolve(`refs/heads/${base}`);
    if (!headSha) throw validation('PullRequest', 'head', 'invalid', `head ${head} does not exist`);
    if (!baseSha) throw validation('PullRequest', 'base', 'invalid', `base ${base} does not exist`);
    if (ctx.repo.state.pulls.some((p) => p.state === 'open' && p.head === head && p.base === base)) {
      throw validation('PullRequest', 'head', 'custom', `A pull request already exists for ${ctx.repo.state.owner}:${head}.`);
    }
    if (ctx.repo.git.commitsBetween(baseSha, headSha) === 0) throw validation('PullRequest', 'head', 'custom', `No commits between ${base} and ${head}`);
    const t = now();
    const record: PullRecord = {
      number: ctx.repo.state.nextNumber++,
      title: String(ctx.body.title ?? head),
      body: (ctx.body.body as string | undefined) ?? null,
      head,
      base,
      state: 'open',
      draft: Boolean(ctx.body.draft),
      user: ctx.actor,
      merged: false,
      mergeCommitSha: null,
      mergedBy: null,
      headSha,
      baseSha,
      createdAt: t,
      updatedAt: t,
      closedAt: null,
      mergedAt: null,
    };
    ctx.repo.state.pulls.push(record);
    ctx.emit({ event: 'pull_request', action: 'opened', number: record.number });
    return { status: 201, shape: 'pull-request', body: pull(ctx, record) };
  },
  'pulls/list': (ctx) => {
    const state = ctx.query.get('state') ?? 'open';
    const head = ctx.query.get('head')?.replace(/^[^:]+:/, '');
    const base = ctx.query.get('base');
    const list = ctx.repo.state.pulls.filter((p) => (state === 'all' || p.state === state) && (!head || p.head === head) && (!base || p.base === base));
    return { status: 200, shape: 'pull-request-simple', body: list.map((p) => pull(ctx, p)) };
  },
  'pulls/get': (ctx) => ({ status: 200, shape: 'pull-request', body: pull(ctx, findPull(ctx)) }),
  'pulls/update': (ctx) => {
    const p = findPull(ctx);
    if (typeof ctx.body.title === 'string') p.title = ctx.body.title;
    if (typeof ctx.body.body === 'string') p.body = ctx.body.body;
    if (ctx.body.state === 'closed' && p.state === 'open') Object.assign(p, { state: 'closed', closedAt: now() });
    if (ctx.body.state === 'open' && p.state === 'closed' && !p.merged) Object.assign(p, { state: 'open', closedAt: null });
    p.updatedAt = now();
    ctx.emit({ event: 'pull_request', action: 'edited', number: p.number });
    return { status: 200, shape: 'pull-request', body: pull(ctx, p) };
  },
  'pulls/merge': (ctx) => {
    const p = findPull(ctx);
    if (p.state !== 'open') throw new GitHubError(405, 'Pull Request is not mergeable');
    const baseRef = `refs/heads/${p.base}`;
    const base = ctx.repo.git.resolve(baseRef)!;
    const head = ctx.repo.git.resolve(`refs/heads/${p.head}`)!;
    if (ctx.body.sha && ctx.body.sha !== head) throw new GitHubError(409, 'Head branch was modified. Review and try the merge again.');
    const method = String(ctx.body.merge_method ?? 'merge');
    const message = `${String(ctx.body.commit_title ?? `Merge pull request #${p.number} from ${ctx.repo.state.owner}/${p.head}`)}\n\n${String(ctx.body.commit_message ?? p.title)}`;
    let merged: string;
    try {
      if (method === 'merge') {merged = ctx.repo.git.merge(base, head, message, author(ctx.actor));} else {
        const tree = ctx.repo.git.git(['merge-tree', '--write-tree', base, head]).trim().split('\n')[0];
        merged = ctx.repo.git.commitTree(tree, [base], `${p.title} (#${p.number})`, author(ctx.actor));
      }
    } catch (error) {
      throw new GitHubError(405, (error as Error).message);
    }
    ctx.repo.git.updateRef(baseRef, merged, base);
    Object.assign(p, { state: 'closed', merged: true, mergeCommitSha: merged, mergedBy: ctx.actor, mergedAt: now(), closedAt: now(), updatedAt: now(), headSha: head, baseSha: base });
    ctx.emit({ event: 'pull_request', action: 'closed', number: p.number });
    pushed(ctx, baseRef, base, merged);
    return { status: 200, shape: 'pull-request-merge-result', body: { sha: merged, merged: true, message: 'Pull Request successfully merged' } };
  },
  'issues/list-comments': (ctx) => {
    const number = Number(ctx.params.issue_number);
    issueOf(ctx, number);
    return { status: 200, shape: 'issue-comment', body: ctx.repo.state.comments.filter((c) => c.issue === number).map((c) => comment(ctx, c)) };
  },
  'issues/create-comment': (ctx) => {
    const number = Number(ctx.params.issue_number);
    issueOf(ctx, number);
    const t = now();
    const c = { id: ctx.repo.state.nextCommentId++, issue: number, body: String(ctx.body.body), user: ctx.actor, createdAt: t, updatedAt: t };
    ctx.repo.state.comments.push(c);
    return { status: 201, shape: 'issue-comment', body: comment(ctx, c) };
  },
  'issues/update-comment': (ctx) => {
    const c = ctx.repo.state.comments.find((x) => x.id === Number(ctx.params.comment_id));
    if (!c) throw new GitHubError(404, 'Not Found');
    Object.assign(c, { body: String(ctx.body.body), updatedAt: now() });
    return { status: 200, shape: 'issue-comment', body: comment(ctx, c) };
  },
  'issues/create': (ctx) => {
    const t = now();
    const labels = ((ctx.body.labels as unknown[] | undefined) ?? []).map((l) => (typeof l === 'string' ? l : String((l as { name?: string }).name)));
    const i = { number: ctx.repo.state.nextNumber++, title: String(ctx.body.title), body: (ctx.body.body as string | undefined) ?? null, state: 'open' as const, labels, user: ctx.actor, createdAt: t, updatedAt: t, closedAt: null };
    ctx.repo.state.issues.push(i);
    return { status: 201, shape: 'issue', body: issue(ctx, i) };
  },
  'issues/list-for-repo': (ctx) => {
    const state = ctx.query.get('state') ?? 'open';
    const labels = (ctx.query.get('labels') ?? '').split(',').filter(Boolean);
    const list = ctx.repo.state.issues.filter((i) => (state === 'all' || i.state === state) && labels.every((l) => i.labels.includes(l)));
    return { status: 200, shape: 'issue', body: list.map((i) => issue(ctx, i)) };
  },
  'issues/update': (ctx) => {
    const i = ctx.repo.state.issues.find((x) => x.number === Number(ctx.params.issue_number));
    if (!i) throw new GitHubError(404, 'Not Found');
    if (typeof ctx.body.title === 'string') i.title = ctx.body.title;
    if (typeof ctx.body.body === 'string') i.body = ctx.body.body;
    if (ctx.body.state === 'closed' || ctx.body.state === 'open') Object.assign(i, { state: ctx.body.state, closedAt: ctx.body.state === 'closed' ? now() : null });
    i.updatedAt = now();
    return { status: 200, shape: 'issue', body: issue(ctx, i) };
  },
  'issues/add-labels': (ctx) => {
    const i = ctx.repo.state.issues.find((x) => x.number === Number(ctx.params.issue_number));
    if (!i) throw new GitHubError(404, 'Not Found');
    const given = Array.isArray(ctx.body) ? ctx.body : ((ctx.body.labels as unknown[]) ?? []);
    for (const l of given) if (!i.labels.includes(String(l))) i.labels.push(String(l));
    return { status: 200, shape: 'label', body: issue(ctx, i).labels };
  },
  'actions/create-workflow-dispatch': (ctx) => {
    const workflow = ctx.params.workflow_id;
    commitOf(ctx, String(ctx.body.ref).replace(/^refs\/heads\//, ''));
    ctx.emit({ event: 'workflow_dispatch', workflow, ref: String(ctx.body.ref), inputs: (ctx.body.inputs as Record<string, unknown>) ?? {} });
    return { status: 204 };
  },
  'repos/create-dispatch-event': (ctx) => {
    ctx.emit({ event: 'repository_dispatch', type: String(ctx.body.event_type), payload: (ctx.body.client_payload as Record<string, unknown>) ?? {} });
    return { status: 204 };
  },
  'repos/create-or-update-environment': (ctx) => {
    const name = ctx.params.environment_name;
    const t = now();
    const existing = ctx.repo.state.environments[name];
    ctx.repo.state.environments[name] = {
      id: existing?.id ?? ctx.repo.state.nextEnvironmentId++,
      name,
      variables: existing?.variables ?? {},
      secrets: existing?.secrets ?? {},
      createdAt: existing?.createdAt ?? t,
      updatedAt: t,
      waitTimer: Number(ctx.body.wait_timer ?? 0),
      preventSelfReview: Boolean(ctx.body.prevent_self_review),
      reviewers: ((ctx.body.reviewers as { type: 'User' | 'Team'; id: number }[] | null) ?? []),
    };
    return { status: 200, shape: 'environment', body: environment(ctx, name) };
  },
  'repos/get-environment': (ctx) => ({ status: 200, shape: 'environment', body: environment(ctx, ctx.params.environment_name) }),
  'actions/get-pending-deployments-for-run': (ctx) => {
    const pending = (ctx.repo.state.runs[ctx.params.run_id]?.pending ?? []).filter((p) => !p.review);
    return {
      status: 200,
      shape: 'pending-deployment',
      body: pending.map((p) => {
        const e = ctx.repo.state.environments[p.environment];
        return {
          environment: { id: e?.id ?? 0, node_id: `EN_${e?.id ?? 0}`, name: p.environment, url: `${ctx.api}/repos/${ctx.repo.fullName}/environments/${p.environment}`, html_url: `${ctx.web}/${ctx.repo.fullName}/deployments` },
          wait_timer: e?.waitTimer ?? 0,
          wait_timer_started_at: p.since,
          current_user_can_approve: true,
          reviewers: (e?.reviewers ?? []).map((r) => ({ type: r.type, reviewer: user(ctx, `reviewer-${r.id}`) })),
        };
      }),
    };
  },
  'actions/review-pending-deployments-for-run': (ctx) => {
    const run = ctx.repo.state.runs[ctx.params.run_id];
    const ids = (ctx.body.environment_ids as number[]) ?? [];
    const names = Object.values(ctx.repo.state.environments).filter((e) => ids.includes(e.id)).map((e) => e.name);
    const waiting = (run?.pending ?? []).filter((p) => !p.review && names.includes(p.environment));
    if (waiting.length === 0) throw validation('Deployment', 'environment_ids', 'invalid', 'No pending deployment for these environments in this run');
    for (const p of waiting) p.review = { state: ctx.body.state as 'approved' | 'rejected', by: ctx.actor, comment: String(ctx.body.comment ?? '') };
    ctx.reviewed(ctx.params.run_id);
    return { status: 200, shape: 'deployment', body: [] };
  },
  'actions/list-repo-variables': (ctx) => {
    const variables = Object.entries(ctx.repo.state.variables)
      .map(([name, v]) => ({ name, value: v.value, created_at: v.createdAt, updated_at: v.updatedAt }));
    return { status: 200, body: { total_count: variables.length, variables } };
  },
  'actions/create-repo-variable': (ctx) => {
    const name = String(ctx.body.name).toUpperCase();
    if (ctx.repo.state.variables[name]) throw new GitHubError(409, 'Already exists - Variable already exists');
    ctx.repo.state.variables[name] = { value: String(ctx.body.value), createdAt: now(), updatedAt: now() };
    return { status: 201, body: {} };
  },
  'actions/update-repo-variable': (ctx) => {
    const v = ctx.repo.state.variables[ctx.params.name.toUpperCase()];
    if (!v) throw new GitHubError(404, 'Not Found');
    Object.assign(v, { value: String(ctx.body.value), updatedAt: now() });
    return { status: 204 };
  },
  'actions/create-environment-variable': (ctx) => {
    const e = ctx.repo.state.environments[ctx.params.environment_name];
    if (!e) throw new GitHubError(404, 'Not Found');
    const name = String(ctx.body.name).toUpperCase();
    if (e.variables[name]) throw new GitHubError(409, 'Already exists - Variable already exists');
    e.variables[name] = { value: String(ctx.body.value), createdAt: now(), updatedAt: now() };
    return { status: 201, body: {} };
  },
};
