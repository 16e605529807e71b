import {
  DescribeStacksCommand,
  type CloudFormationClient,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { awsErrorCode } from '../../../core/errors.js';

/** The stack, or undefined when CloudFormation says it does not exist. */
export async function describeStack(cfn: CloudFormationClient, stackName: string): Promise<Stack | undefined> {
  try {
    const out = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = out.Stacks?.[0];
    return stack && stack.StackStatus !== 'DELETE_COMPLETE' ? stack : undefined;
  } catch (error) {
    if (awsErrorCode(error) === 'ValidationError' && /does not exist/.test((error as Error).message)) return undefined;
    throw error;
  }
}

/** What a deploy must do with a stack in its current state. */
export type StackSituation =
  | { kind: 'create' }
  | { kind: 'create-on-review'; stack: Stack }
  | { kind: 'recreate'; stack: Stack }
  | { kind: 'wait'; stack: Stack }
  | { kind: 'blocked'; stack: Stack; advice: string }
  | { kind: 'update'; stack: Stack };

export function isInProgress(status: string | undefined): boolean {
  return Boolean(status?.endsWith('_IN_PROGRESS')) && status !== 'REVIEW_IN_PROGRESS';
}

export function classifyStack(stack: Stack | undefined): StackSituation {
  if (!stack) return { kind: 'create' };
  const status = stack.StackStatus ?? '';
  const name = stack.StackName ?? '';
  // A stack created by a CREATE change set that was never executed: create again on it.
  if (status === 'REVIEW_IN_PROGRESS') return { kind: 'create-on-review', stack };
  // A failed first create can only be deleted.
  if (status === 'ROLLBACK_COMPLETE') return { kind: 'recreate', stack };
  if (isInProgress(status)) return { kind: 'wait', stack };
  if (status === 'ROLLBACK_FAILED' || status === 'DELETE_FAILED') {
    return {
      kind: 'blocked',
      stack,
      advice:
        `delete it (aws cloudformation delete-stack --stack-name ${name}, retaining the resources that fail to delete with --retain-resources), ` +
        'then deploy again',
    };
  }
  if (status === 'UPDATE_ROLLBACK_FAILED') {
    return {
      kind: 'blocked',
      stack,
      advice:
        `finish the rollback (aws cloudformation continue-update-rollback --stack-name ${name}, skipping resources that cannot roll back ` +
        'with --resources-to-skip), or delete the stack, then deploy again',
    };
  }
  if (status === 'IMPORT_ROLLBACK_FAILED') {
    return { kind: 'blocked', stack, advice: `fix or delete the stack (aws cloudformation delete-stack --stack-name ${name}), then deploy again` };
  }
  return { kind: 'update', stack };
}

/** Statuses a deploy ends well in. */
export const SUCCESS_STATUSES = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'IMPORT_COMPLETE']);
