// One step's process, as the runner runs it: its own process group (so a timeout or a cancel stops
// everything it started), stdout read line by line for workflow commands, stderr logged as it is.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ProcessResult {
  exitCode: number;
  /** The step ran past its time and was stopped. */
  timedOut: boolean;
}

export interface ProcessOptions {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Milliseconds until the process group is stopped; undefined for no limit. */
  timeoutMs?: number;
  onStdout: (line: string) => void;
  onStderr: (line: string) => void;
  /** Aborting stops the process group, as a cancelled run does. */
  signal?: AbortSignal;
}

const KILL_GRACE_MS = 2_000;

export function runProcess(options: ProcessOptions): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(options.command, options.args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let timedOut = false;
    const stopGroup = () => {
      try {
        process.kill(-child.pid!, 'SIGTERM');
        setTimeout(() => {
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            // already gone
          }
        }, KILL_GRACE_MS).unref();
      } catch {
        // already gone
      }
    };
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      stopGroup();
    }, options.timeoutMs);
    const onAbort = () => stopGroup();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const out = createInterface({ input: child.stdout });
    const err = createInterface({ input: child.stderr });
    out.on('line', options.onStdout);
    err.on('line', options.onStderr);
    const closed = Promise.all([new Promise((r) => out.once('close', r)), new Promise((r) => err.once('close', r))]);
    child.once('error', (error) => {
      if (timer) clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      // The step is over when its process is; what it left running in its group goes with it.
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // nothing left
      }
      void closed.then(() => resolve({ exitCode: code ?? (signal ? 128 + 15 : 1), timedOut }));
    });
  });
}
