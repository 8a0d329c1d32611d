/** WebSocket servers over real loopback: heartbeats, auth, subscriptions, book u/pu continuity. */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type EmulatorHandle, ManualClock, startEmulator } from "../../src/emulator/index.js";
import { type Msg, publicCall, WsClient } from "./helpers.js";

let em: EmulatorHandle;
const clients: WsClient[] = [];

async function connect(url: string, opts: { localAddress?: string } = {}): Promise<WsClient> {
  const c = await WsClient.connect(url, opts);
  clients.push(c);
  return c;
}

beforeAll(async () => {
  em = await startEmulator({
    market_tick_ms: 0,
    rate_limits: false,
    ws_rate_limits: false,
    heartbeat_ms: 100,
    // Generous: a loaded machine must not miss the deadline of a client that answers at once.
    heartbeat_deadline_ms: 1_000,
    limits: { max_market_subscriptions: 3 } as never,
  });
});
afterAll(async () => {
  for (const c of clients) c.ws.terminate();
  await em.close();
});

describe("heartbeats", () => {
  it("closes with 1000 when a heartbeat is not answered", async () => {
    const c = await connect(em.wsUserUrl);
    c.autoHeartbeat = false;
    const hb = await c.next((m) => m.method === "public/heartbeat");
    expect(hb).toEqual({ id: expect.any(Number), method: "public/heartbeat", code: 0 });
    expect(await c.closed).toBe(1000);
  });

  it("stays open while heartbeats are answered (user and market sockets)", async () => {
    for (const url of [em.wsUserUrl, em.wsMarketUrl]) {
      const c = await connect(url);
      for (let i = 0; i < 5; i++) {
        const from = c.messages.length;
        await c.next((m) => m.method === "public/heartbeat", 5_000, from);
      }
      expect(c.closeCode).toBeUndefined();
      expect(c.ws.readyState).toBe(c.ws.OPEN);
    }
  });
});

describe("user socket", () => {
  it("rejects private methods and user subscriptions before public/auth", async () => {
    const c = await connect(em.wsUserUrl);
    expect((await c.call("private/get-open-orders")).code).toBe(40101);
    expect((await c.call("subscribe", { channels: ["user.order"] })).code).toBe(40101);
  });

  it("public/auth: wrong secret → 40101, non-whitelisted IP → 40103, right → 0", async () => {
    const bad = await connect(em.wsUserUrl);
    expect(await bad.auth("demo-key", "wrong")).toEqual({
      id: expect.any(Number),
      method: "public/auth",
      code: 40101,
      message: "UNAUTHORIZED",
    });
    const far = await connect(em.wsUserUrl, { localAddress: "127.0.0.2" });
    expect((await far.auth()).code).toBe(40103);
    const ok = await connect(em.wsUserUrl);
    expect(await ok.auth()).toEqual({ id: expect.any(Number), method: "public/auth", code: 0 });
  });

  it("serves private methods after auth with REST result shapes, and pushes user.order", async () => {
    const c = await connect(em.wsUserUrl);
    await c.auth();
    const sub = await c.call("subscribe", { channels: ["user.order.BTC_USD", "user.balance"] });
    expect(sub.result).toMatchObject({ subscription: "user.order.BTC_USD", channel: "user.order", data: [] });
    const bal = await c.next((m) => m.id === sub.id && m.result?.channel === "user.balance");
    expect(bal.result.data[0].position_balances.length).toBeGreaterThan(0);
    const created = await c.call("private/create-order", {
      instrument_name: "BTC_USD",
      side: "BUY",
      type: "MARKET",
      notional: "50",
      client_oid: "ws-1",
    });
    expect(created.result).toEqual({ order_id: expect.any(String), client_oid: "ws-1" });
    const push = await c.next(
      (m) => m.id === -1 && m.result?.channel === "user.order" && m.result.data[0]?.status === "FILLED",
    );
    expect(push.result).toMatchObject({ subscription: "user.order.BTC_USD", instrument_name: "BTC_USD" });
    expect(push.result.data[0]).toMatchObject({ order_id: created.result.order_id, client_oid: "ws-1" });
    const detail = await c.call("private/get-order-detail", { client_oid: "ws-1" });
    expect(detail.result.status).toBe("FILLED");
  });

  it("answers malformed messages with method ERROR and the original", async () => {
    const c = await connect(em.wsUserUrl);
    c.ws.send('{"params":{}}');
    const m = await c.next((x) => x.method === "ERROR");
    expect(m).toMatchObject({ id: -1, code: 40003, original: '{"params":{}}' });
  });
});

