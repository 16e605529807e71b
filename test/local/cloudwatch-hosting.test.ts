// The twin's CloudWatch (statistics, metric math, alarm evaluation) and the routing and traffic
// steps of hosting, as pure pieces with a controlled clock.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { Clock } from '../../local/clock.js';
import { alarms, evaluateAlarm, history, type Alarm } from '../../local/cloudwatch/alarms.js';
import { evaluateExpression, expressionIds, parseExpression } from '../../local/cloudwatch/math.js';
import { checkStatistic, recordMetric, statistic } from '../../local/cloudwatch/metrics.js';
import type { RequestContext } from '../../local/context.js';
import { recoverInterrupted } from '../../local/recovery.js';
import { trafficSteps } from '../../local/sagemaker/hosting/deployment.js';
import { Fleets } from '../../local/sagemaker/hosting/fleets.js';
import { Store } from '../../local/store.js';

const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);

function context(scale = 1): RequestContext {
  return { account: '111111111111', region: 'eu-west-1', requestId: 'r', store: new Store(mkdtempSync(join(tmpdir(), 'cw-'))), clock: new Clock(scale) };
}

describe('metric statistics and math', () => {
  it('computes the statistics CloudWatch reports, and nothing for no data', () => {
    const values = [5, 1, 4, 2, 3];
    expect(['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum', 'p50', 'p99', 'p100'].map((s) => statistic(values, s))).toEqual([5, 15, 3, 1, 5, 3, 5, 5]);
    expect(statistic([], 'Sum')).toBeUndefined();
    expect(() => checkStatistic('Median', 'Statistic')).toThrow('The value Median for parameter Statistic is not supported.');
  });

  it('evaluates the 5XX-rate expression of the endpoint template', () => {
    const expr = parseExpression('IF(invocations > 0, 100 * errors / invocations, 0)');
    expect(expressionIds(expr).sort()).toEqual(['errors', 'invocations', 'invocations']);
    expect(evaluateExpression(expr, { errors: 3, invocations: 12 })).toBe(25);
    expect(evaluateExpression(expr, { errors: 0, invocations: 0 })).toBe(0);
    expect(evaluateExpression(expr, { invocations: 4 })).toBeUndefined();
    expect(evaluateExpression(parseExpression('a / b'), { a: 1, b: 0 })).toBeUndefined();
    expect(evaluateExpression(parseExpression('-a + MAX(b, 2) * ABS(c) - MIN(1, d)'), { a: 1, b: 3, c: -2, d: 5 })).toBe(4);
    expect(evaluateExpression(parseExpression('a >= 1 AND b != 2 OR c == 3'), { a: 1, b: 2, c: 3 })).toBe(1);
  });

  it('refuses expressions it cannot evaluate, saying why', () => {
    expect(() => parseExpression('ANOMALY_DETECTION_BAND(m1)')).toThrow('Invalid metrics expression "ANOMALY_DETECTION_BAND(m1)": the function ANOMALY_DETECTION_BAND is not supported');
    expect(() => parseExpression('(a + b')).toThrow('a parenthesis is not closed');
    expect(() => parseExpression('a $ b')).toThrow('unexpected character at position 3');
    expect(() => parseExpression('IF(a, b)')).toThrow('IF takes 3 arguments');
    expect(() => parseExpression('a b')).toThrow("unexpected 'b'");
  });
});

