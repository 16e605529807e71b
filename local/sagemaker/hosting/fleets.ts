// The model servers of one twin, in memory: one per endpoint, config and variant. They are
// started when an endpoint is created or updated, again on the first invocation after a restart,
// and stopped with their fleet or the twin.
import { join } from 'node:path';
import { ModelServer, type ContainerSpec } from './model-server.js';
import type { RequestContext } from '../../context.js';

export class Fleets {
  static key(ctx: RequestContext, endpoint: string, configName: string, variant: string): string {
    return `${ctx.account}/${ctx.region}/${endpoint.toLowerCase()}/${configName.toLowerCase()}/${variant}`;
  }

  private readonly servers = new Map<string, Promise<ModelServer>>();
  /** Per endpoint: the routing in force, and what each fleet has served under it. */
  private readonly served = new Map<string, { routing: string; counts: Map<string, number> }>();

  constructor(private readonly options: { repoRoot: string; containerDirs: string[] }) {}

  /** The running server of a fleet, started (once) if it is not running. */
  async ensure(ctx: RequestContext, key: string, spec: ContainerSpec): Promise<ModelServer> {
    const existing = this.servers.get(key);
    if (existing) {
      const server = await existing.catch(() => undefined);
      if (server?.running) return server;
    }
    const sandbox = join(ctx.store.dir, 'endpoints', key.replace(/[^a-zA-Z0-9.-]+/g, '_'), 'opt_ml');
    const starting = ModelServer.start(ctx, sandbox, spec, this.options);
    this.servers.set(key, starting);
    starting.catch(() => this.servers.delete(key));
    return starting;
  }

  /** Stops the fleets whose key starts with the prefix (one fleet, or all of an endpoint's). */
  stop(prefix: string): void {
    for (const [key, server] of this.servers) {
      if (!key.startsWith(prefix)) continue;
      this.servers.delete(key);
      void server.then((s) => s.stop(), () => undefined);
    }
  }

  stopAll(): void {
    this.stop('');
  }

  /**
   * Picks the fleet that is furthest behind its share of the endpoint's traffic (smooth weighted
   * round robin), so a 25% canary serves exactly every fourth request from the moment it starts.
   */
  pick<T extends { key: string; share: number }>(endpoint: string, choices: T[]): T {
    const live = choices.filter((c) => c.share > 0);
    const routing = live.map((c) => `${c.key}=${c.share}`).join(',');
    let state = this.served.get(endpoint);
    if (state?.routing !== routing) this.served.set(endpoint, (state = { routing, counts: new Map() }));
    const total = [...state.counts.values()].reduce((n, c) => n + c, 0) + 1;
    let best = live[0] ?? choices[0];
    let bestDeficit = -Infinity;
    for (const c of live) {
      const deficit = c.share * total - (state.counts.get(c.key) ?? 0);
      if (deficit > bestDeficit + 1e-9) {
        best = c;
        bestDeficit = deficit;
      }
    }
    state.counts.set(best.key, (state.counts.get(best.key) ?? 0) + 1);
    return best;
  }
}
