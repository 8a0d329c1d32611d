/**
 * Instrument rules and order sizing: pure functions over `public/get-instruments` data, decimal only.
 * They exist so that atp never sends an order the exchange would reject for precision, size or
 * shape: a doomed order becomes a local OrderValidationError naming the field, the rule and the code
 * it prevents. `validateOrder` is the single statement of those rules; the client's order params and
 * the emulator's matching engine both call it.
 *
 * Rounding rules (documented invariants):
 * - quantities are floored to `qty_tick_size` (never sell or buy more than asked);
 * - a market BUY notional is floored to the quote currency's decimals (never spend more than asked);
 * - prices (limit, trigger) are rounded to `price_tick_size` in the safe direction for the side:
 *   BUY rounds down, SELL rounds up. For a limit that means "never a worse price than asked"; for a
 *   SELL stop-loss below the market it means "triggers no later than asked"; for take-profits "never
 *   less profit than asked".
 */

import { AtpError, type Disposition } from "../../domain/errors.js";
import { isLimitPriced, isTriggerType, ORDER_TYPES, type Side } from "../../domain/orders.js";
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

export type { Instrument };

/** The exchange code a local rule prevents. */
export type PreventedCode = 213 | 308 | 415 | 40004 | 209 | 309 | 218 | 219 | 43005;

export interface Violation {
  field: string;
  rule: string;
  code: PreventedCode;
  /** The value atp would send instead, when one exists. */
  corrected?: string | undefined;
}

