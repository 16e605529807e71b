// Application Auto Scaling's CloudFormation resources: scalable targets and scaling policies.
import { autoscalingOperations as autoscaling } from './operations.js';
import { call, ignoringNotFound, type Input, type Provider } from '../cloudformation/provider.js';

export const autoscalingResources: Record<string, Provider> = {
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

/** A ScalingPolicy's request: its target from ScalingTargetId (resource|dimension|namespace) or its own fields. */
function policyRequest(props: Input): Input {
  const [ResourceId, ScalableDimension, ServiceNamespace] = props.ScalingTargetId ? String(props.ScalingTargetId).split('|') : [props.ResourceId, props.ScalableDimension, props.ServiceNamespace];
  const { ScalingTargetId: _target, ...rest } = props;
  return { ...rest, ResourceId, ScalableDimension, ServiceNamespace };
}
