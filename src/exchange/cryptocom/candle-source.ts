/**
 * The Crypto.com adapter for the market feed's `CandleSource` port (src/market/source.ts): REST
 * candles and tickers through `ExchangeClient`, live candles and tickers through the client's
 * market stream (`candlestick.{tf}.{i}`, `ticker.{i}`).
 * Parsing, signing, rate limits and reconnects are the client's; this file only converts its
 * exchange candles (`DecCandle`) into the feed's analytics candles and maps stream events to the
 * listener (tickers stay the exchange's `DecTicker`). It is the one file of src/exchange that imports
 * src/market, and only the port's type file (source.ts): adapters live with their venue, ports with
 * their consumer.
 */

import { type Candle, type DecTicker, toCandle } from "../../domain/market.js";
import type { Logger } from "../../log/logger.js";
import type {
  CandleRange,
  CandleSource,
  LiveStream,
  StreamListener,
  StreamTopics,
} from "../../market/source.js";
import type { Timeframe } from "../timeframe.js";
import type { ExchangeClient } from "../types.js";
import { parseTimeframe } from "./constants.js";
import { MarketStream, type MarketStreamOptions } from "./ws/market-stream.js";

/** public/get-candlestick returns at most 300 candles per request. */
export const CRYPTOCOM_MAX_CANDLES = 300;

export interface CryptoComSourceOptions {
  client: Pick<ExchangeClient, "getCandles" | "getTickers">;
  /** Market WebSocket URL (production, UAT or an emulator's `wsMarketUrl`). */
  wsMarketUrl: string;
  /** Socket tuning (warm-up, reconnect back-off, heartbeat staleness); tests shorten them. */
  stream?: Omit<MarketStreamOptions, "url" | "logger">;
  logger?: Logger;
}

function channels(topics: StreamTopics): string[] {
  return [
    ...(topics.candles ?? []).map((c) => `candlestick.${c.timeframe}.${c.symbol}`),
    ...(topics.tickers ?? []).map((s) => `ticker.${s}`),
  ];
}

export class CryptoComCandleSource implements CandleSource {
  readonly maxCandlesPerRequest = CRYPTOCOM_MAX_CANDLES;

  constructor(private readonly opts: CryptoComSourceOptions) {}

  async fetchCandles(symbol: string, timeframe: Timeframe, range: CandleRange): Promise<Candle[]> {
    const candles = await this.opts.client.getCandles(symbol, timeframe, {
      startTime: range.start,
      endTime: range.end,
      count: range.count,
    });
    return candles.map(toCandle).sort((a, b) => a.t - b.t);
  }

  async fetchTickers(symbols: readonly string[]): Promise<DecTicker[]> {
    if (symbols.length === 1) return this.opts.client.getTickers(symbols[0]);
    const wanted = new Set(symbols);
    return (await this.opts.client.getTickers()).filter((t) => wanted.has(t.symbol));
  }

  openStream(listener: StreamListener): LiveStream {
    const stream = new MarketStream({
      ...this.opts.stream,
      url: this.opts.wsMarketUrl,
      logger: this.opts.logger,
    });
    stream.on("candle", (c) => {
      const tf = parseTimeframe(c.timeframe);
      if (tf) listener.candle(c.symbol, tf, toCandle(c));
    });
    stream.on("ticker", (t) => listener.ticker(t));
    stream.on("ready", () => listener.connection(true, "subscribed"));
    stream.on("disconnected", (i) =>
      listener.connection(false, `socket closed (${i.code}${i.reason ? ` ${i.reason}` : ""})`),
    );
    stream.on("error", (err) => this.opts.logger?.warn({ err: err.message }, "market stream error"));
    stream.start();
    return {
      subscribe: (topics) =>
        stream.subscribe({
          candles: (topics.candles ?? []).map((c) => ({ symbol: c.symbol, timeframe: c.timeframe })),
          tickers: topics.tickers ?? [],
        }),
      unsubscribe: (topics) => stream.unsubscribe(channels(topics)),
      close: () => stream.stop(),
    };
  }
}
