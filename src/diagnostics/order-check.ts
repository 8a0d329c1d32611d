/**
 * Checks a failing order without sending it, against every rule the exchange applies that can be
 * known before sending: the order's shape and the instrument rules (`validateOrder`, the same
 * rules atp's order path and the emulator apply: ticks, decimals, tradable, minimum quantity), the
 * minimum order value, a limit price too far from the market and a trigger on the wrong side of it
 * (order-rules.ts, at the mark price from the ticker), and the available balance from the signed
 * read. Pure: the instruments, the market prices and the balances are passed in.
 *
 * Invariants:
 * - Never "passes" an order silently on a rule it cannot know: an assumed limit (the minimum order
 *   value, the price band) is named in the pass, a finding on one is `certain: false`, and what
 *   cannot be checked at all is listed in `unknowns`.
 * - Every order it suggests (`corrected`, `alternative`) passes the same checks: `validateOrder`
 *   for the instrument (with the minimum it checks against), the market rules, and, when the
 *   balance is known, fits the available balance. A suggestion is re-checked before it is made;
 *   when none can be made, `noOrderFits` or the findings' own fixes say why.
 * - `corrected` keeps the order's intent (only ticks, decimals, notation fixed: what atp's order path
 *   does); `alternative` is the nearest order that can be placed (the smallest one for an order
 *   below the minimum, the largest the balance covers for one above it).
 *
 * Here: the assessment itself (sizing an amount, the findings, what was assumed or not checked).
 * Beside it: order-input.ts (the input's shape), order-context.ts (the checks every order, failing or
 * suggested, goes through), order-rules.ts (the market, balance and unpublished rules),
 * order-advice.ts (each finding's fix), order-suggestions.ts (the corrected or nearest order),
 * order-assessment.ts (the answer's shape and how orders are written).
 *
 * The seed's order is the reference case: SELL BTC_USD for $10.00 sent with quantity 0.00011119 is
 * a 213 (quantity not on BTC_USD's 0.00001 tick), and atp would send 0.00011.
 */
import {
  formatNotional,
  type Instrument,
  type OrderFields,
  OrderValidationError,
  quantityForAmount,
  validateOrder,
} from "../exchange/cryptocom/instruments.js";
import { parseUserBalance } from "../exchange/cryptocom/parsers/account.js";
import { type Dec, plain } from "../util/decimal.js";
import { explainFinding } from "./order-advice.js";
import type { Balances, OrderAssessment, Sizing } from "./order-assessment.js";
import { type Ctx, orderValue, positive, type RawFinding, ruleFindings } from "./order-context.js";
import { LIMIT_ORDER_TYPES, type NormalisedOrder, TRIGGER_ORDER_TYPES } from "./order-input.js";
import { type MarketPrices, markOf, minimumFor, minimumText, withMinimum } from "./order-rules.js";
import { correct, finish, smallest, tooSmall } from "./order-suggestions.js";

export {
  type BalanceCheck,
  type Balances,
  describeOrder,
  fmt,
  type OrderAssessment,
  type OrderFinding,
  orderJson,
  type Sizing,
  type Suggestion,
} from "./order-assessment.js";
export { type NormalisedOrder, normaliseOrder, OrderInputError } from "./order-input.js";
export type { MarketPrices } from "./order-rules.js";

function squash(s: string): string {
  return s.toUpperCase().replace(/[^A-Z0-9]/g, "");
}

export function suggestInstruments(name: string, instruments: readonly Instrument[]): string[] {
  const want = squash(name);
  const exact = instruments.filter((i) => squash(i.symbol) === want).map((i) => i.symbol);
  if (exact.length > 0) return exact;
  return instruments
    .filter((i) => i.baseCcy === want || squash(`${i.baseCcy}${i.quoteCcy}`).startsWith(want))
    .map((i) => i.symbol)
    .slice(0, 5);
}

