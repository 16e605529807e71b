// The model-build pipeline: Preprocess -> (Baseline, Train) -> Evaluate -> CheckAuc ->
// RegisterModel or AucTooLow. `npx projen synth:pipeline` writes it as SageMaker's JSON.
import {
  execution,
  join,
  jsonGet,
  parameter,
  processingOutput,
  property,
  type ConditionStep,
  type FailStep,
  type PipelineDefinition,
  type ProcessingStep,
  type RegisterModelStep,
  type RetryPolicy,
  type TrainingStep,
} from '../core/pipeline/builders.js';

const PROCESSING_DIR = '/opt/ml/processing';
const CONTENT_TYPES = ['text/csv', 'application/json'];

// SageMaker's service faults and throttling retry fast; capacity shortages wait longer.
const RETRIES: RetryPolicy[] = [
  { ExceptionType: ['Step.SERVICE_FAULT', 'Step.THROTTLING'], IntervalSeconds: 10, BackoffRate: 2, MaxAttempts: 5 },
  { ExceptionType: ['SageMaker.CAPACITY_ERROR', 'SageMaker.RESOURCE_LIMIT', 'SageMaker.JOB_INTERNAL_ERROR'], IntervalSeconds: 60, BackoffRate: 2, MaxAttempts: 4 },
];

export const parameters = {
  inputData: parameter('InputDataUri', 'String', { default: 's3://sagemaker-gitops-artifacts/data/churn/' }),
  datasetVersion: parameter('DatasetVersion', 'String', { default: 'v1' }),
  artifacts: parameter('ArtifactsUri', 'String', { default: 's3://sagemaker-gitops-artifacts/pipelines/churn' }),
  role: parameter('ExecutionRoleArn', 'String'),
  processingImage: parameter('ProcessingImageUri', 'String'),
  monitoringImage: parameter('MonitoringImageUri', 'String'),
  trainingImage: parameter('TrainingImageUri', 'String'),
  inferenceImage: parameter('InferenceImageUri', 'String'),
  processingInstance: parameter('ProcessingInstanceType', 'String', { default: 'ml.m5.large' }),
  trainingInstance: parameter('TrainingInstanceType', 'String', { default: 'ml.m5.large' }),
  maxIter: parameter('MaxIterations', 'Integer', { default: 400 }),
  learningRate: parameter('LearningRate', 'Float', { default: 0.08 }),
  aucThreshold: parameter('AucThreshold', 'Float', { default: 0.75 }),
  packageGroup: parameter('ModelPackageGroupName', 'String', { default: 'churn-model' }),
  approval: parameter('ModelApprovalStatus', 'String', { default: 'PendingManualApproval', enum: ['PendingManualApproval', 'Approved', 'Rejected'] }),
  gitCommit: parameter('GitCommit', 'String', { default: 'unknown' }),
  repository: parameter('Repository', 'String', { default: 'unknown' }),
  runUrl: parameter('RunUrl', 'String', { default: 'unknown' }),
};
const p = Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, v.ref])) as { [K in keyof typeof parameters]: (typeof parameters)[K]['ref'] };

/** Outputs of one execution live under ArtifactsUri/<execution id>/<step>/<output>. */
const perExecution = (...parts: string[]) => join('/', p.artifacts, execution('PipelineExecutionId'), ...parts);

