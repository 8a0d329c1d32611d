/**
 * Order requests → exchange params, validated against the instrument rules before anything is sent.
 *
 * Invariants:
 * - Every decimal is written exactly once: a string is sent verbatim, a `Dec` through `plain()`
 *   (exact, never rounded here; rounding is the caller's decision via instruments.ts).
 * - A doomed order (tick, decimals, minimum, unknown or untradable instrument, missing or
 *   conflicting fields) throws `OrderValidationError` and never leaves the process.
 */
import { Dec, plain } from "../../util/decimal.js";
import type { DecimalText, Instrument, OcoRequest, OrderRequest, TriggerOrderRequest } from "../types.js";
import { legIntentId } from "./client-oid.js";
import { assertValidOrder, OrderValidationError, type Violation } from "./instruments.js";
import { UnsignableParamError } from "./signing.js";

type Fields = Record<string, string | string[] | undefined>;

/** A DecimalText as the exact string to send. */
export function decimalText(v: DecimalText | undefined, field: string): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === "string") return v;
  if (v instanceof Dec) return plain(v);
  throw new UnsignableParamError(field, `${typeof v} is not a decimal string or Dec`);
}

function missing(symbol: string, field: string, rule: string): never {
  const v: Violation = { field, rule, code: 40004 };
  throw new OrderValidationError(symbol, [v]);
}

function prune(f: Fields): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(f)) if (v !== undefined) out[k] = v;
  return out;
}

/** private/create-order params for a LIMIT or MARKET order. */
export function orderParams(
  inst: Instrument | undefined,
  req: OrderRequest,
  clientOid: string,
): Record<string, string | string[]> {
  const quantity = decimalText(req.quantity, "quantity");
  const notional = decimalText(req.notional, "notional");
  const price = decimalText(req.price, "price");
  const s = req.symbol;
  if (req.type === "LIMIT") {
    if (price === undefined) missing(s, "price", "a LIMIT order needs a price");
    if (quantity === undefined) missing(s, "quantity", "a LIMIT order needs a quantity");
    if (notional !== undefined) missing(s, "notional", "notional is only for MARKET BUY orders");
  } else if (req.type === "MARKET") {
    if (price !== undefined) missing(s, "price", "a MARKET order takes no price");
    if (req.side === "SELL" && quantity === undefined)
      missing(s, "quantity", "a MARKET SELL needs a quantity");
    if (req.side === "SELL" && notional !== undefined)
      missing(s, "notional", "notional is only for MARKET BUY");
    if (req.side === "BUY" && quantity === undefined && notional === undefined) {
      missing(s, "notional", "a MARKET BUY needs a notional or a quantity");
    }
  } else {
    missing(
      s,
      "type",
      `type ${String(req.type)} is not LIMIT or MARKET (trigger orders use placeTriggerOrder)`,
    );
  }
  if (req.postOnly && req.timeInForce && req.timeInForce !== "GOOD_TILL_CANCEL") {
    missing(s, "time_in_force", "POST_ONLY requires GOOD_TILL_CANCEL");
  }
  assertValidOrder(inst, { instrument_name: s, side: req.side, type: req.type, quantity, notional, price });
  return prune({
    instrument_name: s,
    side: req.side,
    type: req.type,
    price,
    quantity,
    notional,
    client_oid: clientOid,
    time_in_force: req.timeInForce,
    exec_inst: req.postOnly ? ["POST_ONLY"] : undefined,
  });
}

const LIMIT_TRIGGERS = new Set(["STOP_LIMIT", "TAKE_PROFIT_LIMIT"]);

/** private/advanced/create-order params for a trigger order. */
export function triggerParams(
  inst: Instrument | undefined,
  req: Omit<TriggerOrderRequest, "intentId">,
  clientOid: string,
): Record<string, string | string[]> {
  const quantity = decimalText(req.quantity, "quantity");
  const notional = decimalText(req.notional, "notional");
  const price = decimalText(req.price, "price");
  const refPrice = decimalText(req.refPrice, "ref_price");
  const s = req.symbol;
  if (refPrice === undefined) missing(s, "ref_price", "a trigger order needs a ref_price");
  if (LIMIT_TRIGGERS.has(req.type)) {
    if (price === undefined) missing(s, "price", `${req.type} needs a limit price`);
    if (quantity === undefined) missing(s, "quantity", `${req.type} needs a quantity`);
  } else if (req.type === "STOP_LOSS" || req.type === "TAKE_PROFIT") {
    if (price !== undefined) missing(s, "price", `${req.type} executes at market and takes no price`);
    if (req.side === "SELL" && quantity === undefined)
      missing(s, "quantity", `a SELL ${req.type} needs a quantity`);
    if (req.side === "BUY" && quantity === undefined && notional === undefined) {
      missing(s, "notional", `a BUY ${req.type} needs a notional or a quantity`);
    }
    if (quantity !== undefined && notional !== undefined) {
      missing(s, "notional", "notional and quantity are mutually exclusive");
    }
  } else {
    missing(s, "type", `type ${String(req.type)} is not a trigger type`);
  }
  assertValidOrder(inst, {
    instrument_name: s,
    side: req.side,
    type: req.type,
    quantity,
    notional,
    price,
    ref_price: refPrice,
  });
  return prune({
    instrument_name: s,
    side: req.side,
    type: req.type,
    price,
    quantity,
    notional,
    ref_price: refPrice,
    ref_price_type: req.refPriceType,
    time_in_force: req.timeInForce,
    client_oid: clientOid,
  });
}

/** private/advanced/create-oco params: exactly one LIMIT leg and one trigger leg. */
export function ocoParams(
  inst: Instrument | undefined,
  req: OcoRequest,
  oidFor: (intentId: string) => string,
): { params: { order_list: Record<string, string | string[]>[] }; clientOids: [string, string] } {
  const s = req.symbol;
  if (req.legs.length !== 2) missing(s, "order_list", "an OCO has exactly two legs");
  const limits = req.legs.filter((l) => l.type === "LIMIT").length;
  if (limits !== 1) missing(s, "order_list", "an OCO has one LIMIT leg and one trigger leg");
  const clientOids = req.legs.map((l, i) => oidFor(l.intentId ?? legIntentId(req.intentId, i))) as [
    string,
    string,
  ];
  const order_list = req.legs.map((leg, i) => {
    const oid = clientOids[i]!;
    if (leg.type === "LIMIT") {
      return orderParams(
        inst,
        {
          intentId: "",
          symbol: s,
          side: leg.side,
          type: "LIMIT",
          quantity: leg.quantity,
          price: leg.price,
          timeInForce: leg.timeInForce,
        },
        oid,
      );
    }
    if (leg.refPrice === undefined)
      missing(s, `order_list[${i}].ref_price`, "the trigger leg needs a ref_price");
    return triggerParams(
      inst,
      {
        symbol: s,
        side: leg.side,
        type: leg.type,
        quantity: leg.quantity,
        price: leg.price,
        refPrice: leg.refPrice,
        refPriceType: leg.refPriceType,
        timeInForce: leg.timeInForce,
      },
      oid,
    );
  });
  return { params: { order_list }, clientOids };
}
