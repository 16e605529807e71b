// The runner against GitHub's documented behaviour: jobs in needs order, if: with the status
// functions, env precedence, outputs from steps to jobs to needs, continue-on-error, matrices.
import { afterEach, describe, expect, it } from '@jest/globals';
import { job, output, workspace, type Workspace } from './harness.js';

let ws: Workspace;
afterEach(() => ws?.remove());

describe('jobs and needs', () => {
  it('runs jobs after what they need, skips the dependents of a failure unless their if: says otherwise', async () => {
    ws = workspace({
      '.github/workflows/w.yml': `
on: push
jobs:
  build: { runs-on: ubuntu-latest, steps: [{ run: echo built }] }
  test: { needs: build, runs-on: ubuntu-latest, steps: [{ run: 'echo testing; exit 3' }] }
  deploy: { needs: test, runs-on: ubuntu-latest, steps: [{ run: echo deploying }] }
  report: { needs: [build, test], if: always(), runs-on: ubuntu-latest, steps: [{ run: 'echo "test was \${{ needs.test.result }}"' }] }
  on-failure: { needs: test, if: failure(), runs-on: ubuntu-latest, steps: [{ run: echo cleanup }] }
  after-skip: { needs: deploy, runs-on: ubuntu-latest, steps: [{ run: echo never }] }
`,
    });
    const run = await ws.run('.github/workflows/w.yml');
    expect(run.result).toBe('failure');
    expect(Object.fromEntries(run.jobs.map((j) => [j.key, j.result]))).toEqual({
      'build': 'success', 'test': 'failure', 'deploy': 'skipped', 'report': 'success', 'on-failure': 'success', 'after-skip': 'skipped',
    });
    expect(job(run, 'test').steps[0].error).toBe('Process completed with exit code 3.');
    expect(output(job(run, 'report'))).toEqual(['test was failure']);
    expect(job(run, 'test').startedAt.getTime()).toBeGreaterThanOrEqual(job(run, 'build').finishedAt.getTime());
  });

  it('gives steps success(), failure() and always() as the job has gone so far', async () => {
    ws = workspace({
      '.github/workflows/w.yml': `
on: push
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - run: echo one
      - id: bad
        run: exit 1
      - run: echo skipped-by-default
      - if: failure()
        run: echo "bad was \${{ steps.bad.outcome }}"
      - if: always()
        run: echo always
      - if: success()
        run: echo not-this
`,
    });
    const j = job(await ws.run('.github/workflows/w.yml'), 'j');
    expect(j.steps.map((s) => s.outcome)).toEqual(['success', 'failure', 'skipped', 'success', 'success', 'skipped']);
    expect(output(j)).toEqual(['one', 'Error: Process completed with exit code 1.', 'bad was failure', 'always']);
  });

  it('continue-on-error: the step\'s outcome is failure, its conclusion success, and the job goes on', async () => {
    ws = workspace({
      '.github/workflows/w.yml': `
on: push
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - id: flaky
        continue-on-error: true
        run: exit 1
      - run: echo "\${{ steps.flaky.outcome }} \${{ steps.flaky.conclusion }}"
  allowed:
    runs-on: ubuntu-latest
    continue-on-error: true
    steps: [{ run: exit 1 }]
`,
    });
    const run = await ws.run('.github/workflows/w.yml');
    expect(job(run, 'j').result).toBe('success');
    expect(output(job(run, 'j'))).toContain('failure success');
    expect(job(run, 'allowed').result).toBe('failure');
    expect(run.result).toBe('success');
  });
});

