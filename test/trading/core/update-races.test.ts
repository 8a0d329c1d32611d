/**
 * Venue updates racing the trader's own writes (two faults a CI crash run exposed: a take-profit
 * leg left NEW without its exchange order id after a SIGTERM):
 * - stop() resolves only after the updates the stream had delivered are stored (before, they were
 *   applied untracked, so the process could exit before their commits);
 * - marking a lot protected reads its legs in its own transaction: an update applied between the
 *   OCO's answer and that commit (a leg ACTIVE) is never written back over with the status read
 *   before it (before: PENDING_SUBMIT read, the ACTIVE leg set back to NEW).
 */
import { EventEmitter } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import type { Order, OrderUpdateSource } from "../../../src/exchange/types.js";
import type { TradingContext } from "../../../src/trading/context.js";
import { Trader } from "../../../src/trading/trader.js";
import { dec } from "../../../src/util/decimal.js";
import { exchangeOrder } from "../../helpers/exchange-order.js";
import { driveWhile, type TradingHarness, tradingHarness } from "../../helpers/trading.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** An update source the test drives: connected, emitting what the test says. */
function drivenUpdates(): OrderUpdateSource & { emit(event: "order", o: Order): void } {
  const e = new EventEmitter();
  return {
    connected: true,
    on: (event, l) => e.on(event, l as (...a: unknown[]) => void),
    off: (event, l) => e.off(event, l as (...a: unknown[]) => void),
    emit: (event, o) => e.emit(event, o),
  };
}

function restingLimit(i: number, now: number): Order {
  return exchangeOrder({
    orderId: `61429104080000${String(100 + i)}`,
    clientOid: `atp-stop-updates-${i}`,
    side: "SELL",
    timeInForce: "GOOD_TILL_CANCEL",
    price: dec("120000.5"),
    orderValue: dec("120.0005"),
    createTime: now,
    updateTime: now,
  });
}

describe("Trader.stop()", () => {
  it("resolves only after the venue updates it had received are stored", async () => {
    const h: TradingHarness = await tradingHarness();
    cleanups.push(() => h.close());
    const updates = drivenUpdates();
    const ctx: TradingContext = {
      ...h.ctx,
      venues: { ...h.ctx.venues, live: { client: h.client, updates, mode: "DEMO" } },
    };
    const trader = new Trader(ctx, { pollMs: 100 });
    await trader.start();
    const orders = [1, 2, 3].map((i) => restingLimit(i, h.time.now()));
    for (const o of orders) updates.emit("order", o);
    await trader.stop();
    const stored = await Promise.all(orders.map((o) => h.store.orders.findByExchangeId(o.orderId)));
    expect(stored.map((r) => r?.clientOid)).toEqual(orders.map((o) => o.clientOid));
    expect(stored.map((r) => r?.status)).toEqual(["ACTIVE", "ACTIVE", "ACTIVE"]);
  });
});

describe("marking a lot protected", () => {
  it("never writes a leg's status back over an update applied between the OCO's answer and the commit", async () => {
    const h = await tradingHarness();
    cleanups.push(() => h.close());
    await h.store.watchlist.upsert({ symbol: "BTC_USD", tradeEnabled: true, amountUsd: dec("100") });
    // the next transaction after the OCO is accepted first lets the venue's update of the TP leg
    // land, as a stream update racing the commit would
    let landFirst: (() => Promise<void>) | undefined;
    const store = new Proxy(h.store, {
      get(target, key) {
        if (key === "transaction")
          return async (fn: Parameters<typeof target.transaction>[0]) => {
            const land = landFirst;
            landFirst = undefined;
            if (land) await land();
            return target.transaction(fn);
          };
        const v = Reflect.get(target, key, target) as unknown;
        return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const client = new Proxy(h.client, {
      get(target, key) {
        if (key === "placeOco")
          return async (req: Parameters<typeof target.placeOco>[0]) => {
            const out = await target.placeOco(req);
            const tpOid = target.clientOidFor(req.legs[0].intentId ?? `${req.intentId}/tp`);
            landFirst = async () => {
              let tp: Order | undefined;
              for (let i = 0; i < 200 && tp?.status !== "ACTIVE"; i++) {
                tp = await target.getTriggerOrder({ clientOid: tpOid });
                if (tp?.status !== "ACTIVE") await new Promise((r) => setTimeout(r, 5));
              }
              expect(tp?.status).toBe("ACTIVE");
              await h.store.orders.applyExchange(tp as Order);
            };
            return out;
          };
        const v = Reflect.get(target, key, target) as unknown;
        return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const ctx: TradingContext = {
      ...h.ctx,
      store,
      venues: { ...h.ctx.venues, live: { ...h.ctx.venues.live!, client } },
    };
    const trader = new Trader(ctx, { pollMs: 100, confirmTimeoutMs: 5_000 });
    cleanups.push(() => trader.stop());
    await trader.start();
    const res = await driveWhile(
      h.time,
      trader.submit({
        symbol: "BTC_USD",
        side: "BUY",
        source: "cli",
        actor: "test",
        idempotencyKey: "k-race",
        amountUsd: dec("100"),
      }),
    );
    expect(res.outcome, res.message).toBe("filled");
    await driveWhile(h.time, trader.settled());
    const lotId = (await h.store.intents.get(res.intent.id))?.lotId;
    const lot = lotId ? await h.store.lots.get(lotId) : undefined;
    expect(lot?.protection).toBe("PROTECTED");
    const tp = (await h.store.orders.listByLot(lotId!)).find((o) => o.role === "TAKE_PROFIT");
    expect(tp?.exchangeOrderId).toBeDefined();
    expect(tp?.listId).toBe(lot?.ocoListId);
    expect(tp?.status).toBe("ACTIVE");
  });
});
