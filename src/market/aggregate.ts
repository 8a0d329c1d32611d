/**
 * Builds candles of a higher timeframe from a stream of lower-timeframe candles (the backtester
 * derives the daily candles of the weekly MA this way). The bucket in progress is exposed as a live
 * candle containing exactly the lower candles seen so far, which is what the exchange's own live
 * candle would show at that moment, so no future data leaks into an evaluation.
 */
import type { Candle } from "../domain/market.js";
import { canAggregate, candleStart, type Timeframe } from "./timeframe.js";

export interface AggregateStep {
  /** The higher-timeframe candle that just completed, if any. */
  closed?: Candle;
  /** The candle in progress, including the lower candle just pushed. */
  live: Candle;
}

export class CandleAggregator {
  private current: Candle | undefined;

  constructor(
    readonly from: Timeframe,
    readonly to: Timeframe,
  ) {
    if (!canAggregate(from, to)) throw new RangeError(`cannot build ${to} candles from ${from} candles`);
  }

  /** Adds the next lower-timeframe candle (ascending `t`). */
  push(c: Candle): AggregateStep {
    const start = candleStart(this.to, c.t);
    const cur = this.current;
    if (cur === undefined || start > cur.t) {
      this.current = { t: start, o: c.o, h: c.h, l: c.l, c: c.c, v: c.v };
      return cur === undefined ? { live: this.current } : { closed: cur, live: this.current };
    }
    if (start < cur.t) throw new RangeError(`candle ${c.t} is older than the bucket in progress ${cur.t}`);
    // A fresh object per step: the previous live candle may be held by a consumer.
    const next: Candle = {
      t: cur.t,
      o: cur.o,
      h: Math.max(c.h, cur.h),
      l: Math.min(c.l, cur.l),
      c: c.c,
      v: cur.v + c.v,
    };
    this.current = next;
    return { live: next };
  }
}
