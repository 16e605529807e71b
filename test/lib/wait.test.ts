import { jest } from '@jest/globals';
import { memoryLogger } from '../../actions/lib/log.js';
import { formatDuration } from '../../actions/lib/time.js';
import { Deadline, pollSpeedup, pollUntil, type PollResult } from '../../actions/lib/wait.js';
import { DeadlineExceededError } from '../../core/errors.js';
import { settle } from '../helpers/timers.js';

describe('pollUntil', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('backs off between checks and prints a progress line on each status change', async () => {
    const statuses = ['Creating', 'Creating', 'Updating'];
    const checkedAt: number[] = [];
    const logger = memoryLogger();
    const result = await settle(
      pollUntil<string>({
        what: 'endpoint e1',
        deadline: Deadline.minutes(10),
        logger,
        initialDelayMs: 1000,
        factor: 2,
        maxDelayMs: 3000,
        check: async (): Promise<PollResult<string>> => {
          checkedAt.push(Date.now());
          const s = statuses.shift();
          return s ? { done: false, status: s } : { done: true, value: 'InService' };
        },
      }),
    );
    expect(result).toBe('InService');
    const start = new Date('2026-01-01T00:00:00Z').getTime();
    expect(checkedAt.map((t) => t - start)).toEqual([0, 1000, 3000, 6000]);
    expect(logger.lines).toEqual(['Waiting for endpoint e1: Creating (0s elapsed)', 'Waiting for endpoint e1: Updating (3s elapsed)']);
  });

  it('waits the delays divided by SAGEMAKER_GITOPS_POLL_SPEEDUP, as the offline flow sets it, and ignores a value out of range', async () => {
    const checks = async (speedup: string) => {
      process.env.SAGEMAKER_GITOPS_POLL_SPEEDUP = speedup;
      const at: number[] = [];
      const start = Date.now();
      let n = 0;
      await settle(pollUntil<number>({
        what: 'stack s',
        deadline: Deadline.minutes(10),
        logger: memoryLogger(),
        initialDelayMs: 2000,
        factor: 1.5,
        check: async () => (at.push(Date.now() - start), ++n === 3 ? { done: true, value: n } : { done: false, status: 'UPDATE_IN_PROGRESS' }),
      }));
      return at;
    };
    try {
      expect(await checks('20')).toEqual([0, 100, 250]);
      expect(await checks('0')).toEqual([0, 2000, 5000]);
      expect(pollSpeedup({ SAGEMAKER_GITOPS_POLL_SPEEDUP: 'fast' })).toBe(1);
    } finally {
      delete process.env.SAGEMAKER_GITOPS_POLL_SPEEDUP;
    }
  });

  it('repeats an unchanged status at the progress interval', async () => {
    const logger = memoryLogger();
    let n = 0;
    await settle(
      pollUntil({
        what: 'x',
        deadline: Deadline.minutes(10),
        logger,
        initialDelayMs: 10_000,
        factor: 1,
        progressEveryMs: 25_000,
        check: async () => (++n > 6 ? { done: true, value: n } : { done: false, status: 'Busy' }),
      }),
    );
    expect(logger.lines).toEqual(['Waiting for x: Busy (0s elapsed)', 'Waiting for x: Busy (30s elapsed)']);
  });

  it('fails at the deadline after one last check, never succeeding silently', async () => {
    let checks = 0;
    const promise = pollUntil({
      what: 'stack app to finish updating',
      deadline: new Deadline(5000),
      logger: memoryLogger(),
      initialDelayMs: 2000,
      factor: 1,
      check: async () => {
        checks++;
        return { done: false, status: 'UPDATE_IN_PROGRESS' };
      },
    });
    await expect(settle(promise)).rejects.toThrow(new DeadlineExceededError('stack app to finish updating', 5000));
    await expect(promise).rejects.toThrow('Timed out after 5s waiting for stack app to finish updating');
    expect(checks).toBe(4); // at 0, 2, 4 and the deadline (5) seconds
  });
});

describe('formatDuration', () => {
  it.each([[0, '0s'], [45_000, '45s'], [125_000, '2m 5s'], [3_723_000, '1h 2m 3s']])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
