import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeModelPackageCommand, ListModelPackagesCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { runGate } from '../../actions/gate-metrics/src/run.js';
import { actionContext, FailureWithSummary } from '../../actions/lib/action.js';
import { memoryLogger } from '../../actions/lib/log.js';
import { inputEnv } from '../deploy-stack/fixtures.js';
import { jsonBody, statistics } from '../helpers/s3-body.js';

const sm = mockClient(SageMakerClient);
const s3 = mockClient(S3Client);
const clients = { sagemaker: new SageMakerClient({ region: 'eu-west-1' }), s3: new S3Client({ region: 'eu-west-1' }) };
const ARN = (v: number) => `arn:aws:sagemaker:eu-west-1:111111111111:model-package/churn-model/${v}`;
const base = { 'environment': 'dev', 'environments-dir': 'test/fixtures/environments' };
const run = (inputs: Record<string, string>, extra: NodeJS.ProcessEnv = {}, fetchImpl?: typeof fetch) =>
  runGate(actionContext({ ...inputEnv(inputs), ...extra }, memoryLogger()), () => clients, fetchImpl);

function withMetrics(version: number, metrics: Record<string, number>) {
  const uri = `s3://artifacts/eval/${version}/evaluation.json`;
  sm.on(DescribeModelPackageCommand, { ModelPackageName: ARN(version) }).resolves({
    ModelPackageArn: ARN(version),
    ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: uri } } },
  });
  s3.on(GetObjectCommand, { Bucket: 'artifacts', Key: `eval/${version}/evaluation.json` }).resolves({ Body: jsonBody(statistics(metrics)) });
}

beforeEach(() => {
  sm.reset();
  s3.reset();
});

