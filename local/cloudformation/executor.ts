// Runs stack operations as CloudFormation does, in the background after the API call returns:
// create, update and delete, resource by resource in dependency order, with an event for every
// step, and a rollback when a resource fails (a failed create ends ROLLBACK_COMPLETE, a failed
// update UPDATE_ROLLBACK_COMPLETE with the old resources back).
import type { Template } from '../../core/cfn-template.js';
import type { RequestContext } from '../context.js';
import { readTemplate } from './template-format.js';
import { TwinError } from '../errors.js';
import { changedProperties, requiresReplacement } from './changes.js';
import { cfnValidationError, creationOrder, evaluate, type EvaluationContext, type ParameterValue } from './engine.js';
import type { Provider, ProviderContext, Input } from './provider.js';
import { addEvent, evaluationContext, exportsOf, requireStack, retireStack, setStackStatus, stacks, type Stack, type StackResource } from './stacks.js';

/** Stacks whose update was asked to stop (CancelUpdateStack). */

class ResourceFailure extends Error {
  constructor(readonly logicalId: string, message: string) {
    super(message);
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof TwinError && error.code !== 'ValidationError') return `Resource handler returned message: "${error.message}" (HandlerErrorCode: ${error.code})`;
  return (error as Error)?.message ?? String(error);
}

interface Operation {
  ctx: RequestContext;
  stack: Stack;
  template: Template;
  providers: Record<string, Provider>;
  resources: Record<string, StackResource>;
}

function save(op: Operation): void {
  stacks(op.ctx).update(op.stack.name, (s) => (s.resources = op.resources));
}

function resourceEvent(op: Operation, r: StackResource, status: string, reason?: string): void {
  r.status = status;
  r.statusReason = reason;
  r.updated = Date.now();
  save(op);
  addEvent(
    op.ctx,
    op.stack,
    { LogicalResourceId: r.logicalId, PhysicalResourceId: r.physicalId, ResourceType: r.type, ResourceStatus: status, ResourceStatusReason: reason },
  );
}

function provider(op: Operation, logicalId: string, type: string): Provider {
  const p = op.providers[type];
  if (!p) throw new ResourceFailure(logicalId, `Resource type ${type} is not supported by the offline twin (it supports ${Object.keys(op.providers).sort().join(', ')})`);
  return p;
}

const pctx = (op: Operation, logicalId: string): ProviderContext => ({ ctx: op.ctx, stackName: op.stack.name, logicalId });

/** Creates one resource (or its replacement), with its events; throws ResourceFailure. */
async function createResource(op: Operation, logicalId: string, ectx: EvaluationContext, action: 'CREATE' | 'UPDATE'): Promise<StackResource> {
  const type = op.template.Resources[logicalId].Type;
  const r: StackResource = { logicalId, type, status: `${action}_IN_PROGRESS`, updated: Date.now() };
  const previous = op.resources[logicalId];
  op.resources[logicalId] = r;
  const reason = action === 'UPDATE' ? 'Requested update requires the creation of a new physical resource; hence creating one.' : undefined;
  resourceEvent(op, r, `${action}_IN_PROGRESS`, reason);
  try {
    const props = evaluate(op.template.Resources[logicalId].Properties ?? {}, ectx) as Input;
    const created = await provider(op, logicalId, type).create(props, pctx(op, logicalId));
    Object.assign(r, { physicalId: created.physicalId, attributes: created.attributes, properties: props });
    resourceEvent(op, r, `${action}_COMPLETE`);
    return r;
  } catch (error) {
    resourceEvent(op, r, `${action}_FAILED`, reasonOf(error));
    if (previous && action === 'UPDATE') op.resources[logicalId] = previous;
    throw new ResourceFailure(logicalId, reasonOf(error));
  }
}

/**
 * Deletes a resource's physical instance, or keeps it when the template says Retain
 * (DeletionPolicy for a delete or a removal, UpdateReplacePolicy for a replaced instance).
 */
