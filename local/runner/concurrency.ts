// `concurrency` as GitHub applies it: at most one running holder per group; a newcomer waits while
// one runs, and replaces (cancels) any holder already waiting. cancel-in-progress also cancels the
// running one. Shared by every run of one runner, so runs of different workflows meet here too.

export type Acquired = { acquired: true; release: () => void } | { acquired: false; reason: string };

interface Waiter {
  label: string;
  take: () => void;
  replace: (reason: string) => void;
}

interface Group {
  running?: { label: string; cancel: (reason: string) => void };
  pending?: Waiter;
}

const replacedBy = (group: string, label: string) => `Canceling since a higher priority waiting request for '${group}' exists (${label})`;

export class ConcurrencyGroups {
  private readonly groups = new Map<string, Group>();

  /**
   * Waits for the group. `label` names the holder in the reason a replaced one gets; `cancel` is
   * called if a later holder with cancel-in-progress takes the group from it while it runs.
   */
  acquire(group: string, label: string, cancelInProgress: boolean, cancel: (reason: string) => void): Promise<Acquired> {
    const g = this.groups.get(group) ?? {};
    this.groups.set(group, g);
    g.pending?.replace(replacedBy(group, label));
    g.pending = undefined;
    if (g.running && cancelInProgress) g.running.cancel(replacedBy(group, label));
    if (!g.running) return Promise.resolve(this.take(group, g, label, cancel));
    return new Promise((resolve) => {
      g.pending = {
        label,
        take: () => resolve(this.take(group, g, label, cancel)),
        replace: (reason) => resolve({ acquired: false, reason }),
      };
    });
  }

  private take(group: string, g: Group, label: string, cancel: (reason: string) => void): Acquired {
    g.running = { label, cancel };
    let released = false;
    return {
      acquired: true,
      release: () => {
        if (released) return;
        released = true;
        g.running = undefined;
        const next = g.pending;
        g.pending = undefined;
        if (next) next.take();
        else this.groups.delete(group);
      },
    };
  }

  /** Who holds and who waits, per group: for the report. */
  snapshot(): Record<string, { running?: string; pending?: string }> {
    return Object.fromEntries([...this.groups].map(([k, g]) => [k, { running: g.running?.label, pending: g.pending?.label }]));
  }
}
