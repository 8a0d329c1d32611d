/**
 * Candle timeframes, venue-neutral: the names atp uses everywhere (strategies file, market feed,
 * backtester, emulator), their lengths and where their candles start. A venue adapter maps its
 * own spellings onto these (Crypto.com's legacy aliases: `exchange/cryptocom/constants.ts`).
 *
 * Invariants:
 * - `candleStart` / `nextCandleStart` are the one definition of candle boundaries, shared by the
 *   market feed, the backtester and the emulator, so they can never disagree about a bucket.
 * - Timeframe names that come from outside are checked against `TIMEFRAMES` (an array), never
 *   looked up on a plain object: `__proto__` or `constructor` is not a timeframe.
 */

export const TIMEFRAMES = [
  "1m",
  "5m",
  "15m",
  "30m",
  "1h",
  "2h",
  "4h",
  "12h",
  "1D",
  "7D",
  "14D",
  "1M",
] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
/** Timeframe length in ms (1M is approximated as 30 days for bucketing). */
export const TIMEFRAME_MS: Readonly<Record<Timeframe, number>> = {
  "1m": MIN,
  "5m": 5 * MIN,
  "15m": 15 * MIN,
  "30m": 30 * MIN,
  "1h": 60 * MIN,
  "2h": 120 * MIN,
  "4h": 240 * MIN,
  "12h": 720 * MIN,
  "1D": DAY,
  "7D": 7 * DAY,
  "14D": 14 * DAY,
  "1M": 30 * DAY,
};

/** 1970-01-05 00:00 UTC was a Monday: weekly candles start on Mondays. */
const MONDAY_MS = 4 * DAY;

/** Whether `text` is one of the timeframe names (an own entry of the list, not an alias). */
export function isTimeframe(text: string): text is Timeframe {
  return (TIMEFRAMES as readonly string[]).includes(text);
}

/**
 * Start (ms, UTC) of the `tf` candle that contains time `t`: multiples of the length since the epoch
 * for 1m…1D, Monday 00:00 UTC boundaries for 7D/14D, the first of the month for 1M. The one
 * definition used by the market feed, the backtester and the emulator.
 */
export function candleStart(tf: Timeframe, t: number): number {
  if (tf === "1M") {
    const d = new Date(t);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  }
  const ms = TIMEFRAME_MS[tf];
  if (tf === "7D" || tf === "14D") return Math.floor((t - MONDAY_MS) / ms) * ms + MONDAY_MS;
  return Math.floor(t / ms) * ms;
}

/** Start of the candle after the one starting at `start` (calendar months for 1M). */
export function nextCandleStart(tf: Timeframe, start: number): number {
  if (tf === "1M") {
    const d = new Date(start);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
  return start + TIMEFRAME_MS[tf];
}
