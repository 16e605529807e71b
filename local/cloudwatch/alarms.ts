// Alarm evaluation as CloudWatch does it: each evaluation looks at the last EvaluationPeriods
// periods of the metric (or metric math), counts the breaching datapoints, applies
// TreatMissingData, and records a state change in the alarm's history. Periods are simulated
// time, so with a time scale a one-minute period passes in a fraction of a second.
import { randomUUID } from 'node:crypto';
import { evaluateExpression, parseExpression } from './math.js';
import { statistic, valuesBetween, type Dimension } from './metrics.js';
import type { RequestContext } from '../context.js';

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

interface MetricStat {
  Metric: { Namespace: string; MetricName: string; Dimensions?: Dimension[] };
  Period: number;
  Stat: string;
}
export interface MetricQuery {
  Id: string;
  MetricStat?: MetricStat;
  Expression?: string;
  Label?: string;
  ReturnData?: boolean;
}

export interface Alarm {
  name: string;
  arn: string;
  /** The PutMetricAlarm request, as given. */
  request: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  state: AlarmState;
  stateReason: string;
  stateReasonData?: string;
  stateUpdated: number;
  configUpdated: number;
  lastEvaluated: number;
}

export interface HistoryItem {
  id: string;
  alarm: string;
  time: number;
  type: 'StateUpdate' | 'ConfigurationUpdate' | 'Action';
  summary: string;
  data: string;
}

// CloudWatch evaluates an alarm once a minute (simulated).
const EVALUATION_INTERVAL_MS = 60_000;
// However fast simulated time runs, a period lasts at least this long in real time, so a metric
// just put lands in the current period and a state just set holds until the next evaluation.
const MIN_REAL_PERIOD_MS = 1_000;

function realPeriod(ctx: RequestContext, simulatedMs: number): number {
  return Math.max(MIN_REAL_PERIOD_MS, ctx.clock.real(simulatedMs));
}

export const alarms = (ctx: Pick<RequestContext, 'account' | 'region' | 'store'>) => ctx.store.regional<Alarm>('cloudwatch-alarms', ctx);
export const history = (ctx: Pick<RequestContext, 'account' | 'region' | 'store'>) => ctx.store.regional<HistoryItem[]>('cloudwatch-alarm-history', ctx);

export function addHistory(ctx: Pick<RequestContext, 'store' | 'account' | 'region'>, alarm: string, type: HistoryItem['type'], summary: string, data: unknown): void {
  const key = alarm;
  const items = history(ctx).get(key) ?? [];
  items.push({ id: randomUUID(), alarm, time: Date.now(), type, summary, data: JSON.stringify(data) });
  history(ctx).set(key, items.slice(-500));
}

/** Moves the alarm to a state, recording the change as CloudWatch does. */
export function setState(ctx: RequestContext, alarm: Alarm, state: AlarmState, reason: string, reasonData?: unknown): void {
  const previous = alarm.state;
  alarms(ctx).update(alarm.name, (a) => {
    a.state = state;
    a.stateReason = reason;
    a.stateReasonData = reasonData === undefined ? undefined : JSON.stringify(reasonData);
    a.stateUpdated = Date.now();
    a.lastEvaluated = Date.now();
  });
  if (previous === state) return;
  addHistory(ctx, alarm.name, 'StateUpdate', `Alarm updated from ${previous} to ${state}`, {
    version: '1.0',
    oldState: { stateValue: previous },
    newState: { stateValue: state, stateReason: reason },
  });
}

/** The alarm's metric queries: its Metrics, or one query made of its single-metric fields. */
export function alarmQueries(request: Alarm['request']): MetricQuery[] {
  if (request.Metrics?.length) return request.Metrics as MetricQuery[];
  return [{
    Id: 'm1',
    ReturnData: true,
    MetricStat: {
      Metric: { Namespace: request.Namespace, MetricName: request.MetricName, Dimensions: request.Dimensions ?? [] },
      Period: request.Period,
      Stat: request.ExtendedStatistic ?? request.Statistic,
    },
  }];
}

