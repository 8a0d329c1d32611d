/**
 * The doctor's order input (`--order` JSON from the user, or the engine's order) read into the
 * strings the instrument rules check. The input is checked for its shape before anything else, with
 * one message per field naming what was expected and what was given.
 *
 * Invariants:
 * - Never a TypeError, whatever the input: anything unusable is an OrderInputError naming the field.
 * - Fields are read as own properties only (`Object.hasOwn`), never through the prototype.
 * - Shape errors are: not an object; a field of the wrong JSON type (array, object, boolean); a
 *   decimal field that is not a number at all ("NaN", "abc", ""); an unknown side or type; a limit
 *   type without `price`, a trigger type without `ref_price`; nothing to size the order by.
 *   Values that are numbers but break an exchange rule (-1, 1e-8, off the tick, too small) are not
 *   shape errors: they are the order check's findings, with the exchange code they cause.
 * - Decimal texts are kept exactly as given (trimmed); a JSON number keeps its source text.
 */

import { AtpError, type Disposition } from "../domain/errors.js";
import { JsonNumberText } from "../domain/json-text.js";
import { isSide, LIMIT_PRICED_TYPES, ORDER_TYPES, TRIGGER_TYPES } from "../domain/orders.js";
import type { OrderFields } from "../exchange/cryptocom/instruments.js";
import { dec } from "../util/decimal.js";
import { type NumberHazard, numberHazards } from "./self-test.js";

export interface NormalisedOrder extends OrderFields {
  amount?: string | undefined;
  /** JSON numbers found in the order (a signature hazard as well as a style problem). */
  numbers: NumberHazard[];
}

export class OrderInputError extends AtpError {
  get errorCode(): string {
    return "doctor.order_input";
  }
  get disposition(): Disposition {
    return "skip";
  }

  constructor(message: string) {
    super(message);
    this.name = "OrderInputError";
  }
}

export const ALL_ORDER_TYPES: readonly string[] = ORDER_TYPES;
export const LIMIT_ORDER_TYPES: ReadonlySet<string> = new Set(LIMIT_PRICED_TYPES);
export const TRIGGER_ORDER_TYPES: ReadonlySet<string> = new Set(TRIGGER_TYPES);

const DECIMAL_FIELDS = {
  quantity: '"0.001"',
  notional: '"10.00"',
  price: '"89000.00"',
  ref_price: '"85000.00"',
  amount: '"10.00"',
} as const;
type DecimalField = keyof typeof DECIMAL_FIELDS;

const DECIMAL_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** "an array", "an object", "true", "null", a quoted string: what was given, for messages. */
function given(v: unknown): string {
  if (Array.isArray(v)) return "an array";
  if (v === null) return "null";
  if (typeof v === "object") return "an object";
  if (typeof v === "string") return JSON.stringify(v);
  return String(v);
}

function own(input: object, key: string): unknown {
  return Object.hasOwn(input, key) ? (input as Record<string, unknown>)[key] : undefined;
}

function stringField(input: object, key: string, example: string): string | undefined {
  const v = own(input, key);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") {
    throw new OrderInputError(`"${key}" must be a string like ${example}, got ${given(v)}`);
  }
  const t = v.trim();
  return t === "" ? undefined : t;
}

/** A decimal field as its exact text; undefined when absent (or null). */
function decimalField(input: object, key: DecimalField): string | undefined {
  const v = own(input, key);
  if (v === undefined || v === null) return undefined;
  const expected = `"${key}" must be a decimal string like ${DECIMAL_FIELDS[key]}`;
  let text: string;
  if (v instanceof JsonNumberText) text = v.text;
  else if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new OrderInputError(`${expected}, got ${given(v)}`);
    text = String(v);
  } else if (typeof v === "string") text = v.trim();
  else throw new OrderInputError(`${expected}, got ${given(v)}`);
  if (!DECIMAL_RE.test(text)) throw new OrderInputError(`${expected}, got ${JSON.stringify(text)}`);
  return text;
}

/** Normalises `--order` JSON or the engine's order; throws OrderInputError naming the field. */
export function normaliseOrder(input: unknown): NormalisedOrder {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new OrderInputError(
      `the order must be a JSON object like {"instrument_name":"BTC_USD","side":"SELL","quantity":"0.001"}, got ${given(input)}`,
    );
  }
  const key = own(input, "instrument_name") !== undefined ? "instrument_name" : "symbol";
  const instrument = stringField(input, key, '"BTC_USD"');
  if (!instrument) throw new OrderInputError('the order needs "instrument_name" (e.g. "BTC_USD")');

  const rawSide = own(input, "side");
  const side = typeof rawSide === "string" ? rawSide.trim().toUpperCase() : "";
  if (!isSide(side)) {
    throw new OrderInputError(
      `the order's "side" must be BUY or SELL, got ${rawSide === undefined ? '""' : given(rawSide)}`,
    );
  }

  const quantity = decimalField(input, "quantity");
  const notional = decimalField(input, "notional");
  const price = decimalField(input, "price");
  const refPrice = decimalField(input, "ref_price");
  const amount = decimalField(input, "amount");

  const type = (
    stringField(input, "type", '"MARKET"') ?? (price !== undefined ? "LIMIT" : "MARKET")
  ).toUpperCase();
  if (!ALL_ORDER_TYPES.includes(type)) {
    throw new OrderInputError(
      `the order's "type" must be one of ${ALL_ORDER_TYPES.join(", ")}, got ${JSON.stringify(own(input, "type"))}`,
    );
  }
  if (LIMIT_ORDER_TYPES.has(type) && price === undefined) {
    throw new OrderInputError(
      `a ${type} order needs "price" (its limit price, e.g. ${DECIMAL_FIELDS.price}); an order at the market price is "type":"MARKET"`,
    );
  }
  if (TRIGGER_ORDER_TYPES.has(type) && refPrice === undefined) {
    throw new OrderInputError(
      `a ${type} order needs "ref_price" (the trigger price at which it is released, e.g. ${DECIMAL_FIELDS.ref_price})`,
    );
  }
  if (quantity === undefined && notional === undefined && amount === undefined) {
    throw new OrderInputError('the order needs "quantity", "notional" or "amount"');
  }
  if (amount !== undefined && !dec(amount).gt(0)) {
    throw new OrderInputError(
      `"amount" (the quote-currency amount the order was meant to be worth, e.g. ${DECIMAL_FIELDS.amount}) must be positive, got ${JSON.stringify(amount)}`,
    );
  }
  const fields: Record<string, unknown> = {};
  for (const k of ["quantity", "notional", "price", "ref_price"] as const) {
    const v = own(input, k);
    if (v !== undefined) fields[k] = v;
  }
  return {
    instrument_name: instrument,
    side,
    type,
    quantity,
    notional,
    price,
    ref_price: refPrice,
    amount,
    numbers: numberHazards(fields),
  };
}
