// SageMaker Pipelines: definitions, and executions that really run them. Steps run when what they
// read from has succeeded; condition branches run only as the condition chose; Processing and
// Training steps run the container code as jobs; RegisterModel registers in the twin's registry.
import { createHash, randomBytes } from 'node:crypto';
import { collectSteps, stepDependencies, type DefinitionStep } from '../../core/pipeline/graph.js';
import type { RequestContext } from '../context.js';
import { TwinError } from '../errors.js';
import { readObject } from './s3.js';
import { createModel } from './sagemaker-hosting.js';
import { describeJob, startJob } from './sagemaker-jobs.js';
import { registryOperations } from './sagemaker-registry.js';
import { dateOf } from '../clock.js';
import { evaluateCondition, follow, resolveValue, type Scope } from '../pipeline/resolve.js';

type Input = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Pipeline {
  name: string;
  arn: string;
  definition: string;
  roleArn: string;
  description?: string;
  created: number;
  modified: number;
}
interface StepRecord {
  name: string;
  status: 'Executing' | 'Succeeded' | 'Failed' | 'Stopped';
  start: number;
  end?: number;
  failureReason?: string;
  metadata?: Record<string, unknown>;
  cacheSource?: string;
  properties?: Record<string, unknown>;
  attempts?: number;
}
interface Execution {
  arn: string;
  pipeline: string;
  pipelineArn: string;
  displayName?: string;
  description?: string;
  status: 'Executing' | 'Stopping' | 'Stopped' | 'Failed' | 'Succeeded';
  failureReason?: string;
  created: number;
  modified: number;
  clientToken?: string;
  parameters: Record<string, string | number | boolean>;
  steps: StepRecord[];
}
interface CacheEntry {
  executionArn: string;
  properties: Record<string, unknown>;
  metadata: Record<string, unknown>;
  time: number;
}

const pipelines = (ctx: RequestContext) => ctx.store.regional<Pipeline>('sagemaker-pipelines', ctx);
const executions = (ctx: RequestContext) => ctx.store.regional<Execution>('sagemaker-pipeline-executions', ctx);
const cache = (ctx: RequestContext) => ctx.store.regional<CacheEntry>('sagemaker-pipeline-cache', ctx);

function requirePipeline(ctx: RequestContext, name: string): Pipeline {
  const p = pipelines(ctx).get(name);
  if (!p) throw new TwinError('ResourceNotFound', `Pipeline '${`arn:aws:sagemaker:${ctx.region}:${ctx.account}:pipeline/${name.toLowerCase()}`}' does not exist.`);
  return p;
}

function requireExecution(ctx: RequestContext, arn: string): Execution {
  const e = executions(ctx).get(arn);
  if (!e) throw new TwinError('ResourceNotFound', `Pipeline execution '${arn}' does not exist.`);
  return e;
}

function parseDefinition(text: string): { Parameters?: Input[]; Steps: DefinitionStep[] } {
  let definition: Input;
  try {
    definition = JSON.parse(text);
  } catch {
    throw new TwinError('ValidationException', 'Pipeline definition is not valid JSON');
  }
  if (definition.Version !== '2020-12-01' || !Array.isArray(definition.Steps)) throw new TwinError('ValidationException', 'Pipeline definition must have Version 2020-12-01 and Steps');
  return definition as { Parameters?: Input[]; Steps: DefinitionStep[] };
}

function typedParameters(definition: { Parameters?: Input[] }, given: { Name: string; Value: string }[]): Record<string, string | number | boolean> {
  const declared = new Map((definition.Parameters ?? []).map((p) => [p.Name as string, p]));
  const values: Record<string, string | number | boolean> = {};
  for (const g of given) if (!declared.has(g.Name)) throw new TwinError('ValidationException', `Pipeline parameter ${g.Name} is not defined in the pipeline definition`);
  for (const [name, p] of declared) {
    const raw = given.find((g) => g.Name === name)?.Value ?? p.DefaultValue;
    if (raw === undefined) throw new TwinError('ValidationException', `Pipeline parameter ${name} has no default value and was not given`);
    const text = String(raw);
    if (p.Type === 'Integer' || p.Type === 'Float') {
      if (!Number.isFinite(Number(text)) || (p.Type === 'Integer' && !/^-?\d+$/.test(text))) throw new TwinError('ValidationException', `Pipeline parameter ${name} must be of type ${p.Type}, got '${text}'`);
      values[name] = Number(text);
    } else if (p.Type === 'Boolean') {
      values[name] = text === 'true';
    } else {
      if (p.EnumValues && !p.EnumValues.includes(text)) throw new TwinError('ValidationException', `Pipeline parameter ${name} must be one of ${p.EnumValues.join(', ')}`);
      values[name] = text;
    }
  }
  return values;
}

function stepSummary(s: StepRecord) {
  return {
    StepName: s.name,
    StartTime: dateOf(s.start),
    EndTime: dateOf(s.end),
    StepStatus: s.status,
    FailureReason: s.failureReason,
    Metadata: s.metadata,
    CacheHitResult: s.cacheSource ? { SourcePipelineExecutionArn: s.cacheSource } : undefined,
    AttemptCount: s.attempts ?? 1,
  };
}

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
    const { ModelPackageArn } = registryOperations.CreateModelPackage(args, ctx) as { ModelPackageArn: string };
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

