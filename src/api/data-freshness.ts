/**
 * Is what the dashboard shows current, still awaited, or stale? (`DashboardState.freshness`, each
 * watchlist row's `data_state`.) Right after a start nothing has arrived yet — no ticker, no candles,
 * the market stream not connected, no balance read — and that is not "stale": the data is expected
 * but not due yet. The grace rule:
 *
 * - **waiting**: a source that this server has never seen current, within `graceMs` (60 s) of the
 *   server's start (of the watchlist row's creation, for a coin added later), and only when nothing
 *   failed: no exchange call has failed (`exchange.last_error` is null) and, for the balances, none
 *   was ever verified. A watchlist row is waiting while it has never been fresh; the exchange while
 *   its only problem is market data (degraded, no failed call) that is itself waiting, or, before the
 *   first `ok`, the market stream not connected yet.
 * - **stale**: anything else that is not current: a source seen current before and not now, a failed
 *   call, an open auth incident, a part that could not be read (`errors`), or the grace period over.
 * - **fresh**: everything current.
 *
 * Invariants:
 * - "waiting" never hides a failure: a failed exchange call, an auth failure, a part that could not
 *   be read is stale from the first second.
 * - Once seen current, a source never goes back to waiting (until the process restarts); the memory
 *   is per watchlist row (symbol and creation time: a coin removed and added again waits again).
 * - Pure apart from that memory; times come from the caller (the API's clock).
 */
import type { ApiWatchlistItem, DashboardFreshness, DataState, ExchangeState } from "./contract/types.js";
import type { ExchangeStatusSource } from "./deps.js";

export const DATA_GRACE_MS = 60_000;

type Balances = ReturnType<ExchangeStatusSource["balances"]>;

/** What the classification reads of one dashboard answer. */
export interface FreshnessInput {
  now: number;
  /** The watchlist rows with their market data, and when each row was created. */
  watchlist: { item: ApiWatchlistItem; createdAt: number }[];
  exchange: ExchangeState;
  /** Undefined when the balances could not be read at all (then an error says why). */
  balances: Balances | undefined;
  /** Errors of the parts other than the balances ("<part>: <why>"). */
  errors: string[];
  /** Errors of the balances part (classified with the balances). */
  balanceErrors: string[];
}

export class DataFreshness {
  private readonly seenFresh = new Set<string>();
  private exchangeSeenOk = false;
  private balancesSeenVerified = false;

  constructor(
    readonly startedAt: number,
    readonly graceMs = DATA_GRACE_MS,
  ) {}

  private withinGrace(now: number, since = this.startedAt): boolean {
    return now < Math.max(this.startedAt, since) + this.graceMs;
  }

  /** One watchlist row: fresh; waiting (never fresh since it was added, within the grace); stale. */
  symbolState(symbol: string, fresh: boolean, createdAt: number, now: number): DataState {
    const key = `${symbol}@${createdAt}`;
    if (fresh) {
      this.seenFresh.add(key);
      return "fresh";
    }
    return !this.seenFresh.has(key) && this.withinGrace(now, createdAt) ? "waiting" : "stale";
  }

  /** Classifies one answer; the watchlist rows get their `data_state` set. */
  classify(input: FreshnessInput): DashboardFreshness {
    const { now, exchange } = input;
    const waiting: string[] = [];
    const stale: string[] = [];
    const line = (w: ApiWatchlistItem) => {
      const why = w.stale_reason ?? "market data stale";
      return why.startsWith(w.symbol) ? why : `${w.symbol}: ${why}`; // the feed's reasons name it already
    };
    let rowsStale = false;
    let rowsWaiting = false;
    for (const { item, createdAt } of input.watchlist) {
      item.data_state = this.symbolState(item.symbol, item.data_fresh, createdAt, now);
      if (item.data_state === "waiting") {
        rowsWaiting = true;
        waiting.push(line(item));
      } else if (item.data_state === "stale") {
        rowsStale = true;
        stale.push(line(item));
      }
    }

    const noFailedCall = exchange.last_error === null;
    if (exchange.sync_status === "ok") this.exchangeSeenOk = true;
    else {
      const text = `exchange ${exchange.sync_status}${exchange.reason ? `: ${exchange.reason}` : ""}`;
      // degraded without a failed call: market data only (the rows say which), or the stream not up yet
      const marketOnly = exchange.sync_status === "degraded" && noFailedCall;
      const awaited = rowsWaiting && !rowsStale;
      const beforeFirstOk = !rowsWaiting && !rowsStale && !this.exchangeSeenOk && this.withinGrace(now);
      if (marketOnly && (awaited || beforeFirstOk)) waiting.push(text);
      else stale.push(text);
    }

    const bal = input.balances;
    if (bal?.verified) this.balancesSeenVerified = true;
    if (!bal?.verified || !exchange.data_verified) {
      const notYet =
        bal !== undefined &&
        !bal.verified &&
        bal.asOf === null &&
        noFailedCall &&
        !this.balancesSeenVerified &&
        this.withinGrace(now);
      const lines = ["balances not verified by the exchange", ...input.balanceErrors];
      (notYet ? waiting : stale).push(...lines);
    } else stale.push(...input.balanceErrors);

    stale.push(...input.errors);
    const status: DataState = stale.length > 0 ? "stale" : waiting.length > 0 ? "waiting" : "fresh";
    return { status, waiting, stale, grace_until: this.startedAt + this.graceMs };
  }
}
