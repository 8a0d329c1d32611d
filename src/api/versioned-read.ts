/**
 * A read of store tables kept in memory (the dashboard's sections, the webhook route's secrets and
 * watchlist): answered from memory while it is current, read again when it may not be.
 *
 * Current means both:
 * - nothing this process wrote to `tables` has committed since the read started
 *   (`store.writeVersion(tables)` is the one the read started at: the version is taken BEFORE the
 *   read, so a write committed while it ran makes the next caller read again);
 * - it is younger than the caller's `maxAgeMs` (the API's clock): writes by other processes (the CLI
 *   on the same SQLite file, a second atp on the same PostgreSQL) are not counted and show within it.
 *
 * Invariants:
 * - Never older than a committed write of this process to its tables.
 * - Concurrent callers of the same version share one read; a failed read is not kept (the next
 *   caller reads again) and fails every caller that shared it.
 * - `current()` answers synchronously, without reading: the value when it is current, else undefined.
 */
import type { Store, StoreTable } from "../store/types.js";
import type { Clock } from "../util/clock.js";

interface Kept<T> {
  version: number;
  at: number;
  value: T;
}

export class VersionedRead<T> {
  private kept: Kept<T> | undefined;
  private reading: { version: number; promise: Promise<Kept<T>> } | undefined;
  /** Reads done so far (tests). */
  reads = 0;

  constructor(
    private readonly store: Pick<Store, "writeVersion">,
    private readonly clock: Clock,
    private readonly tables: readonly StoreTable[],
    private readonly read: () => Promise<T>,
  ) {}

  /** The kept value when it is current (at most `maxAgeMs` old), without reading; else undefined. */
  current(maxAgeMs: number): { value: T } | undefined {
    const k = this.kept;
    if (!k || k.version !== this.store.writeVersion(this.tables)) return undefined;
    return this.clock.now() - k.at < maxAgeMs ? { value: k.value } : undefined;
  }

  /** The value, read again unless the kept one is current (at most `maxAgeMs` old). */
  async get(maxAgeMs: number): Promise<T> {
    const now = this.current(maxAgeMs);
    if (now) return now.value;
    const version = this.store.writeVersion(this.tables);
    const r = this.reading;
    if (r && r.version === version) return (await r.promise).value;
    const promise = this.readAt(version);
    this.reading = { version, promise };
    try {
      const k = await promise;
      if (!this.kept || k.at >= this.kept.at) this.kept = k;
      return k.value;
    } finally {
      if (this.reading?.promise === promise) this.reading = undefined;
    }
  }

  /** Forgets the kept value (the next caller reads). */
  forget(): void {
    this.kept = undefined;
  }

  private async readAt(version: number): Promise<Kept<T>> {
    this.reads += 1;
    const at = this.clock.now();
    return { version, at, value: await this.read() };
  }
}
