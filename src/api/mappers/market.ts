/**
 * Watchlist rows, signals and events in the API's shapes (src/api/contract/types.ts).
 *
 * Invariants:
 * - Decimals are exact `Dec.toFixed()` text; absent values are `null`, never omitted.
 * - A watchlist row's market part (price, decision, indicators, freshness) comes from the market
 *   source as given; when the source is not available the row still shows its settings, with
 *   `data_fresh: false` and the reason.
 * - An event's payload is passed through as stored (money inside it is already decimal text).
 */
import type { EventRecord, SignalRecord, WatchlistItem } from "../../store/types.js";
import type { ApiEvent, ApiSignal, ApiWatchlistItem } from "../contract/types.js";
import type { SymbolView } from "../deps.js";
import { apiDecText } from "./orders.js";

export function apiWatchlistItemOf(item: WatchlistItem, view: SymbolView | string): ApiWatchlistItem {
  const v: SymbolView =
    typeof view === "string"
      ? { price: null, decision: null, indicators: null, fresh: false, staleReason: view }
      : view;
  return {
    symbol: item.symbol,
    alerts_enabled: item.alertsEnabled,
    trade_enabled: item.tradeEnabled,
    amount_usd: apiDecText(item.amountUsd),
    sl_pct: apiDecText(item.slPct),
    tp_pct: apiDecText(item.tpPct),
    preset: item.preset ?? null,
    overrides: item.overrides,
    price: v.price,
    decision: v.decision,
    indicators: v.indicators,
    data_fresh: v.fresh,
    stale_reason: v.staleReason,
    // without the API's memory of what it has seen (data-freshness.ts): fresh or stale
    data_state: v.fresh ? "fresh" : "stale",
  };
}

export function apiSignalOf(s: SignalRecord): ApiSignal {
  return {
    id: s.id,
    symbol: s.symbol,
    side: s.side,
    source: s.source,
    strategy: s.strategy,
    price: apiDecText(s.price),
    candle_time: s.candleTime ?? null,
    received_at: s.receivedAt,
    status: s.status,
    reason_code: s.reasonCode ?? null,
    intent_id: s.intentId ?? null,
  };
}

export function apiEventOf(e: EventRecord): ApiEvent {
  return { seq: e.seq, at: e.at, kind: e.kind, symbol: e.symbol ?? null, payload: e.payload };
}
