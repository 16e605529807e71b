// GitHub's side of the offline flow: an event in the GitHub stand-in (a push, a pull request, a
// dispatch) starts every workflow of the repository whose `on:` matches, at the event's commit,
// through the local runner. Each job gets a GITHUB_TOKEN from the stand-in with its permissions,
// waits for its environment's review in the stand-in's pending deployments, and sees that
// environment's secrets and variables.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { RepositoryEvent } from '../github/handlers.js';
import type { GitHubStandIn } from '../github/server.js';
import type { ConcurrencyGroups } from '../runner/concurrency.js';
import type { OidcIssuer } from '../runner/oidc.js';
import { runWorkflow } from '../runner/run.js';
import { localActions } from '../runner/third-party.js';
import { startsWorkflow, type TriggerEvent } from '../runner/triggers.js';
import type { JobIdentity, RunRecord } from '../runner/types.js';
import { loadWorkflow } from '../runner/workflow.js';

export interface DispatcherOptions {
  github: GitHubStandIn;
  oidc: OidcIssuer;
  concurrency: ConcurrencyGroups;
  /** Node 24, for the actions. */
  node: string;
  /** Where checkouts and runner files go. */
  workDir: string;
  /** The environment of every step (PATH, HOME, AWS_ENDPOINT_URL, ...). */
  baseEnv: Record<string, string>;
  /** Folders of this machine linked into each checkout, as setup and cache steps would restore them (node_modules, .venv). */
  provisioned?: Record<string, string>;
  /** Reviews a job waiting on an environment, as a person would in the pending deployments. */
  review?: (environment: string, job: string, runId: number) => Promise<{ state: 'approved' | 'rejected'; comment: string }>;
  reviewer?: string;
  /** Only these workflow files (by file name) start; the others are left alone, as if disabled. */
  only?: string[];
  /** Jobs left out offline, by `<file>:<job id>`, with the reason their record gives. */
  skipJobs?: Record<string, string>;
  progress?: (line: string) => void;
}

const ZERO = '0'.repeat(40);

/** An event as the runner needs it: what to match `on:` against, the commit and ref, the payload. */
interface Found {
  trigger: TriggerEvent;
  sha: string;
  ref: string;
  payload: Record<string, unknown>;
}

/** What one event did: the runs it started, or why it started none. */
export interface EventRecord {
  event: string;
  ref: string;
  actor: string;
  runs: number[];
  note?: string;
}

/** GitHub's rule: what a job does with its GITHUB_TOKEN starts no workflow, except a dispatch. */
const GITHUB_TOKEN_ACTOR = 'github-actions[bot]';

export class Dispatcher {
  readonly runs: RunRecord[] = [];
  readonly events: EventRecord[] = [];
  private nextRunId = 1;
  private nextEvent = 1;
  private readonly pending = new Set<Promise<void>>();
  private readonly reviewerToken: string;

  constructor(private readonly options: DispatcherOptions) {
    this.reviewerToken = options.github.userToken(options.reviewer ?? 'reviewer');
    options.github.onEvent((repository, event, actor) => this.track(this.dispatch(repository, event, actor)));
  }

