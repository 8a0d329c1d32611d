/**
 * An in-process CandleSource for feed tests: the exchange's candle history is a function of time,
 * the stream is driven by the test (push candles, drop and restore the connection), and REST can be
 * made to fail. No network is involved (the feed over real loopback is tested against the emulator).
 */
import type { Candle, DecTicker } from "../../src/domain/market.js";
import type {
  CandleRange,
  CandleSource,
  LiveStream,
  StreamListener,
  StreamTopics,
} from "../../src/market/source.js";
import { periodMs, type Timeframe } from "../../src/market/timeframe.js";
import { dec } from "../../src/util/decimal.js";

export function candleAt(t: number, version = 0): Candle {
  const base = 100 + Math.sin(t / 3_600_000) * 5;
  return { t, o: base, h: base + 1 + version, l: base - 1, c: base + 0.5 + version / 10, v: 10 + version };
}

export class FakeSource implements CandleSource {
  readonly maxCandlesPerRequest: number;
  /** Current exchange time: candles exist for every period that started at or before it. */
  now: number;
  /** Extra version per candle start (the exchange's final values differ from early stream updates). */
  readonly version = new Map<number, number>();
  fail: string | undefined;
  requests: { symbol: string; timeframe: Timeframe; range: CandleRange }[] = [];
  tickerRequests = 0;
  listener: StreamListener | undefined;
  subscribed: StreamTopics[] = [];
  closed = false;

  constructor(now: number, maxPerRequest = 100) {
    this.now = now;
    this.maxCandlesPerRequest = maxPerRequest;
  }

  candle(t: number): Candle {
    return candleAt(t, this.version.get(t) ?? 0);
  }

  async fetchCandles(symbol: string, timeframe: Timeframe, range: CandleRange): Promise<Candle[]> {
    this.requests.push({ symbol, timeframe, range });
    await new Promise((r) => setImmediate(r));
    if (this.fail) throw new Error(this.fail);
    const p = periodMs(timeframe);
    const end = Math.min(range.end ?? this.now, this.now);
    const start = range.start ?? end - 25 * p;
    const out: Candle[] = [];
    for (let t = Math.ceil(start / p) * p; t <= end; t += p) out.push(this.candle(t));
    return range.count !== undefined ? out.slice(-range.count) : out;
  }

  async fetchTickers(symbols: readonly string[]): Promise<DecTicker[]> {
    this.tickerRequests++;
    await new Promise((r) => setImmediate(r));
    if (this.fail) throw new Error(this.fail);
    return symbols.map((symbol) => ({ symbol, time: this.now, last: dec("100.5") }));
  }

  openStream(listener: StreamListener): LiveStream {
    this.listener = listener;
    return {
      subscribe: async (topics) => {
        this.subscribed.push(topics);
      },
      unsubscribe: async () => {},
      close: async () => {
        this.closed = true;
      },
    };
  }
}
