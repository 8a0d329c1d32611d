/**
 * Candles of the fake API: a deterministic wave around each fixture price (1m bars ending at
 * FIXTURE_T0), the moving averages over it, and one BUY and one SELL marker (the BUY between two
 * bar times on purpose: the chart must snap it to its bar).
 */
import type { ApiCandleSeries } from "../../src/api/contract/types.js";
import { FIXTURE_PRICES, FIXTURE_T0 } from "./fixtures.js";

export function fixtureCandles(symbol: string, timeframe: string, count: number): ApiCandleSeries {
  const n = Math.min(Math.max(count, 10), 300);
  const base = Number(FIXTURE_PRICES[symbol] ?? "1");
  const t0 = FIXTURE_T0 - n * 60_000;
  const closes = Array.from(
    { length: n },
    (_, i) => base * (1 + 0.01 * Math.sin(i / 9) + 0.004 * Math.cos(i / 2.3)),
  );
  const fix = (x: number) => x.toFixed(base < 1 ? 6 : 2);
  const candles = closes.map((c, i) => {
    const o = i === 0 ? c : closes[i - 1]!;
    return {
      t: t0 + i * 60_000,
      o: fix(o),
      h: fix(Math.max(o, c) * 1.001),
      l: fix(Math.min(o, c) * 0.999),
      c: fix(c),
      v: "12.5",
    };
  });
  const avg = (k: number) =>
    closes.map((_, i) =>
      i + 1 < k ? null : fix(closes.slice(i + 1 - k, i + 1).reduce((a, b) => a + b, 0) / k),
    );
  return {
    symbol,
    timeframe,
    candles,
    indicators: { ema10: avg(10), ma50: avg(50), ma200: avg(200), rsi: closes.map(() => "50") },
    markers: [
      {
        t: t0 + Math.floor(n * 0.6) * 60_000 + 5_000,
        side: "BUY",
        price: fix(closes[Math.floor(n * 0.6)]!),
        source: "strategy",
      },
      {
        t: t0 + Math.floor(n * 0.8) * 60_000,
        side: "SELL",
        price: fix(closes[Math.floor(n * 0.8)]!),
        source: "take_profit",
      },
    ],
  };
}
