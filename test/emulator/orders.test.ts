/** Orders over real loopback HTTP and WebSocket: validation codes, the asynchronous lifecycle, balances. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type EmulatorHandle, startEmulator } from "../../src/emulator/index.js";
import { type Msg, privateCall, WsClient } from "./helpers.js";

let em: EmulatorHandle;
let ws: WsClient;
let seq = 0;
const oid = (p: string) => `${p}-${++seq}`;

const START = { USD: "10000", BTC: "0.25", ETH: "2", USDT: "0" };

beforeAll(async () => {
  em = await startEmulator({
    market_tick_ms: 0,
    history_days: 1,
    rate_limits: false,
    ws_rate_limits: false,
    limits: { max_open_orders_per_instrument: 4 } as never,
    accounts: { main: { balances: START }, other: { balances: { USD: "100" } } },
    keys: [
      { api_key: "demo-key", secret: "demo-secret", account: "main" },
      { api_key: "other-key", secret: "other-secret", account: "other" },
    ],
  });
  ws = await WsClient.connect(em.wsUserUrl);
  expect((await ws.auth()).code).toBe(0);
  const sub = await ws.call("subscribe", { channels: ["user.order", "user.trade", "user.balance"] });
  expect(sub.code).toBe(0);
});
afterAll(async () => {
  ws.close();
  await em.close();
});
beforeEach(async () => {
  await privateCall(em.baseUrl, "private/cancel-all-orders", {});
  em.admin.setBalances("main", START);
  em.admin.setPrice("BTC_USD", "65000");
  em.admin.setPrice("ETH_USD", "3200");
});

const create = (params: Record<string, unknown>, o: { apiKey?: string; secret?: string } = {}) =>
  privateCall(em.baseUrl, "private/create-order", params as never, o);

function orderUpdate(orderId: string, status: string): Promise<Msg> {
  return ws
    .next(
      (m) =>
        m.result?.channel === "user.order" &&
        m.result.data.some((o: Msg) => o.order_id === orderId && o.status === status),
    )
    .then((m) => m.result.data.find((o: Msg) => o.order_id === orderId));
}

async function detail(orderId: string): Promise<Msg> {
  const r = await privateCall(em.baseUrl, "private/get-order-detail", { order_id: orderId });
  expect(r.body.code).toBe(0);
  return r.body.result;
}

describe("validation codes (synchronous rejections)", () => {
  const limitBuy = {
    instrument_name: "BTC_USD",
    side: "BUY",
    type: "LIMIT",
    price: "64000.00",
    quantity: "0.01000",
  };

  it.each([
    ["213: quantity not on the tick", { ...limitBuy, quantity: "0.000011" }, 213, 400],
    ["213: quantity with too many decimals", { ...limitBuy, quantity: "0.000010" }, 213, 400],
    ["308: price not on the tick", { ...limitBuy, price: "64000.001" }, 308, 400],
    ["209: unknown instrument", { ...limitBuy, instrument_name: "BTC_EUR" }, 209, 400],
    [
      "40004: notional and quantity on a market BUY",
      { instrument_name: "BTC_USD", side: "BUY", type: "MARKET", notional: "100", quantity: "0.001" },
      40004,
      400,
    ],
    [
      "40004: market SELL without quantity",
      { instrument_name: "BTC_USD", side: "SELL", type: "MARKET", notional: "100" },
      40004,
      400,
    ],
    [
      "40004: LIMIT without price",
      { instrument_name: "BTC_USD", side: "BUY", type: "LIMIT", quantity: "0.001" },
      40004,
      400,
    ],
    ["40004: missing instrument_name", { side: "BUY", type: "MARKET", notional: "10" }, 40004, 400],
    ["220: invalid side", { ...limitBuy, side: "HOLD" }, 220, 400],
    ["218: invalid type", { ...limitBuy, type: "ICEBERG" }, 218, 400],
    ["221: invalid time_in_force", { ...limitBuy, time_in_force: "GTD" }, 221, 400],
    [
      "43005: POST_ONLY with a time_in_force other than GTC",
      { ...limitBuy, exec_inst: ["POST_ONLY"], time_in_force: "IMMEDIATE_OR_CANCEL" },
      43005,
      500,
    ],
    [
      "315: limit price too far from the market",
      { ...limitBuy, price: "1000.00", quantity: "0.00200" },
      315,
      400,
    ],
    [
      "140001: trigger types moved to the advanced API",
      { instrument_name: "BTC_USD", side: "SELL", type: "STOP_LOSS", quantity: "0.001", ref_price: "60000" },
      140001,
      400,
    ],
  ])("%s", async (_name, params, code, status) => {
    const r = await create({ ...params, client_oid: oid("v") });
    expect(r.body.code).toBe(code);
    expect(r.status).toBe(status);
    expect(typeof r.body.message).toBe("string");
  });

  it("415: below the minimum order value, recorded as REJECTED with a result", async () => {
    const r = await create({ ...limitBuy, quantity: "0.00001", client_oid: oid("min") });
    expect([r.status, r.body.code]).toEqual([500, 415]);
    expect(r.body.result.order_id).toMatch(/^\d+$/);
    expect((await detail(r.body.result.order_id)).status).toBe("REJECTED");
  });

  it("306: insufficient balance, with a result (the order exists as REJECTED, reason 306)", async () => {
    const r = await create({ ...limitBuy, quantity: "1.00000", client_oid: oid("poor") });
    expect([r.status, r.body.code]).toEqual([500, 306]);
    const d = await detail(r.body.result.order_id);
    expect([d.status, d.reason]).toEqual(["REJECTED", 306]);
    const sell = await create({
      instrument_name: "BTC_USD",
      side: "SELL",
      type: "MARKET",
      quantity: "0.30000",
      client_oid: oid("poor"),
    });
    expect(sell.body.code).toBe(306);
  });

  it("204: duplicate client_oid", async () => {
    const id = oid("dup");
    expect((await create({ ...limitBuy, client_oid: id })).body.code).toBe(0);
    const again = await create({ ...limitBuy, client_oid: id });
    expect([again.status, again.body.code]).toEqual([400, 204]);
  });

  it("204: a re-sent client_oid is a duplicate whatever else is wrong with it, and keeps naming the original", async () => {
    const id = oid("resend");
    const first = await create({
      instrument_name: "BTC_USD",
      side: "SELL",
      type: "MARKET",
      quantity: "0.00002",
      client_oid: id,
    });
    expect(first.body.code).toBe(0);
    const originalId = first.body.result.order_id;
    await orderUpdate(originalId, "FILLED");
    // 0.00002 BTC at 40000 is 0.80 USD, below min_notional 1: alone this request would be a 415.
    em.admin.setPrice("BTC_USD", "40000");
    const again = await create({
      instrument_name: "BTC_USD",
      side: "SELL",
      type: "MARKET",
      quantity: "0.00002",
      client_oid: id,
    });
    expect([again.status, again.body.code, again.body.result]).toEqual([400, 204, undefined]);
    // Other faults of the retry (off-tick quantity, missing price, price on a MARKET) do not hide it.
    for (const bad of [
      { instrument_name: "BTC_USD", side: "SELL", type: "MARKET", quantity: "0.000021" },
      { instrument_name: "BTC_USD", side: "BUY", type: "LIMIT", quantity: "0.00100" },
      { instrument_name: "BTC_USD", side: "SELL", type: "MARKET", quantity: "0.00100", price: "1.00" },
    ]) {
      expect((await create({ ...bad, client_oid: id })).body.code).toBe(204);
    }
    const byOid = await privateCall(em.baseUrl, "private/get-order-detail", { client_oid: id });
    expect(byOid.body.result).toMatchObject({ order_id: originalId, status: "FILLED", client_oid: id });
    expect(em.exchange.engine.order("main", { clientOid: id })?.orderId).toBe(originalId);
  });

  it("40004: a price on a MARKET order and a ref_price on a LIMIT are refused, not ignored", async () => {
    const market = await create({
      instrument_name: "BTC_USD",
      side: "BUY",
      type: "MARKET",
      notional: "20.00",
      price: "65000.00",
      client_oid: oid("mp"),
    });
    expect([market.status, market.body.code]).toEqual([400, 40004]);
    expect(market.body.message).toMatch(/^price: /);
    const limit = await create({ ...limitBuy, ref_price: "63000.00", client_oid: oid("lr") });
    expect([limit.status, limit.body.code]).toEqual([400, 40004]);
    expect(limit.body.message).toMatch(/^ref_price: /);
  });

  it("318: too many open orders on an instrument", async () => {
    for (let i = 0; i < 4; i++)
      expect((await create({ ...limitBuy, quantity: "0.00100", client_oid: oid("many") })).body.code).toBe(0);
    const r = await create({ ...limitBuy, quantity: "0.00100", client_oid: oid("many") });
    expect([r.status, r.body.code]).toEqual([400, 318]);
  });

  it("309: instrument not tradable", async () => {
    em.admin.setTradable("ETH_USD", false);
    try {
      const r = await create({
        instrument_name: "ETH_USD",
        side: "BUY",
        type: "MARKET",
        notional: "50",
        client_oid: oid("closed"),
      });
      expect([r.status, r.body.code]).toEqual([500, 309]);
    } finally {
      em.admin.setTradable("ETH_USD", true);
    }
  });
});

describe("asynchronous lifecycle", () => {
  it("market BUY by notional: ack, then FILLED on user.order, trades, balances", async () => {
    const client_oid = oid("mkt");
    const r = await create({
      instrument_name: "BTC_USD",
      side: "BUY",
      type: "MARKET",
      notional: "500.00",
      client_oid,
    });
    expect(r.body).toMatchObject({ code: 0, result: { client_oid } });
    expect(Object.keys(r.body.result).sort()).toEqual(["client_oid", "order_id"]);
    const id = r.body.result.order_id;
    const filled = await orderUpdate(id, "FILLED");
    expect(Number(filled.cumulative_value)).toBeGreaterThan(499);
    expect(Number(filled.cumulative_value)).toBeLessThanOrEqual(500);
    expect(filled.fee_instrument_name).toBe("BTC");
    const trade = await ws.next(
      (m) => m.result?.channel === "user.trade" && m.result.data[0]?.order_id === id,
    );
    expect(trade.result.data[0]).toMatchObject({
      side: "BUY",
      taker_side: "TAKER",
      instrument_name: "BTC_USD",
    });
    const d = await detail(id);
    expect(d.status).toBe("FILLED");
    const bal = await privateCall(em.baseUrl, "private/user-balance", {});
    const rows = Object.fromEntries(
      bal.body.result.data[0].position_balances.map((p: Msg) => [p.instrument_name, p]),
    );
    // USD paid exactly the filled value; BTC received the quantity minus the taker fee (0.5 %).
    expect(Number(rows.USD.quantity)).toBeCloseTo(10000 - Number(d.cumulative_value), 6);
    const expectedBtc = 0.25 + Number(d.cumulative_quantity) * (1 - 0.005);
    expect(Number(rows.BTC.quantity)).toBeCloseTo(expectedBtc, 10);
    await ws.next((m) => m.result?.channel === "user.balance");
  });

  it("market BUY by quantity and market SELL by quantity", async () => {
    const buy = await create({
      instrument_name: "ETH_USD",
      side: "BUY",
      type: "MARKET",
      quantity: "0.1000",
      client_oid: oid("q"),
    });
    const b = await orderUpdate(buy.body.result.order_id, "FILLED");
    expect(b.cumulative_quantity).toBe("0.1000");
    const sell = await create({
      instrument_name: "ETH_USD",
      side: "SELL",
      type: "MARKET",
      quantity: "0.5000",
      client_oid: oid("q"),
    });
    const s = await orderUpdate(sell.body.result.order_id, "FILLED");
    expect(s.cumulative_quantity).toBe("0.5000");
    expect(s.fee_instrument_name).toBe("USD");
  });

  it("client_oid defaults to the request nonce", async () => {
    const nonce = Date.now();
    const r = await privateCall(
      em.baseUrl,
      "private/create-order",
      { instrument_name: "BTC_USD", side: "BUY", type: "MARKET", notional: "20" },
      { nonce },
    );
    expect(r.body.result.client_oid).toBe(String(nonce));
  });

  it("a resting LIMIT reserves balance, appears in open orders, and cancels with its reservation released", async () => {
    const r = await create({
      instrument_name: "BTC_USD",
      side: "BUY",
      type: "LIMIT",
      price: "60000.00",
      quantity: "0.01000",
      client_oid: oid("rest"),
    });
    const id = r.body.result.order_id;
    await orderUpdate(id, "ACTIVE");
    expect(em.admin.balances("main").USD!).toMatchObject({
      total: "10000",
      reserved: "600",
      available: "9400",
    });
    const open = await privateCall(em.baseUrl, "private/get-open-orders", { instrument_name: "BTC_USD" });
    expect(open.body.result.data.map((o: Msg) => o.order_id)).toContain(id);
    const c = await privateCall(em.baseUrl, "private/cancel-order", { order_id: id });
    expect(c.body).toMatchObject({ code: 0, message: "NO_ERROR", result: { order_id: id } });
    await orderUpdate(id, "CANCELED");
    expect(em.admin.balances("main").USD!.reserved).toBe("0");
    const again = await privateCall(em.baseUrl, "private/cancel-order", { order_id: id });
    expect(again.body.code).toBe(316);
    const hist = await privateCall(em.baseUrl, "private/get-order-history", { instrument_name: "BTC_USD" });
    expect(hist.body.result.data.find((o: Msg) => o.order_id === id)?.status).toBe("CANCELED");
  });

  it("a resting LIMIT fills as MAKER at its price when the market comes to it", async () => {
    const r = await create({
      instrument_name: "BTC_USD",
      side: "BUY",
      type: "LIMIT",
      price: "64000.00",
      quantity: "0.00500",
      client_oid: oid("maker"),
    });
    const id = r.body.result.order_id;
    await orderUpdate(id, "ACTIVE");
    em.admin.setPrice("BTC_USD", "63500");
    const f = await orderUpdate(id, "FILLED");
    expect(f.avg_price).toBe("64000");
    const trades = await privateCall(em.baseUrl, "private/get-trades", { instrument_name: "BTC_USD" });
    const mine = trades.body.result.data.filter((t: Msg) => t.order_id === id);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((t: Msg) => t.taker_side === "MAKER" && t.traded_price === "64000.00")).toBe(true);
    // Maker fee 0.25 % of the base received.
    const fee = mine.reduce((s: number, t: Msg) => s + -Number(t.fees), 0);
    expect(fee).toBeCloseTo(0.005 * 0.0025, 12);
  });

  it("IOC that cannot fill is CANCELED with reason 43004; FOK with 43003", async () => {
    const ioc = await create({
      instrument_name: "BTC_USD",
      side: "BUY",
      type: "LIMIT",
      price: "64000.00",
      quantity: "0.00500",
      time_in_force: "IMMEDIATE_OR_CANCEL",
      client_oid: oid("ioc"),
    });
    expect(ioc.body.code).toBe(0);
    const i = await orderUpdate(ioc.body.result.order_id, "CANCELED");
    expect(i.reason).toBe(43004);
    const fok = await create({
      instrument_name: "BTC_USD",
      side: "BUY",
      type: "LIMIT",
      price: "64000.00",
      quantity: "0.00500",
      time_in_force: "FILL_OR_KILL",
      client_oid: oid("fok"),
    });
    const f = await orderUpdate(fok.body.result.order_id, "CANCELED");
    expect(f.reason).toBe(43003);
    expect(f.cumulative_quantity).toBe("0.00000");
  });

  it("a crossing FOK fills completely as TAKER", async () => {
    const fok = await create({
      instrument_name: "BTC_USD",
      side: "BUY",
      type: "LIMIT",
      price: "66000.00",
      quantity: "0.00500",
      time_in_force: "FILL_OR_KILL",
      client_oid: oid("fok2"),
    });
    const f = await orderUpdate(fok.body.result.order_id, "FILLED");
    expect(f.cumulative_quantity).toBe("0.00500");
    expect(Number(f.avg_price)).toBeLessThan(66000);
  });

  it("43005: a POST_ONLY order that would take is acknowledged, then REJECTED", async () => {
    const r = await create({
      instrument_name: "BTC_USD",
      side: "BUY",
      type: "LIMIT",
      price: "65500.00",
      quantity: "0.00100",
      exec_inst: ["POST_ONLY"],
      client_oid: oid("po"),
    });
    expect(r.body.code).toBe(0);
    const o = await orderUpdate(r.body.result.order_id, "REJECTED");
    expect(o.reason).toBe(43005);
    const resting = await create({
      instrument_name: "BTC_USD",
      side: "BUY",
      type: "LIMIT",
      price: "64000.00",
      quantity: "0.00100",
      exec_inst: ["POST_ONLY"],
      client_oid: oid("po"),
    });
    await orderUpdate(resting.body.result.order_id, "ACTIVE");
  });

  it("cancel-all-orders answers without a result and cancels open orders", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await create({
        instrument_name: "BTC_USD",
        side: "BUY",
        type: "LIMIT",
        price: "60000.00",
        quantity: "0.00100",
        client_oid: oid("all"),
      });
      ids.push(r.body.result.order_id);
    }
    const r = await privateCall(em.baseUrl, "private/cancel-all-orders", { instrument_name: "BTC_USD" });
    expect(r.body).toEqual({ id: expect.any(Number), method: "private/cancel-all-orders", code: 0 });
    for (const id of ids) await orderUpdate(id, "CANCELED");
  });

  it("unknown orders: detail → 40401 (HTTP 200), cancel → 212", async () => {
    const d = await privateCall(em.baseUrl, "private/get-order-detail", { order_id: "1" });
    expect([d.status, d.body.code]).toEqual([200, 40401]);
    const c = await privateCall(em.baseUrl, "private/cancel-order", { order_id: "1" });
    expect([c.status, c.body.code]).toEqual([500, 212]);
  });

  it("orders are private to their account", async () => {
    const r = await create({
      instrument_name: "BTC_USD",
      side: "BUY",
      type: "LIMIT",
      price: "60000.00",
      quantity: "0.00100",
      client_oid: oid("acct"),
    });
    const other = await privateCall(
      em.baseUrl,
      "private/get-order-detail",
      { order_id: r.body.result.order_id },
      { apiKey: "other-key", secret: "other-secret" },
    );
    expect(other.body.code).toBe(40401);
  });
});

describe("acknowledgement comes before processing", () => {
  it("right after the ack the order is NEW; it is FILLED later", async () => {
    // 1.5 s between the ack and the processing: room for one loopback request on a loaded machine.
    const slow = await startEmulator({
      market_tick_ms: 0,
      history_days: 1,
      rate_limits: false,
      order_latency_ms: 1_500,
    });
    try {
      const r = await privateCall(slow.baseUrl, "private/create-order", {
        instrument_name: "BTC_USD",
        side: "BUY",
        type: "MARKET",
        notional: "100",
        client_oid: "slow-1",
      });
      const id = r.body.result.order_id;
      const now = await privateCall(slow.baseUrl, "private/get-order-detail", { client_oid: "slow-1" });
      expect(now.body.result).toMatchObject({ order_id: id, status: "NEW", cumulative_quantity: "0.00000" });
      let status = "NEW";
      for (let i = 0; i < 200 && status === "NEW"; i++) {
        await new Promise((res) => setTimeout(res, 50));
        status = (await privateCall(slow.baseUrl, "private/get-order-detail", { order_id: id })).body.result
          .status;
      }
      expect(status).toBe("FILLED");
    } finally {
      await slow.close();
    }
  });
});

describe("switches", () => {
  it("post_only_reject=sync answers 43005 in the response", async () => {
    const e = await startEmulator({
      market_tick_ms: 0,
      rate_limits: false,
      switches: { post_only_reject: "sync" } as never,
    });
    try {
      e.admin.setPrice("BTC_USD", "65000");
      const r = await privateCall(e.baseUrl, "private/create-order", {
        instrument_name: "BTC_USD",
        side: "BUY",
        type: "LIMIT",
        price: "65500.00",
        quantity: "0.00100",
        exec_inst: ["POST_ONLY"],
      });
      expect([r.status, r.body.code]).toEqual([500, 43005]);
    } finally {
      await e.close();
    }
  });

  it("reject_with_result=false answers 306 without a result and records no order", async () => {
    const e = await startEmulator({
      market_tick_ms: 0,
      rate_limits: false,
      switches: { reject_with_result: false } as never,
    });
    try {
      const r = await privateCall(e.baseUrl, "private/create-order", {
        instrument_name: "BTC_USD",
        side: "BUY",
        type: "MARKET",
        notional: "999999",
      });
      expect(r.body.code).toBe(306);
      expect(r.body.result).toBeUndefined();
      expect(e.admin.orders().at(-1)).toMatchObject({ order_id: null, status: "REJECTED", reason: 306 });
    } finally {
      await e.close();
    }
  });

  it("duplicate_client_oid_scope=open allows reusing the id of a closed order", async () => {
    const e = await startEmulator({
      market_tick_ms: 0,
      rate_limits: false,
      switches: { duplicate_client_oid_scope: "open" } as never,
    });
    try {
      const p = {
        instrument_name: "BTC_USD",
        side: "BUY",
        type: "MARKET",
        notional: "20",
        client_oid: "again",
      };
      const first = await privateCall(e.baseUrl, "private/create-order", p);
      let status = "NEW";
      while (status === "NEW") {
        await new Promise((res) => setTimeout(res, 10));
        status = (
          await privateCall(e.baseUrl, "private/get-order-detail", { order_id: first.body.result.order_id })
        ).body.result.status;
      }
      // A rejected reuse (415 with a result) is recorded but does not take over the client_oid.
      const tiny = await privateCall(e.baseUrl, "private/create-order", { ...p, notional: "0.50" });
      expect(tiny.body.code).toBe(415);
      const byOid = () =>
        privateCall(e.baseUrl, "private/get-order-detail", { client_oid: "again" }).then(
          (r) => r.body.result,
        );
      expect((await byOid()).order_id).toBe(first.body.result.order_id);
      // An accepted reuse does: lookups and cancels by client_oid reach the newest order.
      const second = await privateCall(e.baseUrl, "private/create-order", p);
      expect(second.body.code).toBe(0);
      expect((await byOid()).order_id).toBe(second.body.result.order_id);
    } finally {
      await e.close();
    }
  });
});
