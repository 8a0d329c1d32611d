/**
 * What one order is checked with (the instrument, with the minimum order value it is checked
 * against; the market; the balance) and the checks themselves: every rule an order breaks, in the
 * exchange's order, and whether it fits the known balance. Pure; the same checks judge the failing
 * order and every order the doctor suggests instead.
 */
import { type Instrument, type OrderFields, validateOrder } from "../exchange/cryptocom/instruments.js";
import { type Dec, dec, plain } from "../util/decimal.js";
import type { BalanceCheck, Balances, OrderFinding } from "./order-assessment.js";
import { balanceNeed, type MarketPrices, marketFindings, minimumText } from "./order-rules.js";

export function positive(s: string | undefined): Dec | undefined {
  if (s === undefined) return undefined;
  try {
    const d = dec(s);
    return d.gt(0) ? d : undefined;
  } catch {
    return undefined;
  }
}

/** What an order is checked with: the instrument (with the minimum checked), the market, the balance. */
export interface Ctx {
  inst: Instrument;
  rules: Instrument;
  market: MarketPrices | undefined;
  mark: Dec | undefined;
  balances: Balances | undefined;
}

export type RawFinding = Omit<OrderFinding, "fix">;

/** Every rule `o` breaks, in the exchange's order; the balance is separate (shortfall). */
export function ruleFindings(c: Ctx, o: OrderFields): RawFinding[] {
  const opts = { marketPrice: c.mark };
  const known = validateOrder(c.inst, o, opts);
  const out: RawFinding[] = known.map((v) => ({ ...v, certain: true }));
  if (c.rules !== c.inst) {
    const assumed = validateOrder(c.rules, o, opts);
    // the minimum order value is the only rule that depends on minNotional, and comes last
    if (assumed.length > known.length) {
      const v = assumed[assumed.length - 1]!;
      const value = orderValue(c, o);
      out.push({
        field: v.field,
        code: v.code,
        certain: false,
        rule: `order value ${value ? `${plain(value)} ${c.inst.quoteCcy}` : "unknown"}: ${minimumText(c.inst)}`,
      });
    }
  }
  for (const f of marketFindings(c.inst, o, c.mark)) out.push({ ...f, certain: false });
  return out;
}

/** The order's value as the exchange computes it for the minimum (quote currency). */
export function orderValue(c: Ctx, o: OrderFields): Dec | undefined {
  const n = positive(o.notional);
  if (n) return n;
  const q = positive(o.quantity);
  const at = positive(o.price) ?? positive(o.ref_price) ?? c.mark;
  return q && at ? q.mul(at) : undefined;
}

export function shortfallOf(c: Ctx, o: OrderFields): BalanceCheck | undefined {
  if (!c.balances) return undefined;
  const need = balanceNeed(c.inst, o, c.market);
  if (!need) return undefined;
  const available = c.balances.get(need.currency) ?? dec("0");
  return available.lt(need.amount) ? { currency: need.currency, available, needed: need.amount } : undefined;
}

/** True when `o` passes every rule and fits the known balance: the condition for suggesting it. */
export function placeable(c: Ctx, o: OrderFields): boolean {
  return ruleFindings(c, o).length === 0 && !shortfallOf(c, o);
}
