// CloudWatch metric storage for the twin: raw datapoints per series (namespace, name, dimensions),
// and the statistics CloudWatch computes over a period: Sum, Average, SampleCount, Minimum,
// Maximum and percentiles (pNN).
import type { RequestContext } from '../context.js';
import { TwinError } from '../errors.js';

export interface Dimension {
  Name: string;
  Value: string;
}

export type Point = [number, number, string?];

export interface Series {
  namespace: string;
  name: string;
  dimensions: Dimension[];
  /** [epoch ms, value, unit] in the order they were recorded (the unit when one was given). */
  points: Point[];
}

// Points older than this are dropped (CloudWatch keeps more, but nothing here looks further back).
const RETENTION_MS = 3 * 24 * 3600_000;

// Every invocation records four metrics: their file is written at most once a second.
const series = (ctx: Pick<RequestContext, 'account' | 'region' | 'store'>) => ctx.store.regional<Series>('cloudwatch-metrics', ctx, { deferMs: 1_000 });

export function seriesKey(namespace: string, name: string, dimensions: Dimension[] = []): string {
  const dims = [...dimensions].sort((a, b) => a.Name.localeCompare(b.Name)).map((d) => `${d.Name}=${d.Value}`).join(',');
  return `${namespace}/${name}/${dims}`;
}

/** Records datapoints of one series; how the runtime reports invocations and PutMetricData lands. */
export function recordMetric(ctx: Pick<RequestContext, 'account' | 'region' | 'store'>, namespace: string, name: string, dimensions: Dimension[], values: Point[]): void {
  const key = seriesKey(namespace, name, dimensions);
  const cutoff = Date.now() - RETENTION_MS;
  const existing = series(ctx).get(key);
  const points = [...(existing?.points ?? []).filter(([t]) => t >= cutoff), ...values];
  series(ctx).set(key, { namespace, name, dimensions, points });
}

/** Every series of the caller's account and region, for ListMetrics. */
export function allSeries(ctx: Pick<RequestContext, 'account' | 'region' | 'store'>): Series[] {
  return series(ctx).values();
}

/** The points of a series in [start, end), only those put with `unit` when one is asked for (as CloudWatch filters by unit). */
export function pointsBetween(
  ctx: Pick<RequestContext, 'account' | 'region' | 'store'>, namespace: string, name: string, dimensions: Dimension[], start: number, end: number, unit?: string,
): Point[] {
  const s = series(ctx).get(seriesKey(namespace, name, dimensions));
  return (s?.points ?? []).filter(([t, , u]) => t >= start && t < end && (unit === undefined || (u ?? 'None') === unit));
}

/** Values of a series in [start, end). */
export function valuesBetween(
  ctx: Pick<RequestContext, 'account' | 'region' | 'store'>, namespace: string, name: string, dimensions: Dimension[], start: number, end: number, unit?: string,
): number[] {
  return pointsBetween(ctx, namespace, name, dimensions, start, end, unit).map(([, v]) => v);
}

export const STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'];
const PERCENTILE = /^p(\d{1,2}(\.\d{1,2})?|100)$/;

export function checkStatistic(stat: string, member: string): void {
  if (!STATISTICS.includes(stat) && !PERCENTILE.test(stat)) {
    throw new TwinError('InvalidParameterValue', `The value ${stat} for parameter ${member} is not supported. Use SampleCount, Average, Sum, Minimum, Maximum or a percentile such as p99.`);
  }
}

/** A statistic of the values; undefined when there are none (CloudWatch reports no datapoint). */
export function statistic(values: number[], stat: string): number | undefined {
  if (values.length === 0) return undefined;
  switch (stat) {
    case 'SampleCount':
      return values.length;
    case 'Sum':
      return values.reduce((a, b) => a + b, 0);
    case 'Average':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'Minimum':
      return Math.min(...values);
    case 'Maximum':
      return Math.max(...values);
    default: {
      const m = stat.match(PERCENTILE);
      if (!m) throw new TwinError('InvalidParameterValue', `Unsupported statistic ${stat}`);
      // Nearest rank, as a percentile of raw values.
      const sorted = [...values].sort((a, b) => a - b);
      const rank = Math.max(1, Math.ceil((Number(m[1]) / 100) * sorted.length));
      return sorted[rank - 1];
    }
  }
}
