import { REGION_PATTERN, ROLE_ARN_PATTERN, SAGEMAKER_NAME_PATTERN } from '../aws-names.js';
import * as z from '../zod.js';

// One schema for environments/<env>.yaml. Keys are camelCase; unknown keys are errors so a typo
// never silently falls back to a default. Defaults fit a new account's quotas. The descriptions
// end up in environments/schema.json, so editors show them.

/** A number from min to max (a share, a threshold). */
const between = (min: number, max: number) => z.number().check(z.minimum(min), z.maximum(max));
/** A whole number from min to max (seconds, instances, periods). */
const wholeBetween = (min: number, max: number) => z.int().check(z.minimum(min), z.maximum(max));
const percent = (min = 0, max = 100) => between(min, max);
/** A positive duration in milliseconds, at most a minute. */
const latencyMs = () => z.number().check(z.positive(), z.maximum(60000));
/** A schema with the description editors show from environments/schema.json. */
const described = <T extends z.ZodMiniType>(schema: T, description: string): T => {
  z.globalRegistry.add(schema, { description });
  return schema;
};
/** A field that takes `value` when the file leaves it out. */
const withDefault = <T extends z.ZodMiniType>(schema: T, value: z.core.util.NoUndefined<z.output<T>>, description: string) =>
  described(z._default(schema, value), description);
/** A section of the file whose every field has a default, so the whole section may be left out. */
const section = <S extends z.core.$ZodLooseShape>(fields: S, description: string) => {
  const schema = z.strictObject(fields);
  return described(z.prefault(schema, {} as z.input<typeof schema>), description);
};

export const METRIC_NAMES = ['auc', 'accuracy', 'precision', 'recall', 'f1'] as const;

const deploymentCommon = {
  bakeSeconds: withDefault(wholeBetween(0, 3600), 300, 'How long traffic bakes on the new fleet (per step for canary and linear) while the alarms are watched.'),
  terminationWaitSeconds: withDefault(wholeBetween(0, 3600), 0, 'How long the old fleet is kept after traffic has moved, for a fast manual rollback.'),
  maxExecutionSeconds: described(z.optional(wholeBetween(600, 28800)), "SageMaker's MaximumExecutionTimeoutInSeconds; computed from the waits when not given."),
};

export const DeploymentSchema = described(
  z.discriminatedUnion('strategy', [
    z.strictObject({ strategy: z.literal('all-at-once'), ...deploymentCommon }),
    z.strictObject({
      strategy: z.literal('canary'),
      canaryPercent: described(percent(1, 50), "Share of the new fleet's capacity that takes traffic first (SageMaker allows at most 50%)."),
      ...deploymentCommon,
    }),
    z.strictObject({
      strategy: z.literal('linear'),
      stepPercent: described(percent(10, 50), 'Share of capacity shifted per step (SageMaker allows 10% to 50%).'),
      ...deploymentCommon,
    }),
  ]),
  'Blue/green traffic shifting with automatic rollback on the alarms.',
);

const matching = (pattern: RegExp, message: string) => z.string().check(z.regex(pattern, message));

