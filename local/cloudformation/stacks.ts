// The twin's CloudFormation state: stacks with their resources, outputs and events, change sets,
// and exports; plus the evaluation context that resolves Ref, GetAtt and ImportValue against it.
import { randomUUID } from 'node:crypto';
import type { Template } from '../../core/cfn-template.js';
import type { RequestContext } from '../context.js';
import { cfnValidationError, evaluateConditions, type EvaluationContext, type ParameterValue } from './engine.js';
import type { Input } from './provider.js';

export interface StackResource {
  logicalId: string;
  type: string;
  physicalId?: string;
  status: string;
  statusReason?: string;
  /** The properties as last applied, intrinsic functions evaluated. */
  properties?: Input;
  attributes?: Record<string, unknown>;
  updated: number;
}

export interface StackEvent {
  EventId: string;
  StackId: string;
  StackName: string;
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  ResourceType: string;
  Timestamp: number;
  ResourceStatus: string;
  ResourceStatusReason?: string;
  ClientRequestToken?: string;
  /** The stack operation the event belongs to (DescribeEvents groups by it). */
  OperationId?: string;
}

/** One discrete attempt to change the stack, as DescribeEvents and LastOperations name it. */
export interface StackOperation {
  id: string;
  type: 'CREATE_STACK' | 'UPDATE_STACK' | 'DELETE_STACK' | 'ROLLBACK' | 'CREATE_CHANGESET';
  status: 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';
  started: number;
  ended?: number;
  /** The change set it created or executed (a rollback inherits the execution's). */
  changeSetId?: string;
}

export interface Stack {
  name: string;
  id: string;
  status: string;
  statusReason?: string;
  created: number;
  updated?: number;
  /** When the stack was deleted: CloudFormation still describes it by id, and lists it, for 90 days. */
  deleted?: number;
  templateBody: string;
  parameters: Record<string, ParameterValue>;
  capabilities: string[];
  tags: { Key: string; Value: string }[];
  resources: Record<string, StackResource>;
  outputs: { OutputKey: string; OutputValue: string; Description?: string; ExportName?: string }[];
  imports: string[];
  events: StackEvent[];
  changeSetId?: string;
  description?: string;
  /** CancelUpdateStack asked for it: the running update stops before its next resource. */
  cancelRequested?: boolean;
  operations?: StackOperation[];
  currentOperation?: string;
}

export interface ChangeSet {
  id: string;
  name: string;
  stackName: string;
  stackId: string;
  type: 'CREATE' | 'UPDATE';
  created: number;
  /** Decided when the change set was computed; revealed after a short (simulated) delay. */
  outcome: 'CREATE_COMPLETE' | 'FAILED';
  statusReason?: string;
  executionStatus?: 'EXECUTE_IN_PROGRESS' | 'EXECUTE_COMPLETE' | 'EXECUTE_FAILED' | 'OBSOLETE';
  templateBody: string;
  parameters: Record<string, ParameterValue>;
  capabilities: string[];
  tags: { Key: string; Value: string }[];
  description?: string;
  changes: Input[];
  clientToken?: string;
}

export const stacks = (ctx: RequestContext) => ctx.store.regional<Stack>('cloudformation-stacks', ctx);
export const changeSets = (ctx: RequestContext) => ctx.store.regional<ChangeSet>('cloudformation-change-sets', ctx);
export const exportsOf = (ctx: RequestContext) => ctx.store.regional<{ name: string; value: string; stackId: string; stackName: string }>('cloudformation-exports', ctx);


/** A stack by name or id; undefined when it does not exist. */
// How long CloudFormation keeps a deleted stack's description and events.
const DELETED_KEPT_MS = 90 * 24 * 3600_000;

/** Deleted stacks by id, for the 90 days CloudFormation keeps them. */
export function deletedStacks(ctx: RequestContext): Stack[] {
  const kept = ctx.store.regional<Stack>('cloudformation-deleted-stacks', ctx);
  for (const s of kept.values()) if (Date.now() - (s.deleted ?? 0) > DELETED_KEPT_MS) kept.delete(s.id);
  return kept.values();
}

/** Moves a stack whose delete completed to the deleted stacks: gone by name, still there by id. */
export function retireStack(ctx: RequestContext, stack: Stack): void {
  const final = stacks(ctx).get(stack.name) ?? stack;
  ctx.store.regional<Stack>('cloudformation-deleted-stacks', ctx).set(final.id, { ...final, deleted: Date.now() });
  stacks(ctx).delete(stack.name);
}

/** A stack by name (live stacks only), or by id (deleted ones too, as CloudFormation answers). */
export function findStack(ctx: RequestContext, nameOrId: string): Stack | undefined {
  if (!nameOrId.startsWith('arn:')) return stacks(ctx).get(nameOrId);
  return stacks(ctx).values().find((s) => s.id === nameOrId) ?? deletedStacks(ctx).find((s) => s.id === nameOrId);
}

export function requireStack(ctx: RequestContext, nameOrId: string): Stack {
  const s = findStack(ctx, nameOrId);
  if (!s) throw cfnValidationError(`Stack with id ${nameOrId} does not exist`);
  return s;
}

export function newStackId(ctx: RequestContext, name: string): string {
  return `arn:aws:cloudformation:${ctx.region}:${ctx.account}:stack/${name}/${randomUUID()}`;
}

