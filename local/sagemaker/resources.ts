// SageMaker's CloudFormation resources: model package groups, models, endpoint configs and
// endpoints, through the twin's SageMaker operations; endpoints are waited for as CloudFormation does.
import { call, generatedName, ignoringNotFound, waitFor, type Input, type Operations, type Provider, type ProviderContext } from '../cloudformation/provider.js';
import { TwinError } from '../errors.js';

export function sagemakerResources(sagemaker: Operations): Record<string, Provider> {
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
  };
}
