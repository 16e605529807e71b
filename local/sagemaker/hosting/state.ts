// What SageMaker hosting keeps: models, endpoint configs and endpoints, with AWS's ARNs and
// not-found texts. Names are unique per account and region without regard to case.
import type { ContainerSpec } from './model-server.js';
import type { RequestContext } from '../../context.js';
import { TwinError } from '../../errors.js';
import { findPackage } from '../registry.js';

/** A stored request or template value, as SageMaker took it. */
export type Input = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Model {
  name: string;
  arn: string;
  request: Input;
  created: number;
}

export interface Variant {
  VariantName: string;
  ModelName: string;
  InitialInstanceCount?: number;
  InstanceType?: string;
  InitialVariantWeight?: number;
}

export interface EndpointConfig {
  name: string;
  arn: string;
  request: Input & { ProductionVariants: Variant[] };
  created: number;
}

export type EndpointStatus = 'Creating' | 'Updating' | 'RollingBack' | 'InService' | 'Deleting' | 'Failed';

/** One fleet's share of a variant's traffic: the old config's and, during an update, the new one's. */
export interface Route {
  configName: string;
  share: number;
}

export interface Endpoint {
  name: string;
  arn: string;
  configName: string;
  status: EndpointStatus;
  failureReason?: string;
  created: number;
  modified: number;
  deploymentConfig?: Input;
  routes: Route[];
  pending?: { configName: string; started: number; stage: string; stageStarted: number; newShare: number };
  tags?: Input[];
}

/** Hosting names are unique per account and region without regard to case. */
export const hostingKey = (name: string) => name.toLowerCase();
export const models = (ctx: RequestContext) => ctx.store.regional<Model>('sagemaker-models', ctx);
export const configs = (ctx: RequestContext) => ctx.store.regional<EndpointConfig>('sagemaker-endpoint-configs', ctx);
export const endpoints = (ctx: RequestContext) => ctx.store.regional<Endpoint>('sagemaker-endpoints', ctx);

export function hostingArn(ctx: RequestContext, kind: 'model' | 'endpoint-config' | 'endpoint', name: string): string {
  return `arn:aws:sagemaker:${ctx.region}:${ctx.account}:${kind}/${name.toLowerCase()}`;
}

export function requireModel(ctx: RequestContext, name: string): Model {
  const m = models(ctx).get(hostingKey(name));
  if (!m) throw new TwinError('ValidationException', `Could not find model "${hostingArn(ctx, 'model', name)}".`);
  return m;
}

export function requireConfig(ctx: RequestContext, name: string): EndpointConfig {
  const c = configs(ctx).get(hostingKey(name));
  if (!c) throw new TwinError('ValidationException', `Could not find endpoint configuration "${hostingArn(ctx, 'endpoint-config', name)}".`);
  return c;
}

export function requireEndpoint(ctx: RequestContext, name: string): Endpoint {
  const e = endpoints(ctx).get(hostingKey(name));
  if (!e) throw new TwinError('ValidationException', `Could not find endpoint "${hostingArn(ctx, 'endpoint', name)}".`);
  return e;
}

export function updateEndpoint(ctx: RequestContext, name: string, change: (e: Endpoint) => void): Endpoint | undefined {
  return endpoints(ctx).update(hostingKey(name), (e) => {
    change(e);
    e.modified = Date.now();
  });
}

/** The container a model runs: its own image and artifacts, or those of the model package it names. */
export function modelContainer(ctx: RequestContext, model: Model): ContainerSpec {
  const c = model.request.PrimaryContainer ?? model.request.Containers?.[0] ?? {};
  if (c.ModelPackageName) {
    const p = findPackage(ctx, String(c.ModelPackageName));
    const spec: Input = (p.request.InferenceSpecification as Input | undefined)?.Containers?.[0] ?? {};
    return { image: spec.Image, modelDataUrl: spec.ModelDataUrl, environment: { ...(spec.Environment ?? {}), ...(c.Environment ?? {}) } };
  }
  return { image: c.Image, modelDataUrl: c.ModelDataUrl, environment: c.Environment };
}
