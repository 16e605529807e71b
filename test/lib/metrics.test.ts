import { evaluateGate, gateTable, metricsFromStatistics, parseThresholds } from '../../actions/lib/metrics.js';
import { statistics } from '../helpers/s3-body.js';

describe('metricsFromStatistics', () => {
  it('reads the binary classification metrics', () => {
    expect(metricsFromStatistics(statistics({ auc: 0.85, f1: 0.6, mse: 3 }), 'e.json')).toEqual({ auc: 0.85, f1: 0.6 });
  });

  it.each([
    [{}, 'e.json is not model-quality statistics: it has no binary_classification_metrics'],
    [{ binary_classification_metrics: { rmse: { value: 1 } } }, 'e.json has none of the metrics auc, accuracy, precision, recall, f1'],
    [{ binary_classification_metrics: { auc: { value: 'high' } } }, 'e.json: binary_classification_metrics.auc.value must be a number'],
  ])('refuses %j', (doc, message) => {
    expect(() => metricsFromStatistics(doc, 'e.json')).toThrow(message);
  });
});

describe('evaluateGate', () => {
  it('passes a candidate above the thresholds and within the allowed regression', () => {
    const result = evaluateGate({ auc: 0.845, f1: 0.6 }, { auc: 0.8 }, { auc: 0.85, f1: 0.55 }, 0.01);
    expect(result).toEqual({
      passed: true,
      rows: [
        { metric: 'auc', challenger: 0.845, champion: 0.85, threshold: 0.8, passed: true, reason: 'ok' },
        { metric: 'f1', challenger: 0.6, champion: 0.55, threshold: undefined, passed: true, reason: 'ok' },
      ],
    });
  });

  it('fails below a threshold, on a regression, and on a missing metric, saying why', () => {
    const result = evaluateGate({ auc: 0.7, f1: 0.5 }, { auc: 0.75, recall: 0.5 }, { auc: 0.72, f1: 0.6 }, 0.01);
    expect(result.passed).toBe(false);
    expect(result.rows.map((r) => [r.metric, r.passed, r.reason])).toEqual([
      ['auc', false, 'below the threshold 0.75; worse than the champion by 0.02 (allowed 0.01)'],
      ['recall', false, "missing from the candidate's metrics"],
      ['f1', false, 'worse than the champion by 0.1 (allowed 0.01)'],
    ]);
    expect(gateTable(result)).toBe([
      '| Metric | Challenger | Champion | Threshold | Verdict |',
      '| --- | --- | --- | --- | --- |',
      '| auc | 0.7000 | 0.7200 | 0.7500 | ❌ below the threshold 0.75; worse than the champion by 0.02 (allowed 0.01) |',
      "| recall | — | — | 0.5000 | ❌ missing from the candidate's metrics |",
      '| f1 | 0.5000 | 0.6000 | — | ❌ worse than the champion by 0.1 (allowed 0.01) |',
    ].join('\n'));
  });
});

describe('parseThresholds', () => {
  it('reads known metrics between 0 and 1', () => {
    expect(parseThresholds({ auc: '0.8', f1: '0.5' }, 'x')).toEqual({ auc: 0.8, f1: 0.5 });
    expect(() => parseThresholds({ rmse: '1' }, "Input 'thresholds'")).toThrow("Input 'thresholds': 'rmse' is not a metric (allowed: auc, accuracy, precision, recall, f1)");
    expect(() => parseThresholds({ auc: '2' }, "Input 'thresholds'")).toThrow("Input 'thresholds': auc must be a number from 0 to 1, got '2'");
  });
});
