/**
 * The reconciler on SQLite against the emulator: an order filled while we were away, lots handed
 * to protection or flagged, passes that never overlap, and a failing pass retried at the next
 * interval (ManualTime) without throwing.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ExchangeClient, Order } from "../../../src/exchange/types.js";
import { Reconciler } from "../../../src/trading/reconcile/index.js";
import { Dec } from "../../../src/util/decimal.js";
import { DEMO } from "../../exchange/client/helpers/emulator.js";
import { resetStore } from "../../store/helpers.js";
import {
  localAttempt,
  marketBuy,
  type ReconcileWorld,
  reconcileWorld,
  restingBuy,
  until,
} from "./helpers.js";

let w: ReconcileWorld;
beforeAll(async () => {
  w = await reconcileWorld("sqlite");
});
afterAll(async () => w.close());
beforeEach(async () => {
  await resetStore(w.store);
  await w.client.cancelAllOrders();
  w.emu.admin.clearFaults();
  w.emu.admin.setKeyEnabled(DEMO.apiKey, true);
  w.updates.length = 0;
  w.protects.length = 0;
});

describe("Reconciler passes", () => {
  it("a local NEW order the exchange filled while we were away becomes FILLED with its fills", async () => {
    const row = await localAttempt(w, "away");
    expect((await w.client.placeOrder(marketBuy(`${row.intentId}:1`))).status).toBe("accepted");
    await until(async () => (await w.client.probeOrder(row.clientOid!))?.status === "FILLED", "fill");
    const filled: Order | undefined = await w.client.probeOrder(row.clientOid!);
    // what we knew when we went away: the order accepted, nothing filled
    const asNew = {
      ...filled!,
      status: "NEW" as const,
      filledQuantity: new Dec(0),
      updateTime: filled!.createTime,
    };
    await w.store.orders.applyExchange({
      ...asNew,
      avgPrice: undefined,
      filledValue: new Dec(0),
      fee: new Dec(0),
    });
    expect((await w.store.orders.get(row.id))?.status).toBe("NEW");

    const report = await w.reconciler().pass();
    expect(report.resolved).toBe(1);
    expect(report.fills).toBeGreaterThan(0);
    const after = await w.store.orders.get(row.id);
    expect(after?.status).toBe("FILLED");
    expect(after?.filledQuantity.eq(filled!.filledQuantity)).toBe(true);
    const fills = await w.store.fills.listByOrder(filled!.orderId);
    expect(fills.length).toBe(report.fills);
    expect(fills.reduce((s, f) => s.plus(f.quantity), new Dec(0)).eq(filled!.filledQuantity)).toBe(true);
    expect(w.updates.map((u) => [u.order.orderId, u.order.status, u.mode])).toEqual([
      [filled!.orderId, "FILLED", "LIVE"],
    ]);
    const [entry] = await w.store.audit.list({ entityId: row.id });
    expect(entry).toMatchObject({
      action: "resolve_from_history",
      before: expect.objectContaining({ status: "NEW", filledQuantity: "0" }),
      after: expect.objectContaining({ status: "FILLED", filledQuantity: filled!.filledQuantity.toFixed() }),
    });
    expect(await w.store.audit.list({ entity: "fill" })).toHaveLength(report.fills);
    // fills are idempotent: a second pass inserts none and corrects nothing
    expect(await w.reconciler().pass()).toMatchObject({ fills: 0, corrections: 0 });
  });

  it("hands unprotected open lots to protect, skips one the trader still owns, flags a failure once", async () => {
    const now = w.time.now();
    const bare = await w.store.lots.create({
      symbol: "BTC_USD",
      mode: "LIVE",
      status: "OPEN",
      quantity: new Dec("0.0001"),
    });
    await w.store.lots.create({
      ...{ symbol: "BTC_USD", mode: "LIVE", status: "OPEN", protection: "PENDING" },
      ...{ quantity: new Dec("0.0001"), protectDeadline: now + 30_000 },
    });
    expect(await w.reconciler().pass()).toMatchObject({ protectRequested: 1, flagged: 0 });
    expect(w.protects).toEqual([bare.id]);

    const failing = new Reconciler({
      ctx: w.ctx,
      venue: w.venue,
      hooks: { protect: () => Promise.reject(new Error("circuit open")) },
    });
    expect(await failing.pass()).toMatchObject({ flagged: 1 });
    expect(await failing.pass()).toMatchObject({ flagged: 0 });
    const flags = (await w.store.events.after(0)).filter((e) => e.kind === "position.unprotected");
    expect(flags.map((e) => e.payload)).toEqual([expect.objectContaining({ lotId: bare.id, mode: "LIVE" })]);
  });

  it("passes never overlap; a request while one waits joins it", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let reads = 0;
    const inner = w.client;
    const slow: ExchangeClient = Object.create(inner, {
      getOpenOrders: {
        value: async (symbol?: string) => {
          reads += 1;
          inFlight += 1;
          maxInFlight = Math.max(maxInFlight, inFlight);
          try {
            await new Promise((r) => setTimeout(r, 20));
            return await inner.getOpenOrders(symbol);
          } finally {
            inFlight -= 1;
          }
        },
      },
    });
    const r = new Reconciler({
      ctx: w.ctx,
      venue: { ...w.venue, client: slow },
      hooks: { protect: async () => {} },
    });
    const a = r.pass();
    expect(r.pass()).toBe(a); // not started yet: joins it
    await until(() => inFlight === 1, "first pass reading");
    const b = r.pass(); // queued behind the running one
    r.requestPass();
    const c = r.pass();
    expect(c).toBe(b);
    await Promise.all([a, b, c]);
    await r.stop();
    expect(maxInFlight).toBe(1);
    expect(reads).toBe(2);
  });

  it("start() runs at once; a failing pass is logged and retried at the next interval", async () => {
    const ours = await w.client.placeOrder(restingBuy(w, "while-down"));
    w.emu.admin.setKeyEnabled(DEMO.apiKey, false); // every private read fails (40101)
    let passes = 0;
    const r = w.reconciler({ intervalMs: 15_000 });
    const pass = r.pass.bind(r);
    r.pass = () => {
      passes += 1;
      return pass();
    };
    r.start();
    await until(() => passes === 1 && w.time.pendingCount === 1, "first pass failed, next one scheduled");
    expect(await w.store.orders.findByClientOid(ours.clientOid)).toBeUndefined();

    w.emu.admin.setKeyEnabled(DEMO.apiKey, true);
    await w.time.advance(14_999);
    expect(passes).toBe(1);
    await w.time.advance(1);
    await until(async () => (await w.store.orders.findByClientOid(ours.clientOid)) !== undefined, "adopted");
    expect(passes).toBe(2);
    await r.stop();
  });
});
