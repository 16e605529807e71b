// SageMaker Pipelines' operations: definitions, and executions that the executor (executor.ts)
// really runs.
import { randomBytes } from 'node:crypto';
import type {
  ListPipelineParametersForExecutionRequest,
  ListPipelinesRequest,
  CreatePipelineRequest,
  DeletePipelineRequest,
  DescribePipelineExecutionRequest,
  DescribePipelineRequest,
  ListPipelineExecutionStepsRequest,
  ListPipelineExecutionsRequest,
  StartPipelineExecutionRequest,
  StopPipelineExecutionRequest,
  UpdatePipelineRequest,
} from '@aws-sdk/client-sagemaker';
import { execute } from './executor.js';
import { executions, pipelines, type Pipeline, type StepRecord, type Execution } from './state.js';
import type { DefinitionStep } from '../../../core/pipeline/graph.js';
import { dateOf } from '../../clock.js';
import type { Operations, RequestContext } from '../../context.js';
import { TwinError } from '../../errors.js';
import { listing } from '../listing.js';

type Input = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

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

interface PipelineInputs {
  CreatePipeline: CreatePipelineRequest;
  UpdatePipeline: UpdatePipelineRequest;
  DescribePipeline: DescribePipelineRequest;
  DeletePipeline: DeletePipelineRequest;
  StartPipelineExecution: StartPipelineExecutionRequest;
  DescribePipelineExecution: DescribePipelineExecutionRequest;
  ListPipelineExecutionSteps: ListPipelineExecutionStepsRequest;
  ListPipelineExecutions: ListPipelineExecutionsRequest;
  StopPipelineExecution: StopPipelineExecutionRequest;
  ListPipelines: ListPipelinesRequest;
  ListPipelineParametersForExecution: ListPipelineParametersForExecutionRequest;
}

export function pipelineOperations(repoRoot: string): Operations<PipelineInputs> {
  return {
    CreatePipeline: (input, ctx) => {
      const name = String(input.PipelineName ?? '');
      parseDefinition(String(input.PipelineDefinition ?? ''));
      const key = name;
      // ValidationException, not ResourceInUse: the SageMaker Python SDK's upsert updates only on this code and text.
      if (pipelines(ctx).has(key)) throw new TwinError('ValidationException', `Pipeline names must be unique within an AWS account and region. Pipeline with name (${name}) already exists.`);
      const arn = `arn:aws:sagemaker:${ctx.region}:${ctx.account}:pipeline/${name.toLowerCase()}`;
      const now = Date.now();
      const { PipelineDescription: description } = input;
      const definition = String(input.PipelineDefinition);
      pipelines(ctx).set(key, { name, arn, definition, roleArn: String(input.RoleArn), description, created: now, modified: now });
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
      const parameters = typedParameters(definition, (input.PipelineParameters ?? []) as { Name: string; Value: string }[]);
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
    ListPipelineParametersForExecution: (input, ctx) => {
      const e = requireExecution(ctx, String(input.PipelineExecutionArn ?? ''));
      return { PipelineParameters: Object.entries(e.parameters).map(([Name, value]) => ({ Name, Value: String(value) })) };
    },
    ListPipelines: (input, ctx) => {
      const prefix = input.PipelineNamePrefix;
      const all = pipelines(ctx).values().filter((p) => !prefix || p.name.startsWith(prefix));
      const { items, next } = listing(all, input, { name: (p) => p.name, created: (p) => p.created });
      const summaries = items.map((p) => ({
        PipelineArn: p.arn,
        PipelineName: p.name,
        PipelineDisplayName: p.name,
        PipelineDescription: p.description,
        RoleArn: p.roleArn,
        CreationTime: dateOf(p.created),
        LastModifiedTime: dateOf(p.modified),
      }));
      return { PipelineSummaries: summaries, NextToken: next };
    },
    StopPipelineExecution: (input, ctx) => {
      const e = requireExecution(ctx, String(input.PipelineExecutionArn ?? ''));
      if (e.status === 'Executing') executions(ctx).update(e.arn, (x) => (x.status = 'Stopping'));
      return { PipelineExecutionArn: e.arn };
    },
  };
}
