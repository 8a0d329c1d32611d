/**
 * A venue's read cache: the ticker of each symbol and the account balance, fed by the streams (the
 * market stream's tickers, the user stream's / dry-run broker's `balance` events), so the entry path
 * reads them from memory instead of two exchange round trips before the order is written.
 *
 * Invariants:
 * - Fail closed on age: a value older than its bound (`tickerMaxAgeMs`, `balanceMaxAgeMs`, measured
 *   on the injected clock from when it was received) is never served: the read goes to the exchange
 *   (REST) as without the cache, and a failing REST read rejects (the guard that asked blocks).
 * - A fill makes the cached balance unusable (a `trade` event, or an order update with a filled
 *   quantity): from then on only a balance received after that change is served; a REST refresh
 *   starts at once in the background. A REST answer requested before a later change is returned to
 *   its caller but not cached.
 * - Values older than half their bound are refreshed by REST in the background (`maintain()`, and on
 *   every read), so a quiet stream does not put REST back on the path.
 * - Symbols are Map keys; nothing here mutates what it caches.
 */
import type { DecTicker } from "../domain/market.js";
import type { AccountBalance, ExchangeClient, OrderUpdateSource } from "../exchange/types.js";
import type { Clock } from "../util/clock.js";
import type { Venue } from "./context.js";

/** What the entry path reads through the cache (the narrow interface guards and entry use). */
export interface VenueReads {
  ticker(symbol: string): Promise<DecTicker | undefined>;
  balance(): Promise<AccountBalance>;
}

export interface VenueCacheOptions {
  /** A ticker older than this is not served (default 5 s). */
  tickerMaxAgeMs?: number;
  /** A balance older than this is not served (default 30 s). */
  balanceMaxAgeMs?: number;
}

export const DEFAULT_TICKER_MAX_AGE_MS = 5_000;
export const DEFAULT_BALANCE_MAX_AGE_MS = 30_000;

interface Held<T> {
  value: T;
  at: number;
}

export class VenueReadCache implements VenueReads {
  private readonly tickers = new Map<string, Held<DecTicker>>();
  private readonly tickerReads = new Map<string, Promise<DecTicker | undefined>>();
  private bal: (Held<AccountBalance> & { seq: number }) | undefined;
  private balRead: { seq: number; p: Promise<AccountBalance> } | undefined;
  private changeSeq = 0;
  private readonly tickerMaxAgeMs: number;
  private readonly balanceMaxAgeMs: number;

  constructor(
    private readonly client: Pick<ExchangeClient, "getTickers" | "getBalance">,
    private readonly clock: Clock,
    opts: VenueCacheOptions = {},
  ) {
    this.tickerMaxAgeMs = opts.tickerMaxAgeMs ?? DEFAULT_TICKER_MAX_AGE_MS;
    this.balanceMaxAgeMs = opts.balanceMaxAgeMs ?? DEFAULT_BALANCE_MAX_AGE_MS;
  }

  putTicker(t: DecTicker): void {
    this.tickers.set(t.symbol, { value: t, at: this.clock.now() });
  }

  putBalance(b: AccountBalance): void {
    this.bal = { value: b, at: this.clock.now(), seq: this.changeSeq };
  }

  /** The balance changed (a fill): the cached one is not served until a newer one arrives. */
  balanceChanged(): void {
    this.changeSeq++;
    void this.fetchBalance().catch(() => undefined);
  }

  async ticker(symbol: string): Promise<DecTicker | undefined> {
    const held = this.tickers.get(symbol);
    const age = held ? this.clock.now() - held.at : Number.POSITIVE_INFINITY;
    if (held && age <= this.tickerMaxAgeMs) {
      if (age > this.tickerMaxAgeMs / 2) void this.fetchTicker(symbol).catch(() => undefined);
      return held.value;
    }
    return this.fetchTicker(symbol);
  }

  async balance(): Promise<AccountBalance> {
    const b = this.bal;
    const age = b ? this.clock.now() - b.at : Number.POSITIVE_INFINITY;
    if (b && b.seq === this.changeSeq && age <= this.balanceMaxAgeMs) {
      if (age > this.balanceMaxAgeMs / 2) void this.fetchBalance().catch(() => undefined);
      return b.value;
    }
    return this.fetchBalance();
  }

  /** Background REST refresh of whatever is older than half its bound (call it periodically). */
  maintain(): void {
    const now = this.clock.now();
    for (const [symbol, held] of this.tickers)
      if (now - held.at > this.tickerMaxAgeMs / 2) void this.fetchTicker(symbol).catch(() => undefined);
    if (this.bal && now - this.bal.at > this.balanceMaxAgeMs / 2)
      void this.fetchBalance().catch(() => undefined);
  }

  /** Feeds the cache from a venue's account updates; returns the unsubscribe. */
  attach(updates: OrderUpdateSource): () => void {
    const onBalance = (u: { balance: AccountBalance }) => this.putBalance(u.balance);
    const onTrade = () => this.balanceChanged();
    const onOrder = (o: { filledQuantity: { isZero(): boolean } }) => {
      if (!o.filledQuantity.isZero()) this.balanceChanged();
    };
    updates.on("balance", onBalance);
    updates.on("trade", onTrade);
    updates.on("order", onOrder);
    return () => {
      updates.off("balance", onBalance);
      updates.off("trade", onTrade);
      updates.off("order", onOrder);
    };
  }

  private fetchTicker(symbol: string): Promise<DecTicker | undefined> {
    const inflight = this.tickerReads.get(symbol);
    if (inflight) return inflight;
    const p = this.client
      .getTickers(symbol)
      .then((ts) => {
        const t = ts.find((x) => x.symbol === symbol) ?? ts[0];
        if (t) this.putTicker(t);
        return t;
      })
      .finally(() => this.tickerReads.delete(symbol));
    this.tickerReads.set(symbol, p);
    return p;
  }

  private fetchBalance(): Promise<AccountBalance> {
    const seq = this.changeSeq;
    if (this.balRead && this.balRead.seq === seq) return this.balRead.p;
    const p = this.client.getBalance().then((b) => {
      if (seq === this.changeSeq) this.bal = { value: b, at: this.clock.now(), seq };
      return b;
    });
    const read = { seq, p };
    this.balRead = read;
    const done = () => {
      if (this.balRead === read) this.balRead = undefined;
    };
    void p.then(done, done);
    return p;
  }
}

const registry = new WeakMap<Venue, VenueReads>();

/** Makes `reads` the venue's read cache (the composition root does it; without one, reads go to the client). */
export function useVenueReads(venue: Venue, reads: VenueReads | undefined): void {
  if (reads) registry.set(venue, reads);
  else registry.delete(venue);
}

/** The venue's reads: its cache when one is registered, else its client directly. */
export function venueReads(venue: Venue): VenueReads {
  return (
    registry.get(venue) ?? {
      ticker: async (symbol) => (await venue.client.getTickers(symbol))[0],
      balance: () => venue.client.getBalance(),
    }
  );
}
