// CloudFormation over awsQuery: change sets, stacks, events, resources, templates and exports,
// on top of the template engine (cloudformation/engine.ts), the providers and the executor.
import { randomUUID } from 'node:crypto';
import type {
  CancelUpdateStackInput,
  CreateChangeSetInput,
  CreateStackInput,
  DeleteChangeSetInput,
  DeleteStackInput,
  DescribeChangeSetInput,
  DescribeEventsInput,
  GetTemplateSummaryInput,
  DescribeStackEventsInput,
  DescribeStackResourcesInput,
  DescribeStacksInput,
  ExecuteChangeSetInput,
  GetTemplateInput,
  ListChangeSetsInput,
  ListExportsInput,
  ListStackResourcesInput,
  ListStacksInput,
  UpdateStackInput,
  ValidateTemplateInput,
} from '@aws-sdk/client-cloudformation';
import { readTemplate } from './template-format.js';
import { parseTemplate, type Template } from '../../core/cfn-template.js';
import { dateOf } from '../clock.js';
import { computeChanges } from './changes.js';
import { cfnValidationError, resolveParameters, type ParameterValue } from './engine.js';
import { executeCreate, executeDelete, executeUpdate, type Desired } from './executor.js';
import { describeEvents, lastOperations } from './operation-events.js';
import {
  addEvent, beginOperation, changeSets, deletedStacks, exportsOf, findStack, newStackId, requireStack, stacks, type ChangeSet, type Stack,
} from './stacks.js';
import type { Operations, RequestContext } from '../context.js';
import { TwinError } from '../errors.js';
import type { Provider, Input } from './provider.js';
import { page } from '../protocols/paging.js';
import { readObject } from '../s3/objects.js';

export const CLOUDFORMATION_XMLNS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
// Simulated time CloudFormation takes to compute a change set.
const CHANGE_SET_PENDING_MS = 500;
const CHANGE_SET_READY_MS = 2_000;
const PAGE = 100;

const IAM_TYPES = /^AWS::IAM::/;
const IAM_NAME_PROPERTIES = ['RoleName', 'UserName', 'GroupName', 'PolicyName', 'ManagedPolicyName', 'InstanceProfileName'];

/** The template's body: given inline, or read from the twin's S3 by its URL. */
function templateSource(ctx: RequestContext, input: Input, stack?: Stack): string {
  if (input.TemplateBody !== undefined) return String(input.TemplateBody);
  if (input.UsePreviousTemplate === true && stack) return stack.templateBody;
  if (!input.TemplateURL) throw cfnValidationError('Either Template URL or Template Body must be specified.');
  const url = new URL(String(input.TemplateURL));
  const virtual = url.hostname.match(/^(.+)\.s3[.-]/);
  const [bucket, ...key] = virtual ? [virtual[1], ...url.pathname.slice(1).split('/')] : url.pathname.slice(1).split('/');
  try {
    return readObject(ctx, bucket, decodeURIComponent(key.join('/'))).toString('utf8');
  } catch (error) {
    throw cfnValidationError(`S3 error: ${(error as Error).message}`);
  }
}

/** The capabilities the template needs, and the reason CloudFormation gives. */
function requiredCapabilities(template: Template): { capabilities: string[]; reason?: string } {
  const iam = Object.entries(template.Resources).filter(([, r]) => IAM_TYPES.test(r.Type));
  if (iam.length === 0) return { capabilities: [] };
  const named = iam.filter(([, r]) => IAM_NAME_PROPERTIES.some((p) => r.Type !== 'AWS::IAM::RolePolicy' && r.Properties?.[p] !== undefined));
  if (named.length) return { capabilities: ['CAPABILITY_NAMED_IAM'], reason: `The following resource(s) require capabilities: [${named.map(([, r]) => r.Type).join(', ')}]` };
  return { capabilities: ['CAPABILITY_IAM'], reason: `The following resource(s) require capabilities: [${[...new Set(iam.map(([, r]) => r.Type))].join(', ')}]` };
}

