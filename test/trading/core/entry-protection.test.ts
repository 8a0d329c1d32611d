/**
 * BUY → filled → one OCO on the filled quantity net of the base fee, prices rounded the safe way;
 * duplicate keys; the kill switch; a rule refusal by code. Polling path (the update source never
 * emits), emulator over loopback, SQLite store.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ceilToStep, dec, floorToStep } from "../../../src/util/decimal.js";
import { driveWhile, ledger, type TradingHarness, tradingHarness } from "../../helpers/trading.js";

let h: TradingHarness;
beforeAll(async () => {
  h = await tradingHarness();
  await h.trader.start();
  await h.store.watchlist.upsert({
    symbol: "BTC_USD",
    tradeEnabled: true,
    amountUsd: dec("100"),
    slPct: dec("2"),
    tpPct: dec("4"),
  });
});
afterAll(async () => h?.close());

const buy = (key: string, extra: Record<string, unknown> = {}) => ({
  symbol: "BTC_USD",
  side: "BUY" as const,
  source: "cli",
  actor: "test",
  idempotencyKey: key,
  amountUsd: dec("100"),
  ...extra,
});

describe("entry and protection", () => {
  it("fills a BUY and protects the net filled quantity with one OCO at safely rounded prices", async () => {
    const before = ledger(h.emu).length;
    const res = await driveWhile(h.time, h.trader.submit(buy("k-entry-1")));
    expect(res.outcome, res.message).toBe("filled");
    await driveWhile(h.time, h.trader.settled());
    const intent = await h.store.intents.get(res.intent.id);
    expect(intent?.status).toBe("DONE");
    const lot = await h.store.lots.get(intent!.lotId!);
    expect(lot?.protection).toBe("PROTECTED");
    const entry = (await h.store.orders.listByIntent(res.intent.id))[0]!;
    expect(entry.status).toBe("FILLED");
    expect(entry.feeCurrency).toBe("BTC");
    const step = dec("0.00001");
    const net = floorToStep(entry.filledQuantity.minus(entry.fee), step);
    expect(lot!.quantity.eq(net)).toBe(true);
    const legs = (await h.store.orders.listByLot(lot!.id)).filter((o) => o.role !== "ENTRY");
    const tp = legs.find((o) => o.role === "TAKE_PROFIT")!;
    const sl = legs.find((o) => o.role === "STOP_LOSS")!;
    const px = entry.avgPrice!;
    const tick = dec("0.01");
    expect(tp.type).toBe("LIMIT");
    expect(tp.price!.eq(floorToStep(px.mul("1.04"), tick))).toBe(true);
    expect(sl.refPrice!.eq(ceilToStep(px.mul("0.98"), tick))).toBe(true);
    const prot = (await h.store.settings.get("protection")).value;
    expect(sl.type).toBe(prot.slOrderType);
    if (prot.slOrderType === "STOP_LIMIT") {
      const slip = dec("100").minus(prot.stopLimitSlippagePct).div(100);
      expect(sl.price!.eq(floorToStep(sl.refPrice!.mul(slip), tick))).toBe(true);
    }
    expect(tp.quantity!.eq(net) && sl.quantity!.eq(net)).toBe(true);
    expect(tp.listId).toBeDefined();
    expect(lot!.ocoListId).toBe(tp.listId);
    const created = ledger(h.emu).slice(before);
    expect(created.filter((o) => o.method === "private/create-order")).toHaveLength(1);
    const oco = created.filter((o) => o.method === "private/advanced/create-oco");
    expect(new Set(oco.map((o) => o.list_id)).size).toBe(1);
    expect(oco.map((o) => o.client_oid).sort()).toEqual([tp.clientOid, sl.clientOid].sort());
    const kinds = (await h.store.events.after(0, 500)).map((e) => e.kind);
    expect(kinds).toContain("order.filled");
    expect(kinds).toContain("protection.placed");
  });

  it("a duplicate idempotency key is one intent and one order", async () => {
    const before = ledger(h.emu).length;
    const first = await driveWhile(h.time, h.trader.submit(buy("k-dup")));
    const second = await driveWhile(h.time, h.trader.submit(buy("k-dup")));
    expect(second.outcome).toBe("duplicate");
    expect(second.intent.id).toBe(first.intent.id);
    await driveWhile(h.time, h.trader.settled());
    const creates = ledger(h.emu)
      .slice(before)
      .filter((o) => o.method === "private/create-order");
    expect(creates).toHaveLength(1);
    expect(await h.store.orders.listByIntent(first.intent.id)).toHaveLength(1);
  });

  it("the kill switch blocks an entry with its reason code, recorded and evented; nothing is sent", async () => {
    const before = ledger(h.emu).length;
    await h.store.settings.set("kill_switch", true);
    try {
      const sig = await h.store.signals.insert({
        symbol: "BTC_USD",
        side: "BUY",
        source: "engine",
        strategy: "t",
      });
      const res = await h.trader.submit(buy("k-kill", { signalId: sig.id }));
      expect(res.outcome).toBe("blocked");
      expect(res.intent.status).toBe("BLOCKED");
      expect(res.intent.reasonCode).toBe("KILL_SWITCH");
      expect((await h.store.signals.get(sig.id))?.reasonCode).toBe("KILL_SWITCH");
      const ev = (await h.store.events.after(0, 1000)).filter((e) => e.kind === "intent.blocked");
      expect(JSON.stringify(ev.at(-1)?.payload)).toContain("KILL_SWITCH");
      expect(ledger(h.emu).length).toBe(before);
    } finally {
      await h.store.settings.set("kill_switch", false);
    }
  });

  it("an amount below the exchange's minimum value is rejected with 415 and recorded as that", async () => {
    const res = await driveWhile(h.time, h.trader.submit(buy("k-small", { amountUsd: dec("0.5") })));
    expect(res.outcome).toBe("failed");
    expect(res.intent.reasonCode).toBe("EXCHANGE_415");
    const ev = (await h.store.events.after(0, 1000)).filter((e) => e.kind === "order.rejected").at(-1);
    expect(ev?.payload).toMatchObject({ code: 415 });
    expect(JSON.stringify(ev?.payload)).not.toContain(`"category":"auth"`);
  });

  it("an exchange rejection is recorded by its code, not as auth", async () => {
    h.emu.admin.addFault({ kind: "error", code: 306, methods: ["private/create-order"], count: 1 });
    const res = await driveWhile(h.time, h.trader.submit(buy("k-306")));
    expect(res.outcome).toBe("failed");
    expect(res.intent.reasonCode).toBe("EXCHANGE_306");
    const [o] = await h.store.orders.listByIntent(res.intent.id);
    expect(o?.status).toBe("REJECTED");
    expect(o?.reason).toBe("306");
    const ev = (await h.store.events.after(0, 1000)).filter((e) => e.kind === "order.rejected").at(-1);
    expect(ev?.payload).toMatchObject({ code: 306, category: "insufficient_funds" });
  });
});
