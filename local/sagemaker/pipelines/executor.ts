// The pipeline executor: runs an execution's steps when what they read from has succeeded,
// condition branches only as the condition chose, Processing and Training steps as the twin's
// jobs (the container code as host processes), RegisterModel and Model steps through the
// registry's and hosting's own functions, with RetryPolicies and the step cache.
import { createHash } from 'node:crypto';
import { evaluateCondition, follow, resolveValue, type Scope } from './resolve.js';
import { cache, executions, type Execution, type StepRecord } from './state.js';
import { collectSteps, stepDependencies, type DefinitionStep } from '../../../core/pipeline/graph.js';
import type { RequestContext } from '../../context.js';
import { TwinError } from '../../errors.js';
import { readObject } from '../../s3/objects.js';
import { createModel } from '../hosting/operations.js';
import { describeJob, startJob } from '../jobs.js';
import { createModelPackage } from '../registry.js';

type Input = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function expireAfterMs(iso: string | undefined): number {
  const m = String(iso ?? 'P30D').match(/^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/);
  return m ? ((Number(m[1] ?? 0) * 24 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 60_000 : 30 * 86_400_000;
}

type StepResult = Partial<StepRecord> & { errorType?: string };

/**
 * Runs a step, again after a failure its RetryPolicies cover (by ExceptionType), waiting
 * IntervalSeconds * BackoffRate^n of simulated time, until MaxAttempts or ExpireAfterMin.
 */
async function runWithRetries(ctx: RequestContext, exec: Execution, step: Input, scope: Scope, repoRoot: string): Promise<StepResult> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    const result = { ...(await runStep(ctx, exec, step, scope, repoRoot, attempt)), attempts: attempt };
    const policies = (step.RetryPolicies ?? []) as Input[];
    const policy = policies.find((p) => result.errorType && (p.ExceptionType as string[]).includes(result.errorType));
    if (result.status !== 'Failed' || !policy) return result;
    const waitMs = Number(policy.IntervalSeconds ?? 1) * 1000 * Number(policy.BackoffRate ?? 2) ** (attempt - 1);
    const expired = policy.ExpireAfterMin !== undefined && ctx.clock.elapsedSince(started) + waitMs > Number(policy.ExpireAfterMin) * 60_000;
    if (attempt >= Number(policy.MaxAttempts ?? Infinity) || expired) return result;
    await ctx.clock.sleep(waitMs);
  }
}

async function runStep(ctx: RequestContext, exec: Execution, step: Input, scope: Scope, repoRoot: string, attempt: number): Promise<StepResult> {
  if (step.Type === 'Condition') {
    const outcome = (step.Arguments.Conditions as Input[]).every((c) => evaluateCondition(c as never, scope));
    const value = outcome ? 'True' : 'False';
    return { status: 'Succeeded', metadata: { Condition: { Outcome: value } }, properties: { Outcome: value } };
  }
  if (step.Type === 'Fail') {
    const message = String(resolveValue(step.Arguments.ErrorMessage ?? '', scope));
    return { status: 'Failed', failureReason: message, metadata: { Fail: { ErrorMessage: message } } };
  }
  const args = resolveValue(step.Arguments, scope) as Input;
  if (step.Type === 'RegisterModel') {
    const ModelPackageArn = createModelPackage(ctx, args);
    return { status: 'Succeeded', metadata: { RegisterModel: { Arn: ModelPackageArn } }, properties: { ModelPackageArn } };
  }
  if (step.Type === 'Model') {
    const ModelName = `pipelines-${exec.arn.split('/').pop()}-${step.Name}`.replace(/[^a-zA-Z0-9-]/g, '-').slice(0, 63);
    const { ModelArn } = createModel(ctx, { ...args, ModelName });
    return { status: 'Succeeded', metadata: { Model: { Arn: ModelArn } }, properties: { ModelName, ModelArn } };
  }
  if (step.Type !== 'Processing' && step.Type !== 'Training') {
    return { status: 'Failed', failureReason: `The offline twin does not run ${step.Type} steps` };
  }
  const kind = step.Type === 'Processing' ? 'processing' : 'training';
  const key = createHash('sha256').update(`${exec.pipeline}|${step.Name}|${JSON.stringify(args)}`).digest('hex');
  if (step.CacheConfig?.Enabled) {
    const hit = cache(ctx).get(key);
    if (hit && ctx.clock.elapsedSince(hit.time) <= expireAfterMs(step.CacheConfig.ExpireAfter)) {
      return { status: 'Succeeded', cacheSource: hit.executionArn, metadata: hit.metadata, properties: hit.properties };
    }
  }
  const id = exec.arn.split('/').pop()!;
  const jobName = `pipelines-${id}-${step.Name}-${attempt}`.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 63);
  // Faults injected into the job's creation stand in for SageMaker's own throttling and internal errors.
  const fault = ctx.faults?.next('SageMaker', kind === 'processing' ? 'CreateProcessingJob' : 'CreateTrainingJob');
  if (fault?.kind === 'throttle') return { status: 'Failed', failureReason: 'ThrottlingException: Rate exceeded', errorType: 'Step.THROTTLING' };
  if (fault?.kind === 'error') {
    return { status: 'Failed', failureReason: 'InternalServerError: We encountered an internal error. Please try again.', errorType: 'SageMaker.JOB_INTERNAL_ERROR' };
  }
  const job = await startJob(ctx, kind, jobName, args, repoRoot);
  const properties = describeJob(ctx, kind, jobName);
  const metadata = { [kind === 'processing' ? 'ProcessingJob' : 'TrainingJob']: { Arn: job.arn } };
  if (job.status !== 'Completed') return { status: 'Failed', failureReason: job.failureReason, metadata, properties };
  if (step.CacheConfig?.Enabled) cache(ctx).set(key, { executionArn: exec.arn, properties, metadata, time: Date.now() });
  return { status: 'Succeeded', metadata, properties };
}

