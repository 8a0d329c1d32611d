/**
 * The store's read side for the API, on both dialects: migration 003's (status, created_at, id)
 * index; order listings (the same pages as `orders.page`, the listed columns only, money as the
 * exact text `Dec.toFixed()` gives, even for non-canonical stored text); the legs of many lots in one
 * query; and `writeVersion`, which moves after every committed write to a table and only then.
 */
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import type { Order as ExchangeOrder } from "../../src/exchange/types.js";
import { StoreInputError } from "../../src/store/errors.js";
import { internalsOf } from "../../src/store/internals.js";
import { LATEST_SCHEMA_VERSION } from "../../src/store/migrations/index.js";
import type { Lot, OrderRecord } from "../../src/store/types.js";
import { dec } from "../../src/util/decimal.js";
import { exchangeOrder as baseOrder } from "../helpers/exchange-order.js";
import { DIALECTS, storePerSuite } from "./helpers.js";

function exchangeOrder(n: number, over: Partial<ExchangeOrder> = {}): ExchangeOrder {
  return baseOrder({
    orderId: `65302195999011${String(n).padStart(5, "0")}`,
    clientOid: `atp-l${n}`,
    symbol: n % 2 ? "ETH_USD" : "BTC_USD",
    quantity: dec("0.00012345678901234567"),
    price: dec("64000.5"),
    orderValue: dec("10"),
    fee: dec("-0.0000001"),
    feeCurrency: "USD",
    createTime: 1_000 + n,
    updateTime: 1_000 + n,
    ...over,
  });
}

/** The listing an OrderRecord should give: every listed field, money through Dec.toFixed(). */
function expectedListing(o: OrderRecord) {
  const t = (d: { toFixed(): string } | undefined) => d?.toFixed();
  return {
    id: o.id,
    intentId: o.intentId,
    clientOid: o.clientOid,
    exchangeOrderId: o.exchangeOrderId,
    listId: o.listId,
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    role: o.role,
    parentId: o.parentId,
    lotId: o.lotId,
    status: o.status,
    quantity: t(o.quantity),
    notional: t(o.notional),
    price: t(o.price),
    refPrice: t(o.refPrice),
    filledQuantity: o.filledQuantity.toFixed(),
    avgPrice: t(o.avgPrice),
    fee: o.fee.toFixed(),
    feeCurrency: o.feeCurrency,
    reason: o.reason,
    mode: o.mode,
    external: o.external,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  };
}

