/**
 * The live market feed: for every tracked symbol and timeframe, backfill over REST, then keep the
 * candles current from the stream; fall back to REST polling while the stream is down; repair gaps
 * over REST after a reconnect or whenever the stream skips candles; track freshness (health.ts).
 *
 * Events (in order per series):
 * - `backfilled`: the closed history after a (re)backfill — consumers warm up from it and must not
 *   treat it as new signals;
 * - `closed`: one candle closed; `catchUp` is true for all but the newest of a burst (REST repair or
 *   polling), so a consumer can update state without acting on the past;
 * - `live`: the candle in progress changed;
 * - `ticker`, `connection`.
 * Failure modes: a failing REST call leaves the series in its state with `lastError` (visible in
 * health) and is retried on the next poll tick; nothing is ever filled in or made up. No exchange
 * answer rejects `track()` (a refused or dropped subscription is sent again with the next stream
 * session) or escapes as an unhandled rejection: the feed degrades (health) and recovers by itself.
 */

import type { Candle, DecTicker } from "../domain/market.js";
import type { Logger } from "../log/logger.js";
import { silentLogger } from "../log/logger.js";
import { fetchCandleRange } from "./backfill.js";
import {
  type DataHealth,
  DEFAULT_HEALTH_LIMITS,
  type HealthLimits,
  seriesProblems,
  tickerProblems,
} from "./health.js";
import { type ApplyResult, CandleSeries } from "./series.js";
import type { CandleSource, LiveStream } from "./source.js";
import type { Timeframe } from "./timeframe.js";

export type FeedEvent =
  | { type: "backfilled"; symbol: string; timeframe: Timeframe; candles: Candle[]; live: Candle | undefined }
  | { type: "closed"; symbol: string; timeframe: Timeframe; candle: Candle; catchUp: boolean }
  | { type: "live"; symbol: string; timeframe: Timeframe; candle: Candle }
  | { type: "ticker"; ticker: DecTicker }
  | { type: "connection"; connected: boolean; reason: string };

export interface TrackSpec {
  timeframe: Timeframe;
  /** Closed candles needed (the feed fetches this many plus the one in progress). */
  warmup: number;
}

export interface MarketFeedOptions {
  /** Closed candles kept per series (default 1000, at least the largest warmup). */
  capacity?: number;
  /** REST polling cadence while the stream is down, and retry cadence of failed REST work (default 10 s). */
  pollIntervalMs?: number;
  limits?: Partial<HealthLimits>;
  /** REST requests in flight at once (default 4). */
  concurrency?: number;
  now?: () => number;
  logger?: Logger;
}

interface Tracked {
  series: Map<Timeframe, CandleSeries>;
  ticker?: DecTicker;
  tickerAt?: number;
}

export class MarketFeed {
  private readonly symbols = new Map<string, Tracked>();
  private readonly listeners = new Set<(e: FeedEvent) => void>();
  private readonly busy = new Set<CandleSeries>();
  private readonly warmups = new WeakMap<CandleSeries, number>();
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly limits: HealthLimits;
  private readonly now: () => number;
  private readonly log: Logger;
  private readonly capacity: number;
  private readonly pollMs: number;
  private readonly concurrency: number;
  private running = 0;
  private readonly queue: (() => void)[] = [];
  private stream: LiveStream | undefined;
  private timer: NodeJS.Timeout | undefined;
  private connectedFlag = false;
  private sessions = 0;
  private stopped = false;

  constructor(
    private readonly source: CandleSource,
    opts: MarketFeedOptions = {},
  ) {
    this.capacity = opts.capacity ?? 1000;
    this.pollMs = opts.pollIntervalMs ?? 10_000;
    this.concurrency = opts.concurrency ?? 4;
    this.limits = { ...DEFAULT_HEALTH_LIMITS, ...opts.limits };
    this.now = opts.now ?? Date.now;
    this.log = opts.logger ?? silentLogger();
  }

