/**
 * Sizing: the order the venue would accept, from the instrument rules, or the rule it would refuse.
 *
 * Invariants:
 * - A BUY is a MARKET order by notional = rules.floorNotional(amount): never spend more than asked.
 * - A SELL is a MARKET order by quantity = rules.floorQuantity(min(held, available)): never sell
 *   more than the lots hold nor more than the account has.
 * - `rules.check` decides: an order it refuses is never sent (the violation names the rule and the
 *   venue's code, e.g. 213), and the pipeline blocks it with SIZE_BELOW_MINIMUM.
 */
import type { Instrument, OrderRules, RuleViolation } from "../exchange/types.js";
import { Dec, dec } from "../util/decimal.js";

export type SizedOrder =
  | { ok: true; notional?: Dec | undefined; quantity?: Dec | undefined }
  | { ok: false; violations: RuleViolation[]; detail: string };

export function describeViolations(v: readonly RuleViolation[]): string {
  return v
    .map((x) => `${x.field}: ${x.rule} (code ${x.code}${x.corrected ? `, use ${x.corrected}` : ""})`)
    .join("; ");
}

export function sizeBuy(
  rules: OrderRules,
  inst: Instrument,
  amountUsd: Dec,
  price: Dec | undefined,
): SizedOrder {
  const notional = rules.floorNotional(inst, amountUsd);
  const violations = notional.lte(0)
    ? [{ field: "notional", rule: "must be > 0", code: 415 }]
    : rules.check(
        inst,
        { intentId: "sizing", symbol: inst.symbol, side: "BUY", type: "MARKET", notional },
        price,
      );
  return violations.length
    ? { ok: false, violations, detail: describeViolations(violations) }
    : { ok: true, notional };
}

export function sizeSell(
  rules: OrderRules,
  inst: Instrument,
  held: Dec,
  available: Dec | undefined,
  price: Dec | undefined,
): SizedOrder {
  const cap = available === undefined ? held : Dec.min(held, available);
  const quantity = rules.floorQuantity(inst, Dec.max(cap, dec("0")));
  const violations = quantity.lte(0)
    ? [{ field: "quantity", rule: "below the quantity step", code: 415 }]
    : rules.check(
        inst,
        { intentId: "sizing", symbol: inst.symbol, side: "SELL", type: "MARKET", quantity },
        price,
      );
  return violations.length
    ? { ok: false, violations, detail: describeViolations(violations) }
    : { ok: true, quantity };
}
