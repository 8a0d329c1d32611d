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
 * The seed's order is the reference case: SELL BTC_USD for $10.00 sent with quantity 0.00011119 is
 * a 213 (quantity not on BTC_USD's 0.00001 tick), and atp would send 0.00011.
 */
import {
  formatNotional,
  formatQuantity,
  type Instrument,
  type OrderFields,
  OrderValidationError,
  quantityForAmount,
  validateOrder,
} from "../exchange/cryptocom/instruments.js";
import { parseUserBalance } from "../exchange/cryptocom/parsers/account.js";
import { ceilToStep, Dec, dec, floorToStep, plain } from "../util/decimal.js";
import { explainFinding } from "./order-advice.js";
import { LIMIT_ORDER_TYPES, type NormalisedOrder, TRIGGER_ORDER_TYPES } from "./order-input.js";
import {
  balanceNeed,
  MARKET_MARGIN,
  type MarketPrices,
  marketFindings,
  markOf,
  minimumFor,
  minimumText,
  withMinimum,
} from "./order-rules.js";

export { type NormalisedOrder, normaliseOrder, OrderInputError } from "./order-input.js";
export type { MarketPrices } from "./order-rules.js";

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

function positive(s: string | undefined): Dec | undefined {
  if (s === undefined) return undefined;
  try {
    const d = dec(s);
    return d.gt(0) ? d : undefined;
  } catch {
    return undefined;
  }
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

/** What an order is checked with: the instrument (with the minimum checked), the market, the balance. */
interface Ctx {
  inst: Instrument;
  rules: Instrument;
  market: MarketPrices | undefined;
  mark: Dec | undefined;
  balances: Balances | undefined;
}

type RawFinding = Omit<OrderFinding, "fix">;

/** Every rule `o` breaks, in the exchange's order; the balance is separate (shortfall). */
function ruleFindings(c: Ctx, o: OrderFields): RawFinding[] {
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
function orderValue(c: Ctx, o: OrderFields): Dec | undefined {
  const n = positive(o.notional);
  if (n) return n;
  const q = positive(o.quantity);
  const at = positive(o.price) ?? positive(o.ref_price) ?? c.mark;
  return q && at ? q.mul(at) : undefined;
}

function shortfallOf(c: Ctx, o: OrderFields): BalanceCheck | undefined {
  if (!c.balances) return undefined;
  const need = balanceNeed(c.inst, o, c.market);
  if (!need) return undefined;
  const available = c.balances.get(need.currency) ?? dec("0");
  return available.lt(need.amount) ? { currency: need.currency, available, needed: need.amount } : undefined;
}

/** True when `o` passes every rule and fits the known balance: the condition for suggesting it. */
function placeable(c: Ctx, o: OrderFields): boolean {
  return ruleFindings(c, o).length === 0 && !shortfallOf(c, o);
}

const CORRECTABLE = new Set(["quantity", "notional", "price", "ref_price"]);

/**
 * Applies the corrections atp's order path would make (floor to the tick, round prices safely,
 * write out exponents, drop a notional next to a quantity) until the order passes the rules, or
 * stops at the first finding with no correction. Every step is re-checked, so a correction that
 * itself breaks a rule (1e-8 → 0.00000001, off the 0.00001 tick) is never the answer.
 */
function correct(c: Ctx, start: OrderFields): { order: OrderFields; stop: RawFinding | undefined } {
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
function tooSmall(f: RawFinding): boolean {
  return f.code === 415 || (f.code === 213 && f.field === "quantity" && f.corrected === undefined);
}

function ceilNotional(inst: Instrument, v: Dec): string {
  return plain(v.toDecimalPlaces(inst.quoteDecimals, Dec.ROUND_UP), inst.quoteDecimals);
}

/** The smallest order of this kind that passes the rules (the price it is valued at: its own, else the market). */
function smallest(c: Ctx, o: OrderFields): OrderFields | undefined {
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

/** Balance, then the suggestion: the corrected order if it fits, else the nearest placeable one. */
function finish(c: Ctx, a: OrderAssessment, smallestOrder: OrderFields | undefined): OrderAssessment {
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

/** Available balance per currency from a private/user-balance result (shared parser). */
export function availableBalances(result: unknown): Map<string, Dec> | undefined {
  try {
    return new Map(parseUserBalance(result).currencies.map((c) => [c.currency, c.available]));
  } catch {
    return undefined;
  }
}

export function fmt(d: Dec): string {
  return plain(d);
}
