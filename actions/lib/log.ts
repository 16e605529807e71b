/**
 * What the logic writes to. Actions pass an adapter over @actions/core; scripts and the
 * twin's flow pass their own, so the logic never depends on the runner.
 */
export interface Logger {
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  debug(message: string): void;
}

/** A logger for scripts and tests: plain lines on stdout/stderr. */
export const consoleLogger: Logger = {
  info: (m) => console.log(m),
  warning: (m) => console.warn(`warning: ${m}`),
  error: (m) => console.error(`error: ${m}`),
  debug: (m) => {
    if (process.env.RUNNER_DEBUG === '1') console.log(`debug: ${m}`);
  },
};

/** A logger that keeps every line, for tests that assert what the user was told. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(m),
    warning: (m) => lines.push(`warning: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
    debug: () => undefined,
  };
}
