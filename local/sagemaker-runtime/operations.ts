// SageMaker Runtime (restJson1): InvokeEndpoint, routed by variant weight and, during a blue/green
// update, by each fleet's share of traffic. Records the invocation metrics CloudWatch alarms read,
// and data capture.
import type { InvokeEndpointInput } from '@aws-sdk/client-sagemaker-runtime';
import { recordMetric } from '../cloudwatch/metrics.js';
import type { Operations, RequestContext } from '../context.js';
import { TwinError } from '../errors.js';
import { capture } from '../sagemaker/hosting/data-capture.js';
import { Fleets } from '../sagemaker/hosting/fleets.js';
import { configs, endpoints, hostingKey, modelContainer, requireModel } from '../sagemaker/hosting/state.js';

const MAX_PAYLOAD = 6 * 1024 * 1024;

/** InvokeEndpoint's input as the protocol layer types it: the body arrives as a Buffer. */
type InvokeInput = Omit<InvokeEndpointInput, 'Body'> & { Body?: Buffer };

function metrics(ctx: RequestContext, endpoint: string, variant: string, status: number, latencyMicros: number): void {
  const dims = [{ Name: 'EndpointName', Value: endpoint }, { Name: 'VariantName', Value: variant }];
  const now = Date.now();
  const put = (name: string, value: number) => recordMetric(ctx, 'AWS/SageMaker', name, dims, [[now, value]]);
  put('Invocations', 1);
  put('Invocation5XXErrors', status >= 500 ? 1 : 0);
  put('Invocation4XXErrors', status >= 400 && status < 500 ? 1 : 0);
  put('ModelLatency', latencyMicros);
}

async function invokeEndpoint(input: InvokeInput, ctx: RequestContext, fleets: Fleets) {
  const name = String(input.EndpointName);
  const body: Buffer = input.Body ?? Buffer.alloc(0);
  const e = endpoints(ctx).get(hostingKey(name));
  if (!e) throw new TwinError('ValidationError', `Endpoint ${name} of account ${ctx.account} not found.`);
  if (!['InService', 'Updating', 'RollingBack'].includes(e.status) || e.routes.length === 0) {
    throw new TwinError('ValidationError', `Endpoint ${name} of account ${ctx.account} is not in service (status ${e.status}).`);
  }
  if (body.length > MAX_PAYLOAD) throw new TwinError('ValidationError', `Request payload of ${body.length} bytes exceeds the limit of ${MAX_PAYLOAD} bytes.`, 413);
  const target = input.TargetVariant as string | undefined;
  const choices = e.routes.flatMap((route) => {
    const config = configs(ctx).get(hostingKey(route.configName));
    const variants = (config?.request.ProductionVariants ?? []).filter((v) => !target || v.VariantName === target);
    const total = variants.reduce((n, v) => n + Number(v.InitialVariantWeight ?? 1), 0) || 1;
    return variants.map((v) => ({
      key: Fleets.key(ctx, name, route.configName, v.VariantName),
      share: route.share * (Number(v.InitialVariantWeight ?? 1) / total),
      variant: v,
      config: config!,
    }));
  });
  if (target && choices.length === 0) throw new TwinError('ValidationError', `The variant(s) "[${target}]" is/are not valid for endpoint "${name}".`);
  const chosen = fleets.pick(Fleets.key(ctx, name, '', ''), choices);
  const server = await fleets.ensure(ctx, chosen.key, modelContainer(ctx, requireModel(ctx, chosen.variant.ModelName)));
  const contentType = String(input.ContentType ?? 'application/octet-stream');
  const headers: Record<string, string> = { 'content-type': contentType, 'accept': String(input.Accept ?? '*/*') };
  if (typeof input.CustomAttributes === 'string') headers['x-amzn-sagemaker-custom-attributes'] = input.CustomAttributes;
  const out = await server.invoke(body, headers);
  metrics(ctx, name, chosen.variant.VariantName, out.status, out.latencyMicros);
  capture(ctx, chosen.config.request.DataCaptureConfig, {
    endpoint: name,
    variant: chosen.variant.VariantName,
    inferenceId: input.InferenceId as string | undefined,
    request: { body, contentType },
    response: out.status < 400 ? { body: out.body, contentType: out.contentType } : undefined,
  });
  if (out.status >= 400) {
    const text = out.body.toString('utf8').slice(0, 4096);
    const kind = out.status >= 500 ? 'server' : 'client';
    throw new TwinError('ModelError', `Received ${kind} error (${out.status}) from primary with message "${text}". See the twin's log for endpoint ${name}.`, 424, 'Sender', {
      OriginalStatusCode: out.status,
      OriginalMessage: text,
      LogStreamArn: `arn:aws:logs:${ctx.region}:${ctx.account}:log-group:/aws/sagemaker/Endpoints/${name}`,
    });
  }
  return { Body: out.body, ContentType: out.contentType, InvokedProductionVariant: chosen.variant.VariantName };
}

export function runtimeOperations(fleets: Fleets): Operations<{ InvokeEndpoint: InvokeInput }> {
  return { InvokeEndpoint: (input, ctx) => invokeEndpoint(input, ctx, fleets) };
}
