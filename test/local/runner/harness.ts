// Small workflows run by the local runner in a temporary repository: the conformance tests' setup.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ConcurrencyGroups } from '../../../local/runner/concurrency.js';
import { runWorkflow } from '../../../local/runner/run.js';
import type { JobRecord, RunOptions, RunRecord } from '../../../local/runner/types.js';

export interface Workspace {
  dir: string;
  concurrency: ConcurrencyGroups;
  write(path: string, content: string): void;
  run(workflow: string, options?: Partial<RunOptions>): Promise<RunRecord>;
  remove(): void;
}

let runId = 100;

export function workspace(files: Record<string, string>): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'runner-ws-'));
  const concurrency = new ConcurrencyGroups();
  const write = (path: string, content: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  for (const [path, content] of Object.entries(files)) write(path, content);
  return {
    dir,
    concurrency,
    write,
    run: (workflow, options = {}) => {
      const id = ++runId;
      return runWorkflow({
        workspace: dir,
        workflow,
        event: 'push',
        payload: {},
        repository: 'octo/repo',
        sha: '0123456789abcdef0123456789abcdef01234567',
        ref: 'refs/heads/main',
        actor: 'octocat',
        runId: id,
        runNumber: id,
        serverUrl: 'http://github.local',
        apiUrl: 'http://github.local/api/v3',
        secrets: {},
        vars: {},
        baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' },
        tempDir: join(dir, '.runner'),
        hooks: { node: process.execPath, actions: {} },
        concurrency,
        ...options,
      });
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The job with this key; fails the test with the keys there are when it is missing. */
export function job(run: RunRecord, key: string): JobRecord {
  const found = run.jobs.find((j) => j.key === key);
  if (!found) throw new Error(`no job ${key} in the run; it has ${run.jobs.map((j) => j.key).join(', ')}`);
  return found;
}

/** A job's log without the step headers. */
export const output = (j: JobRecord) => j.log.filter((l) => !l.startsWith('▶ '));
