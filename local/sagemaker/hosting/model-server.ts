// One model server: the inference container of a production variant run as a host process under
// the SageMaker contract (model.tar.gz extracted to /opt/ml/model, `serve`, GET /ping,
// POST /invocations on SAGEMAKER_BIND_TO_PORT).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { RequestContext } from '../../context.js';
import { readObject } from '../../s3/objects.js';
import { containerFolder, lastLines, python, splitS3 } from '../jobs.js';

export interface ContainerSpec {
  image: string;
  modelDataUrl?: string;
  environment?: Record<string, string>;
}

export interface Invocation {
  status: number;
  body: Buffer;
  contentType: string;
  /** Microseconds the container took, as ModelLatency reports it. */
  latencyMicros: number;
}

// SageMaker waits up to 4 minutes for /ping; the host processes need far less.
const READY_TIMEOUT_MS = 120_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export class ModelServer {
  /** Starts the container's `serve` in a sandbox and waits until GET /ping answers 200. */
  static async start(
    ctx: RequestContext,
    sandbox: string,
    spec: ContainerSpec,
    options: { repoRoot: string; containerDirs: string[] },
  ): Promise<ModelServer> {
    const folder = containerFolder(options.repoRoot, spec.image, options.containerDirs);
    rmSync(sandbox, { recursive: true, force: true });
    mkdirSync(join(sandbox, 'model'), { recursive: true });
    if (spec.modelDataUrl) {
      const { bucket, key } = splitS3(spec.modelDataUrl);
      const archive = join(sandbox, 'model.tar.gz');
      writeFileSync(archive, readObject(ctx, bucket, key));
      execFileSync('tar', ['-xzf', archive, '-C', join(sandbox, 'model')]);
    }
    const port = await freePort();
    const child = spawn(python(options.repoRoot), [join(folder, 'serve')], {
      cwd: folder,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ...(spec.environment ?? {}),
        OPT_ML: sandbox,
        PYTHONPATH: folder,
        SAGEMAKER_BIND_TO_PORT: String(port),
        SERVE_HOST: '127.0.0.1',
        SAGEMAKER_MODEL_SERVER_WORKERS: '1',
      },
    });
    const server = new ModelServer(port, child);
    await server.waitReady();
    return server;
  }

  private output = '';
  private exited?: number | null;

  private constructor(readonly port: number, private readonly child: ChildProcess) {
    child.stdout?.on('data', (d) => (this.output = (this.output + d).slice(-8_000)));
    child.stderr?.on('data', (d) => (this.output = (this.output + d).slice(-8_000)));
    child.on('exit', (code) => (this.exited = code));
  }

  private async waitReady(): Promise<void> {
    const started = Date.now();
    while (Date.now() - started < READY_TIMEOUT_MS) {
      if (this.exited !== undefined) throw new Error(`the container exited with code ${this.exited} before it was ready: ${lastLines(this.output)}`);
      try {
        const res = await fetch(`http://127.0.0.1:${this.port}/ping`, { signal: AbortSignal.timeout(2_000) });
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    this.stop();
    throw new Error(`the container did not answer GET /ping within ${READY_TIMEOUT_MS / 1000} s: ${lastLines(this.output)}`);
  }

  get running(): boolean {
    return this.exited === undefined;
  }

  async invoke(body: Buffer, headers: Record<string, string>): Promise<Invocation> {
    const started = process.hrtime.bigint();
    const res = await fetch(`http://127.0.0.1:${this.port}/invocations`, { method: 'POST', body, headers, signal: AbortSignal.timeout(60_000) });
    const out = Buffer.from(await res.arrayBuffer());
    const latencyMicros = Number((process.hrtime.bigint() - started) / 1000n);
    return { status: res.status, body: out, contentType: res.headers.get('content-type') ?? 'application/octet-stream', latencyMicros };
  }

  /** SIGTERM to the process group (the server and its workers), SIGKILL if it lingers. */
  stop(): void {
    if (!this.running || !this.child.pid) return;
    try {
      process.kill(-this.child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const pid = this.child.pid;
    setTimeout(() => {
      if (this.running) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }, 5_000).unref();
  }
}
