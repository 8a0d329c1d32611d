/**
 * The backtester's fill model (simulation only: numbers, nothing is sent anywhere).
 * - A signal at a candle's close fills as a market order at the next candle's open, moved against
 *   us by `slippage` (fraction), plus `feeRate` (fraction of the notional) on every fill.
 * - Stop-loss and take-profit are checked inside every candle while a position is open, from the
 *   entry candle on, using its high and low. When one candle reaches both, the stop is assumed to
 *   have hit first (worst case). A stop gapped through at the open fills at the open (worse); the
 *   take-profit is a resting limit order and fills at its price.
 * - Long only, one position per symbol: BUY opens (spending `tradeAmount` of quote, like the
 *   watchlist's "Amount USD"), SELL closes. A position still open at the end is closed at the last
 *   close ("END_OF_DATA").
 */

export interface FillModel {
  /** Fee per fill as a fraction of the notional (0.00075 = 0.075 %). */
  feeRate: number;
  /** Adverse price move on market fills, as a fraction (0.0005 = 5 bp). */
  slippage: number;
  /** Starting quote balance. */
  initialCash: number;
  /** Quote spent per BUY. */
  tradeAmount: number;
}

export const DEFAULT_FILL_MODEL: FillModel = {
  feeRate: 0.00075,
  slippage: 0.0005,
  initialCash: 10_000,
  tradeAmount: 1_000,
};

export type ExitReason = "SIGNAL" | "STOP_LOSS" | "TAKE_PROFIT" | "END_OF_DATA";

/** Where a long position's protection triggers inside candle `h`/`l`/`o`, if it does. */
export function protectionHit(
  o: number,
  h: number,
  l: number,
  sl: number,
  tp: number,
): { reason: "STOP_LOSS" | "TAKE_PROFIT"; price: number } | undefined {
  if (l <= sl) return { reason: "STOP_LOSS", price: Math.min(o, sl) };
  if (h >= tp) return { reason: "TAKE_PROFIT", price: tp };
  return undefined;
}
