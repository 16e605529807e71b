import {
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  type Change,
  type ChangeSetType,
  type CloudFormationClient,
  type DescribeChangeSetCommandOutput,
} from '@aws-sdk/client-cloudformation';
import type { DeploymentPlan } from './plan.js';
import { awsErrorCode, UserError } from '../../../core/errors.js';
import type { Logger } from '../../lib/log.js';
import { pollUntil, type Deadline } from '../../lib/wait.js';

export interface ChangeSetRef {
  stackName: string;
  changeSetName: string;
  type: ChangeSetType;
}

export type ChangeSetOutcome = { kind: 'ready'; changes: Change[]; stackId?: string } | { kind: 'empty'; reason: string };

// CloudFormation's words for a change set with nothing to do (the second comes with transforms).
const EMPTY_REASONS = [/didn't contain changes/, /No updates are to be performed/];

export function isEmptyChangeSetReason(reason: string | undefined): boolean {
  return EMPTY_REASONS.some((r) => r.test(reason ?? ''));
}

export async function createChangeSet(
  cfn: CloudFormationClient,
  plan: DeploymentPlan,
  ref: ChangeSetRef,
  template: { TemplateBody?: string; TemplateURL?: string },
): Promise<string | undefined> {
  const out = await cfn.send(
    new CreateChangeSetCommand({
      StackName: ref.stackName,
      ChangeSetName: ref.changeSetName,
      ChangeSetType: ref.type,
      ...template,
      Parameters: plan.parameters,
      Capabilities: plan.capabilities,
      Tags: plan.tags,
      Description: `sagemaker-gitops deploy of ${plan.templatePath}${plan.environment ? ` to ${plan.environment.name}` : ''}`,
      // The same token on a retried request creates no second change set.
      ClientToken: ref.changeSetName,
    }),
  );
  return out.StackId;
}

/** All pages of a change set's description, its changes gathered. */
async function describeChangeSet(cfn: CloudFormationClient, ref: ChangeSetRef): Promise<DescribeChangeSetCommandOutput & { Changes: Change[] }> {
  let token: string | undefined;
  let first: DescribeChangeSetCommandOutput | undefined;
  const changes: Change[] = [];
  do {
    const page = await cfn.send(new DescribeChangeSetCommand({ StackName: ref.stackName, ChangeSetName: ref.changeSetName, NextToken: token }));
    first ??= page;
    changes.push(...(page.Changes ?? []));
    token = page.NextToken;
  } while (token);
  return { ...first!, Changes: changes };
}

/** Waits until the change set is computed: its changes, or empty, or a UserError with CloudFormation's reason. */
export async function waitForChangeSet(
  cfn: CloudFormationClient,
  ref: ChangeSetRef,
  deadline: Deadline,
  logger: Logger,
): Promise<ChangeSetOutcome> {
  return pollUntil<ChangeSetOutcome>({
    what: `change set ${ref.changeSetName} to be created`,
    deadline,
    logger,
    initialDelayMs: 1_000,
    maxDelayMs: 10_000,
    check: async () => {
      const cs = await describeChangeSet(cfn, ref);
      if (cs.Status === 'CREATE_COMPLETE') return { done: true, value: { kind: 'ready', changes: cs.Changes, stackId: cs.StackId } };
      if (cs.Status === 'FAILED') {
        if (isEmptyChangeSetReason(cs.StatusReason)) return { done: true, value: { kind: 'empty', reason: cs.StatusReason ?? '' } };
        throw new UserError(`Change set ${ref.changeSetName} for stack ${ref.stackName} failed: ${cs.StatusReason ?? 'no reason given'}`);
      }
      return { done: false, status: cs.Status ?? 'UNKNOWN' };
    },
  });
}

/** Deletes the change set and waits until CloudFormation no longer knows it. */
export async function deleteChangeSet(cfn: CloudFormationClient, ref: ChangeSetRef, deadline: Deadline, logger: Logger): Promise<void> {
  await cfn.send(new DeleteChangeSetCommand({ StackName: ref.stackName, ChangeSetName: ref.changeSetName }));
  await pollUntil<void>({
    what: `change set ${ref.changeSetName} to be deleted`,
    deadline,
    logger,
    initialDelayMs: 1_000,
    maxDelayMs: 5_000,
    check: async () => {
      try {
        const cs = await cfn.send(new DescribeChangeSetCommand({ StackName: ref.stackName, ChangeSetName: ref.changeSetName }));
        if (cs.Status === 'DELETE_COMPLETE') return { done: true, value: undefined };
        return { done: false, status: cs.Status ?? 'DELETE_PENDING' };
      } catch (error) {
        if (awsErrorCode(error) === 'ChangeSetNotFoundException' || awsErrorCode(error) === 'ChangeSetNotFound') return { done: true, value: undefined };
        throw error;
      }
    },
  });
  logger.info(`Deleted change set ${ref.changeSetName}`);
}

/** A change set name that is unique per run and valid ([a-zA-Z][-a-zA-Z0-9]*, at most 128). */
export function changeSetName(now: Date, runId?: string, attempt?: string): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  const run = runId ? `-run${runId}${attempt ? `-${attempt}` : ''}` : '';
  return `gitops-${stamp}${run}`.replace(/[^a-zA-Z0-9-]/g, '-').slice(0, 128);
}
