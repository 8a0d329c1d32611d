/**
 * Replays historical base-timeframe candles through a SymbolEvaluator exactly as the live service feeds
 * it: higher timeframes (e.g. the daily candles of MA10w) are built from the base candles, their
 * candle in progress previewed, and every strategy is evaluated at each base candle's close.
 */

import type { Candle } from "../domain/market.js";
import { CandleAggregator } from "../market/aggregate.js";
import { canAggregate, periodMs } from "../market/timeframe.js";
import type { SymbolEvaluator } from "../strategy/evaluator.js";
import type { Decision } from "../strategy/types.js";

/** Why the evaluator's timeframes cannot all be derived from its base candles, if so. */
export function replayProblem(evaluator: SymbolEvaluator): string | undefined {
  for (const tf of evaluator.timeframes()) {
    if (tf !== evaluator.timeframe && !canAggregate(evaluator.timeframe, tf)) {
      return `the strategy reads ${tf} candles, which cannot be built from ${evaluator.timeframe} candles`;
    }
  }
  return undefined;
}

export class Replayer {
  private readonly aggregators: CandleAggregator[];
  private readonly period: number;
  private now = 0;

  /** `explainAll: false` skips trace texts (see StrategyInput.explain); `explain()` recovers them. */
  constructor(
    readonly evaluator: SymbolEvaluator,
    private readonly explainAll = true,
  ) {
    const problem = replayProblem(evaluator);
    if (problem) throw new RangeError(problem);
    const base = evaluator.timeframe;
    this.period = periodMs(base);
    this.aggregators = evaluator
      .timeframes()
      .filter((tf) => tf !== base)
      .map((tf) => new CandleAggregator(base, tf));
  }

  /** Feeds the next closed base candle and returns each strategy's decision at its close. */
  step(c: Candle): Decision[] {
    const evaluator = this.evaluator;
    for (const agg of this.aggregators) {
      const s = agg.push(c);
      if (s.closed) evaluator.onCandle(agg.to, s.closed, true);
      evaluator.onCandle(agg.to, s.live, false);
    }
    evaluator.onCandle(evaluator.timeframe, c, true);
    this.now = c.t + this.period;
    return evaluator.evaluate(this.now, [], this.explainAll);
  }

  /** The decisions at the last close again, fully explained (strategies are pure: same outcome). */
  explain(): Decision[] {
    return this.evaluator.evaluate(this.now, [], true);
  }
}

/** Feeds `candles` (ascending, base timeframe) and calls `onClose` with each close's decisions. */
export function replay(
  candles: readonly Candle[],
  evaluator: SymbolEvaluator,
  onClose: (decisions: Decision[], candle: Candle, index: number) => void,
): void {
  const r = new Replayer(evaluator);
  for (let i = 0; i < candles.length; i++) onClose(r.step(candles[i]!), candles[i]!, i);
}
