import { z } from 'zod';
import { REGION_PATTERN, ROLE_ARN_PATTERN, SAGEMAKER_NAME_PATTERN } from '../aws-names.js';

// One schema for environments/<env>.yaml. Keys are camelCase; unknown keys are errors so a typo
// never silently falls back to a default. Defaults fit a new account's quotas. The descriptions
// end up in environments/schema.json, so editors show them.

const percent = (min = 0, max = 100) => z.number().min(min).max(max);
const seconds = (min: number, max: number) => z.int().min(min).max(max);

export const METRIC_NAMES = ['auc', 'accuracy', 'precision', 'recall', 'f1'] as const;

const deploymentCommon = {
  bakeSeconds: seconds(0, 3600)
    .default(300)
    .describe('How long traffic bakes on the new fleet (per step for canary and linear) while the alarms are watched.'),
  terminationWaitSeconds: seconds(0, 3600)
    .default(0)
    .describe('How long the old fleet is kept after traffic has moved, for a fast manual rollback.'),
  maxExecutionSeconds: seconds(600, 28800)
    .optional()
    .describe("SageMaker's MaximumExecutionTimeoutInSeconds; computed from the waits when not given."),
};

export const DeploymentSchema = z
  .discriminatedUnion('strategy', [
    z.strictObject({ strategy: z.literal('all-at-once'), ...deploymentCommon }),
    z.strictObject({
      strategy: z.literal('canary'),
      canaryPercent: percent(1, 50).describe("Share of the new fleet's capacity that takes traffic first (SageMaker allows at most 50%)."),
      ...deploymentCommon,
    }),
    z.strictObject({
      strategy: z.literal('linear'),
      stepPercent: percent(10, 50).describe('Share of capacity shifted per step (SageMaker allows 10% to 50%).'),
      ...deploymentCommon,
    }),
  ])
  .describe('Blue/green traffic shifting with automatic rollback on the alarms.');

