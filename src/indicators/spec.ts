/** Names the indicators atp computes. A spec is plain data so strategies can declare what they read. */

export type IndicatorKind = "sma" | "ema" | "rsi" | "atr" | "volume_ratio";

export interface IndicatorSpec {
  kind: IndicatorKind;
  period: number;
}

/** Stable identifier, e.g. "rsi14", "sma200", "volume_ratio5". */
export function specKey(spec: IndicatorSpec): string {
  return `${spec.kind}${spec.period}`;
}

/** Human label used in decision traces, e.g. "RSI(14)", "MA50", "EMA10", "ATR(14)", "volume ratio(5)". */
export function specLabel(spec: IndicatorSpec): string {
  switch (spec.kind) {
    case "sma":
      return `MA${spec.period}`;
    case "ema":
      return `EMA${spec.period}`;
    case "rsi":
      return `RSI(${spec.period})`;
    case "atr":
      return `ATR(${spec.period})`;
    case "volume_ratio":
      return `volume ratio(${spec.period})`;
  }
}

/** Closed candles needed before the indicator has its first value. */
export function specNeeded(spec: IndicatorSpec): number {
  switch (spec.kind) {
    case "rsi":
    case "volume_ratio":
      return spec.period + 1;
    default:
      return spec.period;
  }
}

/**
 * Closed candles to load before trusting a value: the first value needs `specNeeded`, but EMA, RSI
 * and ATR are recursive, so their value depends on where the history started. After this many
 * candles the starting point's weight is below 1e-9 ((1 − α)^k with α = 2/(n+1) for the EMA and
 * 1/n for Wilder's smoothing), so a live evaluator warmed up over this history and a backtest that
 * started earlier agree to about 9 digits.
 */
export function specWarmup(spec: IndicatorSpec): number {
  switch (spec.kind) {
    case "ema":
      return specNeeded(spec) + Math.ceil(10.5 * (spec.period + 1));
    case "rsi":
    case "atr":
      return specNeeded(spec) + Math.ceil(21 * spec.period);
    default:
      return specNeeded(spec);
  }
}
