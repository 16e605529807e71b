import { jsonGet, type PipelineDefinition, type ProcessingStep, type Step } from '../../core/pipeline/builders.js';
import { validatePipeline } from '../../core/pipeline/validate.js';
import { churnPipeline } from '../../pipelines/churn.js';

const clone = (): PipelineDefinition => JSON.parse(JSON.stringify(churnPipeline()));
const step = (d: PipelineDefinition, name: string): Step => {
  const all = d.Steps.flatMap((s) => (s.Type === 'Condition' ? [s, ...s.Arguments.IfSteps, ...s.Arguments.ElseSteps] : [s]));
  return all.find((s) => s.Name === name)!;
};

describe('the churn pipeline', () => {
  it('is sound', () => {
    expect(validatePipeline(churnPipeline())).toEqual([]);
  });

  it('matches its snapshot', () => {
    expect(churnPipeline()).toMatchSnapshot();
  });

  it('has the steps, the gate and the registration the flow needs', () => {
    const d = churnPipeline();
    expect(d.Steps.map((s) => `${s.Name}:${s.Type}`)).toEqual(['Preprocess:Processing', 'Baseline:Processing', 'Train:Training', 'Evaluate:Processing', 'CheckAuc:Condition']);
    const check = step(d, 'CheckAuc');
    expect(check.Type === 'Condition' && check.Arguments.IfSteps.map((s) => s.Name)).toEqual(['RegisterModel']);
    expect(check.Type === 'Condition' && check.Arguments.ElseSteps.map((s) => s.Name)).toEqual(['AucTooLow']);
    expect((step(d, 'Preprocess') as ProcessingStep).CacheConfig).toEqual({ Enabled: true, ExpireAfter: 'P30D' });
    expect((step(d, 'Evaluate') as ProcessingStep).PropertyFiles).toEqual([{ PropertyFileName: 'EvaluationReport', OutputName: 'evaluation', FilePath: 'evaluation.json' }]);
    const register = step(d, 'RegisterModel');
    expect(register.Type === 'RegisterModel' && Object.keys(register.Arguments.CustomerMetadataProperties ?? {})).toEqual(['git_commit', 'repository', 'run_url', 'data_version', 'pipeline_execution']);
    expect(register.Type === 'RegisterModel' && register.Arguments.DriftCheckBaselines?.ModelDataQuality?.Constraints).toBeDefined();
    for (const name of ['Preprocess', 'Baseline', 'Train', 'Evaluate']) {
      expect((step(d, name) as ProcessingStep).RetryPolicies?.flatMap((r) => r.ExceptionType)).toEqual(
        expect.arrayContaining(['Step.THROTTLING', 'SageMaker.CAPACITY_ERROR']),
      );
    }
    expect(d.Parameters.find((x) => x.Name === 'ModelApprovalStatus')).toEqual({
      Name: 'ModelApprovalStatus', Type: 'String', DefaultValue: 'PendingManualApproval', EnumValues: ['PendingManualApproval', 'Approved', 'Rejected'],
    });
  });

  it('fails with a message naming the metric and the threshold', () => {
    const fail = step(churnPipeline(), 'AucTooLow');
    expect(fail.Type === 'Fail' && fail.Arguments.ErrorMessage).toEqual({
      'Std:Join': {
        On: '',
        Values: [
          'Evaluation AUC ',
          { 'Std:JsonGet': { PropertyFile: { Get: 'Steps.Evaluate.PropertyFiles.EvaluationReport' }, Path: 'binary_classification_metrics.auc.value' } },
          ' is below the threshold AucThreshold=',
          { Get: 'Parameters.AucThreshold' },
        ],
      },
    });
  });
});

describe('validatePipeline', () => {
  it('finds references to undefined parameters, steps, properties and execution variables', () => {
    const d = clone();
    const pre = step(d, 'Preprocess') as ProcessingStep;
    (pre.Arguments.AppSpecification as Record<string, unknown>).ImageUri = { Get: 'Parameters.Nope' };
    (pre.Arguments as Record<string, unknown>).RoleArn = { Get: 'Execution.Tomorrow' };
    const train = step(d, 'Train');
    (train.Arguments as Record<string, unknown>).RoleArn = { Get: 'Steps.Ghost.ModelArtifacts' };
    (train.Arguments as Record<string, unknown>).EnableNetworkIsolation = { Get: 'Steps.Evaluate.ModelArtifacts.S3ModelArtifacts' };
    (train.Arguments as Record<string, unknown>).VpcConfig = { Get: 'Other.Thing' };
    expect(validatePipeline(d)).toEqual([
      'Preprocess.Arguments.RoleArn: Execution.Tomorrow is not an execution variable',
      'Preprocess.Arguments.AppSpecification.ImageUri: Parameters.Nope is not a defined parameter',
      'Train.Arguments.RoleArn: Steps.Ghost.ModelArtifacts names unknown step Ghost',
      'Train.Arguments.EnableNetworkIsolation: Steps.Evaluate.ModelArtifacts.S3ModelArtifacts: a Processing step has no property ModelArtifacts',
      'Train.Arguments.VpcConfig: Other.Thing must start with Parameters., Execution. or Steps.',
    ]);
  });

  it('finds JsonGet on undeclared property files and Get on property files', () => {
    const d = clone();
    const fail = step(d, 'AucTooLow');
    (fail.Arguments as Record<string, unknown>).ErrorMessage = { 'Std:JsonGet': { PropertyFile: { Get: 'Steps.Train.PropertyFiles.Report' }, Path: 'a' } };
    const register = step(d, 'RegisterModel');
    (register.Arguments as Record<string, unknown>).ModelPackageDescription = { Get: 'Steps.Evaluate.PropertyFiles.EvaluationReport' };
    (register.Arguments as Record<string, unknown>).ClientToken = { 'Std:JsonGet': { PropertyFile: { Get: 'Parameters.X' }, Path: 'a' } };
    expect(validatePipeline(d)).toEqual([
      'RegisterModel.Arguments.ModelPackageDescription: Steps.Evaluate.PropertyFiles.EvaluationReport: property files are read with Std:JsonGet, not Get',
      "RegisterModel.Arguments.ClientToken: Std:JsonGet must name a property file as Steps.<step>.PropertyFiles.<name>, got 'Parameters.X'",
      'AucTooLow.Arguments.ErrorMessage: step Train declares no property file Report',
    ]);
    expect(() => jsonGet(step(d, 'Preprocess') as ProcessingStep, 'Missing', 'a')).toThrow('step Preprocess declares no property file Missing');
  });

  it('finds cycles, repeated branch steps, unknown DependsOn and a wrong version', () => {
    const d = clone();
    step(d, 'Preprocess').DependsOn = ['Evaluate'];
    step(d, 'Baseline').DependsOn = ['Nowhere'];
    d.Steps.push(JSON.parse(JSON.stringify(step(d, 'AucTooLow'))));
    (d as { Version: string }).Version = '2019-01-01';
    expect(validatePipeline(d)).toEqual([
      'Version must be 2020-12-01, got 2019-01-01',
      'step AucTooLow is defined more than once (condition branch steps must not be listed again at top level)',
      'step Baseline: DependsOn names unknown step Nowhere',
      // Evaluate reads Preprocess both through Train and directly: two cycles, both reported.
      'dependency cycle: Preprocess -> Evaluate -> Train -> Preprocess',
      'dependency cycle: Preprocess -> Evaluate -> Preprocess',
    ]);
  });
});
