/**
 * What the market feed needs from an exchange: REST candles and tickers, and a live stream of candle
 * and ticker updates with its connection state. `exchange/cryptocom/candle-source.ts` adapts the
 * Crypto.com client (adapters live with their venue: this module imports no venue code);
 * tests use an in-process fake. The feed owns everything else (ring buffers, backfill paging, REST
 * fallback, gap repair, freshness), so it is written and tested once.
 */
import type { Candle, DecTicker } from "../domain/market.js";
import type { Timeframe } from "./timeframe.js";

export interface CandleRange {
  /** Earliest candle start to return (ms, inclusive). */
  start?: number;
  /** Latest candle start to return (ms, inclusive). */
  end?: number;
  /** At most this many candles: the newest ones within the range. */
  count?: number;
}

export interface StreamTopics {
  candles?: readonly { symbol: string; timeframe: Timeframe }[];
  tickers?: readonly string[];
}

export interface StreamListener {
  /** A candle update (the candle in progress, or the final values of a candle). */
  candle(symbol: string, timeframe: Timeframe, candle: Candle): void;
  ticker(ticker: DecTicker): void;
  /**
   * `true` once subscribed (first time and after every reconnect: the source re-subscribes by
   * itself); `false` when the connection is lost.
   */
  connection(connected: boolean, reason: string): void;
}

export interface LiveStream {
  subscribe(topics: StreamTopics): Promise<void>;
  unsubscribe(topics: StreamTopics): Promise<void>;
  close(): Promise<void>;
}

export interface CandleSource {
  /** The exchange's page size for one candle request. */
  readonly maxCandlesPerRequest: number;
  /** Candles whose start lies in the range, ascending; the last one may still be in progress. */
  fetchCandles(symbol: string, timeframe: Timeframe, range: CandleRange): Promise<Candle[]>;
  /** Current tickers of these symbols (one request where the exchange allows it). */
  fetchTickers(symbols: readonly string[]): Promise<DecTicker[]>;
  /** Opens the live stream; the source reconnects by itself and reports the state to `listener`. */
  openStream(listener: StreamListener): LiveStream;
}
