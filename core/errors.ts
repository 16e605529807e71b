/**
 * An error caused by what the user gave us (an input, a file, the state of a stack).
 * Its message is the whole story: it is printed as is, with no stack trace.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** The action's deadline passed while it was still waiting for something. */
export class DeadlineExceededError extends Error {
  constructor(readonly what: string, readonly limitMs: number) {
    super(`Timed out after ${Math.round(limitMs / 1000)}s waiting for ${what}`);
    this.name = 'DeadlineExceededError';
  }
}

/** The AWS error code of an SDK v3 error (`name` for modeled errors, `Code` for query protocols). */
export function awsErrorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { name?: string; Code?: string; code?: string };
  return e.Code ?? e.code ?? e.name;
}

/** One line that says what went wrong, for logs and `setFailed`. */
export function describeError(err: unknown): string {
  if (err instanceof UserError || err instanceof DeadlineExceededError) return err.message;
  if (err instanceof Error) {
    const meta = (err as { $metadata?: { httpStatusCode?: number } }).$metadata;
    return meta ? `${awsErrorCode(err)}: ${err.message}` : err.message;
  }
  return String(err);
}
