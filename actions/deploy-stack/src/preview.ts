// Plan mode: the change set a deploy would execute, computed by CloudFormation and then thrown
// away, so a pull request can show reviewers exactly what merging it does. Nothing is changed:
// the change set is deleted, and so is the empty stack a first-ever plan makes CloudFormation hold.
import { DeleteStackCommand, type Change } from '@aws-sdk/client-cloudformation';
import { changeSetName, createChangeSet, deleteChangeSet, waitForChangeSet, type ChangeSetRef } from './change-set.js';
import { templateSource, verifyAccount, waitForStack, eventStream, type DeployClients, type DeployResult } from './deploy.js';
import { destructiveFirst, isDestructive } from './destructive.js';
import type { DeploymentPlan } from './plan.js';
import { classifyStack, describeStack } from './stack.js';
import { UserError } from '../../../core/errors.js';
import type { Logger } from '../../lib/log.js';
import { Deadline } from '../../lib/wait.js';

export interface Preview {
  stackName: string;
  /** CREATE for a stack that does not exist yet (or must be created again), UPDATE otherwise. */
  type: 'CREATE' | 'UPDATE';
  /** The stack is in ROLLBACK_COMPLETE: a deploy deletes it and creates every resource again. */
  recreate: boolean;
  changes: Change[];
  /** CloudFormation found nothing to change. */
  empty: boolean;
}

const CLEANUP_MS = 5 * 60_000;

/** Every resource of the template as an addition: what re-creating a ROLLBACK_COMPLETE stack does. */
function additions(plan: DeploymentPlan): Change[] {
  return Object.entries(plan.template.Resources).map(([id, r]) => ({
    Type: 'Resource',
    ResourceChange: { Action: 'Add', LogicalResourceId: id, ResourceType: r.Type },
  }));
}

export async function previewStack(plan: DeploymentPlan, clients: DeployClients, logger: Logger, deadline: Deadline): Promise<Preview> {
  const result: DeployResult = {
    stackName: plan.stackName, changed: false, recreated: false, changes: [], endpoints: [], outputs: {}, startedAt: new Date(),
  };
  const ctx = { plan, clients, logger, deadline, result };
  const { cfn } = clients;
  await verifyAccount(ctx);
  let stack = await describeStack(cfn, plan.stackName);
  let situation = classifyStack(stack);
  if (situation.kind === 'wait') {
    logger.info(`Stack ${plan.stackName} is ${situation.stack.StackStatus} from another run; waiting for it to finish before planning`);
    stack = await waitForStack(ctx, 'to finish what another run started', eventStream(ctx));
    situation = classifyStack(stack);
  }
  if (situation.kind === 'blocked') {
    throw new UserError(`Stack ${plan.stackName} is in ${situation.stack.StackStatus} and cannot be deployed until you ${situation.advice}`);
  }
  if (situation.kind === 'recreate') {
    logger.info(`Stack ${plan.stackName} is in ROLLBACK_COMPLETE: a deploy deletes it and creates it again`);
    return { stackName: plan.stackName, type: 'CREATE', recreate: true, changes: additions(plan), empty: false };
  }
  const type = situation.kind === 'update' ? 'UPDATE' : 'CREATE';
  const createdReviewStack = situation.kind === 'create';
  const ref: ChangeSetRef = { stackName: plan.stackName, changeSetName: `plan-${changeSetName(new Date(), plan.run?.id, plan.run?.attempt)}`.slice(0, 128), type };
  logger.info(`Planning: creating ${type} change set ${ref.changeSetName} for stack ${plan.stackName} (it is deleted afterwards)`);
  let created = false;
  try {
    await createChangeSet(cfn, plan, ref, await templateSource(ctx));
    created = true;
    const outcome = await waitForChangeSet(cfn, ref, deadline, logger);
    const changes = outcome.kind === 'ready' ? destructiveFirst(outcome.changes) : [];
    for (const c of changes.filter(isDestructive)) {
      const rc = c.ResourceChange!;
      logger.warning(`${rc.Action === 'Remove' ? 'Removes' : 'Replaces'} ${rc.LogicalResourceId} (${rc.ResourceType})${rc.Action === 'Remove' ? '' : `: replacement ${rc.Replacement}`}`);
    }
    return { stackName: plan.stackName, type, recreate: false, changes, empty: outcome.kind === 'empty' };
  } finally {
    // Whatever happened, leave nothing behind: no change set, and no empty stack held for one.
    if (created) await cleanUp(cfn, ref, createdReviewStack, logger);
  }
}

async function cleanUp(cfn: DeployClients['cfn'], ref: ChangeSetRef, createdReviewStack: boolean, logger: Logger): Promise<void> {
  await deleteChangeSet(cfn, ref, new Deadline(CLEANUP_MS), logger)
    .catch((error: Error) => logger.warning(`Could not delete the plan's change set ${ref.changeSetName}: ${error.message}`));
  if (!createdReviewStack) return;
  await cfn.send(new DeleteStackCommand({ StackName: ref.stackName }))
    .catch((error: Error) => logger.warning(`Could not delete the empty stack ${ref.stackName}: ${error.message}`));
  logger.info(`Deleted the empty stack ${ref.stackName} the plan's change set needed`);
}
