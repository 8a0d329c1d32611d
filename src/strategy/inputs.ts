/**
 * The named inputs preset rules compare, and which indicator provides each. Periods are fixed: they
 * are part of the rule names users know (RSI 14, EMA10, MA50, MA200, ATR 14, volume ratio over the
 * previous 5 candles, and MA10w = the 70-day SMA of daily closes used by the SELL rule).
 */
import type { IndicatorSpec } from "../indicators/index.js";
import type { IndicatorNeed } from "./types.js";

/** Price-like inputs (compared as ratios). */
export type PriceVar = "price" | "ema10" | "ma50" | "ma200" | "ma10w";
/** Scalar inputs (compared with fixed bounds). */
export type ScalarVar = "rsi" | "rsiPrev" | "volumeRatio";
export type Var = PriceVar | ScalarVar;

export const RSI: IndicatorSpec = { kind: "rsi", period: 14 };
export const ATR: IndicatorSpec = { kind: "atr", period: 14 };
export const EMA10: IndicatorSpec = { kind: "ema", period: 10 };
export const MA50: IndicatorSpec = { kind: "sma", period: 50 };
export const MA200: IndicatorSpec = { kind: "sma", period: 200 };
export const VOLUME_RATIO: IndicatorSpec = { kind: "volume_ratio", period: 5 };
/** The weekly MA: 10 weeks of daily closes. */
export const MA10W: IndicatorSpec = { kind: "sma", period: 70 };
export const MA10W_TIMEFRAME = "1D" as const;

/** Where each input comes from; `previous` means the value at the previous closed candle. */
export const VAR_SOURCE: Readonly<Record<Exclude<Var, "price">, { need: IndicatorNeed; previous?: true }>> = {
  ema10: { need: { timeframe: "base", spec: EMA10 } },
  ma50: { need: { timeframe: "base", spec: MA50 } },
  ma200: { need: { timeframe: "base", spec: MA200 } },
  ma10w: { need: { timeframe: MA10W_TIMEFRAME, spec: MA10W } },
  rsi: { need: { timeframe: "base", spec: RSI } },
  rsiPrev: { need: { timeframe: "base", spec: RSI }, previous: true },
  volumeRatio: { need: { timeframe: "base", spec: VOLUME_RATIO } },
};

export const ATR_NEED: IndicatorNeed = { timeframe: "base", spec: ATR };

export const VAR_LABEL: Readonly<Record<Var, string>> = {
  price: "close",
  ema10: "EMA10",
  ma50: "MA50",
  ma200: "MA200",
  ma10w: "MA10w",
  rsi: "RSI(14)",
  rsiPrev: "previous RSI(14)",
  volumeRatio: "volume ratio(5)",
};

const POW10 = Array.from({ length: 40 }, (_, i) => 10 ** (i - 20));

/**
 * Compact, deterministic number formatting for traces: 6 significant digits, shortest form
 * (what `String(Number(x.toPrecision(6)))` gives, about twice as fast: traces format many numbers).
 */
export function fmtNumber(x: number): string {
  if (x === 0 || !Number.isFinite(x)) return String(x);
  const d = 5 - Math.floor(Math.log10(Math.abs(x)));
  if (d < -20 || d > 19) return String(Number(x.toPrecision(6)));
  if (d <= 0) {
    const p = POW10[20 - d]!;
    return String(Math.round(x / p) * p);
  }
  const p = POW10[20 + d]!;
  return String(Math.round(x * p) / p);
}
