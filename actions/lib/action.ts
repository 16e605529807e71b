import type { Logger } from './log.js';
import { runner } from './runner.js';
import { Deadline } from './wait.js';
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

/** What every action's run gets from runAction: the runner's environment, the logger, and the clock. */
export interface ActionContext {
  /** The runner's environment: INPUT_* values and the GITHUB_* context. */
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** When the step started: deadlines count from here, so reading inputs and files is inside them. */
  startedAt: number;
  /** The action's hard limit, counted from the start of the step. */
  deadline(timeoutMinutes: number): Deadline;
  /**
   * The region to call: the first of `given` that is set, else AWS_REGION / AWS_DEFAULT_REGION.
   * `sources` names what could have set it, for the error when nothing did.
   */
  region(given: (string | undefined)[], sources?: string): string;
}

export function actionContext(env: NodeJS.ProcessEnv, logger: Logger, startedAt = Date.now()): ActionContext {
  return {
    env,
    logger,
    startedAt,
    deadline: (minutes) => new Deadline(minutes * 60_000, startedAt),
    region: (given, sources = "the 'region' input") => {
      const region = given.find((r) => r !== undefined) ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
      if (!region) throw new UserError(`No region: set ${sources} or AWS_REGION`);
      return region;
    },
  };
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
export async function runAction(
  run: (ctx: ActionContext) => Promise<ActionResult>,
  ctx: ActionContext = actionContext(process.env, actionLogger),
): Promise<void> {
  try {
    const result = await run(ctx);
    publish(result.outputs, result.summary);
  } catch (error) {
    if (error instanceof FailureWithSummary) publish(error.outputs, error.summary);
    const expected = error instanceof UserError || error instanceof DeadlineExceededError || error instanceof FailureWithSummary;
    if (!expected && error instanceof Error && error.stack) runner.debug(error.stack);
    runner.setFailed(describeError(error));
  }
}
