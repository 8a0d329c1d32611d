/**
 * Emulator limits: legs per OCO list, the bounded order log and its paginated admin listing,
 * oversized REST bodies and WebSocket messages (answered in the exchange's envelope, never echoed),
 * and closing while a latency fault holds requests.
 */
import { afterEach, describe, expect, it } from "vitest";
import { WS_MAX_PAYLOAD_BYTES } from "../../src/emulator/config.js";
import { type EmulatorConfigInput, type EmulatorHandle, startEmulator } from "../../src/emulator/index.js";
import { admin, http, type Msg, privateCall, WsClient } from "./helpers.js";

/** One instrument: these tests are about limits, not markets (and start faster). */
const BTC_ONLY = [
  {
    symbol: "BTC_USD",
    base_ccy: "BTC",
    quote_ccy: "USD",
    price_tick_size: "0.01",
    qty_tick_size: "0.00001",
    min_notional: "1",
    initial_price: "65000",
  },
];

const running: EmulatorHandle[] = [];
async function start(config: EmulatorConfigInput = {}): Promise<EmulatorHandle> {
  const em = await startEmulator({
    market_tick_ms: 0,
    rate_limits: false,
    ws_rate_limits: false,
    instruments: BTC_ONLY,
    ...config,
  });
  running.push(em);
  return em;
}
const sockets: WsClient[] = [];
async function connect(url: string): Promise<WsClient> {
  const c = await WsClient.connect(url);
  sockets.push(c);
  return c;
}
afterEach(async () => {
  for (const c of sockets.splice(0)) c.ws.terminate();
  await Promise.all(running.splice(0).map((e) => e.close()));
});

const leg = (i: number) => ({
  instrument_name: "BTC_USD",
  side: "SELL",
  type: i % 2 ? "STOP_LOSS" : "LIMIT",
  ...(i % 2 ? { ref_price: "60000.00" } : { price: "70000.00" }),
  quantity: "0.00100",
  client_oid: `leg-${i}`,
});

/** A LIMIT BUY that is refused with 213 (quantity off the tick): a final entry in the order log. */
const refused = (i: number) => ({
  instrument_name: "BTC_USD",
  side: "BUY",
  type: "LIMIT",
  price: "60000.00",
  quantity: "0.000011",
  client_oid: `bad-${i}`,
});

describe("OCO lists hold exactly two legs, as on the exchange", () => {
  it("a list of 9,000 legs is one rejected request: 40004, one log entry, no leg read", async () => {
    const em = await start();
    const legs = Array.from({ length: 9_000 }, () => ({
      side: "SELL",
      type: "LIMIT",
      price: "1",
      quantity: "1",
    }));
    const r = await privateCall(em.baseUrl, "private/advanced/create-oco", { order_list: legs } as never);
    expect([r.status, r.body.code]).toEqual([400, 40004]);
    expect(r.body.message).toBe(
      "Invalid order_list: an OCO list has exactly 2 orders (one LIMIT and one trigger), got 9000",
    );
    expect(em.admin.orders()).toEqual([
      expect.objectContaining({
        method: "private/advanced/create-oco",
        response_code: 40004,
        order_id: null,
        client_oid: null,
      }),
    ]);
    expect(em.exchange.engine.allOrders()).toEqual([]);
  });

  it("a valid list still logs both legs with their list_id", async () => {
    const em = await start();
    const r = await privateCall(em.baseUrl, "private/advanced/create-oco", {
      order_list: [leg(0), leg(1)],
    } as never);
    expect(r.body.code).toBe(0);
    const logged = em.admin.orders();
    expect(logged.map((o) => [o.client_oid, o.list_id, o.response_code])).toEqual([
      ["leg-0", r.body.result.list_id, 0],
      ["leg-1", r.body.result.list_id, 0],
    ]);
  });
});

