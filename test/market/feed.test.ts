import { afterEach, describe, expect, it } from "vitest";
import { type FeedEvent, MarketFeed } from "../../src/market/feed.js";
import { dec } from "../../src/util/decimal.js";
import { candleAt, FakeSource } from "./fake-source.js";

const H = 3_600_000;
const T0 = Date.UTC(2026, 0, 10, 12, 30); // half-way through the 12:00 candle

let feed: MarketFeed | undefined;
afterEach(async () => {
  await feed?.stop();
  feed = undefined;
});

function setup(opts: { maxPerRequest?: number; pollMs?: number; capacity?: number } = {}) {
  const source = new FakeSource(T0, opts.maxPerRequest ?? 100);
  let now = T0;
  const events: FeedEvent[] = [];
  feed = new MarketFeed(source, {
    now: () => now,
    pollIntervalMs: opts.pollMs ?? 60_000,
    capacity: opts.capacity ?? 500,
  });
  feed.on((e) => events.push(e));
  feed.start();
  return {
    source,
    events,
    feed,
    setNow(t: number) {
      now = t;
      source.now = t;
    },
    closes: () => events.flatMap((e) => (e.type === "closed" ? [e] : [])),
  };
}

/** Resolves when `pred` holds for an event (checked on every event), or rejects after 10 s. */
function until(f: MarketFeed, pred: (e: FeedEvent) => boolean): Promise<FeedEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timed out waiting for a feed event")), 10_000);
    const off = f.on((e) => {
      if (pred(e)) {
        clearTimeout(timer);
        off();
        resolve(e);
      }
    });
  });
}

