/**
 * Resume after a simulated restart (a new Trader on the same store and venue): a PENDING_SUBMIT
 * attempt whose request did reach the exchange is found by client_oid, filled and protected; one
 * whose request never left is confirmed absent after the stale instant and fails NOT_FOUND —
 * never re-sent; a lot left unprotected is protected.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dec } from "../../../src/util/decimal.js";
import { crashedAttempt } from "../../helpers/crashed-attempt.js";
import { driveWhile, ledger, type TradingHarness, watchingHarness } from "../../helpers/trading.js";

let h: TradingHarness;
beforeAll(async () => {
  h = await watchingHarness({ symbol: "SOL_USD", tradeEnabled: true, amountUsd: dec("40") });
});
afterAll(async () => h?.close());

describe("resume on start", () => {
  it("probes a PENDING_SUBMIT attempt the exchange has: adopts the fill, opens and protects the lot", async () => {
    const { intent, requestId } = await crashedAttempt(h, "resume-sent");
    const out = await h.client.placeOrder({
      intentId: requestId,
      symbol: "SOL_USD",
      side: "BUY",
      type: "MARKET",
      notional: "40",
    });
    expect(out.status).toBe("accepted");
    const before = ledger(h.emu).length;
    const trader = await driveWhile(h.time, h.restart(), 1_000);
    await driveWhile(h.time, trader.settled(), 500);
    const i = await h.store.intents.get(intent.id);
    expect(i?.status).toBe("DONE");
    const [o] = await h.store.orders.listByIntent(intent.id);
    expect(o?.status).toBe("FILLED");
    const lot = await h.store.lots.get(i!.lotId!);
    expect(lot?.protection).toBe("PROTECTED");
    const after = ledger(h.emu).slice(before);
    expect(after.filter((x) => x.method === "private/create-order")).toHaveLength(0);
    await trader.stop();
  });

  it("a PENDING_SUBMIT attempt that never left is confirmed absent after the stale instant: FAILED, not re-sent", async () => {
    const { intent } = await crashedAttempt(h, "resume-lost");
    const before = ledger(h.emu).length;
    const t0 = h.time.now();
    const trader = await driveWhile(h.time, h.restart(), 1_000);
    await driveWhile(h.time, trader.settled(), 500);
    expect(h.time.now() - t0).toBeGreaterThanOrEqual(60_000);
    const i = await h.store.intents.get(intent.id);
    expect(i?.status).toBe("FAILED");
    expect(i?.reasonCode).toBe("NOT_FOUND");
    const [o] = await h.store.orders.listByIntent(intent.id);
    expect(o?.status).toBe("REJECTED");
    expect(o?.reason).toBe("NOT_FOUND");
    expect(ledger(h.emu).length).toBe(before);
    await trader.stop();
  });

  it("re-protects an open lot whose protection is PENDING", async () => {
    const entry = await h.client.placeOrder({
      intentId: "manual-entry",
      symbol: "SOL_USD",
      side: "BUY",
      type: "MARKET",
      notional: "40",
    });
    expect(entry.status).toBe("accepted");
    const lot = await h.store.lots.create({
      symbol: "SOL_USD",
      mode: "DEMO",
      status: "OPEN",
      protection: "PENDING",
      entryPrice: dec(h.emu.admin.price("SOL_USD")),
      quantity: dec("0.1"),
      protectDeadline: h.time.now() + 30_000,
    });
    const trader = await driveWhile(h.time, h.restart(), 100);
    await driveWhile(h.time, trader.settled(), 100);
    expect((await h.store.lots.get(lot.id))?.protection).toBe("PROTECTED");
    const legs = (await h.store.orders.listByLot(lot.id)).filter((o) => o.role !== "ENTRY");
    expect(legs.map((l) => l.status).sort()).toEqual(["NEW", "NEW"]);
    await trader.stop();
  });
});
