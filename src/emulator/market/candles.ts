/**
 * Candle history of one instrument for every timeframe of the reference (§5.1). Bars of any size
 * are merged into the bucket of each timeframe they are fed to. Buckets: fixed multiples of the
 * timeframe since the epoch, except 7D/14D (Monday 00:00 UTC) and 1M (calendar month, UTC).
 * Values are floats (analytics); the market formats them to the instrument's ticks on output.
 */
import type { Candle } from "../../domain/market.js";
import {
  candleStart,
  nextCandleStart,
  parseTimeframe,
  TIMEFRAMES,
  type Timeframe,
} from "../../exchange/cryptocom/constants.js";
import { CandleColumns } from "./candle-columns.js";

const MAX_CANDLES = 12_000;

/**
 * A timeframe named by a request (`timeframe=`, `candlestick.{tf}.{i}`), or undefined. The result
 * must be one of TIMEFRAMES: names such as `__proto__` or `constructor` are unknown, whatever an
 * alias table keyed by plain-object properties would give for them.
 */
export function timeframeOf(text: string): Timeframe | undefined {
  const tf: unknown = parseTimeframe(text);
  return typeof tf === "string" && (TIMEFRAMES as readonly string[]).includes(tf)
    ? (tf as Timeframe)
    : undefined;
}

export const MINUTE_TIMEFRAMES: readonly Timeframe[] = ["1m", "5m", "15m", "30m"];
export const HOUR_TIMEFRAMES: readonly Timeframe[] = TIMEFRAMES.filter(
  (tf) => !MINUTE_TIMEFRAMES.includes(tf),
);

export class CandleStore {
  private readonly series = new Map<Timeframe, CandleColumns>();

  constructor() {
    for (const tf of TIMEFRAMES) this.series.set(tf, new CandleColumns(MAX_CANDLES));
  }

  /** Merges a bar starting at `t` into the given timeframes (all when omitted). */
  add(
    t: number,
    o: number,
    h: number,
    l: number,
    c: number,
    v: number,
    tfs: readonly Timeframe[] = TIMEFRAMES,
  ): void {
    for (const tf of tfs) {
      const list = this.series.get(tf)!;
      // a bar inside the newest bucket merges without candleStart (a Date per bar for 1M)
      if (list.holds(t)) {
        list.mergeLast(h, l, c, v);
        continue;
      }
      const start = candleStart(tf, t);
      const lastT = list.lastStart();
      if (lastT === undefined || start > lastT) list.push(start, nextCandleStart(tf, start), o, h, l, c, v);
    }
  }

  /** Candles with start in [start, end], oldest first, at most `count` (the newest ones). */
  range(tf: Timeframe, start: number, end: number, count: number): Candle[] {
    const list = this.series.get(tf)!;
    const out: Candle[] = [];
    for (let i = list.length - 1; i >= 0 && out.length < count; i--) {
      const t = list.startAt(i);
      if (t > end) continue;
      if (t < start) break;
      out.push(list.at(i));
    }
    return out.reverse();
  }

  /** Multiplies every price by `factor` (the history is generated, then anchored to today's price). */
  scale(factor: number): void {
    for (const list of this.series.values()) list.scale(factor);
  }

  /** The newest candle of `tf` (a copy), or undefined. */
  latest(tf: Timeframe): Candle | undefined {
    const list = this.series.get(tf)!;
    return list.length === 0 ? undefined : list.at(list.length - 1);
  }
}
