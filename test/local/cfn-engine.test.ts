import { readFileSync } from 'node:fs';
import { parseTemplate, type Template } from '../../core/cfn-template.js';
import { loadEnvironment } from '../../core/environment/load.js';
import { environmentParameters } from '../../core/environment/parameters.js';
import {
  creationOrder,
  evaluate,
  evaluateConditions,
  resolveParameters,
  type EvaluationContext,
} from '../../local/cloudformation/engine.js';

const endpoint = parseTemplate(readFileSync('cloudformation/endpoint.yaml', 'utf8'), 'endpoint.yaml');
const foundation = parseTemplate(readFileSync('cloudformation/foundation.yaml', 'utf8'), 'foundation.yaml');

function context(template: Template, given: Record<string, string>): EvaluationContext {
  const base = {
    stackName: 'churn-dev',
    stackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/churn-dev/1',
    region: 'eu-west-1',
    account: '111111111111',
    parameters: resolveParameters(template, given),
    ref: (id: string) => `physical-${id}`,
    getAtt: (id: string, attr: string) => `${id}.${attr}`,
    importValue: (name: string) => `imported:${name}`,
  };
  return { ...base, conditions: evaluateConditions(template, base) };
}

describe('the twin\'s CloudFormation engine', () => {
  it('fills the endpoint template from an environment and resolves the guarded deployment config', () => {
    const params = environmentParameters(loadEnvironment('dev', 'test/fixtures/environments'));
    const declared = Object.fromEntries(Object.entries(params).filter(([k]) => k in (endpoint.Parameters ?? {})));
    const ctx = context(endpoint, declared);
    expect(ctx.conditions).toEqual({ IsCanary: true, IsLinear: false, CaptureData: true });
    const props = evaluate(endpoint.Resources.Endpoint.Properties, ctx) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(props.EndpointName).toBe('sagemaker-gitops-dev');
    expect(props.EndpointConfigName).toBe('EndpointConfig.EndpointConfigName');
    expect(props.DeploymentConfig.BlueGreenUpdatePolicy.TrafficRoutingConfiguration).toEqual({
      Type: 'CANARY', WaitIntervalInSeconds: '120', CanarySize: { Type: 'CAPACITY_PERCENT', Value: '25' },
    });
    expect(props.DeploymentConfig.AutoRollbackConfiguration.Alarms).toEqual([{ AlarmName: 'physical-ErrorRateAlarm' }, { AlarmName: 'physical-LatencyAlarm' }]);
    const capture = (evaluate(endpoint.Resources.EndpointConfig.Properties, ctx) as Record<string, any>).DataCaptureConfig; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(capture.DestinationS3Uri).toBe('s3://imported:sagemaker-gitops-foundation-ArtifactBucket/data-capture');
    expect(capture.EnableCapture).toBe(true);
  });

  it('orders creation by references and DependsOn', () => {
    const order = creationOrder(endpoint, { IsCanary: true, IsLinear: false, CaptureData: true });
    const before = (a: string, b: string) => expect(order.indexOf(a)).toBeLessThan(order.indexOf(b));
    before('Model', 'EndpointConfig');
    before('EndpointConfig', 'Endpoint');
    before('ErrorRateAlarm', 'Endpoint');
    before('Endpoint', 'ScalableTarget');
    before('ScalableTarget', 'InvocationsScalingPolicy');
    expect(order).toHaveLength(Object.keys(endpoint.Resources).length);
    const f = creationOrder(foundation, {});
    expect(f.indexOf('ArtifactBucket')).toBeLessThan(f.indexOf('SageMakerExecutionRole'));
    expect(f.indexOf('SageMakerExecutionRole')).toBeLessThan(f.indexOf('PassSelfToSageMaker'));
  });

  it.each([
    [{}, 'Parameters: [EnvironmentName, ModelPackageArn] must have values'],
    [{ EnvironmentName: 'dev', ModelPackageArn: 'x', Extra: '1' }, 'Parameters: [Extra] do not exist in the template'],
    [{ EnvironmentName: 'dev', ModelPackageArn: 'not-an-arn' }, "Parameter 'ModelPackageArn' must match pattern"],
    [{ EnvironmentName: 'dev', ModelPackageArn: 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/g/1', TrafficRoutingType: 'ROLLING' }, "Parameter 'TrafficRoutingType' must be one of AllowedValues"],
    [{ EnvironmentName: 'dev', ModelPackageArn: 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/g/1', InstanceCount: 'two' }, "Parameter 'InstanceCount' must be a number"],
    [{ EnvironmentName: 'dev', ModelPackageArn: 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/g/1', BakeSeconds: '4000' }, "Parameter 'BakeSeconds' must be a number not greater than 3600"],
    [{ EnvironmentName: 'dev', ModelPackageArn: 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/g/1', MaxExecutionSeconds: '60' }, "Parameter 'MaxExecutionSeconds' must be a number not less than 600"],
  ])('refuses parameters %# with CloudFormation\'s words', (given, message) => {
    expect(() => resolveParameters(endpoint, given)).toThrow(message);
  });

  it('evaluates the other intrinsic functions and reports circular dependencies', () => {
    const t = parseTemplate([
      'Parameters:', '  Names: { Type: CommaDelimitedList, Default: "a,b,c" }', '  Size: { Type: String, Default: small, MinLength: 2, MaxLength: 8 }',
      'Mappings:', '  Sizes: { small: { Count: 1 } }',
      'Conditions:', '  Small: !Equals [!Ref Size, small]', '  Both: !And [!Condition Small, !Not [!Equals [!Ref "AWS::Region", nowhere]]]', '  Either: !Or [!Condition Both, !Equals [a, b]]',
      'Resources:',
      '  A:', '    Type: AWS::SNS::Topic', '    Properties:',
      '      Picked: !Select [1, !Ref Names]', '      Split: !Split [",", "x,y"]', '      Joined: !Join ["-", [!Ref "AWS::StackName", !Ref "AWS::AccountId", !Ref "AWS::Partition"]]',
      '      Count: !FindInMap [Sizes, !Ref Size, Count]', '      Encoded: !Base64 hi', '      Zones: !GetAZs ""', '      Literal: !Sub "${!NotAVar}-${AWS::Region}-${B.Arn}"',
      '      WithVars: !Sub ["${X}-${Y}", { X: !Ref Size, Y: 2 }]', '      Maybe: !If [Either, yes, !Ref "AWS::NoValue"]', '      Gone: !If [Small, !Ref "AWS::NoValue", kept]',
      '  B:', '    Type: AWS::SNS::Topic', '    DependsOn: A',
    ].join('\n'), 't.yaml');
    const ctx = context(t, {});
    ctx.mappings = t.Mappings as EvaluationContext['mappings'];
    expect(ctx.conditions).toEqual({ Small: true, Both: true, Either: true });
    expect(evaluate(t.Resources.A.Properties, ctx)).toEqual({
      Picked: 'b',
      Split: ['x', 'y'],
      Joined: 'churn-dev-111111111111-aws',
      Count: 1,
      Encoded: 'aGk=',
      Zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
      Literal: '${NotAVar}-eu-west-1-B.Arn',
      WithVars: 'small-2',
      Maybe: 'yes',
    });
    expect(() => resolveParameters(t, { Size: 'x' })).toThrow("Parameter 'Size' must contain at least 2 characters");
    expect(() => resolveParameters(t, { Size: 'very-large' })).toThrow("Parameter 'Size' must contain at most 8 characters");
    expect(() => evaluate({ 'Fn::Select': [5, ['a']] }, ctx)).toThrow('Fn::Select cannot select nonexistent value at index 5');
    expect(() => evaluate({ 'Fn::FindInMap': ['Sizes', 'huge', 'Count'] }, ctx)).toThrow('Unable to get mapping for Sizes::huge::Count');
    expect(() => evaluate({ 'Fn::Bogus': 1 }, ctx)).toThrow('Unrecognized intrinsic function Fn::Bogus');
    expect(() => evaluate({ 'Fn::If': ['Nope', 1, 2] }, ctx)).toThrow('unresolved condition dependency Nope');
    t.Resources.A.DependsOn = 'B';
    expect(() => creationOrder(t, ctx.conditions)).toThrow('Circular dependency between resources: [A, B]');
    t.Resources.A.DependsOn = 'Ghost';
    expect(() => creationOrder(t, ctx.conditions)).toThrow('Unresolved resource dependencies [Ghost]');
  });
});
