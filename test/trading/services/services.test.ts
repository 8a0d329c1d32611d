/** TradingServices on both dialects: reads, audited changes (one transaction), the submit hook. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "../../../src/store/types.js";
import { TradingServices } from "../../../src/trading/services/index.js";
import { dec } from "../../../src/util/decimal.js";
import { DIALECTS, resetStore, type StoreHome, storeHome } from "../../store/helpers.js";

describe.each(DIALECTS)("trading services on %s", (dialect) => {
  let home: StoreHome;
  let store: Store;
  let svc: TradingServices;
  beforeAll(async () => {
    home = await storeHome(dialect);
    store = await home.open();
    svc = new TradingServices({ store });
  });
  afterAll(() => home.dispose());
  beforeEach(() => resetStore(store));

  async function order(
    key: string,
    o: {
      symbol?: string;
      status?: "FILLED" | "NEW";
      lotId?: string;
      role?: "ENTRY" | "TAKE_PROFIT" | "STOP_LOSS";
    } = {},
  ) {
    home.clock.advance(1000);
    const r = await store.intents.create({
      idempotencyKey: key,
      kind: "ENTRY",
      symbol: o.symbol ?? "BTC_USD",
      side: "BUY",
      mode: "DRY_RUN",
      actor: "engine",
    });
    if (!r.created) throw new Error("dup");
    const a = await store.orders.insertAttempt({
      intentId: r.intent.id,
      attempt: 1,
      clientOid: `atp-${key}`,
      symbol: o.symbol ?? "BTC_USD",
      side: o.role && o.role !== "ENTRY" ? "SELL" : "BUY",
      type: o.role === "TAKE_PROFIT" ? "LIMIT" : "MARKET",
      role: o.role ?? "ENTRY",
      mode: "DRY_RUN",
      notional: dec("50"),
      lotId: o.lotId,
    });
    if (o.status) await store.orders.setStatus(a.id, o.status);
    return a;
  }

  it("listOrders: newest first, --open keeps non-final ones, by symbol, paged", async () => {
    await order("a", { status: "FILLED" });
    await order("b");
    await order("c", { symbol: "ETH_USD", status: "NEW" });
    expect((await svc.listOrders()).items.map((o) => o.clientOid)).toEqual(["atp-c", "atp-b", "atp-a"]);
    expect((await svc.listOrders({ open: true })).items.map((o) => o.clientOid)).toEqual(["atp-c", "atp-b"]);
    expect((await svc.listOrders({ symbol: "BTC_USD" })).items.map((o) => o.clientOid)).toEqual([
      "atp-b",
      "atp-a",
    ]);
    const p1 = await svc.listOrders({ limit: 2 });
    expect(p1.items).toHaveLength(2);
    const p2 = await svc.listOrders({ limit: 2, cursor: p1.nextCursor! });
    expect(p2.items.map((o) => o.clientOid)).toEqual(["atp-a"]);
    expect(p2.nextCursor).toBeUndefined();
  });

  it("listPositions: lots with their legs and P&L; open only on request", async () => {
    const open = await store.lots.create({
      symbol: "BTC_USD",
      mode: "DRY_RUN",
      status: "OPEN",
      quantity: dec("0.001"),
    });
    await order("e", { lotId: open.id, status: "FILLED" });
    await order("tp", { lotId: open.id, role: "TAKE_PROFIT", status: "NEW" });
    await order("sl", { lotId: open.id, role: "STOP_LOSS", status: "NEW" });
    const closed = await store.lots.create({
      symbol: "ETH_USD",
      mode: "LIVE",
      status: "OPEN",
      quantity: dec("1"),
    });
    await store.lots.update(closed.id, {
      status: "CLOSED",
      realisedPnl: dec("-1.25"),
      exitReason: "STOP_LOSS",
      closedAt: home.clock.now(),
    });
    const all = await svc.listPositions();
    expect(all.map((p) => [p.lot.symbol, p.lot.status, p.lot.realisedPnl.toFixed()])).toEqual([
      ["BTC_USD", "OPEN", "0"],
      ["ETH_USD", "CLOSED", "-1.25"],
    ]);
    expect(all[0]?.takeProfit?.clientOid).toBe("atp-tp");
    expect(all[0]?.stopLoss?.clientOid).toBe("atp-sl");
    expect(all[0]?.orders.map((o) => o.role)).toEqual(["ENTRY", "TAKE_PROFIT", "STOP_LOSS"]);
    expect((await svc.listPositions({ open: true })).map((p) => p.lot.id)).toEqual([open.id]);
    expect((await svc.listPositions({ symbol: "ETH_USD" })).map((p) => p.lot.id)).toEqual([closed.id]);
  });

  it("switch changes are audited with actor, before and after, with an event", async () => {
    expect((await svc.getSettings()).killSwitch).toEqual({ value: false, why: "missing" });
    await svc.setKillSwitch(true, "operator:cli");
    await svc.setLiveTrading(true, "operator:api:ana");
    const s = await svc.getSettings();
    expect(s.killSwitch).toEqual({ value: true, why: "stored" });
    expect(s.liveTrading).toEqual({ value: true, why: "stored" });
    expect(s.limits.source).toBe("default");
    const audit = await store.audit.list({ entity: "settings" });
    expect(audit.map((a) => [a.actor, a.entityId, a.before, a.after])).toEqual([
      ["operator:api:ana", "live_trading", null, true],
      ["operator:cli", "kill_switch", null, true],
    ]);
    await svc.setKillSwitch(false, "operator:cli");
    expect((await store.audit.list({ entityId: "kill_switch", limit: 1 }))[0]).toMatchObject({
      before: true,
      after: false,
    });
    const events = await store.events.after(0);
    expect(events.map((e) => e.kind)).toEqual(["settings.changed", "settings.changed", "settings.changed"]);
    expect(events[0]?.payload).toEqual({
      key: "kill_switch",
      actor: "operator:cli",
      before: null,
      after: true,
    });
  });

  it("watchlist upsert and removal are audited (money as decimal strings); removing nothing audits nothing", async () => {
    await svc.upsertWatchlist(
      { symbol: "BTC_USD", tradeEnabled: true, amountUsd: dec("25.50") },
      "operator:cli",
    );
    await svc.upsertWatchlist({ symbol: "BTC_USD", amountUsd: dec("30") }, "operator:cli");
    expect(await svc.removeWatchlist("BTC_USD", "operator:cli")).toBe(true);
    expect(await svc.removeWatchlist("BTC_USD", "operator:cli")).toBe(false);
    const audit = (await store.audit.list({ entity: "watchlist" })).reverse();
    expect(audit.map((a) => a.action)).toEqual(["watchlist.upsert", "watchlist.upsert", "watchlist.remove"]);
    expect(audit[0]?.before).toBeNull();
    expect(audit[0]?.after).toMatchObject({ symbol: "BTC_USD", tradeEnabled: true, amountUsd: "25.5" });
    expect(audit[1]?.before).toMatchObject({ amountUsd: "25.5" });
    expect(audit[1]?.after).toMatchObject({ amountUsd: "30" });
    expect(audit[2]).toMatchObject({ before: { amountUsd: "30" }, after: null });
    expect((await store.events.after(0)).map((e) => [e.kind, e.symbol])).toEqual([
      ["watchlist.changed", "BTC_USD"],
      ["watchlist.changed", "BTC_USD"],
      ["watchlist.changed", "BTC_USD"],
    ]);
  });

  it("the change, its audit entry and its event commit together: a failing event subscriber rolls all back", async () => {
    const off = store.onEvent(() => {
      throw new Error("subscriber down");
    });
    try {
      await expect(svc.setKillSwitch(true, "operator:cli")).rejects.toThrow("subscriber down");
      await expect(svc.upsertWatchlist({ symbol: "ETH_USD" }, "operator:cli")).rejects.toThrow();
    } finally {
      off();
    }
    expect((await svc.getSettings()).killSwitch.why).toBe("missing");
    expect(await store.watchlist.get("ETH_USD")).toBeUndefined();
    expect(await store.audit.list()).toEqual([]);
    expect(await store.events.lastSeq()).toBe(0);
  });

  it("manual orders go to the injected submit; without one they are refused", async () => {
    await expect(
      svc.submitManualOrder({ symbol: "BTC_USD", side: "BUY", actor: "operator:cli" }),
    ).rejects.toThrow(/no Trader/);
    const seen: unknown[] = [];
    const withTrader = new TradingServices({
      store,
      submit: async (req: { symbol: string; side: "BUY" | "SELL"; actor: string }) => {
        seen.push(req);
        return { status: "placed" as const };
      },
    });
    expect(withTrader.canSubmit).toBe(true);
    expect(
      await withTrader.submitManualOrder({ symbol: "BTC_USD", side: "BUY", actor: "operator:cli" }),
    ).toEqual({ status: "placed" });
    expect(seen).toHaveLength(1);
  });
});
