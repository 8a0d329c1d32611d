/**
 * The API's mappers: every decimal is its exact text, 19-digit exchange ids stay strings, absent
 * values are null, unrealised P&L is exact ((mark − entry) × open − fees share).
 */
import { describe, expect, it } from "vitest";
import { apiEventOf, apiSignalOf, apiWatchlistItemOf } from "../../../src/api/mappers/market.js";
import { apiOrderOf, apiPositionOf, unrealisedPnl } from "../../../src/api/mappers/orders.js";
import { closestInstruments, resolveSymbol } from "../../../src/api/mappers/symbols.js";
import type { Lot, OrderRecord } from "../../../src/store/types.js";
import { dec } from "../../../src/util/decimal.js";

const ID19 = "6530219599901187233";

function order(over: Partial<OrderRecord> = {}): OrderRecord {
  return {
    id: "o1",
    intentId: "i1",
    attempt: 1,
    clientOid: "atp-i1-1",
    exchangeOrderId: ID19,
    listId: undefined,
    symbol: "BTC_USD",
    side: "BUY",
    type: "MARKET",
    role: "ENTRY",
    parentId: undefined,
    lotId: "l1",
    status: "FILLED",
    quantity: dec("0.00012345678901234567"),
    notional: undefined,
    price: undefined,
    refPrice: dec("65000.1"),
    filledQuantity: dec("0.00012345678901234567"),
    avgPrice: dec("64999.99999999999999"),
    fee: dec("0.0000000001"),
    feeCurrency: "BTC",
    reason: undefined,
    mode: "DRY_RUN",
    raw: {},
    external: false,
    createdAt: 1000,
    updatedAt: 2000,
    exchangeTime: 1500,
    ...over,
  };
}

function lot(over: Partial<Lot> = {}): Lot {
  return {
    id: "l1",
    symbol: "BTC_USD",
    mode: "LIVE",
    status: "OPEN",
    protection: "PROTECTED",
    entryOrderId: "o1",
    entryPrice: dec("100.10"),
    quantity: dec("3"),
    openQuantity: dec("2"),
    slPrice: dec("95"),
    tpPrice: dec("110"),
    ocoListId: "list-1",
    protectDeadline: undefined,
    exitReason: undefined,
    realisedPnl: dec("1.5"),
    fees: dec("0.3"),
    openedAt: 10,
    closedAt: undefined,
    ...over,
  };
}

describe("apiOrderOf", () => {
  it("keeps exact decimals and the 19-digit id as strings, absent values null", () => {
    const o = apiOrderOf(order());
    expect(o.exchange_order_id).toBe(ID19);
    expect(o.quantity).toBe("0.00012345678901234567");
    expect(o.avg_price).toBe("64999.99999999999999");
    expect(o.fee).toBe("0.0000000001"); // never 1e-10
    expect(o.notional).toBeNull();
    expect(o.list_id).toBeNull();
    expect(o.parent_id).toBeNull();
    const text = JSON.stringify(o);
    expect(text).toContain(`"exchange_order_id":"${ID19}"`);
    expect(text).not.toMatch(/e-\d/);
    expect(Object.keys(o)).toHaveLength(26);
  });

  it("gives a trigger order's ref_price as its trigger_price, and none to any other type", () => {
    const leg = (type: OrderRecord["type"]) =>
      apiOrderOf(order({ type, role: "STOP_LOSS", price: dec("94575.5"), refPrice: dec("95060.25") }));
    for (const type of ["STOP_LOSS", "STOP_LIMIT", "TAKE_PROFIT", "TAKE_PROFIT_LIMIT"] as const)
      expect(leg(type).trigger_price, type).toBe("95060.25");
    // a MARKET entry's ref_price is the price it was sized at, not a trigger
    expect(apiOrderOf(order()).ref_price).toBe("65000.1");
    expect(apiOrderOf(order()).trigger_price).toBeNull();
    expect(leg("LIMIT").trigger_price).toBeNull();
  });
});

describe("apiPositionOf", () => {
  it("values the open quantity at the mark, minus the open share of the fees", () => {
    const view = { lot: lot(), takeProfit: order({ id: "tp" }), stopLoss: order({ id: "sl" }), orders: [] };
    const p = apiPositionOf(view, "105.35");
    // (105.35 − 100.10) × 2 − 0.3 × 2/3 = 10.5 − 0.2 = 10.3
    expect(p.unrealised_pnl).toBe("10.3");
    expect(p.mark_price).toBe("105.35");
    expect(p.take_profit_order_id).toBe("tp");
    expect(p.stop_loss_order_id).toBe("sl");
    expect(p.entry_price).toBe("100.1");
    expect(p.open_quantity).toBe("2");
  });

  it("is exact where floating point is not", () => {
    const l = lot({ entryPrice: dec("0.1"), quantity: dec("3"), openQuantity: dec("3"), fees: dec("0") });
    expect(unrealisedPnl(l, dec("0.3"))?.toFixed()).toBe("0.6"); // (0.3 − 0.1) × 3; floats say 0.6000000000000001
  });

  it("has no mark and no P&L without a price, for a closed lot, or without an entry", () => {
    const noPrice = apiPositionOf(
      { lot: lot(), takeProfit: undefined, stopLoss: undefined, orders: [] },
      null,
    );
    expect([noPrice.mark_price, noPrice.unrealised_pnl]).toEqual([null, null]);
    const closed = apiPositionOf(
      {
        lot: lot({ status: "CLOSED", closedAt: 99 }),
        takeProfit: undefined,
        stopLoss: undefined,
        orders: [],
      },
      "120",
    );
    expect([closed.mark_price, closed.unrealised_pnl, closed.closed_at]).toEqual([null, null, 99]);
    const noEntry = apiPositionOf(
      { lot: lot({ entryPrice: undefined }), takeProfit: undefined, stopLoss: undefined, orders: [] },
      "120",
    );
    expect(noEntry.unrealised_pnl).toBeNull();
    const garbage = apiPositionOf(
      { lot: lot(), takeProfit: undefined, stopLoss: undefined, orders: [] },
      "n/a",
    );
    expect(garbage.mark_price).toBeNull();
  });
});