function checkCapabilities(template: Template, given: string[]): void {
  const { capabilities } = requiredCapabilities(template);
  const ok = capabilities.every((c) => given.includes(c) || (c === 'CAPABILITY_IAM' && given.includes('CAPABILITY_NAMED_IAM')));
  if (!ok) throw new TwinError('InsufficientCapabilitiesException', `Requires capabilities : [${capabilities.join(', ')}]`);
}

/** Parameter values from the request (UsePreviousValue reads the stack's), checked against the template. */
function parameters(template: Template, input: Input, stack?: Stack): Record<string, ParameterValue> {
  const given: Record<string, string> = {};
  for (const p of (input.Parameters ?? []) as Input[]) {
    if (p.UsePreviousValue === true) {
      if (!stack || stack.parameters[p.ParameterKey] === undefined) throw cfnValidationError(`Invalid input for parameter key ${p.ParameterKey}. Cannot specify usePreviousValue as true for a parameter key not in the previous template`);
      given[p.ParameterKey] = [stack.parameters[p.ParameterKey]].flat().join(',');
    } else {given[p.ParameterKey] = String(p.ParameterValue ?? '');}
  }
  return resolveParameters(template, given);
}

function changeSetStatus(ctx: RequestContext, cs: ChangeSet): { status: string; execution: string } {
  const elapsed = ctx.clock.elapsedSince(cs.created);
  const status = elapsed < CHANGE_SET_PENDING_MS ? 'CREATE_PENDING' : elapsed < CHANGE_SET_READY_MS ? 'CREATE_IN_PROGRESS' : cs.outcome;
  const execution = cs.executionStatus ?? (status === 'CREATE_COMPLETE' ? 'AVAILABLE' : 'UNAVAILABLE');
  return { status, execution };
}

function findChangeSet(ctx: RequestContext, input: Input): ChangeSet {
  const ref = String(input.ChangeSetName ?? '');
  const ofStack = (c: ChangeSet) => c.stackName === input.StackName || c.stackId === input.StackName;
  const cs = ref.startsWith('arn:') ? changeSets(ctx).get(ref) : changeSets(ctx).values().find((c) => c.name === ref && ofStack(c));
  if (!cs) throw new TwinError('ChangeSetNotFound', `ChangeSet [${ref}] does not exist`, 404);
  return cs;
}

const parameterList = (values: Record<string, ParameterValue>, template?: Template) =>
  Object.entries(values).map(([k, v]) => ({ ParameterKey: k, ParameterValue: template?.Parameters?.[k]?.NoEcho === true || template?.Parameters?.[k]?.NoEcho === 'true' ? '****' : [v].flat().join(',') }));

function describeStack(s: Stack): Input {
  const template = s.templateBody ? safeParse(s.templateBody) : undefined;
  return {
    StackId: s.id,
    StackName: s.name,
    ChangeSetId: s.changeSetId,
    Description: s.description,
    Parameters: parameterList(s.parameters, template),
    CreationTime: dateOf(s.created),
    LastUpdatedTime: dateOf(s.updated),
    DeletionTime: dateOf(s.deleted),
    StackStatus: s.status,
    StackStatusReason: s.statusReason,
    DisableRollback: false,
    Capabilities: s.capabilities,
    Outputs: s.outputs,
    Tags: s.tags,
    EnableTerminationProtection: false,
    DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
    LastOperations: lastOperations(s),
    DeletionMode: s.status.startsWith('DELETE_') ? 'STANDARD' : undefined,
  };
}

/** The template's parameters as ValidateTemplate and GetTemplateSummary declare them. */
function parameterDeclarations(template: Template) {
  return Object.entries(template.Parameters ?? {}).map(([k, p]) => ({
    ParameterKey: k,
    DefaultValue: p.Default === undefined ? undefined : String(p.Default),
    ParameterType: String(p.Type ?? 'String'),
    NoEcho: p.NoEcho === true || p.NoEcho === 'true',
    Description: p.Description === undefined ? undefined : String(p.Description),
    ParameterConstraints: Array.isArray(p.AllowedValues) ? { AllowedValues: p.AllowedValues.map(String) } : undefined,
  }));
}

function safeParse(body: string): Template | undefined {
  try {
    return parseTemplate(body, 'template');
  } catch {
    return undefined;
  }
}