function processing(
  name: string,
  module: string,
  inputs: { name: string; uri: ReturnType<typeof join> | ReturnType<typeof property> | typeof p.inputData; dir: string }[],
  outputs: { name: string; uri: ReturnType<typeof join> }[],
  image: typeof p.processingImage = p.processingImage,
): ProcessingStep {
  return {
    Name: name,
    Type: 'Processing',
    Arguments: {
      RoleArn: p.role,
      AppSpecification: { ImageUri: image, ContainerEntrypoint: ['python3', '-m', module] },
      ProcessingResources: { ClusterConfig: { InstanceType: p.processingInstance, InstanceCount: 1, VolumeSizeInGB: 30 } },
      StoppingCondition: { MaxRuntimeInSeconds: 3600 },
      ProcessingInputs: inputs.map((i) => ({
        InputName: i.name,
        S3Input: { S3Uri: i.uri, LocalPath: `${PROCESSING_DIR}/${i.dir}`, S3DataType: 'S3Prefix', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated' },
      })),
      ProcessingOutputConfig: {
        Outputs: outputs.map((o) => ({ OutputName: o.name, S3Output: { S3Uri: o.uri, LocalPath: `${PROCESSING_DIR}/${o.name}`, S3UploadMode: 'EndOfJob' } })),
      },
    },
    RetryPolicies: RETRIES,
  };
}

export function churnPipeline(): PipelineDefinition {
  // Cached: the same data version gives the same splits, so its outputs are keyed by the version,
  // not by the execution (an execution-specific path would make every run a cache miss).
  const preprocess = processing(
    'Preprocess',
    'processing.preprocess',
    [{ name: 'raw', uri: p.inputData, dir: 'input/raw' }],
    ['train', 'validation', 'test', 'encoding', 'baseline'].map((name) => ({
      name,
      uri: join('/', p.artifacts, 'preprocess', p.datasetVersion, name),
    })),
  );
  preprocess.CacheConfig = { Enabled: true, ExpireAfter: 'P30D' };

  // The data baseline runs on the drift analyzer's image, so both write statistics with one module.
  const baseline = processing(
    'Baseline',
    'monitoring.baseline',
    [{ name: 'baseline', uri: processingOutput(preprocess, 'baseline'), dir: 'baseline' }],
    [{ name: 'statistics', uri: perExecution('baseline', 'statistics') }],
    p.monitoringImage,
  );

  const channel = (name: string) => ({
    ChannelName: name,
    ContentType: name === 'encoding' ? 'application/json' : 'text/csv',
    DataSource: { S3DataSource: { S3DataType: 'S3Prefix' as const, S3Uri: processingOutput(preprocess, name), S3DataDistributionType: 'FullyReplicated' as const } },
  });
  const train: TrainingStep = {
    Name: 'Train',
    Type: 'Training',
    Arguments: {
      RoleArn: p.role,
      AlgorithmSpecification: {
        TrainingImage: p.trainingImage,
        TrainingInputMode: 'File',
        MetricDefinitions: [{ Name: 'validation:auc', Regex: 'validation:auc=([0-9.]+)' }],
      },
      HyperParameters: { max_iter: join('', p.maxIter), learning_rate: join('', p.learningRate) },
      InputDataConfig: ['train', 'validation', 'encoding'].map(channel),
      OutputDataConfig: { S3OutputPath: perExecution('train') },
      ResourceConfig: { InstanceType: p.trainingInstance, InstanceCount: 1, VolumeSizeInGB: 30 },
      StoppingCondition: { MaxRuntimeInSeconds: 3600 },
    },
    RetryPolicies: RETRIES,
  };
  const modelData = property(train, 'ModelArtifacts.S3ModelArtifacts');

  const evaluate = processing(
    'Evaluate',
    'processing.evaluate',
    [
      { name: 'model', uri: modelData, dir: 'model' },
      { name: 'test', uri: processingOutput(preprocess, 'test'), dir: 'test' },
    ],
    [{ name: 'evaluation', uri: perExecution('evaluate', 'evaluation') }],
  );
  evaluate.PropertyFiles = [{ PropertyFileName: 'EvaluationReport', OutputName: 'evaluation', FilePath: 'evaluation.json' }];
  const auc = jsonGet(evaluate, 'EvaluationReport', 'binary_classification_metrics.auc.value');

  const statistics = processingOutput(baseline, 'statistics');
  const register: RegisterModelStep = {
    Name: 'RegisterModel',
    Type: 'RegisterModel',
    Arguments: {
      ModelPackageGroupName: p.packageGroup,
      ModelPackageDescription: join(' ', 'Churn model from commit', p.gitCommit),
      ModelApprovalStatus: p.approval,
      InferenceSpecification: {
        Containers: [{ Image: p.inferenceImage, ModelDataUrl: modelData }],
        SupportedContentTypes: CONTENT_TYPES,
        SupportedResponseMIMETypes: CONTENT_TYPES,
        SupportedRealtimeInferenceInstanceTypes: ['ml.t2.medium', 'ml.m5.large', 'ml.m5.xlarge', 'ml.c5.large'],
        SupportedTransformInstanceTypes: ['ml.m5.large', 'ml.m5.xlarge'],
      },
      ModelMetrics: {
        ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: join('/', processingOutput(evaluate, 'evaluation'), 'evaluation.json') } },
        ModelDataQuality: {
          Statistics: { ContentType: 'application/json', S3Uri: join('/', statistics, 'statistics.json') },
          Constraints: { ContentType: 'application/json', S3Uri: join('/', statistics, 'constraints.json') },
        },
      },
      DriftCheckBaselines: {
        ModelDataQuality: {
          Statistics: { ContentType: 'application/json', S3Uri: join('/', statistics, 'statistics.json') },
          Constraints: { ContentType: 'application/json', S3Uri: join('/', statistics, 'constraints.json') },
        },
      },
      // The lineage a promotion pull request shows: what built the model, from which data.
      CustomerMetadataProperties: {
        git_commit: p.gitCommit,
        repository: p.repository,
        run_url: p.runUrl,
        data_version: p.datasetVersion,
        pipeline_execution: execution('PipelineExecutionArn'),
      },
    },
    RetryPolicies: [RETRIES[0]],
  };

  const fail: FailStep = {
    Name: 'AucTooLow',
    Type: 'Fail',
    Arguments: { ErrorMessage: join('', 'Evaluation AUC ', auc, ' is below the threshold AucThreshold=', p.aucThreshold) },
  };

  const check: ConditionStep = {
    Name: 'CheckAuc',
    Type: 'Condition',
    Arguments: {
      Conditions: [{ Type: 'GreaterThanOrEqualTo', LeftValue: auc, RightValue: p.aucThreshold }],
      IfSteps: [register],
      ElseSteps: [fail],
    },
  };

  return {
    Version: '2020-12-01',
    Metadata: {},
    Parameters: Object.values(parameters).map((x) => x.definition),
    Steps: [preprocess, baseline, train, evaluate, check],
  };
}
