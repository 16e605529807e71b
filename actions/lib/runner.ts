// The GitHub Actions runner protocol: workflow commands on stdout and the GITHUB_OUTPUT /
// GITHUB_STEP_SUMMARY files. We speak it directly instead of bundling @actions/core, whose OIDC
// client pulls in undici and adds ~490 KB to every bundle (a third of the 1.5 MB budget).
// test/lib/runner.test.ts checks that what we write is what @actions/core writes.
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { EOL } from 'node:os';
import { defuseCommands } from '../../core/escape.js';

function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function command(name: string, message: string): void {
  process.stdout.write(`::${name}::${escapeData(message)}${EOL}`);
}

export const runner = {
  // A log line is never a workflow command, whatever user value it carries (see escape.ts).
  info: (message: string) => process.stdout.write(defuseCommands(message) + EOL),
  debug: (message: string) => command('debug', message),
  warning: (message: string) => command('warning', message),
  error: (message: string) => command('error', message),
  /** Hides a value (a password, a token) in every later log line. */
  mask: (secret: string) => command('add-mask', secret),

  setOutput(name: string, value: string): void {
    const file = process.env.GITHUB_OUTPUT;
    if (!file) {
      // Outside a runner (a script, a local run) outputs are printed so they are not lost.
      process.stdout.write(`output ${name}=${value}${EOL}`);
      return;
    }
    const delimiter = `ghadelimiter_${randomUUID()}`;
    appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8');
  },

  /** Appends markdown to the job summary; a no-op outside a runner. */
  appendSummary(markdown: string): void {
    const file = process.env.GITHUB_STEP_SUMMARY;
    if (file) appendFileSync(file, markdown, 'utf8');
  },

  setFailed(message: string): void {
    process.exitCode = 1;
    command('error', message);
  },
};