async function execute(ctx: RequestContext, arn: string, definition: { Steps: DefinitionStep[] }, repoRoot: string): Promise<void> {
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

export function pipelineOperations(repoRoot: string): Record<string, (input: Input, ctx: RequestContext) => unknown> {
  return {
    CreatePipeline: (input, ctx) => {
      const name = String(input.PipelineName ?? '');
      parseDefinition(String(input.PipelineDefinition ?? ''));
      const key = name;
      if (pipelines(ctx).has(key)) throw new TwinError('ResourceInUse', `Pipeline names must be unique within an AWS account and region. Pipeline with name (${name}) already exists.`);
      const arn = `arn:aws:sagemaker:${ctx.region}:${ctx.account}:pipeline/${name.toLowerCase()}`;
      const now = Date.now();
      const { PipelineDefinition: definition, RoleArn: roleArn, PipelineDescription: description } = input;
      pipelines(ctx).set(key, { name, arn, definition, roleArn, description, created: now, modified: now });
      return { PipelineArn: arn };
    },
    UpdatePipeline: (input, ctx) => {
      const p = requirePipeline(ctx, String(input.PipelineName ?? ''));
      if (input.PipelineDefinition) parseDefinition(input.PipelineDefinition);
      pipelines(ctx).update(p.name, (x) => {
        if (input.PipelineDefinition) x.definition = input.PipelineDefinition;
        if (input.RoleArn) x.roleArn = input.RoleArn;
        if (input.PipelineDescription !== undefined) x.description = input.PipelineDescription;
        x.modified = Date.now();
      });
      return { PipelineArn: p.arn };
    },
    DescribePipeline: (input, ctx) => {
      const p = requirePipeline(ctx, String(input.PipelineName ?? ''));
      return {
        PipelineArn: p.arn,
        PipelineName: p.name,
        PipelineDisplayName: p.name,
        PipelineDefinition: p.definition,
        PipelineDescription: p.description,
        RoleArn: p.roleArn,
        PipelineStatus: 'Active',
        CreationTime: dateOf(p.created),
        LastModifiedTime: dateOf(p.modified),
      };
    },
    DeletePipeline: (input, ctx) => {
      const p = requirePipeline(ctx, String(input.PipelineName ?? ''));
      pipelines(ctx).delete(p.name);
      return { PipelineArn: p.arn };
    },
    StartPipelineExecution: (input, ctx) => {
      const p = requirePipeline(ctx, String(input.PipelineName ?? ''));
      if (input.ClientRequestToken) {
        const same = executions(ctx).values().find((e) => e.pipelineArn === p.arn && e.clientToken === input.ClientRequestToken);
        if (same) return { PipelineExecutionArn: same.arn };
      }
      const definition = parseDefinition(p.definition);
      const parameters = typedParameters(definition, input.PipelineParameters ?? []);
      const arn = `${p.arn}/execution/${randomBytes(6).toString('hex')}`;
      executions(ctx).set(arn, {
        arn,
        pipeline: p.name,
        pipelineArn: p.arn,
        displayName: input.PipelineExecutionDisplayName,
        description: input.PipelineExecutionDescription,
        status: 'Executing',
        created: Date.now(),
        modified: Date.now(),
        clientToken: input.ClientRequestToken,
        parameters,
        steps: [],
      });
      void execute(ctx, arn, definition, repoRoot);
      return { PipelineExecutionArn: arn };
    },
    DescribePipelineExecution: (input, ctx) => {
      const e = requireExecution(ctx, String(input.PipelineExecutionArn ?? ''));
      return {
        PipelineArn: e.pipelineArn,
        PipelineExecutionArn: e.arn,
        PipelineExecutionDisplayName: e.displayName ?? e.arn.split('/').pop(),
        PipelineExecutionStatus: e.status,
        PipelineExecutionDescription: e.description,
        FailureReason: e.failureReason,
        CreationTime: dateOf(e.created),
        LastModifiedTime: dateOf(e.modified),
      };
    },
    ListPipelineExecutionSteps: (input, ctx) => {
      const e = requireExecution(ctx, String(input.PipelineExecutionArn ?? ''));
      const steps = [...e.steps].sort((a, b) => a.start - b.start);
      // SageMaker lists the most recent step first unless asked otherwise.
      if (input.SortOrder !== 'Ascending') steps.reverse();
      return { PipelineExecutionSteps: steps.map(stepSummary) };
    },
    ListPipelineExecutions: (input, ctx) => {
      const p = requirePipeline(ctx, String(input.PipelineName ?? ''));
      const list = executions(ctx).values().filter((e) => e.pipelineArn === p.arn).sort((a, b) => b.created - a.created);
      const summaries = list.map((e) => ({
        PipelineExecutionArn: e.arn,
        StartTime: dateOf(e.created),
        PipelineExecutionStatus: e.status,
        PipelineExecutionDisplayName: e.displayName,
      }));
      return { PipelineExecutionSummaries: summaries };
    },
    StopPipelineExecution: (input, ctx) => {
      const e = requireExecution(ctx, String(input.PipelineExecutionArn ?? ''));
      if (e.status === 'Executing') executions(ctx).update(e.arn, (x) => (x.status = 'Stopping'));
      return { PipelineExecutionArn: e.arn };
    },
  };
}
