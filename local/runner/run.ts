// A workflow run: its concurrency group, then its jobs in `needs` order (ready jobs side by side),
// each matrix leg a job of its own (fail-fast, max-parallel), and a `uses:` job running the called
// workflow with its inputs, secrets and outputs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReusableWorkflowJob, WorkflowJob } from '@actions/workflow-parser/model/workflow-template';
import { asText, evaluate, truthy, type Contexts, type Status } from './expressions.js';
import { jobStatus, permissionsOf, runJob } from './job.js';
import { expandMatrix, matrixName } from './matrix.js';
import type { JobRecord, Result, RunOptions, RunRecord } from './types.js';
import type { Permissions } from '../permissions.js';
import { evaluateStrings, evaluateToken, field, loadWorkflow, rawJob, WorkflowError, type LoadedWorkflow } from './workflow.js';

interface Scope {
  options: RunOptions;
  workflow: LoadedWorkflow;
  contexts: Contexts;
  workflowEnv: Record<string, string>;
  permissions: Permissions;
  signal: AbortSignal;
  /** Prefix of job keys: the calling job's, for a called workflow's jobs. */
  prefix: string;
}

const noStatus = (workspace: string): Status => ({ failed: false, cancelled: false, workspace });

/** Inputs as the workflow declares them: defaults filled in, booleans and numbers typed, required ones present. */
function resolveInputs(workflow: LoadedWorkflow, event: string, given: Record<string, unknown>): Record<string, unknown> {
  const declared = (event === 'workflow_call' ? workflow.template.events.workflow_call?.inputs : workflow.template.events.workflow_dispatch?.inputs) ?? {};
  const inputs: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(declared)) {
    let value = given[name] ?? (def.default !== undefined && typeof def.default === 'object' ? undefined : def.default);
    if (value === undefined && def.required) throw new WorkflowError(`${workflow.path}: input '${name}' is required`);
    if (def.type === 'boolean' && typeof value === 'string') value = value === 'true';
    if (def.type === 'choice' && value !== undefined && !def.options?.includes(String(value))) {
      throw new WorkflowError(`${workflow.path}: input '${name}' must be one of ${def.options?.join(', ')}, got '${String(value)}'`);
    }
    inputs[name] = value ?? (def.type === 'boolean' ? false : '');
  }
  for (const name of Object.keys(given)) {
    if (!(name in declared)) throw new WorkflowError(`${workflow.path}: unexpected input '${name}' (it declares ${Object.keys(declared).join(', ') || 'none'})`);
  }
  return inputs;
}

interface JobResults {
  records: JobRecord[];
  result: Result;
  outputs: Record<string, string>;
}

async function runReusable(scope: Scope, job: ReusableWorkflowJob, key: string, contexts: Contexts, status: Status): Promise<JobResults> {
  const ref = job.ref.value;
  if (!ref.startsWith('./')) throw new WorkflowError(`${scope.workflow.path}: job '${job.id.value}' calls ${ref}; the local runner runs workflows of this repository (./.github/workflows/...)`);
  const called = await loadWorkflow(scope.options.workspace, ref.slice(2));
  const withValues = (evaluateToken(job['input-values'], contexts, status) ?? {}) as Record<string, unknown>;
  const inputs = resolveInputs(called, 'workflow_call', withValues);
  const secrets = job['inherit-secrets'] ? (contexts.secrets as Record<string, string>) : evaluateStrings(job['secret-values'], contexts, status);
  const raw = rawJob(scope.workflow, job.id.value);
  const permissions = permissionsOf(evaluateToken(field(raw, 'permissions'), contexts, status), scope.permissions);
  const calledPermissions = permissionsOf(evaluateToken(field(called.root, 'permissions'), { inputs }, noStatus(scope.options.workspace)), permissions);
  const github = { ...(contexts.github as Record<string, unknown>), workflow: called.name };
  const inner: Scope = {
    ...scope,
    workflow: called,
    contexts: { github, inputs, vars: contexts.vars, secrets },
    workflowEnv: evaluateStrings(called.template.env, { github, inputs, vars: contexts.vars, secrets }, status),
    // A called workflow's jobs get no more than the calling job has.
    permissions: Object.fromEntries(Object.entries(calledPermissions).map(([s, p]) => [s, permissions[s] === 'none' ? 'none' : permissions[s] === 'read' && p === 'write' ? 'read' : p])) as Permissions,
    prefix: `${key} / `,
  };
  const run = await runJobs(inner);
  const outputsToken = field(field(field(called.root, 'on'), 'workflow_call'), 'outputs');
  const jobsContext = Object.fromEntries(run.records.map((r) => [r.id, { result: r.result, outputs: r.outputs }]));
  const outputs: Record<string, string> = {};
  const declared = (evaluateToken(outputsToken, { ...inner.contexts, jobs: jobsContext }, status) ?? {}) as Record<string, { value?: unknown }>;
  for (const [name, def] of Object.entries(declared)) {
    outputs[name] = asText(def?.value);
  }
  return { records: run.records, result: run.result, outputs };
}

