/**
 * The market feed over real loopback against the emulator, through the Crypto.com client and its
 * market stream: REST backfill, live candles from `candlestick.1m.*`, REST polling while the socket
 * is down, and gap repair after the reconnect. Emulator time comes from a ManualClock that never
 * moves on its own; market time advances only by explicit one-second ticks, so candle boundaries do
 * not depend on where the wall clock is. Every scenario runs twice: starting mid-minute and 100 ms
 * before a minute boundary (the case that used to fail whenever the wall clock was there).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Candle } from "../../src/domain/market.js";
import { DEFAULT_INSTRUMENTS } from "../../src/emulator/default-instruments.js";
import { type EmulatorHandle, ManualClock, startEmulator } from "../../src/emulator/index.js";
import { CryptoComCandleSource } from "../../src/exchange/cryptocom/candle-source.js";
import { CryptoComClient } from "../../src/exchange/cryptocom/client.js";
import { type FeedEvent, MarketFeed } from "../../src/market/feed.js";

const MIN = 60_000;
let emu: EmulatorHandle;
let client: CryptoComClient;
let feed: MarketFeed | undefined;

/** 2026-03-02 10:00:00 UTC: any fixed minute works; the scenarios start at an offset into it. */
const MINUTE_START = Date.UTC(2026, 2, 2, 10, 0, 0);

async function startAt(t: number): Promise<void> {
  emu = await startEmulator(
    {
      ...{ market_tick_ms: 0, heartbeat_ms: 200, heartbeat_deadline_ms: 1_000 },
      // the one instrument the scenarios read: every tick moves (and books) only it
      instruments: DEFAULT_INSTRUMENTS.filter((i) => i.symbol === "BTC_USD"),
    },
    { port: 0, clock: new ManualClock(t) },
  );
  client = new CryptoComClient({ baseUrl: emu.baseUrl, retry: { baseDelayMs: 5, maxDelayMs: 40 } });
}
afterEach(async () => {
  await feed?.stop();
  feed = undefined;
  await client.close();
  await emu.close();
});

/** The emulator's market time (its clock plus the manual ticks). */
const now = () => emu.exchange.marketNow();

/** Moves market time forward by `ms` in one-second ticks; each tick pushes the current candle. */
function advance(ms: number): void {
  emu.admin.tick(ms / 1000);
}

function start(opts: { pollIntervalMs: number; reconnectBaseMs: number }) {
  const source = new CryptoComCandleSource({
    client,
    wsMarketUrl: emu.wsMarketUrl,
    stream: { warmupMs: 20, reconnectBaseMs: opts.reconnectBaseMs, reconnectMaxMs: opts.reconnectBaseMs },
  });
  const f = new MarketFeed(source, { now, pollIntervalMs: opts.pollIntervalMs });
  feed = f;
  const events: FeedEvent[] = [];
  f.on((e) => events.push(e));
  f.start();
  return { feed: f, events };
}

function waitFor(
  f: MarketFeed,
  pred: (e: FeedEvent) => boolean,
  what: string,
  ms = 15_000,
): Promise<FeedEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    const off = f.on((e) => {
      if (pred(e)) {
        clearTimeout(timer);
        off();
        resolve(e);
      }
    });
  });
}

/** Every closed candle the feed produced: the backfilled history, then each `closed` event. */
function closedHistory(events: FeedEvent[]): Candle[] {
  const out: Candle[] = [];
  for (const e of events) {
    if (e.type === "backfilled") out.push(...e.candles);
    if (e.type === "closed") out.push(e.candle);
  }
  return out;
}

/** The history is contiguous and equal to what REST reports now for the same minutes. */
async function expectMatchesRest(history: Candle[]): Promise<void> {
  for (let i = 1; i < history.length; i++) expect(history[i]!.t - history[i - 1]!.t).toBe(MIN);
  const last = history.at(-1)!;
  const rest = await client.getCandles("BTC_USD", "1m", {
    startTime: last.t - 29 * MIN,
    endTime: last.t,
    count: 30,
  });
  const byT = new Map(history.map((c) => [c.t, c]));
  expect(rest.length).toBe(30);
  for (const r of rest) {
    const ours = byT.get(r.time)!;
    expect([ours.o, ours.h, ours.l, ours.c, ours.v]).toEqual(
      [r.open, r.high, r.low, r.close, r.volume].map((d) => d.toNumber()),
    );
  }
}

/** Start of the newest candle that has closed at market time `now()`. */
const lastClosedStart = () => Math.floor(now() / MIN) * MIN - MIN;

