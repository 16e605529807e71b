// Resource providers: how the twin's CloudFormation creates, updates and deletes each resource
// type of cloudformation/*.yaml, through the twin's own services so the resources behave as
// they do when called directly. `replaceOn` lists the properties whose change replaces the
// resource, as the CloudFormation resource reference says ("Update requires: Replacement").
import { randomBytes } from 'node:crypto';
import type { RequestContext } from '../context.js';
import { TwinError } from '../errors.js';
import { createBucket, deleteBucket } from '../services/s3.js';

type Input = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Operations = Record<string, (input: Input, ctx: RequestContext) => unknown>;

export interface ProviderContext {
  ctx: RequestContext;
  stackName: string;
  logicalId: string;
}

export interface Created {
  physicalId: string;
  attributes: Record<string, unknown>;
}

export interface Provider {
  replaceOn: string[] | 'all';
  create(props: Input, p: ProviderContext): Promise<Created> | Created;
  /** Updates in place; returns the new attributes. Absent: every change replaces. */
  update?(physicalId: string, props: Input, previous: Input, p: ProviderContext): Promise<Record<string, unknown>> | Record<string, unknown>;
  delete(physicalId: string, props: Input, p: ProviderContext): Promise<void> | void;
}

export interface Services {
  sagemaker: Operations;
  ecr: Operations;
  cloudwatch: Operations;
  autoscaling: Operations;
}

/** A name CloudFormation generates for a resource the template does not name. */
export function generatedName(p: ProviderContext, maxLength: number, withStack = true): string {
  const suffix = randomBytes(9).toString('base64').replace(/[^a-zA-Z0-9]/g, '').slice(0, 12).toUpperCase();
  const base = withStack ? `${p.stackName}-${p.logicalId}` : p.logicalId;
  return `${base.slice(0, maxLength - suffix.length - 1)}-${suffix}`;
}

function alreadyExists(type: string, id: string): TwinError {
  return new TwinError('AlreadyExists', `Resource of type '${type}' with identifier '${id}' already exists.`);
}

/** Calls an operation of the twin, treating "not found" as done (for deletes). */
async function ignoringNotFound(call: () => unknown): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (!(error instanceof TwinError) || !/not (be )?found|does not exist|Could not find/i.test(error.message)) throw error;
  }
}

/** Polls twin state until `done` says so; real time is scaled like the rest of the simulation. */
async function waitFor(p: ProviderContext, what: string, done: () => boolean, maxSimulatedMs = 4 * 3600_000): Promise<void> {
  const started = Date.now();
  while (!done()) {
    if (p.ctx.clock.elapsedSince(started) > maxSimulatedMs) throw new TwinError('NotStabilized', `${what} did not stabilize`);
    await new Promise((r) => setTimeout(r, Math.max(20, p.ctx.clock.real(5_000))));
  }
}

const iamRoles = (ctx: RequestContext) => ctx.store.accountWide<{ name: string; arn: string; roleId: string; props: Input; policies: Record<string, Input> }>('iam-roles', ctx);
const bucketPolicies = (ctx: RequestContext) => ctx.store.global<Input>('s3-bucket-policies');