export interface AssessInput {
  order: NormalisedOrder;
  /** undefined: the instrument list is not available. */
  instruments: readonly Instrument[] | undefined;
  /** Best bid, ask and last price of the order's instrument, when known. */
  market?: MarketPrices | undefined;
  /** Shorthand for a market where bid = ask = last (tests, callers with one price). */
  marketPrice?: Dec | undefined;
  balances?: Balances | undefined;
}

function base(order: NormalisedOrder, rulesKnown: boolean): OrderAssessment {
  return {
    order,
    instrument: undefined,
    rulesKnown,
    checked: undefined,
    violations: [],
    corrected: undefined,
    alternative: undefined,
    noOrderFits: undefined,
    uncorrectable: undefined,
    shortfall: undefined,
    suggestions: [],
    sizing: undefined,
    passed: ["the instrument rules"],
    assumptions: [],
    unknowns: [],
  };
}

/** The amount sized as atp sizes it: a MARKET BUY spends it as notional, anything else buys or sells a quantity. */
function size(
  inst: Instrument,
  order: NormalisedOrder,
  price: Dec | undefined,
): { sizing: Sizing } | { error: RawFinding } | { unknown: string } | undefined {
  const amount = order.amount;
  if (amount === undefined) return undefined;
  if (order.type === "MARKET" && order.side === "BUY") {
    const n = formatNotional(inst, amount);
    return {
      sizing: {
        amount,
        field: "notional",
        value: n,
        text: `amount ${amount} ${inst.quoteCcy}: a MARKET BUY spends it as notional ${n}`,
      },
    };
  }
  if (!price) return { unknown: `amount ${amount} ${inst.quoteCcy} cannot be sized without a market price` };
  try {
    const s = quantityForAmount(inst, amount, price);
    return {
      sizing: {
        amount,
        field: "quantity",
        value: s.text,
        text: `amount ${amount} ${inst.quoteCcy} at ${plain(price)} is ${plain(s.raw.toDecimalPlaces(12))} ${inst.baseCcy}, floored to the ${plain(inst.qtyTickSize)} tick: ${s.text}`,
      },
    };
  } catch (err) {
    if (!(err instanceof OrderValidationError)) throw err;
    const v = err.violations[0]!;
    return { error: { field: v.field, rule: v.rule, code: v.code, certain: true } };
  }
}

