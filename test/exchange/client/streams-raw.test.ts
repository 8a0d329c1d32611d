/**
 * Market and user streams against a scripted raw WebSocket server on 127.0.0.1 (real loopback):
 * warm-up, heartbeat replies, book gap detection and resync, resubscribe after a drop, public/auth,
 * fatal auth failure. (The REST gap-fill after a reconnect is tested against the emulator.)
 */
import { afterEach, describe, expect, it } from "vitest";
import { sign } from "../../../src/exchange/cryptocom/signing.js";
import { MarketStream } from "../../../src/exchange/cryptocom/ws/market-stream.js";
import { UserStream } from "../../../src/exchange/cryptocom/ws/user-stream.js";
import type { OrderBook } from "../../../src/exchange/types.js";
import { type RawWsServer, startRawWsServer, type WsConn } from "./helpers/raw-ws-server.js";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

function once<T>(
  emitter: { once(ev: string, f: (...a: never[]) => void): unknown },
  ev: string,
  timeoutMs = 10_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out waiting for ${ev}`)), timeoutMs);
    emitter.once(ev, ((v: T) => {
      clearTimeout(t);
      resolve(v);
    }) as never);
  });
}

/** Acks subscribe/unsubscribe and auth (secret "s3cret"). */
function exchangeLike(msg: Record<string, unknown>, conn: WsConn, server: RawWsServer): void {
  if (msg.method === "subscribe" || msg.method === "unsubscribe") {
    server.send(conn, { id: msg.id, method: msg.method, code: 0 });
  } else if (msg.method === "public/auth") {
    const expected = sign(
      {
        method: "public/auth",
        id: msg.id as number,
        apiKey: msg.api_key as string,
        nonce: msg.nonce as number,
      },
      "s3cret",
    );
    server.send(conn, { id: msg.id, method: "public/auth", code: expected === msg.sig ? 0 : 40101 });
  }
}

const bookPush = (data: unknown) => ({
  id: -1,
  method: "subscribe",
  code: 0,
  result: { instrument_name: "BTC_USD", subscription: "book.BTC_USD.10", channel: "book", data: [data] },
});
const deltaPush = (data: unknown) => ({
  id: -1,
  method: "subscribe",
  code: 0,
  result: {
    instrument_name: "BTC_USD",
    subscription: "book.BTC_USD.10",
    channel: "book.update",
    data: [data],
  },
});

describe("MarketStream", () => {
  it("waits the warm-up, answers heartbeats, applies book deltas in sequence and resyncs on a gap", async () => {
    const server = await startRawWsServer(exchangeLike);
    closers.push(() => server.close());
    const stream = new MarketStream({ url: server.url, warmupMs: 200, reconnectBaseMs: 20 });
    closers.push(() => stream.stop());
    await stream.subscribe({ books: [{ symbol: "BTC_USD", depth: 10 }], tickers: ["BTC_USD"] });
    stream.start();

    const { msg: sub, conn } = await server.next(
      (m) => m.method === "subscribe" && JSON.stringify(m).includes("book."),
    );
    expect(conn.received[0]!.at - conn.openedAt).toBeGreaterThanOrEqual(190);
    expect(sub.params).toMatchObject({
      channels: ["book.BTC_USD.10"],
      book_subscription_type: "SNAPSHOT_AND_UPDATE",
    });

    // heartbeat → respond-heartbeat with the same id
    server.send(conn, { id: 1587523073344, method: "public/heartbeat", code: 0 });
    const { msg: hb } = await server.next((m) => m.method === "public/respond-heartbeat");
    expect(hb.id).toBe(1587523073344);

    const books: OrderBook[] = [];
    stream.on("book", (b) => books.push(b));
    server.send(conn, bookPush({ bids: [["100.0", "1", "0"]], asks: [["101.0", "2", "0"]], t: 1, u: 10 }));
    server.send(
      conn,
      deltaPush({
        update: { bids: [["100.5", "3", "0"]], asks: [["101.0", "0", "0"]] },
        t: 2,
        u: 11,
        pu: 10,
      }),
    );
    await new Promise<void>((r) => {
      const check = () => (books.length >= 2 ? r() : setTimeout(check, 5));
      check();
    });
    const b = books[1]!;
    expect(b.bids.map((l) => l.price.toFixed())).toEqual(["100.5", "100"]);
    expect(b.asks).toEqual([]);
    expect(b.sequence).toBe(11);

    // a gap: pu 12 while the last u is 11 → bookGap, unsubscribe + subscribe, deltas ignored until a snapshot
    const gap = once<{ symbol: string; expected: number; got: number }>(stream, "bookGap");
    server.send(conn, deltaPush({ update: { bids: [["99", "1", "0"]], asks: [] }, t: 3, u: 13, pu: 12 }));
    expect(await gap).toEqual({ symbol: "BTC_USD", expected: 11, got: 12 });
    await server.next((m) => m.method === "unsubscribe");
    await server.next((m) => m.method === "subscribe");
    const countAfterGap = books.length;
    server.send(conn, deltaPush({ update: { bids: [["98", "1", "0"]], asks: [] }, t: 4, u: 14, pu: 13 }));
    const fresh = once<OrderBook>(stream, "book");
    server.send(conn, bookPush({ bids: [["97.0", "1", "0"]], asks: [["102.0", "1", "0"]], t: 5, u: 20 }));
    const snap = await fresh;
    expect(books.length).toBe(countAfterGap + 1); // the out-of-sync delta was ignored
    expect(snap.bids.map((l) => l.price.toFixed())).toEqual(["97"]);
    expect(stream.book("BTC_USD")!.sequence).toBe(20);
  });

  it("channels added during the warm-up wait for it, then go out with the session", async () => {
    const server = await startRawWsServer(exchangeLike);
    closers.push(() => server.close());
    const stream = new MarketStream({ url: server.url, warmupMs: 300, reconnectBaseMs: 20 });
    closers.push(() => stream.stop());
    stream.start();
    await new Promise<void>((r) => {
      const check = () => (server.conns.length > 0 ? r() : setTimeout(check, 5));
      check();
    });
    await stream.subscribe({ tickers: ["BTC_USD"] }); // socket open, warm-up running
    await once(stream, "ready");
    const conn = server.conns[0]!;
    expect(conn.received[0]!.at - conn.openedAt).toBeGreaterThanOrEqual(290);
    const subs = conn.received.filter((r) => r.msg.method === "subscribe");
    expect(subs).toHaveLength(1);
    expect((subs[0]!.msg.params as { channels: string[] }).channels).toEqual(["ticker.BTC_USD"]);
    await stream.subscribe({ trades: ["BTC_USD"] }); // session up: sent (and acknowledged) at once
    const last = conn.received.filter((r) => r.msg.method === "subscribe").at(-1)!;
    expect((last.msg.params as { channels: string[] }).channels).toEqual(["trade.BTC_USD"]);
  });

  it("request nonces come from the nonce source: the injected clock, strictly increasing", async () => {
    const server = await startRawWsServer(exchangeLike);
    closers.push(() => server.close());
    const T = 1_700_000_000_000; // a clock that does not move: nonces must still increase
    const stream = new MarketStream({ url: server.url, warmupMs: 20, reconnectBaseMs: 20, now: () => T });
    closers.push(() => stream.stop());
    await stream.subscribe({ tickers: ["BTC_USD"], books: [{ symbol: "BTC_USD", depth: 10 }] });
    stream.start();
    await once(stream, "ready");
    await stream.subscribe({ trades: ["BTC_USD"] });
    await stream.unsubscribe(["trade.BTC_USD"]);
    const nonces = server.conns[0]!.received.map((r) => r.msg.nonce);
    expect(nonces).toHaveLength(4);
    expect([...nonces].sort()).toEqual([T, T + 1, T + 2, T + 3]);
  });

  it("reconnects with back-off and resubscribes every channel", async () => {
    const server = await startRawWsServer(exchangeLike);
    closers.push(() => server.close());
    const stream = new MarketStream({ url: server.url, warmupMs: 50, reconnectBaseMs: 20 });
    closers.push(() => stream.stop());
    await stream.subscribe({
      tickers: ["BTC_USD", "ETH_USD"],
      trades: ["BTC_USD"],
      candles: [{ symbol: "BTC_USD", timeframe: "1m" }],
    });
    stream.start();
    await once(stream, "ready");
    const disconnected = once<{ willReconnect: boolean }>(stream, "disconnected");
    server.dropAll();
    expect((await disconnected).willReconnect).toBe(true);
    await once(stream, "ready");
    expect(server.conns).toHaveLength(2);
    const resub = server.conns[1]!.received.find((r) => r.msg.method === "subscribe")!;
    expect((resub.msg.params as { channels: string[] }).channels.sort()).toEqual(
      ["candlestick.1m.BTC_USD", "ticker.BTC_USD", "ticker.ETH_USD", "trade.BTC_USD"].sort(),
    );
    const tick = once<{ symbol: string }>(stream, "ticker");
    server.send(server.conns[1]!, {
      id: -1,
      method: "subscribe",
      code: 0,
      result: {
        instrument_name: "BTC_USD",
        subscription: "ticker.BTC_USD",
        channel: "ticker",
        data: [{ i: "BTC_USD", a: "1.5", b: "1.4", k: "1.6", t: 9 }],
      },
    });
    expect((await tick).symbol).toBe("BTC_USD");
  });
});

const order = (id: string, status: string): Record<string, unknown> => ({
  order_id: id,
  client_oid: `c${id}`,
  order_type: "LIMIT",
  side: "BUY",
  status,
  quantity: "1",
  limit_price: "10",
  instrument_name: "BTC_USD",
  create_time: 1,
});

describe("UserStream", () => {
  // the REST gap-fill after a reconnect is tested against the emulator (streams.integration.test.ts)
  it("authenticates before anything else and subscribes, on the first connection and after a reconnect", async () => {
    const server = await startRawWsServer(exchangeLike);
    closers.push(() => server.close());
    const stream = new UserStream({
      url: server.url,
      apiKey: "k",
      apiSecret: "s3cret",
      warmupMs: 50,
      reconnectBaseMs: 20,
    });
    closers.push(() => stream.stop());
    const events: [string, string][] = [];
    stream.on("order", (o, source) => events.push([o.orderId, source]));
    stream.start();
    await once(stream, "ready");
    const first = server.conns[0]!.received.map((r) => r.msg.method);
    expect(first).toEqual(["public/auth", "subscribe"]);

    server.send(server.conns[0]!, {
      id: -1,
      method: "subscribe",
      code: 0,
      result: { subscription: "user.order", channel: "user.order", data: [order("1", "ACTIVE")] },
    });
    await new Promise<void>((r) => {
      const check = () => (events.length ? r() : setTimeout(check, 5));
      check();
    });
    expect(events).toEqual([["1", "stream"]]);

    server.dropAll();
    await once(stream, "ready");
    expect(server.conns[1]!.received.map((r) => r.msg.method)).toEqual(["public/auth", "subscribe"]);
  });

  it("a refused public/auth is fatal: error with the code, no reconnect loop", async () => {
    const server = await startRawWsServer(exchangeLike);
    closers.push(() => server.close());
    const stream = new UserStream({
      url: server.url,
      apiKey: "k",
      apiSecret: "wrong",
      warmupMs: 20,
      reconnectBaseMs: 20,
    });
    closers.push(() => stream.stop());
    const err = once<Error>(stream, "error");
    const disc = once<{ willReconnect: boolean }>(stream, "disconnected");
    stream.start();
    expect((await err).message).toMatch(/40101/);
    expect((await disc).willReconnect).toBe(false);
    await new Promise((r) => setTimeout(r, 150));
    expect(server.conns).toHaveLength(1);
    expect(server.conns[0]!.received.map((r) => r.msg.method)).toEqual(["public/auth"]);
  });
});
