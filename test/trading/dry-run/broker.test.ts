/**
 * DryRunBroker behaviour on books it is fed (the market stream path: onBook / onTicker), with the
 * emulator as its public-data client over loopback: fills at the book with fees and slippage, a
 * SELL needs the base balance, OCO siblings, triggers on tickers, deterministic and idempotent
 * client_oids, a placement without any book, and the poll timer's life.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { OrderBook } from "../../../src/exchange/types.js";
import { DryRunBroker, type DryRunBrokerOptions } from "../../../src/trading/dry-run/broker.js";
import { ManualTime } from "../../../src/util/clock.js";
import { dec } from "../../../src/util/decimal.js";
import { useEmulator } from "../../exchange/client/helpers/emulator.js";
import { recordUpdates, until } from "./helpers.js";

const fx = useEmulator({ rate_limits: false });
const S = "BTC_USD";

function book(bids: [string, string][], asks: [string, string][], symbol = S): OrderBook {
  const lv = (l: [string, string][]) => l.map(([p, q]) => ({ price: dec(p), quantity: dec(q), count: 1 }));
  return { symbol, bids: lv(bids), asks: lv(asks), time: 0 };
}

const BOOK = book(
  [
    ["59990.00", "1"],
    ["59980.00", "1"],
  ],
  [
    ["60000.00", "0.01"],
    ["60010.00", "1"],
  ],
);

const brokers: DryRunBroker[] = [];
afterEach(async () => {
  fx.emu.admin.clearFaults();
  while (brokers.length) await brokers.pop()!.close();
});

async function started(opts: Partial<DryRunBrokerOptions> = {}) {
  const time = new ManualTime();
  const broker = new DryRunBroker({ market: fx.client(), time, ...opts });
  brokers.push(broker);
  const log = recordUpdates(broker.updates);
  await broker.start();
  broker.onBook(BOOK);
  return { broker, log, time };
}

describe("DryRunBroker", () => {
  it("fills a market BUY level by level at the book, taker fee in the base currency", async () => {
    const { broker, log } = await started({ fees: { maker: "0.001", taker: "0.002" } });
    const out = await broker.placeOrder({
      intentId: "b:1",
      symbol: S,
      side: "BUY",
      type: "MARKET",
      notional: "1200.10",
    });
    expect(out.status).toBe("accepted");
    const oid = broker.clientOidFor("b:1");
    await until(() => log.last(oid)?.status === "FILLED", "FILLED");
    // 0.01 @ 60000 = 600, then floor(600.10 / 60010, 0.00001) = 0.01 @ 60010 = 600.10
    expect(log.fills.map((f) => [f.price.toFixed(), f.quantity.toFixed(), f.fee.toFixed()])).toEqual([
      ["60000", "0.01", "0.00002"],
      ["60010", "0.01", "0.00002"],
    ]);
    const o = log.last(oid)!;
    expect([o.filledQuantity.toFixed(), o.filledValue.toFixed(), o.avgPrice!.toFixed()]).toEqual([
      "0.02",
      "1200.1",
      "60005",
    ]);
    const bal = await broker.getBalance();
    expect(bal.currencies.map((c) => [c.currency, c.total.toFixed()])).toEqual([
      ["BTC", "0.01996"],
      ["USD", "8799.9"],
    ]);
  });

  it("delivers an order's updates after its outcome, all within one settle of the event loop", async () => {
    const { broker, log, time } = await started();
    await time.settle(); // ready, the start balance
    const seen: string[] = [];
    broker.updates.on("order", (o) => seen.push(o.status));
    const out = await broker.placeOrder({
      intentId: "q:1",
      symbol: S,
      side: "BUY",
      type: "MARKET",
      notional: "100",
    });
    expect(out.status).toBe("accepted");
    expect(seen).toEqual([]);
    await time.settle();
    expect(seen).toEqual(["NEW", "FILLED"]);
    expect(log.fills).toHaveLength(1);
  });

  it("applies slippage against the trader on both sides", async () => {
    const { broker, log } = await started({ slippageBps: 10, balances: { USD: "1000", BTC: "1" } });
    await broker.placeOrder({ intentId: "s:1", symbol: S, side: "BUY", type: "MARKET", quantity: "0.001" });
    await broker.placeOrder({ intentId: "s:2", symbol: S, side: "SELL", type: "MARKET", quantity: "0.001" });
    await until(() => log.fills.length === 2, "two fills");
    expect(log.fills.map((f) => [f.side, f.price.toFixed()])).toEqual([
      ["BUY", "60060"], // 60000 × 1.001
      ["SELL", "59930.01"], // 59990 × 0.999
    ]);
  });

  it("rejects a SELL without the base balance with the engine's code 306, recorded REJECTED", async () => {
    const { broker, log } = await started();
    const out = await broker.placeOrder({
      intentId: "x:1",
      symbol: S,
      side: "SELL",
      type: "MARKET",
      quantity: "0.5",
    });
    expect(out.status).toBe("rejected");
    if (out.status !== "rejected") return;
    expect(out.error).toMatchObject({ code: 306, category: "insufficient_funds", ambiguous: false });
    expect(out.orderId).toBeDefined();
    await until(() => log.last(out.clientOid)?.status === "REJECTED", "REJECTED update");
    expect((await broker.getOrder({ clientOid: out.clientOid }))?.reason).toBe(306);
    expect(log.fills).toEqual([]);
  });

  it("cancels the OCO sibling when the take-profit fills as maker at its price", async () => {
    const { broker, log } = await started({ balances: { USD: "0", BTC: "0.1" } });
    const oco = await broker.placeOco({
      intentId: "o:1",
      symbol: S,
      legs: [
        { type: "LIMIT", side: "SELL", quantity: "0.1", price: "61000.00" },
        { type: "STOP_LIMIT", side: "SELL", quantity: "0.1", refPrice: "59000.00", price: "58900.00" },
      ],
    });
    expect(oco.status).toBe("accepted");
    if (oco.status !== "accepted") return;
    const [tp, sl] = oco.clientOids;
    await until(() => log.last(sl)?.status === "PENDING", "stop waiting");
    broker.onBook(book([["61050.00", "5"]], [["61060.00", "5"]]));
    await until(
      () => log.last(tp)?.status === "FILLED" && log.last(sl)?.status === "CANCELED",
      "TP filled, SL cancelled",
    );
    const fill = log.fills.find((f) => f.clientOid === tp)!;
    expect([fill.price.toFixed(), fill.liquidity, fill.fee.toFixed()]).toEqual(["61000", "MAKER", "15.25"]);
    expect(log.triggers.every(([o, src]) => o.listId === oco.listId && src === "stream")).toBe(true);
    const bal = await broker.getBalance();
    expect(bal.currencies.map((c) => [c.currency, c.total.toFixed(), c.reserved.toFixed()])).toEqual([
      ["BTC", "0", "0"],
      ["USD", "6084.75", "0"],
    ]);
  });

  it("fires a stop on a ticker (the reference price), then fills it at the book", async () => {
    const { broker, log } = await started({ balances: { BTC: "0.1" } });
    const out = await broker.placeTriggerOrder({
      intentId: "t:1",
      symbol: S,
      side: "SELL",
      type: "STOP_LOSS",
      quantity: "0.1",
      refPrice: "59500.00",
    });
    expect(out.status).toBe("accepted");
    await until(() => log.last(out.clientOid)?.status === "PENDING", "pending");
    broker.onTicker({ symbol: S, time: 0, last: dec("59400"), bid: dec("59390"), ask: dec("59410") });
    await until(() => log.last(out.clientOid)?.status === "FILLED", "stop FILLED");
    expect(log.orders.some(([o]) => o.clientOid === out.clientOid)).toBe(true); // on user.order once triggered
    expect(log.fills.map((f) => f.price.toFixed())).toEqual(["59990"]); // the best bid (1 BTC deep)
  });

  it("client_oids are deterministic, ≤ 36 chars, dry- prefixed; a duplicate is the existing order", async () => {
    const { broker, log } = await started();
    const oid = broker.clientOidFor("intent-7:1");
    expect(oid).toMatch(/^dry-[0-9a-f]{32}$/);
    expect(broker.clientOidFor("intent-7:1")).toBe(oid);
    expect(broker.clientOidFor("intent-7:2")).not.toBe(oid);
    const req = {
      intentId: "intent-7:1",
      symbol: S,
      side: "BUY",
      type: "LIMIT",
      quantity: "0.001",
      price: "59000.00",
    } as const;
    const first = await broker.placeOrder(req);
    const again = await broker.placeOrder(req);
    expect(first).toMatchObject({ status: "accepted", clientOid: oid, probed: false });
    expect(again).toMatchObject({ status: "accepted", clientOid: oid, probed: true });
    if (first.status !== "accepted" || again.status !== "accepted") return;
    expect(again.orderId).toBe(first.orderId);
    await until(() => log.last(oid)?.status === "ACTIVE", "resting");
    expect((await broker.getOpenOrders(S)).map((o) => o.clientOid)).toEqual([oid]);
    expect((await broker.getBalance()).currencies.find((c) => c.currency === "USD")!.reserved.toFixed()).toBe(
      "59",
    );
  });

  it("answers not_sent when no book can be had for the symbol (nothing is placed)", async () => {
    fx.emu.admin.addFault({ kind: "error", code: 50001, methods: ["public/get-book"] });
    const { broker } = await started();
    const out = await broker.placeOrder({
      intentId: "n:1",
      symbol: "ETH_USD",
      side: "BUY",
      type: "MARKET",
      notional: "10",
    });
    expect(out).toMatchObject({ status: "not_sent", error: { category: "server", code: 50001 } });
    expect(await broker.probeOrder(out.clientOid)).toBeUndefined();
    expect(await broker.getOpenOrders()).toEqual([]);
  });

  it("refuses unknown orders like the exchange and stops its poll on close", async () => {
    const { broker, time } = await started();
    await expect(broker.cancelOrder({ orderId: "1" })).rejects.toMatchObject({
      code: 212,
      category: "not_found",
    });
    await expect(broker.cancelOco("1")).rejects.toMatchObject({ code: 212 });
    expect(await broker.getOrder({ clientOid: "nope" })).toBeUndefined();
    expect(time.pendingCount).toBe(1);
    await broker.close();
    expect(time.pendingCount).toBe(0);
  });
});
