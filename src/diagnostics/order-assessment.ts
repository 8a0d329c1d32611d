/**
 * What the order check answers (`OrderAssessment`): the findings with their exchange codes and
 * fixes, the corrected order or the nearest one that can be placed, the sizing of an amount, and
 * what was checked against an assumption or not at all; and how an order is written in reports.
 */
import type { Instrument, OrderFields } from "../exchange/cryptocom/instruments.js";
import { type Dec, plain } from "../util/decimal.js";
import type { NormalisedOrder } from "./order-input.js";

/** The order as `--order` JSON (decimal fields as strings). */
export function orderJson(o: OrderFields): string {
  const out: Record<string, string> = { instrument_name: o.instrument_name, side: o.side, type: o.type };
  for (const k of ["quantity", "notional", "price", "ref_price"] as const) {
    const v = o[k];
    if (v !== undefined) out[k] = v;
  }
  return JSON.stringify(out);
}

/** One line: `SELL MARKET BTC_USD quantity 0.00011119 ($10.00)`. */
export function describeOrder(o: NormalisedOrder | OrderFields, amount?: string): string {
  const parts = [o.side, o.type, o.instrument_name];
  if (o.quantity !== undefined) parts.push(`quantity ${o.quantity}`);
  if (o.notional !== undefined) parts.push(`notional ${o.notional}`);
  if (o.price !== undefined) parts.push(`price ${o.price}`);
  if (o.ref_price !== undefined) parts.push(`ref_price ${o.ref_price}`);
  if (amount !== undefined) parts.push(`(amount ${amount})`);
  return parts.join(" ");
}

export function fmt(d: Dec): string {
  return plain(d);
}

/** Available balance per currency (quantity − reserved), from private/user-balance. */
export type Balances = ReadonlyMap<string, Dec>;

export interface BalanceCheck {
  currency: string;
  available: Dec;
  needed: Dec;
}

/** A rule the order breaks, with the exchange code it would get and its own fix. */
export interface OrderFinding {
  field: string;
  rule: string;
  /** The exchange code the order would be rejected with. */
  code: number;
  /** False when the rule rests on an assumption (a limit the exchange does not publish) or a moving market. */
  certain: boolean;
  /** The value atp would send instead: set only when the corrected order carries it. */
  corrected?: string | undefined;
  /** How to fix this finding (specific to the field and the rule). */
  fix: string;
}

export interface Suggestion {
  order: OrderFields;
  /** Why this order, e.g. "the smallest order that passes". */
  why: string;
}

export interface Sizing {
  amount: string;
  /** The order field the amount became, and its value. */
  field: "quantity" | "notional";
  value: string;
  /** One evidence line: how the amount was sized. */
  text: string;
}

export interface OrderAssessment {
  order: NormalisedOrder;
  instrument: Instrument | undefined;
  /** False when the instrument list could not be fetched: nothing could be validated. */
  rulesKnown: boolean;
  /** The order checked, as atp would send it (an `amount` sized as atp sizes it). */
  checked: OrderFields | undefined;
  violations: OrderFinding[];
  /** The order atp would send instead: same intent, every rule met, fits the known balance. */
  corrected: OrderFields | undefined;
  /** The nearest order that can be placed, when the corrected one cannot. */
  alternative: Suggestion | undefined;
  /** Why no order of this kind can be placed (e.g. the balance covers none above the minimum). */
  noOrderFits: string | undefined;
  /** The first rule that could not be corrected. */
  uncorrectable: string | undefined;
  /** Set when the balance is known and short (code 306). */
  shortfall: BalanceCheck | undefined;
  /** Similar instrument names when the instrument is unknown. */
  suggestions: string[];
  /** How atp sizes the order's amount (when it has one and it can be sized). */
  sizing: Sizing | undefined;
  /** The rules checked, for the pass line ("the instrument rules", "the balance", …). */
  passed: string[];
  /** Rules checked against an assumption (named in the report). */
  assumptions: string[];
  /** Rules that could not be checked, and why. */
  unknowns: string[];
}