/** Appends an event (DescribeStackEvents shows them newest first). */
export function addEvent(ctx: RequestContext, stack: Stack, e: Partial<StackEvent> & { ResourceStatus: string }): void {
  const operation = stacks(ctx).get(stack.name)?.currentOperation ?? stack.currentOperation;
  const event: StackEvent = {
    EventId: randomUUID(),
    StackId: stack.id,
    StackName: stack.name,
    LogicalResourceId: e.LogicalResourceId ?? stack.name,
    PhysicalResourceId: e.PhysicalResourceId ?? (e.LogicalResourceId ? undefined : stack.id),
    ResourceType: e.ResourceType ?? 'AWS::CloudFormation::Stack',
    Timestamp: Date.now(),
    ResourceStatus: e.ResourceStatus,
    ResourceStatusReason: e.ResourceStatusReason,
    OperationId: operation,
  };
  const stored = stacks(ctx).update(stack.name, (s) => s.events.push(event));
  // The caller may hold the stored stack itself, or a copy of it.
  if (stored !== stack) stack.events.push(event);
}

// Stack statuses that begin an operation; a rollback ends the operation it undoes as FAILED.
const BEGINS: Record<string, StackOperation['type']> = {
  CREATE_IN_PROGRESS: 'CREATE_STACK',
  UPDATE_IN_PROGRESS: 'UPDATE_STACK',
  DELETE_IN_PROGRESS: 'DELETE_STACK',
  ROLLBACK_IN_PROGRESS: 'ROLLBACK',
  UPDATE_ROLLBACK_IN_PROGRESS: 'ROLLBACK',
};

/** Starts an operation on the stack (the caller stores the stack). */
export function beginOperation(s: Stack, type: StackOperation['type'], changeSetId?: string): StackOperation {
  const operation: StackOperation = { id: randomUUID(), type, status: 'IN_PROGRESS', started: Date.now(), changeSetId };
  s.operations = [...(s.operations ?? []), operation];
  s.currentOperation = operation.id;
  return operation;
}

function endOperation(s: Stack, status: 'SUCCEEDED' | 'FAILED'): StackOperation | undefined {
  const current = s.operations?.find((o) => o.id === s.currentOperation && o.status === 'IN_PROGRESS');
  if (current) Object.assign(current, { status, ended: Date.now() });
  return current;
}

/** Moves the stack's operations along with its status: which one runs, and how each ended. */
function trackOperation(s: Stack, status: string): void {
  const begins = BEGINS[status];
  if (begins) {
    const undone = begins === 'ROLLBACK' ? endOperation(s, 'FAILED') : undefined;
    beginOperation(s, begins, begins === 'ROLLBACK' ? undone?.changeSetId : s.changeSetId);
  } else if (status.endsWith('_FAILED')) {
    endOperation(s, 'FAILED');
  } else if (status.endsWith('_COMPLETE')) {
    endOperation(s, 'SUCCEEDED');
  }
}

/** Sets the stack's status, with the stack-level event CloudFormation writes for it. */
export function setStackStatus(ctx: RequestContext, stack: Stack, status: string, reason?: string): void {
  const stored = stacks(ctx).update(stack.name, (s) => {
    s.status = status;
    s.statusReason = reason;
    trackOperation(s, status);
  });
  stack.status = status;
  stack.statusReason = reason;
  if (stored && stored !== stack) Object.assign(stack, { operations: stored.operations, currentOperation: stored.currentOperation });
  addEvent(ctx, stack, { ResourceStatus: status, ResourceStatusReason: reason });
}

/** Resolves Ref, GetAtt and ImportValue against resources as they are now; `unknown` stands in for values not known yet. */
export function evaluationContext(
  ctx: RequestContext,
  stack: Pick<Stack, 'name' | 'id'>,
  template: Template,
  parameters: Record<string, ParameterValue>,
  resources: Record<string, Pick<StackResource, 'physicalId' | 'attributes'> | undefined>,
  options: { unknown?: (logicalId: string) => string | undefined; imports?: Set<string> } = {},
): EvaluationContext {
  const base = {
    stackName: stack.name,
    stackId: stack.id,
    region: ctx.region,
    account: ctx.account,
    parameters,
    mappings: template.Mappings as EvaluationContext['mappings'],
    ref(logicalId: string): string {
      const unknown = options.unknown?.(logicalId);
      if (unknown !== undefined) return unknown;
      const r = resources[logicalId];
      if (!(logicalId in template.Resources)) throw cfnValidationError(`Template format error: Unresolved resource dependencies [${logicalId}] in the Resources block of the template`);
      if (!r?.physicalId) throw cfnValidationError(`Resource ${logicalId} has no physical id yet`);
      return r.physicalId;
    },
    getAtt(logicalId: string, attribute: string): unknown {
      const unknown = options.unknown?.(logicalId);
      if (unknown !== undefined) return `${unknown}.${attribute}`;
      const r = resources[logicalId];
      if (!(logicalId in template.Resources)) throw cfnValidationError(`Template error: instance of Fn::GetAtt references undefined resource ${logicalId}`);
      const value = r?.attributes?.[attribute];
      if (value === undefined) throw cfnValidationError(`Template error: resource ${logicalId} does not support attribute type ${attribute} in Fn::GetAtt`);
      return value;
    },
    importValue(name: string): string {
      const e = exportsOf(ctx).get(name);
      if (!e) throw cfnValidationError(`No export named ${name} found. Rollback requested by user.`);
      options.imports?.add(name);
      return e.value;
    },
  };
  return { ...base, conditions: evaluateConditions(template, base) };
}
