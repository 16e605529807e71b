import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where a caller acts: the account its credentials are in and the region it signed for. */
export interface Scope {
  account: string;
  region: string;
}

/**
 * The twin's state on disk: one JSON file per collection, written through on every change
 * (write to a temporary file, then rename), so stopping and starting again loses nothing.
 * Services never see a whole collection: they ask for the part of it their caller can see,
 * `regional` (most AWS resources), `accountWide` (IAM) or `global` (S3 bucket names, STS
 * credentials), so no service can forget to scope a lookup or a listing.
 */
export class Store {
  private readonly collections = new Map<string, Collection<unknown>>();
  /** Names the files this twin process writes (data capture), unlike those of earlier runs. */
  readonly runId = randomUUID().slice(0, 8);

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** The items of one account in one region. */
  regional<T>(name: string, scope: Scope, options: CollectionOptions = {}): ScopedCollection<T> {
    return new ScopedCollection(this.all<T>(name, options), `${scope.account}/${scope.region}/`);
  }

  /** The items of one account, whatever the region (IAM). */
  accountWide<T>(name: string, scope: Pick<Scope, 'account'>, options: CollectionOptions = {}): ScopedCollection<T> {
    return new ScopedCollection(this.all<T>(name, options), `${scope.account}/`);
  }

  /** Items whose names are unique across AWS (S3 buckets) or that say for themselves whose they are (STS credentials). */
  global<T>(name: string, options: CollectionOptions = {}): ScopedCollection<T> {
    return new ScopedCollection(this.all<T>(name, options), '');
  }

  /** Every scope's items at once: only for the twin's own housekeeping (recovery after a restart). */
  all<T>(name: string, options: CollectionOptions = {}): Collection<T> {
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

export interface CollectionOptions {
  /** Batches writes (at most one per interval) for data written on every call, such as metrics. */
  deferMs?: number;
}

/** One scope's view of a collection: keys are relative to the scope, listings show only its items. */
export class ScopedCollection<T> {
  constructor(private readonly collection: Collection<T>, private readonly prefix: string) {}

  get(key: string): T | undefined {
    return this.collection.get(this.prefix + key);
  }

  has(key: string): boolean {
    return this.collection.has(this.prefix + key);
  }

  values(): T[] {
    return this.collection.entries().filter(([k]) => k.startsWith(this.prefix)).map(([, v]) => v);
  }

  set(key: string, value: T): T {
    return this.collection.set(this.prefix + key, value);
  }

  update(key: string, change: (item: T) => void): T | undefined {
    return this.collection.update(this.prefix + key, change);
  }

  delete(key: string): boolean {
    return this.collection.delete(this.prefix + key);
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

  entries(): [string, T][] {
    return [...this.items.entries()];
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
