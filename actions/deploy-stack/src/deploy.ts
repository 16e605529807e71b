import { createHash } from 'node:crypto';
import {
  CancelUpdateStackCommand,
  DeleteStackCommand,
  ExecuteChangeSetCommand,
  type Change,
  type CloudFormationClient,
  type Stack,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { STSClient } from '@aws-sdk/client-sts';
import { changeSetName, createChangeSet, deleteChangeSet, waitForChangeSet, type ChangeSetRef } from './change-set.js';
import { describeChange, destructiveFirst, refusedChanges } from './destructive.js';
import type { EndpointCheck } from './endpoints.js';
import { StackEventStream } from './events.js';
import type { DeploymentPlan } from './plan.js';
import { classifyStack, describeStack, isInProgress, SUCCESS_STATUSES } from './stack.js';
import { DeadlineExceededError, UserError } from '../../../core/errors.js';
import type { Sender } from '../../lib/aws.js';
import type { Logger } from '../../lib/log.js';
import { Deadline, pollUntil } from '../../lib/wait.js';

/** CloudFormation, which every run calls first; the others load on their first call (lazyClient). */
export interface DeployClients {
  cfn: CloudFormationClient;
  sagemaker: Sender<SageMakerClient>;
  cloudwatch: Sender<CloudWatchClient>;
  s3: Sender<S3Client>;
  sts: Sender<STSClient>;
}

export interface DeployResult {
  stackName: string;
  stackId?: string;
  status?: string;
  changed: boolean;
  recreated: boolean;
  changeSet?: ChangeSetRef;
  changes: Change[];
  endpoints: EndpointCheck[];
  outputs: Record<string, string>;
  failedEvent?: StackEvent;
  /** The destructive changes the deploy refused to make. */
  refused?: Change[];
  startedAt: Date;
  finishedAt?: Date;
}

/** A deploy that failed after it began; carries what happened for the summary. */
export class DeployFailure extends Error {
  constructor(message: string, readonly result: DeployResult) {
    super(message);
    this.name = 'DeployFailure';
  }
}

// Events are stamped by AWS's clock; a little slack keeps the first ones of this run in view.
const CLOCK_SKEW_MS = 5_000;
// Cleanup after a timeout gets its own short allowance: the deploy's deadline has already passed.
const CLEANUP_MS = 5 * 60_000;

export interface Context {
  plan: DeploymentPlan;
  clients: DeployClients;
  logger: Logger;
  deadline: Deadline;
  result: DeployResult;
}

/** Polls the stack until nothing is in progress, streaming its events. Returns undefined once deleted. */
export async function waitForStack(ctx: Context, what: string, events: StackEventStream): Promise<Stack | undefined> {
  const { cfn } = ctx.clients;
  return pollUntil<Stack | undefined>({
    what: `stack ${ctx.plan.stackName} ${what}`,
    deadline: ctx.deadline,
    logger: ctx.logger,
    initialDelayMs: 2_000,
    maxDelayMs: 15_000,
    check: async () => {
      const stack = await describeStack(cfn, ctx.plan.stackName);
      if (!stack) return { done: true, value: undefined };
      // Events are a view for people; a failure to read them must not fail the deploy.
      await events.poll().catch((error: Error) => ctx.logger.debug(`Could not read stack events: ${error.message}`));
      if (isInProgress(stack.StackStatus)) return { done: false, status: stack.StackStatus! };
      return { done: true, value: stack };
    },
  });
}

export function eventStream(ctx: Context): StackEventStream {
  return new StackEventStream(ctx.clients.cfn, ctx.plan.stackName, new Date(Date.now() - CLOCK_SKEW_MS), ctx.logger);
}

export async function verifyAccount(ctx: Context): Promise<void> {
  const environment = ctx.plan.environment;
  if (!environment) return;
  const { callerIdentity } = await import('./account.js');
  const identity = await callerIdentity(ctx.clients.sts);
  if (identity.account !== environment.config.account) {
    throw new UserError(
      `The credentials are for account ${identity.account} (${identity.arn}), but ${environment.file} deploys to account ${environment.config.account}: ` +
        `assume ${environment.config.roleToAssume} first`,
    );
  }
}

/** Brings the stack to a state a change set can be made on; returns the change set type to use. */
async function settleStack(ctx: Context): Promise<{ type: 'CREATE' | 'UPDATE'; stack?: Stack }> {
  const name = ctx.plan.stackName;
  let stack = await describeStack(ctx.clients.cfn, name);
  let situation = classifyStack(stack);
  if (situation.kind === 'wait') {
    ctx.logger.info(`Stack ${name} is ${situation.stack.StackStatus} from another run; waiting for it to finish first`);
    stack = await waitForStack(ctx, 'to finish what another run started', eventStream(ctx));
    situation = classifyStack(stack);
  }
  if (situation.kind === 'blocked') {
    throw new UserError(`Stack ${name} is in ${situation.stack.StackStatus} and cannot be deployed until you ${situation.advice}`);
  }
  if (situation.kind === 'recreate') {
    ctx.logger.info(`Stack ${name} is in ROLLBACK_COMPLETE (its first create failed and only a delete works): deleting it, then creating it again`);
    await ctx.clients.cfn.send(new DeleteStackCommand({ StackName: name }));
    const left = await waitForStack(ctx, 'to be deleted', eventStream(ctx));
    if (left) throw new UserError(`Stack ${name} could not be deleted (${left.StackStatus}: ${left.StackStatusReason ?? 'no reason given'})`);
    ctx.result.recreated = true;
    return { type: 'CREATE' };
  }
  if (situation.kind === 'create' || situation.kind === 'create-on-review') return { type: 'CREATE', stack };
  return { type: 'UPDATE', stack: situation.stack };
}

export async function templateSource(ctx: Context): Promise<{ TemplateBody?: string; TemplateURL?: string }> {
  const { plan } = ctx;
  if (!plan.templateBucket) return { TemplateBody: plan.templateBody };
  const hash = createHash('sha256').update(plan.templateBody).digest('hex').slice(0, 16);
  const key = `sagemaker-gitops/templates/${plan.stackName}/${hash}-${plan.templatePath.split('/').pop()}`;
  const { writeS3Object } = await import('../../lib/s3-object.js');
  await writeS3Object(ctx.clients.s3, plan.templateBucket, key, plan.templateBody);
  ctx.logger.info(`Uploaded the template to s3://${plan.templateBucket}/${key}`);
  return { TemplateURL: `https://${plan.templateBucket}.s3.${plan.region}.amazonaws.com/${key}` };
}

function stackOutputs(stack: Stack | undefined): Record<string, string> {
  return Object.fromEntries((stack?.Outputs ?? []).filter((o) => o.OutputKey).map((o) => [o.OutputKey!, o.OutputValue ?? '']));
}

/** Undoes what this run started when its deadline passed, so nothing is left half-done. */
async function cleanUpAfterTimeout(ctx: Context, phase: 'change-set' | 'executing', createdReviewStack: boolean): Promise<string> {
  const cleanup = new Deadline(CLEANUP_MS);
  const { cfn } = ctx.clients;
  const ref = ctx.result.changeSet!;
  const name = ctx.plan.stackName;
  try {
    if (phase === 'change-set') {
      await deleteChangeSet(cfn, ref, cleanup, ctx.logger);
      if (createdReviewStack) await cfn.send(new DeleteStackCommand({ StackName: name }));
      return `deleted change set ${ref.changeSetName}${createdReviewStack ? ` and the empty stack ${name}` : ''}`;
    }
    if (ref.type === 'UPDATE') {
      await cfn.send(new CancelUpdateStackCommand({ StackName: name }));
      return `cancelled the update of ${name}; CloudFormation rolls it back to its last good state`;
    }
    await cfn.send(new DeleteStackCommand({ StackName: name }));
    return `deleted the half-created stack ${name}`;
  } catch (error) {
    return `cleanup failed (${(error as Error).message}); check stack ${name} in the CloudFormation console`;
  }
}

/**
 * Deploys the plan through a change set: settles the stack's state, creates and shows the change
 * set, executes it while streaming events, then checks every endpoint landed on its new config.
 */
export async function deployStack(plan: DeploymentPlan, clients: DeployClients, logger: Logger, deadline: Deadline): Promise<DeployResult> {
  const result: DeployResult = {
    stackName: plan.stackName,
    changed: false,
    recreated: false,
    changes: [],
    endpoints: [],
    outputs: {},
    startedAt: new Date(),
  };
  const ctx: Context = { plan, clients, logger, deadline, result };
  const { cfn } = clients;

  await verifyAccount(ctx);
  const { type, stack: before } = await settleStack(ctx);
  const createdReviewStack = type === 'CREATE' && !before;
  const ref: ChangeSetRef = {
    stackName: plan.stackName,
    changeSetName: changeSetName(new Date(), plan.run?.id, plan.run?.attempt),
    type,
  };
  result.changeSet = ref;
  let phase: 'change-set' | 'executing' = 'change-set';

  try {
    logger.info(`Creating ${type} change set ${ref.changeSetName} for stack ${plan.stackName}`);
    result.stackId = await createChangeSet(cfn, plan, ref, await templateSource(ctx));
    let outcome;
    try {
      outcome = await waitForChangeSet(cfn, ref, deadline, logger);
    } catch (error) {
      if (error instanceof UserError) {
        // A change set CloudFormation rejected is removed, with the empty stack a CREATE made for it.
        await deleteChangeSet(cfn, ref, new Deadline(CLEANUP_MS), logger).catch(() => undefined);
        if (createdReviewStack) await cfn.send(new DeleteStackCommand({ StackName: plan.stackName })).catch(() => undefined);
      }
      throw error;
    }

    if (outcome.kind === 'empty') {
      logger.info(`No changes to deploy: ${outcome.reason}`);
      await deleteChangeSet(cfn, ref, deadline, logger);
      const stack = await describeStack(cfn, plan.stackName);
      Object.assign(result, {
        stackId: stack?.StackId ?? result.stackId,
        status: stack?.StackStatus,
        outputs: stackOutputs(stack),
        finishedAt: new Date(),
      });
      if (plan.failOnEmptyChangeSet) {
        throw new DeployFailure(`Stack ${plan.stackName} has no changes to deploy and fail-on-empty-changeset is true`, result);
      }
      return result;
    }

    result.changes = destructiveFirst(outcome.changes);
    result.stackId = outcome.stackId ?? result.stackId;
    const refused = refusedChanges(outcome.changes, plan.template, plan.guard);
    if (refused.length > 0) {
      // Nothing is executed: the change set goes, with the empty stack a first create made for it.
      await deleteChangeSet(cfn, ref, new Deadline(CLEANUP_MS), logger).catch(() => undefined);
      if (createdReviewStack) await cfn.send(new DeleteStackCommand({ StackName: plan.stackName })).catch(() => undefined);
      result.refused = refused;
      result.finishedAt = new Date();
      throw new DeployFailure(
        `Refusing to execute change set ${ref.changeSetName}: it would remove or replace ${refused.map(describeChange).join(', ')}. ` +
          `Nothing was changed. If that is intended, name ${refused.length > 1 ? 'them' : 'it'} in 'allow-destructive-changes'.`,
        result,
      );
    }
    logger.info(`Change set ${ref.changeSetName}: ${outcome.changes.length} change(s)`);
    for (const c of outcome.changes) {
      const rc = c.ResourceChange ?? {};
      logger.info(`  ${rc.Action} ${rc.LogicalResourceId} (${rc.ResourceType})${rc.Replacement === 'True' ? ' [replacement]' : ''}`);
    }

    phase = 'executing';
    const events = eventStream(ctx);
    await cfn.send(
      new ExecuteChangeSetCommand({ StackName: plan.stackName, ChangeSetName: ref.changeSetName, ClientRequestToken: ref.changeSetName }),
    );
    result.changed = true;
    const after = await waitForStack(ctx, `to finish ${type === 'CREATE' ? 'creating' : 'updating'}`, events);
    Object.assign(result, { stackId: after?.StackId ?? result.stackId, status: after?.StackStatus ?? 'DELETE_COMPLETE', outputs: stackOutputs(after) });

    if (!after || !SUCCESS_STATUSES.has(after.StackStatus!)) {
      result.failedEvent = events.firstFailure();
      result.finishedAt = new Date();
      const f = result.failedEvent;
      let cause = f
        ? `first failed resource ${f.LogicalResourceId} (${f.ResourceType}): ${f.ResourceStatusReason ?? 'no reason given'}`
        : after?.StackStatusReason ?? 'no failure event was found';
      // An endpoint update that guardrails rolled back fails the stack too; name the alarm.
      if (f?.ResourceType === 'AWS::SageMaker::Endpoint' && f.PhysicalResourceId) {
        const { explainEndpointFailure, nameFromArn } = await import('./endpoints.js');
        const why = await explainEndpointFailure(clients, nameFromArn(f.PhysicalResourceId), result.startedAt).catch(() => undefined);
        if (why) cause += `; ${why}`;
      }
      throw new DeployFailure(`Stack ${plan.stackName} ended in ${result.status}: ${cause}`, result);
    }

    const { checkEndpoints } = await import('./endpoints.js');
    result.endpoints = await checkEndpoints(clients, plan.stackName, plan.template, result.startedAt);
    result.finishedAt = new Date();
    const bad = result.endpoints.filter((e) => !e.ok);
    if (bad.length > 0) {
      throw new DeployFailure(bad.map((e) => `Endpoint ${e.endpointName} ${e.problem}`).join('\n'), result);
    }
    for (const e of result.endpoints) logger.info(`Endpoint ${e.endpointName} is InService on ${e.configName}`);
    return result;
  } catch (error) {
    if (!(error instanceof DeadlineExceededError)) throw error;
    const cleaned = await cleanUpAfterTimeout(ctx, phase, createdReviewStack);
    result.finishedAt = new Date();
    throw new DeployFailure(`${error.message} (timeout-minutes: ${plan.timeoutMinutes}); ${cleaned}`, result);
  }
}
