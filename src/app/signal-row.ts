/**
 * A strategy signal as the store's inbox row. The signal's price comes from the analytics candles
 * (JS numbers, see domain/market.ts) and is recorded for the trace only: it is written as the
 * number's shortest decimal text and never sent to the exchange (orders are sized from the venue's
 * own book and ticker).
 */
import type { NewSignal } from "../store/types.js";
import type { Signal } from "../strategy/signals.js";
import { dec } from "../util/decimal.js";

export function signalRow(s: Signal): NewSignal {
  const d = s.decision;
  return {
    symbol: d.symbol,
    side: s.side,
    source: "engine",
    strategy: d.strategy,
    ...(Number.isFinite(d.price) ? { price: dec(String(d.price)) } : {}),
    candleTime: d.candleTime,
    trace: {
      timeframe: d.timeframe,
      reasons: d.reasons,
      buyIndex: d.buyIndex,
      throttle: s.throttle.code,
      configHash: s.configHash,
    },
  };
}
