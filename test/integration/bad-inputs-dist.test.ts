// Bad inputs as a new user would give them, through every committed bundle as the runner runs it
// (INPUT_* variables, GITHUB_WORKSPACE): each fails with exit code 1, one `::error::` naming the
// input and what is allowed, and no request reaches AWS (a loopback endpoint counts them).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { churnPipeline } from '../../pipelines/churn.js';

const ARN = 'arn:aws:sagemaker:us-east-1:333333333333:model-package/churn-model/1';
const DEFINITION = 'build/test-bad-inputs/churn.json';
const REQUIRED = 'ExecutionRoleArn=arn:aws:iam::333333333333:role/sm\nProcessingImageUri=p:1\nMonitoringImageUri=m:1\nTrainingImageUri=t:1\nInferenceImageUri=i:1';

// Inputs that get each action to its first AWS call; a case replaces or adds one.
const BASE: Record<string, Record<string, string>> = {
  'approve-model': { 'model-package-arn': ARN, 'status': 'Approved' },
  'build-image': { context: 'containers/training', region: 'us-east-1' },
  'deploy-stack': { 'template': 'cloudformation/foundation.yaml', 'stack-name': 'app', 'region': 'us-east-1' },
  'environment': { name: 'dev' },
  'gate-metrics': { 'model-package-arn': ARN, 'champion': 'none' },
  'promote': { 'model-package-arn': ARN, 'github-token': 'token' },
  'register-model': { 'model-package-group': 'churn-model', 'model-data-url': 's3://artifacts/model.tar.gz', 'image-uri': '333333333333.dkr.ecr.us-east-1.amazonaws.com/i:1', 'region': 'us-east-1' },
  'run-pipeline': { 'definition': DEFINITION, 'pipeline-name': 'churn', 'role-arn': 'arn:aws:iam::333333333333:role/sm', 'region': 'us-east-1', 'parameters': REQUIRED },
  'smoke-test': { 'endpoint-name': 'churn-dev', 'region': 'us-east-1' },
};

