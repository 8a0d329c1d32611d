/**
 * Candles and tickers as the rest of atp sees them, independent of any exchange's wire format.
 *
 * Candle prices are JS numbers: candles feed indicators and the backtester, which are analytics and
 * never reach the exchange. Ticker prices are `Dec` because order sizing reads them.
 */
import type { Dec } from "../util/decimal.js";

export interface Candle {
  /** Candle start, ms since the epoch (UTC). */
  t: number;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
}

export interface Ticker {
  symbol: string;
  /** Exchange timestamp of the ticker, ms. */
  t: number;
  /** Last trade price (absent when the exchange reports none yet). */
  last?: Dec;
  bid?: Dec;
  ask?: Dec;
}

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
