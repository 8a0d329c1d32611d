/**
 * What the guards read, read once per `runGuards` call: the watchlist row, the settings (the kill
 * switch, the limits, the loss protections: one query), the venue's balance and the open lots of
 * the request's mode. Each read is memoised
 * (a rejected read stays rejected), so two guards that need the balance cause one exchange call.
 *
 * Invariants:
 * - One settings source: everything comes from the store (settings, watchlist, lots, orders) or
 *   from the venue's own client, never from a copy. The balance goes through the venue's read cache
 *   (trading/venue-cache.ts: stream-fed, never served beyond its age bound, REST otherwise).
 * - A read that fails rejects; the guard that asked blocks with its own code (fail closed).
 * - Names from outside (currencies) are looked up in a Map built from the balance.
 */
import type { AccountBalance, CurrencyBalance } from "../../exchange/types.js";
import type { Limits, LossProtection, Lot, SettingsSnapshot, WatchlistItem } from "../../store/types.js";
import type { TradingContext, Venue } from "../context.js";
import { venueReads } from "../venue-cache.js";
import type { GuardRequest } from "./types.js";

export const DAY_MS = 86_400_000;

/** 00:00 UTC of the day `ms` falls in. */
export function utcDayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** An instant as ISO-8601 UTC, for details a trader reads. */
export function isoUtc(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

/** The stop-loss guard's window (`stoplossGuardHours` back from `now`): its first instant. */
export function stoplossWindowStart(now: number, loss: LossProtection): number {
  return now - Math.round(loss.stoplossGuardHours * 3_600_000) + 1;
}

/** The actor is a person at a console or an API (not the engine, not a webhook). */
export function isOperatorActor(actor: string): boolean {
  return actor === "operator" || actor.startsWith("operator:");
}

/** Base and quote currency of a spot symbol ("BTC_USD" → BTC, USD); undefined when not BASE_QUOTE. */
export function spotCurrencies(symbol: string): { base: string; quote: string } | undefined {
  const parts = symbol.split("_");
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { base: parts[0], quote: parts[1] };
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => {
    p ??= load();
    return p;
  };
}

/** Reads the caller made already for this request (the same store, just before): not read again. */
export interface KnownReads {
  /** The request symbol's watchlist row (undefined: not in the watchlist). */
  watchlistItem?: WatchlistItem | undefined;
  /** The decision's settings read (the mode was resolved from it). */
  settings?: SettingsSnapshot | undefined;
}

/** The memoised reads of one guard run. */
export class GuardReads {
  readonly watchlistItem: () => Promise<WatchlistItem | undefined>;
  /** Every setting from one read: the kill switch, the limits and the loss protections of one instant. */
  readonly settings: () => Promise<SettingsSnapshot>;
  readonly limits: () => Promise<Limits>;
  readonly lossProtection: () => Promise<LossProtection>;
  readonly balance: () => Promise<AccountBalance>;
  /** Lots not CLOSED in the request's mode (every symbol). */
  readonly openLots: () => Promise<Lot[]>;
  /** The open lots and the lots closed since the loss guards' earliest window start, in one read. */
  private readonly lots: () => Promise<{ open: Lot[]; closed: Lot[] }>;

  constructor(
    readonly ctx: TradingContext,
    readonly venue: Venue,
    readonly req: GuardRequest,
    known: KnownReads = {},
  ) {
    const store = ctx.store;
    const item = known.watchlistItem;
    this.watchlistItem = Object.hasOwn(known, "watchlistItem")
      ? () => Promise.resolve(item)
      : once(() => store.watchlist.get(req.symbol));
    const settings = known.settings;
    this.settings = settings ? () => Promise.resolve(settings) : once(() => store.settings.snapshot());
    this.limits = once(async () => (await this.settings()).get("limits").value);
    this.lossProtection = once(async () => (await this.settings()).get("loss_protection").value);
    this.balance = once(() => venueReads(venue).balance());
    this.lots = once(async () => {
      const loss = await this.lossProtection().catch(() => undefined); // its guards fail closed on it
      const since = Math.min(utcDayStart(req.now), loss ? stoplossWindowStart(req.now, loss) : req.now);
      return store.lots.openAndClosedSince(since, { mode: req.mode });
    });
    // an entry's loss guards need the recently closed lots too: one read for both; others read the open ones
    this.openLots =
      req.kind === "ENTRY"
        ? once(async () => (await this.lots()).open)
        : once(() => store.lots.listOpen({ mode: req.mode }));
  }

  /** Lots of the request's mode closed at or after `since` (no earlier than the day's or the stop-loss window's start), oldest first. */
  async closedSince(since: number, filter: { symbol?: string; exitReason?: Lot["exitReason"] } = {}) {
    return (await this.lots()).closed.filter(
      (l) =>
        l.closedAt !== undefined &&
        l.closedAt >= since &&
        (filter.symbol === undefined || l.symbol === filter.symbol) &&
        (filter.exitReason === undefined || l.exitReason === filter.exitReason),
    );
  }

  /** The balance's currencies by name. */
  async currencies(): Promise<Map<string, CurrencyBalance>> {
    const b = await this.balance();
    return new Map(b.currencies.map((c) => [c.currency, c]));
  }
}
