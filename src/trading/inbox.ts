/**
 * The store's signal inbox as trade requests. A signal row carries the request's extras in its
 * trace under `request` (written by `atp order` and, later, webhooks): `amountUsd` (a decimal
 * string) and `actor` (who asked: "operator:cli", …). Anything else in the trace is context only.
 *
 * Invariants:
 * - The idempotency key of an inbox signal is `signal:<signal id>`: processing a claimed signal
 *   twice (a crash between claim and intent) finds the first intent.
 * - A malformed `request` never becomes an order of another size: an amount that is not a plain
 *   positive decimal string is dropped (the watchlist's amount, or AMOUNT_NOT_SET, applies).
 */
import type { Json, SignalRecord, WatchlistItem } from "../store/types.js";
import { Dec } from "../util/decimal.js";
import type { TradeRequest } from "./requests.js";

const DECIMAL = /^\d{1,20}(\.\d{1,30})?$/;

function own(obj: Json, key: string): Json | undefined {
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) return undefined;
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** Builds the trace of an inbox signal that carries a request. */
export function inboxTrace(request: { amountUsd?: string | undefined; actor: string }): Json {
  return {
    request: { actor: request.actor, ...(request.amountUsd ? { amountUsd: request.amountUsd } : {}) },
  };
}

/**
 * Whether an external signal (a TradingView webhook) may enter the pipeline: only for a watchlist
 * symbol with trading on; otherwise the code it is stored BLOCKED with (the guards' own codes, so
 * the history reads the same as a guard's block).
 */
export function externalSignalBlock(
  item: WatchlistItem | undefined,
): "NOT_IN_WATCHLIST" | "TRADING_DISABLED" | undefined {
  if (!item) return "NOT_IN_WATCHLIST";
  return item.tradeEnabled ? undefined : "TRADING_DISABLED";
}

/** The request of a signal row (stored, or about to be: its id chosen). */
export function inboxRequest(
  s: Pick<SignalRecord, "id" | "symbol" | "side" | "source" | "strategy"> & {
    price?: SignalRecord["price"];
    trace?: SignalRecord["trace"] | undefined;
  },
): TradeRequest {
  const req = own(s.trace ?? null, "request");
  const amount = own(req ?? null, "amountUsd");
  const actor = own(req ?? null, "actor");
  return {
    symbol: s.symbol,
    side: s.side,
    source: s.source,
    actor: typeof actor === "string" && actor.length > 0 ? actor : s.source,
    idempotencyKey: `signal:${s.id}`,
    signalId: s.id,
    strategy: s.strategy,
    price: s.price,
    ...(typeof amount === "string" && DECIMAL.test(amount) && !new Dec(amount).isZero()
      ? { amountUsd: new Dec(amount) }
      : {}),
  };
}
