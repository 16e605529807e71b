// One job (one leg of a matrix) as GitHub runs it: its `if:` against its needs, its concurrency
// group, its environment's approval and scoped secrets, its token's permissions, its steps with
// their env and defaults, its timeout, its post steps, and its outputs.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Job } from '@actions/workflow-parser/model/workflow-template';
import { Masker, type Annotation } from './commands.js';
import { asText, evaluate, truthy, type Contexts, type Status } from './expressions.js';
import type { Combination } from './matrix.js';
import { runStep, type JobState } from './steps.js';
import type { JobIdentity, JobRecord, Result, RunOptions } from './types.js';
import type { Permissions } from '../permissions.js';
import { evaluateStrings, evaluateToken, field, rawJob, rawStep, type LoadedWorkflow } from './workflow.js';

export interface JobRequest {
  options: RunOptions;
  workflow: LoadedWorkflow;
  job: Job;
  key: string;
  name: string;
  matrix?: Combination;
  strategy?: Record<string, unknown>;
  /** needs.<id>: result and outputs of the jobs this one needs. */
  needs: Record<string, { result: Result; outputs: Record<string, string> }>;
  /** The run's contexts so far: github, inputs, vars, secrets, env (the workflow's). */
  contexts: Contexts;
  workflowEnv: Record<string, string>;
  permissions: Permissions;
  /** The signal of the whole run (cancelled) and of this job (a fail-fast sibling). */
  signal: AbortSignal;
}

const DEFAULT_TIMEOUT_MINUTES = 360;
const ALL_SCOPES = ['actions', 'attestations', 'checks', 'contents', 'deployments', 'id-token', 'issues', 'discussions', 'packages', 'pages', 'pull-requests', 'repository-projects', 'security-events', 'statuses'];

/** A `permissions:` value (read-all, write-all, {} or a mapping) as a scope each. */
export function permissionsOf(value: unknown, inherited: Permissions): Permissions {
  if (value === undefined) return inherited;
  if (value === 'read-all' || value === 'write-all') return Object.fromEntries(ALL_SCOPES.map((s) => [s, value === 'read-all' ? 'read' : 'write']));
  const set = (value ?? {}) as Record<string, 'read' | 'write' | 'none'>;
  return Object.fromEntries(ALL_SCOPES.map((s) => [s, set[s] ?? 'none']));
}

/** How the jobs a job needs went, as its `if:` status functions see it. */
export function jobStatus(needs: JobRequest['needs'], workspace: string): Status {
  const results = Object.values(needs).map((n) => n.result);
  return { failed: results.includes('failure'), cancelled: results.includes('cancelled'), blocked: results.includes('skipped'), workspace };
}

