/**
 * The live service and the backtester run the same strategy code: feeding the crafted story through
 * the market feed (stream candle by candle, daily candle updates, tickers) gives the decisions and
 * signals the backtester's replay computes for the same candles, field for field.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { Replayer } from "../../src/backtest/replay.js";
import { CandleAggregator } from "../../src/market/aggregate.js";
import { MarketFeed } from "../../src/market/feed.js";
import { DEFAULT_STRATEGIES_FILE, parseStrategyConfig } from "../../src/strategy/config.js";
import { SymbolEvaluator } from "../../src/strategy/evaluator.js";
import { LiveSignals } from "../../src/strategy/live-signals.js";
import { admitDecision, type Signal } from "../../src/strategy/signals.js";
import { MemoryThrottleStore, Throttle } from "../../src/strategy/throttle.js";
import type { Decision } from "../../src/strategy/types.js";
import { dec } from "../../src/util/decimal.js";
import { HOUR } from "../strategy/craft.js";
import { STORY, StorySource } from "../strategy/story.js";

const W = 150; // live starts here; its warm-up backfill (≥ 290 candles for RSI) reaches the first candle
const PRESETS = ["intraday-aggressive", "swing-conservative", "scalp-conservative"];

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

/** Drops what only the live service adds (the freshness gate first in the trace). */
function comparable(d: Decision) {
  return { ...d, conditions: d.conditions.filter((c) => c.side !== "GATE") };
}

describe("live and backtest decide alike", () => {
  for (const preset of PRESETS) {
    it(`${preset}: same decisions and the same signals at every close`, async () => {
      const f = JSON.parse(readFileSync(DEFAULT_STRATEGIES_FILE, "utf8"));
      f.coins = { BTC_USD: { preset, timeframe: "1h" } };
      const config = parseStrategyConfig(f).config!;
      const coin = config.coin("BTC_USD");

      // backtester side
      const replayer = new Replayer(new SymbolEvaluator("BTC_USD", "1h", [config.strategyFor("BTC_USD")]));
      const replayed: Decision[] = [];
      const btThrottle = await Throttle.open(new MemoryThrottleStore(), config.minIntervalMs);
      const btSignals: Signal[] = [];
      STORY.forEach((c, i) => {
        const d = replayer.step(c)[0]!;
        if (i < W) return;
        replayed.push(d);
        const a = admitDecision(btThrottle, d, {
          configHash: coin.configHash,
          minPriceChangePct: coin.rules.minPriceChangePct,
        });
        if (a.signal) btSignals.push(a.signal);
      });

      // live side
      let now = STORY[W]!.t + HOUR / 2;
      const source = new StorySource(now);
      const feed = new MarketFeed(source, { now: () => now, pollIntervalMs: 600_000 });
      feed.start();
      const live = new LiveSignals({
        feed,
        config,
        throttle: await Throttle.open(new MemoryThrottleStore(), config.minIntervalMs),
        now: () => now,
      });
      stop = async () => {
        live.stop();
        await feed.stop();
      };
      const decided: Decision[] = [];
      const signals: Signal[] = [];
      live.onDecision((d) => decided.push(d));
      live.onSignal((s) => signals.push(s));
      await live.watch("BTC_USD");
      source.listener!.connection(true, "subscribed");
      const daily = new CandleAggregator("1h", "1D");
      for (let i = 0; i < W; i++) daily.push(STORY[i]!);
      for (let i = W; i + 1 < STORY.length; i++) {
        now = STORY[i]!.t + HOUR;
        source.now = now;
        source.listener!.ticker({ symbol: "BTC_USD", time: now, last: dec("1") });
        source.listener!.candle("BTC_USD", "1D", daily.push(STORY[i]!).live);
        source.listener!.candle("BTC_USD", "1h", STORY[i]!); // final values of candle i
        source.listener!.candle("BTC_USD", "1h", STORY[i + 1]!); // the next candle opens: i closes
      }
      await live.idle();

      expect(decided).toHaveLength(STORY.length - 1 - W);
      expect(
        decided.every((d) => d.conditions[0]!.id === "gate.data_fresh" && d.conditions[0]!.status === "pass"),
      ).toBe(true);
      expect(decided.map(comparable)).toEqual(replayed.slice(0, decided.length));
      expect(signals.map((s) => [s.side, s.decision.candleTime, s.throttle.code])).toEqual(
        btSignals
          .filter((s) => s.decision.candleTime < STORY.at(-1)!.t)
          .map((s) => [s.side, s.decision.candleTime, s.throttle.code]),
      );
      expect(signals.length).toBeGreaterThan(0);
    });
  }
});