/** Runs an execution's steps to the end, as SageMaker does after StartPipelineExecution answers. */
export async function execute(ctx: RequestContext, arn: string, definition: { Steps: DefinitionStep[] }, repoRoot: string): Promise<void> {
  const entries = collectSteps(definition.Steps);
  const deps = stepDependencies(entries);
  const exec = () => executions(ctx).get(arn)!;
  const save = (change: (e: Execution) => void) => executions(ctx).update(arn, (e) => {
    change(e);
    e.modified = Date.now();
  });
  const properties: Record<string, Record<string, unknown>> = {};
  const scope: Scope = {
    parameters: exec().parameters,
    execution: {
      PipelineExecutionId: arn.split('/').pop()!,
      PipelineExecutionArn: arn,
      PipelineName: exec().pipeline,
      PipelineArn: exec().pipelineArn,
      StartDateTime: new Date(exec().created).toISOString(),
      CurrentDateTime: new Date().toISOString(),
    },
    steps: properties,
    propertyFile: (stepName, fileName) => {
      const step = entries.get(stepName)?.step as Input | undefined;
      const file = (step?.PropertyFiles as Input[] | undefined)?.find((f) => f.PropertyFileName === fileName);
      if (!step || !file) throw new TwinError('ValidationException', `Step ${stepName} declares no property file ${fileName}`);
      const uri = String(follow(properties[stepName], `ProcessingOutputConfig.Outputs['${file.OutputName}'].S3Output.S3Uri`, fileName));
      const m = uri.match(/^s3:\/\/([^/]+)\/?(.*)$/)!;
      return JSON.parse(readObject(ctx, m[1], `${m[2].replace(/\/$/, '')}/${file.FilePath}`).toString());
    },
  };
  const started = new Set<string>();
  const outcome = new Map<string, string>();
  let failed = false;
  for (;;) {
    const status = (name: string) => exec().steps.find((s) => s.name === name)?.status;
    const ready = [...entries.entries()].filter(([name, { branchOf, step }]) => {
      if (started.has(name) || failed || exec().status === 'Stopping') return false;
      if (![...deps.get(name)!].every((d) => status(d) === 'Succeeded')) return false;
      if (!branchOf) return true;
      const args = entries.get(branchOf)!.step.Arguments as { IfSteps: DefinitionStep[]; ElseSteps: DefinitionStep[] };
      const branch = outcome.get(branchOf) === 'True' ? args.IfSteps : args.ElseSteps;
      return branch.some((s) => s.Name === step.Name);
    });
    if (ready.length === 0) break;
    await Promise.all(
      ready.map(async ([name, { step }]) => {
        started.add(name);
        save((e) => e.steps.push({ name, status: 'Executing', start: Date.now() }));
        let result: Partial<StepRecord>;
        try {
          const { errorType: _type, ...ran } = await runWithRetries(ctx, exec(), step as Input, scope, repoRoot);
          result = ran;
        } catch (error) {
          result = { status: 'Failed', failureReason: error instanceof TwinError ? error.message : `InternalServerError: ${(error as Error).message}` };
        }
        if (result.properties) properties[name] = result.properties;
        const conditionOutcome = (result.properties as { Outcome?: string } | undefined)?.Outcome;
        if (step.Type === 'Condition' && conditionOutcome) outcome.set(name, conditionOutcome);
        if (result.status === 'Failed') failed = true;
        save((e) => Object.assign(e.steps.find((s) => s.name === name)!, result, { end: Date.now() }));
      }),
    );
  }
  save((e) => {
    if (e.status === 'Stopping') {e.status = 'Stopped';} else if (failed) {
      e.status = 'Failed';
      e.failureReason = 'Step failure: One or multiple steps failed.';
    } else {e.status = 'Succeeded';}
  });
}
