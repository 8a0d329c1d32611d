/**
 * Candles with their indicators in the API's shapes (charts, watchlist columns): EMA10, MA50, MA200,
 * RSI(14) and the volume ratio, computed over the candles given, oldest first.
 *
 * Invariants:
 * - One value per candle; null where the indicator has no value yet (never a made-up 0).
 * - Analytics numbers become plain decimal text (no exponent), for display only: nothing here is
 *   sent to the exchange or stored.
 */
import type { ApiCandle, ApiCandleSeries, ApiIndicators } from "../../api/contract/types.js";
import type { Candle } from "../../domain/market.js";
import { Ema, Rsi, Sma, VolumeRatio } from "../../indicators/index.js";

/** Plain decimal text of an analytics number (null for NaN / infinities). */
export function chartNumberText(x: number): string | null {
  if (!Number.isFinite(x)) return null;
  const s = String(x);
  if (!/e/i.test(s)) return s;
  return x.toFixed(12).replace(/\.?0+$/, "");
}

export function apiCandleOf(c: Candle): ApiCandle {
  const t = (x: number) => chartNumberText(x) ?? "0";
  return { t: c.t, o: t(c.o), h: t(c.h), l: t(c.l), c: t(c.c), v: t(c.v) };
}

export function chartIndicators(candles: readonly Candle[]): ApiCandleSeries["indicators"] {
  const ema10 = new Ema(10);
  const ma50 = new Sma(50);
  const ma200 = new Sma(200);
  const rsi = new Rsi(14);
  const out: ApiCandleSeries["indicators"] = { ema10: [], ma50: [], ma200: [], rsi: [] };
  for (const c of candles) {
    out.ema10.push(chartNumberText(ema10.update(c.c)));
    out.ma50.push(chartNumberText(ma50.update(c.c)));
    out.ma200.push(chartNumberText(ma200.update(c.c)));
    out.rsi.push(chartNumberText(rsi.update(c.c)));
  }
  return out;
}

/** The indicators at the newest candle (the watchlist's columns); null without candles. */
export function latestIndicators(candles: readonly Candle[]): ApiIndicators | null {
  if (candles.length === 0) return null;
  const ind = chartIndicators(candles);
  const volume = new VolumeRatio();
  let ratio = Number.NaN;
  for (const c of candles) ratio = volume.update(c.v);
  const last = (xs: (string | null)[]) => xs[xs.length - 1] ?? null;
  return {
    rsi: last(ind.rsi),
    ema10: last(ind.ema10),
    ma50: last(ind.ma50),
    ma200: last(ind.ma200),
    volume_ratio: chartNumberText(ratio),
  };
}
