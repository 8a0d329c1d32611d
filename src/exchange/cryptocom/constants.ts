/** Crypto.com Exchange v1 constants (reference §1, §5, §7). */
import { isTimeframe, type Timeframe } from "../timeframe.js";

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

/**
 * Candle timeframes accepted by public/get-candlestick and candlestick.{tf}.{i}: exactly atp's
 * venue-neutral names (src/exchange/timeframe.ts, re-exported here for the connector and the
 * emulator), plus the legacy aliases below.
 */
export {
  candleStart,
  nextCandleStart,
  TIMEFRAME_MS,
  TIMEFRAMES,
  type Timeframe,
} from "../timeframe.js";

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

/** A timeframe as the exchange accepts it: one of atp's names or a legacy alias (own entries only). */
export function parseTimeframe(tf: string): Timeframe | undefined {
  if (isTimeframe(tf)) return tf;
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
