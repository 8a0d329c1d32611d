/**
 * Instrument rules and order sizing: pure functions over `public/get-instruments` data, decimal only.
 * They exist so that atp never sends an order the exchange would reject for precision or size:
 * a doomed order becomes a local OrderValidationError naming the field, the rule and the code it prevents.
 *
 * Rounding rules (documented invariants):
 * - quantities are floored to `qty_tick_size` (never sell or buy more than asked);
 * - a market BUY notional is floored to the quote currency's decimals (never spend more than asked);
 * - prices (limit, trigger) are rounded to `price_tick_size` in the safe direction for the side:
 *   BUY rounds down, SELL rounds up. For a limit that means "never a worse price than asked"; for a
 *   SELL stop-loss below the market it means "triggers no later than asked"; for take-profits "never
 *   less profit than asked".
 */
import {
  ceilToStep,
  Dec,
  type DecInput,
  dec,
  decimalsOf,
  floorToStep,
  isMultipleOf,
  plain,
} from "../../util/decimal.js";
import type { Instrument } from "../types.js";
import type { OrderSide } from "./constants.js";

export type { Instrument };

/** The exchange code a local rule prevents. */
export type PreventedCode = 213 | 308 | 415 | 40004 | 209 | 309;

export interface Violation {
  field: string;
  rule: string;
  code: PreventedCode;
  /** The value atp would send instead, when one exists. */
  corrected?: string | undefined;
}

export class OrderValidationError extends Error {
  constructor(
    readonly symbol: string,
    readonly violations: Violation[],
  ) {
    super(
      `order for ${symbol} would be rejected: ` +
        violations
          .map(
            (v) =>
              `${v.field}: ${v.rule} (exchange code ${v.code})${v.corrected ? `; send ${v.corrected}` : ""}`,
          )
          .join("; "),
    );
    this.name = "OrderValidationError";
  }
  get code(): PreventedCode {
    return this.violations[0]!.code;
  }
}

/** Decimal places used to write quantities: those of the tick (a multiple of it never needs more). */
export function quantityDecimals(inst: Instrument): number {
  return decimalsOf(inst.qtyTickSize);
}

export function priceDecimals(inst: Instrument): number {
  return Math.max(decimalsOf(inst.priceTickSize), 0);
}

export function formatQuantity(inst: Instrument, qty: Dec): string {
  return plain(qty, quantityDecimals(inst));
}

export function formatPrice(inst: Instrument, price: Dec): string {
  return plain(price, priceDecimals(inst));
}

export function floorQuantity(inst: Instrument, qty: Dec): Dec {
  return floorToStep(qty, inst.qtyTickSize);
}

/** Rounds a limit or trigger price to the tick in the safe direction for `side` (BUY down, SELL up). */
export function roundPrice(inst: Instrument, price: Dec, side: OrderSide): Dec {
  return side === "BUY" ? floorToStep(price, inst.priceTickSize) : ceilToStep(price, inst.priceTickSize);
}

export interface Sized {
  /** Unrounded quantity (amount / price), for reports. */
  raw: Dec;
  quantity: Dec;
  /** What is sent: formatted once, with the tick's decimals. */
  text: string;
}

/**
 * USD (quote) amount to a base quantity at `price`, floored to the quantity tick.
 * Throws OrderValidationError (415) when the floored quantity is below the minimum.
 */
export function quantityForAmount(inst: Instrument, amount: DecInput, price: DecInput): Sized {
  const a = dec(amount);
  const p = dec(price);
  if (p.lte(0)) throw new RangeError(`price must be positive, got ${plain(p)}`);
  const raw = a.div(p);
  const quantity = floorQuantity(inst, raw);
  if (quantity.lt(inst.qtyTickSize)) {
    throw new OrderValidationError(inst.symbol, [
      {
        field: "quantity",
        rule: `${plain(a)} ${inst.quoteCcy} at ${plain(p)} is ${plain(raw.toDecimalPlaces(12))} ${inst.baseCcy}, below the minimum ${plain(inst.qtyTickSize)}`,
        code: 415,
        corrected: undefined,
      },
    ]);
  }
  return { raw, quantity, text: formatQuantity(inst, quantity) };
}

/** Market BUY notional formatted to the quote precision (floored: never spend more than asked). */
export function formatNotional(inst: Instrument, amount: DecInput): string {
  const a = dec(amount);
  const dp = inst.quoteDecimals;
  return plain(a.toDecimalPlaces(dp, Dec.ROUND_DOWN), dp);
}

