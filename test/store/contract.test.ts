/**
 * The store's contract, run on both dialects (SQLite in a temporary directory, PostgreSQL in a
 * schema of its own): every repository, transaction semantics, the constraints that carry the
 * invariants, exact decimals, migrations and reopening. One store per dialect, emptied before each
 * test (a PostgreSQL migration from empty costs about a second; the suite stays fast).
 */
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import type { Fill as ExchangeFill, Order as ExchangeOrder } from "../../src/exchange/types.js";
import { StoreDataError, StoreInputError } from "../../src/store/errors.js";
import { internalsOf } from "../../src/store/internals.js";
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from "../../src/store/migrations/index.js";
import { StoreMisuseError } from "../../src/store/store.js";
import type { NewAttempt, NewIntent } from "../../src/store/types.js";
import { Throttle } from "../../src/strategy/throttle.js";
import { type Dec, dec } from "../../src/util/decimal.js";
import { exchangeOrder as baseOrder } from "../helpers/exchange-order.js";
import { DIALECTS, storePerSuite } from "./helpers.js";

const EXACT = ["0.00000001", "12345678901234567890.123456789", "-0.000123456789", "0", "1e-8"];
const ID19 = "6530219599901187233"; // a 19-digit exchange id: above 2^53, must stay a string

function intentInput(key: string, over: Partial<NewIntent> = {}): NewIntent {
  return {
    idempotencyKey: key,
    kind: "ENTRY",
    symbol: "BTC_USD",
    side: "BUY",
    mode: "LIVE",
    actor: "test",
    ...over,
  };
}

function attemptInput(intentId: string, attempt: number, over: Partial<NewAttempt> = {}): NewAttempt {
  return {
    intentId,
    attempt,
    clientOid: `atp-${intentId}-${attempt}`,
    symbol: "BTC_USD",
    side: "BUY",
    type: "MARKET",
    role: "ENTRY",
    mode: "LIVE",
    notional: dec("100"),
    ...over,
  };
}

function exchangeOrder(over: Partial<ExchangeOrder> = {}): ExchangeOrder {
  return baseOrder({
    orderId: ID19,
    clientOid: "atp-x",
    type: "MARKET",
    quantity: dec("0"),
    price: undefined,
    orderValue: dec("100"),
    ...over,
  });
}

function exchangeFill(tradeId: string, over: Partial<ExchangeFill> = {}): ExchangeFill {
  return {
    tradeId,
    orderId: ID19,
    clientOid: "atp-x",
    symbol: "BTC_USD",
    side: "BUY",
    price: dec("50000.5"),
    quantity: dec("0.00000001"),
    fee: dec("-0.000000001"),
    feeCurrency: "USD",
    liquidity: "MAKER",
    time: 2_000,
    ...over,
  };
}

const s = (d: Dec | undefined) => d?.toFixed();

