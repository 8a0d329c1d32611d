/**
 * Rules: the failing order (order-check.ts assessed it without sending it) and the engine's order
 * code. A broken published rule or the exchange's own order code confirms `order_rejected`; a rule
 * the exchange does not publish (minimum value, price band, trigger side) or a short balance without
 * the engine's 306 makes it likely. Returns whether the order explains the engine's error.
 */
import { codeInfo } from "../../exchange/cryptocom/error-codes.js";
import { ORDER_REJECTED } from "../catalogue/order.js";
import { cause } from "../catalogue/phrases.js";
import { type Observations, ran } from "../observations.js";
import type { OrderAssessment } from "../order-check.js";
import type { Cause } from "../types.js";
import { probeVerdict } from "./readings.js";

const ORDER_CATEGORIES = new Set(["invalid_order", "insufficient_funds", "not_tradable"]);

const t = ORDER_REJECTED.text;

/** The order's fix: the corrected order, else each finding's own fix, the nearest placeable order, the balance. */
function orderFixes(a: OrderAssessment): string[] {
  if (a.corrected && a.violations.length > 0) return [t.sendCorrected(a.corrected), t.checkIt(a.corrected)];
  const fix: string[] = [];
  if (a.suggestions.length > 0) fix.push(t.exactName(a.suggestions[0]!));
  else {
    for (const v of a.violations) {
      const line = t.findingFix(v.fix);
      if (!fix.includes(line)) fix.push(line);
    }
  }
  if (a.shortfall) fix.push(t.fund(a.shortfall));
  if (a.alternative)
    fix.push(t.alternative(a.alternative.order, a.alternative.why), t.checkIt(a.alternative.order));
  else if (a.noOrderFits) fix.push(t.noOrderFits(a.noOrderFits));
  return fix;
}

export function orderCauses(o: Observations, out: Cause[]): boolean {
  const a = o.order;
  const engine = o.engine;
  const engineOrderCode =
    engine && engine.code !== undefined && ORDER_CATEGORIES.has(engine.category) ? engine : undefined;
  if (!a && !engineOrderCode) return false;
  const evidence: string[] = [];
  const fix: string[] = [];
  let confirmed = false;
  let likely = false;
  if (engineOrderCode) {
    const info = codeInfo(engineOrderCode.code!);
    evidence.push(t.engineAnswer(engineOrderCode.code!, engineOrderCode.codeName, info));
    confirmed = true;
    if (info && (!a || a.violations.length === 0)) fix.push(info.remedy);
  }
  if (a) {
    evidence.unshift(t.failing(a.order));
    for (const v of a.violations) {
      evidence.push(t.violation(v, codeInfo(v.code)?.name));
      if (v.certain) confirmed = true;
      else likely = true;
    }
    if (a.suggestions.length > 0) evidence.push(t.similar(a.suggestions));
    if (a.sizing) evidence.push(a.sizing.text);
    const read = ran(o.read);
    if (engine?.code !== undefined && !engineOrderCode && read?.kind === "ok" && a.violations.length > 0) {
      evidence.push(t.mislabelled(engine.code, engine.codeName, probeVerdict(ran(o.tradeProbe)) === "pass"));
    }
    if (a.shortfall) {
      evidence.push(t.shortfall(a.shortfall));
      if (engineOrderCode?.code === 306) confirmed = true;
      else likely = true;
    }
    if (a.corrected && a.violations.length > 0) evidence.push(t.instead(a.corrected));
    fix.push(...orderFixes(a));
    if (!a.rulesKnown && !engineOrderCode) return false;
  }
  if (!confirmed && !likely) return false;
  const first = a?.violations[0];
  const summary = first
    ? t.invalidSummary(first.field, first.code, codeInfo(first.code)?.name)
    : a?.shortfall
      ? t.balanceSummary(a.shortfall.currency)
      : t.engineSummary(engineOrderCode?.code, engineOrderCode?.codeName ?? "");
  out.push(cause("order_rejected", confirmed ? "confirmed" : "likely", summary, evidence, fix));
  return confirmed;
}
