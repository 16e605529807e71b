// SageMaker hosting: Models, EndpointConfigs and Endpoints with real statuses. An InService
// endpoint runs its inference container as a host process; updates follow DeploymentConfig
// (see hosting/deployment.ts).
import type {
  ListEndpointConfigsInput,
  ListModelsInput,
  CreateEndpointConfigInput,
  CreateEndpointInput,
  CreateModelInput,
  DeleteEndpointConfigInput,
  DeleteEndpointInput,
  DeleteModelInput,
  DescribeEndpointConfigInput,
  DescribeEndpointInput,
  DescribeModelInput,
  ListEndpointsInput,
  UpdateEndpointInput,
} from '@aws-sdk/client-sagemaker';
import { createFlow, DELETE_MS, trafficSteps, updateFlow } from './deployment.js';
import { Fleets } from './fleets.js';
import {
  configs, endpoints, hostingArn, hostingKey, modelContainer, models, requireConfig, requireEndpoint, requireModel, updateEndpoint,
  type Endpoint, type Variant,
  Input,
} from './state.js';
import { dateOf } from '../../clock.js';
import type { Operations, RequestContext } from '../../context.js';
import { TwinError } from '../../errors.js';
import { listing } from '../listing.js';


/** Checks a DeploymentConfig as SageMaker does before it starts an update. */
function checkDeploymentConfig(config: Input | undefined): void {
  const policy = config?.BlueGreenUpdatePolicy;
  if (!policy) return;
  const routing = policy.TrafficRoutingConfiguration ?? {};
  const fail = (message: string) => {
    throw new TwinError('ValidationException', message);
  };
  if (routing.Type === 'CANARY' && !routing.CanarySize) fail('CanarySize must be specified for a CANARY traffic routing configuration.');
  if (routing.Type === 'LINEAR' && !routing.LinearStepSize) fail('LinearStepSize must be specified for a LINEAR traffic routing configuration.');
  if (routing.CanarySize?.Type === 'CAPACITY_PERCENT' && routing.CanarySize.Value > 50) fail('CanarySize must be at most 50% of the new fleet\'s capacity.');
  const steps = trafficSteps(routing, 1).length;
  const waits = steps * Number(routing.WaitIntervalInSeconds ?? 0) + Number(policy.TerminationWaitInSeconds ?? 0);
  if (policy.MaximumExecutionTimeoutInSeconds !== undefined && policy.MaximumExecutionTimeoutInSeconds <= waits) {
    fail(`MaximumExecutionTimeoutInSeconds (${policy.MaximumExecutionTimeoutInSeconds}) must be larger than the total wait time of the deployment (${waits} seconds).`);
  }
}

function variantSummaries(ctx: RequestContext, e: Endpoint, configName: string, weightOf: (variant: string) => number): Input[] {
  const config = configs(ctx).get(hostingKey(configName));
  return (config?.request.ProductionVariants ?? []).map((v) => {
    const model = models(ctx).get(hostingKey(v.ModelName));
    const image = model ? modelContainer(ctx, model).image : undefined;
    const weight = weightOf(v.VariantName) * Number(v.InitialVariantWeight ?? 1);
    return {
      VariantName: v.VariantName,
      DeployedImages: image ? [{ SpecifiedImage: image, ResolvedImage: image, ResolutionTime: dateOf(e.created) }] : undefined,
      CurrentWeight: weight,
      DesiredWeight: Number(v.InitialVariantWeight ?? 1),
      CurrentInstanceCount: v.InitialInstanceCount ?? 1,
      DesiredInstanceCount: v.InitialInstanceCount ?? 1,
    };
  });
}

