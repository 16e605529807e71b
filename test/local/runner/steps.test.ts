// Steps as GitHub's runner runs them: its shells, workflow commands, masking, timeouts, JavaScript
// actions from this repository (inputs, outputs, state, post) and what it refuses.
import { afterEach, describe, expect, it } from '@jest/globals';
import { job, output, workspace, type Workspace } from './harness.js';
import { WorkflowError } from '../../../local/runner/workflow.js';

let ws: Workspace;
afterEach(() => ws?.remove());

const oneJob = (steps: string, extra = '') => ({
  '.github/workflows/w.yml': `
on: push
jobs:
  j:
    runs-on: ubuntu-latest
${extra}
    steps:
${steps}
`,
});

describe('shells', () => {
  it('runs bash -e by default (no pipefail), shell: bash with pipefail, sh, python and a custom {0}', async () => {
    ws = workspace(oneJob(`
      - run: 'false | true; echo default-no-pipefail'
      - id: pipefail
        continue-on-error: true
        shell: bash
        run: 'false | true; echo never'
      - id: errexit
        continue-on-error: true
        run: 'false; echo never'
      - shell: sh
        run: 'echo "sh \${0##*.}"'
      - shell: python
        run: 'import sys; print("python", sys.argv[0].endswith(".py"))'
      - shell: 'perl {0}'
        run: 'print "custom perl\\n";'`));
    const j = job(await ws.run('.github/workflows/w.yml'), 'j');
    expect(j.steps.map((s) => s.outcome)).toEqual(['success', 'failure', 'failure', 'success', 'success', 'success']);
    expect(output(j).filter((l) => !l.startsWith('Error'))).toEqual(['default-no-pipefail', 'sh sh', 'python True', 'custom perl']);
  });

  it('runs in working-directory, from the step or from defaults.run', async () => {
    ws = workspace({
      ...oneJob(`
      - run: basename "$PWD"
      - working-directory: sub/deeper
        run: basename "$PWD"`, '    defaults: { run: { working-directory: sub } }'),
      'sub/deeper/.keep': '',
    });
    expect(output(job(await ws.run('.github/workflows/w.yml'), 'j'))).toEqual(['sub', 'deeper']);
  });
});

describe('workflow commands and masking', () => {
  it('masks secrets and ::add-mask:: values, in the log, annotations and outputs; ::stop-commands:: pauses commands', async () => {
    ws = workspace(oneJob(`
      - id: s
        env: { TOKEN: '\${{ secrets.API_TOKEN }}' }
        run: |
          echo "token is $TOKEN"
          echo "::add-mask::masked-value"
          echo "then masked-value"
          echo "::error file=app.py,line=3::bad masked-value here"
          echo "::warning::careful%0Anext line"
          echo "::stop-commands::pause123"
          echo "::add-mask::shown-value"
          echo "::pause123::"
          echo "shown-value stays"
          echo "leak=$TOKEN" >> "$GITHUB_OUTPUT"`, '    outputs: { leak: "${{ steps.s.outputs.leak }}" }'));
    const run = await ws.run('.github/workflows/w.yml', { secrets: { API_TOKEN: 'hunter2' } });
    const j = job(run, 'j');
    expect(output(j)).toEqual([
      'token is ***',
      'then ***',
      'Error: bad *** here',
      'Warning: careful\nnext line',
      '::stop-commands::pause123',
      '::add-mask::shown-value',
      '::pause123::',
      'shown-value stays',
    ]);
    expect(j.annotations).toEqual([
      { level: 'error', message: 'bad *** here', properties: { file: 'app.py', line: '3' } },
      { level: 'warning', message: 'careful\nnext line', properties: {} },
    ]);
    expect(j.outputs).toEqual({ leak: '' });
  });

  it('collects GITHUB_STEP_SUMMARY of every step into the job summary', async () => {
    ws = workspace(oneJob(`
      - run: 'echo "## First" >> "$GITHUB_STEP_SUMMARY"'
      - run: 'echo "second" >> "$GITHUB_STEP_SUMMARY"'`));
    expect(job(await ws.run('.github/workflows/w.yml'), 'j').summary).toBe('## First\n\nsecond\n');
  });
});

describe('timeouts', () => {
  it('stops a step past its timeout-minutes, with everything it started', async () => {
    ws = workspace(oneJob(`
      - timeout-minutes: 0.01
        run: 'sleep 30 & wait'
      - if: always()
        run: echo after`));
    const started = Date.now();
    const j = job(await ws.run('.github/workflows/w.yml'), 'j');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(j.steps[0].outcome).toBe('failure');
    expect(j.steps[0].error).toMatch(/has timed out after 0.01 minutes/);
    expect(output(j)).toContain('after');
  });

  it('fails a job past its timeout-minutes with GitHub\'s words', async () => {
    ws = workspace(oneJob(`
      - run: sleep 30`, '    timeout-minutes: 0.01'));
    const j = job(await ws.run('.github/workflows/w.yml'), 'j');
    expect(j.result).toBe('failure');
    expect(j.reason).toBe('The job has exceeded the maximum execution time of 0.01 minutes.');
  });
});