export function providers(services: Services): Record<string, Provider> {
  const { sagemaker, ecr, cloudwatch, autoscaling } = services;
  const call = (ops: Operations, op: string, input: Input, p: ProviderContext) => ops[op](input, p.ctx) as Input;
  const describeEndpoint = (name: string, p: ProviderContext): Input | undefined => {
    try {
      return call(sagemaker, 'DescribeEndpoint', { EndpointName: name }, p);
    } catch {
      return undefined;
    }
  };
  const waitEndpoint = async (name: string, p: ProviderContext) => {
    await waitFor(p, `Endpoint ${name}`, () => !['Creating', 'Updating', 'RollingBack', 'SystemUpdating'].includes(describeEndpoint(name, p)?.EndpointStatus));
    return describeEndpoint(name, p);
  };
  const nameOf = (arn: string) => arn.split('/').pop()!;

  return {
    'AWS::S3::Bucket': {
      replaceOn: ['BucketName'],
      create: (props, p) => {
        const name = props.BucketName ?? generatedName(p, 63).toLowerCase();
        createBucket(p.ctx, name);
        return { physicalId: name, attributes: bucketAttributes(name, p.ctx.region) };
      },
      update: (id, _props, _prev, p) => bucketAttributes(id, p.ctx.region),
      delete: (id, _props, p) => ignoringNotFound(() => deleteBucket(p.ctx, id)),
    },
    'AWS::S3::BucketPolicy': {
      replaceOn: ['Bucket'],
      create: (props, p) => {
        bucketPolicies(p.ctx).set(String(props.Bucket), props.PolicyDocument);
        return { physicalId: generatedName(p, 128), attributes: {} };
      },
      update: (_id, props, _prev, p) => {
        bucketPolicies(p.ctx).set(String(props.Bucket), props.PolicyDocument);
        return {};
      },
      delete: (_id, props, p) => void bucketPolicies(p.ctx).delete(String(props.Bucket)),
    },
    'AWS::SageMaker::ModelPackageGroup': {
      replaceOn: ['ModelPackageGroupName'],
      create: (props, p) => {
        const name = props.ModelPackageGroupName ?? generatedName(p, 63, false);
        const out = call(sagemaker, 'CreateModelPackageGroup', { ModelPackageGroupName: name, ModelPackageGroupDescription: props.ModelPackageGroupDescription }, p);
        return { physicalId: out.ModelPackageGroupArn, attributes: { ModelPackageGroupArn: out.ModelPackageGroupArn, ModelPackageGroupStatus: 'Completed', CreationTime: new Date().toISOString() } };
      },
      update: (id) => ({ ModelPackageGroupArn: id, ModelPackageGroupStatus: 'Completed' }),
      delete: (id, _props, p) => ignoringNotFound(() => call(sagemaker, 'DeleteModelPackageGroup', { ModelPackageGroupName: nameOf(id) }, p)),
    },
    'AWS::ECR::Repository': {
      replaceOn: ['RepositoryName', 'EncryptionConfiguration'],
      create: (props, p) => {
        const name = props.RepositoryName ?? generatedName(p, 256).toLowerCase();
        try {
          call(ecr, 'CreateRepository', { repositoryName: name, imageTagMutability: props.ImageTagMutability, imageScanningConfiguration: { scanOnPush: Boolean(props.ImageScanningConfiguration?.ScanOnPush) } }, p);
        } catch (error) {
          if ((error as TwinError).code === 'RepositoryAlreadyExistsException') throw alreadyExists('AWS::ECR::Repository', name);
          throw error;
        }
        return { physicalId: name, attributes: { Arn: `arn:aws:ecr:${p.ctx.region}:${p.ctx.account}:repository/${name}`, RepositoryUri: `${p.ctx.account}.dkr.ecr.${p.ctx.region}.amazonaws.com/${name}` } };
      },
      // Tag mutability, scanning and lifecycle are recorded in the template only: the twin's ECR does not enforce them after creation.
      update: (id, _props, _prev, p) => ({ Arn: `arn:aws:ecr:${p.ctx.region}:${p.ctx.account}:repository/${id}`, RepositoryUri: `${p.ctx.account}.dkr.ecr.${p.ctx.region}.amazonaws.com/${id}` }),
      delete: (id, _props, p) => ignoringNotFound(() => call(ecr, 'DeleteRepository', { repositoryName: id }, p)),
    },
    'AWS::IAM::Role': {
      replaceOn: ['RoleName', 'Path'],
      create: (props, p) => {
        const name = props.RoleName ?? generatedName(p, 64);
        if (iamRoles(p.ctx).has(`${p.ctx.account}/${name}`)) throw alreadyExists('AWS::IAM::Role', name);
        const arn = `arn:aws:iam::${p.ctx.account}:role${props.Path ?? '/'}${name}`;
        const roleId = `AROA${randomBytes(8).toString('hex').toUpperCase()}`;
        iamRoles(p.ctx).set(`${p.ctx.account}/${name}`, { name, arn, roleId, props, policies: {} });
        return { physicalId: name, attributes: { Arn: arn, RoleId: roleId } };
      },
      update: (id, props, _prev, p) => {
        const role = iamRoles(p.ctx).update(`${p.ctx.account}/${id}`, (r) => (r.props = props))!;
        return { Arn: role.arn, RoleId: role.roleId };
      },
      delete: (id, _props, p) => {
        const role = iamRoles(p.ctx).get(`${p.ctx.account}/${id}`);
        if (role && Object.keys(role.policies).length) throw new TwinError('DeleteConflict', 'Cannot delete entity, must delete policies first.');
        iamRoles(p.ctx).delete(`${p.ctx.account}/${id}`);
      },
    },
    'AWS::IAM::RolePolicy': {
      replaceOn: ['PolicyName', 'RoleName'],
      create: (props, p) => {
        const key = `${p.ctx.account}/${props.RoleName}`;
        if (!iamRoles(p.ctx).has(key)) throw new TwinError('NoSuchEntity', `The role with name ${props.RoleName} cannot be found.`);
        iamRoles(p.ctx).update(key, (r) => (r.policies[props.PolicyName] = props.PolicyDocument));
        return { physicalId: generatedName(p, 128), attributes: {} };
      },
      update: (_id, props, _prev, p) => {
        iamRoles(p.ctx).update(`${p.ctx.account}/${props.RoleName}`, (r) => (r.policies[props.PolicyName] = props.PolicyDocument));
        return {};
      },
      delete: (_id, props, p) => void iamRoles(p.ctx).update(`${p.ctx.account}/${props.RoleName}`, (r) => delete r.policies[props.PolicyName]),
    },
    'AWS::SageMaker::Model': {
      replaceOn: 'all',
      create: (props, p) => {
        const name = props.ModelName ?? generatedName(p, 63, false);
        const out = call(sagemaker, 'CreateModel', { ...props, ModelName: name }, p);
        return { physicalId: out.ModelArn, attributes: { ModelName: name, Id: out.ModelArn } };
      },
      delete: (id, _props, p) => ignoringNotFound(() => call(sagemaker, 'DeleteModel', { ModelName: nameOf(id) }, p)),
    },
    'AWS::SageMaker::EndpointConfig': {
      replaceOn: 'all',
      create: (props, p) => {
        const name = props.EndpointConfigName ?? generatedName(p, 63, false);
        const out = call(sagemaker, 'CreateEndpointConfig', { ...props, EndpointConfigName: name }, p);
        return { physicalId: out.EndpointConfigArn, attributes: { EndpointConfigName: name, Id: out.EndpointConfigArn } };
      },
      delete: (id, _props, p) => ignoringNotFound(() => call(sagemaker, 'DeleteEndpointConfig', { EndpointConfigName: nameOf(id) }, p)),
    },
    'AWS::SageMaker::Endpoint': {
      replaceOn: ['EndpointName'],
      create: async (props, p) => {
        const name = props.EndpointName ?? generatedName(p, 63, false);
        const out = call(sagemaker, 'CreateEndpoint', { EndpointName: name, EndpointConfigName: props.EndpointConfigName, DeploymentConfig: props.DeploymentConfig, Tags: props.Tags }, p);
        const ep = await waitEndpoint(name, p);
        if (ep?.EndpointStatus !== 'InService') throw new TwinError('NotStabilized', `Endpoint ${name} is ${ep?.EndpointStatus ?? 'gone'}: ${ep?.FailureReason ?? 'no reason given'}`);
        return { physicalId: out.EndpointArn, attributes: { EndpointName: name, Id: out.EndpointArn } };
      },
      update: async (id, props, _prev, p) => {
        const name = nameOf(id);
        const current = describeEndpoint(name, p);
        const target = String(props.EndpointConfigName);
        // A rollback finds the endpoint on its old config already (guardrails put it back).
        if (current?.EndpointStatus === 'InService' && String(current.EndpointConfigName).toLowerCase() !== target.toLowerCase()) {
          call(sagemaker, 'UpdateEndpoint', { EndpointName: current.EndpointName, EndpointConfigName: target, DeploymentConfig: props.DeploymentConfig }, p);
          const ep = await waitEndpoint(name, p);
          if (String(ep?.EndpointConfigName).toLowerCase() !== target.toLowerCase() || ep?.EndpointStatus !== 'InService') {
            throw new TwinError('NotStabilized', `Endpoint ${current.EndpointName} did not move to endpoint config ${target}: it is ${ep?.EndpointStatus} on ${ep?.EndpointConfigName}${ep?.FailureReason ? ` (${ep.FailureReason})` : ' (the deployment was rolled back)'}`);
          }
        }
        return { EndpointName: current?.EndpointName ?? name, Id: id };
      },
      delete: async (id, _props, p) => {
        const name = nameOf(id);
        await ignoringNotFound(() => call(sagemaker, 'DeleteEndpoint', { EndpointName: name }, p));
        await waitFor(p, `Endpoint ${name} deletion`, () => describeEndpoint(name, p) === undefined);
      },
    },
    'AWS::CloudWatch::Alarm': {
      replaceOn: ['AlarmName'],
      create: (props, p) => {
        const name = props.AlarmName ?? generatedName(p, 255);
        const existing = call(cloudwatch, 'DescribeAlarms', { AlarmNames: [name] }, p);
        if (existing.MetricAlarms.length) throw alreadyExists('AWS::CloudWatch::Alarm', name);
        call(cloudwatch, 'PutMetricAlarm', { ...props, AlarmName: name }, p);
        return { physicalId: name, attributes: { Arn: `arn:aws:cloudwatch:${p.ctx.region}:${p.ctx.account}:alarm:${name}` } };
      },
      update: (id, props, _prev, p) => {
        call(cloudwatch, 'PutMetricAlarm', { ...props, AlarmName: id }, p);
        return { Arn: `arn:aws:cloudwatch:${p.ctx.region}:${p.ctx.account}:alarm:${id}` };
      },
      delete: (id, _props, p) => ignoringNotFound(() => call(cloudwatch, 'DeleteAlarms', { AlarmNames: [id] }, p)),
    },
    'AWS::ApplicationAutoScaling::ScalableTarget': {
      replaceOn: ['ResourceId', 'ScalableDimension', 'ServiceNamespace'],
      create: (props, p) => {
        call(autoscaling, 'RegisterScalableTarget', props, p);
        return { physicalId: `${props.ResourceId}|${props.ScalableDimension}|${props.ServiceNamespace}`, attributes: {} };
      },
      update: (_id, props, _prev, p) => {
        call(autoscaling, 'RegisterScalableTarget', props, p);
        return {};
      },
      delete: (_id, props, p) => ignoringNotFound(() => call(autoscaling, 'DeregisterScalableTarget', props, p)),
    },
    'AWS::ApplicationAutoScaling::ScalingPolicy': {
      replaceOn: ['PolicyName', 'ScalingTargetId', 'ResourceId', 'ScalableDimension', 'ServiceNamespace'],
      create: (props, p) => {
        const out = call(autoscaling, 'PutScalingPolicy', policyRequest(props), p);
        return { physicalId: out.PolicyARN, attributes: { Arn: out.PolicyARN } };
      },
      update: (_id, props, _prev, p) => {
        const out = call(autoscaling, 'PutScalingPolicy', policyRequest(props), p);
        return { Arn: out.PolicyARN };
      },
      delete: (_id, props, p) => ignoringNotFound(() => call(autoscaling, 'DeleteScalingPolicy', policyRequest(props), p)),
    },
  };
}

function bucketAttributes(name: string, region: string): Record<string, string> {
  return { Arn: `arn:aws:s3:::${name}`, DomainName: `${name}.s3.amazonaws.com`, RegionalDomainName: `${name}.s3.${region}.amazonaws.com` };
}

/** A ScalingPolicy's request: its target from ScalingTargetId (resource|dimension|namespace) or its own fields. */
function policyRequest(props: Input): Input {
  const [ResourceId, ScalableDimension, ServiceNamespace] = props.ScalingTargetId ? String(props.ScalingTargetId).split('|') : [props.ResourceId, props.ScalableDimension, props.ServiceNamespace];
  const { ScalingTargetId: _target, ...rest } = props;
  return { ...rest, ResourceId, ScalableDimension, ServiceNamespace };
}
