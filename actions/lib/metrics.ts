import { parseDecimal } from './inputs.js';
import { table } from './summary.js';
import { METRIC_NAMES } from '../../core/environment/schema.js';
import { UserError } from '../../core/errors.js';

export type MetricName = (typeof METRIC_NAMES)[number];
export type Metrics = Partial<Record<MetricName, number>>;

/** The metrics of a Model Monitor model-quality statistics document (binary classification). */
export function metricsFromStatistics(document: unknown, source: string): Metrics {
  const section = (document as { binary_classification_metrics?: Record<string, { value?: unknown }> } | null)?.binary_classification_metrics;
  if (!section || typeof section !== 'object') {
    throw new UserError(`${source} is not model-quality statistics: it has no binary_classification_metrics`);
  }
  const metrics: Metrics = {};
  for (const name of METRIC_NAMES) {
    const value = section[name]?.value;
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new UserError(`${source}: binary_classification_metrics.${name}.value must be a number`);
    metrics[name] = value;
  }
  if (Object.keys(metrics).length === 0) throw new UserError(`${source} has none of the metrics ${METRIC_NAMES.join(', ')}`);
  return metrics;
}

export interface GateRow {
  metric: MetricName;
  challenger?: number;
  champion?: number;
  threshold?: number;
  passed: boolean;
  reason: string;
}

export interface GateResult {
  passed: boolean;
  rows: GateRow[];
}

/**
 * A candidate passes when every metric with a threshold reaches it, and no metric the champion
 * has is worse than the champion's by more than `maxRegression`.
 */
export function evaluateGate(challenger: Metrics, thresholds: Metrics, champion: Metrics | undefined, maxRegression: number): GateResult {
  const rows: GateRow[] = [];
  for (const metric of METRIC_NAMES) {
    const c = challenger[metric];
    const threshold = thresholds[metric];
    const best = champion?.[metric];
    if (c === undefined && threshold === undefined) continue;
    const reasons: string[] = [];
    let passed = true;
    if (c === undefined) {
      passed = false;
      reasons.push('missing from the candidate\'s metrics');
    } else {
      if (threshold !== undefined && c < threshold) {
        passed = false;
        reasons.push(`below the threshold ${threshold}`);
      }
      if (best !== undefined && c < best - maxRegression) {
        passed = false;
        reasons.push(`worse than the champion by ${round(best - c)} (allowed ${maxRegression})`);
      }
    }
    rows.push({ metric, challenger: c, champion: best, threshold, passed, reason: passed ? 'ok' : reasons.join('; ') });
  }
  return { passed: rows.every((r) => r.passed), rows };
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}

const fmt = (x: number | undefined) => (x === undefined ? '—' : x.toFixed(4));

/** The gate as a markdown table: challenger vs champion with the verdict per metric. */
export function gateTable(result: GateResult): string {
  return table(
    ['Metric', 'Challenger', 'Champion', 'Threshold', 'Verdict'],
    result.rows.map((r) => [r.metric, fmt(r.challenger), fmt(r.champion), fmt(r.threshold), r.passed ? '✅ pass' : `❌ ${r.reason}`]),
  );
}

/** `auc=0.8,f1=0.5` -> thresholds, for inputs that override the environment file. */
export function parseThresholds(pairs: Record<string, string>, what: string): Metrics {
  const thresholds: Metrics = {};
  for (const [name, text] of Object.entries(pairs)) {
    if (!(METRIC_NAMES as readonly string[]).includes(name)) throw new UserError(`${what}: '${name}' is not a metric (allowed: ${METRIC_NAMES.join(', ')})`);
    const value = parseDecimal(text);
    if (value === undefined || value < 0 || value > 1) throw new UserError(`${what}: ${name} must be a number from 0 to 1, got '${text}'`);
    thresholds[name as MetricName] = value;
  }
  return thresholds;
}