/** Every query's value over one window of real time; undefined where there is no data. */
export function queryValues(ctx: RequestContext, queries: MetricQuery[], start: number, end: number): Record<string, number | undefined> {
  const values: Record<string, number | undefined> = {};
  for (const q of queries.filter((x) => x.MetricStat)) {
    const m = q.MetricStat!.Metric;
    values[q.Id] = statistic(valuesBetween(ctx, m.Namespace, m.MetricName, m.Dimensions ?? [], start, end), q.MetricStat!.Stat);
  }
  for (const q of queries.filter((x) => x.Expression)) values[q.Id] = evaluateExpression(parseExpression(q.Expression!), values);
  return values;
}

/** The value of the query that returns data (an alarm has exactly one). */
function queryValue(ctx: RequestContext, queries: MetricQuery[], start: number, end: number): number | undefined {
  const returned = queries.find((q) => q.ReturnData !== false) ?? queries[0];
  return queryValues(ctx, queries, start, end)[returned.Id];
}

const COMPARISONS: Record<string, [(v: number, t: number) => boolean, string]> = {
  GreaterThanThreshold: [(v, t) => v > t, 'greater than'],
  GreaterThanOrEqualToThreshold: [(v, t) => v >= t, 'greater than or equal to'],
  LessThanThreshold: [(v, t) => v < t, 'less than'],
  LessThanOrEqualToThreshold: [(v, t) => v <= t, 'less than or equal to'],
};

function stamp(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCFullYear() % 100)} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

/** Evaluates the alarm if a minute (simulated) has passed since the last evaluation. */
export function evaluateAlarm(ctx: RequestContext, alarm: Alarm, force = false): Alarm {
  const since = Date.now() - alarm.lastEvaluated;
  // A last evaluation in the future means the clock was set back: evaluate now.
  if (!force && since >= 0 && since < realPeriod(ctx, EVALUATION_INTERVAL_MS)) return alarm;
  const r = alarm.request;
  const queries = alarmQueries(r);
  const periodSeconds = Number(r.Period ?? queries.find((q) => q.MetricStat)?.MetricStat?.Period ?? 60);
  const periodMs = realPeriod(ctx, periodSeconds * 1000);
  const periods = Number(r.EvaluationPeriods ?? 1);
  const needed = Number(r.DatapointsToAlarm ?? periods);
  const [compare, words] = COMPARISONS[r.ComparisonOperator] ?? COMPARISONS.GreaterThanThreshold;
  const threshold = Number(r.Threshold ?? 0);
  const now = Date.now();
  const points: { time: number; value: number }[] = [];
  for (let k = 0; k < periods; k++) {
    const end = now - k * periodMs;
    const value = queryValue(ctx, queries, end - periodMs, end);
    if (value !== undefined) points.push({ time: end - periodMs, value });
  }
  const breaching = points.filter((p) => compare(p.value, threshold)).length;
  const missing = periods - points.length;
  const treat = r.TreatMissingData ?? 'missing';
  const breachingTotal = breaching + (treat === 'breaching' ? missing : 0);
  let state: AlarmState;
  if (breachingTotal >= needed) state = 'ALARM';
  else if (points.length > 0 || treat === 'notBreaching' || treat === 'breaching') state = 'OK';
  else state = treat === 'ignore' ? alarm.state : 'INSUFFICIENT_DATA';
  const shown = points.map((p) => `${Number(p.value.toFixed(4))} (${stamp(p.time)})`).join(', ');
  const reason = state === 'INSUFFICIENT_DATA'
    ? `Insufficient Data: ${periods} datapoint${periods > 1 ? 's were' : ' was'} unknown.`
    : `Threshold Crossed: ${breaching} out of the last ${periods} datapoints [${shown}] ${breaching === 1 ? 'was' : 'were'}${state === 'OK' ? ' not' : ''} ${words} the threshold (${threshold}) (minimum ${needed} datapoint${needed > 1 ? 's' : ''} for OK -> ALARM transition).`;
  setState(ctx, alarm, state, reason, { version: '1.0', queryDate: new Date(now).toISOString(), threshold, recentDatapoints: points.map((p) => p.value), evaluatedDatapoints: points.map((p) => ({ timestamp: new Date(p.time).toISOString(), value: p.value })) });
  return alarms(ctx).get(alarm.name)!;
}

/** Evaluates the named alarms (those that exist) and returns them. */
export function evaluateAlarms(ctx: RequestContext, names: string[], force = false): Alarm[] {
  return names.flatMap((n) => {
    const a = alarms(ctx).get(n);
    return a ? [evaluateAlarm(ctx, a, force)] : [];
  });
}