describe('gate-metrics', () => {
  it('compares the candidate with the champion pinned in the environment file', async () => {
    withMetrics(9, { auc: 0.86, f1: 0.61 });
    withMetrics(7, { auc: 0.855, f1: 0.6 });
    const result = await run({ ...base, 'model-package-arn': ARN(9) });
    expect(sm).toHaveReceivedCommandWith(DescribeModelPackageCommand, { ModelPackageName: ARN(7) });
    expect(sm).not.toHaveReceivedCommand(ListModelPackagesCommand);
    expect(result.outputs.passed).toBe(true);
    const report = JSON.parse(String(result.outputs.report));
    expect(report.champion).toEqual({ arn: ARN(7), how: 'pinned in test/fixtures/environments/dev.yaml', metrics: { auc: 0.855, f1: 0.6 } });
    expect(result.summary).toContain('## Model gate for dev: ✅ passed');
    expect(result.summary).toContain('| auc | 0.8600 | 0.8550 | 0.7500 | ✅ pass |');
  });

  it('fails on a regression, with the failing metrics in the error and the summary', async () => {
    withMetrics(9, { auc: 0.82 });
    withMetrics(7, { auc: 0.86 });
    let failure: FailureWithSummary | undefined;
    try {
      await run({ ...base, 'model-package-arn': ARN(9) });
    } catch (e) {
      failure = e as FailureWithSummary;
    }
    expect(failure?.message).toBe('The candidate fails the dev gate: auc worse than the champion by 0.04 (allowed 0.01)');
    expect(failure?.summary).toContain('❌ worse than the champion by 0.04 (allowed 0.01)');
    expect(failure?.outputs.passed).toBe(false);
    const soft = await run({ ...base, 'model-package-arn': ARN(9), 'fail-on-gate': 'false' });
    expect(soft.outputs.passed).toBe(false);
  });

  it('falls back to the latest Approved version, paging past empty pages', async () => {
    const env = join(mkdtempSync(join(tmpdir(), 'envs-')), 'prod.yaml');
    writeFileSync(env, 'account: "111111111111"\nregion: eu-west-1\nroleToAssume: arn:aws:iam::111111111111:role/d\ndeployment: {strategy: all-at-once}\nmodel: {packageGroup: churn-model, version: null}\n');
    sm.on(ListModelPackagesCommand).resolvesOnce({ ModelPackageSummaryList: [], NextToken: 'p2' }).resolves({ ModelPackageSummaryList: [{ ModelPackageArn: ARN(5) } as never] });
    withMetrics(9, { auc: 0.8 });
    withMetrics(5, { auc: 0.79 });
    const result = await run({ 'environments-dir': join(env, '..'), 'model-package-arn': ARN(9) });
    expect(sm).toHaveReceivedCommandTimes(ListModelPackagesCommand, 2);
    expect(sm.commandCalls(ListModelPackagesCommand)[1].args[0].input).toEqual({
      ModelPackageGroupName: 'churn-model', ModelApprovalStatus: 'Approved', SortBy: 'CreationTime', SortOrder: 'Descending', MaxResults: 1, NextToken: 'p2',
    });
    expect(JSON.parse(String(result.outputs.report)).champion.how).toBe('latest Approved');
  });

  it('gates a local metrics file on the thresholds only, and comments on the pull request', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gate-'));
    writeFileSync(join(dir, 'evaluation.json'), JSON.stringify(statistics({ auc: 0.9, f1: 0.7 })));
    writeFileSync(join(dir, 'event.json'), JSON.stringify({ pull_request: { number: 4 } }));
    const calls: string[] = [];
    const fakeFetch = (async (url: string, init: RequestInit) => {
      calls.push(`${init.method} ${url}`);
      return new Response(JSON.stringify(init.method === 'GET' ? [] : { id: 1 }), { status: 200 });
    }) as typeof fetch;
    const result = await run(
      { ...base, 'metrics-file': join(dir, 'evaluation.json'), 'champion': 'none', 'thresholds': 'auc=0.85,f1=0.65', 'github-token': 'tok' },
      { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: join(dir, 'event.json'), GITHUB_REPOSITORY: 'org/churn', GITHUB_API_URL: 'https://api.test' },
      fakeFetch,
    );
    expect(sm.calls()).toHaveLength(0);
    expect(result.outputs.passed).toBe(true);
    expect(calls).toEqual(['GET https://api.test/repos/org/churn/issues/4/comments?per_page=100&page=1', 'POST https://api.test/repos/org/churn/issues/4/comments']);
  });

  it('skips the champion when it is the candidate', async () => {
    withMetrics(7, { auc: 0.8 });
    const result = await run({ ...base, 'model-package-arn': ARN(7) });
    expect(JSON.parse(String(result.outputs.report)).champion).toBeUndefined();
  });

  it.each([
    [{ ...base }, "Give exactly one of the inputs 'model-package-arn' and 'metrics-file'"],
    [{ ...base, 'metrics-file': 'nope.json' }, "Input 'metrics-file': nope.json does not exist"],
    [{ ...base, 'model-package-arn': ARN(1), 'champion': 'best' }, "Input 'champion' must be auto, none or a versioned model package ARN, got 'best'"],
    [{ ...base, 'model-package-arn': ARN(1), 'max-regression': 'lots' }, "Input 'max-regression' must be a number from 0 to 1, got 'lots'"],
    [{ ...base, 'model-package-arn': ARN(1), 'thresholds': 'rmse=1' }, "Input 'thresholds': 'rmse' is not a metric"],
    [{ ...base, 'model-package-arn': ARN(1), 'environment': 'qa' }, "Unknown environment 'qa'"],
  ])('refuses bad input %#', async (inputs, message) => {
    await expect(run(inputs)).rejects.toThrow(message);
    expect(sm.calls()).toHaveLength(0);
    expect(s3.calls()).toHaveLength(0);
  });

  it('names a metrics object that is missing or not JSON', async () => {
    sm.on(DescribeModelPackageCommand).resolves({ ModelPackageArn: ARN(9), ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: 's3://artifacts/e.json' } } } });
    s3.on(GetObjectCommand).rejectsOnce(Object.assign(new Error('no key'), { name: 'NoSuchKey' })).resolves({ Body: jsonBody('{oops') });
    await expect(run({ ...base, 'model-package-arn': ARN(9), 'champion': 'none' })).rejects.toThrow(`the metrics of ${ARN(9)}: s3://artifacts/e.json does not exist`);
    await expect(run({ ...base, 'model-package-arn': ARN(9), 'champion': 'none' })).rejects.toThrow(`the metrics of ${ARN(9)}: s3://artifacts/e.json is not valid JSON`);
  });
});
