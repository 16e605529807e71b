import { createHash } from 'node:crypto';
import {
  CreatePipelineCommand,
  DescribePipelineCommand,
  DescribePipelineExecutionCommand,
  ListPipelineExecutionStepsCommand,
  StartPipelineExecutionCommand,
  StopPipelineExecutionCommand,
  UpdatePipelineCommand,
  type PipelineExecutionStep,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import type { PipelineConfig } from './inputs.js';
import { awsErrorCode, DeadlineExceededError } from '../../../core/errors.js';
import type { Logger } from '../../lib/log.js';
import { formatDuration } from '../../lib/time.js';
import { pollUntil, type Deadline } from '../../lib/wait.js';

export interface ExecutionResult {
  created: boolean;
  executionArn: string;
  status: string;
  failureReason?: string;
  steps: PipelineExecutionStep[];
  stopped?: boolean;
}

/** Creates the pipeline or updates it to this definition; returns whether it was created. */
export async function upsertPipeline(sagemaker: SageMakerClient, config: PipelineConfig, logger: Logger): Promise<boolean> {
  const common = {
    PipelineName: config.name,
    PipelineDefinition: config.definitionText,
    RoleArn: config.roleArn,
    PipelineDescription: config.description,
  };
  try {
    await sagemaker.send(new DescribePipelineCommand({ PipelineName: config.name }));
  } catch (error) {
    if (awsErrorCode(error) !== 'ResourceNotFound') throw error;
    await sagemaker.send(new CreatePipelineCommand({ ...common, ClientRequestToken: token('create', config) }));
    logger.info(`Created pipeline ${config.name}`);
    return true;
  }
  await sagemaker.send(new UpdatePipelineCommand(common));
  logger.info(`Updated pipeline ${config.name}`);
  return false;
}

/**
 * The same run, definition and parameters give the same token, so a retried step starts no second
 * execution; another run (or a change) gives a new one.
 */
export function token(kind: string, config: PipelineConfig, env: NodeJS.ProcessEnv = process.env): string {
  const hash = createHash('sha256')
    .update(`${kind}|${config.name}|${config.definitionText}|${JSON.stringify(config.parameters)}|${env.GITHUB_RUN_ID ?? ''}|${env.GITHUB_RUN_ATTEMPT ?? ''}`)
    .digest('hex');
  return `gitops-${hash.slice(0, 40)}`;
}

async function listSteps(sagemaker: SageMakerClient, executionArn: string): Promise<PipelineExecutionStep[]> {
  const steps: PipelineExecutionStep[] = [];
  let next: string | undefined;
  do {
    const page = await sagemaker.send(new ListPipelineExecutionStepsCommand({ PipelineExecutionArn: executionArn, NextToken: next, SortOrder: 'Ascending' }));
    steps.push(...(page.PipelineExecutionSteps ?? []));
    next = page.NextToken;
  } while (next);
  return steps;
}

/** The job (or model package) a step ran, as its metadata names it. */
export function stepJob(step: PipelineExecutionStep): string | undefined {
  const m = step.Metadata;
  return m?.TrainingJob?.Arn ?? m?.ProcessingJob?.Arn ?? m?.RegisterModel?.Arn ?? m?.Model?.Arn ?? m?.TransformJob?.Arn ?? m?.TuningJob?.Arn;
}

function describeTransition(step: PipelineExecutionStep): string {
  const took = step.StartTime && step.EndTime ? ` after ${formatDuration(step.EndTime.getTime() - step.StartTime.getTime())}` : '';
  const job = stepJob(step);
  const cached = step.CacheHitResult?.SourcePipelineExecutionArn ? ' (cache hit)' : '';
  const outcome = step.Metadata?.Condition?.Outcome ? ` (outcome ${step.Metadata.Condition.Outcome})` : '';
  const why = step.FailureReason ? `: ${step.FailureReason}` : '';
  return `${step.StepName}: ${step.StepStatus}${took}${cached}${outcome}${job ? ` [${job}]` : ''}${why}`;
}

/** Starts an execution and, unless told not to, waits for it, logging each step's transitions. */
export async function runExecution(
  sagemaker: SageMakerClient,
  config: PipelineConfig,
  logger: Logger,
  deadline: Deadline,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ExecutionResult> {
  const created = await upsertPipeline(sagemaker, config, logger);
  const started = await sagemaker.send(
    new StartPipelineExecutionCommand({
      PipelineName: config.name,
      PipelineParameters: config.parameters,
      ClientRequestToken: token('start', config, env),
      PipelineExecutionDisplayName: env.GITHUB_RUN_ID ? `run-${env.GITHUB_RUN_ID}-${env.GITHUB_RUN_ATTEMPT ?? '1'}` : undefined,
      PipelineExecutionDescription: env.GITHUB_SHA ? `commit ${env.GITHUB_SHA}` : undefined,
    }),
  );
  const executionArn = started.PipelineExecutionArn!;
  logger.info(`Started ${executionArn}`);
  if (!config.wait) return { created, executionArn, status: 'Executing', steps: [] };

  const seen = new Map<string, string>();
  let steps: PipelineExecutionStep[] = [];
  try {
    const final = await pollUntil({
      what: `pipeline execution ${executionArn.split('/').pop()}`,
      deadline,
      logger,
      initialDelayMs: 5_000,
      maxDelayMs: 30_000,
      progressEveryMs: 60_000,
      check: async () => {
        const execution = await sagemaker.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn: executionArn }));
        steps = await listSteps(sagemaker, executionArn);
        for (const step of steps) {
          if (seen.get(step.StepName!) !== step.StepStatus) {
            seen.set(step.StepName!, step.StepStatus!);
            logger.info(describeTransition(step));
          }
        }
        const status = execution.PipelineExecutionStatus ?? 'Unknown';
        if (['Succeeded', 'Failed', 'Stopped'].includes(status)) return { done: true, value: execution };
        const running = steps.filter((s) => s.StepStatus === 'Executing' || s.StepStatus === 'Starting').map((s) => s.StepName);
        return { done: false, status: `${status}${running.length ? ` (${running.join(', ')})` : ''}` };
      },
    });
    return { created, executionArn, status: final.PipelineExecutionStatus!, failureReason: final.FailureReason, steps };
  } catch (error) {
    if (!(error instanceof DeadlineExceededError)) throw error;
    // Leave nothing running that this run started.
    await sagemaker.send(new StopPipelineExecutionCommand({ PipelineExecutionArn: executionArn, ClientRequestToken: token('stop', config, env) }));
    logger.warning(`Stopped ${executionArn} at the deadline`);
    return { created, executionArn, status: 'Stopping', failureReason: error.message, steps, stopped: true };
  }
}
