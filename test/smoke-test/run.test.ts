// smoke-test: the exact invocations, every answer checked, the latency bound, and bad inputs
// refused before any call.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { actionContext, FailureWithSummary } from '../../actions/lib/action.js';
import { memoryLogger } from '../../actions/lib/log.js';
import { Deadline } from '../../actions/lib/wait.js';
import { buildPayloads, sampleRows } from '../../actions/smoke-test/src/payloads.js';
import { runSmoke } from '../../actions/smoke-test/src/run.js';
import { checkAnswer, percentile, smokeTest } from '../../actions/smoke-test/src/smoke.js';
import { inputEnv } from '../deploy-stack/fixtures.js';

const mock = mockClient(SageMakerRuntimeClient);
const client = new SageMakerRuntimeClient({ region: 'eu-west-1' });
const BASE = { 'endpoint-name': 'sagemaker-gitops-dev', 'environment': 'dev', 'environments-dir': 'test/fixtures/environments', 'rows': '3', 'invocations-per-payload': '2' };
const run = (inputs: Record<string, string> = BASE) => runSmoke(actionContext(inputEnv(inputs), memoryLogger()), () => client);
const body = (text: string) => new TextEncoder().encode(text) as never;

/** Answers like the inference container: a score per row, in the type asked for. */
function modelAnswers(score = 0.25) {
  mock.on(InvokeEndpointCommand).callsFake((input: { ContentType: string; Body: string }) => {
    const rows = input.ContentType === 'text/csv' ? input.Body.split('\n').length : (JSON.parse(input.Body).instances ?? [0]).length;
    const text = input.ContentType === 'text/csv'
      ? `${Array.from({ length: rows }, () => score.toFixed(6)).join('\n')}\n`
      : JSON.stringify({ predictions: Array.from({ length: rows }, () => ({ score, label: 0 })) });
    return { Body: body(text), ContentType: input.ContentType, InvokedProductionVariant: 'AllTraffic' };
  });
}

beforeEach(() => {
  mock.reset();
});