  /** Resolves once every run started so far, and every run those started, has ended. */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  private track(p: Promise<void>): void {
    const tracked = p.catch((error) => this.options.progress?.(`dispatch failed: ${(error as Error).message}`)).finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  private trigger(repository: string, event: RepositoryEvent): Found | undefined {
    const git = this.options.github.repository(repository).git;
    switch (event.event) {
      case 'push': {
        if (event.after === ZERO) return undefined;
        const changedFiles = event.before === ZERO ? git.git(['ls-tree', '-r', '--name-only', event.after]).trim().split('\n') : git.changedFiles(event.before, event.after);
        return { trigger: { name: 'push', ref: event.ref, changedFiles }, sha: event.after, ref: event.ref, payload: { ref: event.ref, before: event.before, after: event.after } };
      }
      case 'pull_request': {
        const pr = this.options.github.repository(repository).state.pulls.find((p) => p.number === event.number)!;
        const head = git.resolve(`refs/heads/${pr.head}`) ?? pr.headSha;
        const base = git.resolve(`refs/heads/${pr.base}`) ?? pr.baseSha;
        const pullRequest = { number: pr.number, head: { ref: pr.head, sha: head }, base: { ref: pr.base, sha: base }, title: pr.title };
        const payload = { action: event.action, number: pr.number, pull_request: pullRequest };
        return { trigger: { name: 'pull_request', action: event.action, baseRef: pr.base, changedFiles: git.changedFiles(base, head) }, sha: head, ref: `refs/pull/${pr.number}/merge`, payload };
      }
      case 'workflow_dispatch': {
        const ref = event.ref.startsWith('refs/') ? event.ref : `refs/heads/${event.ref}`;
        return { trigger: { name: 'workflow_dispatch', workflowFile: event.workflow }, sha: git.resolve(ref)!, ref, payload: { inputs: event.inputs, ref } };
      }
      case 'repository_dispatch':
        return { trigger: { name: 'repository_dispatch', type: event.type }, sha: git.resolve('refs/heads/main')!, ref: 'refs/heads/main', payload: { action: event.type, client_payload: event.payload } };
    }
  }

  /** The working copy at a commit, with this machine's installed folders linked in. */
  private checkout(repository: string, sha: string, name: string): string {
    const dir = join(this.options.workDir, name);
    const bare = this.options.github.repository(repository).git.dir;
    execFileSync('git', ['clone', '--quiet', '--shared', '--no-checkout', bare, dir]);
    execFileSync('git', ['-C', dir, 'checkout', '--quiet', '--detach', sha]);
    for (const [folder, target] of Object.entries(this.options.provisioned ?? {})) {
      if (existsSync(target) && !existsSync(join(dir, folder))) symlinkSync(target, join(dir, folder));
    }
    return dir;
  }

  private async dispatch(repository: string, event: RepositoryEvent, actor: string): Promise<void> {
    const found = this.trigger(repository, event);
    if (!found) return;
    const record: EventRecord = { event: event.event, ref: found.ref, actor, runs: [] };
    this.events.push(record);
    if (actor === GITHUB_TOKEN_ACTOR && event.event !== 'workflow_dispatch' && event.event !== 'repository_dispatch') {
      record.note = 'done with a GITHUB_TOKEN, so GitHub starts no workflow on it';
      return;
    }
    const git = this.options.github.repository(repository).git;
    const files = git.git(['ls-tree', '--name-only', `${found.sha}:.github/workflows`]).trim().split('\n')
      .filter((f) => /\.ya?ml$/.test(f) && (!this.options.only || this.options.only.includes(f)));
    mkdirSync(this.options.workDir, { recursive: true });
    const probe = this.checkout(repository, found.sha, `event-${this.nextEvent++}`);
    const started: Promise<void>[] = [];
    for (const file of files) {
      const workflow = await loadWorkflow(probe, `.github/workflows/${file}`);
      if (!startsWorkflow(workflow, found.trigger)) continue;
      const runId = this.nextRunId++;
      record.runs.push(runId);
      this.options.progress?.(`${event.event} ${found.ref} starts ${workflow.name} (run ${runId})`);
      // Workflows an event starts run side by side, each in a working copy of its own.
      const workspace = this.checkout(repository, found.sha, `run-${runId}`);
      started.push(this.run(repository, workflow.path, workspace, found, runId, actor).then((r) => void this.runs.push(r)));
    }
    await Promise.all(started);
  }

  private async run(repository: string, workflow: string, workspace: string, found: Found, runId: number, actor: string): Promise<RunRecord> {
    const { github, oidc, node } = this.options;
    const repo = github.repository(repository);
    const secrets = repo.state.secrets;
    const vars = Object.fromEntries(Object.entries(repo.state.variables).map(([k, v]) => [k, v.value]));
    return runWorkflow({
      workspace,
      workflow,
      event: found.trigger.name,
      payload: found.payload,
      repository,
      sha: found.sha,
      ref: found.ref,
      actor,
      runId,
      runNumber: runId,
      serverUrl: github.url,
      apiUrl: github.apiUrl,
      inputs: found.trigger.name === 'workflow_dispatch' ? (found.payload.inputs as Record<string, unknown>) : undefined,
      secrets,
      vars,
      baseEnv: this.options.baseEnv,
      tempDir: join(this.options.workDir, `runner-${runId}`),
      concurrency: this.options.concurrency,
      hooks: {
        node,
        actions: localActions(node),
        token: async (identity) => github.installationToken(repository, identity.permissions),
        idTokenRequest: async (identity) => oidc.request(repository, identity, found.trigger.name),
        approve: (identity, environment) => this.approve(repository, identity, environment),
        environment: async (name) => {
          const e = repo.state.environments[name];
          return { secrets: e?.secrets ?? {}, vars: Object.fromEntries(Object.entries(e?.variables ?? {}).map(([k, v]) => [k, v.value])) };
        },
        skip: (path, job) => this.options.skipJobs?.[`${basename(path)}:${job}`],
        progress: this.options.progress,
      },
    });
  }

  /** Waits in the stand-in's pending deployments; the reviewer answers through the REST API, as a person would. */
  private async approve(repository: string, identity: JobIdentity, environment: string) {
    const { github } = this.options;
    if (!github.repository(repository).state.environments[environment]) return { approved: true };
    const waiting = github.waitForReview(repository, identity.run.id, identity.job, environment);
    if (this.options.review) {
      const decision = await this.options.review(environment, identity.job, identity.run.id);
      const api = `${github.apiUrl}/repos/${repository}/actions/runs/${identity.run.id}/pending_deployments`;
      const headers = { 'authorization': `Bearer ${this.reviewerToken}`, 'content-type': 'application/json' };
      const pending = (await (await fetch(api, { headers })).json()) as { environment: { id: number; name: string } }[];
      const ids = pending.filter((p) => p.environment.name === environment).map((p) => p.environment.id);
      await fetch(api, { method: 'POST', headers, body: JSON.stringify({ environment_ids: ids, state: decision.state, comment: decision.comment }) });
    }
    return waiting;
  }
}