describe("the order log is a bounded ring that never drops an open order", () => {
  it("drops the oldest final entries beyond limits.order_log_size and counts them", async () => {
    const em = await start({ limits: { order_log_size: 3 } as never });
    const open = await privateCall(em.baseUrl, "private/create-order", {
      instrument_name: "BTC_USD",
      side: "BUY",
      type: "LIMIT",
      price: "60000.00",
      quantity: "0.00100",
      client_oid: "open-1",
    });
    expect(open.body.code).toBe(0);
    for (let i = 0; i < 5; i++) {
      expect((await privateCall(em.baseUrl, "private/create-order", refused(i))).body.code).toBe(213);
    }
    // Six requests, room for three: the open order (the oldest) stays, bad-0..bad-2 went.
    const page = em.admin.ordersPage();
    expect(page.orders.map((o) => [o.seq, o.client_oid])).toEqual([
      [1, "open-1"],
      [5, "bad-3"],
      [6, "bad-4"],
    ]);
    expect(page).toMatchObject({ total: 3, dropped: 3, received: 6, next_after: null });
    // Once final, the order's entry is the oldest final one and goes first.
    expect((await privateCall(em.baseUrl, "private/cancel-order", { client_oid: "open-1" })).body.code).toBe(
      0,
    );
    await privateCall(em.baseUrl, "private/create-order", refused(5));
    expect(em.admin.orders().map((o) => o.seq)).toEqual([5, 6, 7]);
    expect((await admin(em.adminUrl, "GET", "/state")).body).toMatchObject({
      orders_received: 7,
      orders_dropped: 4,
    });
  });

  it("keeps every open order even when they alone exceed the size", async () => {
    const em = await start({ limits: { order_log_size: 2 } as never });
    for (let i = 0; i < 4; i++) {
      const r = await privateCall(em.baseUrl, "private/create-order", {
        instrument_name: "BTC_USD",
        side: "BUY",
        type: "LIMIT",
        price: "60000.00",
        quantity: "0.00100",
        client_oid: `rest-${i}`,
      });
      expect(r.body.code).toBe(0);
    }
    expect(em.admin.ordersPage()).toMatchObject({ total: 4, dropped: 0 });
  });
});

describe("GET /emulator/admin/orders pages with a seq cursor", () => {
  it("reads everything in pages; next_after chains them; total, dropped and received are reported", async () => {
    const em = await start();
    for (let i = 0; i < 25; i++) await privateCall(em.baseUrl, "private/create-order", refused(i));
    const seen: number[] = [];
    let after = 0;
    const pages: number[] = [];
    for (;;) {
      const r = await admin(em.adminUrl, "GET", `/orders?after=${after}&limit=10`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ total: 25, dropped: 0, received: 25 });
      pages.push(r.body.orders.length);
      seen.push(...r.body.orders.map((o: Msg) => o.seq));
      if (r.body.next_after === null) break;
      after = r.body.next_after;
    }
    expect(pages).toEqual([10, 10, 5]);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    // Without parameters: the first 1000 entries in the same shape (`orders`, oldest first).
    const all = await admin(em.adminUrl, "GET", "/orders");
    expect(all.body.orders).toHaveLength(25);
    expect(all.body.next_after).toBeNull();
    expect(all.body.orders[0]).toMatchObject({
      seq: 1,
      client_oid: "bad-0",
      status: "REJECTED",
      reason: 213,
    });
  });

  it("a cursor survives drops between pages: nothing retained is skipped or repeated", async () => {
    const em = await start({ limits: { order_log_size: 4 } as never });
    for (let i = 0; i < 4; i++) await privateCall(em.baseUrl, "private/create-order", refused(i));
    const first = await admin(em.adminUrl, "GET", "/orders?limit=2");
    expect(first.body.orders.map((o: Msg) => o.seq)).toEqual([1, 2]);
    for (let i = 4; i < 7; i++) await privateCall(em.baseUrl, "private/create-order", refused(i));
    const rest = await admin(em.adminUrl, "GET", `/orders?after=${first.body.next_after}&limit=10`);
    expect(rest.body.orders.map((o: Msg) => o.seq)).toEqual([4, 5, 6, 7]);
    expect(rest.body).toMatchObject({ total: 4, dropped: 3, received: 7 });
  });

  it("refuses a bad limit or after with 400 naming the parameter", async () => {
    const em = await start();
    for (const [query, message] of [
      ["limit=0", /^limit: must be from 1 to 10000$/],
      ["limit=10001", /^limit: must be from 1 to 10000$/],
      ["limit=ten", /^limit: must be a whole number from 1 to 10000$/],
      ["after=-1", /^after: must be 0 or more$/],
      ["after=1.5", /^after: must be a whole number/],
    ] as const) {
      const r = await admin(em.adminUrl, "GET", `/orders?${query}`);
      expect([query, r.status, r.body.error]).toEqual([query, 400, expect.stringMatching(message)]);
    }
  });
});

