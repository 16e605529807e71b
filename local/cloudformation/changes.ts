// What a change set shows: each resource added, modified (with whether it is replaced, and which
// properties changed) or removed, comparing the new template's evaluated properties with those
// the stack last applied. Values that depend on a resource being replaced are not known yet, so
// a property that depends on one is a Conditional replacement, as CloudFormation reports it.
import type { Template } from '../../core/cfn-template.js';
import type { RequestContext } from '../context.js';
import { creationOrder, evaluate, type ParameterValue } from './engine.js';
import type { Provider, Input } from './provider.js';
import { evaluationContext, type Stack } from './stacks.js';

const UNKNOWN = '{{twin:unknown:';

/** JSON with sorted keys, so property comparisons ignore key order. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
}

/** Top-level properties whose values differ. */
export function changedProperties(next: Input, previous: Input): string[] {
  const names = new Set([...Object.keys(next), ...Object.keys(previous)]);
  return [...names].filter((n) => canonical(next[n]) !== canonical(previous[n])).sort();
}

export function requiresReplacement(provider: Provider | undefined, changed: string[]): string[] {
  if (!provider || provider.replaceOn === 'all' || !provider.update) return changed;
  return changed.filter((c) => (provider.replaceOn as string[]).includes(c));
}

export function computeChanges(
  ctx: RequestContext,
  stack: Pick<Stack, 'name' | 'id' | 'resources'>,
  template: Template,
  parameters: Record<string, ParameterValue>,
  providers: Record<string, Provider>,
): Input[] {
  // Resources whose physical id or attributes will change: values that refer to them are unknown.
  const changing = new Set<string>();
  const ectx = evaluationContext(ctx, stack, template, parameters, stack.resources, {
    unknown: (id) => (changing.has(id) || !stack.resources[id]?.physicalId ? `${UNKNOWN}${id}}}` : undefined),
  });
  const changes: Input[] = [];
  const order = creationOrder(template, ectx.conditions);
  for (const logicalId of order) {
    const r = template.Resources[logicalId];
    const old = stack.resources[logicalId];
    const change = { LogicalResourceId: logicalId, ResourceType: r.Type };
    if (!old?.physicalId || old.type !== r.Type) {
      changing.add(logicalId);
      changes.push({ ...change, Action: 'Add', ...(old?.physicalId ? { Action: 'Modify', Replacement: 'True', PhysicalResourceId: old.physicalId } : {}) });
      continue;
    }
    const props = evaluate(r.Properties ?? {}, ectx) as Input;
    const changed = changedProperties(props, old.properties ?? {});
    if (changed.length === 0) continue;
    const replacing = requiresReplacement(providers[r.Type], changed);
    const known = replacing.filter((p) => !canonical(props[p]).includes(UNKNOWN));
    const replacement = replacing.length === 0 ? 'False' : known.length ? 'True' : 'Conditional';
    if (replacement !== 'False') changing.add(logicalId);
    changes.push({
      ...change,
      Action: 'Modify',
      PhysicalResourceId: old.physicalId,
      Replacement: replacement,
      Scope: ['Properties'],
      Details: changed.map((name) => {
        const dynamic = canonical(props[name]).includes(UNKNOWN);
        const recreate = replacing.includes(name) ? (dynamic ? 'Conditionally' : 'Always') : 'Never';
        return { Target: { Attribute: 'Properties', Name: name, RequiresRecreation: recreate }, Evaluation: dynamic ? 'Dynamic' : 'Static', ChangeSource: dynamic ? 'ResourceAttribute' : 'DirectModification' };
      }),
    });
  }
  for (const [logicalId, old] of Object.entries(stack.resources)) {
    if (!order.includes(logicalId) && old.physicalId) {
      changes.push({ LogicalResourceId: logicalId, ResourceType: old.type, Action: 'Remove', PhysicalResourceId: old.physicalId });
    }
  }
  return changes.map((c) => ({ Type: 'Resource', ResourceChange: c }));
}