describe.each(DIALECTS)("store contract: %s", (dialect) => {
  const fx = storePerSuite(dialect);

  describe("migrations and reopening", () => {
    it("migrates an empty database to the latest version, once", async () => {
      expect(fx.store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
      const rows = await internalsOf(fx.store).db.selectFrom("schema_migrations").selectAll().execute();
      expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
      const again = await fx.home.open(); // second open: nothing to apply
      expect(again.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
      await again.close();
    });

    it("reopening preserves data, decimals and ids exactly", async () => {
      const { intent } = (await fx.store.intents.create(
        intentInput("reopen", { amountUsd: dec(EXACT[1]!) }),
      )) as {
        intent: { id: string };
      };
      await fx.store.orders.applyExchange(exchangeOrder({ clientOid: "atp-reopen", fee: dec("-0.5") }));
      const other = await fx.home.open();
      expect(s((await other.intents.get(intent.id))?.amountUsd)).toBe(EXACT[1]);
      const o = await other.orders.findByExchangeId(ID19);
      expect(o?.exchangeOrderId).toBe(ID19);
      expect(s(o?.fee)).toBe("-0.5");
      await other.close();
    });
  });

  describe("watchlist", () => {
    it("inserts with safe defaults, updates only what is given, clears with null", async () => {
      const a = await fx.store.watchlist.upsert({ symbol: "ETH_USD" });
      expect(a).toMatchObject({
        alertsEnabled: false,
        tradeEnabled: false,
        amountUsd: undefined,
        overrides: {},
      });
      fx.home.clock.advance(1000);
      const b = await fx.store.watchlist.upsert({
        symbol: "ETH_USD",
        tradeEnabled: true,
        amountUsd: dec("25.5"),
        slPct: dec("2"),
      });
      expect(b.tradeEnabled).toBe(true);
      expect(b.updatedAt).toBe(a.createdAt + 1000);
      const c = await fx.store.watchlist.upsert({
        symbol: "ETH_USD",
        slPct: null,
        preset: "swing",
        overrides: { rsi: 30 },
      });
      expect(c).toMatchObject({
        tradeEnabled: true,
        slPct: undefined,
        preset: "swing",
        overrides: { rsi: 30 },
      });
      expect(s(c.amountUsd)).toBe("25.5");
      expect(await fx.store.watchlist.get("ETH_USD")).toEqual(c);
      await fx.store.watchlist.upsert({ symbol: "ADA_USD" });
      expect((await fx.store.watchlist.list()).map((w) => w.symbol)).toEqual(["ADA_USD", "ETH_USD"]);
      expect(await fx.store.watchlist.remove("ADA_USD")).toBe(true);
      expect(await fx.store.watchlist.remove("ADA_USD")).toBe(false);
    });
  });

  describe("settings", () => {
    it("returns defaults until set, then the stored value with decimals exact", async () => {
      const d = await fx.store.settings.get("limits");
      expect(d.source).toBe("default");
      const v = { ...d.value, maxUsdPerOrder: dec("0.00000001"), maxNotionalPerSymbolPerDay: dec(EXACT[1]!) };
      await fx.store.settings.set("limits", v);
      const r = await fx.store.settings.get("limits");
      expect(r.source).toBe("stored");
      expect(s(r.value.maxUsdPerOrder)).toBe("0.00000001");
      expect(s(r.value.maxNotionalPerSymbolPerDay)).toBe(EXACT[1]);
      const lp = await fx.store.settings.get("loss_protection");
      await fx.store.settings.set("loss_protection", {
        ...lp.value,
        dailyLossLimitUsd: dec("50"),
        dailyLossLimitPct: undefined,
      });
      const lp2 = (await fx.store.settings.get("loss_protection")).value;
      expect(s(lp2.dailyLossLimitUsd)).toBe("50");
      expect(lp2.dailyLossLimitPct).toBeUndefined();
    });

    it("refuses an invalid value on write and on read (naming the key)", async () => {
      const d = (await fx.store.settings.get("limits")).value;
      await expect(fx.store.settings.set("limits", { ...d, cooldownS: -1 })).rejects.toThrow(
        /settings\.limits: cooldownS/,
      );
      await internalsOf(fx.store)
        .db.insertInto("settings")
        .values({ key: "limits", value: '{"x":1}', updated_at: 1 })
        .execute();
      await expect(fx.store.settings.get("limits")).rejects.toBeInstanceOf(StoreDataError);
    });

    it("live trading fails closed: missing, invalid or unreadable means not live", async () => {
      expect(await fx.store.settings.liveTrading()).toEqual({ value: false, why: "missing" });
      await fx.store.settings.set("live_trading", true);
      expect(await fx.store.settings.liveTrading()).toEqual({ value: true, why: "stored" });
      await internalsOf(fx.store)
        .db.updateTable("settings")
        .set({ value: '"yes"' })
        .where("key", "=", "live_trading")
        .execute();
      expect(await fx.store.settings.liveTrading()).toMatchObject({ value: false, why: "invalid" });
      await internalsOf(fx.store)
        .db.updateTable("settings")
        .set({ value: "{not json" })
        .where("key", "=", "live_trading")
        .execute();
      expect(await fx.store.settings.liveTrading()).toMatchObject({ value: false, why: "invalid" });
      const closed = await fx.home.open();
      await closed.settings.set("live_trading", true);
      await closed.close();
      const r = await closed.settings.liveTrading();
      expect(r).toMatchObject({ value: false, why: "read_error" });
      expect(r.detail).toBeTruthy();
    });

    it("the kill switch fails safe: invalid or unreadable means engaged, missing means off", async () => {
      expect(await fx.store.settings.killSwitch()).toEqual({ value: false, why: "missing" });
      await internalsOf(fx.store)
        .db.insertInto("settings")
        .values({ key: "kill_switch", value: "1", updated_at: 1 })
        .execute();
      expect(await fx.store.settings.killSwitch()).toMatchObject({ value: true, why: "invalid" });
      const closed = await fx.home.open();
      await closed.close();
      expect(await closed.settings.killSwitch()).toMatchObject({ value: true, why: "read_error" });
    });

    it("a snapshot reads every setting at once, by the same rules, and fails closed when unreadable", async () => {
      await fx.store.settings.set("live_trading", true);
      const limits = { ...(await fx.store.settings.get("limits")).value, maxUsdPerOrder: dec("12.5") };
      await fx.store.settings.set("limits", limits);
      await internalsOf(fx.store)
        .db.insertInto("settings")
        .values({ key: "kill_switch", value: "1", updated_at: 1 })
        .execute();
      const snap = await fx.store.settings.snapshot();
      // a later write is not seen by a snapshot taken before it: one decision, one instant
      await fx.store.settings.set("live_trading", false);
      expect(snap.liveTrading).toEqual({ value: true, why: "stored" });
      expect(snap.killSwitch).toMatchObject({ value: true, why: "invalid" });
      expect(s(snap.get("limits").value.maxUsdPerOrder)).toBe("12.5");
      expect(snap.get("limits").source).toBe("stored");
      expect(snap.get("loss_protection")).toEqual(await fx.store.settings.get("loss_protection"));
      await internalsOf(fx.store)
        .db.insertInto("settings")
        .values({ key: "protection", value: '{"x":1}', updated_at: 1 })
        .execute();
      expect(snap.get("protection").source).toBe("default"); // the invalid row came after this read
      const later = await fx.store.settings.snapshot();
      expect(() => later.get("protection")).toThrow(StoreDataError);
      expect(later.liveTrading).toEqual({ value: false, why: "stored" });
      const closed = await fx.home.open();
      await closed.close();
      const broken = await closed.settings.snapshot();
      expect(broken.liveTrading).toMatchObject({ value: false, why: "read_error" });
      expect(broken.killSwitch).toMatchObject({ value: true, why: "read_error" });
      expect(() => broken.get("limits")).toThrow();
    });
  });

  describe("signals (inbox)", () => {
    it("inserts PENDING, claims in arrival order, updates status", async () => {
      for (const i of [1, 2, 3]) {
        fx.home.clock.advance(i === 2 ? 0 : 5); // two signals in one millisecond keep their order
        await fx.store.signals.insert({
          id: `sig-${i}`,
          symbol: "BTC_USD",
          side: "BUY",
          source: "engine",
          strategy: "swing",
          price: dec("1.5"),
          trace: { i },
        });
      }
      const claimed = await fx.store.signals.claimPending(2);
      expect(claimed.map((x) => x.id)).toEqual(["sig-1", "sig-2"]);
      expect(claimed[0]).toMatchObject({ status: "PENDING", trace: { i: 1 } });
      expect(s(claimed[0]!.price)).toBe("1.5");
      const u = await fx.store.signals.updateStatus("sig-1", { status: "BLOCKED", reasonCode: "COOLDOWN" });
      expect(u).toMatchObject({ status: "BLOCKED", reasonCode: "COOLDOWN" });
      expect((await fx.store.signals.claimPending(10)).map((x) => x.id)).toEqual(["sig-2", "sig-3"]);
      expect((await fx.store.signals.list({ symbol: "BTC_USD" })).map((x) => x.id)).toEqual([
        "sig-3",
        "sig-2",
        "sig-1",
      ]);
    });

    it("a signal decided in its transaction is stored with its outcome and is not in the inbox", async () => {
      const row = await fx.store.signals.insert({
        ...{ symbol: "BTC_USD", side: "BUY", source: "engine", strategy: "swing" },
        ...{ status: "BLOCKED", reasonCode: "COOLDOWN", intentId: "intent-x" },
      });
      expect(row).toMatchObject({ status: "BLOCKED", reasonCode: "COOLDOWN", intentId: "intent-x" });
      expect(await fx.store.signals.get(row.id)).toEqual(row);
      expect((await fx.store.signals.claimPending(10)).map((x) => x.id)).not.toContain(row.id);
    });

    it("two consumers claiming in transactions never get the same signal", async () => {
      for (let i = 0; i < 6; i++)
        await fx.store.signals.insert({ symbol: "BTC_USD", side: "BUY", source: "cli", strategy: "manual" });
      const consume = () =>
        fx.store.transaction(async (tx) => {
          const got = await tx.signals.claimPending(3);
          for (const g of got) await tx.signals.updateStatus(g.id, { status: "ACCEPTED" });
          return got.map((g) => g.id);
        });
      const [a, b] = await Promise.all([consume(), consume()]);
      expect(new Set([...a, ...b]).size).toBe(6);
    });
  });

  describe("intents", () => {
    it("one intent per idempotency key, even when created concurrently", async () => {
      const results = await Promise.all(
        [1, 2, 3, 4, 5].map(() => fx.store.intents.create(intentInput("dup"))),
      );
      const created = results.filter((r) => r.created);
      expect(created).toHaveLength(1);
      const id = created[0]!.created ? created[0]!.intent.id : "";
      for (const r of results) expect(r.created ? r.intent.id : r.existing.id).toBe(id);
      expect((await fx.store.intents.findByKey("dup"))?.id).toBe(id);
      expect(await fx.store.intents.listOpen()).toHaveLength(1);
    });

    it("create answers the row as stored (status, attempt and trace as given)", async () => {
      const r = await fx.store.intents.create({
        ...intentInput("as-stored"),
        status: "SUBMITTING",
        attempt: 1,
        amountUsd: dec("10.50"),
        guardTrace: { verdict: { ok: true }, notional: "10.5", at: dec("1.10") as unknown as string },
      });
      expect(r.created).toBe(true);
      const made = r.created ? r.intent : undefined;
      expect(made).toEqual(await fx.store.intents.get(made!.id));
      expect(made).toMatchObject({ status: "SUBMITTING", attempt: 1 });
      expect(await fx.store.intents.nextAttempt(made!.id)).toBe(2);
    });

    it("status moves are compare-and-set and final statuses never change", async () => {
      const r = await fx.store.intents.create(
        intentInput("cas", { amountUsd: dec("10"), guardTrace: { g: [] } }),
      );
      if (!r.created) throw new Error("not created");
      const id = r.intent.id;
      expect(r.intent).toMatchObject({ status: "NEW", attempt: 0, guardTrace: { g: [] } });
      expect(await fx.store.intents.transition(id, { to: "SUBMITTING", from: ["READY"] })).toMatchObject({
        ok: false,
      });
      const ready = await fx.store.intents.transition(id, {
        to: "READY",
        from: ["NEW"],
        guardTrace: { g: ["ok"] },
      });
      expect(ready).toMatchObject({ ok: true, intent: { status: "READY", guardTrace: { g: ["ok"] } } });
      for (const to of ["SUBMITTING", "PLACED", "DONE"] as const)
        expect((await fx.store.intents.transition(id, { to })).ok).toBe(true);
      const after = await fx.store.intents.transition(id, { to: "READY" });
      expect(after).toMatchObject({ ok: false, current: { status: "DONE" } });
      expect(await fx.store.intents.listOpen()).toEqual([]);
      expect(await fx.store.intents.transition("nope", { to: "READY" })).toEqual({
        ok: false,
        current: undefined,
      });
    });

    it("attempt numbers are handed out once each", async () => {
      const r = await fx.store.intents.create(intentInput("att"));
      const id = r.created ? r.intent.id : "";
      const got = await Promise.all([1, 2, 3, 4, 5].map(() => fx.store.intents.nextAttempt(id)));
      expect([...got].sort()).toEqual([1, 2, 3, 4, 5]);
      expect((await fx.store.intents.get(id))?.attempt).toBe(5);
    });
  });

  describe("orders", () => {
    async function intentId(key = "o"): Promise<string> {
      const r = await fx.store.intents.create(intentInput(key));
      return r.created ? r.intent.id : r.existing.id;
    }

    it("an attempt row is PENDING_SUBMIT; client_oid and exchange order id are unique", async () => {
      const iid = await intentId();
      const a = await fx.store.orders.insertAttempt(attemptInput(iid, 1, { clientOid: "atp-a1" }));
      expect(a).toMatchObject({
        status: "PENDING_SUBMIT",
        attempt: 1,
        external: false,
        raw: null,
        exchangeOrderId: undefined,
      });
      expect(s(a.filledQuantity)).toBe("0");
      await expect(
        fx.store.orders.insertAttempt(attemptInput(iid, 2, { clientOid: "atp-a1" })),
      ).rejects.toThrow();
      await fx.store.orders.applyExchange(exchangeOrder({ clientOid: "atp-a1", orderId: ID19 }));
      await fx.store.orders.insertAttempt(attemptInput(iid, 2, { clientOid: "atp-a2" }));
      await expect(
        fx.store.orders.applyExchange(exchangeOrder({ clientOid: "atp-a2", orderId: ID19 })),
      ).rejects.toThrow();
      expect((await fx.store.orders.findByClientOid("atp-a2"))?.exchangeOrderId).toBeUndefined();
      // two attempt rows may both still lack an exchange id (NULLs are not duplicates)
      await fx.store.orders.insertAttempt(attemptInput(iid, 3, { clientOid: "atp-a3" }));
      expect(await fx.store.orders.listByIntent(iid)).toHaveLength(3);
    });

    it("applies what the exchange says, by client_oid, keeping the raw object and exact values", async () => {
      const iid = await intentId();
      const a = await fx.store.orders.insertAttempt(attemptInput(iid, 1, { clientOid: "atp-f" }));
      fx.home.clock.advance(10);
      const filled = exchangeOrder({
        clientOid: "atp-f",
        status: "FILLED",
        filledQuantity: dec("0.00000001"),
        avgPrice: dec(EXACT[1]!),
        fee: dec("-0.000123456789"),
        feeCurrency: "USD",
        updateTime: 5_000,
      });
      const r = await fx.store.orders.applyExchange(filled);
      expect(r).toMatchObject({ inserted: false, changed: true, before: { status: "PENDING_SUBMIT" } });
      expect(r.order).toMatchObject({
        id: a.id,
        status: "FILLED",
        exchangeOrderId: ID19,
        exchangeTime: 5_000,
      });
      expect(s(r.order.filledQuantity)).toBe("0.00000001");
      expect(s(r.order.avgPrice)).toBe(EXACT[1]);
      expect(s(r.order.fee)).toBe("-0.000123456789");
      expect(s(r.order.notional)).toBe("100"); // kept from the attempt
      expect(r.order.raw).toMatchObject({ orderId: ID19, avgPrice: EXACT[1], fee: "-0.000123456789" });
      expect((await fx.store.orders.findByExchangeId(ID19))?.id).toBe(a.id);
    });

    it("never regresses: final stays final, filled never decreases, older updates change nothing", async () => {
      await fx.store.orders.applyExchange(
        exchangeOrder({ clientOid: "atp-r", status: "ACTIVE", filledQuantity: dec("2"), updateTime: 10 }),
      );
      const older = await fx.store.orders.applyExchange(
        exchangeOrder({ clientOid: "atp-r", status: "ACTIVE", filledQuantity: dec("3"), updateTime: 9 }),
      );
      expect(older.changed).toBe(false);
      const less = await fx.store.orders.applyExchange(
        exchangeOrder({ clientOid: "atp-r", filledQuantity: dec("1"), updateTime: 11 }),
      );
      expect(less.changed).toBe(false);
      await fx.store.orders.applyExchange(
        exchangeOrder({ clientOid: "atp-r", status: "FILLED", filledQuantity: dec("4"), updateTime: 12 }),
      );
      const back = await fx.store.orders.applyExchange(
        exchangeOrder({ clientOid: "atp-r", status: "ACTIVE", filledQuantity: dec("4"), updateTime: 13 }),
      );
      expect(back.changed).toBe(false);
      const o = await fx.store.orders.findByClientOid("atp-r");
      expect(o?.status).toBe("FILLED");
      expect(s(o?.filledQuantity)).toBe("4");
    });

    it("adopts an unknown exchange order (external by default, or as the caller says)", async () => {
      const ext = await fx.store.orders.applyExchange(
        exchangeOrder({ clientOid: "", orderId: "111", side: "SELL", type: "STOP_LIMIT", status: "PENDING" }),
      );
      expect(ext).toMatchObject({
        inserted: true,
        order: { external: true, role: "STOP_LOSS", clientOid: undefined, mode: "LIVE" },
      });
      const ext2 = await fx.store.orders.applyExchange(
        exchangeOrder({ clientOid: "", orderId: "112", side: "SELL", type: "LIMIT" }),
      );
      expect(ext2.order.role).toBe("EXIT"); // a second order without client_oid: NULLs do not collide
      const iid = await intentId();
      const ours = await fx.store.orders.applyExchange(
        exchangeOrder({ clientOid: "atp-ours", orderId: "113" }),
        {
          role: "ENTRY",
          mode: "DEMO",
          external: false,
          intentId: iid,
          attempt: 1,
        },
      );
      expect(ours.order).toMatchObject({
        external: false,
        role: "ENTRY",
        mode: "DEMO",
        intentId: iid,
        attempt: 1,
      });
      // matched by exchange id when the update carries no client_oid
      const upd = await fx.store.orders.applyExchange(
        exchangeOrder({ clientOid: "", orderId: "113", status: "CANCELED", updateTime: 2_000 }),
      );
      expect(upd).toMatchObject({
        inserted: false,
        order: { id: ours.order.id, status: "CANCELED", clientOid: "atp-ours" },
      });
      // the connector's parser never produces such an order; the store refuses it all the same
      const weird = exchangeOrder({ clientOid: "x" });
      Object.assign(weird, { status: "WEIRD" });
      await expect(fx.store.orders.applyExchange(weird)).rejects.toBeInstanceOf(StoreDataError);
    });

    it("links, local statuses, lists by OCO list, lot and non-final", async () => {
      const iid = await intentId();
      const lot = await fx.store.lots.create({ symbol: "BTC_USD", mode: "LIVE", quantity: dec("1") });
      const entry = await fx.store.orders.insertAttempt(attemptInput(iid, 1, { clientOid: "atp-e" }));
      const tp = await fx.store.orders.insertAttempt(
        attemptInput(iid, 1, {
          clientOid: "atp-tp",
          role: "TAKE_PROFIT",
          type: "LIMIT",
          side: "SELL",
          parentId: entry.id,
          lotId: lot.id,
          price: dec("2"),
        }),
      );
      const sl = await fx.store.orders.insertAttempt(
        attemptInput(iid, 1, {
          clientOid: "atp-sl",
          role: "STOP_LOSS",
          type: "STOP_LIMIT",
          side: "SELL",
          refPrice: dec("0.9"),
        }),
      );
      await fx.store.orders.link(sl.id, { listId: "L1", lotId: lot.id, parentId: entry.id });
      await fx.store.orders.link(tp.id, { listId: "L1" });
      expect((await fx.store.orders.listByListId("L1")).map((o) => o.id).sort()).toEqual(
        [tp.id, sl.id].sort(),
      );
      expect((await fx.store.orders.listByLot(lot.id)).map((o) => o.id).sort()).toEqual(
        [tp.id, sl.id].sort(),
      );
      expect((await fx.store.orders.setStatus(entry.id, "UNKNOWN", "timeout"))?.status).toBe("UNKNOWN");
      await fx.store.orders.setStatus(tp.id, "CANCELED");
      expect((await fx.store.orders.listNonFinal()).map((o) => o.id).sort()).toEqual(
        [entry.id, sl.id].sort(),
      );
      await expect(fx.store.orders.link(sl.id, { lotId: "no-such-lot" })).rejects.toThrow(); // foreign key
    });

    it("pages newest first by (created_at, id) with filters and a cursor", async () => {
      const iid = await intentId();
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) {
        if (i !== 3) fx.home.clock.advance(1); // orders 2 and 3 share a millisecond
        const o = await fx.store.orders.insertAttempt(
          attemptInput(iid, i + 1, {
            clientOid: `atp-p${i}`,
            symbol: i % 2 ? "ETH_USD" : "BTC_USD",
            role: i === 6 ? "EXIT" : "ENTRY",
          }),
        );
        ids.push(o.id);
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const p = await fx.store.orders.page({ limit: 3, cursor });
        seen.push(...p.items.map((o) => o.id));
        cursor = p.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual([...ids].reverse());
      expect((await fx.store.orders.page({ symbol: "ETH_USD" })).items).toHaveLength(3);
      expect((await fx.store.orders.page({ role: "EXIT" })).items.map((o) => o.id)).toEqual([ids[6]]);
      await fx.store.orders.setStatus(ids[0]!, "FILLED");
      expect((await fx.store.orders.page({ status: ["FILLED", "CANCELED"] })).items.map((o) => o.id)).toEqual(
        [ids[0]],
      );
      expect((await fx.store.orders.page({ status: [] })).items).toEqual([]);
      await expect(fx.store.orders.page({ cursor: "garbage" })).rejects.toBeInstanceOf(StoreInputError);
      await expect(fx.store.orders.page({ limit: 0 })).rejects.toBeInstanceOf(StoreInputError);
    });
  });

  describe("orders: what the pace guards read", () => {
    it("entry values since an instant: ENTRY, one symbol and mode, not REJECTED, newest first, exact", async () => {
      const r = await fx.store.intents.create(intentInput("values"));
      const iid = r.created ? r.intent.id : r.existing.id;
      const made: string[] = [];
      const add = async (n: number, o: Partial<Parameters<typeof attemptInput>[2]>) => {
        fx.home.clock.advance(10);
        const a = await fx.store.orders.insertAttempt(attemptInput(iid, n, { clientOid: `atp-v${n}`, ...o }));
        made.push(a.id);
        return a;
      };
      await add(1, {}); // before `since`
      const since = fx.home.clock.now() + 1;
      await add(2, { notional: dec("10.25") });
      await add(3, { symbol: "ETH_USD" });
      await add(4, { role: "EXIT" });
      const rejected = await add(5, {});
      await fx.store.orders.setStatus(rejected.id, "REJECTED", "213");
      await add(6, { quantity: dec("0.001"), price: dec("65000.5") });
      const got = await fx.store.orders.entryValuesSince({ symbol: "BTC_USD", mode: "LIVE", since });
      expect(got.map((v) => v.createdAt)).toEqual([since + 49, since + 9]);
      expect(s(got[1]!.notional)).toBe("10.25");
      expect([s(got[0]!.quantity), s(got[0]!.price)]).toEqual(["0.001", "65000.5"]);
      expect(await fx.store.orders.entryValuesSince({ symbol: "BTC_USD", mode: "DRY_RUN", since })).toEqual(
        [],
      );
    });
  });

  describe("fills", () => {
    it("stores a trade once, exactly, with negative fees", async () => {
      const first = await fx.store.fills.insert(exchangeFill("T1"), "LIVE");
      expect(first.inserted).toBe(true);
      const again = await fx.store.fills.insert(exchangeFill("T1", { price: dec("1") }), "LIVE");
      expect(again.inserted).toBe(false);
      expect(s(again.fill.price)).toBe("50000.5");
      expect(s(again.fill.fee)).toBe("-0.000000001");
      expect(s(again.fill.quantity)).toBe("0.00000001");
      await fx.store.fills.insert(
        exchangeFill("T2", { time: 3_000, liquidity: undefined, clientOid: undefined }),
        "DRY_RUN",
      );
      expect((await fx.store.fills.listByOrder(ID19)).map((f) => f.tradeId)).toEqual(["T1", "T2"]);
      expect(
        (await fx.store.fills.list({ since: 2_500 })).map((f) => [f.tradeId, f.mode, f.liquidity]),
      ).toEqual([["T2", "DRY_RUN", undefined]]);
    });
  });

  describe("lots", () => {
    it("creates, updates compare-and-set, lists open, unprotected and recently closed", async () => {
      const a = await fx.store.lots.create({
        symbol: "BTC_USD",
        mode: "LIVE",
        quantity: dec("0.5"),
        entryPrice: dec(EXACT[1]!),
        protectDeadline: 99,
      });
      expect(a).toMatchObject({ status: "OPENING", protection: "NONE", protectDeadline: 99 });
      expect(s(a.openQuantity)).toBe("0.5");
      const b = await fx.store.lots.create({
        symbol: "ETH_USD",
        mode: "LIVE",
        quantity: dec("2"),
        status: "OPEN",
        protection: "PROTECTED",
      });
      expect(await fx.store.lots.update(a.id, { status: "CLOSED" }, ["OPEN"])).toBeUndefined();
      const u = await fx.store.lots.update(
        a.id,
        { status: "OPEN", protection: "PENDING", slPrice: dec("0.1"), ocoListId: "L" },
        ["OPENING"],
      );
      expect(u).toMatchObject({ status: "OPEN", protection: "PENDING", ocoListId: "L" });
      expect((await fx.store.lots.listOpen()).map((l) => l.id)).toEqual([a.id, b.id]);
      expect((await fx.store.lots.listUnprotected()).map((l) => l.id)).toEqual([a.id]);
      fx.home.clock.advance(1000);
      const closedAt = fx.home.clock.now();
      await fx.store.lots.update(a.id, {
        status: "CLOSED",
        closedAt,
        exitReason: "STOP_LOSS",
        realisedPnl: dec("-12.000000001"),
        fees: dec("0.01"),
        slPrice: null,
        openQuantity: dec("0"),
      });
      const closed = await fx.store.lots.closedSince(closedAt, { exitReason: "STOP_LOSS" });
      expect(closed.map((l) => l.id)).toEqual([a.id]);
      expect(s(closed[0]!.realisedPnl)).toBe("-12.000000001");
      expect(closed[0]!.slPrice).toBeUndefined();
      expect(await fx.store.lots.closedSince(closedAt + 1)).toEqual([]);
      expect((await fx.store.lots.listOpen({ symbol: "ETH_USD" })).map((l) => l.id)).toEqual([b.id]);
    });

    it("open lots and lots closed since an instant in one read: what listOpen and closedSince give", async () => {
      const open = async (symbol: string, mode: "LIVE" | "DRY_RUN") => {
        const l = await fx.store.lots.create({ symbol, mode, quantity: dec("1"), status: "OPEN" });
        fx.home.clock.advance(10);
        return l;
      };
      const close = async (id: string, reason: "STOP_LOSS" | "TAKE_PROFIT") => {
        await fx.store.lots.update(id, {
          ...{ status: "CLOSED", closedAt: fx.home.clock.now(), exitReason: reason },
          openQuantity: dec("0"),
        });
        fx.home.clock.advance(10);
      };
      const old = await open("BTC_USD", "LIVE");
      await close(old.id, "STOP_LOSS");
      const since = fx.home.clock.now();
      const a = await open("BTC_USD", "LIVE");
      const b = await open("ETH_USD", "LIVE");
      const dry = await open("BTC_USD", "DRY_RUN");
      const c = await open("SOL_USD", "LIVE");
      await close(b.id, "TAKE_PROFIT");
      await close(a.id, "STOP_LOSS");
      await close(dry.id, "STOP_LOSS");
      const both = await fx.store.lots.openAndClosedSince(since, { mode: "LIVE" });
      expect(both.open).toEqual(await fx.store.lots.listOpen({ mode: "LIVE" }));
      expect(both.closed).toEqual(await fx.store.lots.closedSince(since, { mode: "LIVE" }));
      expect(both.open.map((l) => l.id)).toEqual([c.id]);
      expect(both.closed.map((l) => l.id)).toEqual([b.id, a.id]); // oldest closed first; `old` before `since`
      const all = await fx.store.lots.openAndClosedSince(0);
      expect(all.closed.map((l) => l.id)).toEqual([old.id, b.id, a.id, dry.id]);
    });
  });

  describe("diagnosis reports and auth incidents", () => {
    it("stores a report and an incident through its probes to its close", async () => {
      const rep = await fx.store.reports.insert({
        trigger: "auth:40101",
        context: { method: "private/create-order" },
        verdict: "bad key",
        topCause: "KEY_REVOKED",
        report: { checks: [1, 2] },
      });
      expect(await fx.store.reports.get(rep.id)).toEqual(rep);
      expect((await fx.store.reports.list()).map((r) => r.id)).toEqual([rep.id]);
      const inc = await fx.store.incidents.open({
        method: "private/create-order",
        code: 40101,
        category: "auth",
        nextProbeAt: 60_000,
      });
      expect(await fx.store.incidents.current()).toEqual(inc);
      await fx.store.incidents.setDiagnosis(inc.id, rep.id);
      const p = await fx.store.incidents.recordProbe(inc.id, 120_000);
      expect(p).toMatchObject({ probes: 1, nextProbeAt: 120_000, diagnosisId: rep.id });
      const c = await fx.store.incidents.close(inc.id);
      expect(c?.closedAt).toBe(fx.home.clock.now());
      expect(await fx.store.incidents.current()).toBeUndefined();
      expect(await fx.store.incidents.list()).toHaveLength(1);
    });
  });

  describe("events, outbox, audit", () => {
    it("events are appended in order and read after a sequence number", async () => {
      const base = await fx.store.events.lastSeq();
      const a = await fx.store.events.append({
        kind: "order.placed",
        symbol: "BTC_USD",
        payload: { n: "1.10" },
      });
      const b = await fx.store.events.append({ kind: "lot.closed" });
      expect(b.seq).toBeGreaterThan(a.seq);
      expect(a.seq).toBeGreaterThan(base);
      expect(await fx.store.events.after(a.seq - 1)).toEqual([a, b]);
      expect(await fx.store.events.after(a.seq, 1)).toEqual([b]);
      expect(b).toMatchObject({ symbol: undefined, payload: null });
      expect(await fx.store.events.lastSeq()).toBe(b.seq);
    });

    it("the outbox deduplicates, hands out due messages, records sends and failures", async () => {
      const m = await fx.store.outbox.enqueue({
        dedupKey: "k1",
        channel: "telegram",
        payload: { text: "hi" },
      });
      expect(m.created).toBe(true);
      expect(
        (await fx.store.outbox.enqueue({ dedupKey: "k1", channel: "telegram", payload: { text: "again" } }))
          .created,
      ).toBe(false);
      await fx.store.outbox.enqueue({
        dedupKey: "k2",
        channel: "telegram",
        payload: 2,
        nextAt: fx.home.clock.now() + 10_000,
      });
      expect((await fx.store.outbox.due(fx.home.clock.now())).map((x) => x.dedupKey)).toEqual(["k1"]);
      await fx.store.outbox.markFailed(m.message.id, fx.home.clock.now() + 5);
      expect(await fx.store.outbox.due(fx.home.clock.now())).toEqual([]);
      expect(
        (await fx.store.outbox.due(fx.home.clock.now() + 5)).map((x) => [x.dedupKey, x.attempts]),
      ).toEqual([["k1", 1]]);
      await fx.store.outbox.markSent(m.message.id);
      expect(await fx.store.outbox.get(m.message.id)).toMatchObject({
        state: "SENT",
        attempts: 2,
        sentAt: fx.home.clock.now(),
      });
      const k2 = (await fx.store.outbox.list()).find((x) => x.dedupKey === "k2")!;
      await fx.store.outbox.markFailed(k2.id, undefined);
      expect((await fx.store.outbox.get(k2.id))?.state).toBe("FAILED");
    });

    it("the audit log keeps actor, before and after", async () => {
      const e = await fx.store.audit.append({
        actor: "reconciler",
        action: "order.resolved",
        entity: "order",
        entityId: "o1",
        before: { status: "ACTIVE" },
        after: { status: "FILLED" },
      });
      await fx.store.audit.append({
        actor: "operator:cli",
        action: "settings.set",
        entity: "settings",
        entityId: "kill_switch",
        before: false,
        after: true,
      });
      expect(await fx.store.audit.list({ entity: "order", entityId: "o1" })).toEqual([e]);
      expect((await fx.store.audit.list()).map((x) => x.actor)).toEqual(["operator:cli", "reconciler"]);
      expect((await fx.store.audit.list({ actor: "operator:cli" }))[0]).toMatchObject({
        before: false,
        after: true,
      });
    });
  });

  describe("throttle", () => {
    it("implements ThrottleStore: a restarted throttle does not re-alert", async () => {
      const t = await Throttle.open(fx.store.throttle, 60_000);
      const req = {
        symbol: "BTC_USD",
        strategy: "swing",
        side: "BUY" as const,
        price: 0.1 + 0.2,
        now: 1_000,
        configHash: "h",
        minPriceChangePct: 1,
      };
      await t.admit(req).saved;
      await fx.store.throttle.save({ ...req, side: "SELL", at: 5, price: 3 });
      await fx.store.throttle.save({ ...req, side: "SELL", at: 6, price: 4 }); // replaces its key
      const loaded = await fx.store.throttle.load();
      expect(loaded).toHaveLength(2);
      expect(loaded.find((r) => r.side === "BUY")?.price).toBe(0.1 + 0.2); // exact round trip
      expect(loaded.find((r) => r.side === "SELL")).toMatchObject({ at: 6, price: 4 });
      const restarted = await Throttle.open(fx.store.throttle, 60_000);
      expect(restarted.check({ ...req, now: 2_000 }).code).toBe("THROTTLED_TIME_GATE");
    });
  });

  describe("transactions", () => {
    it("commit keeps every write; a throw rolls every write back", async () => {
      const write = (key: string, fail: boolean) =>
        fx.store.transaction(async (tx) => {
          const r = await tx.intents.create(intentInput(key));
          const id = r.created ? r.intent.id : "";
          await tx.orders.insertAttempt(
            attemptInput(id, await tx.intents.nextAttempt(id), { clientOid: `atp-${key}` }),
          );
          await tx.events.append({ kind: "intent.created", payload: { key } });
          await tx.audit.append({
            actor: "t",
            action: "a",
            entity: "intent",
            entityId: id,
            before: null,
            after: null,
          });
          if (fail) throw new Error("boom");
          return id;
        });
      const id = await write("commit", false);
      expect((await fx.store.intents.get(id))?.attempt).toBe(1);
      expect(await fx.store.orders.findByClientOid("atp-commit")).toBeDefined();
      const seq = await fx.store.events.lastSeq();
      await expect(write("rollback", true)).rejects.toThrow("boom");
      expect(await fx.store.intents.findByKey("rollback")).toBeUndefined();
      expect(await fx.store.orders.findByClientOid("atp-rollback")).toBeUndefined();
      expect(await fx.store.events.lastSeq()).toBe(seq);
      expect(await fx.store.audit.list()).toHaveLength(1);
    });

    it("onEvent subscribers write in the appending transaction: they commit and roll back with it", async () => {
      const off = fx.store.onEvent(async (tx, event) => {
        await tx.outbox.enqueue({
          dedupKey: `event:${event.seq}`,
          channel: "telegram",
          payload: { kind: event.kind },
        });
      });
      try {
        const kept = await fx.store.transaction((tx) => tx.events.append({ kind: "kept" }));
        expect((await fx.store.outbox.list()).map((m) => m.dedupKey)).toEqual([`event:${kept.seq}`]);
        await expect(
          fx.store.transaction(async (tx) => {
            await tx.events.append({ kind: "dropped" });
            throw new Error("after the event");
          }),
        ).rejects.toThrow("after the event");
        expect(await fx.store.outbox.list()).toHaveLength(1);
        // outside a transaction the append opens one for the event and its subscribers
        const alone = await fx.store.events.append({ kind: "alone" });
        expect((await fx.store.outbox.list()).map((m) => m.dedupKey)).toContain(`event:${alone.seq}`);
      } finally {
        off();
      }
      const failing = fx.store.onEvent(() => {
        throw new Error("subscriber failed");
      });
      try {
        const before = await fx.store.events.lastSeq();
        await expect(fx.store.events.append({ kind: "x" })).rejects.toThrow("subscriber failed");
        expect(await fx.store.events.lastSeq()).toBe(before);
      } finally {
        failing();
      }
      await fx.store.events.append({ kind: "after unsubscribe" }); // no subscriber left
      expect(await fx.store.outbox.list()).toHaveLength(2);
    });

    it('a "with-next" commit is there at once; the commits after it are flushed on their own again', async () => {
      const flushLevel = async () =>
        dialect === "sqlite"
          ? String(
              (await sql<{ synchronous: number }>`pragma synchronous`.execute(internalsOf(fx.store).db))
                .rows[0]?.synchronous,
            )
          : (
              await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(
                internalsOf(fx.store).db,
              )
            ).rows[0]?.synchronous_commit;
      const durable = dialect === "sqlite" ? "2" : "on"; // SQLite FULL; PostgreSQL on
      const r = await fx.store.transaction((tx) => tx.intents.create(intentInput("deferred")), {
        durability: "with-next",
      });
      expect(r.created).toBe(true);
      expect((await fx.store.intents.findByKey("deferred"))?.status).toBe("NEW");
      expect(await flushLevel()).toBe(durable);
      await expect(
        fx.store.transaction(
          async (tx) => {
            await tx.intents.create(intentInput("deferred-fails"));
            throw new Error("rolled back");
          },
          { durability: "with-next" },
        ),
      ).rejects.toThrow("rolled back");
      expect(await fx.store.intents.findByKey("deferred-fails")).toBeUndefined();
      expect(await flushLevel()).toBe(durable);
    });

    it("nested transactions join; the store itself inside a transaction is refused", async () => {
      await expect(
        fx.store.transaction(async (tx) => {
          await tx.transaction((inner) => inner.watchlist.upsert({ symbol: "N_USD" }));
          throw new Error("outer fails");
        }),
      ).rejects.toThrow("outer fails");
      expect(await fx.store.watchlist.get("N_USD")).toBeUndefined();
      await expect(fx.store.transaction(() => fx.store.watchlist.list())).rejects.toBeInstanceOf(
        StoreMisuseError,
      );
      await expect(fx.store.transaction(() => fx.store.transaction(async () => 1))).rejects.toBeInstanceOf(
        StoreMisuseError,
      );
      expect(await fx.store.watchlist.list()).toEqual([]); // the fx.store works again afterwards
    });
  });

  describe("exact decimals", () => {
    it.each(EXACT)("%s round-trips through a money column", async (text) => {
      const w = await fx.store.watchlist.upsert({ symbol: "D_USD", amountUsd: dec(text) });
      expect(s(w.amountUsd)).toBe(dec(text).toFixed());
      expect(s((await fx.store.watchlist.get("D_USD"))?.amountUsd)).toBe(dec(text).toFixed());
    });
  });
});
