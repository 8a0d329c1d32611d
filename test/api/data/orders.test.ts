/**
 * Orders and positions over HTTP: filters (status, symbol, role), cursor pagination without gaps or
 * repeats, one order by id, a manual order through a fake submit (Idempotency-Key), cancel refusals.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { ApiOrder, ApiOrderPage, ManualOrderResult } from "../../../src/api/contract/types.js";
import type { TradeRequest, TradeResult } from "../../../src/trading/requests.js";
import { dec } from "../../../src/util/decimal.js";
import { type ApiTestServer, bearer } from "../../helpers/api-deps.js";
import { apiDataServer, seedOrder } from "../../helpers/api-deps-data.js";

let t: ApiTestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const get = async (s: ApiTestServer, url: string) => {
  const r = await s.server.inject({ method: "GET", url });
  return { status: r.statusCode, body: r.json() };
};

describe("GET /api/orders", () => {
  it("filters by status, symbol and role, and pages with a cursor", async () => {
    t = await apiDataServer();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      ids.push(
        (
          await seedOrder(t.store, {
            symbol: i % 2 ? "ETH_USD" : "BTC_USD",
            status: i < 3 ? "ACTIVE" : "FILLED",
          })
        ).id,
      );
      t.time.advance(1000);
    }
    await seedOrder(t.store, { role: "STOP_LOSS", status: "ACTIVE" });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: ApiOrderPage } = await get(
        t,
        `/api/orders?limit=3${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.items.map((o) => o.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toHaveLength(8);
    expect(new Set(seen).size).toBe(8);
    expect(seen.slice(1)).toEqual([...ids].reverse()); // newest first

    const open = (await get(t, "/api/orders?status=open")).body as ApiOrderPage;
    expect(open.items.map((o) => o.status)).toEqual(["ACTIVE", "ACTIVE", "ACTIVE", "ACTIVE"]);
    const eth = (await get(t, "/api/orders?symbol=ETH_USD&status=FILLED")).body as ApiOrderPage;
    expect(eth.items.map((o) => [o.symbol, o.status])).toEqual([
      ["ETH_USD", "FILLED"],
      ["ETH_USD", "FILLED"],
    ]);
    const sl = (await get(t, "/api/orders?role=STOP_LOSS")).body as ApiOrderPage;
    expect(sl.items.map((o) => o.role)).toEqual(["STOP_LOSS"]);
  });

  it("refuses bad filters and foreign cursors with field-level 400s", async () => {
    t = await apiDataServer();
    const bad = await get(t, "/api/orders?status=SOMETIMES&role=HEDGE&limit=0");
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      "limit",
      "role",
      "status",
    ]);
    const cursor = await get(t, "/api/orders?cursor=bm90LWEtY3Vyc29y");
    expect(cursor.status).toBe(400);
    expect(cursor.body.error.details).toEqual([
      { field: "cursor", problem: "not a cursor this server issued" },
    ]);
  });

  it("finds one order by id (19-digit exchange ids as strings), 404 otherwise", async () => {
    t = await apiDataServer();
    const o = await seedOrder(t.store, { status: "ACTIVE" });
    const got = await get(t, `/api/orders/${o.id}`);
    expect(got.status).toBe(200);
    expect((got.body as ApiOrder).notional).toBe("10");
    expect((await get(t, "/api/orders/nope")).status).toBe(404);
  });
});

describe("POST /api/orders (manual)", () => {
  it("hands a TradeRequest to the Trader and answers its result in the contract", async () => {
    let seen: TradeRequest | undefined;
    t = await apiDataServer({
      submit: async (req): Promise<TradeResult> => {
        seen = req;
        const { intent } = (await t!.store.intents.create({
          idempotencyKey: req.idempotencyKey,
          kind: "ENTRY",
          symbol: req.symbol,
          side: req.side,
          mode: "DRY_RUN",
          actor: req.actor,
          status: "BLOCKED",
          reasonCode: "KILL_SWITCH",
        })) as { intent: TradeResult["intent"] };
        return {
          outcome: "blocked",
          intent,
          verdict: {
            ok: false,
            reasonCode: "KILL_SWITCH",
            checks: [{ code: "KILL_SWITCH", ok: false, detail: "the kill switch is on" }],
          },
          orders: [],
          message: "blocked by KILL_SWITCH",
        };
      },
    });
    const r = await t.server.inject({
      method: "POST",
      url: "/api/orders",
      headers: { ...bearer(), "idempotency-key": "client-key-1" },
      payload: { symbol: "BTC/USD", side: "BUY", amount_usd: "12.30000000000000001" },
    });
    expect(r.statusCode).toBe(200);
    expect(seen).toMatchObject({
      symbol: "BTC_USD",
      side: "BUY",
      source: "api",
      actor: "operator:api",
      idempotencyKey: "api:client-key-1",
    });
    expect(seen?.amountUsd?.toFixed()).toBe("12.30000000000000001");
    const body = r.json() as ManualOrderResult;
    expect(body).toMatchObject({
      outcome: "blocked",
      reason_code: "KILL_SWITCH",
      mode: "DRY_RUN",
      orders: [],
      position: null,
    });
    expect(body.guards).toEqual([{ code: "KILL_SWITCH", ok: false, detail: "the kill switch is on" }]);

    await t.server.inject({
      method: "POST",
      url: "/api/orders",
      headers: bearer(),
      payload: { symbol: "BTC_USD", side: "SELL" },
    });
    expect(seen?.idempotencyKey).toMatch(/^api:[0-9a-f-]{36}$/);
    expect(seen?.amountUsd).toBeUndefined();
  });

  it("refuses numbers for amounts, unknown symbols, and bad keys", async () => {
    t = await apiDataServer({
      submit: async () => {
        throw new Error("must not be called");
      },
    });
    const num = await t.server.inject({
      method: "POST",
      url: "/api/orders",
      headers: bearer(),
      payload: { symbol: "BTC_USD", side: "BUY", amount_usd: 12.3 },
    });
    expect(num.statusCode).toBe(400);
    const unknown = await t.server.inject({
      method: "POST",
      url: "/api/orders",
      headers: bearer(),
      payload: { symbol: "DOGE_USD", side: "BUY" },
    });
    expect(unknown.statusCode).toBe(400);
    const key = await t.server.inject({
      method: "POST",
      url: "/api/orders",
      headers: { ...bearer(), "idempotency-key": "has space" },
      payload: { symbol: "BTC_USD", side: "BUY" },
    });
    expect(key.statusCode).toBe(400);
    expect(t.submitted).toEqual([]);
  });
});

describe("POST /api/orders/{id}/cancel and GET /api/positions", () => {
  it("refuses what may not be cancelled, and needs the venue for the rest", async () => {
    t = await apiDataServer();
    const final = await seedOrder(t.store, { status: "FILLED" });
    const leg = await seedOrder(t.store, { role: "STOP_LOSS", status: "ACTIVE" });
    const entry = await seedOrder(t.store, { status: "ACTIVE" });
    const cancel = (id: string, payload: object = {}) =>
      t!.server.inject({ method: "POST", url: `/api/orders/${id}/cancel`, headers: bearer(), payload });
    expect((await cancel("nope")).statusCode).toBe(404);
    expect((await cancel(final.id)).json().error.code).toBe("order_final");
    expect((await cancel(leg.id)).json().error.code).toBe("protective_order");
    expect((await cancel(entry.id)).statusCode).toBe(501);
    const cancelled: string[] = [];
    t.deps.cancelOrder = async (id) => {
      cancelled.push(id);
      return (await t!.store.orders.setStatus(id, "CANCELED"))!;
    };
    expect((await cancel(leg.id, { confirm: "UNPROTECT" })).json()).toMatchObject({
      id: leg.id,
      status: "CANCELED",
    });
    expect(cancelled).toEqual([leg.id]);
  });

  it("lists open positions with mark price and exact unrealised P&L", async () => {
    t = await apiDataServer();
    t.market.views.set("ETH_USD", {
      price: "3000.3",
      decision: null,
      indicators: null,
      fresh: true,
      staleReason: null,
    });
    await t.store.lots.create({
      symbol: "ETH_USD",
      mode: "DRY_RUN",
      status: "OPEN",
      entryPrice: dec("3000.1"),
      quantity: dec("0.3"),
    });
    const r = await get(t, "/api/positions");
    expect(r.body).toMatchObject([
      { symbol: "ETH_USD", mark_price: "3000.3", unrealised_pnl: "0.06", open_quantity: "0.3" },
    ]);
  });
});
