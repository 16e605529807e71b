// Which workflows an event starts: GitHub's documented filter rules against the template's own
// workflow files and small ones.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { filterMatches, startsWorkflow, type TriggerEvent } from '../../../local/runner/triggers.js';
import { loadWorkflow } from '../../../local/runner/workflow.js';

const dir = mkdtempSync(join(tmpdir(), 'triggers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function fixture(on: string) {
  mkdirSync(join(dir, '.github/workflows'), { recursive: true });
  const file = `.github/workflows/w${Math.random().toString(36).slice(2)}.yml`;
  writeFileSync(join(dir, file), `on:\n${on}\njobs:\n  j: { runs-on: ubuntu-latest, steps: [{ run: echo }] }\n`);
  return loadWorkflow(dir, file);
}

const push = (ref: string, changedFiles: string[] = ['README.md']): TriggerEvent => ({ name: 'push', ref, changedFiles });

describe('filter patterns', () => {
  it('* stays in a segment, ** crosses them, a later ! takes back', () => {
    expect(filterMatches('environments/dev.yaml', ['environments/*.yaml'])).toBe(true);
    expect(filterMatches('environments/old/dev.yaml', ['environments/*.yaml'])).toBe(false);
    expect(filterMatches('containers/a/b/c.py', ['containers/**'])).toBe(true);
    expect(filterMatches('docs/x.md', ['**', '!docs/**'])).toBe(false);
    expect(filterMatches('docs/keep.md', ['**', '!docs/**', 'docs/keep.md'])).toBe(true);
    expect(filterMatches('.github/workflows/ci.yml', ['**'])).toBe(true);
  });
});

describe('the template\'s workflows', () => {
  it('model-deploy starts on a push to main touching environments/, not on other files or branches', async () => {
    const deploy = await loadWorkflow('.', '.github/workflows/model-deploy.yml');
    expect(startsWorkflow(deploy, push('refs/heads/main', ['environments/prod.yaml']))).toBe(true);
    expect(startsWorkflow(deploy, push('refs/heads/main', ['README.md']))).toBe(false);
    expect(startsWorkflow(deploy, push('refs/heads/promote/v2', ['environments/prod.yaml']))).toBe(false);
    expect(startsWorkflow(deploy, push('refs/tags/deployed/prod'))).toBe(false);
    expect(startsWorkflow(deploy, { name: 'workflow_dispatch', workflowFile: 'model-deploy.yml' })).toBe(true);
    expect(startsWorkflow(deploy, { name: 'workflow_dispatch', workflowFile: 'ci.yml' })).toBe(false);
  });

  it('deploy-environment is only called, never started by an event', async () => {
    const called = await loadWorkflow('.', '.github/workflows/deploy-environment.yml');
    expect(startsWorkflow(called, push('refs/heads/main', ['environments/prod.yaml']))).toBe(false);
  });
});

describe('GitHub\'s rules', () => {
  it('branch filters ignore tags and tag filters ignore branches; paths do not apply to tags', async () => {
    const branches = await fixture('  push:\n    branches: [main]\n    paths: [src/**]');
    expect(startsWorkflow(branches, push('refs/tags/v1'))).toBe(false);
    expect(startsWorkflow(branches, push('refs/heads/main', ['src/a.ts']))).toBe(true);
    const tags = await fixture('  push:\n    tags: [v*]\n    paths: [src/**]');
    expect(startsWorkflow(tags, push('refs/tags/v1', ['README.md']))).toBe(true);
    expect(startsWorkflow(tags, push('refs/heads/main', ['src/a.ts']))).toBe(false);
    const ignore = await fixture('  push:\n    branches-ignore: [wip/**]\n    paths-ignore: [docs/**]');
    expect(startsWorkflow(ignore, push('refs/heads/wip/x'))).toBe(false);
    expect(startsWorkflow(ignore, push('refs/heads/main', ['docs/a.md']))).toBe(false);
    expect(startsWorkflow(ignore, push('refs/heads/main', ['docs/a.md', 'src/b.ts']))).toBe(true);
  });

  it('pull_request: opened, synchronize and reopened by default, filtered by base branch', async () => {
    const pr = await fixture('  pull_request:\n    branches: [main]');
    const event = (action: string, baseRef = 'main'): TriggerEvent => ({ name: 'pull_request', action, baseRef, changedFiles: ['a'] });
    expect(['opened', 'synchronize', 'reopened', 'closed', 'edited'].map((a) => startsWorkflow(pr, event(a)))).toEqual([true, true, true, false, false]);
    expect(startsWorkflow(pr, event('opened', 'release'))).toBe(false);
    const closed = await fixture('  pull_request:\n    types: [closed]');
    expect(startsWorkflow(closed, event('closed'))).toBe(true);
  });
});