async function deleteResource(op: Operation, r: StackResource, keep = false, retain = false): Promise<boolean> {
  if (retain && r.physicalId) {
    resourceEvent(op, r, 'DELETE_SKIPPED');
    if (!keep) delete op.resources[r.logicalId];
    save(op);
    return true;
  }
  if (!r.physicalId) {
    if (!keep) delete op.resources[r.logicalId];
    save(op);
    return true;
  }
  resourceEvent(op, r, 'DELETE_IN_PROGRESS');
  try {
    const p = op.providers[r.type];
    if (p) await p.delete(r.physicalId, r.properties ?? {}, pctx(op, r.logicalId));
    resourceEvent(op, r, 'DELETE_COMPLETE');
    if (!keep) delete op.resources[r.logicalId];
    save(op);
    return true;
  } catch (error) {
    resourceEvent(op, r, 'DELETE_FAILED', reasonOf(error));
    return false;
  }
}

/** Outputs and exports of the stack as it now is; an export another stack owns is an error. */
function outputs(op: Operation, ectx: EvaluationContext): Stack['outputs'] {
  const list: Stack['outputs'] = [];
  for (const [key, o] of Object.entries(op.template.Outputs ?? {})) {
    if ((o as Input).Condition && !ectx.conditions[(o as Input).Condition]) continue;
    const value = evaluate(o.Value, ectx);
    const exportName = o.Export ? String(evaluate(o.Export.Name, ectx)) : undefined;
    if (exportName) {
      const owner = exportsOf(op.ctx).get(exportName);
      if (owner && owner.stackId !== op.stack.id) throw cfnValidationError(`Export with name ${exportName} is already exported by stack ${owner.stackName}`);
    }
    list.push({ OutputKey: key, OutputValue: Array.isArray(value) ? value.join(',') : String(value), Description: o.Description, ExportName: exportName });
  }
  return list;
}

function publishExports(op: Operation, list: Stack['outputs']): void {
  for (const e of exportsOf(op.ctx).values().filter((x) => x.stackId === op.stack.id)) exportsOf(op.ctx).delete(e.name);
  for (const o of list.filter((x) => x.ExportName)) {
    exportsOf(op.ctx).set(o.ExportName!, {
      name: o.ExportName!,
      value: o.OutputValue,
      stackId: op.stack.id,
      stackName: op.stack.name,
    });
  }
}

function commit(op: Operation, fields: Partial<Stack>): void {
  stacks(op.ctx).update(op.stack.name, (s) => Object.assign(s, fields, { resources: op.resources }));
  Object.assign(op.stack, fields);
}

export interface Desired {
  template: Template;
  templateBody: string;
  parameters: Record<string, ParameterValue>;
  capabilities: string[];
  tags: Stack['tags'];
  changeSetId?: string;
}

/** What a stack records of the template and request it was deployed with. */
function stackFields(desired: Desired): Partial<Stack> {
  const { templateBody, parameters, capabilities, tags, changeSetId } = desired;
  return { templateBody, parameters, capabilities, tags, changeSetId, description: desired.template.Description };
}

export async function executeCreate(ctx: RequestContext, name: string, desired: Desired, providers: Record<string, Provider>): Promise<void> {
  const stack = requireStack(ctx, name);
  const op: Operation = { ctx, stack, template: desired.template, providers, resources: {} };
  commit(op, stackFields(desired));
  setStackStatus(ctx, stack, 'CREATE_IN_PROGRESS', 'User Initiated');
  const created: StackResource[] = [];
  try {
    const imports = new Set<string>();
    const ectx = evaluationContext(ctx, stack, desired.template, desired.parameters, op.resources, { imports });
    for (const logicalId of creationOrder(desired.template, ectx.conditions)) {
      created.push(await createResource(op, logicalId, ectx, 'CREATE'));
    }
    const list = outputs(op, ectx);
    publishExports(op, list);
    commit(op, { outputs: list, imports: [...imports] });
    setStackStatus(ctx, stack, 'CREATE_COMPLETE');
  } catch (error) {
    const reason = error instanceof ResourceFailure ? `The following resource(s) failed to create: [${error.logicalId}]. Rollback requested by user.` : `${reasonOf(error)}. Rollback requested by user.`;
    setStackStatus(ctx, stack, 'ROLLBACK_IN_PROGRESS', reason);
    for (const r of Object.values(op.resources).reverse()) await deleteResource(op, r, true);
    setStackStatus(ctx, stack, 'ROLLBACK_COMPLETE');
  }
}