export class OrderValidationError extends AtpError {
  get errorCode(): string {
    return "order.validation";
  }
  get disposition(): Disposition {
    return "skip";
  }

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
export function roundPrice(inst: Instrument, price: Dec, side: Side): Dec {
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
  side: Side;
  type: string;
  quantity?: string | undefined;
  notional?: string | undefined;
  price?: string | undefined;
  ref_price?: string | undefined;
  time_in_force?: string | undefined;
  exec_inst?: readonly string[] | undefined;
}

export interface ValidateOptions {
  /**
   * The price an order given by quantity alone (MARKET or a BUY STOP_LOSS/TAKE_PROFIT without a
   * usable price) is valued at for the minimum order value; without it that check is skipped for
   * such orders. The emulator passes its mark price; a client may pass the last price it saw.
   */
  marketPrice?: DecInput | undefined;
}

function textDecimals(text: string): number {
  const i = text.indexOf(".");
  return i < 0 ? 0 : text.length - i - 1;
}

/** Order types that execute at market once released: every type that carries no limit price. */
const MARKET_TYPES: ReadonlySet<string> = new Set(ORDER_TYPES.filter((t) => !isLimitPriced(t)));

/**
 * Which fields an order of its type and side must, may and must not carry (reference §5.3,
 * "mandatory params by type"), and the POST_ONLY rules. The one statement of these rules: the
 * client's order params and the emulator's engine both go through `validateOrder`.
 *
 * - LIMIT, STOP_LIMIT, TAKE_PROFIT_LIMIT: `price` and `quantity`; no `notional`.
 * - MARKET, STOP_LOSS, TAKE_PROFIT: no `price` (they execute at market: a price is refused, not
 *   ignored). SELL: `quantity`, no `notional`. BUY: `notional` or `quantity`, never both.
 * - Trigger types: `ref_price`; LIMIT and MARKET: no `ref_price`.
 * - `exec_inst` POST_ONLY / SMART_POST_ONLY: not both (219), limit types only (219), and only with
 *   time in force GOOD_TILL_CANCEL (43005).
 */
function shapeViolations(order: OrderFields): Violation[] {
  const out: Violation[] = [];
  const { type, side } = order;
  const has = (f: "quantity" | "notional" | "price" | "ref_price") => order[f] !== undefined;
  const v = (field: string, rule: string, code: PreventedCode = 40004) => out.push({ field, rule, code });
  if (isLimitPriced(type)) {
    if (!has("price")) v("price", `a ${type} order needs a price`);
    if (!has("quantity")) v("quantity", `a ${type} order needs a quantity`);
    if (has("notional")) v("notional", `notional is not allowed on a ${type} order (MARKET-type BUY only)`);
  } else if (MARKET_TYPES.has(type)) {
    if (side === "SELL") {
      if (!has("quantity")) v("quantity", `a ${type} SELL needs a quantity`);
      if (has("notional")) v("notional", `notional is not allowed on a ${type} SELL (BUY only)`);
    } else if (!has("notional") && !has("quantity")) {
      v("notional", `a ${type} BUY needs a notional or a quantity`);
    } else if (has("notional") && has("quantity")) {
      v("notional", `notional and quantity are mutually exclusive on a ${type} BUY`);
    }
    if (has("price")) v("price", `a ${type} order executes at market and takes no price`);
  } else {
    v("type", `${type} is not an order type (${ORDER_TYPES.join(", ")})`, 218);
    return out;
  }
  if (isTriggerType(type)) {
    if (!has("ref_price")) v("ref_price", `a ${type} order needs a ref_price (its trigger price)`);
  } else if (has("ref_price")) {
    v("ref_price", `ref_price is only for trigger orders, not ${type}`);
  }
  const exec = order.exec_inst ?? [];
  const postOnly = exec.includes("POST_ONLY");
  const smart = exec.includes("SMART_POST_ONLY");
  if (postOnly && smart) v("exec_inst", "POST_ONLY and SMART_POST_ONLY are mutually exclusive", 219);
  if ((postOnly || smart) && !isLimitPriced(type)) {
    v("exec_inst", `POST_ONLY is only allowed on limit orders, not ${type}`, 219);
  }
  const tif = order.time_in_force;
  if ((postOnly || smart) && tif !== undefined && tif !== "GOOD_TILL_CANCEL") {
    v("time_in_force", `POST_ONLY requires GOOD_TILL_CANCEL, not ${tif}`, 43005);
  }
  return out;
}

/**
 * Checks an order's decimal strings against the order-shape rules (above) and the instrument rules
 * exactly as the exchange would, without sending it. Returns every violation (empty when the order
 * is valid), in the order the exchange checks them: shape (40004/218/219/43005), tradable (309),
 * values (40004), ticks (213/308), minimum quantity and order value (415).
 */
export function validateOrder(
  inst: Instrument | undefined,
  order: OrderFields,
  opts: ValidateOptions = {},
): Violation[] {
  if (!inst) {
    return [{ field: "instrument_name", rule: `unknown instrument ${order.instrument_name}`, code: 209 }];
  }
  const out = shapeViolations(order);
  if (!inst.tradable)
    out.push({ field: "instrument_name", rule: `${inst.symbol} is not tradable`, code: 309 });
  let q: Dec | undefined;
  let n: Dec | undefined;
  if (order.quantity !== undefined) {
    q = parseField(order.quantity, "quantity", out);
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
        q = undefined; // already refused as too small; no order-value check on top
      }
    }
  }
  if (order.notional !== undefined) {
    n = parseField(order.notional, "notional", out);
    if (n && textDecimals(order.notional) > inst.quoteDecimals) {
      out.push({
        field: "notional",
        rule: `${order.notional} has more than ${inst.quoteDecimals} decimals (${inst.quoteCcy} precision)`,
        code: 213,
        corrected: formatNotional(inst, n),
      });
    }
  }
  const prices: { price?: Dec | undefined; ref_price?: Dec | undefined } = {};
  for (const field of ["price", "ref_price"] as const) {
    const text = order[field];
    if (text === undefined) continue;
    const p = parseField(text, field, out);
    prices[field] = p;
    if (p && !isMultipleOf(p, inst.priceTickSize)) {
      out.push({
        field,
        rule: `${text} is not a multiple of price_tick_size ${plain(inst.priceTickSize)}`,
        code: 308,
        corrected: formatPrice(inst, roundPrice(inst, p, order.side)),
      });
    }
  }
  // Minimum order value (quote currency): the notional, or quantity × (price, else ref_price, else
  // the market price the caller supplied).
  if (inst.minNotional) {
    const market = opts.marketPrice !== undefined ? dec(opts.marketPrice) : undefined;
    const at = prices.price ?? prices.ref_price ?? market;
    const value = n ?? (q && at ? q.mul(at) : undefined);
    if (value?.lt(inst.minNotional)) {
      out.push({
        field: n ? "notional" : "quantity",
        rule: `order value ${plain(value)} ${inst.quoteCcy} is below the minimum ${plain(inst.minNotional)}`,
        code: 415,
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
export function assertValidOrder(
  inst: Instrument | undefined,
  order: OrderFields,
  opts: ValidateOptions = {},
): void {
  const v = validateOrder(inst, order, opts);
  if (v.length > 0) throw new OrderValidationError(order.instrument_name, v);
}
