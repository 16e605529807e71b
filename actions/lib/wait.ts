import type { Logger } from './log.js';
import { formatDuration, sleep } from './time.js';
import { DeadlineExceededError } from '../../core/errors.js';

/** The hard limit of one action run. Every wait checks it; passing it fails the action. */
export class Deadline {
  static minutes(minutes: number): Deadline {
    return new Deadline(minutes * 60_000);
  }

  constructor(readonly limitMs: number, readonly startedAt = Date.now()) {}

  remainingMs(): number {
    return this.startedAt + this.limitMs - Date.now();
  }

  elapsedMs(): number {
    return Date.now() - this.startedAt;
  }
}

export type PollResult<T> = { done: true; value: T } | { done: false; status: string };

export interface PollOptions<T> {
  /** What is awaited, as the progress line and the timeout error say it: "stack app-dev to finish updating". */
  what: string;
  deadline: Deadline;
  logger: Logger;
  check: () => Promise<PollResult<T>>;
  /** First delay between checks; grows by `factor` up to `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  factor?: number;
  /** A progress line is printed on every status change and at least this often. */
  progressEveryMs?: number;
}

/**
 * How many times faster than on AWS to poll: 1 on a runner. The offline flow runs AWS's time
 * faster (the twin's time scale) and sets SAGEMAKER_GITOPS_POLL_SPEEDUP so that the actions' waits
 * between checks shrink with it; deadlines stay as they are.
 */
export function pollSpeedup(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.SAGEMAKER_GITOPS_POLL_SPEEDUP ?? 1);
  return Number.isFinite(value) && value >= 1 && value <= 1000 ? value : 1;
}

/**
 * Polls `check` with backoff until it is done. Prints a progress line (what, status, elapsed);
 * when the deadline passes it throws DeadlineExceededError: a wait never warns and succeeds.
 */
export async function pollUntil<T>(options: PollOptions<T>): Promise<T> {
  const { what, deadline, logger, check } = options;
  const maxDelay = options.maxDelayMs ?? 20_000;
  const factor = options.factor ?? 1.5;
  const progressEvery = options.progressEveryMs ?? 30_000;
  const started = Date.now();
  const speedup = pollSpeedup();
  let delay = options.initialDelayMs ?? 2_000;
  let lastStatus: string | undefined;
  let lastProgressAt = -Infinity;

  for (;;) {
    const result = await check();
    if (result.done) return result.value;

    const now = Date.now();
    if (result.status !== lastStatus || now - lastProgressAt >= progressEvery) {
      logger.info(`Waiting for ${what}: ${result.status} (${formatDuration(now - started)} elapsed)`);
      lastStatus = result.status;
      lastProgressAt = now;
    }

    const remaining = deadline.remainingMs();
    if (remaining <= 0) throw new DeadlineExceededError(what, deadline.limitMs);
    // The last sleep ends exactly at the deadline so the final check still gets its chance.
    await sleep(Math.min(delay / speedup, remaining));
    delay = Math.min(maxDelay, delay * factor);
  }
}
