// DescribeEvents and LastOperations: the stack's events grouped by operation (a create, an update,
// a delete, a rollback, a change set's creation), as current deploy actions poll them.
import type { DescribeEventsInput } from '@aws-sdk/client-cloudformation';
import { dateOf } from '../clock.js';
import type { RequestContext } from '../context.js';
import { TwinError } from '../errors.js';
import { cfnValidationError } from './engine.js';
import { deletedStacks, findStack, stacks, type Stack, type StackEvent, type StackOperation } from './stacks.js';
import { page } from '../protocols/paging.js';

const PAGE = 100;

/** The change set's name as its ARN carries it: arn:...:changeSet/<name>/<id>. */
const changeSetNameOf = (arn: string) => arn.split(':changeSet/')[1]?.split('/')[0];

function matchesChangeSet(operation: StackOperation, nameOrArn: string): boolean {
  return operation.changeSetId !== undefined && (operation.changeSetId === nameOrArn || changeSetNameOf(operation.changeSetId) === nameOrArn);
}

/** The stack and the operations a DescribeEvents request asks about. */
function selection(ctx: RequestContext, input: DescribeEventsInput): { stack: Stack; operations: StackOperation[] } {
  const { StackName: stackName, ChangeSetName: changeSet, OperationId: operationId } = input;
  if (!stackName && !changeSet && !operationId) throw cfnValidationError('One of ChangeSetName, OperationId or StackName must be specified');
  const named = stackName ? findStack(ctx, stackName) : undefined;
  const candidates = stackName ? (named ? [named] : []) : [...stacks(ctx).values(), ...deletedStacks(ctx)];
  if (stackName && candidates.length === 0) throw cfnValidationError(`Stack [${stackName}] does not exist`);
  for (const stack of candidates) {
    const wanted = (o: StackOperation) => (!operationId || o.id === operationId) && (!changeSet || matchesChangeSet(o, changeSet));
    const operations = (stack.operations ?? []).filter(wanted);
    if (operations.length || (!operationId && !changeSet)) return { stack, operations };
  }
  if (changeSet) throw new TwinError('ChangeSetNotFound', `ChangeSet [${changeSet}] does not exist`);
  throw cfnValidationError(`Operation [${operationId}] does not exist`);
}

function eventType(stack: Stack, e: StackEvent): string {
  if (e.ResourceStatus.endsWith('_FAILED') && e.LogicalResourceId !== stack.name) return 'PROVISIONING_ERROR';
  return e.ResourceType === 'AWS::CloudFormation::Stack' && e.LogicalResourceId === stack.name ? 'STACK_EVENT' : 'PROGRESS_EVENT';
}

export function describeEvents(ctx: RequestContext, input: DescribeEventsInput) {
  const { stack, operations } = selection(ctx, input);
  const byId = new Map(operations.map((o) => [o.id, o]));
  const events = [...stack.events].reverse().flatMap((e) => {
    const operation = e.OperationId ? byId.get(e.OperationId) : undefined;
    if (!operation) return [];
    const type = eventType(stack, e);
    if (input.Filters?.FailedEvents && !(type.endsWith('_ERROR') || e.ResourceStatus.endsWith('_FAILED'))) return [];
    return [{
      EventId: e.EventId,
      StackId: e.StackId,
      OperationId: operation.id,
      OperationType: operation.type,
      OperationStatus: operation.status,
      EventType: type,
      LogicalResourceId: e.LogicalResourceId,
      PhysicalResourceId: e.PhysicalResourceId,
      ResourceType: e.ResourceType,
      Timestamp: dateOf(e.Timestamp),
      StartTime: dateOf(operation.started),
      EndTime: dateOf(operation.ended),
      ResourceStatus: e.ResourceStatus,
      ResourceStatusReason: e.ResourceStatusReason,
      ClientRequestToken: e.ClientRequestToken,
    }];
  });
  const { items, next } = page(events, input.NextToken, PAGE);
  return { OperationEvents: items, NextToken: next };
}

/** DescribeStacks' LastOperations: the latest operation, and the one a rollback undid, newest first. */
export function lastOperations(stack: Stack): { OperationType: string; OperationId: string }[] | undefined {
  const changes = (stack.operations ?? []).filter((o) => o.type !== 'CREATE_CHANGESET');
  const last = changes.at(-1);
  if (!last) return undefined;
  const shown = last.type === 'ROLLBACK' && changes.length > 1 ? [last, changes.at(-2)!] : [last];
  return shown.map((o) => ({ OperationType: o.type, OperationId: o.id }));
}
