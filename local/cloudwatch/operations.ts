// CloudWatch over awsJson1_0 (query-compatible): metrics (put, statistics, metric data) and
// metric alarms (put, describe, delete, set state, history) evaluated from the recorded metrics.
import type {
  ListMetricsInput,
  DeleteAlarmsInput,
  DescribeAlarmHistoryInput,
  DescribeAlarmsInput,
  GetMetricDataInput,
  GetMetricStatisticsInput,
  PutMetricAlarmInput,
  PutMetricDataInput,
  SetAlarmStateInput,
} from '@aws-sdk/client-cloudwatch';
import { dateOf } from '../clock.js';
import { addHistory, alarmQueries, alarms, evaluateAlarm, history, queryValues, setState, type Alarm, type AlarmState, type MetricQuery } from './alarms.js';
import { parseExpression } from './math.js';
import { allSeries, checkStatistic, pointsBetween, recordMetric, statistic, type Dimension, type Point } from './metrics.js';
import type { Operations } from '../context.js';
import { TwinError } from '../errors.js';
import { page } from '../protocols/paging.js';

type Input = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const STATES: AlarmState[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];
const ms = (seconds: unknown) => Number(seconds) * 1000;
/** A request timestamp (a Date, typed by the protocol layer) as epoch milliseconds. */
const epochMs = (t: Date) => t.getTime();

/** Windows of `period` seconds from start to end: the datapoints of GetMetricStatistics and GetMetricData. */
/**
 * Where a period starts: CloudWatch aligns periods of a minute or more to whole minutes (of an
 * hour or more to whole hours), and shorter ones to whole seconds.
 */
export function aligned(start: number, periodMs: number): number {
  const unit = periodMs >= 3_600_000 ? 3_600_000 : periodMs >= 60_000 ? 60_000 : 1_000;
  return Math.floor(start / unit) * unit;
}

function windows(input: Input): { start: number; end: number } {
  const start = epochMs(input.StartTime);
  const end = epochMs(input.EndTime);
  if (!(end > start)) throw new TwinError('InvalidParameterValue', 'The parameter StartTime must be less than the parameter EndTime.');
  return { start, end };
}

function describeAlarm(a: Alarm): Record<string, unknown> {
  const r = a.request;
  return {
    AlarmName: a.name,
    AlarmArn: a.arn,
    AlarmDescription: r.AlarmDescription,
    AlarmConfigurationUpdatedTimestamp: dateOf(a.configUpdated),
    ActionsEnabled: r.ActionsEnabled ?? true,
    OKActions: r.OKActions ?? [],
    AlarmActions: r.AlarmActions ?? [],
    InsufficientDataActions: r.InsufficientDataActions ?? [],
    StateValue: a.state,
    StateReason: a.stateReason,
    StateReasonData: a.stateReasonData,
    StateUpdatedTimestamp: dateOf(a.stateUpdated),
    StateTransitionedTimestamp: dateOf(a.stateUpdated),
    MetricName: r.MetricName,
    Namespace: r.Namespace,
    Statistic: r.Statistic,
    ExtendedStatistic: r.ExtendedStatistic,
    Dimensions: r.Metrics ? undefined : r.Dimensions ?? [],
    Period: r.Period,
    Unit: r.Unit,
    EvaluationPeriods: r.EvaluationPeriods,
    DatapointsToAlarm: r.DatapointsToAlarm,
    Threshold: r.Threshold,
    ComparisonOperator: r.ComparisonOperator,
    TreatMissingData: r.TreatMissingData,
    Metrics: r.Metrics,
  };
}

function checkAlarm(input: Input): void {
  const queries = alarmQueries(input);
  if (input.Metrics?.length) {
    if (input.MetricName || input.Namespace || input.Statistic || input.ExtendedStatistic) {
      throw new TwinError('ValidationError', 'Metrics list cannot be used with MetricName, Namespace, Statistic or ExtendedStatistic.');
    }
    const returned = (input.Metrics as MetricQuery[]).filter((q) => q.ReturnData !== false);
    if (returned.length !== 1) throw new TwinError('ValidationError', 'Exactly one element of the metrics list should return data.');
    for (const q of input.Metrics as MetricQuery[]) {
      if (q.Expression) parseExpression(q.Expression);
      else if (q.MetricStat) checkStatistic(q.MetricStat.Stat, `Metrics.${q.Id}.MetricStat.Stat`);
      else throw new TwinError('ValidationError', `Metrics element ${q.Id} must have either MetricStat or Expression.`);
    }
  } else {
    if (!input.MetricName || !input.Namespace) throw new TwinError('ValidationError', 'A metric alarm needs MetricName and Namespace, or Metrics.');
    if (Boolean(input.Statistic) === Boolean(input.ExtendedStatistic)) {
      throw new TwinError('InvalidParameterCombination', 'Exactly one of the parameters Statistic and ExtendedStatistic must be specified.');
    }
    checkStatistic(queries[0].MetricStat!.Stat, input.Statistic ? 'Statistic' : 'ExtendedStatistic');
  }
}

