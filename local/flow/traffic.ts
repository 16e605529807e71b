// The prod endpoint's users: a steady stream of scoring requests while the story goes on, so that
// a canary bakes under real traffic and its alarms have something to measure.
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { AccountClients } from './bootstrap.js';

export interface TrafficCounts {
  ok: number;
  failed: number;
  errors: Record<string, number>;
}

export class Traffic {
  readonly counts: TrafficCounts = { ok: 0, failed: 0, errors: {} };
  private stopped = false;
  private loop?: Promise<void>;

  constructor(
    private readonly account: AccountClients,
    private readonly endpoint: string,
    private readonly rows: string[],
    private readonly intervalMs = 20,
  ) {}

  start(): this {
    const runtime = new SageMakerRuntimeClient({ ...this.account, maxAttempts: 1 });
    this.loop = (async () => {
      let i = 0;
      while (!this.stopped) {
        const body = this.rows[i++ % this.rows.length];
        try {
          await runtime.send(new InvokeEndpointCommand({ EndpointName: this.endpoint, ContentType: 'text/csv', Accept: 'text/csv', Body: body }));
          this.counts.ok++;
        } catch (error) {
          this.counts.failed++;
          const name = (error as Error).name;
          this.counts.errors[name] = (this.counts.errors[name] ?? 0) + 1;
        }
        await new Promise((r) => setTimeout(r, this.intervalMs));
      }
    })();
    return this;
  }

  async stop(): Promise<TrafficCounts> {
    this.stopped = true;
    await this.loop;
    return this.counts;
  }
}