describe("market socket", () => {
  it("acknowledges, then pushes ticker, trades and candles with id -1", async () => {
    const c = await connect(em.wsMarketUrl);
    const ack = await c.call("subscribe", {
      channels: ["ticker.BTC_USD", "trade.BTC_USD", "candlestick.1m.BTC_USD"],
    });
    expect(ack).toEqual({ id: ack.id, method: "subscribe", code: 0 });
    const ticker = await c.next((m) => m.result?.channel === "ticker");
    expect(ticker).toMatchObject({
      id: -1,
      method: "subscribe",
      code: 0,
      result: { instrument_name: "BTC_USD", subscription: "ticker.BTC_USD" },
    });
    expect(Object.keys(ticker.result.data[0]).sort()).toEqual([
      "a",
      "b",
      "bs",
      "c",
      "h",
      "i",
      "k",
      "ks",
      "l",
      "oi",
      "t",
      "v",
      "vv",
    ]);
    const candle = await c.next((m) => m.result?.channel === "candlestick");
    expect(candle).toMatchObject({ id: -1, method: "subscribe", code: 0 });
    expect(candle.result).toMatchObject({ interval: "1m", subscription: "candlestick.1m.BTC_USD" });
    expect(Object.keys(candle.result.data[0]).sort()).toEqual(["c", "h", "l", "o", "t", "v"]);
    const trade = await c.next((m) => m.result?.channel === "trade");
    expect(trade).toMatchObject({
      id: -1,
      method: "subscribe",
      code: 0,
      result: { subscription: "trade.BTC_USD" },
    });
    const before = c.messages.length;
    em.admin.tick(3);
    await c.next((m) => m.result?.channel === "ticker", 5_000, before);
  });

  it("builds each payload once per market event, however many connections subscribe", async () => {
    const m = em.exchange.market;
    const subs = [] as WsClient[];
    for (let i = 0; i < 3; i++) {
      const c = await connect(em.wsMarketUrl);
      await c.call("subscribe", {
        channels: ["ticker.SOL_USD", "book.SOL_USD.10", "candlestick.5m.SOL_USD"],
      });
      await c.next((x) => x.result?.channel === "candlestick");
      subs.push(c);
    }
    const tickers = vi.spyOn(m, "tickerWire");
    const books = vi.spyOn(m, "bookWire");
    const candles = vi.spyOn(m, "candleToWire");
    let tickEvents = 0;
    let bookEvents = 0;
    const off = m.on((e) => {
      if (e.symbol !== "SOL_USD") return;
      if (e.type === "tick") tickEvents++;
      if (e.type !== "trade") bookEvents++;
    });
    try {
      const from = subs.map((c) => c.messages.length);
      em.admin.tick(2);
      const sol = (spy: { mock: { calls: unknown[][] } }) =>
        spy.mock.calls.filter((args) => args[0] === "SOL_USD").length;
      expect(tickEvents).toBe(2);
      expect(sol(tickers)).toBe(tickEvents);
      expect(sol(candles)).toBe(tickEvents);
      expect(sol(books)).toBe(bookEvents);
      // Every connection still got its own pushes.
      await Promise.all(subs.map((c, i) => c.next((x) => x.result?.channel === "ticker", 5_000, from[i])));
    } finally {
      off();
      tickers.mockRestore();
      books.mockRestore();
      candles.mockRestore();
      for (const c of subs) c.close();
    }
  });

  it("refuses an invalid channel (10004) and more than max_market_subscriptions (40107)", async () => {
    const c = await connect(em.wsMarketUrl);
    const bad = await c.call("subscribe", { channels: ["ticker.NOPE_USD"] });
    expect([bad.code, bad.message]).toEqual([10004, 'invalid channel {"channels":["ticker.NOPE_USD"]}']);
    const depth = await c.call("subscribe", { channels: ["book.BTC_USD.7"] });
    expect(depth.code).toBe(10004);
    expect(
      (await c.call("subscribe", { channels: ["ticker.BTC_USD", "ticker.ETH_USD", "ticker.SOL_USD"] })).code,
    ).toBe(0);
    expect((await c.call("subscribe", { channels: ["ticker.XRP_USD"] })).code).toBe(40107);
    expect((await c.call("unsubscribe", { channels: ["ticker.SOL_USD"] })).code).toBe(0);
    expect((await c.call("subscribe", { channels: ["ticker.XRP_USD"] })).code).toBe(0);
  });

  it("user channels are not served on the market socket", async () => {
    const c = await connect(em.wsMarketUrl);
    expect((await c.call("subscribe", { channels: ["user.order"] })).code).toBe(10004);
  });
});

