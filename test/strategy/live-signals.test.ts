import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { MarketFeed } from "../../src/market/feed.js";
import {
  DEFAULT_STRATEGIES_FILE,
  parseStrategyConfig,
  type StrategyConfig,
} from "../../src/strategy/config.js";
import { LiveSignals } from "../../src/strategy/live-signals.js";
import type { Signal } from "../../src/strategy/signals.js";
import { MemoryThrottleStore, Throttle } from "../../src/strategy/throttle.js";
import { dec } from "../../src/util/decimal.js";
import { HOUR } from "./craft.js";
import { BOUNCE, STORY, StorySource } from "./story.js";

function configWith(coins: object): StrategyConfig {
  const f = JSON.parse(readFileSync(DEFAULT_STRATEGIES_FILE, "utf8"));
  f.coins = coins;
  return parseStrategyConfig(f).config!;
}

const started: { feed: MarketFeed; live: LiveSignals }[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) {
    s.live.stop();
    await s.feed.stop();
  }
});

async function start(store: MemoryThrottleStore, config: StrategyConfig) {
  const bounceStart = STORY[BOUNCE]!.t;
  let now = bounceStart + HOUR / 2; // the bounce candle is in progress
  const source = new StorySource(now);
  const feed = new MarketFeed(source, { now: () => now, pollIntervalMs: 60_000 });
  feed.start();
  const throttle = await Throttle.open(store, config.minIntervalMs);
  const live = new LiveSignals({ feed, config, throttle, now: () => now });
  started.push({ feed, live });
  const signals: Signal[] = [];
  live.onSignal((s) => signals.push(s));
  await live.watch("BTC_USD");
  source.listener!.connection(true, "subscribed");
  return {
    source,
    feed,
    live,
    signals,
    /**
     * The bounce candle closes: the stream shows the next candle, `at` ms after its start; with
     * `fresh` a ticker arrives just before.
     */
    async closeBounce(at: number, fresh = true) {
      now = bounceStart + HOUR + at;
      source.now = now;
      if (fresh) source.listener!.ticker({ symbol: "BTC_USD", time: now, last: dec("100") });
      source.listener!.candle("BTC_USD", "1h", STORY[BOUNCE]!);
      source.listener!.candle("BTC_USD", "1h", STORY[BOUNCE + 1]!);
      await live.idle();
    },
  };
}

const CONFIG = configWith({ BTC_USD: { preset: "swing-conservative", timeframe: "1h" } });

describe("LiveSignals on the market feed", () => {
  it("emits the BUY of a closed candle with its full trace, freshness gate first", async () => {
    const s = await start(new MemoryThrottleStore(), CONFIG);
    await s.closeBounce(1_000);
    expect(s.signals).toHaveLength(1);
    const sig = s.signals[0]!;
    expect(sig.side).toBe("BUY");
    expect(sig.throttle.code).toBe("FIRST_SIGNAL");
    expect(sig.decision.candleTime).toBe(STORY[BOUNCE]!.t);
    expect(sig.decision.conditions[0]).toMatchObject({ id: "gate.data_fresh", status: "pass" });
    expect(sig.decision.conditions.filter((c) => c.side === "BUY").every((c) => c.status === "pass")).toBe(
      true,
    );
    expect(s.live.latest("BTC_USD")![0]!.action).toBe("BUY");
    // the dashboard preview of the next candle is a preview, never a signal
    const p = s.live.preview("BTC_USD")[0]!;
    expect(p.preview).toBe(true);
    expect(p.candleTime).toBe(STORY[BOUNCE + 1]!.t);
  });

  it("stale data blocks the BUY and says why", async () => {
    const s = await start(new MemoryThrottleStore(), CONFIG);
    // the last ticker came with the backfill, half an hour before this close
    await s.closeBounce(1_000, false);
    expect(s.signals).toEqual([]);
    const d = s.live.latest("BTC_USD")![0]!;
    expect(d.action).toBe("WAIT");
    expect(d.reasons[0]).toBe("BUY blocked: BTC_USD: ticker silent for 30 min (limit 90 s)");
    expect(d.conditions[0]).toMatchObject({ id: "gate.data_fresh", status: "fail" });
  });

  it("a restart on the same throttle store does not re-alert", async () => {
    const store = new MemoryThrottleStore();
    const first = await start(store, CONFIG);
    await first.closeBounce(1_000);
    expect(first.signals).toHaveLength(1);
    const second = await start(store, CONFIG);
    await second.closeBounce(2_000);
    expect(second.live.latest("BTC_USD")![0]!.action).toBe("BUY");
    expect(second.signals).toEqual([]);
  });

  it("reconfigure rebuilds the evaluator from buffered candles, and the new hash allows one signal", async () => {
    const store = new MemoryThrottleStore();
    const first = await start(store, CONFIG);
    await first.closeBounce(1_000);
    const changed = configWith({
      BTC_USD: { preset: "swing-conservative", timeframe: "1h", buyTarget: 1000 },
    });
    const second = await start(store, CONFIG);
    await second.live.reconfigure(changed);
    const p = second.live.preview("BTC_USD")[0]!;
    expect(p.insufficient.filter((m) => !m.includes("1D"))).toEqual([]);
    expect(p.conditions.map((c) => c.id)).toContain("buy.target");
    await second.closeBounce(2_000);
    expect(second.signals.map((x) => x.throttle.code)).toEqual(["CONFIG_CHANGED"]);
  });
});
