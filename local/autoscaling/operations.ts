// Application Auto Scaling over awsJson1_1 (AnyScaleFrontendService): scalable targets and
// scaling policies for SageMaker endpoint variants. The twin records them and checks the variant
// exists; it does not change instance counts (each fleet is one host process).
import { dateOf } from '../clock.js';
import type { RequestContext } from '../context.js';
import { TwinError } from '../errors.js';
import { endpoints, hostingKey } from '../sagemaker/hosting/state.js';

type Input = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Target {
  key: string;
  request: Input;
  arn: string;
  created: number;
}
interface Policy {
  key: string;
  request: Input;
  arn: string;
  created: number;
}

const targets = (ctx: RequestContext) => ctx.store.regional<Target>('autoscaling-targets', ctx);
const policies = (ctx: RequestContext) => ctx.store.regional<Policy>('autoscaling-policies', ctx);
const targetKey = (i: Input) => `${i.ServiceNamespace}/${i.ResourceId}/${i.ScalableDimension}`;

const VARIANT_RESOURCE = /^endpoint\/([^/]+)\/variant\/([^/]+)$/;

function checkResource(ctx: RequestContext, input: Input): void {
  if (input.ServiceNamespace !== 'sagemaker') return;
  const m = String(input.ResourceId ?? '').match(VARIANT_RESOURCE);
  if (!m) throw new TwinError('ValidationException', `Unsupported resource ID ${input.ResourceId}: a SageMaker variant is endpoint/<endpoint>/variant/<variant>`);
  if (input.ScalableDimension !== 'sagemaker:variant:DesiredInstanceCount') {
    throw new TwinError('ValidationException', `Unsupported scalable dimension ${input.ScalableDimension} for namespace sagemaker`);
  }
  const e = endpoints(ctx).get(hostingKey(m[1]));
  if (!e) throw new TwinError('ValidationException', `The endpoint ${m[1]} does not exist.`);
}

function requireTarget(ctx: RequestContext, input: Input): Target {
  const t = targets(ctx).get(targetKey(input));
  if (!t) throw new TwinError('ObjectNotFoundException', `No scalable target registered for service namespace: ${input.ServiceNamespace}, resource ID: ${input.ResourceId}, scalable dimension: ${input.ScalableDimension}`);
  return t;
}

export const autoscalingOperations: Record<string, (input: Input, ctx: RequestContext) => unknown> = {
  RegisterScalableTarget: (input, ctx) => {
    checkResource(ctx, input);
    const key = targetKey(input);
    const existing = targets(ctx).get(key);
    if (input.MinCapacity !== undefined && input.MaxCapacity !== undefined && input.MinCapacity > input.MaxCapacity) {
      throw new TwinError('ValidationException', 'Minimum capacity cannot be greater than maximum capacity');
    }
    const arn = existing?.arn ?? `arn:aws:application-autoscaling:${ctx.region}:${ctx.account}:scalable-target/${Buffer.from(key).toString('base64url').slice(0, 32)}`;
    targets(ctx).set(key, { key, request: { ...existing?.request, ...input }, arn, created: existing?.created ?? Date.now() });
    return { ScalableTargetARN: arn };
  },
  DescribeScalableTargets: (input, ctx) => {
    const list = targets(ctx).values().filter((t) => t.key.startsWith(`${ctx.account}/${ctx.region}/${input.ServiceNamespace}/`))
      .filter((t) => !input.ResourceIds || input.ResourceIds.includes(t.request.ResourceId))
      .filter((t) => !input.ScalableDimension || t.request.ScalableDimension === input.ScalableDimension);
    return {
      ScalableTargets: list.map((t) => ({
        ServiceNamespace: t.request.ServiceNamespace,
        ResourceId: t.request.ResourceId,
        ScalableDimension: t.request.ScalableDimension,
        MinCapacity: t.request.MinCapacity,
        MaxCapacity: t.request.MaxCapacity,
        RoleARN: `arn:aws:iam::${ctx.account}:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint`,
        CreationTime: dateOf(t.created),
        ScalableTargetARN: t.arn,
      })),
    };
  },
  DeregisterScalableTarget: (input, ctx) => {
    const t = requireTarget(ctx, input);
    for (const p of policies(ctx).values().filter((x) => x.key.startsWith(`${t.key}/`))) policies(ctx).delete(p.key);
    targets(ctx).delete(t.key);
    return {};
  },
  PutScalingPolicy: (input, ctx) => {
    const t = requireTarget(ctx, input);
    if (input.PolicyType === 'TargetTrackingScaling' && !input.TargetTrackingScalingPolicyConfiguration) {
      throw new TwinError('ValidationException', 'TargetTrackingScalingPolicyConfiguration is required for a TargetTrackingScaling policy');
    }
    const key = `${t.key}/${input.PolicyName}`;
    const arn = policies(ctx).get(key)?.arn ?? `arn:aws:autoscaling:${ctx.region}:${ctx.account}:scalingPolicy:${t.arn.split('/').pop()}:resource/${input.ServiceNamespace}/${input.ResourceId}:policyName/${input.PolicyName}`;
    policies(ctx).set(key, { key, request: input, arn, created: policies(ctx).get(key)?.created ?? Date.now() });
    return { PolicyARN: arn, Alarms: [] };
  },
  DescribeScalingPolicies: (input, ctx) => {
    const list = policies(ctx).values().filter((p) => p.key.startsWith(`${ctx.account}/${ctx.region}/${input.ServiceNamespace}/`))
      .filter((p) => !input.ResourceId || p.request.ResourceId === input.ResourceId)
      .filter((p) => !input.PolicyNames || input.PolicyNames.includes(p.request.PolicyName));
    return { ScalingPolicies: list.map((p) => ({ ...p.request, PolicyARN: p.arn, CreationTime: dateOf(p.created), Alarms: [] })) };
  },
  DeleteScalingPolicy: (input, ctx) => {
    const key = `${targetKey(input)}/${input.PolicyName}`;
    if (!policies(ctx).delete(key)) throw new TwinError('ObjectNotFoundException', `No scaling policy found for service namespace: ${input.ServiceNamespace}, resource ID: ${input.ResourceId}, scalable dimension: ${input.ScalableDimension}, policy name: ${input.PolicyName}`);
    return {};
  },
};
