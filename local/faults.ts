/**
 * Fault injection for tests: throttle, fail with a 5xx, or delay a share of the calls to one
 * operation ("Service.Operation", or "*" for all). Shares are applied deterministically, starting
 * with the first call (0.5 is calls 1, 3, 5, ...), so a test sees the same faults on every run.
 */
export interface FaultRule {
  operation: string;
  kind: 'throttle' | 'error' | 'delay';
  share: number;
  delayMs?: number;
}

export class Faults {
  private rules: { rule: FaultRule; credit: number }[] = [];

  set(rules: FaultRule[]): void {
    for (const r of rules) {
      if (!['throttle', 'error', 'delay'].includes(r.kind)) throw new Error(`fault kind must be throttle, error or delay, got ${r.kind}`);
      if (!(r.share > 0 && r.share <= 1)) throw new Error(`fault share must be in (0, 1], got ${r.share}`);
    }
    this.rules = rules.map((rule) => ({ rule, credit: 1 - rule.share }));
  }

  /** The fault to apply to this call, if any. */
  next(service: string, operation: string): FaultRule | undefined {
    for (const entry of this.rules) {
      const { rule } = entry;
      if (rule.operation !== '*' && rule.operation !== `${service}.${operation}`) continue;
      entry.credit += rule.share;
      if (entry.credit >= 1 - 1e-9) {
        entry.credit -= 1;
        return rule;
      }
    }
    return undefined;
  }
}
