// How an endpoint comes into service and moves to a new config: provision the fleet, then (for
// an update) a blue/green traffic shift as DeploymentConfig says: ALL_AT_ONCE, CANARY or LINEAR,
// a bake after each shift while the rollback alarms are watched, TerminationWait, and an automatic
// rollback to the old fleet when an alarm goes into ALARM (the endpoint ends InService on its old
// config, with no failure reason, as SageMaker leaves it).
import { Fleets } from './fleets.js';
import { endpoints, hostingKey, modelContainer, requireConfig, requireModel, updateEndpoint, type EndpointConfig, Input } from './state.js';
import { evaluateAlarms } from '../../cloudwatch/alarms.js';
import type { RequestContext } from '../../context.js';

// Simulated durations: instances for a fleet, and how often a bake looks at the alarms.
export const PROVISION_MS = 90_000;
export const DELETE_MS = 30_000;
const BAKE_TICK_MS = 10_000;

function healthFailure(variant: string, error: unknown): string {
  return `The primary container for production variant ${variant} did not pass the ping health check. Please check CloudWatch logs for this endpoint. (twin: ${(error as Error).message})`;
}

/** Starts every variant's model server for a config; rejects with SageMaker's health-check text. */
async function startFleet(ctx: RequestContext, fleets: Fleets, endpoint: string, config: EndpointConfig): Promise<void> {
  for (const v of config.request.ProductionVariants) {
    try {
      await fleets.ensure(ctx, Fleets.key(ctx, endpoint, config.name, v.VariantName), modelContainer(ctx, requireModel(ctx, v.ModelName)));
    } catch (error) {
      throw new Error(healthFailure(v.VariantName, error));
    }
  }
}

/** True while the endpoint still exists and is not being deleted: a flow stops otherwise. */
function alive(ctx: RequestContext, name: string, created: number): boolean {
  const e = endpoints(ctx).get(hostingKey(name));
  return Boolean(e && e.created === created && e.status !== 'Deleting');
}

export async function createFlow(ctx: RequestContext, fleets: Fleets, name: string): Promise<void> {
  const { created, configName } = endpoints(ctx).get(hostingKey(name))!;
  await ctx.clock.sleep(PROVISION_MS);
  if (!alive(ctx, name, created)) return;
  try {
    await startFleet(ctx, fleets, name, requireConfig(ctx, configName));
  } catch (error) {
    if (alive(ctx, name, created)) updateEndpoint(ctx, name, (e) => Object.assign(e, { status: 'Failed', failureReason: (error as Error).message }));
    return;
  }
  if (alive(ctx, name, created)) updateEndpoint(ctx, name, (e) => Object.assign(e, { status: 'InService', routes: [{ configName, share: 1 }] }));
}

/** The new fleet's share of traffic after each shift. */
export function trafficSteps(routing: Input | undefined, instanceCount: number): number[] {
  const size = (s: Input | undefined) => (s?.Type === 'INSTANCE_COUNT' ? Number(s.Value) / Math.max(instanceCount, 1) : Number(s?.Value ?? 100) / 100);
  switch (routing?.Type) {
    case 'CANARY':
      return [Math.min(size(routing.CanarySize), 1), 1];
    case 'LINEAR': {
      const step = Math.max(size(routing.LinearStepSize), 0.01);
      const steps: number[] = [];
      for (let s = step; s < 1 - 1e-9; s += step) steps.push(Number(s.toFixed(4)));
      return [...steps, 1];
    }
    default:
      return [1];
  }
}

/** Waits out a bake, looking at the alarms; the names of those that went into ALARM, if any. */
async function bake(ctx: RequestContext, alarmNames: string[], simulatedMs: number): Promise<string[]> {
  const started = Date.now();
  for (;;) {
    const fired = evaluateAlarms(ctx, alarmNames).filter((a) => a.state === 'ALARM').map((a) => a.name);
    if (fired.length) return fired;
    const left = simulatedMs - ctx.clock.elapsedSince(started);
    if (left <= 0) return [];
    await ctx.clock.sleep(Math.min(left, BAKE_TICK_MS));
  }
}

export async function updateFlow(
  ctx: RequestContext,
  fleets: Fleets,
  name: string,
  newConfigName: string,
  deploymentConfig: Input | undefined,
): Promise<void> {
  const { created, configName: oldConfigName } = endpoints(ctx).get(hostingKey(name))!;
  const newConfig = requireConfig(ctx, newConfigName);
  const policy = deploymentConfig?.BlueGreenUpdatePolicy;
  const routing = policy?.TrafficRoutingConfiguration;
  const alarmNames: string[] = (deploymentConfig?.AutoRollbackConfiguration?.Alarms ?? []).map((a: Input) => a.AlarmName);
  const waitMs = Number(routing?.WaitIntervalInSeconds ?? 0) * 1000;
  const timeoutMs = Number(policy?.MaximumExecutionTimeoutInSeconds ?? 3600) * 1000;
  const started = Date.now();
  const stage = (s: string, newShare?: number) => updateEndpoint(ctx, name, (e) => {
    e.pending = { configName: newConfig.name, started, stage: s, stageStarted: Date.now(), newShare: newShare ?? e.pending?.newShare ?? 0 };
    if (newShare !== undefined) e.routes = [{ configName: oldConfigName, share: 1 - newShare }, { configName: newConfig.name, share: newShare }];
  });
  const newFleet = `${Fleets.key(ctx, name, newConfig.name, '')}`;
  const rollBack = async (failureReason?: string) => {
    updateEndpoint(ctx, name, (e) => Object.assign(e, { status: 'RollingBack', routes: [{ configName: oldConfigName, share: 1 }] }));
    fleets.stop(newFleet);
    await ctx.clock.sleep(BAKE_TICK_MS);
    if (alive(ctx, name, created)) updateEndpoint(ctx, name, (e) => Object.assign(e, { status: 'InService', pending: undefined, failureReason }));
  };

  stage('Creating');
  await ctx.clock.sleep(PROVISION_MS);
  if (!alive(ctx, name, created)) return;
  try {
    await startFleet(ctx, fleets, name, newConfig);
  } catch (error) {
    return rollBack((error as Error).message);
  }
  const instances = newConfig.request.ProductionVariants.reduce((n, v) => n + Number(v.InitialInstanceCount ?? 1), 0);
  for (const share of trafficSteps(routing, instances)) {
    if (!alive(ctx, name, created)) return;
    stage('ActivatingTraffic', share);
    stage('Baking');
    const fired = await bake(ctx, alarmNames, waitMs);
    if (!alive(ctx, name, created)) return;
    if (fired.length) return rollBack();
    if (ctx.clock.elapsedSince(started) > timeoutMs) return rollBack(`The deployment exceeded MaximumExecutionTimeoutInSeconds (${timeoutMs / 1000}).`);
  }
  stage('Deleting');
  await ctx.clock.sleep(Number(policy?.TerminationWaitInSeconds ?? 0) * 1000);
  if (!alive(ctx, name, created)) return;
  updateEndpoint(ctx, name, (e) => Object.assign(e, { status: 'InService', configName: newConfig.name, routes: [{ configName: newConfig.name, share: 1 }], pending: undefined, failureReason: undefined }));
  if (oldConfigName.toLowerCase() !== newConfig.name.toLowerCase()) fleets.stop(Fleets.key(ctx, name, oldConfigName, ''));
}
