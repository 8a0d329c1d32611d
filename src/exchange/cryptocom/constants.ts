/** Crypto.com Exchange v1 constants (reference §1, §5, §7). */

export const PRODUCTION = {
  rest: "https://api.crypto.com/exchange/v1",
  wsUser: "wss://stream.crypto.com/exchange/v1/user",
  wsMarket: "wss://stream.crypto.com/exchange/v1/market",
} as const;

export const UAT = {
  rest: "https://uat-api.3ona.co/exchange/v1",
  wsUser: "wss://uat-stream.3ona.co/exchange/v1/user",
  wsMarket: "wss://uat-stream.3ona.co/exchange/v1/market",
} as const;

/** Candle timeframes accepted by public/get-candlestick and candlestick.{tf}.{i}. */
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

/** Legacy aliases the exchange still accepts (reference §5.1). */
export const TIMEFRAME_ALIASES: Readonly<Record<string, Timeframe>> = {
  M1: "1m",
  M5: "5m",
  M15: "15m",
  M30: "30m",
  H1: "1h",
  H2: "2h",
  H4: "4h",
  H12: "12h",
  D1: "1D",
  "1d": "1D",
};

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

export function parseTimeframe(tf: string): Timeframe | undefined {
  if ((TIMEFRAMES as readonly string[]).includes(tf)) return tf as Timeframe;
  return Object.hasOwn(TIMEFRAME_ALIASES, tf) ? TIMEFRAME_ALIASES[tf] : undefined;
}

/** Max length of our client_oid (reference §5.3). */
export const CLIENT_OID_MAX = 36;

/** WebSocket timings (reference §7). */
export const WS_WARMUP_MS = 1_000;
export const WS_HEARTBEAT_MS = 30_000;
export const WS_HEARTBEAT_DEADLINE_MS = 5_000;
export const WS_MAX_MARKET_SUBSCRIPTIONS = 400;

/** Default nonce tolerance of the exchange (reference §3.2). */
export const NONCE_WINDOW_MS = 60_000;

/** The UAT sandbox's domain: every UAT host lives under it (uat-api.3ona.co, uat-stream.3ona.co). */
export const UAT_DOMAIN = "3ona.co";

/**
 * Crypto.com APIs that are not Exchange v1 and easy to confuse with it (reference §4). atp does not
 * speak them; they are listed to recognise a misconfigured base URL.
 */
export const LEGACY = {
  /** The legacy Spot v2 API (codes 10xxx). */
  spotV2: "https://api.crypto.com/v2",
  /** The very old pre-2021 API (form-urlencoded, SHA-256 `sign`). */
  oldV1: "https://api.crypto.com/v1",
  /** The legacy Derivatives API. */
  derivatives: "https://deriv-api.crypto.com/v1",
} as const;

/** |clock offset| to the exchange above which atp warns: well inside NONCE_WINDOW_MS, but worth fixing. */
export const CLOCK_WARN_MS = 5_000;
