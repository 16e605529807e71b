// The services of the twin, each from its own folder: its botocore model, how clients address
// it, its operations, and the CloudFormation resource types it provides.
//
// To add a service: write <service>/operations.ts (handlers that take the operation's input as
// botocore's shape types it and return its output; state through ctx.store.regional), add a line
// below with the botocore model name and its address (the JSON target, the awsQuery version or
// the REST signing name), and, if templates create its resources, <service>/resources.ts.
import { autoscalingOperations } from './autoscaling/operations.js';
import { autoscalingResources } from './autoscaling/resources.js';
import { cloudformationOperations } from './cloudformation/operations.js';
import { typedBy } from './cloudformation/provider.js';
import { cloudwatchOperations } from './cloudwatch/operations.js';
import { cloudwatchResources } from './cloudwatch/resources.js';
import { ecrOperations } from './ecr/operations.js';
import { ecrResources } from './ecr/resources.js';
import { iamResources } from './iam/resources.js';
import type { ServiceDefinition } from './protocols/adapter.js';
import { S3_XML_ROOTS, s3Operations } from './s3/operations.js';
import { s3Resources } from './s3/resources.js';
import type { Fleets } from './sagemaker/hosting/fleets.js';
import { hostingOperations } from './sagemaker/hosting/operations.js';
import { jobOperations } from './sagemaker/jobs.js';
import { pipelineOperations } from './sagemaker/pipelines/operations.js';
import { registryOperations } from './sagemaker/registry.js';
import { sagemakerResources } from './sagemaker/resources.js';
import { runtimeOperations } from './sagemaker-runtime/operations.js';
import { stsOperations } from './sts/operations.js';

export function twinServices(repoRoot: string, fleets: Fleets): ServiceDefinition[] {
  // Resource providers call these operations with template properties, typed by each botocore model.
  const sagemaker = typedBy({ ...registryOperations, ...jobOperations(repoRoot), ...pipelineOperations(repoRoot), ...hostingOperations(fleets) }, 'sagemaker');
  const ecr = typedBy(ecrOperations(repoRoot), 'ecr');
  typedBy(cloudwatchOperations, 'cloudwatch');
  typedBy(autoscalingOperations, 'application-autoscaling');
  const resources = {
    ...s3Resources, ...iamResources, ...ecrResources(ecr), ...sagemakerResources(sagemaker), ...cloudwatchResources, ...autoscalingResources,
  };
  return [
    { name: 'SageMaker', model: 'sagemaker', json: { target: 'SageMaker', version: '1.1' }, operations: sagemaker },
    { name: 'ECR', model: 'ecr', json: { target: 'AmazonEC2ContainerRegistry_V20150921', version: '1.1' }, operations: ecr },
    // CloudWatch speaks awsJson1_0 to the JS SDK and awsQuery to boto3, with the same shapes.
    {
      name: 'CloudWatch', model: 'cloudwatch', json: { target: 'GraniteServiceVersion20100801', version: '1.0', queryCompatible: true }, query: { version: '2010-08-01' }, operations: cloudwatchOperations,
    },
    { name: 'ApplicationAutoScaling', model: 'application-autoscaling', json: { target: 'AnyScaleFrontendService', version: '1.1' }, operations: autoscalingOperations },
    { name: 'STS', model: 'sts', query: { version: '2011-06-15' }, operations: stsOperations },
    { name: 'CloudFormation', model: 'cloudformation', query: { version: '2010-05-15' }, operations: cloudformationOperations(resources) },
    { name: 'SageMakerRuntime', model: 'sagemaker-runtime', rest: { protocol: 'rest-json', signingName: 'sagemaker' }, operations: runtimeOperations(fleets) },
    { name: 'S3', model: 's3', rest: { protocol: 'rest-xml', signingName: 's3' }, operations: s3Operations, xmlRoots: S3_XML_ROOTS },
  ];
}