describe('env and outputs', () => {
  it('step env over job env over workflow env; GITHUB_ENV reaches the later steps only', async () => {
    ws = workspace({
      '.github/workflows/w.yml': `
on: push
env: { LEVEL: workflow, ONLY_WORKFLOW: w }
jobs:
  j:
    runs-on: ubuntu-latest
    env: { LEVEL: job }
    steps:
      - env: { LEVEL: step }
        run: |
          echo "$LEVEL $ONLY_WORKFLOW \${{ env.LEVEL }}"
          echo "ADDED=later" >> "$GITHUB_ENV"
          echo "now:\${ADDED:-unset}"
      - run: echo "$LEVEL $ADDED \${{ env.ADDED }}"
`,
    });
    expect(output(job(await ws.run('.github/workflows/w.yml'), 'j'))).toEqual(['step w step', 'now:unset', 'job later later']);
  });

  it('step outputs, multi-line ones too, become job outputs and reach the jobs that need them', async () => {
    ws = workspace({
      '.github/workflows/w.yml': `
on: push
jobs:
  make:
    runs-on: ubuntu-latest
    outputs:
      version: \${{ steps.v.outputs.version }}
      notes: \${{ steps.v.outputs.notes }}
    steps:
      - id: v
        run: |
          echo "version=1.2.3" >> "$GITHUB_OUTPUT"
          { echo "notes<<EOF_NOTES"; echo "line one"; echo "line=two"; echo "EOF_NOTES"; } >> "$GITHUB_OUTPUT"
  use:
    needs: make
    runs-on: ubuntu-latest
    steps:
      - env: { NOTES: '\${{ needs.make.outputs.notes }}' }
        run: |
          echo "v\${{ needs.make.outputs.version }}"
          printf '%s\\n' "$NOTES"
`,
    });
    const run = await ws.run('.github/workflows/w.yml');
    expect(job(run, 'make').outputs).toEqual({ version: '1.2.3', notes: 'line one\nline=two' });
    expect(output(job(run, 'use'))).toEqual(['v1.2.3', 'line one', 'line=two']);
  });

  it('a malformed GITHUB_OUTPUT fails the step and says why', async () => {
    ws = workspace({
      '.github/workflows/w.yml': `
on: push
jobs:
  j:
    runs-on: ubuntu-latest
    steps: [{ run: 'echo "notes<<END" >> "$GITHUB_OUTPUT"; echo "text" >> "$GITHUB_OUTPUT"' }]
`,
    });
    const j = job(await ws.run('.github/workflows/w.yml'), 'j');
    expect(j.result).toBe('failure');
    expect(j.steps[0].error).toBe("GITHUB_OUTPUT: the value of 'notes' has no closing line 'END'");
  });
});

describe('matrix', () => {
  it('expands lists, drops excludes, extends with includes and names each leg by its values', async () => {
    ws = workspace({
      '.github/workflows/w.yml': `
on: push
jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        os: [linux, mac]
        node: [20, 24]
        exclude: [{ os: mac, node: 20 }]
        include:
          - { node: 24, experimental: true }
          - { os: windows, node: 24 }
    steps: [{ run: 'echo "\${{ matrix.os }}-\${{ matrix.node }}-\${{ matrix.experimental || false }} \${{ strategy.job-index }}/\${{ strategy.job-total }}"' }]
`,
    });
    const run = await ws.run('.github/workflows/w.yml');
    expect(run.jobs.map((j) => j.name).sort()).toEqual(['test (linux, 20)', 'test (linux, 24, true)', 'test (mac, 24, true)', 'test (windows, 24)']);
    expect(run.jobs.map((j) => output(j)[0]).sort()).toEqual(['linux-20-false 0/4', 'linux-24-true 1/4', 'mac-24-true 2/4', 'windows-24-false 3/4']);
  });

  it('fail-fast cancels the legs still to run; max-parallel runs them one at a time', async () => {
    ws = workspace({
      '.github/workflows/w.yml': `
on: push
jobs:
  t:
    runs-on: ubuntu-latest
    strategy:
      max-parallel: 1
      matrix: { n: [1, 2, 3] }
    steps: [{ run: 'test \${{ matrix.n }} != 2' }]
  slow:
    runs-on: ubuntu-latest
    strategy:
      fail-fast: false
      max-parallel: 1
      matrix: { n: [1, 2, 3] }
    steps: [{ run: 'test \${{ matrix.n }} != 2' }]
`,
    });
    const run = await ws.run('.github/workflows/w.yml');
    const legs = (id: string) => run.jobs.filter((j) => j.id === id).sort((a, b) => a.key.localeCompare(b.key));
    expect(legs('t').map((j) => j.result)).toEqual(['success', 'failure', 'cancelled']);
    expect(legs('slow').map((j) => j.result)).toEqual(['success', 'failure', 'success']);
    const [a, b, c] = legs('slow');
    expect(b.startedAt.getTime()).toBeGreaterThanOrEqual(a.finishedAt.getTime());
    expect(c.startedAt.getTime()).toBeGreaterThanOrEqual(b.finishedAt.getTime());
  });
});
