/**
 * Compiles a preset's parameters (the original platform's shape: RSI buy-below / sell-above, MA
 * checks, trend filters, confirmations, volume minimum) into explicit conditions. Each condition is
 * data: an OR of AND-groups of comparisons. The same data drives evaluation (condition-eval.ts) and
 * the load-time satisfiability check (satisfiability.ts), so what is validated is what runs.
 *
 * Rule semantics (BUY needs every BUY condition, SELL every SELL condition):
 * - BUY RSI: RSI(14) < buyBelow; with rsiConfirmation.crossUp, RSI(14) crosses up through buyBelow
 *   instead (previous RSI < buyBelow ≤ RSI). The original approximated the cross as "RSI ≥ 30" on
 *   top of "RSI < 30", so swing-conservative could never BUY.
 * - MA checks (as the original): EMA10 and MA50 both checked ⇒ MA50 ≥ EMA10 (a pullback; equal within
 *   0.01 % counts); MA50 alone ⇒ close ≥ MA50 − tolerance; MA200 ⇒ close ≥ MA200 − tolerance; EMA10
 *   alone ⇒ close ≥ EMA10 − EMA tolerance.
 * - Trend filters (optional): close > MA200; EMA10 > MA50. Candle confirmation: close > EMA10.
 * - SELL: RSI(14) > sellAbove; when MA50 is checked, a bearish trend reversal: EMA10 at least
 *   trendReversalPct below MA50, or close below MA10w (the original had this inverted for months).
 * - Both sides: volume ratio(5) ≥ volumeMinRatio (omitted when the minimum is 0).
 */

import type { Side } from "../domain/orders.js";
import type { PresetRules } from "./config-schema.js";
import { fmtNumber, type PriceVar, type ScalarVar } from "./inputs.js";

export type Op = "<" | "<=" | ">" | ">=";

/** `a op factor × b` (with `b` null: `a op factor`), compared on positive prices. */
export interface RatioConstraint {
  kind: "ratio";
  a: PriceVar;
  op: Op;
  b: PriceVar | null;
  factor: number;
  /**
   * Numerical equality band: values within this relative distance count as equal when evaluating
   * (the original's 1e-4 "flat" allowance). It is not a rule parameter, so the satisfiability check
   * ignores it: "MA50 ≥ EMA10" and "EMA10 > MA50" contradict even though a 0.01 % band exists.
   */
  flat?: number;
}

/** `x op value` on a scalar input. */
export interface BoundConstraint {
  kind: "bound";
  x: ScalarVar;
  op: Op;
  value: number;
}

export type Constraint = RatioConstraint | BoundConstraint;

export interface RuleCondition {
  id: string;
  side: Side;
  label: string;
  /** Holds when every constraint of at least one group holds. */
  anyOf: Constraint[][];
}

export interface CompiledRules {
  buy: RuleCondition[];
  sell: RuleCondition[];
}

/** Relative slack under which EMA10 and MA50 count as equal ("flat") in the pullback check. */
export const FLAT_EPSILON = 1e-4;

const ratio = (a: PriceVar, op: Op, b: PriceVar | null, factor: number): RatioConstraint => ({
  kind: "ratio",
  a,
  op,
  b,
  factor,
});
const flatRatio = (a: PriceVar, op: "<=" | ">=", b: PriceVar, flat: number): RatioConstraint => ({
  ...ratio(a, op, b, 1),
  flat,
});
const bound = (x: ScalarVar, op: Op, value: number): BoundConstraint => ({ kind: "bound", x, op, value });
const one = (c: Constraint): Constraint[][] => [[c]];

export interface CompileOptions {
  /** Per-coin buy target: BUY only at or below this price. */
  buyTarget?: number;
}

