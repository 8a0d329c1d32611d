/** One crafted market story on which every preset produces a BUY and a SELL (1h candles). */
import { replay } from "../../src/backtest/replay.js";
import type { Candle, DecTicker } from "../../src/domain/market.js";
import { CandleAggregator } from "../../src/market/aggregate.js";
import type { CandleRange, CandleSource, LiveStream, StreamListener } from "../../src/market/source.js";
import type { Timeframe } from "../../src/market/timeframe.js";
import type { StrategyConfig } from "../../src/strategy/config.js";
import { SymbolEvaluator } from "../../src/strategy/evaluator.js";
import type { Decision } from "../../src/strategy/types.js";
import { dec } from "../../src/util/decimal.js";
import { craft, HOUR } from "./craft.js";

/**
 * 0–299 steady uptrend (+60 %); 300–307 sharp dip (−12 %, volume ×3); 308 strong bounce (+7 %,
 * volume ×3); 309–338 flat; 339–638 long downtrend (−50 %); 639–644 sharp rally (+15 %, volume ×3);
 * 645–674 flat.
 */
export const STORY = craft([
  { n: 300, move: 0.6 },
  { n: 8, move: -0.12, volume: 300 },
  { n: 1, move: 0.07, volume: 300 },
  { n: 30, move: 0 },
  { n: 300, move: -0.5 },
  { n: 6, move: 0.15, volume: 300 },
  { n: 30, move: 0 },
]);
export const BOUNCE = 308;

export function decisions(config: StrategyConfig, preset: string, candles: Candle[] = STORY): Decision[] {
  const evaluator = new SymbolEvaluator("BTC_USD", "1h", [config.presetStrategy(preset)]);
  const out: Decision[] = [];
  replay(candles, evaluator, (ds) => out.push(ds[0]!));
  return out;
}

/** Serves the crafted story as an exchange would: REST up to `now`, daily candles built from hourly. */
export class StorySource implements CandleSource {
  readonly maxCandlesPerRequest = 300;
  listener: StreamListener | undefined;
  constructor(public now: number) {}
  private daily(): Candle[] {
    const agg = new CandleAggregator("1h", "1D");
    const out: Candle[] = [];
    for (const c of STORY) {
      if (c.t > this.now) break;
      const s = agg.push(c);
      if (s.closed) out.push(s.closed);
      if (c.t + HOUR > this.now || c === STORY.at(-1)) out.push(s.live);
    }
    return out;
  }
  async fetchCandles(_s: string, tf: Timeframe, r: CandleRange): Promise<Candle[]> {
    const all = tf === "1D" ? this.daily() : STORY.filter((c) => c.t <= this.now);
    return all.filter((c) => c.t >= (r.start ?? 0) && c.t <= (r.end ?? Infinity)).slice(-(r.count ?? 1e9));
  }
  async fetchTickers(symbols: readonly string[]): Promise<DecTicker[]> {
    return symbols.map((symbol) => ({ symbol, time: this.now, last: dec("100") }));
  }
  openStream(listener: StreamListener): LiveStream {
    this.listener = listener;
    return { subscribe: async () => {}, unsubscribe: async () => {}, close: async () => {} };
  }
}
