/**
 * Market and user streams against the emulator's WebSocket servers over loopback: heartbeats,
 * books kept equal to the REST book through deltas, gap detection and resync, reconnect with
 * resubscribe, user channels, stale-socket detection and the REST gap-fill after a reconnect.
 */
import { afterEach, describe, expect, it } from "vitest";
import { UnsignableParamError } from "../../../src/exchange/cryptocom/signing.js";
import { MarketStream } from "../../../src/exchange/cryptocom/ws/market-stream.js";
import { UserStream } from "../../../src/exchange/cryptocom/ws/user-stream.js";
import type { Fill, Order, OrderBook, UpdateSource } from "../../../src/exchange/types.js";
import { dec } from "../../../src/util/decimal.js";
import { DEMO, useEmulator } from "./helpers/emulator.js";

const fx = useEmulator({ heartbeat_ms: 100, heartbeat_deadline_ms: 400 });

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  fx.emu.admin.clearFaults();
  while (stops.length) await stops.pop()!();
});

function once<T>(
  em: { once(ev: string, f: (...a: never[]) => void): unknown },
  ev: string,
  ms = 10_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out waiting for ${ev}`)), ms);
    em.once(ev, ((v: T) => {
      clearTimeout(t);
      resolve(v);
    }) as never);
  });
}

async function until(cond: () => boolean | Promise<boolean>, ms = 10_000, what = "condition"): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const levels = (b: Pick<OrderBook, "bids" | "asks">) =>
  JSON.stringify([
    b.bids.map((l) => [l.price.toFixed(), l.quantity.toFixed()]),
    b.asks.map((l) => [l.price.toFixed(), l.quantity.toFixed()]),
  ]);

function market(): MarketStream {
  const s = new MarketStream({ url: fx.emu.wsMarketUrl, warmupMs: 50, reconnectBaseMs: 50 });
  stops.push(() => s.stop());
  return s;
}

describe("MarketStream (emulator)", () => {
  it("answers heartbeats, keeps the book equal to REST through deltas, and streams tickers/trades/candles", async () => {
    const s = market();
    const disconnects: unknown[] = [];
    s.on("disconnected", (d) => disconnects.push(d));
    const gaps: unknown[] = [];
    s.on("bookGap", (g) => gaps.push(g));
    let tickers = 0;
    let candles = 0;
    s.on("ticker", () => tickers++);
    s.on("candle", (k) => {
      expect(k.symbol).toBe("BTC_USD");
      expect(k.timeframe).toBe("1m");
      candles++;
    });
    await s.subscribe({
      books: [{ symbol: "BTC_USD", depth: 10 }],
      tickers: ["BTC_USD"],
      trades: ["BTC_USD"],
      candles: [{ symbol: "BTC_USD", timeframe: "1m" }],
    });
    s.start();
    await once(s, "ready");
    await until(() => s.book("BTC_USD") !== undefined, 5_000, "book snapshot");
    const seq0 = s.book("BTC_USD")!.sequence!;
    for (let i = 0; i < 20; i++) fx.emu.admin.tick(1);
    const rest = fx.client();
    await until(
      async () => levels(s.book("BTC_USD")!) === levels(await rest.getBook("BTC_USD", 10)),
      5_000,
      "book = REST book",
    );
    expect(s.book("BTC_USD")!.sequence!).toBeGreaterThan(seq0);
    expect(gaps).toEqual([]);
    await until(() => tickers > 0 && candles > 0, 5_000, "ticker and candle pushes");
    // several heartbeat periods (100 ms, 400 ms deadline) without being closed
    await new Promise((r) => setTimeout(r, 800));
    expect(disconnects).toEqual([]);
  });

  it("a skipped delta (book_gap) is detected and the book is re-synchronised from a new snapshot", async () => {
    const s = market();
    await s.subscribe({ books: [{ symbol: "ETH_USD", depth: 10 }] });
    s.start();
    await once(s, "ready");
    await until(() => s.book("ETH_USD") !== undefined, 5_000, "snapshot");
    fx.emu.admin.addFault({ kind: "book_gap", instruments: ["ETH_USD"], count: 1 });
    const gap = once<{ symbol: string; expected: number; got: number }>(s, "bookGap");
    for (let i = 0; i < 10; i++) fx.emu.admin.tick(1);
    const g = await gap;
    expect(g.symbol).toBe("ETH_USD");
    expect(g.got).not.toBe(g.expected);
    const rest = fx.client();
    await until(
      async () => {
        const b = s.book("ETH_USD");
        return b !== undefined && levels(b) === levels(await rest.getBook("ETH_USD", 10));
      },
      5_000,
      "resynced book",
    );
  });

  it("reconnects after a drop and resubscribes (fresh snapshot)", async () => {
    const s = market();
    await s.subscribe({ books: [{ symbol: "SOL_USD", depth: 10 }], tickers: ["SOL_USD"] });
    s.start();
    await once(s, "ready");
    await until(() => s.book("SOL_USD") !== undefined, 5_000, "snapshot");
    const down = once<{ willReconnect: boolean }>(s, "disconnected");
    expect(fx.emu.admin.dropWebSockets()).toBeGreaterThan(0);
    expect((await down).willReconnect).toBe(true);
    expect(s.book("SOL_USD")).toBeUndefined(); // invalid until the new snapshot
    await once(s, "ready");
    await until(() => s.book("SOL_USD") !== undefined, 5_000, "snapshot after reconnect");
  });
});

describe("UserStream (emulator)", () => {
  function user(opts: Partial<ConstructorParameters<typeof UserStream>[0]> = {}) {
    const rest = fx.client();
    const s = new UserStream({
      url: fx.emu.wsUserUrl,
      ...DEMO,
      rest,
      warmupMs: 50,
      reconnectBaseMs: 300,
      ...opts,
    });
    stops.push(() => s.stop());
    return { s, rest };
  }

  it("private calls over the socket: a result when valid, refused locally with a fractional number", async () => {
    const { s } = user();
    s.start();
    await once(s, "ready");
    const result = (await s.call("private/get-open-orders", {})) as { data: unknown[] };
    expect(Array.isArray(result.data)).toBe(true);
    await expect(s.call("private/create-order", { instrument_name: "BTC_USD", price: 0.1 })).rejects.toThrow(
      UnsignableParamError,
    );
  });

  it("user.order / user.trade / user.balance after a REST order", async () => {
    const { s, rest } = user();
    const orders: [Order, UpdateSource][] = [];
    const fills: Fill[] = [];
    let balances = 0;
    s.on("order", (o, src) => orders.push([o, src]));
    s.on("trade", (f) => fills.push(f));
    s.on("balance", () => balances++);
    s.start();
    await once(s, "ready");
    const out = await rest.placeOrder({
      intentId: "ws-1",
      symbol: "BTC_USD",
      side: "BUY",
      type: "MARKET",
      notional: "20.00",
    });
    expect(out.status).toBe("accepted");
    if (out.status !== "accepted") return;
    await until(
      () => orders.some(([o]) => o.orderId === out.orderId && o.status === "FILLED"),
      5_000,
      "FILLED push",
    );
    await until(() => fills.some((f) => f.orderId === out.orderId), 5_000, "trade push");
    await until(() => balances > 0, 5_000, "balance push");
    expect(orders.every(([, src]) => src === "stream")).toBe(true);
  });

  it("after a drop: re-auth, resubscribe, and a REST gap-fill reports what happened meanwhile (none on the first connect)", async () => {
    const rest = fx.client();
    // The gap-fill reads the emulator through the real client; after the drop it waits until the
    // orders below exist, so a reconnect that beats them (a loaded machine) cannot miss them.
    let dropped = false;
    let placed!: () => void;
    const allPlaced = new Promise<void>((r) => {
      placed = r;
    });
    const held = async <T>(read: () => Promise<T>): Promise<T> => {
      if (dropped) await allPlaced;
      return read();
    };
    const { s } = user({
      rest: {
        getOpenOrders: () => held(() => rest.getOpenOrders()),
        getOpenTriggerOrders: () => held(() => rest.getOpenTriggerOrders()),
        getOrderHistory: (q) => held(() => rest.getOrderHistory(q)),
      },
    });
    const orders: [Order, UpdateSource][] = [];
    const triggers: [Order, UpdateSource][] = [];
    s.on("order", (o, src) => orders.push([o, src]));
    s.on("triggerOrder", (o, src) => triggers.push([o, src]));
    const low = dec(fx.emu.admin.price("BTC_USD")).div(2).toDecimalPlaces(2).toFixed(2);
    // resting before the stream starts: a gap-fill on the first connection would report it
    const before = await rest.placeOrder({
      intentId: "ws-gap-before",
      symbol: "BTC_USD",
      side: "BUY",
      type: "LIMIT",
      price: low,
      quantity: "0.001",
    });
    if (before.status !== "accepted") throw new Error(before.status);
    s.start();
    await once(s, "ready");
    expect([...orders, ...triggers].filter(([, src]) => src === "gapfill")).toEqual([]);

    const down = once(s, "disconnected");
    dropped = true;
    fx.emu.admin.dropWebSockets();
    await down;
    // placed while the socket is down: one filled (order history), one resting (open orders), one
    // trigger order (open trigger orders)
    const filled = await rest.placeOrder({
      intentId: "ws-gap-1",
      symbol: "BTC_USD",
      side: "BUY",
      type: "MARKET",
      notional: "15.00",
    });
    const resting = await rest.placeOrder({
      intentId: "ws-gap-2",
      symbol: "BTC_USD",
      side: "BUY",
      type: "LIMIT",
      price: low,
      quantity: "0.001",
    });
    const stop = await rest.placeTriggerOrder({
      intentId: "ws-gap-3",
      symbol: "BTC_USD",
      side: "SELL",
      type: "STOP_LOSS",
      refPrice: low,
      quantity: "0.0001",
    });
    if (filled.status !== "accepted" || resting.status !== "accepted" || stop.status !== "accepted") {
      throw new Error(`not accepted: ${[filled.status, resting.status, stop.status]}`);
    }
    placed();
    await once(s, "ready");
    expect(orders).toContainEqual([
      expect.objectContaining({ orderId: filled.orderId, status: "FILLED" }),
      "gapfill",
    ]);
    expect(orders).toContainEqual([expect.objectContaining({ orderId: resting.orderId }), "gapfill"]);
    expect(triggers).toContainEqual([expect.objectContaining({ orderId: stop.orderId }), "gapfill"]);

    // resubscribed: a change after the reconnect arrives as a push again
    await rest.cancelOrder({ orderId: resting.orderId });
    await until(
      () => orders.some(([o, src]) => o.orderId === resting.orderId && src === "stream"),
      5_000,
      "push after the reconnect",
    );
    await rest.cancelOrder({ orderId: before.orderId });
  });

  it("a silent socket (heartbeat_stall) is detected and replaced", async () => {
    const { s } = user({ staleMs: 500 });
    s.start();
    await once(s, "ready");
    fx.emu.admin.addFault({ kind: "heartbeat_stall", sockets: ["user"], count: 1 });
    const down = await once<{ willReconnect: boolean }>(s, "disconnected", 5_000);
    expect(down.willReconnect).toBe(true);
    await once(s, "ready", 5_000);
    expect(s.isAuthenticated).toBe(true);
  });
});