export function compileRules(r: PresetRules, opts: CompileOptions = {}): CompiledRules {
  const buy: RuleCondition[] = [];
  const sell: RuleCondition[] = [];
  const b = r.rsi.buyBelow;
  if (r.rsiConfirmation?.crossUp) {
    buy.push({
      id: "buy.rsi_cross_up",
      side: "BUY",
      label: `RSI(14) crosses up through ${fmtNumber(b)}`,
      anyOf: [[bound("rsiPrev", "<", b), bound("rsi", ">=", b)]],
    });
  } else {
    buy.push({
      id: "buy.rsi",
      side: "BUY",
      label: `RSI(14) < ${fmtNumber(b)}`,
      anyOf: one(bound("rsi", "<", b)),
    });
  }
  const { ema10, ma50, ma200 } = r.maChecks;
  const maTol = 1 - r.maTolerancePct / 100;
  if (ema10 && ma50) {
    buy.push({
      id: "buy.ma50_above_ema10",
      side: "BUY",
      label: "MA50 ≥ EMA10 (pullback; within 0.01 % counts as flat)",
      anyOf: one(flatRatio("ema10", "<=", "ma50", FLAT_EPSILON)),
    });
  } else if (ma50) {
    buy.push({
      id: "buy.price_above_ma50",
      side: "BUY",
      label: `close ≥ MA50 − ${fmtNumber(r.maTolerancePct)} %`,
      anyOf: one(ratio("price", ">=", "ma50", maTol)),
    });
  } else if (ema10) {
    buy.push({
      id: "buy.price_above_ema10",
      side: "BUY",
      label: `close ≥ EMA10 − ${fmtNumber(r.ema10TolerancePct)} %`,
      anyOf: one(ratio("price", ">=", "ema10", 1 - r.ema10TolerancePct / 100)),
    });
  }
  if (ma200) {
    buy.push({
      id: "buy.price_above_ma200",
      side: "BUY",
      label: `close ≥ MA200 − ${fmtNumber(r.maTolerancePct)} %`,
      anyOf: one(ratio("price", ">=", "ma200", maTol)),
    });
  }
  if (r.trendFilters?.priceAboveMa200) {
    buy.push({
      id: "buy.trend_price_above_ma200",
      side: "BUY",
      label: "trend filter: close > MA200",
      anyOf: one(ratio("price", ">", "ma200", 1)),
    });
  }
  if (r.trendFilters?.ema10AboveMa50) {
    buy.push({
      id: "buy.trend_ema10_above_ma50",
      side: "BUY",
      label: "trend filter: EMA10 > MA50",
      anyOf: one(ratio("ema10", ">", "ma50", 1)),
    });
  }
  if (r.candleConfirmation?.closeAboveEma10) {
    buy.push({
      id: "buy.close_above_ema10",
      side: "BUY",
      label: "candle confirmation: close > EMA10",
      anyOf: one(ratio("price", ">", "ema10", 1)),
    });
  }
  if (opts.buyTarget !== undefined) {
    buy.push({
      id: "buy.target",
      side: "BUY",
      label: `close ≤ buy target ${fmtNumber(opts.buyTarget)}`,
      anyOf: one(ratio("price", "<=", null, opts.buyTarget)),
    });
  }

  sell.push({
    id: "sell.rsi",
    side: "SELL",
    label: `RSI(14) > ${fmtNumber(r.rsi.sellAbove)}`,
    anyOf: one(bound("rsi", ">", r.rsi.sellAbove)),
  });
  if (ma50) {
    sell.push({
      id: "sell.trend_reversal",
      side: "SELL",
      label: `trend reversal: EMA10 ≥ ${fmtNumber(r.trendReversalPct)} % below MA50, or close < MA10w`,
      anyOf: [
        [ratio("ema10", "<=", "ma50", 1 - r.trendReversalPct / 100)],
        [ratio("price", "<", "ma10w", 1)],
      ],
    });
  }
  if (r.volumeMinRatio > 0) {
    for (const [list, side] of [
      [buy, "BUY"],
      [sell, "SELL"],
    ] as const) {
      list.push({
        id: `${side.toLowerCase()}.volume`,
        side,
        label: `volume ratio(5) ≥ ${fmtNumber(r.volumeMinRatio)}`,
        anyOf: one(bound("volumeRatio", ">=", r.volumeMinRatio)),
      });
    }
  }
  return { buy, sell };
}
