// What SageMaker Pipelines keeps: pipelines, their executions with each step's record, and the
// step cache, per account and region.
import type { RequestContext } from '../../context.js';

export interface Pipeline {
  name: string;
  arn: string;
  definition: string;
  roleArn: string;
  description?: string;
  created: number;
  modified: number;
}
export interface StepRecord {
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
export interface Execution {
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
export interface CacheEntry {
  executionArn: string;
  properties: Record<string, unknown>;
  metadata: Record<string, unknown>;
  time: number;
}

export const pipelines = (ctx: RequestContext) => ctx.store.regional<Pipeline>('sagemaker-pipelines', ctx);
export const executions = (ctx: RequestContext) => ctx.store.regional<Execution>('sagemaker-pipeline-executions', ctx);
export const cache = (ctx: RequestContext) => ctx.store.regional<CacheEntry>('sagemaker-pipeline-cache', ctx);
