// What a resource provider is: how the twin's CloudFormation creates, updates and deletes one
// resource type. Each service keeps the providers of its own types beside its operations
// (s3/resources.ts, sagemaker/resources.ts, ...), so a resource behaves as the service does when
// called directly. `replaceOn` lists the properties whose change replaces the resource, as the
// CloudFormation resource reference says ("Update requires: Replacement").
import { randomBytes } from 'node:crypto';
import type { RequestContext } from '../context.js';
import { TwinError } from '../errors.js';
import { propertiesInput } from '../protocols/shapes.js';

/** Template properties, resolved: whatever JSON the template gives. */
export type Input = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface ProviderContext {
  ctx: RequestContext;
  stackName: string;
  logicalId: string;
}

export interface Created {
  physicalId: string;
  attributes: Record<string, unknown>;
}

export interface Provider {
  replaceOn: string[] | 'all';
  create(props: Input, p: ProviderContext): Promise<Created> | Created;
  /** Updates in place; returns the new attributes. Absent: every change replaces. */
  update?(physicalId: string, props: Input, previous: Input, p: ProviderContext): Promise<Record<string, unknown>> | Record<string, unknown>;
  delete(physicalId: string, props: Input, p: ProviderContext): Promise<void> | void;
}

/** A name CloudFormation generates for a resource the template does not name. */
export function generatedName(p: ProviderContext, maxLength: number, withStack = true): string {
  const suffix = randomBytes(9).toString('base64').replace(/[^a-zA-Z0-9]/g, '').slice(0, 12).toUpperCase();
  const base = withStack ? `${p.stackName}-${p.logicalId}` : p.logicalId;
  return `${base.slice(0, maxLength - suffix.length - 1)}-${suffix}`;
}

export function alreadyExists(type: string, id: string): TwinError {
  return new TwinError('AlreadyExists', `Resource of type '${type}' with identifier '${id}' already exists.`);
}

/** Calls an operation of the twin, treating "not found" as done (for deletes). */
export async function ignoringNotFound(operation: () => unknown): Promise<void> {
  try {
    await operation();
  } catch (error) {
    if (!(error instanceof TwinError) || !/not (be )?found|does not exist|Could not find/i.test(error.message)) throw error;
  }
}

/** Polls twin state until `done` says so; real time is scaled like the rest of the simulation. */
export async function waitFor(p: ProviderContext, what: string, done: () => boolean, maxSimulatedMs = 4 * 3600_000): Promise<void> {
  const started = Date.now();
  while (!done()) {
    if (p.ctx.clock.elapsedSince(started) > maxSimulatedMs) throw new TwinError('NotStabilized', `${what} did not stabilize`);
    await new Promise((r) => setTimeout(r, Math.max(20, p.ctx.clock.real(5_000))));
  }
}

/** Any service's handlers: a provider passes template properties, which CloudFormation does not type as the SDK does. */
export type Operations = Record<string, (input: never, ctx: RequestContext) => unknown>;

// Which botocore model each service's operations answer to, so a provider's call is typed by it.
const MODEL_OF = new WeakMap<object, string>();

/** Marks a service's operations as answering to botocore's `model` (the services table does this). */
export function typedBy<T extends object>(ops: T, model: string): T {
  MODEL_OF.set(ops, model);
  return ops;
}

/**
 * Calls one of the twin's operations from a provider, in the stack's account and region, with the
 * template's properties converted by the operation's input shape (numbers and booleans from text).
 */
export function call(ops: Operations, op: string, input: Input, p: ProviderContext): Input {
  const model = MODEL_OF.get(ops);
  const shape = model && p.ctx.models ? p.ctx.models.get(model).operation(op)?.input?.shape : undefined;
  const typed = shape ? (propertiesInput(p.ctx.models!.get(model!), shape, input) as Input) : input;
  return (ops[op] as (i: Input, c: RequestContext) => unknown)(typed, p.ctx) as Input;
}
