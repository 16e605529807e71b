/**
 * What the logic writes to. Actions pass `actionLogger` (the runner's workflow commands, see
 * runner.ts); scripts and tests pass their own, so the logic never depends on the runner.
 */
export interface Logger {
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  debug(message: string): void;
  /** Hides a secret (a registry password) in every later log line. */
  mask(secret: string): void;
}

/** A logger for scripts and tests: plain lines on stdout/stderr. */
export const consoleLogger: Logger = {
  info: (m) => console.log(m),
  warning: (m) => console.warn(`warning: ${m}`),
  error: (m) => console.error(`error: ${m}`),
  debug: (m) => {
    if (process.env.RUNNER_DEBUG === '1') console.log(`debug: ${m}`);
  },
  mask: () => undefined,
};

/** A logger that keeps every line, for tests that assert what the user was told. */
export function memoryLogger(): Logger & { lines: string[]; masked: string[] } {
  const lines: string[] = [];
  const masked: string[] = [];
  return {
    lines,
    masked,
    mask: (secret) => masked.push(secret),
    info: (m) => lines.push(m),
    warning: (m) => lines.push(`warning: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
    debug: () => undefined,
  };
}
