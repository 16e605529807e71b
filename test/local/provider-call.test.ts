// Template properties reach the twin's operations typed by botocore's shapes, as a resource
// provider converts them: a Number parameter arrives from the template as text.
import { describe, expect, it } from '@jest/globals';
import { call, typedBy, type Operations, type ProviderContext } from '../../local/cloudformation/provider.js';
import type { RequestContext } from '../../local/context.js';
import { findBotocoreData, ServiceModels } from '../../local/protocols/model.js';

const models = new ServiceModels(findBotocoreData(process.cwd())!);
const provider = (withModels: boolean): ProviderContext => ({
  ctx: { account: '111111111111', region: 'us-east-1', requestId: 'r', models: withModels ? models : undefined } as unknown as RequestContext,
  stackName: 'app',
  logicalId: 'Config',
});

describe('a provider calling an operation', () => {
  const received: unknown[] = [];
  const sagemaker = typedBy({ CreateEndpointConfig: (input: never) => (received.push(input), {}) } as Operations, 'sagemaker');
  const properties = {
    EndpointConfigName: 'c',
    ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'm', InitialInstanceCount: '2', InitialVariantWeight: '0.5', InstanceType: 'ml.m5.large' }],
    DataCaptureConfig: { EnableCapture: 'true', InitialSamplingPercentage: '20', DestinationS3Uri: 's3://b/c', CaptureOptions: [{ CaptureMode: 'Input' }] },
  };

  it('converts numbers and booleans given as text by the input shape, and leaves text alone', () => {
    received.length = 0;
    call(sagemaker, 'CreateEndpointConfig', properties, provider(true));
    expect(received[0]).toEqual({
      EndpointConfigName: 'c',
      ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'm', InitialInstanceCount: 2, InitialVariantWeight: 0.5, InstanceType: 'ml.m5.large' }],
      DataCaptureConfig: { EnableCapture: true, InitialSamplingPercentage: 20, DestinationS3Uri: 's3://b/c', CaptureOptions: [{ CaptureMode: 'Input' }] },
    });
  });

  it('keeps text that is no number for the operation to refuse', () => {
    received.length = 0;
    call(sagemaker, 'CreateEndpointConfig', { ProductionVariants: [{ InitialInstanceCount: 'two' }] }, provider(true));
    expect(received[0]).toEqual({ ProductionVariants: [{ InitialInstanceCount: 'two' }] });
  });

  it('passes properties as they are where no model is at hand', () => {
    received.length = 0;
    call(sagemaker, 'CreateEndpointConfig', properties, provider(false));
    expect(received[0]).toBe(properties);
  });
});
