// promote: the pins committed to the version's branch (only model.version changes), one pull
// request opened and then updated on re-runs, its body with the gate and the lineage; bad inputs
// refused before any call.
import { readFileSync } from 'node:fs';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeModelPackageCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { FakeGitHub } from './fake-github.js';
import { actionContext } from '../../actions/lib/action.js';
import { memoryLogger } from '../../actions/lib/log.js';
import { runPromote } from '../../actions/promote/src/run.js';
import { inputEnv } from '../deploy-stack/fixtures.js';
import { jsonBody, statistics } from '../helpers/s3-body.js';

const sagemaker = mockClient(SageMakerClient);
const s3 = mockClient(S3Client);
const clients = { sagemaker: new SageMakerClient({ region: 'us-east-1' }), s3: new S3Client({ region: 'us-east-1' }) };
const ARN = 'arn:aws:sagemaker:us-east-1:333333333333:model-package/churn-model/7';
const FILES = Object.fromEntries(['dev', 'staging', 'prod'].map((e) => [`environments/${e}.yaml`, readFileSync(`environments/${e}.yaml`, 'utf8')]));
const REPORT = { passed: true, rows: [{ metric: 'auc', challenger: 0.83, champion: 0.81, threshold: 0.75, passed: true, reason: 'ok' }] };
const BASE = { 'model-package-arn': ARN, 'gate-report': JSON.stringify(REPORT), 'github-token': 'ghs_token' };
const CONTEXT = { GITHUB_REPOSITORY: 'org/repo', GITHUB_API_URL: 'http://github.local' };

let github: FakeGitHub;
const run = (inputs: Record<string, string> = BASE) =>
  runPromote(actionContext({ ...inputEnv(inputs), ...CONTEXT }, memoryLogger()), () => clients, github.fetch);

beforeEach(() => {
  github = new FakeGitHub(FILES);
  sagemaker.reset();
  s3.reset();
  sagemaker.on(DescribeModelPackageCommand).resolves({
    ModelPackageArn: ARN,
    CreationTime: new Date('2026-11-30T12:00:00Z'),
    CustomerMetadataProperties: { git_commit: 'c0ffee1', repository: 'org/repo', run_url: 'https://github.com/org/repo/actions/runs/9', data_version: 'v3', pipeline_execution: 'arn:aws:sagemaker:us-east-1:333333333333:pipeline/churn/execution/abc' },
    ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: 's3://artifacts/eval/evaluation.json' } } },
  });
  s3.on(GetObjectCommand).resolves({ Body: jsonBody(statistics({ auc: 0.83, f1: 0.65 })) });
});

