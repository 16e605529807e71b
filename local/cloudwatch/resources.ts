// CloudWatch's CloudFormation resource: metric alarms, through the twin's CloudWatch operations.
import { cloudwatchOperations as cloudwatch } from './operations.js';
import { alreadyExists, call, generatedName, ignoringNotFound, type Provider } from '../cloudformation/provider.js';

export const cloudwatchResources: Record<string, Provider> = {
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
};
