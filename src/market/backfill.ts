/** Fetching a time range of candles through a CandleSource, paged by its request size. */
import type { Candle } from "../domain/market.js";
import type { CandleSource } from "./source.js";
import { candleStart, periodMs, type Timeframe } from "./timeframe.js";

/**
 * Candles overlapping [start, end] (the one containing `start` included), ascending, without
 * duplicates. Windows are aligned
 * to the timeframe so that each request covers exactly `maxCandlesPerRequest` candle starts.
 * `run` wraps each request (the feed uses it for its concurrency limit).
 */
export async function fetchCandleRange(
  source: CandleSource,
  symbol: string,
  timeframe: Timeframe,
  start: number,
  end: number,
  run: <T>(fn: () => Promise<T>) => Promise<T> = (fn) => fn(),
): Promise<Candle[]> {
  const max = source.maxCandlesPerRequest;
  const period = periodMs(timeframe);
  const out: Candle[] = [];
  for (let from = candleStart(timeframe, start); from <= end; from += max * period) {
    const to = Math.min(end, from + (max - 1) * period);
    const page = await run(() =>
      source.fetchCandles(symbol, timeframe, { start: from, end: to, count: max }),
    );
    for (const c of page)
      if (c.t >= start - period && c.t <= end && (out.length === 0 || c.t > out[out.length - 1]!.t))
        out.push(c);
  }
  return out;
}
