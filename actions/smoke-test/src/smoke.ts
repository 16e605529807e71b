// The smoke test: every sample payload sent to the endpoint a few times, each answer checked for
// its status, its shape and its row count, and the p95 of the round trips held to a bound.
import { InvokeEndpointCommand, type SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { Payload } from './payloads.js';
import { awsErrorCode, describeError, UserError } from '../../../core/errors.js';
import type { Logger } from '../../lib/log.js';
import type { Deadline } from '../../lib/wait.js';

export interface SmokeConfig {
  endpointName: string;
  payloads: Payload[];
  invocationsPerPayload: number;
  maxP95LatencyMs: number;
}

export interface PayloadResult {
  payload: Payload;
  latenciesMs: number[];
  variants: string[];
}

export interface SmokeReport {
  results: PayloadResult[];
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  passed: boolean;
}

/** A failed check: the payload, what came back and why it is wrong. */
export class SmokeFailure extends UserError {
  constructor(readonly payload: Payload, readonly response: string, readonly reason: string) {
    super(`Smoke test of ${payload.name} failed: ${reason}\n  payload: ${clip(payload.body)}\n  response: ${clip(response)}`);
  }
}

const clip = (text: string, max = 300) => (text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text);

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : 0;
}

const isScore = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x >= 0 && x <= 1;

/** Why an answer is not one score per row in the format asked for, or undefined when it is. */
export function checkAnswer(payload: Payload, contentType: string | undefined, text: string): string | undefined {
  if (!(contentType ?? '').startsWith(payload.contentType)) return `answered Content-Type '${contentType ?? ''}', asked for ${payload.contentType}`;
  if (payload.contentType === 'text/csv') {
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    if (lines.length !== payload.rows) return `answered ${lines.length} line(s) for ${payload.rows} row(s)`;
    const bad = lines.find((l) => !isScore(Number(l)));
    return bad === undefined ? undefined : `'${bad}' is not a score from 0 to 1`;
  }
  let body: { predictions?: { score?: unknown }[] };
  try {
    body = JSON.parse(text);
  } catch {
    return 'the answer is not JSON';
  }
  if (!Array.isArray(body.predictions)) return 'the answer has no predictions list';
  if (body.predictions.length !== payload.rows) return `answered ${body.predictions.length} prediction(s) for ${payload.rows} row(s)`;
  const bad = body.predictions.find((p) => !isScore(p?.score));
  return bad === undefined ? undefined : `prediction ${JSON.stringify(bad)} has no score from 0 to 1`;
}

export async function smokeTest(
  runtime: SageMakerRuntimeClient,
  config: SmokeConfig,
  logger: Logger,
  deadline: Deadline,
  clock: () => number = () => performance.now(),
): Promise<SmokeReport> {
  const results: PayloadResult[] = [];
  for (const payload of config.payloads) {
    const result: PayloadResult = { payload, latenciesMs: [], variants: [] };
    for (let i = 0; i < config.invocationsPerPayload; i++) {
      if (deadline.remainingMs() <= 0) throw new UserError(`Smoke test of ${config.endpointName} ran out of time (timeout-minutes) at ${payload.name}`);
      const started = clock();
      let out;
      try {
        const request = { EndpointName: config.endpointName, ContentType: payload.contentType, Accept: payload.contentType, Body: payload.body };
        out = await runtime.send(new InvokeEndpointCommand(request));
      } catch (error) {
        const e = error as { OriginalMessage?: string; OriginalStatusCode?: number };
        const why = awsErrorCode(error) === 'ModelError' ? `the model answered ${e.OriginalStatusCode}` : describeError(error);
        throw new SmokeFailure(payload, e.OriginalMessage ?? (error as Error).message, why);
      }
      result.latenciesMs.push(clock() - started);
      const text = out.Body ? new TextDecoder().decode(out.Body) : '';
      const problem = checkAnswer(payload, out.ContentType, text);
      if (problem) throw new SmokeFailure(payload, text, problem);
      if (out.InvokedProductionVariant && !result.variants.includes(out.InvokedProductionVariant)) result.variants.push(out.InvokedProductionVariant);
    }
    logger.info(`${payload.name}: ${result.latenciesMs.length} answer(s) ok, p95 ${percentile(result.latenciesMs, 95).toFixed(1)} ms`);
    results.push(result);
  }
  const all = results.flatMap((r) => r.latenciesMs);
  const p95Ms = percentile(all, 95);
  return { results, p50Ms: percentile(all, 50), p95Ms, maxMs: Math.max(...all), passed: p95Ms <= config.maxP95LatencyMs };
}
