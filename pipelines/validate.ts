// Structural checks of a pipeline definition that SageMaker would otherwise only report when an
// execution reaches the broken step: every reference resolves, no cycles, branches not repeated.
import { EXECUTION_VARIABLES, type PipelineDefinition, type Step } from './builders.js';

// The first segment of a step property path, per step type (the Describe* response it follows).
const PROPERTY_ROOTS: Record<Step['Type'], string[]> = {
  Processing: ['ProcessingOutputConfig', 'ProcessingJobArn', 'ProcessingJobName', 'ProcessingJobStatus', 'ProcessingInputs', 'ExitMessage', 'FailureReason'],
  Training: ['ModelArtifacts', 'TrainingJobArn', 'TrainingJobName', 'TrainingJobStatus', 'FinalMetricDataList', 'HyperParameters', 'OutputDataConfig'],
  RegisterModel: ['ModelPackageArn'],
  Condition: ['Outcome'],
  Fail: [],
};

interface StepInfo {
  step: Step;
  /** Set when the step sits in a condition's IfSteps/ElseSteps. */
  branchOf?: string;
}

function collectSteps(steps: Step[], into: Map<string, StepInfo>, problems: string[], branchOf?: string): void {
  for (const step of steps) {
    if (into.has(step.Name)) problems.push(`step ${step.Name} is defined more than once (condition branch steps must not be listed again at top level)`);
    into.set(step.Name, { step, branchOf });
    if (step.Type === 'Condition') {
      collectSteps([...step.Arguments.IfSteps, ...step.Arguments.ElseSteps], into, problems, step.Name);
    }
  }
}

/** Every `{Get}` and `Std:JsonGet` inside a value, with the path where it stands. */
function walk(value: unknown, at: string, visit: (node: Record<string, unknown>, at: string) => void): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, `${at}[${i}]`, visit));
  } else if (value && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    if ('Get' in node || 'Std:JsonGet' in node) {
      visit(node, at);
      return;
    }
    for (const [k, v] of Object.entries(node)) {
      if (k !== 'IfSteps' && k !== 'ElseSteps') walk(v, `${at}.${k}`, visit);
    }
  }
}

/** Problems found in the definition; empty when it is sound. */
export function validatePipeline(definition: PipelineDefinition): string[] {
  const problems: string[] = [];
  if (definition.Version !== '2020-12-01') problems.push(`Version must be 2020-12-01, got ${String(definition.Version)}`);
  const parameters = new Set(definition.Parameters.map((p) => p.Name));
  const steps = new Map<string, StepInfo>();
  collectSteps(definition.Steps, steps, problems);

  // Edges: a step depends on the steps it reads from, those it names in DependsOn, and its condition.
  const dependsOn = new Map<string, Set<string>>([...steps.keys()].map((n) => [n, new Set<string>()]));
  for (const [name, { step, branchOf }] of steps) {
    const deps = dependsOn.get(name)!;
    if (branchOf) deps.add(branchOf);
    for (const d of step.DependsOn ?? []) {
      if (!steps.has(d)) problems.push(`step ${name}: DependsOn names unknown step ${d}`);
      else deps.add(d);
    }
    walk(step.Arguments, `${name}.Arguments`, (node, at) => {
      if ('Std:JsonGet' in node) {
        const get = (node['Std:JsonGet'] as { PropertyFile?: { Get?: string } }).PropertyFile?.Get ?? '';
        const m = get.match(/^Steps\.([^.]+)\.PropertyFiles\.([^.]+)$/);
        const owner = m ? steps.get(m[1])?.step : undefined;
        if (!m || !owner) {
          problems.push(`${at}: Std:JsonGet must name a property file as Steps.<step>.PropertyFiles.<name>, got '${get}'`);
        } else if (owner.Type !== 'Processing' || !owner.PropertyFiles?.some((f) => f.PropertyFileName === m[2])) {
          problems.push(`${at}: step ${m[1]} declares no property file ${m[2]}`);
        } else {
          deps.add(m[1]);
        }
        return;
      }
      const ref = String(node.Get);
      const [root, first, ...rest] = ref.split('.');
      if (root === 'Parameters') {
        if (!parameters.has(first)) problems.push(`${at}: ${ref} is not a defined parameter`);
      } else if (root === 'Execution') {
        if (!(EXECUTION_VARIABLES as readonly string[]).includes(first)) problems.push(`${at}: ${ref} is not an execution variable`);
      } else if (root === 'Steps') {
        const target = steps.get(first)?.step;
        const segment = (rest[0] ?? '').replace(/\[.*$/, '');
        if (!target) {problems.push(`${at}: ${ref} names unknown step ${first}`);} else if (segment === 'PropertyFiles') {problems.push(`${at}: ${ref}: property files are read with Std:JsonGet, not Get`);} else if (!PROPERTY_ROOTS[target.Type].includes(segment)) {
          problems.push(`${at}: ${ref}: a ${target.Type} step has no property ${segment || '(none)'}`);
        } else {
          deps.add(first);
        }
      } else {
        problems.push(`${at}: ${ref} must start with Parameters., Execution. or Steps.`);
      }
    });
  }

  // Cycles, by depth-first search.
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      problems.push(`dependency cycle: ${[...trail.slice(trail.indexOf(name)), name].join(' -> ')}`);
      return;
    }
    state.set(name, 'visiting');
    for (const d of dependsOn.get(name) ?? []) visit(d, [...trail, name]);
    state.set(name, 'done');
  };
  for (const name of steps.keys()) visit(name, []);
  return problems;
}
