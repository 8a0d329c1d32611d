/**
 * Instrument cache: `public/get-instruments` loaded once, refreshed after `ttlMs`, and reloaded at
 * most once per `minRefreshMs` when a symbol is missing (a newly listed instrument). Concurrent
 * loads share one request. create-order validates against it so a doomed order never leaves the process.
 */
import type { Instrument } from "../types.js";

export interface InstrumentCacheOptions {
  ttlMs?: number | undefined;
  minRefreshMs?: number | undefined;
  now?: (() => number) | undefined;
}

export class InstrumentCache {
  private bySymbol = new Map<string, Instrument>();
  private list: Instrument[] = [];
  private loadedAt = Number.NEGATIVE_INFINITY;
  private inflight: Promise<Instrument[]> | undefined;
  private readonly ttlMs: number;
  private readonly minRefreshMs: number;
  private readonly now: () => number;

  constructor(
    private readonly load: () => Promise<Instrument[]>,
    opts: InstrumentCacheOptions = {},
  ) {
    this.ttlMs = opts.ttlMs ?? 60 * 60_000;
    this.minRefreshMs = opts.minRefreshMs ?? 30_000;
    this.now = opts.now ?? (() => performance.now());
  }

  async all(refresh = false): Promise<Instrument[]> {
    if (refresh || this.now() - this.loadedAt > this.ttlMs) await this.reload();
    return this.list;
  }

  /**
   * The instrument when the cache is fresh and holds it: what `get` would answer without loading
   * anything, at once. Undefined means "ask `get`" (stale, missing, or not loaded yet).
   */
  peek(symbol: string): Instrument | undefined {
    return this.now() - this.loadedAt > this.ttlMs ? undefined : this.bySymbol.get(symbol);
  }

  async get(symbol: string): Promise<Instrument | undefined> {
    await this.all();
    const hit = this.bySymbol.get(symbol);
    if (hit || this.now() - this.loadedAt < this.minRefreshMs) return hit;
    await this.reload();
    return this.bySymbol.get(symbol);
  }

  /** Replace the cached list (e.g. when the caller already fetched it). */
  set(list: Instrument[]): void {
    this.list = list;
    this.bySymbol = new Map(list.map((i) => [i.symbol, i]));
    this.loadedAt = this.now();
  }

  private reload(): Promise<Instrument[]> {
    if (!this.inflight) {
      this.inflight = this.load()
        .then((list) => {
          this.set(list);
          return list;
        })
        .finally(() => {
          this.inflight = undefined;
        });
    }
    return this.inflight;
  }
}
