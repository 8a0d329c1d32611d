/** Assembles a Decision from per-side condition results; shared by every strategy and by the evaluator's gates. */
import type { Side } from "../domain/orders.js";
import type { Action, ConditionResult, Decision, RiskPlan, StrategyInput } from "./types.js";

export interface SideResults {
  buy: ConditionResult[];
  sell: ConditionResult[];
  risk?: { BUY?: RiskPlan; SELL?: RiskPlan };
}

function summary(side: Side, list: ConditionResult[]): string {
  if (list.length === 0) return `${side}: no conditions`;
  const failing = list.filter((c) => c.status === "fail");
  const missing = list.filter((c) => c.status === "insufficient");
  if (failing.length === 0 && missing.length === 0) return `${side}: all ${list.length} conditions pass`;
  const parts: string[] = [];
  if (failing.length > 0) parts.push(`not met: ${failing.map((c) => `${c.label} (${c.detail})`).join("; ")}`);
  if (missing.length > 0) parts.push(`insufficient data: ${missing.map((c) => c.label).join("; ")}`);
  return `${side} ${parts.join("; ")}`;
}

function allPass(list: ConditionResult[]): boolean {
  if (list.length === 0) return false;
  for (let i = 0; i < list.length; i++) if (list[i]!.status !== "pass") return false;
  return true;
}

export function buildDecision(strategy: string, input: StrategyInput, r: SideResults): Decision {
  const buyOk = allPass(r.buy);
  const sellOk = allPass(r.sell);
  const action: Action = buyOk ? "BUY" : sellOk ? "SELL" : "WAIT";
  const reasons = input.explain !== false ? [summary("BUY", r.buy), summary("SELL", r.sell)] : [];
  if (buyOk && sellOk) reasons.push("BUY and SELL both hold: BUY takes precedence (as in the original)");
  const conditions: ConditionResult[] = [];
  const insufficient: string[] = [];
  let passing = 0;
  for (const list of [r.buy, r.sell]) {
    for (let i = 0; i < list.length; i++) {
      const c = list[i]!;
      conditions.push(c);
      if (c.status === "pass") {
        if (list === r.buy) passing++;
      } else if (c.status === "insufficient") {
        const why = c.missing ?? c.detail;
        if (!insufficient.includes(why)) insufficient.push(why);
      }
    }
  }
  const d: Decision = {
    action,
    strategy,
    symbol: input.symbol,
    timeframe: input.timeframe,
    candleTime: input.candle.t,
    evaluatedAt: input.now,
    preview: input.preview,
    price: input.candle.c,
    conditions,
    reasons,
    buyIndex: r.buy.length === 0 ? 0 : Math.round((100 * passing) / r.buy.length),
    insufficient,
  };
  const risk = action === "WAIT" ? undefined : r.risk?.[action];
  if (risk) d.risk = risk;
  return d;
}

/**
 * Applies gates that hold for every strategy (fresh market data, trading allowed for the symbol):
 * they are put first in the trace and a failing gate turns the action into WAIT.
 */
export function applyGates(d: Decision, gates: readonly ConditionResult[]): Decision {
  if (gates.length === 0) return d;
  const blocked = gates.filter((g) => g.status !== "pass");
  const out: Decision = { ...d, conditions: [...gates, ...d.conditions] };
  if (blocked.length > 0) {
    if (d.action !== "WAIT")
      out.reasons = [`${d.action} blocked: ${blocked.map((g) => g.detail).join("; ")}`, ...d.reasons];
    else out.reasons = [`blocked: ${blocked.map((g) => g.detail).join("; ")}`, ...d.reasons];
    out.action = "WAIT";
    delete out.risk;
  }
  return out;
}