  /** Subscribes to feed events; returns the unsubscribe function. */
  on(listener: (e: FeedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get connected(): boolean {
    return this.connectedFlag;
  }

  /** Opens the stream and starts the poll/retry timer. */
  start(): void {
    if (this.stream) return;
    this.stopped = false;
    this.stream = this.source.openStream({
      candle: (symbol, tf, c) => this.onStreamCandle(symbol, tf, c),
      ticker: (t) => this.onTicker(t),
      connection: (connected, reason) => this.onConnection(connected, reason),
    });
    this.timer = setInterval(() => this.tick(), this.pollMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const s = this.stream;
    this.stream = undefined;
    if (s) await s.close();
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  /** Starts tracking a symbol: subscribes, backfills every timeframe and fetches a first ticker. */
  async track(symbol: string, specs: readonly TrackSpec[]): Promise<void> {
    if (!this.stream) throw new Error("MarketFeed.track() before start(): start the feed first");
    let t = this.symbols.get(symbol);
    if (!t) {
      t = { series: new Map() };
      this.symbols.set(symbol, t);
    }
    const fresh: { s: CandleSeries; warmup: number }[] = [];
    for (const spec of specs) {
      if (t.series.has(spec.timeframe)) continue;
      const capacity = Math.max(this.capacity, spec.warmup);
      const s = new CandleSeries(symbol, spec.timeframe, capacity);
      t.series.set(spec.timeframe, s);
      this.warmups.set(s, spec.warmup);
      fresh.push({ s, warmup: spec.warmup });
    }
    try {
      await this.stream.subscribe({
        candles: fresh.map(({ s }) => ({ symbol, timeframe: s.timeframe })),
        tickers: [symbol],
      });
    } catch (err) {
      if (err instanceof RangeError) throw err; // over the channel cap: a configuration problem
      // the channels are kept and sent again with the next session; until then REST polls
      this.log.warn(
        { symbol, err: err instanceof Error ? err.message : String(err) },
        "market stream subscription failed; polling REST until the stream is back",
      );
    }
    await Promise.all([
      ...fresh.map(({ s, warmup }) => this.backfill(s, warmup)),
      this.pollTickers([symbol]),
    ]);
  }

  async untrack(symbol: string): Promise<void> {
    const t = this.symbols.get(symbol);
    if (!t) return;
    this.symbols.delete(symbol);
    try {
      await this.stream?.unsubscribe({
        candles: [...t.series.keys()].map((timeframe) => ({ symbol, timeframe })),
        tickers: [symbol],
      });
    } catch (err) {
      // the channels are forgotten locally; their updates are ignored (not tracked)
      this.log.warn(
        { symbol, err: err instanceof Error ? err.message : String(err) },
        "market stream unsubscribe failed",
      );
    }
  }

  series(symbol: string, timeframe: Timeframe): CandleSeries | undefined {
    return this.symbols.get(symbol)?.series.get(timeframe);
  }

  ticker(symbol: string): { ticker: DecTicker; receivedAt: number } | undefined {
    const t = this.symbols.get(symbol);
    return t?.ticker && t.tickerAt !== undefined ? { ticker: t.ticker, receivedAt: t.tickerAt } : undefined;
  }

  trackedSymbols(): string[] {
    return [...this.symbols.keys()];
  }

  /** Freshness of everything tracked for `symbol`; `ok: false` blocks trading with the reasons. */
  health(symbol: string, now = this.now()): DataHealth {
    const t = this.symbols.get(symbol);
    const reasons: string[] = [];
    if (!t) reasons.push(`${symbol}: not tracked`);
    else {
      for (const [tf, s] of t.series) reasons.push(...seriesProblems(s, tf, now, this.limits));
      reasons.push(...tickerProblems(symbol, t.tickerAt, now, this.limits));
    }
    return { symbol, ok: reasons.length === 0, reasons, streamConnected: this.connectedFlag, checkedAt: now };
  }

  // ---------------------------------------------------------------------------------------------

  private emit(e: FeedEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        this.log.error({ err }, "market feed listener failed");
      }
    }
  }

  private isTracked(s: CandleSeries): boolean {
    return this.symbols.get(s.symbol)?.series.get(s.timeframe) === s;
  }

  private onStreamCandle(symbol: string, timeframe: Timeframe, c: Candle): void {
    const s = this.symbols.get(symbol)?.series.get(timeframe);
    if (!s) return;
    const r = s.applyStream(c, this.now());
    for (const candle of r.closed) this.emit({ type: "closed", symbol, timeframe, candle, catchUp: false });
    if (s.state === "live" && s.live) this.emit({ type: "live", symbol, timeframe, candle: s.live });
    if (r.repairFrom !== undefined) void this.repair(s, r.repairFrom);
  }

  private onTicker(ticker: DecTicker): void {
    const t = this.symbols.get(ticker.symbol);
    if (!t) return;
    t.ticker = ticker;
    t.tickerAt = this.now();
    this.emit({ type: "ticker", ticker });
  }

  private onConnection(connected: boolean, reason: string): void {
    if (connected === this.connectedFlag) return;
    this.connectedFlag = connected;
    this.log.info(
      { connected, reason },
      connected ? "market stream connected" : "market stream down, polling REST",
    );
    this.emit({ type: "connection", connected, reason });
    if (connected && this.sessions++ > 0) {
      // after a reconnect: updates were missed while the socket was down; repair every series
      for (const t of this.symbols.values()) {
        for (const s of t.series.values()) if (s.state === "live" && s.live) void this.repair(s, s.live.t);
      }
    }
  }

  private tick(): void {
    if (this.stopped) return;
    for (const t of this.symbols.values()) {
      for (const s of t.series.values()) {
        if (this.busy.has(s)) continue;
        if (s.state === "backfilling" && s.lastError) void this.backfill(s, this.warmups.get(s) ?? 0);
        else if (s.state === "repairing" || (!this.connectedFlag && s.state === "live")) {
          void this.repair(s, s.live?.t ?? s.newestStart ?? this.now() - s.periodMs);
        }
      }
    }
    if (!this.connectedFlag && this.symbols.size > 0) void this.pollTickers([...this.symbols.keys()]);
  }

  /** Runs `fn` under the REST concurrency limit, tracked for stop(). */
  private rest<T>(fn: () => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.queue.push(resolve));
      this.running++;
      try {
        return await fn();
      } finally {
        this.running--;
        this.queue.shift()?.();
      }
    };
    const p = run();
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p)).catch(() => {});
    return p;
  }

  private async backfill(s: CandleSeries, warmup: number): Promise<void> {
    const from = this.now() - (warmup + 1) * s.periodMs;
    await this.load(s, "backfill", from, () =>
      this.emit({
        type: "backfilled",
        symbol: s.symbol,
        timeframe: s.timeframe,
        candles: s.closedCandles(),
        live: s.live,
      }),
    );
  }

  private async repair(s: CandleSeries, from: number): Promise<void> {
    await this.load(s, "repair", from, (r) => {
      for (let i = 0; i < r.closed.length; i++) {
        this.emit({
          type: "closed",
          symbol: s.symbol,
          timeframe: s.timeframe,
          candle: r.closed[i]!,
          catchUp: i < r.closed.length - 1,
        });
      }
    });
  }

  /**
   * Fetches candles from `from` to now over REST and applies them to the series (one load per series
   * at a time). `onApplied` emits what the load means (a backfill or repaired closes); a gap found in
   * the batch chains a repair. Failures are logged and retried by the next poll.
   */
  private async load(
    s: CandleSeries,
    what: "backfill" | "repair",
    from: number,
    onApplied: (r: ApplyResult) => void,
  ): Promise<void> {
    if (this.busy.has(s) || this.stopped) return;
    this.busy.add(s);
    const tf = s.timeframe;
    try {
      const candles = await fetchCandleRange(this.source, s.symbol, tf, from, this.now(), (fn) =>
        this.rest(fn),
      );
      if (this.stopped || !this.isTracked(s)) return;
      const r = s.applyBatch(candles, this.now());
      onApplied(r);
      if (s.live) this.emit({ type: "live", symbol: s.symbol, timeframe: tf, candle: s.live });
      if (r.repairFrom !== undefined) {
        this.busy.delete(s);
        await this.repair(s, r.repairFrom);
      }
    } catch (err) {
      s.lastError = err instanceof Error ? err.message : String(err);
      this.log.warn(
        { symbol: s.symbol, timeframe: tf, err: s.lastError },
        `candle ${what} failed; will retry`,
      );
    } finally {
      this.busy.delete(s);
    }
  }

  private async pollTickers(symbols: string[]): Promise<void> {
    try {
      const tickers = await this.rest(() => this.source.fetchTickers(symbols));
      if (this.stopped) return;
      for (const t of tickers) this.onTicker(t);
    } catch (err) {
      this.log.warn(
        { err: err instanceof Error ? err.message : String(err) },
        "ticker poll failed; will retry",
      );
    }
  }
}
