import type { PipelineExecutionStep } from '@aws-sdk/client-sagemaker';
import type { ExecutionResult } from './execution.js';
import { stepJob } from './execution.js';
import type { PipelineConfig } from './inputs.js';
import { collectSteps, stepDependencies, type DefinitionStep } from '../../../core/pipeline/graph.js';
import { blocks, heading, keyValueTable, mermaid, table } from '../../lib/summary.js';
import { formatDuration } from '../../lib/time.js';

const STATUS_CLASS: Record<string, string> = {
  Succeeded: 'succeeded',
  Failed: 'failed',
  Stopped: 'failed',
  Executing: 'running',
  Starting: 'running',
  Stopping: 'running',
};

/** The definition as a flowchart, each step colored by how it ended (steps that never ran stay gray). */
export function dagMermaid(definition: { Steps: DefinitionStep[] }, steps: PipelineExecutionStep[]): string {
  const entries = collectSteps(definition.Steps);
  const deps = stepDependencies(entries);
  const status = new Map(steps.map((s) => [s.StepName!, s.StepStatus!]));
  const id = (name: string) => name.replace(/[^A-Za-z0-9_]/g, '_');
  const lines = ['flowchart LR'];
  for (const [name, { step }] of entries) {
    const label = `${name}<br/>${status.get(name) ?? 'not run'}`;
    lines.push(step.Type === 'Condition' ? `  ${id(name)}{"${label}"}` : `  ${id(name)}["${label}"]`);
  }
  for (const [name, from] of deps) for (const d of from) lines.push(`  ${id(d)} --> ${id(name)}`);
  lines.push(
    '  classDef succeeded fill:#d3f9d8,stroke:#2b8a3e',
    '  classDef failed fill:#ffe3e3,stroke:#c92a2a',
    '  classDef running fill:#d0ebff,stroke:#1c7ed6',
    '  classDef pending fill:#f1f3f5,stroke:#868e96',
  );
  for (const name of entries.keys()) lines.push(`  class ${id(name)} ${STATUS_CLASS[status.get(name) ?? ''] ?? 'pending'}`);
  return mermaid(lines.join('\n'));
}

export function stepTable(steps: PipelineExecutionStep[]): string {
  return table(
    ['Step', 'Status', 'Duration', 'Job', 'Failure'],
    steps.map((s) => [
      s.StepName,
      `${s.StepStatus}${s.CacheHitResult?.SourcePipelineExecutionArn ? ' (cached)' : ''}`,
      s.StartTime && s.EndTime ? formatDuration(s.EndTime.getTime() - s.StartTime.getTime()) : '',
      stepJob(s) ?? s.Metadata?.Condition?.Outcome ?? '',
      s.FailureReason ?? '',
    ]),
  );
}

export function renderSummary(config: PipelineConfig, result: ExecutionResult, outputs: Record<string, string>, failure?: string): string {
  return blocks(
    heading(`run-pipeline: ${config.name}`),
    keyValueTable({
      'Execution': result.executionArn,
      'Status': `${result.status === 'Succeeded' ? '✅' : result.status === 'Executing' ? '⏳' : '❌'} ${result.status}`,
      'Pipeline': result.created ? 'created' : 'updated',
      'Model package': outputs['model-package-arn'] || '—',
    }),
    failure && `**Error:** ${failure}`,
    result.steps.length > 0 && heading('Steps', 3),
    result.steps.length > 0 && stepTable(result.steps),
    heading('Graph', 3),
    dagMermaid(config.definition, result.steps),
  );
}
