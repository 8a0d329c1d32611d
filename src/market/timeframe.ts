/**
 * Timeframe arithmetic for the market feed and the backtester, on the venue-neutral timeframe table
 * (src/exchange/timeframe.ts, re-exported here so market, strategy and backtest code has one place
 * to import timeframes from). Nothing here knows a venue: parsing a venue's own spellings belongs
 * to its adapter (Crypto.com: `parseTimeframe` in exchange/cryptocom/constants.ts).
 */
import { TIMEFRAME_MS, type Timeframe } from "../exchange/timeframe.js";

export {
  candleStart,
  isTimeframe,
  nextCandleStart,
  TIMEFRAMES,
  type Timeframe,
} from "../exchange/timeframe.js";

export function periodMs(tf: Timeframe): number {
  return TIMEFRAME_MS[tf];
}

const DAY = 86_400_000;

/**
 * Timeframes whose candles are aligned to multiples of their length since the epoch (UTC): every
 * length that divides a day, and the day itself. Weeks and months start on calendar boundaries
 * that atp does not derive, so they are not bucketed here.
 */
export function isEpochAligned(tf: Timeframe): boolean {
  const ms = TIMEFRAME_MS[tf];
  return ms <= DAY && DAY % ms === 0;
}

/** Whether candles of `from` can be combined into candles of `to`. */
export function canAggregate(from: Timeframe, to: Timeframe): boolean {
  return isEpochAligned(from) && isEpochAligned(to) && TIMEFRAME_MS[to] % TIMEFRAME_MS[from] === 0;
}
