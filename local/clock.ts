/**
 * Time as the twin's simulations see it. `scale` speeds up waits, bakes and schedules: at 60, a
 * 10-minute bake takes 10 seconds. Timestamps reported to clients stay real.
 */
export class Clock {
  constructor(readonly scale = 1) {
    if (!(scale > 0)) throw new Error(`time scale must be a positive number, got ${scale}`);
  }

  /** Real milliseconds for a simulated duration. */
  real(simulatedMs: number): number {
    return simulatedMs / this.scale;
  }

  /** Simulated milliseconds elapsed since a real timestamp. */
  elapsedSince(realStartMs: number): number {
    return (Date.now() - realStartMs) * this.scale;
  }

  sleep(simulatedMs: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, this.real(simulatedMs)).unref());
  }
}

/** A stored time (epoch milliseconds) as the Date an output carries; the protocol layer writes it. */
export function dateOf(ms: number | undefined): Date | undefined {
  return ms === undefined ? undefined : new Date(ms);
}
