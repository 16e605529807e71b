import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreatePipelineCommand,
  DescribeModelPackageCommand,
  DescribePipelineCommand,
  DescribePipelineExecutionCommand,
  ListPipelineExecutionStepsCommand,
  SageMakerClient,
  StartPipelineExecutionCommand,
  StopPipelineExecutionCommand,
  UpdatePipelineCommand,
  type PipelineExecutionStep,
} from '@aws-sdk/client-sagemaker';
import { jest } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { actionContext, FailureWithSummary } from '../../actions/lib/action.js';
import { memoryLogger } from '../../actions/lib/log.js';
import { runPipeline } from '../../actions/run-pipeline/src/run.js';
import { churnPipeline } from '../../pipelines/churn.js';
import { inputEnv } from '../deploy-stack/fixtures.js';
import { jsonBody, statistics } from '../helpers/s3-body.js';
import { settle } from '../helpers/timers.js';

const sm = mockClient(SageMakerClient);
const s3 = mockClient(S3Client);
const clients = { sagemaker: new SageMakerClient({ region: 'eu-west-1' }), s3: new S3Client({ region: 'eu-west-1' }) };
const dir = mkdtempSync(join(tmpdir(), 'pipeline-'));
const DEFINITION = join(dir, 'churn.json');
writeFileSync(DEFINITION, JSON.stringify(churnPipeline()));
const EXEC = 'arn:aws:sagemaker:eu-west-1:111111111111:pipeline/churn/execution/abc123';
const PKG = 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/churn-model/3';
const REQUIRED = 'ExecutionRoleArn=arn:aws:iam::111111111111:role/sm\nProcessingImageUri=i/p:1\nMonitoringImageUri=i/m:1\nTrainingImageUri=i/t:1\nInferenceImageUri=i/i:1';
const base = { 'definition': DEFINITION, 'pipeline-name': 'churn', 'role-arn': 'arn:aws:iam::111111111111:role/sm', 'parameters': `${REQUIRED}\nAucThreshold=0.8` };
const RUN = { AWS_REGION: 'eu-west-1', GITHUB_RUN_ID: '41', GITHUB_RUN_ATTEMPT: '1', GITHUB_SHA: 'abc' };
let logger: ReturnType<typeof memoryLogger>;
const run = (inputs: Record<string, string> = base) => settle(runPipeline(actionContext({ ...inputEnv(inputs), ...RUN }, logger), () => clients));

const t = (s: number) => new Date(Date.UTC(2026, 10, 22, 10, 0, s));
const step = (name: string, status: string, extra: Partial<PipelineExecutionStep> = {}): PipelineExecutionStep =>
  ({ StepName: name, StepStatus: status as 'Succeeded', StartTime: t(0), ...extra });

beforeEach(() => {
  jest.useFakeTimers({ now: t(0) });
  sm.reset();
  s3.reset();
  logger = memoryLogger();
  sm.on(DescribePipelineCommand).resolves({ PipelineArn: 'arn:pipeline' });
  sm.on(UpdatePipelineCommand).resolves({});
  sm.on(StartPipelineExecutionCommand).resolves({ PipelineExecutionArn: EXEC });
});
afterEach(() => jest.useRealTimers());