type Level = [string, string, string];

function apply(side: Map<string, string>, levels: Level[]): void {
  for (const [p, q] of levels) {
    if (q === "0") side.delete(p);
    else side.set(p, q);
  }
}

describe("book snapshot and deltas", () => {
  it("deltas chain by u/pu and rebuild the same book the REST endpoint shows", async () => {
    const c = await connect(em.wsMarketUrl);
    await c.call("subscribe", { channels: ["book.ETH_USD.10"] });
    const snap = await c.next((m) => m.result?.channel === "book");
    expect(snap.result).toMatchObject({
      instrument_name: "ETH_USD",
      subscription: "book.ETH_USD.10",
      depth: 10,
    });
    const s = snap.result.data[0];
    expect(s.bids).toHaveLength(10);
    const bids = new Map<string, string>(s.bids.map((l: Level) => [l[0], l[1]]));
    const asks = new Map<string, string>(s.asks.map((l: Level) => [l[0], l[1]]));
    let lastU: number = s.u;
    const from = c.messages.length;
    em.admin.tick(25);
    em.admin.setPrice("ETH_USD", "3100");
    const last = await c.next(
      (m) =>
        m.result?.channel === "book.update" && m.result.data[0].u === em.exchange.market.book("ETH_USD").u,
      5_000,
      from,
    );
    const deltas = c.messages.slice(from).filter((m: Msg) => m.result?.channel === "book.update");
    expect(deltas.length).toBeGreaterThanOrEqual(26);
    for (const d of deltas) {
      const x = d.result.data[0];
      expect(x.pu).toBe(lastU);
      expect(x.u).toBeGreaterThan(lastU);
      lastU = x.u;
      apply(bids, x.update.bids);
      apply(asks, x.update.asks);
    }
    expect(deltas.at(-1)).toBe(last);
    const rest = await publicCall(em.baseUrl, "public/get-book", { instrument_name: "ETH_USD", depth: "10" });
    const book = rest.body.result.data[0];
    const sorted = (m: Map<string, string>, desc: boolean) =>
      [...m.entries()]
        .sort((a, b) => (desc ? Number(b[0]) - Number(a[0]) : Number(a[0]) - Number(b[0])))
        .slice(0, 10);
    expect(sorted(bids, true)).toEqual(book.bids.map((l: Level) => [l[0], l[1]]));
    expect(sorted(asks, false)).toEqual(book.asks.map((l: Level) => [l[0], l[1]]));
  });

  it("a fill that takes liquidity produces a delta", async () => {
    const c = await connect(em.wsMarketUrl);
    await c.call("subscribe", { channels: ["book.SOL_USD.10"] });
    const snap = await c.next((m) => m.result?.channel === "book");
    const bestAsk: Level = snap.result.data[0].asks[0];
    const user = await connect(em.wsUserUrl);
    await user.auth();
    const from = c.messages.length;
    await user.call("private/create-order", {
      instrument_name: "SOL_USD",
      side: "BUY",
      type: "MARKET",
      quantity: "0.010",
    });
    const d = await c.next((m) => m.result?.channel === "book.update", 5_000, from);
    const changed = d.result.data[0].update.asks.find((l: Level) => l[0] === bestAsk[0]);
    expect(changed).toBeDefined();
    expect(Number(changed[1])).toBeCloseTo(Number(bestAsk[1]) - 0.01, 6);
    expect(d.result.data[0].pu).toBe(snap.result.data[0].u);
  });
});

describe("WebSocket rate limit", () => {
  it("answers 42901 beyond the per-second allowance of a connection", async () => {
    // Emulator time stands still, so all 20 requests fall in one calendar second.
    const e = await startEmulator(
      {
        market_tick_ms: 0,
        limits: { ws_market_requests_per_second: 5 } as never,
        switches: { ws_prorate_first_second: false } as never,
      },
      { clock: new ManualClock(Date.UTC(2030, 0, 1, 0, 0, 0, 500)) },
    );
    try {
      const c = await WsClient.connect(e.wsMarketUrl);
      clients.push(c);
      const ids = Array.from({ length: 20 }, () =>
        c.send({ method: "subscribe", params: { channels: ["ticker.BTC_USD"] } }),
      );
      const replies = await Promise.all(ids.map((id) => c.next((m) => m.id === id)));
      const codes = replies.map((r) => r.code);
      expect(codes.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
      expect(codes.slice(5)).toEqual(Array(15).fill(42901));
    } finally {
      await e.close();
    }
  });
});