describe.each(DIALECTS)("store read side for the API: %s", (dialect) => {
  const t = storePerSuite(dialect);

  it("migration 003 indexes orders by (status, created_at, id)", async () => {
    expect(LATEST_SCHEMA_VERSION).toBeGreaterThanOrEqual(3);
    expect(t.store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    const { db } = internalsOf(t.store);
    if (dialect === "sqlite") {
      const cols = await sql<{
        name: string;
      }>`select name from pragma_index_info('orders_status_created')`.execute(db);
      expect(cols.rows.map((r) => r.name)).toEqual(["status", "created_at", "id"]);
      const plan = await sql<{ detail: string }>`explain query plan
        select id from orders where status in ('ACTIVE', 'PENDING') order by created_at desc, id desc limit 201`.execute(
        db,
      );
      expect(plan.rows.map((r) => r.detail).join("; ")).toContain("orders_status_created");
    } else {
      const def = await sql<{ indexdef: string }>`select indexdef from pg_indexes
        where schemaname = current_schema() and indexname = 'orders_status_created'`.execute(db);
      expect(def.rows[0]?.indexdef).toMatch(/\(status, created_at, id\)/);
    }
  });

  it("listing pages are the pages of orders.page, money as Dec.toFixed() text, cursors shared", async () => {
    for (let n = 0; n < 9; n++) {
      t.home.clock.advance(1);
      await t.store.orders.applyExchange(
        exchangeOrder(
          n,
          n % 3 === 0 ? { status: "FILLED", filledQuantity: dec("0.00012345678901234567") } : {},
        ),
        { role: "ENTRY", mode: "DEMO", external: false },
      );
    }
    for (const filter of [
      { limit: 4 },
      { status: ["ACTIVE", "PENDING"] as const, limit: 200 },
      { status: "FILLED" as const },
      { symbol: "ETH_USD", limit: 2 },
      { role: "ENTRY" as const, mode: "DEMO" as const },
    ]) {
      const full = await t.store.orders.page(filter);
      const listed = await t.store.orders.listingPage(filter);
      expect(listed.items).toEqual(full.items.map(expectedListing));
      expect(listed.nextCursor).toBe(full.nextCursor);
    }
    const first = await t.store.orders.listingPage({ limit: 4 });
    const next = await t.store.orders.page({ limit: 4, cursor: first.nextCursor });
    expect(
      (await t.store.orders.listingPage({ limit: 4, cursor: first.nextCursor })).items.map((o) => o.id),
    ).toEqual(next.items.map((o) => o.id));
    expect((await t.store.orders.listingPage({ status: [] })).items).toEqual([]);
    await expect(t.store.orders.listingPage({ cursor: "garbage" })).rejects.toBeInstanceOf(StoreInputError);
    // the listed fields only: no raw exchange object, no attempt, no exchange time
    expect(Object.keys(first.items[0]!)).not.toContain("raw");
  });

  it("money stored as non-canonical text still lists as Dec.toFixed() gives it", async () => {
    const { order } = await t.store.orders.applyExchange(exchangeOrder(1), {
      role: "ENTRY",
      mode: "LIVE",
      external: false,
    });
    const { db } = internalsOf(t.store);
    await db
      .updateTable("orders")
      .set({ price: "64000.50", fee: "0.000", notional: "1e1" })
      .where("id", "=", order.id)
      .execute();
    const [l] = (await t.store.orders.listingPage({})).items;
    const [r] = (await t.store.orders.page({})).items;
    expect(l?.price).toBe("64000.5");
    expect(l?.fee).toBe("0");
    expect(l?.notional).toBe(r?.notional?.toFixed());
    expect(l?.quantity).toBe("0.00012345678901234567");
  });

  it("the orders of many lots in one query, oldest first; at most 500 lots", async () => {
    const lots: Lot[] = [];
    for (let i = 0; i < 3; i++)
      lots.push(
        await t.store.lots.create({
          symbol: "BTC_USD",
          mode: "DEMO",
          status: "OPEN",
          quantity: dec("0.001"),
        }),
      );
    const made: string[] = [];
    for (let n = 0; n < 6; n++) {
      t.home.clock.advance(1);
      const lot = lots[n % 3]!;
      const { order } = await t.store.orders.applyExchange(exchangeOrder(n), {
        role: n < 3 ? "ENTRY" : "TAKE_PROFIT",
        mode: "DEMO",
        external: false,
        lotId: lot.id,
      });
      made.push(order.id);
    }
    const got = await t.store.orders.listingsByLots([lots[0]!.id, lots[2]!.id]);
    expect(got.map((o) => o.id)).toEqual([made[0], made[2], made[3], made[5]]);
    const one = await t.store.orders.listByLot(lots[0]!.id);
    expect(got.filter((o) => o.lotId === lots[0]!.id)).toEqual(one.map(expectedListing));
    expect(await t.store.orders.listingsByLots([])).toEqual([]);
    await expect(
      t.store.orders.listingsByLots(Array.from({ length: 501 }, (_, i) => `lot-${i}`)),
    ).rejects.toBeInstanceOf(StoreInputError);
  });

  it("writeVersion moves after each committed write to its tables, and only then", async () => {
    const orders = () => t.store.writeVersion(["orders"]);
    const watch = () => t.store.writeVersion(["watchlist", "settings"]);
    const o0 = orders();
    const w0 = watch();
    await t.store.orders.page({});
    await t.store.watchlist.list();
    expect([orders(), watch()]).toEqual([o0, w0]); // reads count nothing

    await t.store.watchlist.upsert({ symbol: "BTC_USD" });
    const w1 = watch();
    expect(w1).toBeGreaterThan(w0);
    expect(orders()).toBe(o0);

    // inside a transaction: counted when the write runs, and again once the transaction has ended
    let during = 0;
    await t.store.transaction(async (tx) => {
      await tx.settings.set("kill_switch", true);
      during = watch();
    });
    expect(during).toBeGreaterThan(w1);
    expect(watch()).toBeGreaterThan(during);

    // a rolled-back write may move the version (a spurious rebuild), the data is unchanged
    const w2 = watch();
    await expect(
      t.store.transaction(async (tx) => {
        await tx.settings.set("kill_switch", false);
        throw new Error("no");
      }),
    ).rejects.toThrow("no");
    expect(watch()).toBeGreaterThanOrEqual(w2);
    expect((await t.store.settings.killSwitch()).value).toBe(true);

    // deletes and updates count, per table
    await t.store.orders.applyExchange(exchangeOrder(7), { role: "ENTRY", mode: "DEMO", external: false });
    const o1 = orders();
    expect(o1).toBeGreaterThan(o0);
    await t.store.watchlist.remove("BTC_USD");
    expect(orders()).toBe(o1);
    expect(watch()).toBeGreaterThan(w2);
  });
});
