import { jest } from '@jest/globals';

/**
 * Drives a promise that waits on (fake) timers to completion: advances the clock in steps until
 * the promise settles. Tests of polling code use this instead of sleeping.
 */
export async function settle<T>(promise: Promise<T>, stepMs = 1000, maxSteps = 100_000): Promise<T> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < maxSteps && !done; i++) await jest.advanceTimersByTimeAsync(stepMs);
  return promise;
}