type Step = { kind: 'created' | 'replaced' | 'updated'; logicalId: string; previous?: StackResource; now: StackResource };

export async function executeUpdate(ctx: RequestContext, name: string, desired: Desired, providers: Record<string, Provider>): Promise<void> {
  const stack = requireStack(ctx, name);
  const before = structuredClone(stack);
  const op: Operation = { ctx, stack, template: desired.template, providers, resources: structuredClone(stack.resources) };
  setStackStatus(ctx, stack, 'UPDATE_IN_PROGRESS', 'User Initiated');
  stacks(ctx).update(stack.name, (s) => delete s.cancelRequested);
  const steps: Step[] = [];
  try {
    const imports = new Set<string>();
    const ectx = evaluationContext(ctx, stack, desired.template, desired.parameters, op.resources, { imports });
    const order = creationOrder(desired.template, ectx.conditions);
    for (const logicalId of order) {
      if (requireStack(ctx, name).cancelRequested) {
        stacks(ctx).update(stack.name, (s) => delete s.cancelRequested);
        throw new Error('Resource update cancelled');
      }
      const type = desired.template.Resources[logicalId].Type;
      const previous = before.resources[logicalId];
      if (!previous?.physicalId) {
        steps.push({ kind: 'created', logicalId, now: await createResource(op, logicalId, ectx, 'CREATE') });
        continue;
      }
      let props: Input;
      try {
        props = evaluate(desired.template.Resources[logicalId].Properties ?? {}, ectx) as Input;
      } catch (error) {
        throw new ResourceFailure(logicalId, reasonOf(error));
      }
      const changed = changedProperties(props, previous.properties ?? {});
      if (changed.length === 0 && previous.type === type) continue;
      const p = provider(op, logicalId, type);
      if (previous.type !== type || requiresReplacement(p, changed).length) {
        steps.push({ kind: 'replaced', logicalId, previous, now: await createResource(op, logicalId, ectx, 'UPDATE') });
        continue;
      }
      const r = op.resources[logicalId];
      resourceEvent(op, r, 'UPDATE_IN_PROGRESS');
      try {
        r.attributes = { ...r.attributes, ...(await p.update!(r.physicalId!, props, previous.properties ?? {}, pctx(op, logicalId))) };
        r.properties = props;
        resourceEvent(op, r, 'UPDATE_COMPLETE');
        steps.push({ kind: 'updated', logicalId, previous, now: r });
      } catch (error) {
        resourceEvent(op, r, 'UPDATE_FAILED', reasonOf(error));
        // Rolled back like the resources updated before it: put back as it was.
        steps.push({ kind: 'updated', logicalId, previous, now: r });
        throw new ResourceFailure(logicalId, reasonOf(error));
      }
    }
    const list = outputs(op, ectx);
    setStackStatus(ctx, stack, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
    // The old physical resources of replacements go last, once nothing refers to them.
    for (const s of [...steps].reverse().filter((x) => x.kind === 'replaced')) {
      await deleteResource(op, s.previous!, true, desired.template.Resources[s.logicalId]?.UpdateReplacePolicy === 'Retain');
    }
    const removed = Object.values(before.resources).filter((r) => !order.includes(r.logicalId)).reverse();
    const declaredBefore = before.templateBody ? readTemplate(before.templateBody).Resources : {};
    for (const r of removed) await deleteResource(op, op.resources[r.logicalId] ?? r, false, declaredBefore[r.logicalId]?.DeletionPolicy === 'Retain');
    publishExports(op, list);
    commit(op, {
      ...stackFields(desired),
      outputs: list,
      imports: [...imports],
      updated: Date.now(),
    });
    setStackStatus(ctx, stack, 'UPDATE_COMPLETE');
  } catch (error) {
    const reason = error instanceof ResourceFailure ? `The following resource(s) failed to update: [${error.logicalId}]. ` : reasonOf(error);
    setStackStatus(ctx, stack, 'UPDATE_ROLLBACK_IN_PROGRESS', reason);
    for (const s of steps.reverse()) {
      if (s.kind === 'updated') {
        const r = op.resources[s.logicalId];
        resourceEvent(op, r, 'UPDATE_IN_PROGRESS');
        try {
          await op.providers[r.type].update!(r.physicalId!, s.previous!.properties ?? {}, r.properties ?? {}, pctx(op, s.logicalId));
          Object.assign(r, { properties: s.previous!.properties, attributes: s.previous!.attributes });
          resourceEvent(op, r, 'UPDATE_COMPLETE');
        } catch (e) {
          resourceEvent(op, r, 'UPDATE_FAILED', reasonOf(e));
        }
      } else {
        await deleteResource(op, s.now, s.kind === 'replaced');
        if (s.previous) op.resources[s.logicalId] = { ...s.previous, status: 'UPDATE_COMPLETE', updated: Date.now() };
      }
    }
    op.resources = Object.fromEntries(Object.entries(op.resources).filter(([id]) => before.resources[id]));
    setStackStatus(ctx, stack, 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
    commit(op, { updated: Date.now() });
    setStackStatus(ctx, stack, 'UPDATE_ROLLBACK_COMPLETE');
  }
}

export async function executeDelete(
  ctx: RequestContext,
  name: string,
  template: Template | undefined,
  providers: Record<string,
    Provider>,
): Promise<void> {
  const stack = requireStack(ctx, name);
  const op: Operation = { ctx, stack, template: template ?? { Resources: {} }, providers, resources: stack.resources };
  setStackStatus(ctx, stack, 'DELETE_IN_PROGRESS', 'User Initiated');
  const mine = exportsOf(ctx).values().filter((e) => e.stackId === stack.id);
  const importer = stacks(ctx).values().find((s) => s.id !== stack.id && s.imports?.some((i) => mine.some((e) => e.name === i)));
  if (importer) {
    const used = importer.imports.find((i) => mine.some((e) => e.name === i));
    setStackStatus(ctx, stack, 'DELETE_FAILED', `Export ${used} cannot be deleted as it is in use by ${importer.name}`);
    return;
  }
  const order = Object.keys(stack.resources);
  let known: string[] = [];
  try {
    known = creationOrder(op.template, evaluationContext(ctx, stack, op.template, stack.parameters, {}).conditions);
  } catch {
    // a template that cannot be evaluated any more: delete in reverse order of creation
  }
  const sorted = [...order.filter((id) => !known.includes(id)), ...known.filter((id) => order.includes(id))].reverse();
  const failed: string[] = [];
  for (const id of sorted) if (!(await deleteResource(op, op.resources[id], false, op.template.Resources[id]?.DeletionPolicy === 'Retain'))) failed.push(id);
  if (failed.length) {
    setStackStatus(ctx, stack, 'DELETE_FAILED', `The following resource(s) failed to delete: [${failed.join(', ')}]. `);
    return;
  }
  for (const e of mine) exportsOf(ctx).delete(e.name);
  setStackStatus(ctx, stack, 'DELETE_COMPLETE');
  retireStack(ctx, stack);
}