describe("watchlist, signals, events", () => {
  const item = {
    symbol: "ETH_USD",
    alertsEnabled: true,
    tradeEnabled: false,
    amountUsd: dec("25.50"),
    slPct: undefined,
    tpPct: dec("3"),
    preset: "swing",
    overrides: { rsi: { buyBelow: 30 } },
    createdAt: 1,
    updatedAt: 2,
  };
  it("a watchlist row with its market view, or the reason there is none", () => {
    const view = { price: "3000.01", decision: null, indicators: null, fresh: true, staleReason: null };
    const w = apiWatchlistItemOf(item, view);
    expect(w).toMatchObject({
      amount_usd: "25.5",
      sl_pct: null,
      tp_pct: "3",
      preset: "swing",
      price: "3000.01",
    });
    expect(w.data_fresh).toBe(true);
    const stale = apiWatchlistItemOf(item, "market data not available: feed down");
    expect(stale).toMatchObject({
      price: null,
      data_fresh: false,
      stale_reason: "market data not available: feed down",
    });
  });
  it("a signal and an event", () => {
    const s = apiSignalOf({
      id: "s1",
      symbol: "BTC_USD",
      side: "SELL",
      source: "webhook:tv",
      strategy: "external",
      price: dec("12.30000000000000000001"),
      candleTime: undefined,
      receivedAt: 5,
      trace: null,
      status: "BLOCKED",
      reasonCode: "KILL_SWITCH",
      intentId: undefined,
    });
    expect(s).toMatchObject({ price: "12.30000000000000000001", candle_time: null, intent_id: null });
    expect(
      apiEventOf({ seq: 7, at: 8, kind: "order.updated", symbol: undefined, payload: { a: "1" } }),
    ).toEqual({
      seq: 7,
      at: 8,
      kind: "order.updated",
      symbol: null,
      payload: { a: "1" },
    });
  });
});

describe("symbols", () => {
  const instruments = ["BTC_USD", "BTC_USDT", "ETH_USD", "BTCUSD-PERP", "SOL_USD"];
  it.each([
    ["BTC_USD", "BTC_USD"],
    ["btc_usd", "BTC_USD"],
    ["BTCUSD", "BTC_USD"],
    ["BTC/USD", "BTC_USD"],
    ["CRYPTO:BTCUSD", "BTC_USD"],
    ["BTCUSDT", "BTC_USDT"],
    ["BTCUSD-PERP", "BTCUSD-PERP"],
  ])("%s → %s", (input, want) => {
    expect(resolveSymbol(input, instruments)).toEqual({ ok: true, symbol: want });
  });
  it("unknown symbols get the closest names", () => {
    const r = resolveSymbol("ETHUSDD", instruments);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.suggestions[0]).toBe("ETH_USD");
    expect(closestInstruments("SOL_USX", instruments, 1)).toEqual(["SOL_USD"]);
  });
  it("a changed instrument list is looked up as it is now (the kept tables are the last list's only)", () => {
    const list = ["BTC_USD", "ETH_USD"];
    expect(resolveSymbol("BTCUSD", list)).toEqual({ ok: true, symbol: "BTC_USD" });
    // the same array changed in place, and a new array with other names
    list[0] = "BTC_USDT";
    expect(resolveSymbol("BTCUSD", list).ok).toBe(false);
    expect(resolveSymbol("BTCUSDT", list)).toEqual({ ok: true, symbol: "BTC_USDT" });
    expect(resolveSymbol("SOLUSD", ["SOL_USD"])).toEqual({ ok: true, symbol: "SOL_USD" });
    expect(resolveSymbol("ETHUSD", ["SOL_USD"]).ok).toBe(false);
  });
  it("two instruments of the same compact form are ambiguous, never guessed", () => {
    const r = resolveSymbol("ABCUSD", ["AB_CUSD", "ABC_USD"]);
    expect(r).toEqual({
      ok: false,
      problem: 'symbol "ABCUSD" is ambiguous',
      suggestions: ["ABC_USD", "AB_CUSD"],
    });
  });
});
