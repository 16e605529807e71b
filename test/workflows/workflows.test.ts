// The workflow files, as GitHub reads them and as this template promises them: GitHub's own
// parser reports no error, every workflow starts from no permissions, every job has a timeout,
// every third-party action is pinned to a full commit SHA with its version in a comment, and no
// checkout keeps credentials on disk.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';

const DIR = '.github/workflows';
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.yml')).sort();

interface Job {
  'uses'?: string;
  'timeout-minutes'?: number;
  'permissions'?: unknown;
  'steps'?: { uses?: string; with?: Record<string, unknown> }[];
}

describe.each(FILES)('%s', (file) => {
  const content = readFileSync(join(DIR, file), 'utf8');
  const workflow = parse(content) as { permissions?: unknown; jobs: Record<string, Job> };

  it('parses with GitHub\'s workflow parser with no error', async () => {
    const parsed = parseWorkflow({ name: file, content }, new NoOperationTraceWriter());
    expect(parsed.context.errors.getErrors().map((e) => e.message)).toEqual([]);
    const template = await convertWorkflowTemplate(parsed.context, parsed.value!);
    expect((template.errors ?? []).map((e) => e.Message)).toEqual([]);
  });

  it('starts from no permissions and gives each job only its own', () => {
    expect(workflow.permissions).toEqual({});
    for (const [name, job] of Object.entries(workflow.jobs)) expect([name, typeof job.permissions]).toEqual([name, 'object']);
  });

  it('puts a timeout on every job that runs steps', () => {
    for (const [name, job] of Object.entries(workflow.jobs)) {
      if (!job.uses) expect([name, typeof job['timeout-minutes']]).toEqual([name, 'number']);
    }
  });

  it('pins every third-party action to a commit SHA with its version, and persists no credentials', () => {
    const lines = content.split('\n').filter((l) => /^\s*(- )?uses: /.test(l));
    for (const line of lines) {
      const ref = line.replace(/^\s*(- )?uses: /, '');
      if (ref.startsWith('./')) continue;
      expect(ref).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+(\.\d+)*$/);
    }
    for (const job of Object.values(workflow.jobs)) {
      for (const step of job.steps ?? []) {
        if (step.uses?.startsWith('actions/checkout@')) expect(step.with?.['persist-credentials']).toBe(false);
      }
    }
  });
});
