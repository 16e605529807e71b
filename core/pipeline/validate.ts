// Structural checks of a pipeline definition that SageMaker would otherwise only report when an
// execution reaches the broken step: every reference resolves, no cycles, branches not repeated.
import { EXECUTION_VARIABLES, type PipelineDefinition, type Step } from './builders.js';
import { collectSteps, walkExpressions, type DefinitionStep } from './graph.js';

// The first segment of a step property path, per step type (the Describe* response it follows).
const PROPERTY_ROOTS: Record<Step['Type'], string[]> = {
  Processing: ['ProcessingOutputConfig', 'ProcessingJobArn', 'ProcessingJobName', 'ProcessingJobStatus', 'ProcessingInputs', 'ExitMessage', 'FailureReason'],
  Training: ['ModelArtifacts', 'TrainingJobArn', 'TrainingJobName', 'TrainingJobStatus', 'FinalMetricDataList', 'HyperParameters', 'OutputDataConfig'],
  RegisterModel: ['ModelPackageArn'],
  Condition: ['Outcome'],
  Fail: [],
};

/** Problems found in the definition; empty when it is sound. */
export function validatePipeline(definition: PipelineDefinition): string[] {
  const problems: string[] = [];
  if (definition.Version !== '2020-12-01') problems.push(`Version must be 2020-12-01, got ${String(definition.Version)}`);
  const parameters = new Set(definition.Parameters.map((p) => p.Name));
  const steps = collectSteps(definition.Steps as DefinitionStep[], (name) =>
    problems.push(`step ${name} is defined more than once (condition branch steps must not be listed again at top level)`),
  );

  // Edges: a step depends on the steps it reads from, those it names in DependsOn, and its condition.
  const dependsOn = new Map<string, Set<string>>([...steps.keys()].map((n) => [n, new Set<string>()]));
  for (const [name, entry] of steps) {
    const step = entry.step as Step;
    const deps = dependsOn.get(name)!;
    const branchOf = entry.branchOf;
    if (branchOf) deps.add(branchOf);
    for (const d of step.DependsOn ?? []) {
      if (!steps.has(d)) problems.push(`step ${name}: DependsOn names unknown step ${d}`);
      else deps.add(d);
    }
    walkExpressions(step.Arguments, `${name}.Arguments`, (node, at) => {
      if ('Std:JsonGet' in node) {
        const get = (node['Std:JsonGet'] as { PropertyFile?: { Get?: string } }).PropertyFile?.Get ?? '';
        const m = get.match(/^Steps\.([^.]+)\.PropertyFiles\.([^.]+)$/);
        const owner = m ? (steps.get(m[1])?.step as Step | undefined) : undefined;
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
        const target = steps.get(first)?.step as Step | undefined;
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
