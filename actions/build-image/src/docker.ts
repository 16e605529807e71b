import { spawn } from 'node:child_process';
import { UserError } from '../../../core/errors.js';
import type { Logger } from '../../lib/log.js';
import type { Deadline } from '../../lib/wait.js';

/**
 * Runs the docker CLI with an argument list (no shell), streaming its output to the log. Secrets
 * go in through stdin, never on the command line. Killed at the deadline.
 */
export function docker(
  args: string[],
  // The environment is explicit so the caller's PATH and runner variables are the ones docker sees.
  options: { logger: Logger; deadline: Deadline; env: NodeJS.ProcessEnv; stdin?: string },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', args, { env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const onLine = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        options.logger.info(line);
        tail.push(line);
        if (tail.length > 20) tail.shift();
      }
    };
    child.stdout.on('data', onLine);
    child.stderr.on('data', onLine);
    const timer = setTimeout(() => child.kill('SIGKILL'), Math.max(0, options.deadline.remainingMs()));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new UserError(`Could not run docker: ${error.message} (is Docker installed on the runner?)`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else if (signal) reject(new UserError(`docker ${args[0]} was stopped at the deadline`));
      else reject(new UserError(`docker ${args.slice(0, 2).join(' ')} exited with ${code}:\n${tail.join('\n')}`));
    });
    child.stdin.end(options.stdin ?? '');
  });
}