describe.each([
  ["mid-minute", MINUTE_START + 30_000],
  ["100 ms before a minute boundary", MINUTE_START + 59_900],
])("MarketFeed ⇄ Crypto.com client ⇄ emulator (loopback), starting %s", (_when, startTime) => {
  beforeEach(async () => {
    await startAt(startTime);
    expect(now()).toBe(startTime);
  });

  it("backfills over REST, then closes candles from the live stream", async () => {
    const { feed, events } = start({ pollIntervalMs: 60_000, reconnectBaseMs: 50 });
    const connected = waitFor(feed, (e) => e.type === "connection" && e.connected, "stream connected");
    await feed.track("BTC_USD", [{ timeframe: "1m", warmup: 400 }]);
    const bf = events.find((e) => e.type === "backfilled");
    expect(bf?.type === "backfilled" && bf.candles.length).toBeGreaterThanOrEqual(400);
    await connected;
    expect(feed.health("BTC_USD")).toMatchObject({ ok: true, streamConnected: true });
    const firstLive = feed.series("BTC_USD", "1m")!.live!.t;

    advance(3 * MIN);
    const target = lastClosedStart();
    await waitFor(feed, (e) => e.type === "closed" && e.candle.t === target, "stream closes");
    const closes = events.flatMap((e) => (e.type === "closed" ? [e] : []));
    expect(closes.length).toBeGreaterThanOrEqual(3);
    expect(closes[0]!.candle.t).toBe(firstLive);
    expect(closes.every((e) => !e.catchUp)).toBe(true);
    expect(events.filter((e) => e.type === "live").length).toBeGreaterThan(100);
    await expectMatchesRest(closedHistory(events));
  });

  it("falls back to REST polling while the socket is down, then repairs after the reconnect", async () => {
    const { feed, events } = start({ pollIntervalMs: 100, reconnectBaseMs: 3_000 });
    const connected = waitFor(feed, (e) => e.type === "connection" && e.connected, "stream connected");
    await feed.track("BTC_USD", [{ timeframe: "1m", warmup: 60 }]);
    await connected;

    const down = waitFor(feed, (e) => e.type === "connection" && !e.connected, "stream down");
    expect(emu.admin.dropWebSockets()).toBeGreaterThan(0);
    await down;
    // while the socket is down the market moves on; polling brings the closed candles
    advance(2 * MIN);
    const target = lastClosedStart();
    await Promise.all([
      waitFor(feed, (e) => e.type === "closed" && e.candle.t === target, "polled close"),
      waitFor(feed, (e) => e.type === "ticker", "polled ticker"),
    ]);
    expect(feed.connected).toBe(false);
    expect(feed.health("BTC_USD")).toMatchObject({ ok: true, streamConnected: false });
    await waitFor(feed, (e) => e.type === "connection" && e.connected, "reconnected", 20_000);
    advance(MIN);
    const next = lastClosedStart();
    await waitFor(feed, (e) => e.type === "closed" && e.candle.t === next, "close after reconnect");
    await expectMatchesRest(closedHistory(events));
  });

  it("repairs the candles missed while the socket was down (no polling), in order, flagged as catch-up", async () => {
    const { feed, events } = start({ pollIntervalMs: 60_000, reconnectBaseMs: 300 });
    let connected = waitFor(feed, (e) => e.type === "connection" && e.connected, "stream connected");
    await feed.track("BTC_USD", [{ timeframe: "1m", warmup: 60 }]);
    await connected;
    const down = waitFor(feed, (e) => e.type === "connection" && !e.connected, "stream down");
    connected = waitFor(feed, (e) => e.type === "connection" && e.connected, "reconnected");
    emu.admin.dropWebSockets();
    await down;
    const before = feed.series("BTC_USD", "1m")!.live!.t;
    advance(4 * MIN); // nobody hears these ticks
    const target = lastClosedStart();
    const repaired = waitFor(feed, (e) => e.type === "closed" && e.candle.t === target, "repair");
    await connected;
    await repaired;
    const burst = events.flatMap((e) => (e.type === "closed" ? [[e.candle.t, e.catchUp]] : []));
    const expected: [number, boolean][] = [];
    for (let t = before; t <= target; t += MIN) expected.push([t, t !== target]);
    expect(expected.length).toBeGreaterThanOrEqual(4);
    expect(burst).toEqual(expected);
    await expectMatchesRest(closedHistory(events));
  });
});
