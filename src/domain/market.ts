/**
 * The two shapes market data takes in atp, named apart so no module exports a `Candle` or `Ticker`
 * that means something else:
 *
 * - `DecCandle` and `DecTicker` are exchange-facing: every price and size is a `Dec`, times are
 *   `time` (ms since the epoch). The connector parses into them; order sizing reads tickers, so a
 *   ticker price never passes through a JS number on its way to an order.
 * - `Candle` is the analytics candle: JS numbers with one-letter fields (`t o h l c v`). Candles feed
 *   indicators, strategies and the backtester, which never send anything to the exchange; the
 *   emulator's market process generates them. `candleProblem` says when one is unusable.
 *
 * Conversion is one way, exchange → analytics (the venue adapter's `toCandle`).
 */
import type { Dec } from "../util/decimal.js";

export interface DecCandle {
  /** Candle start, ms since the epoch. */
  time: number;
  open: Dec;
  high: Dec;
  low: Dec;
  close: Dec;
  volume: Dec;
}

/** A ticker as the exchange reports it; a field the exchange left out (no trade or quote yet) is undefined. */
export interface DecTicker {
  symbol: string;
  /** Exchange time, ms since the epoch. */
  time: number;
  /** Last trade price. */
  last?: Dec | undefined;
  bid?: Dec | undefined;
  ask?: Dec | undefined;
  /** Best bid/ask sizes (streams only). */
  bidSize?: Dec | undefined;
  askSize?: Dec | undefined;
  high?: Dec | undefined;
  low?: Dec | undefined;
  /** 24 h volume in base currency. */
  volume?: Dec | undefined;
  /** 24 h traded value in USD. */
  volumeValue?: Dec | undefined;
  /** 24 h change as a ratio (0.0257 = +2.57 %). */
  changeRatio?: Dec | undefined;
}

/** The analytics candle (JS numbers: never sent to the exchange). */
export interface Candle {
  /** Candle start, ms since the epoch (UTC). */
  t: number;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
}

/** The values indicators read from a candle. */
export type CandleValues = Pick<Candle, "h" | "l" | "c" | "v">;

/** Why a candle is malformed, or undefined when it is usable. */
export function candleProblem(c: Candle): string | undefined {
  for (const k of ["t", "o", "h", "l", "c", "v"] as const) {
    if (!Number.isFinite(c[k])) return `${k} is not a finite number`;
  }
  if (!Number.isInteger(c.t) || c.t < 0) return "t must be a non-negative integer (ms since the epoch)";
  if (c.v < 0) return "volume is negative";
  if (c.l > c.h) return "low is above high";
  if (c.o > c.h || c.o < c.l || c.c > c.h || c.c < c.l) return "open/close outside the high-low range";
  if (c.l <= 0) return "prices must be positive";
  return undefined;
}

/** Analytics candle from the exchange's decimal candle (numbers are fine here: never sent back). */
export function toCandle(c: DecCandle): Candle {
  return {
    t: c.time,
    o: c.open.toNumber(),
    h: c.high.toNumber(),
    l: c.low.toNumber(),
    c: c.close.toNumber(),
    v: c.volume.toNumber(),
  };
}