describe('alarm evaluation', () => {
  beforeEach(() => jest.useFakeTimers({ now: T0 }));
  afterEach(() => jest.useRealTimers());

  const dims = [{ Name: 'EndpointName', Value: 'ep' }, { Name: 'VariantName', Value: 'AllTraffic' }];
  function putAlarm(ctx: RequestContext, request: Alarm['request']): Alarm {
    return alarms(ctx).set(request.AlarmName, {
      name: request.AlarmName,
      arn: `arn:aws:cloudwatch:eu-west-1:111111111111:alarm:${request.AlarmName}`,
      request,
      state: 'INSUFFICIENT_DATA',
      stateReason: 'Unchecked: Initial alarm creation',
      stateUpdated: T0,
      configUpdated: T0,
      lastEvaluated: 0,
    });
  }
  const rateAlarm = (extra: Record<string, unknown> = {}) => ({
    AlarmName: 'rate',
    ComparisonOperator: 'GreaterThanThreshold',
    Threshold: '2',
    EvaluationPeriods: 2,
    DatapointsToAlarm: 2,
    TreatMissingData: 'notBreaching',
    Metrics: [
      { Id: 'errors', ReturnData: false, MetricStat: { Metric: { Namespace: 'AWS/SageMaker', MetricName: 'Invocation5XXErrors', Dimensions: dims }, Period: 60, Stat: 'Sum' } },
      { Id: 'invocations', ReturnData: false, MetricStat: { Metric: { Namespace: 'AWS/SageMaker', MetricName: 'Invocations', Dimensions: dims }, Period: 60, Stat: 'Sum' } },
      { Id: 'rate', ReturnData: true, Expression: 'IF(invocations > 0, 100 * errors / invocations, 0)' },
    ],
    ...extra,
  });
  function traffic(ctx: RequestContext, at: number, calls: number, errors: number): void {
    const points = (v: (i: number) => number) => Array.from({ length: calls }, (_, i) => [at + i, v(i)] as [number, number]);
    recordMetric(ctx, 'AWS/SageMaker', 'Invocations', dims, points(() => 1));
    recordMetric(ctx, 'AWS/SageMaker', 'Invocation5XXErrors', [...dims].reverse(), points((i) => (i < errors ? 1 : 0)));
  }

  it('goes into ALARM when the last two periods breach, with CloudWatch\'s reason and a history item', () => {
    const ctx = context();
    const alarm = putAlarm(ctx, rateAlarm());
    traffic(ctx, T0 - 110_000, 10, 1);
    traffic(ctx, T0 - 50_000, 20, 1);
    const evaluated = evaluateAlarm(ctx, alarm);
    expect(evaluated.state).toBe('ALARM');
    expect(evaluated.stateReason).toBe(
      'Threshold Crossed: 2 out of the last 2 datapoints [5 (22/11/26 09:59:00), 10 (22/11/26 09:58:00)] were greater than the threshold (2) ' +
        '(minimum 2 datapoints for OK -> ALARM transition).',
    );
    expect(history(ctx).get('rate')!.map((h) => h.summary)).toEqual(['Alarm updated from INSUFFICIENT_DATA to ALARM']);
  });

  it('evaluates once a minute, and stays OK with one breaching period of two', () => {
    const ctx = context();
    const alarm = putAlarm(ctx, rateAlarm());
    traffic(ctx, T0 - 110_000, 10, 0);
    traffic(ctx, T0 - 50_000, 10, 5);
    expect(evaluateAlarm(ctx, alarm).state).toBe('OK');
    traffic(ctx, T0 - 10_000, 10, 5);
    jest.setSystemTime(T0 + 30_000);
    expect(evaluateAlarm(ctx, alarms(ctx).get('rate')!).stateReason).toContain('1 out of the last 2 datapoints');
    traffic(ctx, T0 + 20_000, 10, 5);
    jest.setSystemTime(T0 + 60_000);
    expect(evaluateAlarm(ctx, alarms(ctx).get('rate')!).state).toBe('ALARM');
  });

  it('treats missing data as the alarm says', () => {
    const ctx = context();
    const single = (name: string, treat?: string) => putAlarm(ctx, {
      AlarmName: name,
      Namespace: 'AWS/SageMaker',
      MetricName: 'ModelLatency',
      Dimensions: dims,
      ExtendedStatistic: 'p99',
      Period: 60,
      EvaluationPeriods: 2,
      Threshold: 1000,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: treat,
    });
    expect(evaluateAlarm(ctx, single('missing')).state).toBe('INSUFFICIENT_DATA');
    expect(evaluateAlarm(ctx, single('missing')).stateReason).toBe('Insufficient Data: 2 datapoints were unknown.');
    expect(evaluateAlarm(ctx, single('quiet', 'notBreaching')).state).toBe('OK');
    expect(evaluateAlarm(ctx, single('loud', 'breaching')).state).toBe('ALARM');
    expect(evaluateAlarm(ctx, single('ignored', 'ignore')).state).toBe('INSUFFICIENT_DATA');
  });

  it('scales periods with simulated time, but never below a real second', () => {
    const ctx = context(60);
    const alarm = putAlarm(ctx, rateAlarm());
    // At 60x a one-minute period is one real second: these calls fall in the last two periods.
    traffic(ctx, T0 - 1_900, 10, 4);
    traffic(ctx, T0 - 900, 10, 4);
    expect(evaluateAlarm(ctx, alarm).state).toBe('ALARM');
    const fast = context(1e6);
    traffic(fast, T0 - 10, 10, 4);
    expect(evaluateAlarm(fast, putAlarm(fast, rateAlarm({ DatapointsToAlarm: 1 }))).state).toBe('ALARM');
  });
});