async function runJobs(scope: Scope): Promise<{ records: JobRecord[]; result: Result }> {
  const jobs = scope.workflow.template.jobs;
  const results = new Map<string, { result: Result; outputs: Record<string, string> }>();
  const records: JobRecord[] = [];
  const pending = new Map<string, WorkflowJob>(jobs.map((j) => [j.id.value, j]));
  const running = new Map<string, Promise<void>>();

  const start = (job: WorkflowJob) => {
    const id = job.id.value;
    const needs = Object.fromEntries((job.needs ?? []).map((n) => [n.value, results.get(n.value)!]));
    const p = runOneJob(scope, job, needs).then(({ records: r, result, outputs }) => {
      records.push(...r);
      results.set(id, { result, outputs });
      running.delete(id);
    });
    running.set(id, p);
  };
  while (pending.size > 0 || running.size > 0) {
    for (const [id, job] of pending) {
      if ((job.needs ?? []).every((n) => results.has(n.value))) {
        pending.delete(id);
        start(job);
      }
    }
    if (running.size === 0 && pending.size > 0) throw new WorkflowError(`${scope.workflow.path}: jobs ${[...pending.keys()].join(', ')} need jobs that never run`);
    await Promise.race(running.values());
  }
  const counted = records.filter((r) => !r.continueOnError);
  const result: Result = counted.some((r) => r.result === 'failure') ? 'failure' : counted.some((r) => r.result === 'cancelled') ? 'cancelled' : 'success';
  return { records: records.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime()), result };
}

/** One job of the workflow: its matrix legs, or the workflow it calls. Returns its result for `needs`. */
async function runOneJob(scope: Scope, job: WorkflowJob, needs: Record<string, { result: Result; outputs: Record<string, string> }>) {
  const id = job.id.value;
  const key = `${scope.prefix}${id}`;
  const needsContext = Object.fromEntries(Object.entries(needs).map(([k, v]) => [k, { result: v.result, outputs: v.outputs }]));
  const contexts = { ...scope.contexts, needs: needsContext };
  const status = noStatus(scope.options.workspace);
  // The converter names a job without `name:` by its id; a matrix leg is then named by its values.
  const named = field(rawJob(scope.workflow, id), 'name') !== undefined;
  const nameOf = (matrix: Record<string, unknown>) => (named && job.name ? asText(evaluateToken(job.name, { ...contexts, matrix }, status)) : id);

  if (job.type === 'reusableWorkflowJob') {
    const condition = job.if?.expression ?? 'success()';
    if (!truthy(evaluate(condition, contexts, jobStatus(needs, scope.options.workspace)))) {
      const now = new Date();
      const skipped: JobRecord = { key, id, name: nameOf({}), workflow: scope.workflow.path, result: 'skipped', outputs: {}, steps: [], log: [], summary: '', annotations: [], reason: 'a job it needs did not succeed', startedAt: now, finishedAt: now };
      return { records: [skipped], result: 'skipped' as Result, outputs: {} };
    }
    return runReusable(scope, job, key, contexts, status);
  }

  const strategy = (evaluateToken(job.strategy, contexts, status) ?? {}) as Record<string, unknown>;
  const legs = expandMatrix(strategy.matrix, id);
  const failFast = strategy['fail-fast'] === undefined ? true : truthy(strategy['fail-fast']);
  const maxParallel = strategy['max-parallel'] === undefined ? legs.length : Number(strategy['max-parallel']);
  const siblings = new AbortController();
  const records: JobRecord[] = [];
  let next = 0;
  const worker = async () => {
    while (next < legs.length) {
      const index = next++;
      const matrix = legs[index];
      const isMatrix = strategy.matrix !== undefined;
      const record = await runJob({
        options: scope.options,
        workflow: scope.workflow,
        job,
        key: isMatrix ? `${key} (${index})` : key,
        name: isMatrix && !named ? matrixName(id, matrix) : nameOf(matrix),
        matrix: isMatrix ? matrix : undefined,
        strategy: { 'fail-fast': failFast, 'job-index': index, 'job-total': legs.length, 'max-parallel': maxParallel },
        needs,
        contexts,
        workflowEnv: scope.workflowEnv,
        permissions: scope.permissions,
        signal: AbortSignal.any([scope.signal, siblings.signal]),
      });
      records.push(record);
      if (record.result === 'failure' && !record.continueOnError && failFast && isMatrix) siblings.abort();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(maxParallel, legs.length)) }, worker));
  // A matrix job's result for `needs`: failure if any leg failed, its outputs those of the last leg to set them.
  const counted = records.filter((r) => !r.continueOnError);
  const result: Result = counted.some((r) => r.result === 'failure') ? 'failure'
    : records.some((r) => r.result === 'cancelled') ? 'cancelled'
      : records.every((r) => r.result === 'skipped') ? 'skipped' : 'success';
  const byFinish = [...records].sort((a, b) => a.finishedAt.getTime() - b.finishedAt.getTime());
  const outputs = Object.assign({}, ...byFinish.map((r) => r.outputs)) as Record<string, string>;
  return { records, result, outputs };
}

