/**
 * An injected clock drives every timestamp the emulator produces or checks: market time, the `Date`
 * header, the nonce window, order times, heartbeat ids, the REST and WebSocket rate-limit windows
 * and the book heartbeat. With a ManualClock nothing moves unless the test moves it, whatever the
 * wall clock does meanwhile.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import {
  type EmulatorConfigInput,
  type EmulatorHandle,
  ManualClock,
  startEmulator,
} from "../../src/emulator/index.js";
import { type Msg, privateCall, publicCall, WsClient } from "./helpers.js";

/** 100 ms before a minute (and a second) boundary, far from the wall clock. */
const T = Date.UTC(2031, 4, 6, 7, 8, 59, 900);

const running: EmulatorHandle[] = [];
const sockets: WsClient[] = [];
async function start(config: EmulatorConfigInput, clock = new ManualClock(T)) {
  const em = await startEmulator({ market_tick_ms: 0, history_days: 1, ...config }, { clock });
  running.push(em);
  return { em, clock };
}
async function connect(url: string): Promise<WsClient> {
  const c = await WsClient.connect(url);
  sockets.push(c);
  return c;
}
afterEach(async () => {
  for (const c of sockets.splice(0)) c.ws.terminate();
  await Promise.all(running.splice(0).map((e) => e.close()));
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("a ManualClock injected with startEmulator(config, { clock })", () => {
  it("fixes market time, the Date header and the admin clock; only the test moves them", async () => {
    const { em, clock } = await start({ rate_limits: false });
    expect(em.exchange.marketNow()).toBe(T);
    await pause(30); // the wall clock moves on; the emulator does not
    expect(em.exchange.marketNow()).toBe(T);
    const r = await publicCall(em.baseUrl, "public/get-instruments");
    expect(r.headers.date).toBe(new Date(T).toUTCString());
    expect(em.admin.clock()).toEqual({ now: T, offset_ms: 0 });
    clock.advance(60_000);
    em.admin.setClockOffset(5_000);
    expect(em.admin.clock()).toEqual({ now: T + 65_000, offset_ms: 5_000 });
    expect(em.exchange.marketNow()).toBe(T + 65_000);
    em.admin.tick(2); // market ticks add on top: two nominal one-second steps
    expect(em.exchange.marketNow()).toBe(T + 67_000);
  });

  it("the nonce window is exactly [now − past, now + future] of the injected clock", async () => {
    const { em } = await start({ rate_limits: false });
    const code = async (nonce: number) =>
      (await privateCall(em.baseUrl, "private/user-balance", {}, { nonce })).body.code;
    expect(await code(T - 60_000)).toBe(0);
    expect(await code(T + 60_000)).toBe(0);
    expect(await code(T - 60_001)).toBe(40102);
    expect(await code(T + 60_001)).toBe(40102);
    expect(await code(Date.now())).toBe(40102); // the wall clock is years away
  });

  it("stamps orders with the injected clock", async () => {
    const { em, clock } = await start({ rate_limits: false });
    const nonce = T;
    const r = await privateCall(
      em.baseUrl,
      "private/create-order",
      { instrument_name: "BTC_USD", side: "BUY", type: "LIMIT", price: "60000.00", quantity: "0.00100" },
      { nonce },
    );
    expect(r.body.code).toBe(0);
    const id = r.body.result.order_id;
    clock.advance(1_234);
    const cancel = await privateCall(em.baseUrl, "private/cancel-order", { order_id: id }, { nonce: T });
    expect(cancel.body.code).toBe(0);
    const d = await privateCall(em.baseUrl, "private/get-order-detail", { order_id: id }, { nonce: T });
    expect(d.body.result).toMatchObject({ status: "CANCELED", create_time: T, update_time: T + 1_234 });
    expect(em.admin.orders()[0]?.received_at).toBe(T);
  });

  it("heartbeat ids are the injected clock's milliseconds", async () => {
    const { em } = await start({ heartbeat_ms: 20 });
    const c = await connect(em.wsMarketUrl);
    const hb = await c.next((m: Msg) => m.method === "public/heartbeat");
    expect(hb.id).toBe(T);
  });
});

describe("rate limits count in the injected clock's time", () => {
  it("REST: 100 public requests per second, the 101st refused until the clock moves a second", async () => {
    const { em, clock } = await start({});
    const codes: number[] = [];
    for (let i = 0; i < 105; i++) {
      codes.push(
        (await publicCall(em.baseUrl, "public/get-tickers", { instrument_name: "BTC_USD" })).body.code,
      );
    }
    expect(codes.filter((c) => c === 0)).toHaveLength(100);
    expect(codes.slice(100)).toEqual([42901, 42901, 42901, 42901, 42901]);
    await pause(30);
    expect((await publicCall(em.baseUrl, "public/get-tickers")).body.code).toBe(42901);
    clock.advance(1_000);
    expect((await publicCall(em.baseUrl, "public/get-tickers")).body.code).toBe(0);
  });

  it("REST windows measure the source's time: an offset change neither closes nor opens them", async () => {
    const { em, clock } = await start({});
    const trades = async (nonce: number) =>
      (await privateCall(em.baseUrl, "private/get-trades", {}, { nonce })).body.code;
    expect(await trades(T)).toBe(0); // 1 per second per key
    em.admin.setClockOffset(-30_000); // the exchange's clock moves back 30 s
    expect(await trades(T - 30_000)).toBe(42901); // still the same second of requests
    clock.advance(1_000);
    expect(await trades(T - 29_000)).toBe(0); // one second later, not 31
  });

  it("WebSocket: the calendar second (and its pro-rating) is the injected clock's", async () => {
    // Opened 100 ms before the end of a second: 10 % of 20 = 2 requests in that second.
    const { em, clock } = await start({ limits: { ws_market_requests_per_second: 20 } as never });
    const c = await connect(em.wsMarketUrl);
    const burst = async (n: number) => {
      const ids = Array.from({ length: n }, () =>
        c.send({ method: "subscribe", params: { channels: ["ticker.BTC_USD"] } }),
      );
      return (await Promise.all(ids.map((id) => c.next((m: Msg) => m.id === id)))).map((m: Msg) => m.code);
    };
    expect(await burst(4)).toEqual([0, 0, 42901, 42901]);
    await pause(150); // a wall-clock second boundary may pass; the emulator's second does not
    expect(await burst(1)).toEqual([42901]);
    clock.advance(100); // the next calendar second: the full allowance
    const next = await burst(22);
    expect(next.filter((x) => x === 0)).toHaveLength(20);
    expect(next.slice(20)).toEqual([42901, 42901]);
  });
});

describe("the book heartbeat (an empty delta after 5 s without change)", () => {
  it("comes after 5 s of the injected clock, not of the wall clock", async () => {
    const { em, clock } = await start({ ws_rate_limits: false });
    const c = await connect(em.wsMarketUrl);
    await c.call("subscribe", { channels: ["book.BTC_USD.10"] });
    await c.next((m: Msg) => m.result?.channel === "book");
    const from = c.messages.length;
    await pause(1_200); // the idle check ran at least once: emulator time has not moved
    expect(c.messages.slice(from).filter((m: Msg) => m.result?.channel === "book.update")).toEqual([]);
    clock.advance(5_000);
    const idle = await c.next((m: Msg) => m.result?.channel === "book.update", 5_000, from);
    expect(idle.result.data[0].update).toEqual({ asks: [], bids: [] });
    expect(idle.result.data[0].u).toBe(idle.result.data[0].pu);
  });
});

describe("REST and WebSocket read one clock", () => {
  it("an offset change or clock jump moves the Date header, heartbeat ids and the public/auth window alike", async () => {
    const { em } = await start({ heartbeat_ms: 20, rate_limits: false, ws_rate_limits: false });
    em.admin.setClockOffset(90_000); // beyond the 60 s nonce window
    const now = T + 90_000;
    const r = await publicCall(em.baseUrl, "public/get-instruments");
    expect(r.headers.date).toBe(new Date(now).toUTCString());
    const c = await connect(em.wsUserUrl);
    expect((await c.next((m: Msg) => m.method === "public/heartbeat")).id).toBe(now);
    expect((await c.auth("demo-key", "demo-secret", T)).code).toBe(40102); // the source's time is 90 s behind
    expect((await c.auth("demo-key", "demo-secret", now)).code).toBe(0);
    em.admin.setFaults([{ kind: "clock_jump", ms: -30_000, after_ms: 0 }]);
    while (em.admin.clock().offset_ms !== 60_000) await pause(5);
    const from = c.messages.length;
    expect((await c.next((m: Msg) => m.method === "public/heartbeat", 10_000, from)).id).toBe(T + 60_000);
    const after = await publicCall(em.baseUrl, "public/get-instruments");
    expect(after.headers.date).toBe(new Date(T + 60_000).toUTCString());
  });
});

describe("no emulator module reads the wall clock", () => {
  it("only clock.ts calls Date.now() (or new Date() without an argument); every other time is the emulator clock's", () => {
    const root = fileURLToPath(new URL("../../src/emulator/", import.meta.url));
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) => {
        const p = join(dir, n);
        return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
      });
    const readers: string[] = [];
    const all = files(root);
    for (const f of all) {
      const text = readFileSync(f, "utf8");
      if (/Date\.now\(|new Date\(\s*\)|performance\.now\(/.test(text)) readers.push(relative(root, f));
    }
    expect(all.length).toBeGreaterThan(30); // the scan read the emulator's files
    expect(readers).toEqual(["clock.ts"]);
  });
});