/** An order as atp intends to send it: every numeric field a decimal string. */
export interface OrderFields {
  instrument_name: string;
  side: OrderSide;
  type: string;
  quantity?: string | undefined;
  notional?: string | undefined;
  price?: string | undefined;
  ref_price?: string | undefined;
}

function textDecimals(text: string): number {
  const i = text.indexOf(".");
  return i < 0 ? 0 : text.length - i - 1;
}

/**
 * Checks an order's decimal strings against the instrument rules exactly as the exchange would,
 * without sending it. Returns every violation (empty when the order is valid).
 */
export function validateOrder(inst: Instrument | undefined, order: OrderFields): Violation[] {
  if (!inst) {
    return [{ field: "instrument_name", rule: `unknown instrument ${order.instrument_name}`, code: 209 }];
  }
  const out: Violation[] = [];
  if (!inst.tradable)
    out.push({ field: "instrument_name", rule: `${inst.symbol} is not tradable`, code: 309 });
  if (
    order.type === "MARKET" &&
    order.side === "BUY" &&
    order.quantity !== undefined &&
    order.notional !== undefined
  ) {
    out.push({
      field: "notional",
      rule: "notional and quantity are mutually exclusive on a market BUY",
      code: 40004,
    });
  }
  if (order.quantity !== undefined) {
    const q = parseField(order.quantity, "quantity", out);
    if (q) {
      const floored = floorQuantity(inst, q);
      const tooManyDecimals =
        textDecimals(order.quantity) > Math.max(quantityDecimals(inst), inst.quantityDecimals);
      if (!isMultipleOf(q, inst.qtyTickSize) || tooManyDecimals) {
        out.push({
          field: "quantity",
          rule: `${order.quantity} is not a multiple of qty_tick_size ${plain(inst.qtyTickSize)} (at most ${quantityDecimals(inst)} decimals)`,
          code: 213,
          corrected: floored.gte(inst.qtyTickSize) ? formatQuantity(inst, floored) : undefined,
        });
      } else if (q.lt(inst.qtyTickSize)) {
        out.push({
          field: "quantity",
          rule: `${order.quantity} is below the minimum ${plain(inst.qtyTickSize)}`,
          code: 415,
        });
      }
    }
  }
  if (order.notional !== undefined) {
    const n = parseField(order.notional, "notional", out);
    if (n) {
      if (textDecimals(order.notional) > inst.quoteDecimals) {
        out.push({
          field: "notional",
          rule: `${order.notional} has more than ${inst.quoteDecimals} decimals (${inst.quoteCcy} precision)`,
          code: 213,
          corrected: formatNotional(inst, n),
        });
      }
      if (inst.minNotional && n.lt(inst.minNotional)) {
        out.push({
          field: "notional",
          rule: `${order.notional} is below the minimum notional ${plain(inst.minNotional)}`,
          code: 415,
        });
      }
    }
  }
  for (const field of ["price", "ref_price"] as const) {
    const text = order[field];
    if (text === undefined) continue;
    const p = parseField(text, field, out);
    if (p && !isMultipleOf(p, inst.priceTickSize)) {
      out.push({
        field,
        rule: `${text} is not a multiple of price_tick_size ${plain(inst.priceTickSize)}`,
        code: 308,
        corrected: formatPrice(inst, roundPrice(inst, p, order.side)),
      });
    }
  }
  return out;
}

function parseField(text: string, field: string, out: Violation[]): Dec | undefined {
  try {
    const v = dec(text);
    if (v.lte(0)) {
      out.push({ field, rule: `${text} must be positive`, code: 40004 });
      return undefined;
    }
    if (/[eE]/.test(text)) {
      out.push({ field, rule: `${text} uses exponent notation`, code: 40004, corrected: plain(v) });
      return undefined;
    }
    return v;
  } catch {
    out.push({ field, rule: `${JSON.stringify(text)} is not a decimal string`, code: 40004 });
    return undefined;
  }
}

/** Throws OrderValidationError when `validateOrder` finds anything. */
export function assertValidOrder(inst: Instrument | undefined, order: OrderFields): void {
  const v = validateOrder(inst, order);
  if (v.length > 0) throw new OrderValidationError(order.instrument_name, v);
}
