// The shape of a SageMaker pipeline definition as a graph: its steps (condition branches
// included), the expressions in their arguments, and which steps each one waits for. Shared by
// the pipeline validator and run-pipeline's DAG summary.

export interface DefinitionStep {
  Name: string;
  Type: string;
  Arguments?: unknown;
  DependsOn?: string[];
  PropertyFiles?: { PropertyFileName: string }[];
}

export interface StepEntry {
  step: DefinitionStep;
  /** The condition step whose IfSteps/ElseSteps hold this one. */
  branchOf?: string;
}

/** Every step by name, in definition order, branch steps after their condition. Repeats are reported. */
export function collectSteps(steps: DefinitionStep[], onRepeat: (name: string) => void = () => undefined): Map<string, StepEntry> {
  const found = new Map<string, StepEntry>();
  const visit = (list: DefinitionStep[], branchOf?: string) => {
    for (const step of list) {
      if (found.has(step.Name)) onRepeat(step.Name);
      found.set(step.Name, { step, branchOf });
      if (step.Type === 'Condition') {
        const args = (step.Arguments ?? {}) as { IfSteps?: DefinitionStep[]; ElseSteps?: DefinitionStep[] };
        visit([...(args.IfSteps ?? []), ...(args.ElseSteps ?? [])], step.Name);
      }
    }
  };
  visit(steps);
  return found;
}

/** Calls `visit` for every `{Get}` and `Std:JsonGet` in a value (not inside condition branches). */
export function walkExpressions(value: unknown, at: string, visit: (node: Record<string, unknown>, at: string) => void): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => walkExpressions(v, `${at}[${i}]`, visit));
  } else if (value && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    if ('Get' in node || 'Std:JsonGet' in node) {
      visit(node, at);
      return;
    }
    for (const [k, v] of Object.entries(node)) {
      if (k !== 'IfSteps' && k !== 'ElseSteps') walkExpressions(v, `${at}.${k}`, visit);
    }
  }
}

/** The step a `{Get}` or `Std:JsonGet` reads from, if it reads from one. */
export function referencedStep(node: Record<string, unknown>): string | undefined {
  const ref = 'Std:JsonGet' in node ? (node['Std:JsonGet'] as { PropertyFile?: { Get?: string } }).PropertyFile?.Get : node.Get;
  const m = String(ref ?? '').match(/^Steps\.([^.]+)\./);
  return m?.[1];
}

/** For each step, the steps it waits for: what it reads, what it names in DependsOn, and its condition. */
export function stepDependencies(steps: Map<string, StepEntry>): Map<string, Set<string>> {
  const deps = new Map<string, Set<string>>();
  for (const [name, { step, branchOf }] of steps) {
    const set = new Set<string>();
    if (branchOf) set.add(branchOf);
    for (const d of step.DependsOn ?? []) if (steps.has(d)) set.add(d);
    walkExpressions(step.Arguments, name, (node) => {
      const target = referencedStep(node);
      if (target && steps.has(target)) set.add(target);
    });
    deps.set(name, set);
  }
  return deps;
}