export function assessOrder(input: AssessInput): OrderAssessment {
  const { order, instruments } = input;
  const out = base(order, instruments !== undefined);
  if (!instruments) return out;
  const inst = instruments.find((i) => i.symbol === order.instrument_name);
  const fields: OrderFields = {
    instrument_name: order.instrument_name,
    side: order.side,
    type: order.type,
    ...(order.quantity !== undefined ? { quantity: order.quantity } : {}),
    ...(order.notional !== undefined ? { notional: order.notional } : {}),
    ...(order.price !== undefined ? { price: order.price } : {}),
    ...(order.ref_price !== undefined ? { ref_price: order.ref_price } : {}),
  };
  if (!inst) {
    const [v] = validateOrder(undefined, fields);
    return {
      ...out,
      checked: fields,
      violations: [
        {
          ...v!,
          certain: true,
          fix: `use an exact instrument name from public/get-instruments (case-sensitive)`,
        },
      ],
      uncorrectable: `${order.instrument_name} is not an instrument of this exchange`,
      suggestions: suggestInstruments(order.instrument_name, instruments),
    };
  }
  const market: MarketPrices | undefined =
    input.market ??
    (input.marketPrice
      ? { bid: input.marketPrice, ask: input.marketPrice, last: input.marketPrice }
      : undefined);
  const mark = markOf(market);
  const c: Ctx = { inst, rules: withMinimum(inst), market, mark, balances: input.balances };
  const assumptions: string[] = [];
  const unknowns: string[] = [];

  // An amount: size it as atp would, at the order's own price, else the market on its side.
  const sidePrice = (order.side === "SELL" ? market?.bid : market?.ask) ?? mark;
  const priceForAmount =
    (LIMIT_ORDER_TYPES.has(order.type) ? positive(order.price) : undefined) ??
    (TRIGGER_ORDER_TYPES.has(order.type) ? positive(order.ref_price) : undefined) ??
    (sidePrice?.gt(0) ? sidePrice : undefined);
  const sized = size(inst, order, priceForAmount);
  const byAmount = fields.quantity === undefined && fields.notional === undefined;
  let sizing: Sizing | undefined;
  if (sized && "sizing" in sized) {
    sizing = sized.sizing;
    if (byAmount) fields[sizing.field] = sizing.value;
  } else if (sized && byAmount) {
    if ("unknown" in sized) return { ...out, instrument: inst, passed: [], unknowns: [sized.unknown] };
    const f = sized.error;
    const finding = { ...f, fix: explainFinding(f, { inst, order: fields, mark }) };
    const alt = smallest(c, fields);
    return finish(
      c,
      { ...out, instrument: inst, checked: fields, violations: [finding], uncorrectable: f.rule },
      alt,
    );
  }

  const findings = ruleFindings(c, fields);
  const minimum = minimumFor(inst);
  if (minimum.source === "assumed") assumptions.push(`minimum order value: ${minimumText(inst)}`);
  if (minimum.source === "unknown") unknowns.push(`minimum order value: ${minimumText(inst)}`);
  if (minimum.value && !mark && !orderValue(c, fields))
    unknowns.push("the order's value (no market price to value it at)");
  if (LIMIT_ORDER_TYPES.has(fields.type)) {
    if (mark) assumptions.push("limit price band: about ±50% of the market (not published by the exchange)");
    else unknowns.push("how far the limit price is from the market (no market price)");
  }
  if (!input.balances) unknowns.push("the available balance (the signed read did not succeed)");
  const passed = ["the instrument rules (shape, ticks, tradable)"];
  if (minimum.value && orderValue(c, fields)) passed.push("the minimum order value");
  if (mark && LIMIT_ORDER_TYPES.has(fields.type)) passed.push("the limit price band");
  if (mark && TRIGGER_ORDER_TYPES.has(fields.type)) passed.push("the trigger side of the market");
  if (input.balances) passed.push("the available balance");

  const { order: fixed, stop } = correct(c, fields);
  const result: OrderAssessment = {
    ...out,
    instrument: inst,
    checked: fields,
    violations: [],
    sizing,
    passed,
    assumptions,
    unknowns,
    uncorrectable: stop?.rule,
    corrected: stop ? undefined : fixed,
  };
  // the corrected value of a field is shown only when the corrected order carries it
  result.violations = findings.map((f) => ({
    ...f,
    corrected:
      !stop && f.corrected !== undefined && fixed[f.field as "quantity"] === f.corrected
        ? f.corrected
        : undefined,
    fix: explainFinding(f, { inst, order: fields, mark }),
  }));
  // a rule the corrections run into (1e-8 written out is 0.00000001: below the 0.00001 tick)
  if (stop && !findings.some((f) => f.code === stop.code && f.field === stop.field)) {
    const value = fixed[stop.field as "quantity"];
    result.violations.push({
      ...stop,
      corrected: undefined,
      rule: value !== undefined ? `with ${stop.field} written as ${value}: ${stop.rule}` : stop.rule,
      fix: explainFinding(stop, { inst, order: fixed, mark }),
    });
  }
  const alt = stop && tooSmall(stop) ? smallest(c, fixed) : undefined;
  return finish(c, result, alt);
}

/** Available balance per currency from a private/user-balance result (shared parser). */
export function availableBalances(result: unknown): Map<string, Dec> | undefined {
  try {
    return new Map(parseUserBalance(result).currencies.map((c) => [c.currency, c.available]));
  } catch {
    return undefined;
  }
}
