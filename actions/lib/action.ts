import type { Logger } from './log.js';
import { runner } from './runner.js';
import { DeadlineExceededError, describeError, UserError } from '../../core/errors.js';

/** The logic's Logger, backed by the runner's log commands. */
export const actionLogger: Logger = {
  info: runner.info,
  warning: runner.warning,
  error: runner.error,
  debug: runner.debug,
  mask: runner.mask,
};

export type Outputs = Record<string, string | number | boolean>;

export interface ActionResult {
  outputs: Outputs;
  /** Markdown for the job summary. */
  summary?: string;
}

/** An error that carries the job summary (and outputs) of a failed run, so the summary explains the failure. */
export class FailureWithSummary extends Error {
  constructor(message: string, readonly summary: string, readonly outputs: Outputs = {}) {
    super(message);
    this.name = 'FailureWithSummary';
  }
}

function publish(outputs: Outputs, summary: string | undefined): void {
  for (const [name, value] of Object.entries(outputs)) runner.setOutput(name, String(value));
  if (summary) runner.appendSummary(summary);
}

/**
 * The one try/catch of every action: runs the logic, sets outputs and the job summary, and on
 * any error fails the step with a readable reason (the stack trace goes to the debug log only).
 */
export async function runAction(run: () => Promise<ActionResult>): Promise<void> {
  try {
    const result = await run();
    publish(result.outputs, result.summary);
  } catch (error) {
    if (error instanceof FailureWithSummary) publish(error.outputs, error.summary);
    const expected = error instanceof UserError || error instanceof DeadlineExceededError || error instanceof FailureWithSummary;
    if (!expected && error instanceof Error && error.stack) runner.debug(error.stack);
    runner.setFailed(describeError(error));
  }
}
