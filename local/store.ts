import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The twin's state on disk: one JSON file per collection, written through on every change
 * (write to a temporary file, then rename), so stopping and starting again loses nothing.
 */
export class Store {
  private readonly collections = new Map<string, Collection<unknown>>();

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /**
   * A collection; `deferMs` batches its writes (at most one per interval) for data written on
   * every call, such as metrics. `flush` writes what is pending.
   */
  collection<T>(name: string, options: { deferMs?: number } = {}): Collection<T> {
    let c = this.collections.get(name);
    if (!c) {
      c = new Collection<unknown>(join(this.dir, `${name}.json`), options.deferMs);
      this.collections.set(name, c);
    }
    return c as Collection<T>;
  }

  /** Writes every collection's pending changes: before stopping. */
  flush(): void {
    for (const c of this.collections.values()) c.flush();
  }

  /** A folder for blobs (S3 object bodies) that do not belong in JSON. */
  blobs(name: string): string {
    const dir = join(this.dir, name);
    mkdirSync(dir, { recursive: true });
    return dir;
  }
}

export class Collection<T> {
  private readonly items: Map<string, T>;
  private pending?: NodeJS.Timeout;

  constructor(private readonly file: string, private readonly deferMs?: number) {
    this.items = new Map(existsSync(file) ? (Object.entries(JSON.parse(readFileSync(file, 'utf8'))) as [string, T][]) : []);
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  has(key: string): boolean {
    return this.items.has(key);
  }

  values(): T[] {
    return [...this.items.values()];
  }

  set(key: string, value: T): T {
    this.items.set(key, value);
    this.save();
    return value;
  }

  /** Changes an item in place and saves it. */
  update(key: string, change: (item: T) => void): T | undefined {
    const item = this.items.get(key);
    if (item === undefined) return undefined;
    change(item);
    this.save();
    return item;
  }

  delete(key: string): boolean {
    const deleted = this.items.delete(key);
    if (deleted) this.save();
    return deleted;
  }

  flush(): void {
    if (!this.pending) return;
    clearTimeout(this.pending);
    this.pending = undefined;
    this.write();
  }

  private save(): void {
    if (!this.deferMs) return this.write();
    this.pending ??= setTimeout(() => this.flush(), this.deferMs).unref();
  }

  private write(): void {
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(this.items)));
    renameSync(tmp, this.file);
  }
}