interface CloudWatchInputs {
  PutMetricData: PutMetricDataInput;
  GetMetricStatistics: GetMetricStatisticsInput;
  GetMetricData: GetMetricDataInput;
  PutMetricAlarm: PutMetricAlarmInput;
  DescribeAlarms: DescribeAlarmsInput;
  DeleteAlarms: DeleteAlarmsInput;
  SetAlarmState: SetAlarmStateInput;
  DescribeAlarmHistory: DescribeAlarmHistoryInput;
  ListMetrics: ListMetricsInput;
}

export const cloudwatchOperations: Operations<CloudWatchInputs> = {
  ListMetrics: (input, ctx) => {
    const wanted = input.Dimensions ?? [];
    const all = allSeries(ctx)
      .filter((x) => (!input.Namespace || x.namespace === input.Namespace) && (!input.MetricName || x.name === input.MetricName))
      .filter((x) => wanted.every((w) => x.dimensions.some((d) => d.Name === w.Name && (w.Value === undefined || d.Value === w.Value))))
      .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
    const { items, next } = page(all, input.NextToken, 500);
    return { Metrics: items.map((x) => ({ Namespace: x.namespace, MetricName: x.name, Dimensions: x.dimensions })), NextToken: next };
  },
  PutMetricData: (input, ctx) => {
    if (String(input.Namespace).startsWith('AWS/')) throw new TwinError('InvalidParameterValue', 'The value AWS/ for parameter Namespace is invalid.');
    for (const d of input.MetricData ?? []) {
      const at = d.Timestamp === undefined ? Date.now() : epochMs(d.Timestamp);
      const values: number[] = d.Values ?? (d.Value === undefined ? [] : [d.Value]);
      const counts: number[] = d.Counts ?? values.map(() => 1);
      const points = values.flatMap((v, i) => Array.from({ length: counts[i] ?? 1 }, (): Point => [at, Number(v), d.Unit]));
      recordMetric(ctx, String(input.Namespace), String(d.MetricName), (d.Dimensions ?? []) as Dimension[], points);
    }
    return {};
  },

  GetMetricStatistics: (input, ctx) => {
    const { start, end } = windows(input);
    const stats: string[] = [...(input.Statistics ?? []), ...(input.ExtendedStatistics ?? [])];
    if (stats.length === 0) throw new TwinError('MissingParameter', 'Must specify either Statistics or ExtendedStatistics.');
    stats.forEach((s) => checkStatistic(s, 'Statistics'));
    const periodMs = ms(input.Period);
    const datapoints = [];
    for (let t = aligned(start, periodMs); t < end; t += periodMs) {
      const dimensions = (input.Dimensions ?? []) as Dimension[];
      const points = pointsBetween(ctx, String(input.Namespace), String(input.MetricName), dimensions, t, Math.min(t + periodMs, end), input.Unit);
      if (points.length === 0) continue;
      const values = points.map(([, v]) => v);
      // Each datapoint carries the unit its data was put with, as CloudWatch reports it.
      const point: Record<string, unknown> = { Timestamp: dateOf(t), Unit: input.Unit ?? points[0][2] ?? 'None' };
      for (const s of input.Statistics ?? []) point[s] = statistic(values, s);
      if (input.ExtendedStatistics) {
        point.ExtendedStatistics = Object.fromEntries(input.ExtendedStatistics.map((s: string) => [s, statistic(values, s)]));
      }
      datapoints.push(point);
    }
    return { Label: input.MetricName, Datapoints: datapoints };
  },

  GetMetricData: (input, ctx) => {
    const { start, end } = windows(input);
    const queries = input.MetricDataQueries as MetricQuery[];
    const results = queries.filter((q) => q.ReturnData !== false).map((q) => {
      const periodMs = ms(q.MetricStat?.Period ?? queries.find((x) => x.MetricStat)?.MetricStat?.Period ?? 60);
      const timestamps: Date[] = [];
      const values: number[] = [];
      // Newest first, as CloudWatch returns them by default.
      for (let t = aligned(start, periodMs); t < end; t += periodMs) {
        const v = queryValues(ctx, queries, t, Math.min(t + periodMs, end))[q.Id];
        if (v === undefined) continue;
        timestamps.unshift(dateOf(t)!);
        values.unshift(v);
      }
      return { Id: q.Id, Label: q.Label ?? q.MetricStat?.Metric.MetricName ?? q.Id, Timestamps: timestamps, Values: values, StatusCode: 'Complete' };
    });
    return { MetricDataResults: results, Messages: [] };
  },

  PutMetricAlarm: (input, ctx) => {
    checkAlarm(input);
    const key = String(input.AlarmName);
    const existing = alarms(ctx).get(key);
    const now = Date.now();
    alarms(ctx).set(key, {
      name: key,
      arn: `arn:aws:cloudwatch:${ctx.region}:${ctx.account}:alarm:${input.AlarmName}`,
      request: input,
      state: existing?.state ?? 'INSUFFICIENT_DATA',
      stateReason: existing?.stateReason ?? 'Unchecked: Initial alarm creation',
      stateUpdated: existing?.stateUpdated ?? now,
      configUpdated: now,
      lastEvaluated: existing?.lastEvaluated ?? 0,
    });
    addHistory(ctx, key, 'ConfigurationUpdate', `Alarm "${key}" ${existing ? 'updated' : 'created'}`, { type: existing ? 'Update' : 'Create' });
    return {};
  },

  DescribeAlarms: (input, ctx) => {
    const names: string[] | undefined = input.AlarmNames;
    let list = alarms(ctx).values();
    if (names) list = list.filter((a) => names.includes(a.name));
    const prefix = input.AlarmNamePrefix;
    if (prefix) list = list.filter((a) => a.name.startsWith(prefix));
    list = list.map((a) => evaluateAlarm(ctx, a));
    if (input.StateValue) list = list.filter((a) => a.state === input.StateValue);
    list.sort((a, b) => a.name.localeCompare(b.name));
    const { items: pageItems, next } = page(list, input.NextToken, input.MaxRecords ?? 50);
    const wantsMetric = (input.AlarmTypes ?? ['MetricAlarm']).includes('MetricAlarm');
    return { MetricAlarms: wantsMetric ? pageItems.map(describeAlarm) : [], CompositeAlarms: [], NextToken: next };
  },

  DeleteAlarms: (input, ctx) => {
    const missing = (input.AlarmNames as string[]).filter((n) => !alarms(ctx).has(n));
    if (missing.length) throw new TwinError('ResourceNotFound', `${missing.join(', ')} not found`, 404);
    for (const n of input.AlarmNames as string[]) {
      alarms(ctx).delete(n);
      history(ctx).delete(n);
    }
    return {};
  },

  SetAlarmState: (input, ctx) => {
    const a = alarms(ctx).get(String(input.AlarmName));
    if (!a) throw new TwinError('ResourceNotFound', `Alarm ${input.AlarmName} not found`, 404);
    if (!STATES.includes(input.StateValue as AlarmState)) throw new TwinError('InvalidParameterValue', `The value ${input.StateValue} for parameter StateValue is not supported.`);
    if (input.StateReasonData !== undefined) {
      try {
        JSON.parse(input.StateReasonData);
      } catch {
        throw new TwinError('InvalidFormat', 'The StateReasonData must be valid JSON.');
      }
    }
    // The set state holds until the next evaluation, a minute later.
    const data = input.StateReasonData === undefined ? undefined : JSON.parse(input.StateReasonData);
    setState(ctx, a, input.StateValue as AlarmState, String(input.StateReason), data);
    return {};
  },

  DescribeAlarmHistory: (input, ctx) => {
    if (input.AlarmName) {
      const a = alarms(ctx).get(String(input.AlarmName));
      if (a) evaluateAlarm(ctx, a);
    }
    const from = input.StartDate === undefined ? 0 : epochMs(input.StartDate);
    const to = input.EndDate === undefined ? Infinity : epochMs(input.EndDate);
    const keys = input.AlarmName ? [input.AlarmName] : alarms(ctx).values().map((a) => a.name);
    let items = keys.flatMap((k) => history(ctx).get(k) ?? []).filter((h) => h.time >= from && h.time <= to);
    if (input.HistoryItemType) items = items.filter((h) => h.type === input.HistoryItemType);
    items.sort((a, b) => (input.ScanBy === 'TimestampAscending' ? a.time - b.time : b.time - a.time));
    return {
      AlarmHistoryItems: items.slice(0, input.MaxRecords ?? 100).map((h) => ({
        AlarmName: h.alarm,
        AlarmType: 'MetricAlarm',
        Timestamp: dateOf(h.time),
        HistoryItemType: h.type,
        HistorySummary: h.summary,
        HistoryData: h.data,
      })),
    };
  },
};

