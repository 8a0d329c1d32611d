/**
 * What the doctor suggests instead of a failing order: the corrected order (what atp's order path
 * would correct, re-checked after every step) or the nearest order that can be placed (the smallest
 * that passes, the largest the balance covers), or why none fits. Every suggestion passes the same
 * checks as the failing order (order-context.ts) before it is made.
 */
import { formatQuantity, type Instrument, type OrderFields } from "../exchange/cryptocom/instruments.js";
import { ceilToStep, Dec, floorToStep, plain } from "../util/decimal.js";
import { describeOrder, fmt, type OrderAssessment, type Suggestion } from "./order-assessment.js";
import {
  type Ctx,
  placeable,
  positive,
  type RawFinding,
  ruleFindings,
  shortfallOf,
} from "./order-context.js";
import { LIMIT_ORDER_TYPES, TRIGGER_ORDER_TYPES } from "./order-input.js";
import { MARKET_MARGIN, minimumFor } from "./order-rules.js";

const CORRECTABLE = new Set(["quantity", "notional", "price", "ref_price"]);

/**
 * Applies the corrections atp's order path would make (floor to the tick, round prices safely,
 * write out exponents, drop a notional next to a quantity) until the order passes the rules, or
 * stops at the first finding with no correction. Every step is re-checked, so a correction that
 * itself breaks a rule (1e-8 → 0.00000001, off the 0.00001 tick) is never the answer.
 */
export function correct(c: Ctx, start: OrderFields): { order: OrderFields; stop: RawFinding | undefined } {
  let o: OrderFields = { ...start };
  for (let i = 0; i < 6; i++) {
    const fs = ruleFindings(c, o);
    if (fs.length === 0) return { order: o, stop: undefined };
    const next: OrderFields = { ...o };
    for (const f of fs) {
      if (f.corrected !== undefined && CORRECTABLE.has(f.field)) {
        next[f.field as "quantity"] = f.corrected;
      } else if (f.code === 40004 && f.field === "notional" && positive(o.quantity)) {
        next.notional = undefined; // a quantity is given: the notional is the extra field
      } else {
        return { order: o, stop: f };
      }
    }
    o = next;
  }
  return { order: o, stop: ruleFindings(c, o)[0] };
}

/** A 415 (below the minimum value or quantity) or a quantity below the tick: fixed by a bigger order. */
export function tooSmall(f: RawFinding): boolean {
  return f.code === 415 || (f.code === 213 && f.field === "quantity" && f.corrected === undefined);
}

function ceilNotional(inst: Instrument, v: Dec): string {
  return plain(v.toDecimalPlaces(inst.quoteDecimals, Dec.ROUND_UP), inst.quoteDecimals);
}

/** The smallest order of this kind that passes the rules (the price it is valued at: its own, else the market). */
export function smallest(c: Ctx, o: OrderFields): OrderFields | undefined {
  const min = minimumFor(c.inst).value;
  if (o.notional !== undefined && o.quantity === undefined) {
    return { ...o, notional: ceilNotional(c.inst, min ?? new Dec(10).pow(-c.inst.quoteDecimals)) };
  }
  const own = LIMIT_ORDER_TYPES.has(o.type) ? positive(o.price) : undefined;
  const at = own ?? (TRIGGER_ORDER_TYPES.has(o.type) ? positive(o.ref_price) : undefined);
  const tick = c.inst.qtyTickSize;
  let q = tick;
  if (min) {
    const price = at ?? c.mark;
    if (!price) return undefined;
    const target = at ? min : min.mul(Dec.add(1, MARKET_MARGIN));
    q = Dec.max(tick, ceilToStep(target.div(price), tick));
  }
  return { ...o, quantity: formatQuantity(c.inst, q), notional: undefined };
}

/** The largest order of this kind the available balance covers (undefined: none). */
function largest(c: Ctx, o: OrderFields, available: Dec): OrderFields | undefined {
  const tick = c.inst.qtyTickSize;
  const byQuantity = (q: Dec) => {
    const f = floorToStep(q, tick);
    return f.gte(tick) ? { ...o, quantity: formatQuantity(c.inst, f), notional: undefined } : undefined;
  };
  if (o.side === "SELL") return byQuantity(available);
  if (o.notional !== undefined && o.quantity === undefined) {
    const n = available.toDecimalPlaces(c.inst.quoteDecimals, Dec.ROUND_DOWN);
    return n.gt(0) ? { ...o, notional: plain(n, c.inst.quoteDecimals) } : undefined;
  }
  const limit = LIMIT_ORDER_TYPES.has(o.type) ? positive(o.price) : undefined;
  const ref = TRIGGER_ORDER_TYPES.has(o.type) ? positive(o.ref_price) : undefined;
  const ask = c.market?.ask?.gt(0) ? c.market.ask : c.mark;
  const cost = limit ?? ref ?? ask?.mul(Dec.add(1, MARKET_MARGIN));
  return cost ? byQuantity(available.div(cost)) : undefined;
}

/** Balance, then the suggestion: the corrected order if it fits, else the nearest placeable one. */
export function finish(c: Ctx, a: OrderAssessment, smallestOrder: OrderFields | undefined): OrderAssessment {
  const target = a.corrected ?? a.checked;
  const shortfall = target ? shortfallOf(c, target) : undefined;
  let corrected = a.corrected;
  let alternative: Suggestion | undefined;
  let noOrderFits: string | undefined;
  const min = minimumFor(c.inst);
  const minWords = min.value
    ? `, worth at least ${min.source === "assumed" ? "about " : ""}${plain(min.value)} ${c.inst.quoteCcy}`
    : "";
  if (corrected && shortfall) {
    corrected = undefined;
    const big = largest(c, target!, shortfall.available);
    if (big && placeable(c, big)) {
      alternative = {
        order: big,
        why: `the largest order the available ${fmt(shortfall.available)} ${shortfall.currency} covers`,
      };
    } else {
      noOrderFits = `the available ${fmt(shortfall.available)} ${shortfall.currency} covers no ${c.inst.symbol} order that passes the rules (at least ${plain(c.inst.qtyTickSize)} ${c.inst.baseCcy}${minWords})`;
    }
  } else if (smallestOrder) {
    if (placeable(c, smallestOrder)) {
      alternative = {
        order: smallestOrder,
        why: `the smallest ${c.inst.symbol} order that passes the rules${minWords}`,
      };
    } else {
      const short = shortfallOf(c, smallestOrder);
      if (short && ruleFindings(c, smallestOrder).length === 0) {
        noOrderFits = `the smallest ${c.inst.symbol} order that passes the rules (${describeOrder(smallestOrder)}) needs ${fmt(short.needed)} ${short.currency}, and ${fmt(short.available)} is available`;
      }
    }
  }
  // a field's corrected value is advice too: only while the corrected order is the one suggested
  const violations = corrected ? a.violations : a.violations.map((v) => ({ ...v, corrected: undefined }));
  return { ...a, violations, corrected, alternative, noOrderFits, shortfall };
}