const CASES: [string, Record<string, string>, string][] = [
  ['approve-model', { 'model-package-arn': 'arn:aws:sagemaker:us-east-1:333333333333:model-package/churn-model' }, "Input 'model-package-arn' must be a versioned model package ARN"],
  ['approve-model', { status: 'Pending' }, "Input 'status' must be one of Approved, Rejected, got 'Pending'"],
  ['approve-model', { 'approved-by': 'two words' }, "Input 'approved-by' must be a GitHub login, got 'two words'"],
  ['approve-model', { reason: 'r'.repeat(601) }, "Input 'reason' must be at most 600 characters"],
  ['approve-model', { reason: 'ok\u001b[31m' }, "Input 'reason' must be one line without control characters"],
  ['approve-model', { 'run-url': 'javascript:alert(1)' }, "Input 'run-url' must be an http(s) URL"],
  ['approve-model', { environment: 'qa' }, "Unknown environment 'qa': environments/qa.yaml does not exist"],
  ['approve-model', { 'environments-dir': '/etc' }, "Input 'environments-dir' must be a path inside the workspace"],
  ['build-image', { context: 'containers/nope' }, "Input 'context': containers/nope has no Dockerfile"],
  ['build-image', { context: '..' }, "Input 'context' must be a path inside the workspace"],
  ['build-image', { repository: 'Bad Repo' }, "Input 'repository' must be an ECR repository name"],
  ['build-image', { 'repository-prefix': 'Team/' }, "Input 'repository-prefix' must be the start of an ECR repository name"],
  ['build-image', { platform: 'windows/amd64' }, "Input 'platform' must be linux/amd64 or linux/arm64"],
  ['build-image', { 'git-commit': 'main' }, "Input 'git-commit' must be a commit SHA, got 'main'"],
  ['build-image', { region: 'mars-north-1x' }, "Input 'region' must be an AWS region like us-east-1"],
  ['build-image', { 'timeout-minutes': '0' }, "Input 'timeout-minutes' must be a whole number from 1 to 180, got '0'"],
  ['deploy-stack', { template: 'cloudformation/nope.yaml' }, "Input 'template': file 'cloudformation/nope.yaml' does not exist"],
  ['deploy-stack', { template: '/etc/hostname' }, "Input 'template' must be a path inside the workspace"],
  ['deploy-stack', { template: '../outside.yaml' }, "Input 'template' must be a path inside the workspace"],
  ['deploy-stack', { 'stack-name': '1app' }, "Input 'stack-name' must be a stack name"],
  ['deploy-stack', { 'stack-name': 'app\nnext' }, "Input 'stack-name' must be one line without control characters"],
  ['deploy-stack', { mode: 'apply' }, "Input 'mode' must be one of deploy, plan, got 'apply'"],
  ['deploy-stack', { capabilities: 'CAPABILITY_ALL' }, "Input 'capabilities' has 'CAPABILITY_ALL'; allowed"],
  ['deploy-stack', { 'parameter-overrides': 'ProjectName=x,Broken' }, "Input 'parameter-overrides': 'Broken' is not Key=Value"],
  ['deploy-stack', { 'parameter-overrides': 'file:///etc/hosts.json' }, "Input 'parameter-overrides': file must be a path inside the workspace"],
  ['deploy-stack', { 'timeout-minutes': '5m' }, "Input 'timeout-minutes' must be a whole number from 1 to 360, got '5m'"],
  ['deploy-stack', { 'fail-on-empty-changeset': 'yes' }, "Input 'fail-on-empty-changeset' must be true or false, got 'yes'"],
  ['deploy-stack', { 'template-bucket': 'Bad_Bucket' }, "Input 'template-bucket' must be an S3 bucket name"],
  ['environment', { name: 'Prod' }, "Input 'name' must be an environment name"],
  ['environment', { name: 'qa' }, "Unknown environment 'qa'"],
  ['gate-metrics', { 'max-regression': '0x1' }, "Input 'max-regression' must be a number from 0 to 1, got '0x1'"],
  ['gate-metrics', { champion: 'latest' }, "Input 'champion' must be auto, none or a versioned model package ARN, got 'latest'"],
  ['gate-metrics', { 'metrics-file': '/etc/passwd', 'model-package-arn': '' }, "Input 'metrics-file' must be a path inside the workspace"],
  ['gate-metrics', { 'fail-on-gate': 'maybe' }, "Input 'fail-on-gate' must be true or false, got 'maybe'"],
  ['promote', { base: '../main' }, "Input 'base' must be a branch name, got '../main'"],
  ['promote', { 'model-package-arn': 'churn-model/1' }, "Input 'model-package-arn' must be a versioned model package ARN"],
  ['register-model', { 'model-data-url': 's3://artifacts/model.zip' }, "Input 'model-data-url' must be the S3 URI of a model.tar.gz, got 's3://artifacts/model.zip'"],
  ['register-model', { 'model-package-group': 'bad_group' }, "Input 'model-package-group' must be a model package group name"],
  ['register-model', { 'approval-status': 'Maybe' }, "Input 'approval-status' must be one of PendingManualApproval, Approved, Rejected, got 'Maybe'"],
  ['register-model', { 'image-uri': 'not an image' }, "Input 'image-uri' must be a container image URI with a tag or digest"],
  ['register-model', { description: 'd'.repeat(1025) }, "Input 'description' must be at most 1024 characters (SageMaker's limit for ModelPackageDescription), got 1025"],
  ['register-model', { 'model-data-url': 's3://b/model.tar.gz' }, "Input 'model-data-url' must be the S3 URI of a model.tar.gz, got 's3://b/model.tar.gz'"],
  ['register-model', { 'git-commit': 'has?question' }, "Input 'git-commit' must be 1-256 letters, digits, spaces or _.:/=+-@ (SageMaker metadata)"],
  ['run-pipeline', { 'pipeline-name': 'bad_name' }, "Input 'pipeline-name' must be a pipeline name"],
  ['run-pipeline', { 'role-arn': 'role' }, "Input 'role-arn' must be an IAM role ARN"],
  ['run-pipeline', { definition: 'build/none.json' }, "Input 'definition': build/none.json does not exist"],
  ['run-pipeline', { parameters: `${REQUIRED}\nAucThreshold=high` }, "AucThreshold (Float) must be a number, got 'high'"],
  ['run-pipeline', { parameters: `${REQUIRED}\nAucThreshold=` }, 'AucThreshold (Float) must be a number'],
  ['run-pipeline', { wait: 'sometimes' }, "Input 'wait' must be true or false, got 'sometimes'"],
  ['smoke-test', { 'endpoint-name': 'bad_name' }, "Input 'endpoint-name' must be a SageMaker endpoint name"],
  ['smoke-test', { rows: '0' }, "Input 'rows' must be a whole number from 1 to 1000, got '0'"],
  ['smoke-test', { 'sample-file': 'nope.csv' }, "Input 'sample-file': nope.csv does not exist"],
  ['smoke-test', { 'sample-file': '/etc/passwd' }, "Input 'sample-file' must be a path inside the workspace"],
];

let server: Server;
let requests = 0;
let endpoint = '';

beforeAll(async () => {
  mkdirSync('build/test-bad-inputs', { recursive: true });
  writeFileSync(DEFINITION, JSON.stringify(churnPipeline()));
  server = createServer((req, res) => {
    requests++;
    req.resume();
    res.writeHead(500).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function runBundle(action: string, inputs: Record<string, string>): Promise<{ code: number | null; stdout: string }> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GITHUB_WORKSPACE: process.cwd(),
    GITHUB_REPOSITORY: 'org/churn',
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'AKIDTEST',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_MAX_ATTEMPTS: '1',
  };
  for (const [k, v] of Object.entries({ ...BASE[action], ...inputs })) if (v !== '') env[`INPUT_${k.toUpperCase()}`] = v;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join('actions', action, 'dist', 'index.js')], { env });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout }));
  });
}

describe(`${CASES.length} bad inputs through the bundles`, () => {
  it.each(CASES)('%s: %j', async (action, inputs, message) => {
    const before = requests;
    const run = await runBundle(action, inputs);
    const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error::'));
    expect(run.code).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(message.replace(/\n/g, '%0A'));
    expect(requests - before).toBe(0);
  });
});