describe('smoke-test', () => {
  it('sends CSV and JSON, one row and many, each as often as asked, and reports the latencies', async () => {
    modelAnswers();
    const result = await run();
    const calls = mock.commandCalls(InvokeEndpointCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(8);
    expect(calls.map((c) => `${c.ContentType} ${c.Accept}`)).toEqual([
      'text/csv text/csv', 'text/csv text/csv', 'application/json application/json', 'application/json application/json',
      'text/csv text/csv', 'text/csv text/csv', 'application/json application/json', 'application/json application/json',
    ]);
    expect(calls[0]).toEqual({ EndpointName: 'sagemaker-gitops-dev', ContentType: 'text/csv', Accept: 'text/csv', Body: '36,46.15,1542.15,0,4,36,one-year,electronic-check,dsl,yes' });
    expect(JSON.parse(String(calls[2].Body))).toEqual({
      tenure_months: 36,
      monthly_charges: 46.15,
      total_charges: 1542.15,
      support_calls: 0,
      num_products: 4,
      age: 36,
      contract: 'one-year',
      payment_method: 'electronic-check',
      internet_service: 'dsl',
      paperless_billing: 'yes',
    });
    expect(String(calls[4].Body).split('\n')).toHaveLength(3);
    expect(JSON.parse(String(calls[6].Body)).instances).toHaveLength(3);
    expect(result.outputs.passed).toBe(true);
    expect(result.summary).toContain('## smoke-test: sagemaker-gitops-dev (dev)');
    expect(result.summary).toContain('| **Result** | ✅ Passed |');
    expect(result.summary).toContain('| CSV, 3 rows | 3 | ✅ 2 |');
  });

  it('fails with the payload, the response and the reason when an answer has the wrong row count', async () => {
    modelAnswers();
    mock.on(InvokeEndpointCommand, { ContentType: 'text/csv' }).resolves({ Body: body('0.1\n'), ContentType: 'text/csv' });
    const failure = (await run().catch((e: unknown) => e)) as FailureWithSummary;
    expect(failure).toBeInstanceOf(FailureWithSummary);
    expect(failure.message).toBe([
      'Smoke test of CSV, 3 rows failed: answered 1 line(s) for 3 row(s)',
      '  payload: 36,46.15,1542.15,0,4,36,one-year,electronic-check,dsl,yes',
      '56,46.06,2433.59,1,4,45,two-year,credit-card,dsl,yes',
      '33,74.58,2463.6,2,1,33,two-year,bank-transfer,fiber,no',
      '  response: 0.1',
      '',
    ].join('\n'));
    expect(failure.summary).toContain('| **Result** | ❌ Failed |');
    expect(failure.outputs).toEqual({ passed: false });
  });

  it('names the model error and its message when the container fails', async () => {
    mock.on(InvokeEndpointCommand).rejects(Object.assign(new Error('Received client error (400)'), { name: 'ModelError', OriginalStatusCode: 400, OriginalMessage: 'row 1: expected 10 values, got 9' }));
    await expect(run()).rejects.toThrow('Smoke test of CSV, 1 row failed: the model answered 400\n  payload: 36,46.15,1542.15,0,4,36,one-year,electronic-check,dsl,yes\n  response: row 1: expected 10 values, got 9');
    expect(mock.commandCalls(InvokeEndpointCommand)).toHaveLength(1);
  });

  it('fails a correct but slow endpoint with its p95 and the bound', async () => {
    modelAnswers();
    let now = 0;
    const report = await smokeTest(client, { endpointName: 'e', payloads: buildPayloads(sampleRows('containers/data/sample.csv', 'churn', 2)), invocationsPerPayload: 5, maxP95LatencyMs: 100 }, memoryLogger(), new Deadline(60_000), () => (now += 150));
    // The clock moves 150 ms on every reading: each call takes 150 ms, over the bound of 100.
    expect(report).toMatchObject({ p50Ms: 150, p95Ms: 150, maxMs: 150, passed: false });
  });

  it('checks every answer for its type, its row count and its scores', () => {
    const [csv1, json1] = buildPayloads({ header: ['a'], rows: [['1']] });
    expect(checkAnswer(csv1, 'text/csv', '0.5\n')).toBeUndefined();
    expect(checkAnswer(csv1, 'application/json', '0.5')).toBe("answered Content-Type 'application/json', asked for text/csv");
    expect(checkAnswer(csv1, 'text/csv', '1.5\n')).toBe("'1.5' is not a score from 0 to 1");
    expect(checkAnswer(json1, 'application/json', '{"predictions":[{"score":0.2}]}')).toBeUndefined();
    expect(checkAnswer(json1, 'application/json', 'nope')).toBe('the answer is not JSON');
    expect(checkAnswer(json1, 'application/json', '{"scores":[]}')).toBe('the answer has no predictions list');
    expect(checkAnswer(json1, 'application/json', '{"predictions":[{"label":1}]}')).toBe('prediction {"label":1} has no score from 0 to 1');
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([], 95)).toBe(0);
  });

  it.each([
    ['a bad endpoint name', { ...BASE, 'endpoint-name': 'bad_name' }, "Input 'endpoint-name' must be a SageMaker endpoint name (letters, digits and hyphens, at most 63), got 'bad_name'"],
    ['a missing sample file', { ...BASE, 'sample-file': 'nope.csv' }, "Input 'sample-file': nope.csv does not exist"],
    ['a label column the file lacks', { ...BASE, 'label-column': 'target' }, "Input 'label-column': containers/data/sample.csv has no column 'target' (its columns: churn, tenure_months,"],
    ['rows out of range', { ...BASE, rows: '0' }, "Input 'rows' must be a whole number from 1 to 1000, got '0'"],
    ['an unknown environment', { ...BASE, environment: 'qa' }, "Unknown environment 'qa'"],
    ['a bad region', { ...BASE, region: 'mars' }, "Input 'region' must be an AWS region like us-east-1, got 'mars'"],
  ])('refuses %s before any call', async (_what, inputs, message) => {
    await expect(run(inputs)).rejects.toThrow(message);
    expect(mock.calls()).toHaveLength(0);
  });

  it('refuses a sample file with a ragged row', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'smoke-')), 'rows.csv');
    writeFileSync(file, 'a,b\n1,2\n3\n');
    await expect(run({ ...BASE, 'sample-file': file, 'label-column': 'a' })).rejects.toThrow(`Input 'sample-file': ${file} line 3 has 1 values, the header 2`);
    expect(mock.calls()).toHaveLength(0);
  });
});
