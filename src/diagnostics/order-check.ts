/**
 * Checks a failing order without sending it: against the instrument rules (validateOrder, the same
 * rules atp's order path applies), the available balance from the signed read, and says what atp
 * would send instead. Pure: the instruments, the market price and the balances are passed in.
 *
 * The seed's order is the reference case: SELL BTC_USD for $10.00 sent with quantity 0.00011119 is
 * a 213 (quantity not on BTC_USD's 0.00001 tick), and atp would send 0.00011.
 */
import { ORDER_SIDES, type OrderSide } from "../exchange/cryptocom/constants.js";
import {
  formatNotional,
  type Instrument,
  type OrderFields,
  OrderValidationError,
  quantityForAmount,
  type Violation,
  validateOrder,
} from "../exchange/cryptocom/instruments.js";
import { parseUserBalance } from "../exchange/cryptocom/parsers/account.js";
import { JsonNumberText } from "../exchange/cryptocom/signing.js";
import { type Dec, dec, plain } from "../util/decimal.js";
import { type NumberHazard, numberHazards } from "./self-test.js";
import type { FailingOrderInput, OrderValue } from "./types.js";

export interface NormalisedOrder extends OrderFields {
  amount?: string | undefined;
  /** JSON numbers found in the order (a signature hazard as well as a style problem). */
  numbers: NumberHazard[];
}

export class OrderInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OrderInputError";
  }
}

function text(v: OrderValue | undefined): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (v instanceof JsonNumberText) return v.text;
  if (typeof v === "number") return String(v);
  if (typeof v === "string") return v.trim();
  return String(v);
}

/** Normalises `--order` JSON or the engine's order; throws OrderInputError naming the field. */
export function normaliseOrder(input: FailingOrderInput): NormalisedOrder {
  const instrument = (input.instrument_name ?? input.symbol ?? "").trim();
  if (!instrument) throw new OrderInputError('the order needs "instrument_name" (e.g. "BTC_USD")');
  const side = (input.side ?? "").trim().toUpperCase();
  if (!(ORDER_SIDES as readonly string[]).includes(side)) {
    throw new OrderInputError(
      `the order's "side" must be BUY or SELL, got ${JSON.stringify(input.side ?? "")}`,
    );
  }
  const price = text(input.price);
  const type = (input.type ?? (price !== undefined ? "LIMIT" : "MARKET")).trim().toUpperCase();
  const fields = {
    quantity: input.quantity,
    notional: input.notional,
    price: input.price,
    ref_price: input.ref_price,
  };
  if (fields.quantity === undefined && fields.notional === undefined && input.amount === undefined) {
    throw new OrderInputError('the order needs "quantity", "notional" or "amount"');
  }
  return {
    instrument_name: instrument,
    side: side as OrderSide,
    type,
    quantity: text(input.quantity),
    notional: text(input.notional),
    price,
    ref_price: text(input.ref_price),
    amount: text(input.amount),
    numbers: numberHazards(fields),
  };
}

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

export interface OrderAssessment {
  order: NormalisedOrder;
  instrument: Instrument | undefined;
  /** False when the instrument list could not be fetched: nothing could be validated. */
  rulesKnown: boolean;
  violations: Violation[];
  /** The order atp would send (undefined when it cannot be placed at all). */
  corrected: OrderFields | undefined;
  /** Why no corrected order exists (e.g. below the minimum). */
  uncorrectable: string | undefined;
  /** Set when the balance is known and short (code 306). */
  shortfall: BalanceCheck | undefined;
  /** Similar instrument names when the instrument is unknown. */
  suggestions: string[];
  /** How atp sizes the order's amount at the market price (when both are known). */
  sizing: { amount: string; price: Dec; raw: Dec; quantity: string } | undefined;
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

function safeDec(s: string | undefined): Dec | undefined {
  if (s === undefined) return undefined;
  try {
    return dec(s);
  } catch {
    return undefined;
  }
}

export interface AssessInput {
  order: NormalisedOrder;
  /** undefined: the instrument list is not available. */
  instruments: readonly Instrument[] | undefined;
  /** A market price for sizing (last/bid/ask), when known. */
  marketPrice?: Dec | undefined;
  balances?: Balances | undefined;
}

export function assessOrder(input: AssessInput): OrderAssessment {
  const { order, instruments } = input;
  const base: OrderAssessment = {
    order,
    instrument: undefined,
    rulesKnown: instruments !== undefined,
    violations: [],
    corrected: undefined,
    uncorrectable: undefined,
    shortfall: undefined,
    suggestions: [],
    sizing: undefined,
  };
  if (!instruments) return base;
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
  const price = safeDec(order.price) ?? input.marketPrice;
  // An order given only by its amount: size it as atp would (market BUY by notional, others by quantity).
  if (inst && fields.quantity === undefined && fields.notional === undefined && order.amount !== undefined) {
    if (order.type === "MARKET" && order.side === "BUY") fields.notional = formatNotional(inst, order.amount);
    else if (price) {
      try {
        fields.quantity = quantityForAmount(inst, order.amount, price).text;
      } catch (err) {
        if (!(err instanceof OrderValidationError)) throw err;
        return {
          ...base,
          instrument: inst,
          violations: err.violations,
          uncorrectable: err.violations[0]?.rule,
        };
      }
    }
  }
  let sizing: OrderAssessment["sizing"];
  if (inst && order.amount !== undefined && price && !(order.type === "MARKET" && order.side === "BUY")) {
    try {
      const s = quantityForAmount(inst, order.amount, price);
      sizing = { amount: order.amount, price, raw: s.raw, quantity: s.text };
    } catch {
      sizing = undefined;
    }
  }
  const violations = validateOrder(inst, fields);
  if (!inst) {
    return {
      ...base,
      violations,
      uncorrectable: `${order.instrument_name} is not an instrument of this exchange`,
      suggestions: suggestInstruments(order.instrument_name, instruments),
    };
  }
  const corrected: OrderFields = { ...fields };
  let uncorrectable: string | undefined;
  for (const v of violations) {
    if (
      v.corrected !== undefined &&
      (v.field === "quantity" || v.field === "notional" || v.field === "price")
    ) {
      corrected[v.field] = v.corrected;
    } else if (v.corrected !== undefined && v.field === "ref_price") {
      corrected.ref_price = v.corrected;
    } else if (v.code === 40004 && v.field === "notional" && corrected.quantity !== undefined) {
      corrected.notional = undefined; // market BUY: keep quantity, drop the notional
    } else {
      uncorrectable ??= v.rule;
    }
  }
  const shortfall = balanceShortfall(inst, uncorrectable ? fields : corrected, price, input.balances);
  return {
    ...base,
    instrument: inst,
    violations,
    corrected: uncorrectable ? undefined : corrected,
    uncorrectable,
    shortfall,
    sizing,
  };
}

function balanceShortfall(
  inst: Instrument,
  o: OrderFields,
  price: Dec | undefined,
  balances: Balances | undefined,
): BalanceCheck | undefined {
  if (!balances) return undefined;
  let currency: string;
  let needed: Dec | undefined;
  if (o.side === "SELL") {
    currency = inst.baseCcy;
    needed = safeDec(o.quantity);
  } else {
    currency = inst.quoteCcy;
    const q = safeDec(o.quantity);
    needed = safeDec(o.notional) ?? (q && price ? q.mul(price) : undefined);
  }
  if (!needed) return undefined;
  const available = balances.get(currency) ?? dec("0");
  return available.lt(needed) ? { currency, available, needed } : undefined;
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
