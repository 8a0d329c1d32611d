/**
 * Stop-loss / take-profit suggestion for a signal, as distances from the entry price:
 * - SL: atrMult × ATR(14) ÷ price, or a fixed percent; `fallbackPct` is used only while ATR(14) has
 *   too little history, and the trace says so. Without ATR and without a fallback, a BUY cannot
 *   fire: there would be no stop to place.
 * - TP: rr × SL distance (risk/reward), or a fixed percent.
 * Prices here are indicative (from the evaluated close); the order pipeline recomputes them from the
 * actual fill and rounds them to the instrument's tick with Dec arithmetic.
 */

import type { Side } from "../domain/orders.js";
import type { Reading } from "../indicators/index.js";
import type { PresetRules } from "./config-schema.js";
import { fmtNumber } from "./inputs.js";
import type { ConditionResult, RiskPlan } from "./types.js";

export function slLabel(sl: PresetRules["sl"]): string {
  if ("pct" in sl) return `${fmtNumber(sl.pct)} %`;
  return `${fmtNumber(sl.atrMult)}×ATR(14)${sl.fallbackPct !== undefined ? `, fallback ${fmtNumber(sl.fallbackPct)} %` : ""}`;
}

export function tpLabel(tp: PresetRules["tp"]): string {
  return "rr" in tp ? `${fmtNumber(tp.rr)}× the stop distance` : `${fmtNumber(tp.pct)} %`;
}

export function planRisk(
  rules: Pick<PresetRules, "sl" | "tp">,
  side: Side,
  price: number,
  atr: Pick<Reading, "value" | "missing">,
  explain = true,
): { plan?: RiskPlan; condition: ConditionResult } {
  const label = explain
    ? `protection computable: SL ${slLabel(rules.sl)}, TP ${tpLabel(rules.tp)}`
    : "protection";
  const id = `${side.toLowerCase()}.protection`;
  let slFraction: number;
  let basis: RiskPlan["basis"];
  let slText: string;
  const sl = rules.sl;
  if ("pct" in sl) {
    slFraction = sl.pct / 100;
    basis = "pct";
    slText = explain ? `SL ${fmtNumber(sl.pct)} %` : "";
  } else if (atr.value !== undefined && price > 0) {
    slFraction = (sl.atrMult * atr.value) / price;
    basis = "atr";
    slText = explain
      ? `SL ${fmtNumber(sl.atrMult)}×ATR(14) ${fmtNumber(atr.value)} = ${fmtNumber(slFraction * 100)} %`
      : "";
  } else if (sl.fallbackPct !== undefined) {
    slFraction = sl.fallbackPct / 100;
    basis = "fallback_pct";
    slText = explain
      ? `SL fallback ${fmtNumber(sl.fallbackPct)} % (${atr.missing ?? "ATR(14) not available"})`
      : "";
  } else {
    return {
      condition: {
        id,
        side,
        label,
        status: "insufficient",
        value: null,
        threshold: null,
        detail: `insufficient data: ${atr.missing ?? "ATR(14) not available"}`,
        missing: atr.missing ?? "ATR(14) not available",
      },
    };
  }
  const tpFraction = "rr" in rules.tp ? rules.tp.rr * slFraction : rules.tp.pct / 100;
  const dir = side === "BUY" ? 1 : -1;
  const slPrice = price * (1 - dir * slFraction);
  const tpPrice = price * (1 + dir * tpFraction);
  const detail = explain
    ? `${slText} → ${fmtNumber(slPrice)}; TP ${fmtNumber(tpFraction * 100)} % → ${fmtNumber(tpPrice)}`
    : "";
  return {
    plan: { basis, slFraction, tpFraction, slPrice, tpPrice, detail },
    condition: { id, side, label, status: "pass", value: slFraction, threshold: null, detail },
  };
}
