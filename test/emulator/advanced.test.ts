/** Trigger orders and OCO lists (private/advanced/*) over loopback HTTP and the user WebSocket. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type EmulatorHandle, startEmulator } from "../../src/emulator/index.js";
import { type Msg, privateCall, WsClient } from "./helpers.js";

let em: EmulatorHandle;
let ws: WsClient;
let seq = 0;
const oid = (p: string) => `${p}-${++seq}`;

beforeAll(async () => {
  em = await startEmulator({ market_tick_ms: 0, rate_limits: false, ws_rate_limits: false });
  ws = await WsClient.connect(em.wsUserUrl);
  expect((await ws.auth()).code).toBe(0);
  expect((await ws.call("subscribe", { channels: ["user.advanced.order", "user.order"] })).code).toBe(0);
});
afterAll(async () => {
  ws.close();
  await em.close();
});
beforeEach(async () => {
  await privateCall(em.baseUrl, "private/advanced/cancel-all-orders", {});
  await privateCall(em.baseUrl, "private/cancel-all-orders", {});
  em.admin.setBalances("main", { USD: "10000", BTC: "0.25" });
  em.admin.setPrice("BTC_USD", "65000");
});

const call = (method: string, params: Record<string, unknown>) =>
  privateCall(em.baseUrl, method, params as never);

function update(channel: string, orderId: string, status: string): Promise<Msg> {
  return ws
    .next(
      (m) =>
        m.result?.channel === channel &&
        m.result.data.some((o: Msg) => o.order_id === orderId && o.status === status),
    )
    .then((m) => m.result.data.find((o: Msg) => o.order_id === orderId));
}

describe("trigger orders", () => {
  it("STOP_LOSS SELL waits (PENDING), triggers when the mark falls to ref_price, and fills as a market order", async () => {
    const r = await call("private/advanced/create-order", {
      instrument_name: "BTC_USD",
      side: "SELL",
      type: "STOP_LOSS",
      quantity: "0.01000",
      ref_price: "60000.00",
      client_oid: oid("sl"),
    });
    expect(r.body.code).toBe(0);
    const id = r.body.result.order_id;
    const pending = await update("user.advanced.order", id, "PENDING");
    expect(pending).toMatchObject({
      order_type: "STOP_LOSS",
      ref_price: "60000.00",
      ref_price_type: "MARK_PRICE",
    });
    const adv = await call("private/advanced/get-open-orders", {});
    expect(adv.body.result.data.map((o: Msg) => o.order_id)).toContain(id);
    const plain = await call("private/get-open-orders", {});
    expect(plain.body.result.data.map((o: Msg) => o.order_id)).not.toContain(id);
    em.admin.setPrice("BTC_USD", "61000");
    expect((await call("private/advanced/get-order-detail", { order_id: id })).body.result.status).toBe(
      "PENDING",
    );
    em.admin.setPrice("BTC_USD", "59900");
    const filled = await update("user.advanced.order", id, "FILLED");
    expect(filled.cumulative_quantity).toBe("0.01000");
    expect(Number(filled.avg_price)).toBeLessThan(60000);
    await update("user.order", id, "FILLED");
  });

  it("229: a trigger on the wrong side of the market is refused", async () => {
    const r = await call("private/advanced/create-order", {
      instrument_name: "BTC_USD",
      side: "SELL",
      type: "STOP_LOSS",
      quantity: "0.01000",
      ref_price: "66000.00",
      client_oid: oid("bad"),
    });
    expect([r.status, r.body.code]).toEqual([400, 229]);
    const tp = await call("private/advanced/create-order", {
      instrument_name: "BTC_USD",
      side: "SELL",
      type: "TAKE_PROFIT",
      quantity: "0.01000",
      ref_price: "64000.00",
      client_oid: oid("bad"),
    });
    expect(tp.body.code).toBe(229);
  });

  it("STOP_LIMIT BUY above the market becomes a resting LIMIT when triggered", async () => {
    const r = await call("private/advanced/create-order", {
      instrument_name: "BTC_USD",
      side: "BUY",
      type: "STOP_LIMIT",
      quantity: "0.01000",
      ref_price: "66000.00",
      price: "65000.00",
      client_oid: oid("stl"),
    });
    const id = r.body.result.order_id;
    await update("user.advanced.order", id, "PENDING");
    expect(em.admin.balances("main").USD!.reserved).toBe("650");
    em.admin.setPrice("BTC_USD", "66100");
    const active = await update("user.advanced.order", id, "ACTIVE");
    expect(active.limit_price).toBe("65000.00");
    em.admin.setPrice("BTC_USD", "64800");
    await update("user.advanced.order", id, "FILLED");
    expect(em.admin.balances("main").USD!.reserved).toBe("0");
  });

  it("TAKE_PROFIT SELL triggers when the price rises to ref_price", async () => {
    const r = await call("private/advanced/create-order", {
      instrument_name: "BTC_USD",
      side: "SELL",
      type: "TAKE_PROFIT",
      quantity: "0.00500",
      ref_price: "67000.00",
      client_oid: oid("tp"),
    });
    const id = r.body.result.order_id;
    em.admin.setPrice("BTC_USD", "67050");
    const f = await update("user.advanced.order", id, "FILLED");
    expect(Number(f.avg_price)).toBeGreaterThan(66900);
  });

  it("TAKE_PROFIT_LIMIT SELL becomes a resting LIMIT at its price when the market rises to ref_price", async () => {
    const r = await call("private/advanced/create-order", {
      instrument_name: "BTC_USD",
      side: "SELL",
      type: "TAKE_PROFIT_LIMIT",
      quantity: "0.00500",
      ref_price: "67000.00",
      price: "67500.00",
      client_oid: oid("tpl"),
    });
    expect(r.body.code).toBe(0);
    const id = r.body.result.order_id;
    await update("user.advanced.order", id, "PENDING");
    expect(em.admin.balances("main").BTC!.reserved).toBe("0.005");
    em.admin.setPrice("BTC_USD", "67100");
    const active = await update("user.advanced.order", id, "ACTIVE");
    expect(active.limit_price).toBe("67500.00");
    em.admin.setPrice("BTC_USD", "67600");
    const filled = await update("user.advanced.order", id, "FILLED");
    expect(Number(filled.avg_price)).toBe(67500);
    expect(em.admin.balances("main").BTC!.reserved).toBe("0");
  });

  it("LIMIT and MARKET belong on private/create-order (218 on the advanced endpoint)", async () => {
    const r = await call("private/advanced/create-order", {
      instrument_name: "BTC_USD",
      side: "BUY",
      type: "LIMIT",
      price: "60000.00",
      quantity: "0.00100",
    });
    expect(r.body.code).toBe(218);
  });

  it("cancel-all-orders type TRIGGER cancels untriggered trigger orders only", async () => {
    // Survivors: a plain LIMIT and a STOP_LIMIT that has triggered (now a resting LIMIT).
    const plain = await call("private/create-order", {
      instrument_name: "BTC_USD",
      side: "BUY",
      type: "LIMIT",
      price: "60000.00",
      quantity: "0.00100",
      client_oid: oid("keep"),
    });
    const plainId = plain.body.result.order_id;
    await update("user.order", plainId, "ACTIVE");
    const triggered = await call("private/advanced/create-order", {
      instrument_name: "BTC_USD",
      side: "BUY",
      type: "STOP_LIMIT",
      quantity: "0.00100",
      ref_price: "66000.00",
      price: "65000.00",
      client_oid: oid("keep"),
    });
    const triggeredId = triggered.body.result.order_id;
    await update("user.advanced.order", triggeredId, "PENDING");
    em.admin.setPrice("BTC_USD", "66100");
    await update("user.advanced.order", triggeredId, "ACTIVE");
    // The target: an untriggered STOP_LOSS.
    const r = await call("private/advanced/create-order", {
      instrument_name: "BTC_USD",
      side: "SELL",
      type: "STOP_LOSS",
      quantity: "0.01000",
      ref_price: "60000.00",
      client_oid: oid("ca"),
    });
    const id = r.body.result.order_id;
    await update("user.advanced.order", id, "PENDING");
    expect((await call("private/advanced/cancel-all-orders", { type: "TRIGGER" })).body.code).toBe(0);
    await update("user.advanced.order", id, "CANCELED");
    const status = async (orderId: string) =>
      (await call("private/advanced/get-order-detail", { order_id: orderId })).body.result.status;
    expect(await status(triggeredId)).toBe("ACTIVE");
    expect(await status(plainId)).toBe("ACTIVE");
    const open = await call("private/advanced/get-open-orders", {});
    expect(open.body.result.data.map((o: Msg) => o.order_id)).toEqual([triggeredId]);
  });
});

describe("OCO", () => {
  const legs = (tag: string) => [
    {
      instrument_name: "BTC_USD",
      side: "SELL",
      type: "LIMIT",
      price: "70000.00",
      quantity: "0.10000",
      client_oid: oid(`${tag}tp`),
    },
    {
      instrument_name: "BTC_USD",
      side: "SELL",
      type: "STOP_LOSS",
      ref_price: "60000.00",
      ref_price_type: "MARK_PRICE",
      quantity: "0.10000",
      client_oid: oid(`${tag}sl`),
    },
  ];

  async function createOco(tag: string): Promise<{ listId: string; tp: string; sl: string }> {
    const r = await call("private/advanced/create-oco", { order_list: legs(tag) });
    expect(r.body.code).toBe(0);
    const listId = r.body.result.list_id;
    const open = await call("private/advanced/get-open-orders", { instrument_name: "BTC_USD" });
    const mine = open.body.result.data.filter((o: Msg) => o.list_id === listId);
    expect(mine).toHaveLength(2);
    expect(mine.every((o: Msg) => o.contingency_type === "OCO")).toBe(true);
    return {
      listId,
      tp: mine.find((o: Msg) => o.order_type === "LIMIT").order_id,
      sl: mine.find((o: Msg) => o.order_type === "STOP_LOSS").order_id,
    };
  }

  it("shares one reservation between the legs", async () => {
    const { tp, sl } = await createOco("r");
    await update("user.advanced.order", tp, "ACTIVE");
    await update("user.advanced.order", sl, "PENDING");
    expect(em.admin.balances("main").BTC!).toMatchObject({ reserved: "0.1", available: "0.15" });
  });

  it("the stop triggering cancels the limit leg", async () => {
    const { tp, sl } = await createOco("s");
    await update("user.advanced.order", sl, "PENDING");
    em.admin.setPrice("BTC_USD", "59000");
    await update("user.advanced.order", sl, "FILLED");
    const t = await update("user.advanced.order", tp, "CANCELED");
    expect(t.cumulative_quantity).toBe("0.00000");
    expect(em.admin.balances("main").BTC!.reserved).toBe("0");
    expect(Number(em.admin.balances("main").BTC!.total)).toBeCloseTo(0.15, 10);
  });

  it("a fill of the limit leg cancels the stop", async () => {
    const { tp, sl } = await createOco("l");
    await update("user.advanced.order", tp, "ACTIVE");
    em.admin.setPrice("BTC_USD", "71000");
    await update("user.advanced.order", tp, "FILLED");
    await update("user.advanced.order", sl, "CANCELED");
    expect(em.admin.balances("main").BTC!.reserved).toBe("0");
  });

  it("cancel-oco cancels both legs and releases the reservation", async () => {
    const { listId, tp, sl } = await createOco("c");
    await update("user.advanced.order", sl, "PENDING");
    const r = await call("private/advanced/cancel-oco", { list_id: listId });
    expect(r.body).toEqual({ id: expect.any(Number), method: "private/advanced/cancel-oco", code: 0 });
    await update("user.advanced.order", tp, "CANCELED");
    await update("user.advanced.order", sl, "CANCELED");
    expect(em.admin.balances("main").BTC!.reserved).toBe("0");
    expect((await call("private/advanced/cancel-oco", { list_id: listId })).body.code).toBe(316);
  });

  it("refuses malformed lists", async () => {
    const three = await call("private/advanced/create-oco", { order_list: [...legs("x"), legs("y")[0]] });
    expect(three.body.code).toBe(40004);
    const idx = legs("z");
    (idx[1] as unknown as Record<string, string>).ref_price_type = "INDEX_PRICE";
    expect((await call("private/advanced/create-oco", { order_list: idx })).body.code).toBe(230);
    const sides = legs("w");
    sides[0]!.side = "BUY";
    sides[0]!.price = "60000.00";
    expect((await call("private/advanced/create-oco", { order_list: sides })).body.code).toBe(40004);
    const poor = legs("p").map((l) => ({ ...l, quantity: "1.00000" }));
    expect((await call("private/advanced/create-oco", { order_list: poor })).body.code).toBe(306);
  });
});
