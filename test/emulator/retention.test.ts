/**
 * The matching engine's memory is bounded: every open order, however old, plus the
 * `maxFinalOrders` (`limits.max_final_orders`) orders that became final most recently, with their
 * fills. Older final orders are forgotten everywhere at once (by id, by client_oid, in the history
 * and the trades), while the admin order log keeps their last state.
 */
import { afterEach, describe, expect, it } from "vitest";
import { type EmulatorHandle, startEmulator } from "../../src/emulator/index.js";
import {
  type EngineEvent,
  type MarketView,
  MatchingEngine,
  type VenueBookLevel,
  type VenueOrderRequest,
} from "../../src/emulator/matching/index.js";
import { dec } from "../../src/util/decimal.js";
import { btcUsd } from "../helpers/instruments.js";
import { admin, privateCall } from "./helpers.js";

const BTC = btcUsd({ minNotional: dec("1") });

/** Asks 100.5 / bids 99.5, deep enough for every order here. */
const market: MarketView = {
  levels: (_s, side): readonly VenueBookLevel[] => [
    { price: dec(side === "asks" ? "100.5" : "99.5"), qty: dec("1000") },
  ],
  refPrice: () => dec("100"),
};

function setup(maxFinalOrders?: number) {
  let t = 1_000;
  const engine = new MatchingEngine({
    instruments: [BTC],
    market,
    now: () => ++t,
    ...(maxFinalOrders === undefined ? {} : { maxFinalOrders }),
  });
  engine.setBalances("a", { USD: "100000", BTC: "10" });
  const forgotten: string[] = [];
  engine.on((e: EngineEvent) => {
    if (e.type === "forgotten") forgotten.push(e.order.clientOid);
  });
  return { engine, forgotten };
}

const buy = (client_oid: string, r: Partial<VenueOrderRequest> = {}): VenueOrderRequest => ({
  instrument_name: "BTC_USD",
  side: "BUY",
  type: "MARKET",
  quantity: "0.01000",
  client_oid,
  ...r,
});

describe("MatchingEngine maxFinalOrders", () => {
  it("forgets the order final longest ago, with its fills and client_oid; open orders stay however old", () => {
    const { engine, forgotten } = setup(3);
    const resting = engine.place("a", buy("rest", { type: "LIMIT", price: "90.00", quantity: "0.02000" }));
    expect(resting.ok && resting.order.status).toBe("ACTIVE");
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = engine.place("a", buy(`m${i}`));
      expect(r.ok && r.order.status).toBe("FILLED");
      if (r.ok) ids.push(r.order.orderId);
    }
    expect(forgotten).toEqual(["m0", "m1"]);
    expect(engine.order("a", { orderId: ids[0] })).toBeUndefined();
    expect(engine.order("a", { clientOid: "m1" })).toBeUndefined();
    expect(engine.order("a", { clientOid: "m2" })?.status).toBe("FILLED");
    expect(engine.history("a").map((o) => o.clientOid)).toEqual(["m4", "m3", "m2"]);
    expect(engine.trades("a").map((f) => f.clientOid)).toEqual(["m4", "m3", "m2"]);
    expect(engine.open("a").map((o) => o.clientOid)).toEqual(["rest"]);
    expect(engine.allOrders().map((o) => o.clientOid)).toEqual(["rest", "m2", "m3", "m4"]);
    expect(engine.forgottenCount()).toBe(2);
    // A retained final order's client_oid is still taken; a forgotten one's may be used again.
    expect(engine.place("a", buy("m2"))).toMatchObject({ ok: false, code: 204 });
    expect(engine.place("a", buy("m0")).ok).toBe(true);
  });

  it("hundreds of order cycles leave the engine holding only the open orders and maxFinalOrders", () => {
    const { engine } = setup(20);
    for (let i = 0; i < 300; i++) {
      const r = engine.place("a", buy(`limit-${i}`, { type: "LIMIT", price: "90.00", quantity: "0.02000" }));
      engine.place("a", buy(`market-${i}`));
      if (r.ok && i % 10 !== 0) engine.cancel("a", { orderId: r.order.orderId });
    }
    expect(engine.open("a")).toHaveLength(30); // every tenth limit order is still open
    expect(engine.allOrders()).toHaveLength(30 + 20);
    expect(engine.history("a")).toHaveLength(20);
    expect(engine.trades("a").length).toBeLessThanOrEqual(20);
    expect(engine.forgottenCount()).toBe(600 - 30 - 20);
  });

  it("an OCO list is kept while one of its legs is remembered", () => {
    const { engine } = setup(1);
    const oco = engine.submitOco("a", [
      buy("leg-limit", { type: "LIMIT", price: "110.00", quantity: "0.02000", side: "SELL" }),
      buy("leg-stop", { type: "STOP_LOSS", ref_price: "95.00", quantity: "0.02000", side: "SELL" }),
    ]);
    expect(oco.ok).toBe(true);
    if (!oco.ok) return;
    for (const o of oco.orders) engine.execute(o.orderId);
    engine.place("a", buy("other")); // FILLED: the only final order kept so far
    expect(engine.cancelList("a", oco.listId)).toEqual({ ok: true }); // both legs final now
    expect(engine.cancelList("a", oco.listId)).toMatchObject({ ok: false, code: 316 }); // one leg remembered
    engine.place("a", buy("later")); // the last leg is forgotten, and the list with it
    expect(engine.cancelList("a", oco.listId)).toMatchObject({ ok: false, code: 212 });
  });

  it("keeps 10,000 final orders by default", () => {
    const { engine, forgotten } = setup();
    for (let i = 0; i < 10_001; i++) engine.place("a", buy(`c${i}`));
    expect(forgotten).toEqual(["c0"]);
    expect(engine.allOrders()).toHaveLength(10_000);
  });
});

describe("limits.max_final_orders over loopback", () => {
  let em: EmulatorHandle | undefined;
  afterEach(async () => {
    await em?.close();
    em = undefined;
  });

  it("get-order-detail answers 40401 for a forgotten order; the admin order log keeps its last state", async () => {
    em = await startEmulator({
      market_tick_ms: 0,
      rate_limits: false,
      limits: { max_final_orders: 2 } as never,
    });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await privateCall(em.baseUrl, "private/create-order", {
        instrument_name: "BTC_USD",
        side: "BUY",
        type: "LIMIT",
        price: "60000.00",
        quantity: "0.00100",
        client_oid: `keep-${i}`,
      });
      expect(r.body.code).toBe(0);
      ids.push(r.body.result.order_id);
      expect((await privateCall(em.baseUrl, "private/cancel-order", { order_id: ids[i] })).body.code).toBe(0);
    }
    const detail = async (order_id: string) =>
      (await privateCall(em!.baseUrl, "private/get-order-detail", { order_id })).body;
    expect((await detail(ids[0]!)).code).toBe(40401);
    expect((await detail(ids[2]!)).result.status).toBe("CANCELED");
    const history = await privateCall(em.baseUrl, "private/get-order-history", {});
    expect(history.body.result.data.map((o: { client_oid: string }) => o.client_oid)).toEqual([
      "keep-2",
      "keep-1",
    ]);
    expect(em.admin.orders().map((o) => [o.client_oid, o.status, o.reason, o.cumulative_quantity])).toEqual([
      ["keep-0", "CANCELED", null, "0"],
      ["keep-1", "CANCELED", null, "0"],
      ["keep-2", "CANCELED", null, "0"],
    ]);
    expect((await admin(em.adminUrl, "GET", "/state")).body).toMatchObject({
      orders_forgotten: 1,
      open_orders: 0,
    });
  });
});