describe('promote', () => {
  it('pins the version on the version\'s branch, changing only that line, and opens the pull request', async () => {
    const result = await run();
    expect(github.calls).toEqual([
      'GET /git/ref/heads/main',
      'GET /git/ref/heads/promote/churn-model-v7',
      'POST /git/refs',
      'GET /contents/environments/dev.yaml', 'PUT /contents/environments/dev.yaml',
      'GET /contents/environments/staging.yaml', 'PUT /contents/environments/staging.yaml',
      'GET /contents/environments/prod.yaml', 'PUT /contents/environments/prod.yaml',
      'GET /pulls',
      'POST /pulls',
    ]);
    const branch = github.branches.get('promote/churn-model-v7')!;
    for (const [path, before] of Object.entries(FILES)) {
      const after = branch.get(path)!;
      expect(after).toBe(before.replace(/^  version: null$/m, '  version: 7'));
      expect(after).not.toBe(before);
    }
    expect(github.branches.get('main')!.get('environments/prod.yaml')).toBe(FILES['environments/prod.yaml']);
    const pr = github.pulls[0];
    expect(pr).toMatchObject({ title: 'Promote churn-model v7 to dev, staging, prod', head: { ref: 'promote/churn-model-v7' }, base: { ref: 'main' } });
    expect(pr.body).toContain('## Promote churn-model v7 to dev, staging, prod');
    expect(pr.body).toContain('### Challenger vs champion (✅ passed)');
    expect(pr.body).toContain('| auc | 0.8300 | 0.8100 | 0.7500 | ✅ pass |');
    expect(pr.body).toContain('| **Commit** | c0ffee1 |');
    expect(pr.body).toContain('| **Pipeline execution** | arn:aws:sagemaker:us-east-1:333333333333:pipeline/churn/execution/abc |');
    expect(pr.body).toContain('| **Data version** | v3 |');
    expect(pr.body).toContain('| f1 | 0.6500 | 0.0100 |');
    expect(result.outputs).toEqual({ 'pull-request-number': 1, 'pull-request-url': 'https://github.local/org/repo/pull/1', 'branch': 'promote/churn-model-v7', 'created': true });
    expect(sagemaker).toHaveReceivedCommandWith(DescribeModelPackageCommand, { ModelPackageName: ARN });
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: 'artifacts', Key: 'eval/evaluation.json' });
  });

  it('updates the same pull request on a re-run and commits nothing it already pinned', async () => {
    await run();
    github.calls.length = 0;
    const again = await run({ ...BASE, 'gate-report': JSON.stringify({ ...REPORT, passed: false }) });
    expect(github.calls.filter((c) => !c.startsWith('GET'))).toEqual(['PATCH /pulls/1']);
    expect(github.pulls).toHaveLength(1);
    expect(github.pulls[0].body).toContain('### Challenger vs champion (❌ failed)');
    expect(again.outputs).toMatchObject({ 'pull-request-number': 1, 'created': false });
    expect(again.summary).toContain('| **Pins changed** | none (already pinned) |');
  });

  it.each([
    ['an unversioned ARN', { ...BASE, 'model-package-arn': 'arn:aws:sagemaker:us-east-1:333333333333:model-package/churn-model' }, "Input 'model-package-arn' must be a versioned model package ARN"],
    ['a group the environments do not deploy', { ...BASE, 'model-package-arn': 'arn:aws:sagemaker:us-east-1:333333333333:model-package/fraud/2' }, "Input 'model-package-arn' is in group fraud, but environments/dev.yaml deploys churn-model"],
    ['an unknown environment', { ...BASE, environments: 'dev,qa' }, "Unknown environment 'qa'"],
    ['a gate report that is not JSON', { ...BASE, 'gate-report': 'passed' }, "Input 'gate-report' must be the JSON of gate-metrics' report output, and is not JSON"],
    ['a gate report of another shape', { ...BASE, 'gate-report': '{"ok":true}' }, "Input 'gate-report' must be gate-metrics' report output (with passed and rows)"],
    ['no token', { 'model-package-arn': ARN }, "Input 'github-token' is required (a token with contents and pull-requests write)"],
    ['a base that is no branch name', { ...BASE, base: '../main' }, "Input 'base' must be a branch name, got '../main'"],
  ])('refuses %s before any call', async (_what, inputs, message) => {
    await expect(run(inputs)).rejects.toThrow(message);
    expect(github.calls).toEqual([]);
    expect(sagemaker.calls()).toHaveLength(0);
  });

  it('says exactly what it left when the pull request cannot be opened after the pins are pushed', async () => {
    const inner = github.fetch;
    const refusing = (async (url: string, init: RequestInit = {}) => {
      if (String(url).endsWith('/pulls') && init.method === 'POST') {
        return new Response(JSON.stringify({ message: 'Resource not accessible by integration' }), { status: 403 });
      }
      return inner(url, init);
    }) as typeof fetch;
    await expect(runPromote(actionContext({ ...inputEnv(BASE), ...CONTEXT }, memoryLogger()), () => clients, refusing)).rejects.toThrow(
      'Left behind: branch promote/churn-model-v7, which pins churn-model v7 for dev, staging, prod; re-run to open the pull request, or delete the branch',
    );
    expect(github.branches.get('promote/churn-model-v7')!.get('environments/dev.yaml')).toContain('  version: 7');
    expect(github.pulls).toHaveLength(0);
  });

  it('says which base branch is missing', async () => {
    await expect(run({ ...BASE, base: 'release' })).rejects.toThrow("Input 'base': the repository has no branch release");
    expect(github.calls.filter((c) => !c.startsWith('GET'))).toEqual([]);
  });
});