export const EnvironmentSchema = z
  .strictObject({
    account: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id in quotes, like "123456789012"').describe('AWS account id.'),
    region: z.string().regex(REGION_PATTERN, 'must be an AWS region like us-east-1').describe('AWS region.'),
    roleToAssume: z
      .string()
      .regex(ROLE_ARN_PATTERN, 'must be an IAM role ARN like arn:aws:iam::123456789012:role/name')
      .describe('The role the workflow assumes through GitHub OIDC for this environment.'),
    endpoint: z
      .strictObject({
        instanceType: z
          .string()
          .regex(/^ml\.[a-z0-9]+\.[a-z0-9]+$/, 'must be a SageMaker instance type like ml.m5.large')
          .default('ml.m5.large')
          .describe('Instance type of the endpoint.'),
        instanceCount: z.int().min(1).max(20).default(1).describe('Instances the endpoint starts with.'),
      })
      .prefault({})
      .describe('Endpoint sizing.'),
    dataCapture: z
      .strictObject({
        enabled: z.boolean().default(true).describe('Capture requests and responses to the artifact bucket.'),
        samplingPercent: z.int().min(0).max(100).default(20).describe('Share of requests captured.'),
      })
      .prefault({})
      .describe('Data capture, the input of drift checks.'),
    deployment: DeploymentSchema,
    alarms: z
      .strictObject({
        max5xxRatePercent: percent().default(1).describe('Roll back when 5XX responses exceed this share of invocations.'),
        maxP99LatencyMs: z.number().positive().max(60000).default(1000).describe("Roll back when the model's p99 latency exceeds this."),
        evaluationPeriods: z.int().min(1).max(10).default(2).describe('Consecutive one-minute periods in breach before an alarm fires.'),
      })
      .prefault({})
      .describe('The alarms that roll a deployment back.'),
    autoscaling: z
      .strictObject({
        minInstances: z.int().min(1).max(20).default(1).describe('Fewest instances.'),
        maxInstances: z.int().min(1).max(20).default(2).describe('Most instances.'),
        targetInvocationsPerInstance: z
          .int()
          .min(1)
          .max(100000)
          .default(750)
          .describe('Target of SageMakerVariantInvocationsPerInstance (invocations per instance per minute).'),
      })
      .prefault({})
      .describe('Target-tracking autoscaling of the endpoint.'),
    smokeTest: z
      .strictObject({
        maxP95LatencyMs: z
          .number()
          .positive()
          .max(60000)
          .default(1000)
          .describe('The smoke test fails when the p95 round-trip latency of its invocations exceeds this.'),
        invocationsPerPayload: z.int().min(1).max(100).default(5).describe('How often the smoke test sends each of its sample payloads.'),
      })
      .prefault({})
      .describe('The smoke test that runs after every deploy to this environment.'),
    gate: z
      .strictObject({
        thresholds: z
          .partialRecord(z.enum(METRIC_NAMES), z.number().min(0).max(1))
          .default({ auc: 0.75 })
          .describe('Minimum value of each evaluation metric a candidate must reach.'),
        maxRegression: z.number().min(0).max(1).default(0.01).describe('How much worse than the champion a candidate may be on any metric.'),
      })
      .prefault({})
      .describe('What a candidate model must reach to be promoted here.'),
    monitoring: z
      .strictObject({
        enabled: z.boolean().default(true).describe('Run the scheduled drift check for this environment.'),
        schedule: z
          .union([z.enum(['hourly', 'daily']), z.string().regex(/^cron\(.+\)$/, 'must be hourly, daily or a cron(...) expression')])
          .default('daily')
          .describe('hourly, daily or a cron(...) expression.'),
        driftThreshold: z
          .number()
          .gt(0)
          .max(1)
          .default(0.1)
          .describe('Largest distance between baseline and live distributions before a feature counts as drifted.'),
      })
      .prefault({})
      .describe('Data drift monitoring.'),
    model: z
      .strictObject({
        packageGroup: z
          .string()
          .regex(SAGEMAKER_NAME_PATTERN, 'must be a model package group name (letters, digits and hyphens, at most 63)')
          .describe('Model Registry group.'),
        version: z.int().min(1).nullable().describe('Version number in the group; null until a version is promoted.'),
      })
      .describe('The model version GitOps deploys here. Written by promotion pull requests.'),
  })
  .superRefine((env, ctx) => {
    const roleAccount = env.roleToAssume.split(':')[4];
    if (roleAccount !== env.account) {
      ctx.addIssue({ code: 'custom', path: ['roleToAssume'], message: `is in account ${roleAccount} but account is ${env.account}` });
    }
    const { minInstances, maxInstances } = env.autoscaling;
    if (minInstances > maxInstances) {
      ctx.addIssue({ code: 'custom', path: ['autoscaling', 'minInstances'], message: `(${minInstances}) must not exceed maxInstances (${maxInstances})` });
    }
    const count = env.endpoint.instanceCount;
    if (count < minInstances || count > maxInstances) {
      ctx.addIssue({
        code: 'custom',
        path: ['endpoint', 'instanceCount'],
        message: `(${count}) must be within autoscaling.minInstances..maxInstances (${minInstances}..${maxInstances})`,
      });
    }
    const waits = totalWaitSeconds(env.deployment);
    const max = env.deployment.maxExecutionSeconds;
    if (max !== undefined && max <= waits) {
      ctx.addIssue({
        code: 'custom',
        path: ['deployment', 'maxExecutionSeconds'],
        message: `(${max}) must exceed the deployment's total waits (${waits}s of baking and termination wait)`,
      });
    }
  });

export type Environment = z.output<typeof EnvironmentSchema>;
export type Deployment = z.output<typeof DeploymentSchema>;

/** Baking over every traffic step plus the termination wait: what SageMaker's timeout must exceed. */
export function totalWaitSeconds(d: Deployment): number {
  const steps = d.strategy === 'canary' ? 2 : d.strategy === 'linear' ? Math.ceil(100 / d.stepPercent) : 1;
  return steps * d.bakeSeconds + d.terminationWaitSeconds;
}
