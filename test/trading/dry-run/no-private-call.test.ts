/**
 * THE dry-run invariant: no private call ever reaches the exchange. A whole round — market BUY by
 * notional, OCO protection, the price falls through the stop, the stop fills and the take-profit
 * is cancelled, balances settle — runs through the DryRunBroker whose market-data client is a
 * real, credentialed CryptoComClient on the emulator over loopback. The emulator's admin order
 * ledger (GET /emulator/admin/orders) must hold zero orders, and a zero-latency fault on
 * `private/*` (which counts every private request, REST or WebSocket) must never have fired,
 * while its twin on `public/*` proves the broker did read the emulator's market.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OrderBook } from "../../../src/exchange/types.js";
import { DryRunBroker } from "../../../src/trading/dry-run/broker.js";
import { ManualTime } from "../../../src/util/clock.js";
import { Dec, dec, floorToStep } from "../../../src/util/decimal.js";
import { useEmulator } from "../../exchange/client/helpers/emulator.js";
import { recordUpdates, until } from "./helpers.js";

const fx = useEmulator({ rate_limits: false });
const S = "BTC_USD";

/** What a market BUY by notional fills against `book` (the engine walks the asks at their prices). */
function expectedBuy(book: OrderBook, notional: Dec, qtyTick: Dec, taker: Dec) {
  let value = new Dec(0);
  let qty = new Dec(0);
  for (const l of book.asks) {
    const q = Dec.min(l.quantity, floorToStep(notional.sub(value).div(l.price), qtyTick));
    if (q.lte(0)) break;
    qty = qty.add(q);
    value = value.add(q.mul(l.price));
  }
  return { qty, value, fee: qty.mul(taker) };
}

async function adminJson(path: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${fx.emu.adminUrl}${path}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

describe("dry run: no private call reaches the exchange", () => {
  const time = new ManualTime();
  let broker: DryRunBroker;

  beforeAll(() => {
    fx.emu.admin.addFault({ kind: "latency", ms: 0, methods: ["private/*"] });
    fx.emu.admin.addFault({ kind: "latency", ms: 0, methods: ["public/*"] });
  });
  afterAll(async () => broker?.close());

  it("a whole round (buy, OCO, stop triggers and fills, sibling cancelled) leaves the emulator with zero orders", async () => {
    const market = fx.client(); // credentialed: it *could* trade; the broker must not let it
    broker = new DryRunBroker({ market, time, pollMs: 1_000, bookMaxAgeMs: 2_000 });
    const log = recordUpdates(broker.updates);
    await broker.start();
    await until(() => log.ready === 1, "ready");
    expect(broker.updates.connected).toBe(true);

    const inst = (await broker.getInstrument(S))!;
    const book = await broker.getBook(S, 50);
    const want = expectedBuy(book, dec("1000"), inst.qtyTickSize, dec("0.005"));

    // 1. market BUY by notional: accepted, then FILLED through the updates, at the book with the taker fee
    const buy = await broker.placeOrder({
      intentId: "i1:1",
      symbol: S,
      side: "BUY",
      type: "MARKET",
      notional: "1000",
    });
    expect(buy).toMatchObject({ status: "accepted", clientOid: broker.clientOidFor("i1:1"), probed: false });
    await until(() => log.last(broker.clientOidFor("i1:1"))?.status === "FILLED", "entry FILLED");
    const entry = log.last(broker.clientOidFor("i1:1"))!;
    expect(entry.filledQuantity.toFixed()).toBe(want.qty.toFixed());
    expect(entry.filledValue.toFixed()).toBe(want.value.toFixed());
    expect(entry.fee.toFixed()).toBe(want.fee.toFixed());
    expect(entry.feeCurrency).toBe("BTC");
    const fills = log.fills.filter((f) => f.orderId === entry.orderId);
    expect(fills.length).toBeGreaterThan(0);
    expect(fills.every((f) => f.liquidity === "TAKER" && f.price.gte(book.asks[0]!.price))).toBe(true);
    let bal = await broker.getBalance();
    const held = bal.currencies.find((c) => c.currency === "BTC")!.available;
    expect(held.toFixed()).toBe(want.qty.sub(want.fee).toFixed());
    expect(bal.currencies.find((c) => c.currency === "USD")!.total.toFixed()).toBe(
      dec("10000").sub(want.value).toFixed(),
    );

    // 2. protection: OCO (TP LIMIT above, SL STOP_LOSS below) on the held quantity
    const qty = floorToStep(held, inst.qtyTickSize);
    const mid = book.bids[0]!.price.add(book.asks[0]!.price).div(2);
    const tp = floorToStep(mid.mul("1.04"), inst.priceTickSize);
    const sl = floorToStep(mid.mul("0.98"), inst.priceTickSize);
    const oco = await broker.placeOco({
      intentId: "p1:1",
      symbol: S,
      legs: [
        { type: "LIMIT", side: "SELL", quantity: qty, price: tp },
        { type: "STOP_LOSS", side: "SELL", quantity: qty, refPrice: sl },
      ],
    });
    expect(oco.status).toBe("accepted");
    if (oco.status !== "accepted") return;
    const [tpOid, slOid] = oco.clientOids;
    await until(
      () => log.last(slOid)?.status === "PENDING" && log.last(tpOid)?.status === "ACTIVE",
      "legs working",
    );
    expect((await broker.getOpenTriggerOrders(S)).map((o) => o.listId)).toEqual([oco.listId, oco.listId]);

    // 3. the price falls through the stop on the real market; the poll refreshes the stale book
    fx.emu.admin.setPrice(S, mid.mul("0.95").toFixed(2));
    await time.advance(3_000);
    await until(() => log.last(slOid)?.status === "FILLED", "stop leg FILLED");
    await until(() => log.last(tpOid)?.status === "CANCELED", "take-profit leg CANCELED");
    const stop = log.last(slOid)!;
    expect(stop.filledQuantity.toFixed()).toBe(qty.toFixed());
    expect(stop.avgPrice!.lt(sl)).toBe(true);
    expect(stop.fee.toFixed()).toBe(stop.filledValue.mul("0.005").toFixed());
    bal = await broker.getBalance();
    const usd = bal.currencies.find((c) => c.currency === "USD")!;
    expect(usd.total.toFixed()).toBe(
      dec("10000").sub(want.value).add(stop.filledValue).sub(stop.fee).toFixed(),
    );
    expect(usd.reserved.toFixed()).toBe("0");
    expect(bal.currencies.find((c) => c.currency === "BTC")!.reserved.toFixed()).toBe("0");
    expect(await broker.getOpenTriggerOrders()).toEqual([]);

    // 4. the exchange saw none of it
    const ledger = await adminJson("/orders?after=0&limit=1000");
    expect(ledger).toMatchObject({ orders: [], total: 0, received: 0 });
    const { faults } = (await adminJson("/faults")) as { faults: { methods: string[]; fired: number }[] };
    expect(faults.find((f) => f.methods[0] === "private/*")!.fired).toBe(0);
    expect(faults.find((f) => f.methods[0] === "public/*")!.fired).toBeGreaterThan(2);
  });
});
