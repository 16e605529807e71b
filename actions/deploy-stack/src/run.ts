import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DeployFailure, deployStack, type DeployClients, type DeployResult } from './deploy.js';
import { isDestructive } from './destructive.js';
import { readDeployRequest } from './inputs.js';
import { planDeployment } from './plan.js';
import { previewStack } from './preview.js';
import { renderPlan, renderSummary } from './summary.js';
import { FailureWithSummary, type ActionContext, type ActionResult, type Outputs } from '../../lib/action.js';
import { createClient, lazyClient } from '../../lib/aws.js';
import { pullRequestTarget, upsertCommentSection } from '../../lib/github-comment.js';
import type { Logger } from '../../lib/log.js';

// One comment per pull request holds the plan of every stack it changes, a section each.
const PLAN_MARKER = '<!-- sagemaker-gitops:plan -->';
const PLAN_TITLE = '## What merging this pull request deploys\n\nThe change set of each stack, computed by CloudFormation and deleted again; removals and replacements come first.';

export function createDeployClients(region: string, logger: Logger): DeployClients {
  const options = { region, logger };
  return {
    cfn: createClient(CloudFormationClient, options),
    sagemaker: lazyClient(() => import('./endpoints.js').then((m) => m.SageMakerClient), options),
    cloudwatch: lazyClient(() => import('./endpoints.js').then((m) => m.CloudWatchClient), options),
    s3: lazyClient(() => import('../../lib/s3-object.js').then((m) => m.S3Client), options),
    sts: lazyClient(() => import('./account.js').then((m) => m.STSClient), options),
  };
}

function outputsOf(result: DeployResult): Outputs {
  return {
    // Stack outputs first, so the documented outputs below always win a name clash.
    ...result.outputs,
    'stack-id': result.stackId ?? '',
    'status': result.status ?? '',
    'changed': result.changed,
    'endpoint-name': result.endpoints[0]?.endpointName ?? result.outputs.EndpointName ?? '',
  };
}

/** The whole action: inputs, plan (no AWS call until both are valid), deploy, outputs and summary. */
export async function runDeploy(
  ctx: ActionContext,
  makeClients: (region: string, logger: Logger) => DeployClients = createDeployClients,
  fetchImpl: typeof fetch = fetch,
): Promise<ActionResult> {
  const request = readDeployRequest(ctx.env);
  const plan = planDeployment(request, () => ctx.region([request.region, request.environment?.config.region], "the 'region' input, an 'environment' whose file has a region,"));
  const clients = makeClients(plan.region, ctx.logger);
  if (request.mode === 'plan') {
    const preview = await previewStack(plan, clients, ctx.logger, ctx.deadline(plan.timeoutMinutes));
    const markdown = renderPlan(plan, preview);
    const target = request.comment ? pullRequestTarget(ctx.env, request.githubToken) : undefined;
    if (target) await upsertCommentSection(target, PLAN_MARKER, PLAN_TITLE, plan.stackName, markdown, ctx.logger, fetchImpl);
    const destructive = preview.changes.filter(isDestructive).map((c) => c.ResourceChange?.LogicalResourceId ?? '');
    return { outputs: { 'plan-markdown': markdown, 'changed': !preview.empty, 'destructive-changes': destructive.join(',') }, summary: markdown };
  }
  try {
    const result = await deployStack(plan, clients, ctx.logger, ctx.deadline(plan.timeoutMinutes));
    return { outputs: outputsOf(result), summary: renderSummary(plan, result) };
  } catch (error) {
    if (error instanceof DeployFailure) {
      throw new FailureWithSummary(error.message, renderSummary(plan, error.result, error.message), outputsOf(error.result));
    }
    throw error;
  }
}