/** Runs one workflow file for one event, to its end. */
export async function runWorkflow(options: RunOptions): Promise<RunRecord> {
  const startedAt = new Date();
  const workflow = await loadWorkflow(options.workspace, options.workflow);
  const inputs = options.event === 'workflow_dispatch' || options.event === 'workflow_call' ? resolveInputs(workflow, options.event, options.inputs ?? {}) : {};
  mkdirSync(options.tempDir, { recursive: true });
  const eventPath = join(options.tempDir, `event-${options.runId}.json`);
  writeFileSync(eventPath, JSON.stringify(options.payload, null, 2));
  const github = {
    event_name: options.event,
    event: options.payload,
    event_path: eventPath,
    repository: options.repository,
    repository_owner: options.repository.split('/')[0],
    sha: options.sha,
    ref: options.ref,
    ref_name: options.ref.replace(/^refs\/(heads|tags)\//, ''),
    head_ref: (options.payload.pull_request as { head?: { ref?: string } } | undefined)?.head?.ref ?? '',
    base_ref: (options.payload.pull_request as { base?: { ref?: string } } | undefined)?.base?.ref ?? '',
    actor: options.actor,
    triggering_actor: options.actor,
    workflow: workflow.name,
    workflow_ref: `${options.repository}/${workflow.path}@${options.ref}`,
    run_id: String(options.runId),
    run_number: String(options.runNumber),
    run_attempt: '1',
    server_url: options.serverUrl,
    api_url: options.apiUrl,
    graphql_url: `${options.apiUrl}/graphql`,
    workspace: options.workspace,
  };
  const status = noStatus(options.workspace);
  const contexts: Contexts = { github, inputs, vars: options.vars, secrets: options.secrets };
  const workflowEnv = evaluateStrings(workflow.template.env, contexts, status);
  const permissions = permissionsOf(evaluateToken(field(workflow.root, 'permissions'), contexts, status), permissionsOf('write-all', {}));
  const record = (result: Result, jobs: JobRecord[], outputs: Record<string, string> = {}): RunRecord => ({
    id: options.runId, workflow: workflow.path, name: workflow.name, event: options.event, result, jobs, outputs, startedAt, finishedAt: new Date(),
  });

  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  let release = () => {};
  const concurrency = workflow.template.concurrency ? evaluateToken(workflow.template.concurrency, contexts, status) : undefined;
  if (concurrency !== undefined && concurrency !== null) {
    const group = typeof concurrency === 'string' ? concurrency : asText((concurrency as Record<string, unknown>).group);
    const cancelInProgress = typeof concurrency === 'object' && truthy((concurrency as Record<string, unknown>)['cancel-in-progress']);
    const got = await options.concurrency.acquire(group, `${workflow.name} run ${options.runId}`, cancelInProgress, () => controller.abort());
    if (!got.acquired) return record('cancelled', []);
    release = got.release;
  }
  try {
    const run = await runJobs({ options, workflow, contexts, workflowEnv, permissions, signal, prefix: '' });
    return record(signal.aborted ? 'cancelled' : run.result, run.records);
  } finally {
    release();
  }
}
