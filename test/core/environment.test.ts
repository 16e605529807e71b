import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listEnvironments, loadEnvironment, parseEnvironment } from '../../core/environment/load.js';
import { environmentParameters, missingParameterHint, pinnedModelPackageArn } from '../../core/environment/parameters.js';
import { totalWaitSeconds } from '../../core/environment/schema.js';

const VALID = `
account: "111111111111"
region: us-east-1
roleToAssume: arn:aws:iam::111111111111:role/deploy
deployment: { strategy: all-at-once }
model: { packageGroup: churn-model, version: null }
`;

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('environment files', () => {
  it('loads the project environments', () => {
    expect(listEnvironments()).toEqual(['dev', 'prod', 'staging']);
    for (const name of listEnvironments()) expect(loadEnvironment(name).config.model.packageGroup).toBe('churn-model');
  });

  it('fills defaults that fit a new account', () => {
    const env = parseEnvironment(VALID, 'x.yaml');
    expect(env.endpoint).toEqual({ instanceType: 'ml.m5.large', instanceCount: 1 });
    expect(env.deployment).toEqual({ strategy: 'all-at-once', bakeSeconds: 300, terminationWaitSeconds: 0 });
    expect(env.gate).toEqual({ thresholds: { auc: 0.75 }, maxRegression: 0.01 });
    expect(env.monitoring).toEqual({ enabled: true, schedule: 'daily', driftThreshold: 0.1 });
  });

  it('names the file, the field path and what is allowed', () => {
    const text = VALID.replace('region: us-east-1', 'region: mars\nextra: 1').replace('strategy: all-at-once', 'strategy: canary, canaryPercent: 80');
    expect(errorOf(() => parseEnvironment(text, 'environments/qa.yaml')).split('\n')).toEqual([
      'environments/qa.yaml is not a valid environment file:',
      '  region: must be an AWS region like us-east-1',
      '  deployment.canaryPercent: must be at most 50, got number 80',
      "  (top level): has unknown key 'extra'",
    ]);
  });

  it.each([
    ['deployment: { strategy: blue }', "deployment.strategy: must be one of 'all-at-once', 'canary', 'linear', got string \"blue\""],
    ['deployment: { strategy: all-at-once, bakeSeconds: 4000 }', 'deployment.bakeSeconds: must be at most 3600, got number 4000'],
    ['deployment: { strategy: all-at-once, bakeSeconds: 1000, maxExecutionSeconds: 900 }', "deployment.maxExecutionSeconds: (900) must exceed the deployment's total waits (1000s"],
    ['model: { packageGroup: churn_model, version: 1 }', 'model.packageGroup: must be a model package group name'],
    ['model: { packageGroup: churn, version: 0 }', 'model.version: must be at least 1, got number 0'],
    ['model: { packageGroup: churn }', 'model.version: is required'],
    ['endpoint: { instanceCount: 5 }', 'endpoint.instanceCount: (5) must be within autoscaling.minInstances..maxInstances (1..2)'],
    ['autoscaling: { minInstances: 3, maxInstances: 2 }', 'autoscaling.minInstances: (3) must not exceed maxInstances (2)'],
    ['roleToAssume: arn:aws:iam::999999999999:role/x', 'roleToAssume: is in account 999999999999 but account is 111111111111'],
    ['account: 111111111111', 'account: must be string, got number 111111111111'],
    ['gate: { thresholds: { rmse: 1 } }', "gate.thresholds: has unknown key 'rmse'"],
    ['monitoring: { schedule: weekly }', 'monitoring.schedule: must be hourly, daily or a cron(...) expression'],
  ])('rejects %s', (line, message) => {
    const key = line.split(':')[0];
    const text = VALID.split('\n').filter((l) => !l.startsWith(`${key}:`)).join('\n') + `\n${line}\n`;
    expect(errorOf(() => parseEnvironment(text, 'e.yaml'))).toContain(message);
  });

  it('reports invalid YAML with its line and column', () => {
    expect(errorOf(() => parseEnvironment('account: "1\nregion: [', 'environments/dev.yaml'))).toBe('environments/dev.yaml:2:10: invalid YAML: the text ends inside a double quoted scalar: a quote or bracket is not closed');
    expect(errorOf(() => parseEnvironment('a: 1\na: 2', 'e.yaml'))).toMatch(/^e.yaml:2:1: invalid YAML: duplicated mapping key/);
  });

  it('says which environments exist when asked for an unknown one', () => {
    expect(errorOf(() => loadEnvironment('qa'))).toBe("Unknown environment 'qa': environments/qa.yaml does not exist (available: dev, prod, staging)");
    expect(errorOf(() => loadEnvironment('../etc'))).toMatch(/^Environment '..\/etc' is not a valid name/);
    const empty = mkdtempSync(join(tmpdir(), 'envs-'));
    expect(errorOf(() => loadEnvironment('dev', empty))).toContain('(available: none)');
    expect(listEnvironments(join(empty, 'missing'))).toEqual([]);
  });
});

describe('environment parameters', () => {
  it('maps an environment to the endpoint template parameters', () => {
    const env = loadEnvironment('dev', 'test/fixtures/environments');
    expect(environmentParameters(env)).toEqual({
      EnvironmentName: 'dev',
      ModelPackageGroupName: 'churn-model',
      ModelPackageArn: 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/churn-model/7',
      InstanceType: 'ml.m5.large',
      InstanceCount: '1',
      DataCaptureEnabled: 'true',
      DataCapturePercent: '20',
      TrafficRoutingType: 'CANARY',
      TrafficStepPercent: '25',
      BakeSeconds: '120',
      TerminationWaitSeconds: '60',
      MaxExecutionSeconds: '2100',
      Max5xxRatePercent: '2',
      MaxP99LatencyMicros: '250500',
      AlarmEvaluationPeriods: '2',
      MinInstances: '1',
      MaxInstances: '3',
      TargetInvocationsPerInstance: '750',
    });
  });

  it('counts every traffic step in the total wait', () => {
    expect(totalWaitSeconds({ strategy: 'linear', stepPercent: 30, bakeSeconds: 100, terminationWaitSeconds: 50 })).toBe(450);
    expect(totalWaitSeconds({ strategy: 'all-at-once', bakeSeconds: 100, terminationWaitSeconds: 0 })).toBe(100);
  });

  it('explains a missing model pin', () => {
    const env = loadEnvironment('dev');
    expect(pinnedModelPackageArn(env)).toBeUndefined();
    expect(environmentParameters(env).TrafficRoutingType).toBe('ALL_AT_ONCE');
    expect(missingParameterHint('ModelPackageArn', env)).toBe('environments/dev.yaml has model.version: null (no model version promoted to dev yet)');
    expect(missingParameterHint('Other', env)).toBeUndefined();
  });
});
