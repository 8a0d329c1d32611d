/**
 * The strategy extension point. A strategy is a small module implementing `Strategy`: it declares
 * the indicators it reads and turns one evaluation input into a `Decision` with a full trace. The
 * same objects run live (src/strategy/live-signals.ts) and in the backtester (src/backtest), so a
 * backtest reproduces what the live evaluator would have decided on the same candles.
 *
 * Invariants every strategy keeps:
 * - It is a pure function of its input (no clock, no I/O, no randomness).
 * - A missing input is reported as an "insufficient" condition, never replaced by a default.
 * - Every condition that influenced the action is in `conditions` with its value and threshold.
 */

import type { Candle } from "../domain/market.js";
import type { Side } from "../domain/orders.js";
import type { IndicatorSpec, Reading } from "../indicators/index.js";
import type { Timeframe } from "../market/timeframe.js";

export type Action = Side | "WAIT";
export type ConditionStatus = "pass" | "fail" | "insufficient";

/** One line of a decision trace. */
export interface ConditionResult {
  /** Stable id, e.g. "buy.rsi", "sell.trend_reversal", "gate.data_fresh". */
  id: string;
  /** Which side the condition belongs to; gates apply to both. */
  side: Side | "GATE";
  /** What is required, e.g. "RSI(14) < 30". */
  label: string;
  status: ConditionStatus;
  /** Observed value (null when insufficient or not numeric). */
  value: number | null;
  /** Threshold the value was compared with (null when not numeric). */
  threshold: number | null;
  /** Human explanation with the numbers, e.g. "RSI(14) 27.41 < 30". */
  detail: string;
  /** For "insufficient": the input that is missing and why, e.g. "MA200 needs 200 candles, have 120". */
  missing?: string;
}

/** Stop-loss / take-profit suggestion, as distances from the entry so any fill price can use it. */
export interface RiskPlan {
  basis: "atr" | "pct" | "fallback_pct";
  /** Stop distance as a fraction of the entry price (0.03 = 3 %). */
  slFraction: number;
  /** Take-profit distance as a fraction of the entry price. */
  tpFraction: number;
  /** Indicative prices from the evaluated close (the order pipeline recomputes them from the fill). */
  slPrice: number;
  tpPrice: number;
  detail: string;
}

export interface Decision {
  action: Action;
  strategy: string;
  symbol: string;
  timeframe: Timeframe;
  /** Start of the evaluated candle (ms). */
  candleTime: number;
  /** When the evaluation happened (candle close in backtests, wall clock live). */
  evaluatedAt: number;
  /** True when the evaluated candle had not closed yet (informational, never traded). */
  preview: boolean;
  /** Close of the evaluated candle. */
  price: number;
  /** Gates, then BUY conditions, then SELL conditions. */
  conditions: ConditionResult[];
  /** Short human summary of why the action was chosen. */
  reasons: string[];
  /** Share (0–100) of the BUY conditions that pass. */
  buyIndex: number;
  /** Inputs that were not available ("RSI(14) needs 15 candles, have 9"). */
  insufficient: string[];
  /** Stop/target for the action's side; absent for WAIT. */
  risk?: RiskPlan;
}

/** A signal received from outside (TradingView-style webhook), queued until the next evaluation. */
export interface ExternalSignal {
  id: string;
  source: string;
  side: Side;
  /** When atp received it (ms). */
  receivedAt: number;
  /** Price quoted by the sender, if any (informational). */
  price?: number;
  note?: string;
}

/** An indicator a strategy reads: on its own timeframe ("base") or a fixed one (e.g. "1D"). */
export interface IndicatorNeed {
  timeframe: "base" | Timeframe;
  spec: IndicatorSpec;
}

/** Read access to the indicators the evaluator keeps for one symbol. */
export interface IndicatorView {
  /** Full reading, with the reason when the value is missing. */
  read(need: IndicatorNeed): Reading;
  /** Fast path: the current value, NaN when missing (then `read` says why). */
  value(need: IndicatorNeed): number;
  /** Fast path: the value at the previous closed candle, NaN when missing. */
  previous(need: IndicatorNeed): number;
}

export interface StrategyInput {
  symbol: string;
  timeframe: Timeframe;
  /** The evaluated candle (closed, or the live one when `preview`). */
  candle: Candle;
  preview: boolean;
  now: number;
  indicators: IndicatorView;
  /** External signals received since the previous evaluation, oldest first. */
  external: readonly ExternalSignal[];
  /**
   * Default true. When false, `detail` texts and `reasons` may be left empty and `missing` may name
   * the input only (the backtester and the watchlist cycle evaluate many candles and explain only
   * the decisions they act on, by evaluating again with `explain` on — strategies are pure, so that
   * gives the same decision). Statuses, values, thresholds, risk figures and the action are the
   * same either way.
   */
  explain?: boolean;
}

export interface Strategy {
  /** Throttle and report key, e.g. "swing-conservative" or "webhook:tradingview". */
  readonly key: string;
  readonly needs: readonly IndicatorNeed[];
  /** Pure: the same input gives the same decision. */
  evaluate(input: StrategyInput): Decision;
}