describe("oversized requests get the exchange's envelope, bounded", () => {
  it("a REST body over the limit: HTTP 413 with 40001, and the connection still serves", async () => {
    const em = await start();
    const body = JSON.stringify({ id: 1, method: "private/user-balance", pad: "x".repeat(1 << 20) });
    const r = await http(`${em.baseUrl}/private/user-balance`, { method: "POST", body });
    expect(r.status).toBe(413);
    expect(r.body).toEqual({
      id: -1,
      method: "private/user-balance",
      code: 40001,
      message: "BAD_REQUEST: the body is over the limit of 1048576 bytes",
    });
    expect(r.text.length).toBeLessThan(300);
    expect((await privateCall(em.baseUrl, "private/user-balance", {})).body.code).toBe(0);
  });

  it("limits.max_request_bytes sets the limit for REST bodies", async () => {
    const em = await start({ limits: { max_request_bytes: 2_048 } as never });
    const big = await privateCall(em.baseUrl, "private/get-open-orders", { pad: "y".repeat(2_100) } as never);
    expect([big.status, big.body.code]).toEqual([413, 40001]);
    const fits = await privateCall(em.baseUrl, "private/get-open-orders", {
      pad: "y".repeat(1_000),
    } as never);
    expect(fits.body.code).toBe(0);
  });

  it("a 50 MB WebSocket subscribe: 40001 without the payload; the connection stays usable", async () => {
    const em = await start();
    const c = await connect(em.wsMarketUrl);
    const channels = [`ticker.${"N".repeat(50_000_000)}`];
    const text = JSON.stringify({ id: 7, method: "subscribe", params: { channels } });
    c.ws.send(text);
    const err = await c.next((m: Msg) => m.method === "ERROR" || m.id === 7, 15_000);
    expect(err).toEqual({
      id: -1,
      method: "ERROR",
      code: 40001,
      message: `BAD_REQUEST: message of ${text.length} bytes is over the limit of 1048576 bytes`,
    });
    expect((await c.call("subscribe", { channels: ["ticker.BTC_USD"] })).code).toBe(0);
  });

  it("error replies quote a bounded part of what was sent (invalid channel, malformed message)", async () => {
    const em = await start();
    const c = await connect(em.wsMarketUrl);
    const long = `ticker.${"X".repeat(100_000)}`;
    const bad = await c.call("subscribe", { channels: [long] });
    expect(bad.code).toBe(10004);
    expect(JSON.stringify(bad).length).toBeLessThan(1_000);
    c.ws.send(`{"params":"${"z".repeat(100_000)}"}`);
    const malformed = await c.next((m: Msg) => m.method === "ERROR");
    expect(malformed.code).toBe(40003);
    expect(malformed.original.length).toBeLessThan(4_200);
    expect(malformed.original.startsWith('{"params":"zzz')).toBe(true);
  });

  it("a frame beyond the ceiling is refused before it is read: close 1009", async () => {
    const em = await start();
    const c = await connect(em.wsMarketUrl);
    c.ws.on("error", () => {}); // the client may see the reset while it is still sending
    c.ws.send(Buffer.alloc(WS_MAX_PAYLOAD_BYTES + 1, 0x20).toString());
    expect(await c.closed).toBe(1009);
  });
});

describe("closing while a latency fault holds requests", () => {
  /** `p` within `ms`, or a failure naming the step that hung (this test once timed out as a whole). */
  const step = <T>(what: string, p: Promise<T>, ms = 5_000): Promise<T> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    });
    return Promise.race([p, late]).finally(() => clearTimeout(timer));
  };

  it("releases held REST and WebSocket requests at once (nothing waits for the fault)", async () => {
    const em = await startEmulator({
      market_tick_ms: 0,
      instruments: BTC_ONLY,
      faults: [
        { kind: "latency", ms: 600_000, methods: ["public/get-instruments", "private/get-open-orders"] },
      ],
    });
    try {
      const c = await step("the user WebSocket connecting", WsClient.connect(em.wsUserUrl));
      expect((await step("the user WebSocket's auth", c.auth())).code).toBe(0);
      c.send({ method: "private/get-open-orders", params: {} });
      const rest = http(`${em.baseUrl}/public/get-instruments`).then(
        () => "answered",
        () => "reset",
      );
      const fired = () => em.admin.faults()[0]!.fired;
      const end = Date.now() + 5_000;
      while (fired() < 2) {
        if (Date.now() > end)
          throw new Error(`the latency fault fired ${fired()} times, not 2: a request never reached it`);
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(em.exchange.heldRequests()).toBe(2);
      await step("the emulator closing with two held requests", em.close());
      expect(await step("the held REST request ending", rest)).toBe("reset");
      expect(await step("the held WebSocket closing", c.closed)).toBe(1006);
      expect(em.exchange.heldRequests()).toBe(0); // their 10-minute timers are cleared
    } finally {
      await em.close().catch(() => undefined);
    }
  });
});