describe('JavaScript actions of this repository', () => {
  const action = `
name: greet
description: Greets someone.
inputs:
  who: { description: who, required: true }
  greeting: { description: greeting, default: hello }
  run-id: { description: run, default: '\${{ github.run_id }}' }
outputs:
  said: { description: what it said }
runs:
  using: node24
  main: main.js
  post: post.js
`;
  const main = `
const fs = require('fs');
const line = process.env.INPUT_GREETING + ' ' + process.env['INPUT_WHO'] + ' in run ' + process.env['INPUT_RUN-ID'];
console.log(line);
fs.appendFileSync(process.env.GITHUB_OUTPUT, 'said=' + line + '\\n');
fs.appendFileSync(process.env.GITHUB_STATE, 'started=yes\\n');
if (process.env.INPUT_WHO === 'nobody') { console.log('::error::no one to greet'); process.exit(1); }
`;
  const post = 'console.log(\'post sees state \' + process.env.STATE_started);';
  const greet = { 'actions/greet/action.yml': action, 'actions/greet/main.js': main, 'actions/greet/post.js': post, 'actions/greet/package.json': '{"type":"commonjs"}' };

  it('passes inputs with their defaults as INPUT_*, reads its outputs, runs its post step with its state', async () => {
    ws = workspace({
      ...greet,
      ...oneJob(`
      - id: g
        uses: ./actions/greet
        with: { who: world }
      - run: echo "then \${{ steps.g.outputs.said }}"`),
    });
    const run = await ws.run('.github/workflows/w.yml');
    const j = job(run, 'j');
    expect(j.result).toBe('success');
    expect(output(j)).toEqual([`hello world in run ${run.id}`, `then hello world in run ${run.id}`, 'post sees state yes']);
  });

  it('fails the step when the action exits non-zero and shows its ::error::', async () => {
    ws = workspace({
      ...greet,
      ...oneJob(`
      - uses: ./actions/greet
        with: { who: nobody }`),
    });
    const j = job(await ws.run('.github/workflows/w.yml'), 'j');
    expect(j.result).toBe('failure');
    expect(j.annotations.map((a) => a.message)).toEqual(['no one to greet']);
    expect(j.steps[0].error).toBe('Process completed with exit code 1.');
  });

  it('refuses an action it has no equivalent of, and a known one at another commit, naming them', async () => {
    ws = workspace(oneJob(`
      - uses: someone/unknown-action@0123456789abcdef0123456789abcdef01234567
      - if: always()
        uses: actions/checkout@ffffffffffffffffffffffffffffffffffffffff`));
    const checkout = { pins: { '08eba0b27e820071cde6df949e0beb9ba4906955': 'v4.3.0' }, run: async () => ({}) };
    const j = job(await ws.run('.github/workflows/w.yml', { hooks: { node: process.execPath, actions: { 'actions/checkout': checkout } } }), 'j');
    expect(j.steps.map((s) => s.error)).toEqual([
      'uses: someone/unknown-action@0123456789abcdef0123456789abcdef01234567: the local runner has no equivalent of this action (it has actions/checkout)',
      'uses: actions/checkout@ffffffffffffffffffffffffffffffffffffffff: actions/checkout must be pinned to a commit the local runner knows: 08eba0b27e820071cde6df949e0beb9ba4906955 (v4.3.0)',
    ]);
  });
});

describe('expressions and the workflow file', () => {
  it('evaluates with GitHub\'s evaluator, every doubled quote of a literal unescaped', async () => {
    ws = workspace({
      ...oneJob(`
      - run: |
          echo "\${{ 'it''s a ''test''' }}"
          echo '\${{ fromJSON('{"a":[1,2]}').a[1] }} \${{ toJSON(github.event_name) }} \${{ format('{0}-{1}', 'x', 3) }}'
          echo "\${{ hashFiles('data/*.csv') != '' }} \${{ hashFiles('none/*') == '' }}"`),
      'data/a.csv': 'a,b\n',
    });
    expect(output(job(await ws.run('.github/workflows/w.yml'), 'j'))).toEqual(["it's a 'test'", '2 "push" x-3', 'true true']);
  });

  it('reads a block scalar with expressions as YAML does: indentation, heredocs and chomping kept', async () => {
    ws = workspace(oneJob(`
      - run: |
          python3 - <<EOF
          print("sha \${{ github.sha }}"[:10])
          if True:
              print('{braces} and it''s')
          EOF
      - id: v
        run: 'printf "%s" "\${{ github.ref }}" > /dev/null; echo "x=1" >> "$GITHUB_OUTPUT"'
      - env:
          KEPT: |-
            ref \${{ github.ref }}
            next
        run: 'printf "[%s]\\n" "$KEPT"'`));
    expect(output(job(await ws.run('.github/workflows/w.yml'), 'j'))).toEqual(['sha 012345', '{braces} and its', '[ref refs/heads/main', 'next]']);
  });

  it('refuses a workflow GitHub would refuse, with the parser\'s words', async () => {
    ws = workspace({ '.github/workflows/w.yml': 'on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    stepz: []\n' });
    const error = await ws.run('.github/workflows/w.yml').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowError);
    expect((error as Error).message).toMatch(/^\.github\/workflows\/w\.yml is not a valid workflow:\n.*Unexpected value 'stepz'/s);
  });
});
