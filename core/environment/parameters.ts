import type { LoadedEnvironment } from './load.js';
import { totalWaitSeconds } from './schema.js';

/** The ARN of a version of the environment's model package group, in the environment's account. */
export function modelPackageArn(environment: LoadedEnvironment, version: number): string {
  const { account, region, model } = environment.config;
  return `arn:aws:sagemaker:${region}:${account}:model-package/${model.packageGroup}/${version}`;
}

/** The ARN of the pinned model package version, or undefined while none is promoted. */
export function pinnedModelPackageArn(environment: LoadedEnvironment): string | undefined {
  const { version } = environment.config.model;
  return version === null ? undefined : modelPackageArn(environment, version);
}

const TRAFFIC_TYPE = { 'all-at-once': 'ALL_AT_ONCE', 'canary': 'CANARY', 'linear': 'LINEAR' } as const;

/**
 * Template parameters an environment file provides, by CloudFormation parameter name. A deploy
 * passes only those its template declares. Values are strings, as CloudFormation takes them.
 */
export function environmentParameters(environment: LoadedEnvironment): Record<string, string> {
  const c = environment.config;
  const d = c.deployment;
  const params: Record<string, string> = {
    EnvironmentName: environment.name,
    ModelPackageGroupName: c.model.packageGroup,
    InstanceType: c.endpoint.instanceType,
    InstanceCount: String(c.endpoint.instanceCount),
    DataCaptureEnabled: String(c.dataCapture.enabled),
    DataCapturePercent: String(c.dataCapture.samplingPercent),
    TrafficRoutingType: TRAFFIC_TYPE[d.strategy],
    BakeSeconds: String(d.bakeSeconds),
    TerminationWaitSeconds: String(d.terminationWaitSeconds),
    // Half an hour beyond the planned waits for fleet creation, within SageMaker's 600..28800.
    MaxExecutionSeconds: String(d.maxExecutionSeconds ?? Math.min(28800, Math.max(600, totalWaitSeconds(d) + 1800))),
    Max5xxRatePercent: String(c.alarms.max5xxRatePercent),
    // CloudWatch reports ModelLatency in microseconds.
    MaxP99LatencyMicros: String(Math.round(c.alarms.maxP99LatencyMs * 1000)),
    AlarmEvaluationPeriods: String(c.alarms.evaluationPeriods),
    MinInstances: String(c.autoscaling.minInstances),
    MaxInstances: String(c.autoscaling.maxInstances),
    TargetInvocationsPerInstance: String(c.autoscaling.targetInvocationsPerInstance),
  };
  if (d.strategy === 'canary') params.TrafficStepPercent = String(d.canaryPercent);
  if (d.strategy === 'linear') params.TrafficStepPercent = String(d.stepPercent);
  const arn = pinnedModelPackageArn(environment);
  if (arn) params.ModelPackageArn = arn;
  return params;
}

/** Why an environment could not fill a parameter, for the error that lists missing ones. */
export function missingParameterHint(name: string, environment: LoadedEnvironment | undefined): string | undefined {
  if (name === 'ModelPackageArn' && environment && environment.config.model.version === null) {
    return `${environment.file} has model.version: null (no model version promoted to ${environment.name} yet)`;
  }
  return undefined;
}