function describeEndpoint(ctx: RequestContext, e: Endpoint): Input {
  const config = configs(ctx).get(hostingKey(e.configName));
  const capture = config?.request.DataCaptureConfig;
  const shareOf = (configName: string) => e.routes.find((r) => r.configName.toLowerCase() === configName.toLowerCase())?.share ?? 0;
  const pending = e.pending && {
    EndpointConfigName: e.pending.configName,
    StartTime: dateOf(e.pending.started),
    ProductionVariants: variantSummaries(ctx, e, e.pending.configName, () => shareOf(e.pending!.configName)).map((v) => ({
      ...v,
      VariantStatus: [{ Status: e.pending!.stage, StatusMessage: `${e.pending!.stage} (${Math.round(e.pending!.newShare * 100)}% of traffic on the new fleet)`, StartTime: dateOf(e.pending!.stageStarted) }],
    })),
  };
  return {
    EndpointName: e.name,
    EndpointArn: e.arn,
    EndpointConfigName: e.configName,
    ProductionVariants: e.status === 'Creating' ? undefined : variantSummaries(ctx, e, e.configName, () => (e.status === 'Failed' ? 0 : shareOf(e.configName))),
    DataCaptureConfig: capture && {
      EnableCapture: Boolean(capture.EnableCapture),
      CaptureStatus: capture.EnableCapture ? 'Started' : 'Stopped',
      CurrentSamplingPercentage: capture.InitialSamplingPercentage,
      DestinationS3Uri: capture.DestinationS3Uri,
      KmsKeyId: capture.KmsKeyId,
    },
    EndpointStatus: e.status,
    FailureReason: e.failureReason,
    CreationTime: dateOf(e.created),
    LastModifiedTime: dateOf(e.modified),
    LastDeploymentConfig: e.deploymentConfig,
    PendingDeploymentSummary: pending,
  };
}

/** CreateModel, also how a pipeline's Model step creates its model. */
export function createModel(ctx: RequestContext, input: Input): { ModelArn: string } {
  const name = String(input.ModelName);
  if (models(ctx).has(hostingKey(name))) throw new TwinError('ValidationException', `Cannot create already existing model "${hostingArn(ctx, 'model', name)}".`);
  const container = input.PrimaryContainer ?? input.Containers?.[0];
  if (!container) throw new TwinError('ValidationException', 'Either PrimaryContainer or Containers must be specified.');
  const model = { name, arn: hostingArn(ctx, 'model', name), request: input, created: Date.now() };
  if (!modelContainer(ctx, model).image) throw new TwinError('ValidationException', 'The container of the model names no image.');
  models(ctx).set(hostingKey(name), model);
  return { ModelArn: model.arn };
}

interface HostingInputs {
  CreateModel: CreateModelInput;
  DescribeModel: DescribeModelInput;
  DeleteModel: DeleteModelInput;
  CreateEndpointConfig: CreateEndpointConfigInput;
  DescribeEndpointConfig: DescribeEndpointConfigInput;
  DeleteEndpointConfig: DeleteEndpointConfigInput;
  CreateEndpoint: CreateEndpointInput;
  UpdateEndpoint: UpdateEndpointInput;
  DescribeEndpoint: DescribeEndpointInput;
  ListEndpoints: ListEndpointsInput;
  ListModels: ListModelsInput;
  ListEndpointConfigs: ListEndpointConfigsInput;
  DeleteEndpoint: DeleteEndpointInput;
}

