/**
 * Fixture data of the fake API (test/browser/fake-api.ts), in the contract's shapes: a demo-like
 * account with five coins, one protected BTC position with its stop-loss and take-profit legs, an
 * executed entry, a stored doctor report and incident. Decimals are strings with trailing zeros on
 * purpose ("12345.67890000"): the dashboard must show them exactly as sent.
 */

import type {
  ApiNotificationSettings,
  ApiOrder,
  ApiPosition,
  ApiSettings,
  ApiWatchlistItem,
} from "../../src/api/contract/types.js";
import { CRITICAL_KINDS, NOTIFICATION_KINDS } from "../../src/trading/services/notifications.js";

export const FIXTURE_T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
export const FIXTURE_TOTAL_USD = "12345.67890000";
export const FIXTURE_SYMBOLS = ["BTC_USD", "ETH_USD", "SOL_USD", "CRO_USD", "DOGE_USD"] as const;
export const FIXTURE_PRICES: Record<string, string> = {
  BTC_USD: "97250.50",
  ETH_USD: "3401.25",
  SOL_USD: "187.115",
  CRO_USD: "0.09871",
  DOGE_USD: "0.321400",
};

export function fixtureWatchItem(symbol: string, at = FIXTURE_T0): ApiWatchlistItem {
  const price = FIXTURE_PRICES[symbol] ?? "1.00";
  const buy = symbol === "BTC_USD";
  return {
    symbol,
    alerts_enabled: true,
    trade_enabled: symbol !== "DOGE_USD",
    amount_usd: "10.00",
    sl_pct: "2.5",
    tp_pct: "4.0",
    preset: buy ? "swing-fast" : "scalp-rsi",
    overrides: {},
    price,
    decision: {
      action: buy ? "BUY" : "WAIT",
      strategy: buy ? "swing-fast" : "scalp-rsi",
      timeframe: "1m",
      candle_time: at - 60_000,
      evaluated_at: at,
      price,
      buy_index: buy ? 3 : 1,
      reasons: buy ? ["all buy conditions met"] : ["rsi above threshold"],
      conditions: [
        { name: "rsi_below", pass: buy, value: buy ? "28.4" : "55.1", threshold: "30" },
        { name: "price_above_ma200", pass: true, value: price, threshold: "90000.00" },
        { name: "volume_ratio_min", pass: buy, value: "1.8", threshold: "1.5" },
      ],
    },
    indicators: {
      rsi: buy ? "28.4012345678901" : "55.10", // every digit of a float computation, as the API sends it
      ema10: price,
      ma50: price,
      ma200: price,
      volume_ratio: "1.8049999999999999",
    },
    data_fresh: symbol !== "CRO_USD",
    stale_reason: symbol === "CRO_USD" ? "no ticker for 45 s" : null,
    data_state: symbol === "CRO_USD" ? "stale" : "fresh",
  };
}

export function fixtureOrder(over: Partial<ApiOrder> & Pick<ApiOrder, "id">): ApiOrder {
  return {
    intent_id: "int-1",
    client_oid: `atp-${over.id}`,
    exchange_order_id: "6530219599901234567",
    symbol: "BTC_USD",
    side: "BUY",
    type: "MARKET",
    role: "ENTRY",
    status: "FILLED",
    quantity: "0.00010",
    notional: null,
    price: null,
    ref_price: "97000.00",
    trigger_price: null,
    filled_quantity: "0.00010",
    avg_price: "97001.10",
    fee: "0.0000001",
    fee_currency: "BTC",
    list_id: null,
    parent_id: null,
    lot_id: "lot-1",
    mode: "DEMO",
    reason: null,
    external: false,
    created_at: FIXTURE_T0 - 600_000,
    updated_at: FIXTURE_T0 - 590_000,
    ...over,
  };
}

export function fixtureOrders(): ApiOrder[] {
  const leg = {
    symbol: "BTC_USD",
    side: "SELL" as const,
    parent_id: "o-entry",
    list_id: null,
    filled_quantity: "0",
  };
  return [
    fixtureOrder({ id: "o-entry" }),
    fixtureOrder({
      ...leg,
      id: "o-sl",
      role: "STOP_LOSS",
      type: "STOP_LIMIT",
      status: "PENDING",
      price: "94575.00",
      ref_price: "95060.00",
      trigger_price: "95060.00",
      avg_price: null,
      exchange_order_id: "6530219599901234568",
    }),
    fixtureOrder({
      ...leg,
      id: "o-tp",
      role: "TAKE_PROFIT",
      type: "TAKE_PROFIT_LIMIT",
      status: "PENDING",
      price: "100880.00",
      ref_price: "100370.00",
      trigger_price: "100370.00",
      avg_price: null,
      exchange_order_id: "6530219599901234569",
    }),
  ];
}

export function fixturePosition(): ApiPosition {
  return {
    id: "pos-1",
    symbol: "BTC_USD",
    mode: "DEMO",
    status: "OPEN",
    protection: "PROTECTED",
    entry_price: "97001.10",
    quantity: "0.00010",
    open_quantity: "0.00010",
    sl_price: "94575.00",
    tp_price: "100880.00",
    mark_price: "97250.50",
    unrealised_pnl: "0.02494000",
    realised_pnl: "0",
    fees: "0.0097",
    take_profit_order_id: "o-tp",
    stop_loss_order_id: "o-sl",
    exit_reason: null,
    opened_at: FIXTURE_T0 - 600_000,
    closed_at: null,
  };
}

export const FIXTURE_SETTINGS: ApiSettings = {
  limits: {
    max_open_positions_per_symbol: 1,
    max_open_positions_total: 5,
    cooldown_s: 300,
    max_usd_per_order: "100.00",
    max_orders_per_symbol_per_day: 10,
    max_notional_per_symbol_per_day: "500.00",
  },
  loss_protection: {
    daily_loss_limit_usd: "50.00",
    daily_loss_limit_pct: null,
    stoploss_guard_count: 3,
    stoploss_guard_hours: 24,
  },
  protection: {
    sl_order_type: "STOP_LIMIT",
    stop_limit_slippage_pct: "0.5",
    deadline_s: 30,
    retry_initial_ms: 500,
    retry_max_ms: 10000,
  },
};

/** What GET /api/settings/notifications answers for a store with nothing set (the real defaults). */
export const FIXTURE_NOTIFICATIONS: ApiNotificationSettings = {
  events: NOTIFICATION_KINDS.map((kind) => {
    const d = kind === "order.placed" || kind === "protection.placed" ? "silent" : "on";
    return { kind, value: d, default_value: d, critical: CRITICAL_KINDS.has(kind) };
  }),
  daily_summary: { enabled: true, time: "20:00", time_zone: "UTC" },
  throttle_minutes: 60,
};
