import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { jest } from '@jest/globals';
import { actionLogger, FailureWithSummary, runAction } from '../../actions/lib/action.js';
import { runner } from '../../actions/lib/runner.js';
import { UserError } from '../../core/errors.js';

/** Replaces the delimiter's random part so two writes can be compared. */
const normalise = (text: string) => text.replace(/ghadelimiter_[0-9a-f-]+/g, 'ghadelimiter_X');

describe('runner protocol', () => {
  const saved = { ...process.env };
  let dir: string;
  let stdout: string[];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'runner-'));
    stdout = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout.push(String(chunk));
      return true;
    });
    process.exitCode = undefined;
  });
  afterEach(() => {
    jest.restoreAllMocks();
    process.env = { ...saved };
    process.exitCode = undefined;
  });

  it('writes outputs exactly as @actions/core does', () => {
    const ours = join(dir, 'ours');
    const theirs = join(dir, 'theirs');
    writeFileSync(ours, '');
    writeFileSync(theirs, '');
    process.env.GITHUB_OUTPUT = ours;
    runner.setOutput('stack-id', 'arn:aws:cloudformation:x\nsecond line');
    process.env.GITHUB_OUTPUT = theirs;
    core.setOutput('stack-id', 'arn:aws:cloudformation:x\nsecond line');
    expect(normalise(readFileSync(ours, 'utf8'))).toBe(normalise(readFileSync(theirs, 'utf8')));
    expect(readFileSync(ours, 'utf8')).toContain('arn:aws:cloudformation:x\nsecond line');
  });

  it('writes log commands exactly as @actions/core does', () => {
    runner.warning('50% done\nnext');
    runner.error('bad');
    runner.debug('d');
    runner.mask('s3cret');
    const ours = stdout.splice(0);
    core.warning('50% done\nnext');
    core.error('bad');
    core.debug('d');
    core.setSecret('s3cret');
    expect(ours).toEqual(stdout);
  });

  it('prints outputs outside a runner and appends the summary only inside one', () => {
    delete process.env.GITHUB_OUTPUT;
    delete process.env.GITHUB_STEP_SUMMARY;
    runner.setOutput('changed', 'true');
    runner.appendSummary('# x');
    expect(stdout.join('')).toBe('output changed=true\n');
    const summary = join(dir, 'summary');
    process.env.GITHUB_STEP_SUMMARY = summary;
    runner.appendSummary('# x\n');
    expect(readFileSync(summary, 'utf8')).toBe('# x\n');
  });

  it('runAction sets outputs and the summary on success', async () => {
    process.env.GITHUB_OUTPUT = join(dir, 'out');
    process.env.GITHUB_STEP_SUMMARY = join(dir, 'summary');
    await runAction(async () => ({ outputs: { changed: false, count: 2 }, summary: '## ok\n' }));
    expect(normalise(readFileSync(join(dir, 'out'), 'utf8'))).toBe(
      'changed<<ghadelimiter_X\nfalse\nghadelimiter_X\ncount<<ghadelimiter_X\n2\nghadelimiter_X\n',
    );
    expect(readFileSync(join(dir, 'summary'), 'utf8')).toBe('## ok\n');
    expect(process.exitCode).toBeUndefined();
  });

  it('runAction fails with the reason alone for expected errors, keeping the failure summary', async () => {
    process.env.GITHUB_OUTPUT = join(dir, 'out');
    process.env.GITHUB_STEP_SUMMARY = join(dir, 'summary');
    await runAction(async () => {
      throw new FailureWithSummary('Stack app ended in ROLLBACK_COMPLETE', '## failed\n', { status: 'ROLLBACK_COMPLETE' });
    });
    expect(process.exitCode).toBe(1);
    expect(stdout).toEqual(['::error::Stack app ended in ROLLBACK_COMPLETE\n']);
    expect(readFileSync(join(dir, 'summary'), 'utf8')).toBe('## failed\n');
    expect(readFileSync(join(dir, 'out'), 'utf8')).toContain('ROLLBACK_COMPLETE');

    stdout.length = 0;
    await runAction(async () => {
      throw new UserError("Input 'template' is required");
    });
    expect(stdout).toEqual(["::error::Input 'template' is required\n"]);
  });

  it('runAction keeps the stack of an unexpected error in the debug log', async () => {
    await runAction(async () => {
      throw new TypeError('x is undefined');
    });
    expect(stdout[0]).toMatch(/^::debug::TypeError: x is undefined%0A/);
    expect(stdout[1]).toBe('::error::x is undefined\n');
    actionLogger.info('plain');
    expect(stdout[2]).toBe('plain\n');
  });
});
