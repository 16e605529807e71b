// Data capture as SageMaker writes it: a sampled share of invocations, one JSON line each, under
// <DestinationS3Uri>/<endpoint>/<variant>/yyyy/mm/dd/hh/<file>.jsonl.
import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../context.js';
import { listKeys, readObject, writeObject } from '../../s3/objects.js';
import { splitS3 } from '../jobs.js';
import type { Input } from './state.js';

// Per endpoint variant: how many invocations were seen, written at most once a second.
const counters = (ctx: RequestContext) => ctx.store.regional<number>('sagemaker-capture-counters', ctx, { deferMs: 1_000 });

function encoding(contentType: string, header: Input | undefined): 'CSV' | 'JSON' | 'BASE64' {
  const type = contentType.split(';')[0].trim();
  if ((header?.CsvContentTypes ?? ['text/csv']).includes(type)) return 'CSV';
  if ((header?.JsonContentTypes ?? ['application/json']).includes(type)) return 'JSON';
  return 'BASE64';
}

function payload(body: Buffer, contentType: string, mode: 'INPUT' | 'OUTPUT', header: Input | undefined) {
  const enc = encoding(contentType, header);
  return { observedContentType: contentType, mode, data: enc === 'BASE64' ? body.toString('base64') : body.toString('utf8'), encoding: enc };
}

/** True for the invocations the sampling percentage picks: evenly spread, starting with the first. */
function sampled(ctx: RequestContext, key: string, percent: number): boolean {
  const n = (counters(ctx).get(key) ?? 0) + 1;
  counters(ctx).set(key, n);
  return Math.floor((n * percent) / 100) > Math.floor(((n - 1) * percent) / 100) || (n === 1 && percent > 0);
}

export interface Exchange {
  endpoint: string;
  variant: string;
  inferenceId?: string;
  request: { body: Buffer; contentType: string };
  response?: { body: Buffer; contentType: string };
}

export function capture(ctx: RequestContext, config: Input | undefined, x: Exchange): void {
  if (!config?.EnableCapture) return;
  const modes: string[] = (config.CaptureOptions ?? [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }]).map((o: Input) => o.CaptureMode);
  if (!sampled(ctx, `${x.endpoint}/${x.variant}`, Number(config.InitialSamplingPercentage ?? 100))) return;
  const now = new Date();
  const record = {
    captureData: {
      endpointInput: modes.includes('Input') ? payload(x.request.body, x.request.contentType, 'INPUT', config.CaptureContentTypeHeader) : undefined,
      endpointOutput: modes.includes('Output') && x.response ? payload(x.response.body, x.response.contentType, 'OUTPUT', config.CaptureContentTypeHeader) : undefined,
    },
    eventMetadata: { eventId: randomUUID(), inferenceId: x.inferenceId, inferenceTime: now.toISOString() },
    eventVersion: '0',
  };
  const { bucket, key } = splitS3(config.DestinationS3Uri);
  const hour = now.toISOString().slice(0, 13).replace(/[-T]/g, '/');
  const file = `${key.replace(/\/$/, '')}/${x.endpoint}/${x.variant}/${hour}/twin-${ctx.store.runId}.jsonl`.replace(/^\//, '');
  const previous = listKeys(ctx, bucket, file).includes(file) ? readObject(ctx, bucket, file) : Buffer.alloc(0);
  writeObject(ctx, bucket, file, Buffer.concat([previous, Buffer.from(`${JSON.stringify(record)}\n`)]), 'application/jsonl');
}