export function hostingOperations(fleets: Fleets): Operations<HostingInputs> {
  return {
    CreateModel: (input, ctx) => createModel(ctx, input),
    DescribeModel: (input, ctx) => {
      const m = requireModel(ctx, String(input.ModelName ?? ''));
      return {
        ModelName: m.name,
        ModelArn: m.arn,
        PrimaryContainer: m.request.PrimaryContainer,
        Containers: m.request.Containers,
        ExecutionRoleArn: m.request.ExecutionRoleArn,
        CreationTime: dateOf(m.created),
      };
    },
    DeleteModel: (input, ctx) => {
      const m = requireModel(ctx, String(input.ModelName ?? ''));
      models(ctx).delete(hostingKey(m.name));
      return {};
    },

    CreateEndpointConfig: (input, ctx) => {
      const name = String(input.EndpointConfigName);
      if (configs(ctx).has(hostingKey(name))) {
        throw new TwinError('ValidationException', `Cannot create already existing endpoint configuration "${hostingArn(ctx, 'endpoint-config', name)}".`);
      }
      for (const v of input.ProductionVariants ?? []) requireModel(ctx, String(v.ModelName));
      const capture = input.DataCaptureConfig;
      if (capture?.EnableCapture && !/^s3:\/\/[^/]+/.test(String(capture.DestinationS3Uri ?? ''))) {
        throw new TwinError('ValidationException', 'DataCaptureConfig.DestinationS3Uri must be an S3 URI when capture is enabled.');
      }
      configs(ctx).set(hostingKey(name), { name, arn: hostingArn(ctx, 'endpoint-config', name), request: { ...input, ProductionVariants: (input.ProductionVariants ?? []) as Variant[] }, created: Date.now() });
      return { EndpointConfigArn: hostingArn(ctx, 'endpoint-config', name) };
    },
    DescribeEndpointConfig: (input, ctx) => {
      const c = requireConfig(ctx, String(input.EndpointConfigName ?? ''));
      return {
        EndpointConfigName: c.name,
        EndpointConfigArn: c.arn,
        ProductionVariants: c.request.ProductionVariants,
        DataCaptureConfig: c.request.DataCaptureConfig,
        CreationTime: dateOf(c.created),
      };
    },
    DeleteEndpointConfig: (input, ctx) => {
      const c = requireConfig(ctx, String(input.EndpointConfigName ?? ''));
      configs(ctx).delete(hostingKey(c.name));
      return {};
    },

    CreateEndpoint: (input, ctx) => {
      const name = String(input.EndpointName);
      if (endpoints(ctx).has(hostingKey(name))) throw new TwinError('ValidationException', `Cannot create already existing endpoint "${hostingArn(ctx, 'endpoint', name)}".`);
      const config = requireConfig(ctx, String(input.EndpointConfigName ?? ''));
      checkDeploymentConfig(input.DeploymentConfig);
      const now = Date.now();
      endpoints(ctx).set(hostingKey(name), {
        name,
        arn: hostingArn(ctx, 'endpoint', name),
        configName: config.name,
        status: 'Creating',
        created: now,
        modified: now,
        deploymentConfig: input.DeploymentConfig,
        routes: [],
        tags: input.Tags,
      });
      void createFlow(ctx, fleets, name);
      return { EndpointArn: hostingArn(ctx, 'endpoint', name) };
    },
    UpdateEndpoint: (input, ctx) => {
      const e = requireEndpoint(ctx, String(input.EndpointName ?? ''));
      const config = requireConfig(ctx, String(input.EndpointConfigName ?? ''));
      if (e.status !== 'InService') throw new TwinError('ValidationException', `Cannot update in-progress endpoint "${e.arn}".`);
      const deploymentConfig = input.RetainDeploymentConfig ? e.deploymentConfig : input.DeploymentConfig;
      checkDeploymentConfig(deploymentConfig);
      updateEndpoint(ctx, e.name, (x) => Object.assign(x, { status: 'Updating', deploymentConfig, failureReason: undefined }));
      void updateFlow(ctx, fleets, e.name, config.name, deploymentConfig);
      return { EndpointArn: e.arn };
    },
    DescribeEndpoint: (input, ctx) => describeEndpoint(ctx, requireEndpoint(ctx, String(input.EndpointName ?? ''))),
    ListModels: (input, ctx) => {
      const { items, next } = listing(models(ctx).values(), input, { name: (m) => m.name, created: (m) => m.created });
      return { Models: items.map((m) => ({ ModelName: m.name, ModelArn: m.arn, CreationTime: dateOf(m.created) })), NextToken: next };
    },
    ListEndpointConfigs: (input, ctx) => {
      const { items, next } = listing(configs(ctx).values(), input, { name: (c) => c.name, created: (c) => c.created });
      const summaries = items.map((c) => ({ EndpointConfigName: c.name, EndpointConfigArn: c.arn, CreationTime: dateOf(c.created) }));
      return { EndpointConfigs: summaries, NextToken: next };
    },
    ListEndpoints: (input, ctx) => {
      const of = { name: (e: Endpoint) => e.name, created: (e: Endpoint) => e.created, status: (e: Endpoint) => e.status };
      const { items, next } = listing(endpoints(ctx).values(), input, of);
      return {
        Endpoints: items.map((e) => ({
          EndpointName: e.name,
          EndpointArn: e.arn,
          CreationTime: dateOf(e.created),
          LastModifiedTime: dateOf(e.modified),
          EndpointStatus: e.status,
        })),
        NextToken: next,
      };
    },
    DeleteEndpoint: (input, ctx) => {
      const e = requireEndpoint(ctx, String(input.EndpointName ?? ''));
      updateEndpoint(ctx, e.name, (x) => Object.assign(x, { status: 'Deleting', pending: undefined }));
      fleets.stop(Fleets.key(ctx, e.name, '', '').replace(/\/\/$/, '/'));
      void ctx.clock.sleep(DELETE_MS).then(() => {
        const now = endpoints(ctx).get(hostingKey(e.name));
        if (now?.created === e.created && now.status === 'Deleting') endpoints(ctx).delete(hostingKey(e.name));
      });
      return {};
    },
  };
}
