import { CloudFormationClient } from '#aws-sdk/client-cloudformation';
import { CloudWatchClient } from '#aws-sdk/client-cloudwatch';
import { S3Client } from '#aws-sdk/client-s3';
import { SageMakerClient } from '#aws-sdk/client-sagemaker';
import { STSClient } from '#aws-sdk/client-sts';
import { actionLogger, FailureWithSummary, runAction } from '../../lib/action.js';
import { createClient } from '../../lib/aws.js';
import { Deadline } from '../../lib/wait.js';
import { DeployFailure, deployStack, type DeployResult } from './deploy.js';
import { readDeployInputs } from './inputs.js';
import { planDeployment } from './plan.js';
import { renderSummary } from './summary.js';

function outputsOf(result: DeployResult): Record<string, string | boolean> {
  return {
    'stack-id': result.stackId ?? '',
    'status': result.status ?? '',
    'changed': result.changed,
    'endpoint-name': result.endpoints[0]?.endpointName ?? result.outputs.EndpointName ?? '',
    ...result.outputs,
  };
}

await runAction(async () => {
  const deadlineStart = Date.now();
  const plan = planDeployment(readDeployInputs());
  const deadline = new Deadline(plan.timeoutMinutes * 60_000, deadlineStart);
  const options = { region: plan.region, logger: actionLogger };
  const clients = {
    cfn: createClient(CloudFormationClient, options),
    sagemaker: createClient(SageMakerClient, options),
    cloudwatch: createClient(CloudWatchClient, options),
    s3: createClient(S3Client, options),
    sts: createClient(STSClient, options),
  };
  try {
    const result = await deployStack(plan, clients, actionLogger, deadline);
    return { outputs: outputsOf(result), summary: renderSummary(plan, result) };
  } catch (error) {
    if (error instanceof DeployFailure) {
      throw new FailureWithSummary(error.message, renderSummary(plan, error.result, error.message), outputsOf(error.result));
    }
    throw error;
  }
});