describe("MarketFeed with an in-process source", () => {
  it("backfills the warmup over several REST pages, subscribes, and reports a closed contiguous history", async () => {
    const { source, events, feed } = setup({ maxPerRequest: 100 });
    await feed.track("BTC_USD", [{ timeframe: "1h", warmup: 250 }]);
    const ev = events.find((e) => e.type === "backfilled");
    expect(ev?.type).toBe("backfilled");
    if (ev?.type !== "backfilled") return;
    expect(ev.candles.length).toBeGreaterThanOrEqual(250);
    expect(ev.live?.t).toBe(Date.UTC(2026, 0, 10, 12));
    ev.candles.forEach((c, i) => {
      if (i > 0) expect(c.t - ev.candles[i - 1]!.t).toBe(H);
    });
    expect(ev.candles.at(-1)!.t).toBe(ev.live!.t - H);
    expect(source.requests.length).toBeGreaterThanOrEqual(3);
    expect(source.requests.every((r) => (r.range.count ?? 0) <= 100)).toBe(true);
    expect(source.subscribed).toEqual([
      { candles: [{ symbol: "BTC_USD", timeframe: "1h" }], tickers: ["BTC_USD"] },
    ]);
    expect(feed.health("BTC_USD").ok).toBe(true);
  });

  it("closes the live candle when the stream moves to the next one, with the stream's final values", async () => {
    const { source, feed, events, closes } = setup();
    await feed.track("BTC_USD", [{ timeframe: "1h", warmup: 20 }]);
    source.listener!.connection(true, "subscribed");
    const t12 = Date.UTC(2026, 0, 10, 12);
    source.listener!.candle("BTC_USD", "1h", candleAt(t12, 3));
    expect(events.at(-1)).toEqual({
      type: "live",
      symbol: "BTC_USD",
      timeframe: "1h",
      candle: candleAt(t12, 3),
    });
    expect(closes()).toEqual([]);
    source.listener!.candle("BTC_USD", "1h", candleAt(t12 + H, 0));
    expect(closes().map((e) => [e.candle, e.catchUp])).toEqual([[candleAt(t12, 3), false]]);
    // a late duplicate of an older candle changes nothing
    source.listener!.candle("BTC_USD", "1h", candleAt(t12, 9));
    expect(closes()).toHaveLength(1);
    expect(feed.series("BTC_USD", "1h")!.live).toEqual(candleAt(t12 + H, 0));
  });

  it("repairs a gap over REST when the stream skips candles, closing the missed ones in order", async () => {
    const { source, feed, closes, setNow } = setup();
    await feed.track("BTC_USD", [{ timeframe: "1h", warmup: 20 }]);
    source.listener!.connection(true, "subscribed");
    const t12 = Date.UTC(2026, 0, 10, 12);
    setNow(t12 + 3 * H + 60_000);
    for (const t of [t12, t12 + H, t12 + 2 * H]) source.version.set(t, 5); // REST has the final values
    const done = until(feed, (e) => e.type === "closed" && e.candle.t === t12 + 2 * H);
    source.listener!.candle("BTC_USD", "1h", candleAt(t12 + 3 * H, 1));
    expect(feed.series("BTC_USD", "1h")!.state).toBe("repairing");
    expect(feed.health("BTC_USD").reasons.join()).toMatch(/repairing missed candles/);
    await done;
    expect(closes().map((e) => [e.candle, e.catchUp])).toEqual([
      [candleAt(t12, 5), true],
      [candleAt(t12 + H, 5), true],
      [candleAt(t12 + 2 * H, 5), false],
    ]);
    expect(feed.series("BTC_USD", "1h")!.state).toBe("live");
    // the stream candle that arrived during the repair is still the live one
    expect(feed.series("BTC_USD", "1h")!.live!.t).toBe(t12 + 3 * H);
  });

  it("polls REST while the stream is down, then repairs after the reconnect", async () => {
    const { source, feed, closes, setNow } = setup({ pollMs: 20 });
    await feed.track("BTC_USD", [{ timeframe: "1h", warmup: 20 }]);
    source.listener!.connection(true, "subscribed");
    source.listener!.connection(false, "socket closed 1006");
    expect(feed.connected).toBe(false);
    const t12 = Date.UTC(2026, 0, 10, 12);
    setNow(t12 + H + 1000);
    await Promise.all([
      until(feed, (e) => e.type === "closed" && e.candle.t === t12),
      until(feed, (e) => e.type === "ticker"),
    ]);
    expect(feed.health("BTC_USD").reasons).toEqual([]);
    expect(feed.health("BTC_USD")).toMatchObject({ ok: true, streamConnected: false });
    // back online: a repair brings candles closed since the last poll
    setNow(t12 + 2 * H + 1000);
    const repaired = until(feed, (e) => e.type === "closed" && e.candle.t === t12 + H);
    const before = source.requests.length;
    source.listener!.connection(true, "subscribed");
    await repaired;
    expect(source.requests.length).toBeGreaterThan(before);
    expect(closes().map((e) => e.candle.t)).toEqual([t12, t12 + H]);
  });

  it("blocks trading on stale data with a visible reason, and retries a failed backfill", async () => {
    const { source, feed, setNow } = setup({ pollMs: 20 });
    source.fail = "HTTP 503";
    await feed.track("ETH_USD", [{ timeframe: "1h", warmup: 20 }]);
    expect(feed.health("ETH_USD")).toMatchObject({
      ok: false,
      reasons: ["ETH_USD 1h: backfill failed: HTTP 503", "ETH_USD: no ticker received yet"],
    });
    source.fail = undefined;
    await until(feed, (e) => e.type === "backfilled");
    await until(feed, (e) => e.type === "ticker");
    source.listener!.connection(true, "subscribed"); // stop polling
    expect(feed.health("ETH_USD").ok).toBe(true);
    // 95 s without a ticker
    setNow(T0 + 95_000);
    expect(feed.health("ETH_USD").reasons).toEqual(["ETH_USD: ticker silent for 95 s (limit 90 s)"]);
    source.listener!.ticker({ symbol: "ETH_USD", time: T0 + 95_000, last: dec("101") });
    expect(feed.health("ETH_USD").ok).toBe(true);
    // more than 2 hours without a candle update
    setNow(T0 + 2 * H + 60_000);
    source.listener!.ticker({ symbol: "ETH_USD", time: T0, last: dec("101") });
    const reasons = feed.health("ETH_USD").reasons;
    expect(reasons[0]).toBe("ETH_USD 1h: no candle update for 2 h 1 min (limit 2 h)");
  });

  it("keeps only `capacity` closed candles per series, dropping the oldest", async () => {
    const M = 60_000;
    const { source, feed, closes, setNow } = setup({ capacity: 30 });
    await feed.track("BTC_USD", [{ timeframe: "1m", warmup: 10 }]);
    source.listener!.connection(true, "subscribed");
    const s = feed.series("BTC_USD", "1m")!;
    expect(s.closed.capacity).toBe(30);
    const start = s.live!.t;
    // 45 more minutes streamed: far more closed candles than the ring holds
    for (let k = 1; k <= 45; k++) {
      setNow(start + k * M + 1_000);
      source.listener!.candle("BTC_USD", "1m", candleAt(start + k * M));
    }
    expect(
      closes()
        .map((e) => e.candle.t)
        .at(-1),
    ).toBe(start + 44 * M);
    expect(s.closed.length).toBe(30);
    const kept = s.closed.toArray().map((c) => c.t);
    expect(kept[0]).toBe(start + 15 * M); // the 30 newest, oldest first
    expect(kept.at(-1)).toBe(start + 44 * M);
    kept.forEach((t, i) => {
      if (i > 0) expect(t - kept[i - 1]!).toBe(M);
    });
  });

  it("a warm-up larger than the capacity gets a ring that holds the whole warm-up", async () => {
    const { feed } = setup({ capacity: 30 });
    await feed.track("BTC_USD", [{ timeframe: "1h", warmup: 50 }]);
    const s = feed.series("BTC_USD", "1h")!;
    expect(s.closed.capacity).toBe(50);
    expect(s.closed.length).toBeGreaterThanOrEqual(50);
  });
});