export async function runJob(request: JobRequest): Promise<JobRecord> {
  const { options, workflow, job, key } = request;
  const startedAt = new Date();
  const log: string[] = [];
  const annotations: Annotation[] = [];
  const record: JobRecord = { key, id: job.id.value, name: request.name, workflow: workflow.path, result: 'skipped', outputs: {}, steps: [], log, summary: '', annotations, matrix: request.matrix, startedAt, finishedAt: startedAt };
  const end = (result: Result, reason?: string): JobRecord => {
    record.result = result;
    record.reason = reason;
    record.finishedAt = new Date();
    options.hooks.progress?.(`${workflow.name} / ${record.name}: ${result}${reason ? ` (${reason})` : ''}`);
    return record;
  };
  const raw = rawJob(workflow, job.id.value);
  const needsContext = Object.fromEntries(Object.entries(request.needs).map(([k, v]) => [k, { result: v.result, outputs: v.outputs }]));
  const base: Contexts = { ...request.contexts, needs: needsContext, matrix: request.matrix ?? {}, strategy: request.strategy ?? {}, job: { status: 'success' } };
  const status = jobStatus(request.needs, options.workspace);

  // The converter has already made an `if:` without a status function success() && (...).
  const condition = job.if?.expression ?? 'success()';
  if (!truthy(evaluate(condition, base, status))) {
    return end('skipped', status.failed || status.blocked || status.cancelled ? 'a job it needs did not succeed' : `if: ${condition} was false`);
  }
  if (request.signal.aborted) return end('cancelled', 'the run was cancelled');
  const skip = options.hooks.skip?.(workflow.path, job.id.value);
  if (skip) return end('skipped', skip);

  const environmentValue = job.environment ? evaluateToken(job.environment, base, status) : undefined;
  const environment = typeof environmentValue === 'string' ? environmentValue : (environmentValue as { name?: string } | undefined)?.name;
  record.environment = environment || undefined;
  const identity: JobIdentity = {
    run: { id: options.runId, workflow: workflow.path },
    job: job.id.value,
    environment: record.environment,
    permissions: permissionsOf(evaluateToken(field(raw, 'permissions'), base, status), request.permissions),
    ref: options.ref,
    sha: options.sha,
  };

  // Concurrency: one running job per group; a newer waiting job replaces this one if it waits.
  const controller = new AbortController();
  const signal = AbortSignal.any([request.signal, controller.signal]);
  let release = () => {};
  const concurrency = job.concurrency ? evaluateToken(job.concurrency, base, status) : undefined;
  if (concurrency !== undefined) {
    const group = typeof concurrency === 'string' ? concurrency : asText((concurrency as Record<string, unknown>).group);
    const cancelInProgress = typeof concurrency === 'object' && truthy((concurrency as Record<string, unknown>)['cancel-in-progress']);
    options.hooks.progress?.(`${workflow.name} / ${record.name}: waiting for concurrency group ${group}`);
    const got = await options.concurrency.acquire(group, `${workflow.name} run ${options.runId}, job ${record.name}`, cancelInProgress, () => controller.abort());
    if (!got.acquired) return end('cancelled', got.reason);
    release = got.release;
  }
  try {
    let scoped = { secrets: {} as Record<string, string>, vars: {} as Record<string, string> };
    if (record.environment) {
      if (options.hooks.approve) {
        options.hooks.progress?.(`${workflow.name} / ${record.name}: waiting for approval of environment ${record.environment}`);
        const review = await options.hooks.approve(identity, record.environment);
        if (!review.approved) return end('failure', `the deployment to ${record.environment} was rejected${review.by ? ` by ${review.by}` : ''}${review.comment ? `: ${review.comment}` : ''}`);
        log.push(`Environment ${record.environment} approved${review.by ? ` by ${review.by}` : ''}`);
      }
      scoped = (await options.hooks.environment?.(record.environment)) ?? scoped;
    }
    const token = (await options.hooks.token?.(identity)) ?? '';
    // A called workflow sees only the secrets its caller passed (request.contexts.secrets).
    const secrets = { ...(request.contexts.secrets as Record<string, string>), ...scoped.secrets, GITHUB_TOKEN: token };
    const masker = new Masker();
    for (const v of Object.values(secrets)) masker.add(v);
    const vars = { ...options.vars, ...scoped.vars };
    const github: Record<string, unknown> = { ...(request.contexts.github as Record<string, unknown>), job: job.id.value, token };
    const contextsWith = (extra: Contexts): Contexts => ({ ...base, github, secrets, vars, ...extra });
    const jobEnv = { ...request.workflowEnv, ...evaluateStrings(job.env, contextsWith({ env: request.workflowEnv }), status) };

    const minutesToken = field(raw, 'timeout-minutes');
    const minutes = minutesToken ? Number(evaluateToken(minutesToken, contextsWith({ env: jobEnv }), status)) : DEFAULT_TIMEOUT_MINUTES;
    const tempDir = join(options.tempDir, `${options.runId}-${key.replace(/[^A-Za-z0-9_.-]/g, '_')}`);
    mkdirSync(tempDir, { recursive: true });
    const defaults = { ...(evaluateToken(field(field(workflow.root, 'defaults'), 'run'), contextsWith({}), status) as object), ...(evaluateToken(field(field(raw, 'defaults'), 'run'), contextsWith({}), status) as object) } as Record<string, string>;
    const idToken = identity.permissions['id-token'] === 'write' ? await options.hooks.idTokenRequest?.(identity) : undefined;

    const state: JobState = {
      workspace: options.workspace,
      tempDir,
      hooks: options.hooks,
      identity,
      env: jobEnv,
      baseEnv: options.baseEnv,
      defaultEnv: {
        CI: 'true',
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: options.workspace,
        GITHUB_REPOSITORY: options.repository,
        GITHUB_REPOSITORY_OWNER: options.repository.split('/')[0],
        GITHUB_SHA: options.sha,
        GITHUB_REF: options.ref,
        GITHUB_REF_NAME: String(github.ref_name),
        GITHUB_EVENT_NAME: options.event,
        GITHUB_EVENT_PATH: String(github.event_path ?? ''),
        GITHUB_RUN_ID: String(options.runId),
        GITHUB_RUN_NUMBER: String(options.runNumber),
        GITHUB_RUN_ATTEMPT: '1',
        GITHUB_JOB: job.id.value,
        GITHUB_ACTOR: options.actor,
        GITHUB_TRIGGERING_ACTOR: options.actor,
        GITHUB_WORKFLOW: workflow.name,
        GITHUB_WORKFLOW_REF: `${options.repository}/${workflow.path}@${options.ref}`,
        GITHUB_SERVER_URL: options.serverUrl,
        GITHUB_API_URL: options.apiUrl,
        GITHUB_GRAPHQL_URL: `${options.apiUrl}/graphql`,
        RUNNER_OS: 'Linux',
        RUNNER_ARCH: 'X64',
        RUNNER_TEMP: tempDir,
        RUNNER_TOOL_CACHE: join(options.tempDir, 'tool-cache'),
        ...(idToken ? { ACTIONS_ID_TOKEN_REQUEST_URL: idToken.url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: idToken.token } : {}),
      },
      path: [],
      contexts: () => contextsWith({ env: state.env, steps: state.steps, runner: { os: 'Linux', arch: 'X64', temp: tempDir, name: 'local' } }),
      steps: {},
      failed: false,
      cancelled: false,
      deadline: Date.now() + minutes * 60_000,
      defaults: { shell: defaults.shell, workingDirectory: defaults['working-directory'] },
      masker,
      log: (line) => log.push(line),
      annotate: (a) => annotations.push(a),
      summary: [],
      post: [],
      signal,
    };
    signal.addEventListener('abort', () => (state.cancelled = true), { once: true });
    const timer = setTimeout(() => controller.abort(), Math.max(0, state.deadline - Date.now()));
    let timedOut = false;
    timer.unref?.();
    const timeoutWatch = () => (timedOut = Date.now() >= state.deadline);
    options.hooks.progress?.(`${workflow.name} / ${record.name}: running`);
    try {
      for (let i = 0; i < job.steps.length; i++) {
        record.steps.push(await runStep(state, job.steps[i], rawStep(raw, i), i));
      }
      for (const post of state.post) await post();
    } finally {
      clearTimeout(timer);
      timeoutWatch();
    }
    record.summary = state.summary.join('\n');
    const finalStatus = { failed: state.failed, cancelled: state.cancelled, workspace: options.workspace };
    record.outputs = evaluateStrings(job.outputs, state.contexts(), finalStatus);
    for (const [k, v] of Object.entries(record.outputs)) if (masker.mask(v) !== v) record.outputs[k] = '';
    if (timedOut) return end('failure', `The job has exceeded the maximum execution time of ${minutes} minutes.`);
    if (state.cancelled) return end('cancelled', request.signal.aborted ? 'the run was cancelled' : 'cancelled by a newer run in its concurrency group');
    const coe = field(raw, 'continue-on-error');
    record.continueOnError = Boolean(coe && truthy(evaluateToken(coe, state.contexts(), status)));
    return end(state.failed ? 'failure' : 'success');
  } finally {
    release();
  }
}
