// Typed builders for SageMaker pipeline definitions (Version 2020-12-01). Step arguments are the
// SDK's own request types, where any value may instead be an expression resolved at run time.
import type {
  CreateModelPackageInput,
  CreateProcessingJobRequest,
  CreateTrainingJobRequest,
} from '@aws-sdk/client-sagemaker';

export interface Get {
  Get: string;
}
export interface Join {
  'Std:Join': { On: string; Values: Value[] };
}
export interface JsonGet {
  'Std:JsonGet': { PropertyFile: Get; Path: string };
}
export type Expression = Get | Join | JsonGet;
export type Value = string | number | boolean | Expression;

/** T with every scalar allowed to be an expression instead. */
export type Expr<T> = T extends string | number | boolean
  ? T | Expression
  : T extends Date
    ? T
    : T extends (infer U)[]
      ? Expr<U>[]
      : T extends object
        ? { [K in keyof T]: Expr<T[K]> }
        : T;

export type ParameterType = 'String' | 'Integer' | 'Boolean' | 'Float';
export interface Parameter {
  Name: string;
  Type: ParameterType;
  DefaultValue?: string | number | boolean;
  EnumValues?: string[];
}

export interface RetryPolicy {
  ExceptionType: string[];
  IntervalSeconds: number;
  BackoffRate: number;
  MaxAttempts: number;
}

export interface PropertyFile {
  PropertyFileName: string;
  OutputName: string;
  FilePath: string;
}

interface StepBase {
  Name: string;
  DisplayName?: string;
  Description?: string;
  DependsOn?: string[];
}
export interface ProcessingStep extends StepBase {
  Type: 'Processing';
  Arguments: Expr<Omit<CreateProcessingJobRequest, 'ProcessingJobName'>>;
  PropertyFiles?: PropertyFile[];
  CacheConfig?: { Enabled: boolean; ExpireAfter: string };
  RetryPolicies?: RetryPolicy[];
}
export interface TrainingStep extends StepBase {
  Type: 'Training';
  Arguments: Expr<Omit<CreateTrainingJobRequest, 'TrainingJobName'>>;
  CacheConfig?: { Enabled: boolean; ExpireAfter: string };
  RetryPolicies?: RetryPolicy[];
}
export interface RegisterModelStep extends StepBase {
  Type: 'RegisterModel';
  Arguments: Expr<CreateModelPackageInput>;
  RetryPolicies?: RetryPolicy[];
}
export interface FailStep extends StepBase {
  Type: 'Fail';
  Arguments: { ErrorMessage: Value };
}
export type Comparison = 'Equals' | 'GreaterThan' | 'GreaterThanOrEqualTo' | 'LessThan' | 'LessThanOrEqualTo';
export type Condition =
  | { Type: Comparison; LeftValue: Value; RightValue: Value }
  | { Type: 'In'; QueryValue: Value; Values: Value[] }
  | { Type: 'Not'; Condition: Condition }
  | { Type: 'Or'; Conditions: Condition[] };
export interface ConditionStep extends StepBase {
  Type: 'Condition';
  Arguments: { Conditions: Condition[]; IfSteps: Step[]; ElseSteps: Step[] };
}
export type Step = ProcessingStep | TrainingStep | RegisterModelStep | FailStep | ConditionStep;

export interface PipelineDefinition {
  Version: '2020-12-01';
  Metadata: Record<string, never>;
  Parameters: Parameter[];
  Steps: Step[];
}

export const EXECUTION_VARIABLES = [
  'StartDateTime',
  'CurrentDateTime',
  'PipelineName',
  'PipelineArn',
  'PipelineExecutionId',
  'PipelineExecutionArn',
] as const;

/** A parameter and the expression that reads it. */
export function parameter(Name: string, Type: ParameterType, options: { default?: string | number | boolean; enum?: string[] } = {}) {
  const definition: Parameter = { Name, Type };
  if (options.default !== undefined) definition.DefaultValue = options.default;
  if (options.enum) definition.EnumValues = options.enum;
  return { definition, ref: { Get: `Parameters.${Name}` } as Get };
}

export function execution(variable: (typeof EXECUTION_VARIABLES)[number]): Get {
  return { Get: `Execution.${variable}` };
}

/** A property of a step's Describe* response: `Steps.<name>.<path>`. */
export function property(step: { Name: string }, path: string): Get {
  return { Get: `Steps.${step.Name}.${path}` };
}

export function join(on: string, ...values: Value[]): Join {
  return { 'Std:Join': { On: on, Values: values } };
}

/** A value read from a property file that a Processing step declares. */
export function jsonGet(step: ProcessingStep, propertyFileName: string, path: string): JsonGet {
  if (!step.PropertyFiles?.some((f) => f.PropertyFileName === propertyFileName)) {
    throw new Error(`step ${step.Name} declares no property file ${propertyFileName}`);
  }
  return { 'Std:JsonGet': { PropertyFile: property(step, `PropertyFiles.${propertyFileName}`), Path: path } };
}

/** Where a Processing step's named output lands in S3. */
export function processingOutput(step: ProcessingStep, outputName: string): Get {
  return property(step, `ProcessingOutputConfig.Outputs['${outputName}'].S3Output.S3Uri`);
}