describe('run-pipeline', () => {
  it('updates the pipeline, starts an execution, logs step transitions and outputs the registered model', async () => {
    sm.on(DescribePipelineExecutionCommand)
      .resolvesOnce({ PipelineExecutionStatus: 'Executing' })
      .resolves({ PipelineExecutionStatus: 'Succeeded' });
    sm.on(ListPipelineExecutionStepsCommand)
      .resolvesOnce({ PipelineExecutionSteps: [step('Preprocess', 'Executing')] })
      .resolves({
        PipelineExecutionSteps: [
          step('Preprocess', 'Succeeded', { EndTime: t(40), Metadata: { ProcessingJob: { Arn: 'arn:pj/pre' } } }),
          step('Train', 'Succeeded', { EndTime: t(50), Metadata: { TrainingJob: { Arn: 'arn:tj/train' } } }),
          step('CheckAuc', 'Succeeded', { Metadata: { Condition: { Outcome: 'True' } } }),
          step('RegisterModel', 'Succeeded', { Metadata: { RegisterModel: { Arn: PKG } } }),
        ],
      });
    sm.on(DescribeModelPackageCommand).resolves({ ModelPackageArn: PKG, ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: 's3://artifacts/e.json' } } } });
    s3.on(GetObjectCommand).resolves({ Body: jsonBody(statistics({ auc: 0.86 })) });

    const result = await run();

    expect(sm).toHaveReceivedCommandWith(UpdatePipelineCommand, { PipelineName: 'churn', RoleArn: base['role-arn'], PipelineDefinition: JSON.stringify(churnPipeline()) });
    expect(sm).not.toHaveReceivedCommand(CreatePipelineCommand);
    const start = sm.commandCalls(StartPipelineExecutionCommand)[0].args[0].input;
    expect(start).toMatchObject({ PipelineName: 'churn', PipelineExecutionDisplayName: 'run-41-1', PipelineExecutionDescription: 'commit abc' });
    expect(start.PipelineParameters).toContainEqual({ Name: 'AucThreshold', Value: '0.8' });
    expect(start.ClientRequestToken).toMatch(/^gitops-[0-9a-f]{40}$/);
    expect(logger.lines).toEqual(expect.arrayContaining([
      'Preprocess: Executing',
      'Preprocess: Succeeded after 40s [arn:pj/pre]',
      'Train: Succeeded after 50s [arn:tj/train]',
      'CheckAuc: Succeeded (outcome True)',
      `RegisterModel: Succeeded [${PKG}]`,
    ]));
    expect(result.outputs).toEqual({ 'execution-arn': EXEC, 'status': 'Succeeded', 'model-package-arn': PKG, 'metrics': '{"auc":0.86}' });
    expect(result.summary).toContain('| Train | Succeeded | 50s | arn:tj/train |   |');
    expect(result.summary).toContain('  Preprocess --> Train');
    expect(result.summary).toContain('  CheckAuc --> RegisterModel');
    expect(result.summary).toContain('  class Train succeeded');
    expect(result.summary).toContain('  class AucTooLow pending');
  });

  it('creates a missing pipeline, and gives the same token on a retry of the same run', async () => {
    sm.on(DescribePipelineCommand).rejects(Object.assign(new Error('Pipeline churn does not exist'), { name: 'ResourceNotFound' }));
    sm.on(CreatePipelineCommand).resolves({ PipelineArn: 'arn:p' });
    await run({ ...base, wait: 'false' });
    await run({ ...base, wait: 'false' });
    expect(sm).toHaveReceivedCommandWith(CreatePipelineCommand, { PipelineName: 'churn', RoleArn: base['role-arn'] });
    const tokens = sm.commandCalls(StartPipelineExecutionCommand).map((c) => c.args[0].input.ClientRequestToken);
    expect(tokens[0]).toBe(tokens[1]);
    expect(sm).not.toHaveReceivedCommand(DescribePipelineExecutionCommand);
  });

  it('fails naming the failing step, its reason and its job', async () => {
    sm.on(DescribePipelineExecutionCommand).resolves({ PipelineExecutionStatus: 'Failed', FailureReason: 'Step failure: One or multiple steps failed.' });
    sm.on(ListPipelineExecutionStepsCommand).resolves({
      PipelineExecutionSteps: [step('Preprocess', 'Succeeded'), step('Train', 'Failed', { FailureReason: 'ClientError: hyperparameter bad', Metadata: { TrainingJob: { Arn: 'arn:tj/t' } } })],
    });
    let failure: FailureWithSummary | undefined;
    try {
      await run();
    } catch (e) {
      failure = e as FailureWithSummary;
    }
    expect(failure?.message).toBe(`Pipeline execution ${EXEC} Failed: step Train failed: ClientError: hyperparameter bad (arn:tj/t)`);
    expect(failure?.summary).toContain('  class Train failed');
    expect(failure?.outputs).toMatchObject({ 'status': 'Failed', 'model-package-arn': '' });
  });

  it('stops the execution it started when the deadline passes', async () => {
    sm.on(DescribePipelineExecutionCommand).resolves({ PipelineExecutionStatus: 'Executing' });
    sm.on(ListPipelineExecutionStepsCommand).resolves({ PipelineExecutionSteps: [step('Train', 'Executing')] });
    sm.on(StopPipelineExecutionCommand).resolves({ PipelineExecutionArn: EXEC });
    await expect(run({ ...base, 'timeout-minutes': '1' })).rejects.toThrow(`Timed out after 60s waiting for pipeline execution abc123; stopped the execution ${EXEC}`);
    expect(sm).toHaveReceivedCommandWith(StopPipelineExecutionCommand, { PipelineExecutionArn: EXEC });
  });

  it.each([
    [{ ...base, definition: join(dir, 'none.json') }, `Input 'definition': ${join(dir, 'none.json')} does not exist`],
    [{ ...base, parameters: 'AucThreshold=0.8' }, "Input 'parameters':\n  ExecutionRoleArn has no default and must be given"],
    [{ ...base, parameters: `${REQUIRED}\nAucTreshold=0.8` }, 'AucTreshold is not a parameter of the pipeline'],
    [{ ...base, parameters: `${REQUIRED}\nMaxIterations=many` }, "MaxIterations (Integer) must be a whole number, got 'many'"],
    [{ ...base, parameters: `${REQUIRED}\nAucThreshold=high` }, "AucThreshold (Float) must be a number, got 'high'"],
    [{ ...base, parameters: `${REQUIRED}\nModelApprovalStatus=Yes` }, "ModelApprovalStatus (String) must be one of PendingManualApproval, Approved, Rejected, got 'Yes'"],
    [{ ...base, 'pipeline-name': 'bad_name' }, "Input 'pipeline-name' must be a pipeline name"],
    [{ ...base, 'role-arn': 'role' }, "Input 'role-arn' must be an IAM role ARN"],
    [{ ...base, description: 'd'.repeat(3073) }, "Input 'description' must be at most 3072 characters (SageMaker's limit for PipelineDescription), got 3073"],
  ])('refuses bad input %#', async (inputs, message) => {
    await expect(run(inputs)).rejects.toThrow(message);
    expect(sm.calls()).toHaveLength(0);
  });

  it('refuses a definition that is not JSON, not a pipeline, or not sound', async () => {
    const write = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    await expect(run({ ...base, definition: write('a.json', '{') })).rejects.toThrow('is not valid JSON');
    await expect(run({ ...base, definition: write('b.json', '{}') })).rejects.toThrow('is not a pipeline definition (it needs Parameters and Steps)');
    const broken = churnPipeline();
    broken.Steps = broken.Steps.filter((s) => s.Name !== 'Preprocess');
    await expect(run({ ...base, definition: write('c.json', JSON.stringify(broken)) })).rejects.toThrow('names unknown step Preprocess');
    expect(sm.calls()).toHaveLength(0);
  });
});