function newStack(ctx: RequestContext, name: string): Stack {
  return { name, id: newStackId(ctx, name), status: 'REVIEW_IN_PROGRESS', created: Date.now(), templateBody: '', parameters: {}, capabilities: [], tags: [], resources: {}, outputs: [], imports: [], events: [] };
}

const UPDATABLE = /^(CREATE_COMPLETE|UPDATE_COMPLETE|UPDATE_ROLLBACK_COMPLETE|IMPORT_COMPLETE|IMPORT_ROLLBACK_COMPLETE)$/;

function checkUpdatable(stack: Stack): void {
  if (!UPDATABLE.test(stack.status)) throw cfnValidationError(`Stack:${stack.id} is in ${stack.status} state and can not be updated.`);
}

const isStackName = (name: string) => /^[a-zA-Z][-a-zA-Z0-9]{0,127}$/.test(name);

interface CloudFormationInputs {
  CreateChangeSet: CreateChangeSetInput;
  DescribeChangeSet: DescribeChangeSetInput;
  ListChangeSets: ListChangeSetsInput;
  ExecuteChangeSet: ExecuteChangeSetInput;
  DeleteChangeSet: DeleteChangeSetInput;
  CreateStack: CreateStackInput;
  UpdateStack: UpdateStackInput;
  DeleteStack: DeleteStackInput;
  CancelUpdateStack: CancelUpdateStackInput;
  DescribeStacks: DescribeStacksInput;
  ListStacks: ListStacksInput;
  DescribeStackEvents: DescribeStackEventsInput;
  DescribeEvents: DescribeEventsInput;
  ListStackResources: ListStackResourcesInput;
  DescribeStackResources: DescribeStackResourcesInput;
  GetTemplate: GetTemplateInput;
  ValidateTemplate: ValidateTemplateInput;
  GetTemplateSummary: GetTemplateSummaryInput;
  ListExports: ListExportsInput;
}