export const EnvironmentSchema = z
  .strictObject({
    account: described(matching(/^\d{12}$/, 'must be a 12-digit AWS account id in quotes, like "123456789012"'), 'AWS account id.'),
    region: described(matching(REGION_PATTERN, 'must be an AWS region like us-east-1'), 'AWS region.'),
    roleToAssume: described(
      matching(ROLE_ARN_PATTERN, 'must be an IAM role ARN like arn:aws:iam::123456789012:role/name'),
      'The role the workflow assumes through GitHub OIDC for this environment.',
    ),
    endpoint: section(
      {
        instanceType: withDefault(
          matching(/^ml\.[a-z0-9]+\.[a-z0-9]+$/, 'must be a SageMaker instance type like ml.m5.large'),
          'ml.m5.large',
          'Instance type of the endpoint.',
        ),
        instanceCount: withDefault(wholeBetween(1, 20), 1, 'Instances the endpoint starts with.'),
      },
      'Endpoint sizing.',
    ),
    dataCapture: section(
      {
        enabled: withDefault(z.boolean(), true, 'Capture requests and responses to the artifact bucket.'),
        samplingPercent: withDefault(wholeBetween(0, 100), 20, 'Share of requests captured.'),
      },
      'Data capture, the input of drift checks.',
    ),
    deployment: DeploymentSchema,
    alarms: section(
      {
        max5xxRatePercent: withDefault(percent(), 1, 'Roll back when 5XX responses exceed this share of invocations.'),
        maxP99LatencyMs: withDefault(latencyMs(), 1000, "Roll back when the model's p99 latency exceeds this."),
        evaluationPeriods: withDefault(wholeBetween(1, 10), 2, 'Consecutive one-minute periods in breach before an alarm fires.'),
      },
      'The alarms that roll a deployment back.',
    ),
    autoscaling: section(
      {
        minInstances: withDefault(wholeBetween(1, 20), 1, 'Fewest instances.'),
        maxInstances: withDefault(wholeBetween(1, 20), 2, 'Most instances.'),
        targetInvocationsPerInstance: withDefault(
          wholeBetween(1, 100000),
          750,
          'Target of SageMakerVariantInvocationsPerInstance (invocations per instance per minute).',
        ),
      },
      'Target-tracking autoscaling of the endpoint.',
    ),
    smokeTest: section(
      {
        maxP95LatencyMs: withDefault(
          latencyMs(),
          1000,
          'The smoke test fails when the p95 round-trip latency of its invocations exceeds this.',
        ),
        invocationsPerPayload: withDefault(wholeBetween(1, 100), 5, 'How often the smoke test sends each of its sample payloads.'),
      },
      'The smoke test that runs after every deploy to this environment.',
    ),
    gate: section(
      {
        thresholds: withDefault(
          z.partialRecord(z.enum(METRIC_NAMES), between(0, 1)),
          { auc: 0.75 },
          'Minimum value of each evaluation metric a candidate must reach.',
        ),
        maxRegression: withDefault(between(0, 1), 0.01, 'How much worse than the champion a candidate may be on any metric.'),
      },
      'What a candidate model must reach to be promoted here.',
    ),
    monitoring: section(
      {
        enabled: withDefault(z.boolean(), true, 'Run the scheduled drift check for this environment.'),
        schedule: withDefault(
          z.union([z.enum(['hourly', 'daily']), matching(/^cron\(.+\)$/, 'must be hourly, daily or a cron(...) expression')]),
          'daily',
          'hourly, daily or a cron(...) expression.',
        ),
        driftThreshold: withDefault(
          z.number().check(z.gt(0), z.maximum(1)),
          0.1,
          'Largest distance between baseline and live distributions before a feature counts as drifted.',
        ),
      },
      'Data drift monitoring.',
    ),
    model: described(
      z.strictObject({
        packageGroup: described(
          matching(SAGEMAKER_NAME_PATTERN, 'must be a model package group name (letters, digits and hyphens, at most 63)'),
          'Model Registry group.',
        ),
        version: described(z.nullable(z.int().check(z.minimum(1))), 'Version number in the group; null until a version is promoted.'),
      }),
      'The model version GitOps deploys here. Written by promotion pull requests.',
    ),
  })
  .check(z.superRefine((env, ctx) => {
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
  }));

export type Environment = z.output<typeof EnvironmentSchema>;
export type Deployment = z.output<typeof DeploymentSchema>;

/** Baking over every traffic step plus the termination wait: what SageMaker's timeout must exceed. */
export function totalWaitSeconds(d: Deployment): number {
  const steps = d.strategy === 'canary' ? 2 : d.strategy === 'linear' ? Math.ceil(100 / d.stepPercent) : 1;
  return steps * d.bakeSeconds + d.terminationWaitSeconds;
}