describe('hosting traffic', () => {
  it('shifts traffic in the steps DeploymentConfig asks for', () => {
    expect(trafficSteps(undefined, 1)).toEqual([1]);
    expect(trafficSteps({ Type: 'ALL_AT_ONCE', WaitIntervalInSeconds: 60 }, 2)).toEqual([1]);
    expect(trafficSteps({ Type: 'CANARY', CanarySize: { Type: 'CAPACITY_PERCENT', Value: 25 } }, 1)).toEqual([0.25, 1]);
    expect(trafficSteps({ Type: 'CANARY', CanarySize: { Type: 'INSTANCE_COUNT', Value: 1 } }, 4)).toEqual([0.25, 1]);
    expect(trafficSteps({ Type: 'LINEAR', LinearStepSize: { Type: 'CAPACITY_PERCENT', Value: 30 } }, 1)).toEqual([0.3, 0.6, 0.9, 1]);
  });

  it('routes each fleet exactly its share, starting afresh when the shares change', () => {
    const fleets = new Fleets({ repoRoot: '.', containerDirs: [] });
    const pick = (choices: { key: string; share: number }[], n: number) => Array.from({ length: n }, () => fleets.pick('ep', choices).key).join('');
    expect(pick([{ key: 'o', share: 0.75 }, { key: 'n', share: 0.25 }], 8)).toBe('oonooono');
    expect(pick([{ key: 'o', share: 0.5 }, { key: 'n', share: 0.5 }], 4)).toBe('onon');
    expect(pick([{ key: 'o', share: 0 }, { key: 'n', share: 1 }], 3)).toBe('nnn');
  });
});

describe('restart after an interruption', () => {
  it('leaves stacks and endpoints that were mid-operation in the state AWS would show after a failure', () => {
    const store = new Store(mkdtempSync(join(tmpdir(), 'recover-')));
    const stackId = (name: string) => `arn:aws:cloudformation:eu-west-1:111111111111:stack/${name}/id`;
    const stacks = store.all<{ id: string; name: string; status: string; statusReason?: string }>('cloudformation-stacks');
    for (const [name, status] of [['a', 'CREATE_IN_PROGRESS'], ['b', 'UPDATE_IN_PROGRESS'], ['c', 'UPDATE_COMPLETE'], ['d', 'REVIEW_IN_PROGRESS']]) {
      stacks.set(`111111111111/eu-west-1/${name}`, { id: stackId(name), name, status });
    }
    const endpoints = store.all<{ arn: string; name: string; status: string; configName: string; routes: unknown[]; failureReason?: string }>('sagemaker-endpoints');
    for (const [name, status] of [['new', 'Creating'], ['moving', 'Updating'], ['going', 'Deleting'], ['up', 'InService']]) {
      endpoints.set(`111111111111/eu-west-1/${name}`, { arn: `arn:aws:sagemaker:eu-west-1:111111111111:endpoint/${name}`, name, status, configName: 'old', routes: [] });
    }
    recoverInterrupted(store);
    expect(stacks.values().map((s) => `${s.name}:${s.status}`)).toEqual(['a:CREATE_FAILED', 'b:UPDATE_ROLLBACK_FAILED', 'c:UPDATE_COMPLETE', 'd:REVIEW_IN_PROGRESS']);
    expect(stacks.get('111111111111/eu-west-1/a')?.statusReason).toBe('The offline twin stopped while this operation was running');
    expect(endpoints.values().map((e) => `${e.name}:${e.status}`)).toEqual(['new:Failed', 'moving:InService', 'up:InService']);
    expect(endpoints.get('111111111111/eu-west-1/moving')?.routes).toEqual([{ configName: 'old', share: 1 }]);
  });
});

describe('deferred collections', () => {
  it('batch writes of per-call data, and write them all on flush', () => {
    jest.useFakeTimers();
    try {
      const dir = mkdtempSync(join(tmpdir(), 'deferred-'));
      const store = new Store(dir);
      const metrics = store.all<number>('m', { deferMs: 1_000 });
      metrics.set('a', 1);
      metrics.set('b', 2);
      expect(new Store(dir).all<number>('m').values()).toEqual([]);
      jest.advanceTimersByTime(1_000);
      expect(new Store(dir).all<number>('m').values()).toEqual([1, 2]);
      metrics.set('c', 3);
      store.flush();
      expect(new Store(dir).all<number>('m').values()).toEqual([1, 2, 3]);
    } finally {
      jest.useRealTimers();
    }
  });
});