export function cloudformationOperations(providers: Record<string, Provider>): Operations<CloudFormationInputs> {
  const desired = (ctx: RequestContext, input: Input, stack: Stack | undefined): Desired & { template: Template } => {
    const templateBody = templateSource(ctx, input, stack);
    const template = readTemplate(templateBody);
    const capabilities: string[] = input.Capabilities ?? [];
    checkCapabilities(template, capabilities);
    return { template, templateBody, parameters: parameters(template, input, stack), capabilities, tags: input.Tags ?? stack?.tags ?? [] };
  };

  const run = (ctx: RequestContext, work: Promise<void>, cs?: ChangeSet) => {
    void work.then(
      () => cs && changeSets(ctx).update(cs.id, (c) => (c.executionStatus = 'EXECUTE_COMPLETE')),
      () => cs && changeSets(ctx).update(cs.id, (c) => (c.executionStatus = 'EXECUTE_FAILED')),
    );
  };

  return {
    CreateChangeSet: (input, ctx) => {
      const stackName = String(input.StackName ?? '');
      const name = String(input.ChangeSetName ?? '');
      const type = (input.ChangeSetType ?? 'UPDATE') as 'CREATE' | 'UPDATE';
      if (!isStackName(stackName)) throw cfnValidationError(`1 validation error detected: Value '${stackName}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`);
      let stack = findStack(ctx, stackName);
      const same = stack && changeSets(ctx).values().find((c) => c.stackId === stack!.id && c.name === name);
      if (same) {
        if (input.ClientToken && same.clientToken === input.ClientToken) return { Id: same.id, StackId: same.stackId };
        throw new TwinError('AlreadyExistsException', `ChangeSet ${name} already exists for stack ${stackName}`);
      }
      if (type === 'CREATE' && stack && stack.status !== 'REVIEW_IN_PROGRESS') throw cfnValidationError(`Stack [${stackName}] already exists and cannot be created again with the changeSet [${name}].`);
      if (type === 'UPDATE') {
        if (!stack || stack.status === 'REVIEW_IN_PROGRESS') throw cfnValidationError(`Stack [${stackName}] does not exist`);
        checkUpdatable(stack);
      }
      const d = desired(ctx, input, stack);
      const ref = stack ?? newStack(ctx, stackName);
      const changes = computeChanges(ctx, ref, d.template, d.parameters, providers);
      const nothing = changes.length === 0 && stack !== undefined && stack.templateBody === d.templateBody &&
        JSON.stringify(stack.parameters) === JSON.stringify(d.parameters) && JSON.stringify(stack.tags) === JSON.stringify(d.tags);
      const id = `arn:aws:cloudformation:${ctx.region}:${ctx.account}:changeSet/${name}/${randomUUID()}`;
      const created = !stack;
      if (!stack) stack = stacks(ctx).set(stackName, ref);
      // Creating a change set is an operation of its own; it has ended by the time the status is revealed.
      stacks(ctx).update(stackName, (s) => Object.assign(beginOperation(s, 'CREATE_CHANGESET', id), { status: nothing ? 'FAILED' : 'SUCCEEDED', ended: Date.now() }));
      if (created) addEvent(ctx, stack, { ResourceStatus: 'REVIEW_IN_PROGRESS', ResourceStatusReason: 'User Initiated' });
      changeSets(ctx).set(id, {
        id,
        name,
        stackName,
        stackId: stack.id,
        type,
        created: Date.now(),
        outcome: nothing ? 'FAILED' : 'CREATE_COMPLETE',
        statusReason: nothing ? 'The submitted information didn\'t contain changes. Submit different information to create a change set.' : undefined,
        templateBody: d.templateBody,
        parameters: d.parameters,
        capabilities: d.capabilities,
        tags: d.tags,
        description: input.Description,
        changes,
        clientToken: input.ClientToken,
      });
      return { Id: id, StackId: stack.id };
    },

    DescribeChangeSet: (input, ctx) => {
      const cs = findChangeSet(ctx, input);
      const { status, execution } = changeSetStatus(ctx, cs);
      const { items, next } = page(status === 'CREATE_COMPLETE' ? cs.changes : [], input.NextToken, PAGE);
      return {
        ChangeSetName: cs.name,
        ChangeSetId: cs.id,
        StackId: cs.stackId,
        StackName: cs.stackName,
        Description: cs.description,
        Parameters: parameterList(cs.parameters),
        CreationTime: dateOf(cs.created),
        ExecutionStatus: execution,
        Status: status,
        StatusReason: status === 'FAILED' ? cs.statusReason : undefined,
        Capabilities: cs.capabilities,
        Tags: cs.tags,
        Changes: items,
        NextToken: next,
        IncludeNestedStacks: false,
      };
    },

    ListChangeSets: (input, ctx) => {
      const stack = requireStack(ctx, String(input.StackName ?? ''));
      return {
        Summaries: changeSets(ctx).values().filter((c) => c.stackId === stack.id).map((c) => {
          const { status, execution } = changeSetStatus(ctx, c);
          return {
            StackId: c.stackId,
            StackName: c.stackName,
            ChangeSetId: c.id,
            ChangeSetName: c.name,
            ExecutionStatus: execution,
            Status: status,
            CreationTime: dateOf(c.created),
            Description: c.description,
          };
        }),
      };
    },

    ExecuteChangeSet: (input, ctx) => {
      const cs = findChangeSet(ctx, input);
      const { status, execution } = changeSetStatus(ctx, cs);
      if (status !== 'CREATE_COMPLETE' || execution !== 'AVAILABLE') {
        throw new TwinError('InvalidChangeSetStatus', `ChangeSet [${cs.id}] cannot be executed in its current status of [${execution === 'AVAILABLE' ? status : execution}]`);
      }
      const stack = requireStack(ctx, cs.stackId);
      if (cs.type === 'UPDATE') checkUpdatable(stack);
      // Executing one change set deletes the stack's others.
      for (const other of changeSets(ctx).values().filter((c) => c.stackId === stack.id && c.id !== cs.id)) changeSets(ctx).delete(other.id);
      changeSets(ctx).update(cs.id, (c) => (c.executionStatus = 'EXECUTE_IN_PROGRESS'));
      const d: Desired = {
        template: readTemplate(cs.templateBody),
        templateBody: cs.templateBody,
        parameters: cs.parameters,
        capabilities: cs.capabilities,
        tags: cs.tags,
        changeSetId: cs.id,
      };
      run(ctx, cs.type === 'CREATE' ? executeCreate(ctx, stack.name, d, providers) : executeUpdate(ctx, stack.name, d, providers), cs);
      return {};
    },

    DeleteChangeSet: (input, ctx) => {
      const cs = findChangeSet(ctx, input);
      if (cs.executionStatus === 'EXECUTE_IN_PROGRESS') throw new TwinError('InvalidChangeSetStatus', `Cannot delete ChangeSet ${cs.id} in status EXECUTE_IN_PROGRESS`);
      changeSets(ctx).delete(cs.id);
      return {};
    },

    CreateStack: (input, ctx) => {
      const name = String(input.StackName ?? '');
      if (!isStackName(name)) throw cfnValidationError(`1 validation error detected: Value '${name}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`);
      if (findStack(ctx, name)) throw new TwinError('AlreadyExistsException', `Stack [${name}] already exists`);
      const d = desired(ctx, input, undefined);
      const stack = stacks(ctx).set(name, newStack(ctx, name));
      run(ctx, executeCreate(ctx, name, d, providers));
      return { StackId: stack.id };
    },

    UpdateStack: (input, ctx) => {
      const stack = requireStack(ctx, String(input.StackName ?? ''));
      checkUpdatable(stack);
      const d = desired(ctx, input, stack);
      const changes = computeChanges(ctx, stack, d.template, d.parameters, providers);
      if (changes.length === 0 && stack.templateBody === d.templateBody && JSON.stringify(stack.parameters) === JSON.stringify(d.parameters)) throw cfnValidationError('No updates are to be performed.');
      run(ctx, executeUpdate(ctx, stack.name, d, providers));
      return { StackId: stack.id };
    },

    DeleteStack: (input, ctx) => {
      const stack = findStack(ctx, String(input.StackName ?? ''));
      // Deleting a stack that does not exist (or is being deleted) succeeds and does nothing.
      if (!stack || stack.status === 'DELETE_IN_PROGRESS' || stack.status === 'DELETE_COMPLETE') return {};
      if (stack.status.endsWith('_IN_PROGRESS') && stack.status !== 'REVIEW_IN_PROGRESS') {
        throw cfnValidationError(`Stack [${stack.name}] cannot be deleted while in status ${stack.status}`);
      }
      for (const c of changeSets(ctx).values().filter((x) => x.stackId === stack.id)) changeSets(ctx).delete(c.id);
      run(ctx, executeDelete(ctx, stack.name, stack.templateBody ? safeParse(stack.templateBody) : undefined, providers));
      return {};
    },

    CancelUpdateStack: (input, ctx) => {
      const stack = requireStack(ctx, String(input.StackName ?? ''));
      if (stack.status !== 'UPDATE_IN_PROGRESS') throw cfnValidationError(`CancelUpdateStack cannot be called from current stack status ${stack.status}`);
      stacks(ctx).update(stack.name, (s) => (s.cancelRequested = true));
      return {};
    },

    DescribeStacks: (input, ctx) => {
      if (input.StackName) return { Stacks: [describeStack(requireStack(ctx, String(input.StackName)))] };
      const mine = stacks(ctx).values();
      const { items, next } = page(mine, input.NextToken, PAGE);
      return { Stacks: items.map(describeStack), NextToken: next };
    },

    ListStacks: (input, ctx) => {
      const filter: string[] | undefined = input.StackStatusFilter;
      // Deleted stacks are listed too for 90 days: always without a filter, with one when it names DELETE_COMPLETE.
      const mine = [...stacks(ctx).values(), ...deletedStacks(ctx)].filter((s) => !filter || filter.includes(s.status));
      return {
        StackSummaries: mine.map((s) => ({
          StackId: s.id,
          StackName: s.name,
          StackStatus: s.status,
          StackStatusReason: s.statusReason,
          CreationTime: dateOf(s.created),
          LastUpdatedTime: dateOf(s.updated),
          DeletionTime: dateOf(s.deleted),
          TemplateDescription: s.description,
        })),
      };
    },

    DescribeEvents: (input, ctx) => describeEvents(ctx, input),

    DescribeStackEvents: (input, ctx) => {
      const stack = requireStack(ctx, String(input.StackName ?? ''));
      const { items, next } = page([...stack.events].reverse(), input.NextToken, PAGE);
      return { StackEvents: items.map((e) => ({ ...e, Timestamp: dateOf(e.Timestamp) })), NextToken: next };
    },

    ListStackResources: (input, ctx) => {
      const stack = requireStack(ctx, String(input.StackName ?? ''));
      const { items, next } = page(Object.values(stack.resources), input.NextToken, PAGE);
      return {
        StackResourceSummaries: items.map((r) => ({
          LogicalResourceId: r.logicalId,
          PhysicalResourceId: r.physicalId,
          ResourceType: r.type,
          LastUpdatedTimestamp: dateOf(r.updated),
          ResourceStatus: r.status,
          ResourceStatusReason: r.statusReason,
          DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
        })),
        NextToken: next,
      };
    },

    DescribeStackResources: (input, ctx) => {
      const stack = requireStack(ctx, String(input.StackName ?? ''));
      const list = Object.values(stack.resources).filter((r) => !input.LogicalResourceId || r.logicalId === input.LogicalResourceId);
      return {
        StackResources: list.map((r) => ({
          StackName: stack.name,
          StackId: stack.id,
          LogicalResourceId: r.logicalId,
          PhysicalResourceId: r.physicalId,
          ResourceType: r.type,
          Timestamp: dateOf(r.updated),
          ResourceStatus: r.status,
          ResourceStatusReason: r.statusReason,
        })),
      };
    },

    GetTemplate: (input, ctx) => {
      if (input.ChangeSetName) return { TemplateBody: findChangeSet(ctx, input).templateBody, StagesAvailable: ['Original', 'Processed'] };
      const stack = requireStack(ctx, String(input.StackName ?? ''));
      return { TemplateBody: stack.templateBody, StagesAvailable: ['Original', 'Processed'] };
    },

    ValidateTemplate: (input, ctx) => {
      const template = readTemplate(templateSource(ctx, input));
      const { capabilities, reason } = requiredCapabilities(template);
      return {
        Parameters: parameterDeclarations(template).map(({ ParameterType: _type, ParameterConstraints: _constraints, ...p }) => p),
        Description: template.Description,
        Capabilities: capabilities,
        CapabilitiesReason: reason,
        DeclaredTransforms: [],
      };
    },

    // What `aws cloudformation deploy` and console wizards read before they create a change set.
    GetTemplateSummary: (input, ctx) => {
      if (input.StackSetName) throw new TwinError('NotImplemented', 'The offline twin has no stack sets (GetTemplateSummary with StackSetName)');
      const stack = input.StackName ? requireStack(ctx, String(input.StackName)) : undefined;
      const template = readTemplate(stack ? stack.templateBody : templateSource(ctx, input));
      const { capabilities, reason } = requiredCapabilities(template);
      const resources = Object.entries(template.Resources);
      const types = [...new Set(resources.map(([, r]) => r.Type))];
      const unknown = types.filter((t) => !(t in providers));
      return {
        Parameters: parameterDeclarations(template),
        Description: template.Description,
        Capabilities: capabilities,
        CapabilitiesReason: reason,
        ResourceTypes: types,
        Version: template.AWSTemplateFormatVersion,
        Metadata: template.Metadata === undefined ? undefined : JSON.stringify(template.Metadata),
        DeclaredTransforms: [],
        ResourceIdentifierSummaries: types.map((type) => ({
          ResourceType: type,
          LogicalResourceIds: resources.filter(([, r]) => r.Type === type).map(([id]) => id),
        })),
        Warnings: input.TemplateSummaryConfig?.TreatUnrecognizedResourceTypesAsWarnings && unknown.length
          ? { UnrecognizedResourceTypes: unknown }
          : undefined,
      };
    },

    ListExports: (_input, ctx) => ({
      Exports: exportsOf(ctx).values()
        .map((e) => ({ ExportingStackId: e.stackId, Name: e.name, Value: e.value })),
    }),
  };
}
