/**
 * Order requests → exchange params, validated against the instrument rules before anything is sent.
 *
 * Invariants:
 * - Every decimal is written exactly once: a string is sent verbatim, a `Dec` through `plain()`
 *   (exact, never rounded here; rounding is the caller's decision via instruments.ts).
 * - A doomed order (tick, decimals, minimum, unknown or untradable instrument, missing or
 *   conflicting fields) throws `OrderValidationError` and never leaves the process. The rules are
 *   `validateOrder`'s (instruments.ts), the same the emulator's matching engine applies.
 */
import { isPlainOrderType, isTriggerType } from "../../domain/orders.js";
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

/**
 * private/create-order params for a LIMIT or MARKET order. Which fields a type and side need is
 * `validateOrder`'s rule (instruments.ts); this only refuses types that belong to another endpoint.
 */
export function orderParams(
  inst: Instrument | undefined,
  req: OrderRequest,
  clientOid: string,
): Record<string, string | string[]> {
  const quantity = decimalText(req.quantity, "quantity");
  const notional = decimalText(req.notional, "notional");
  const price = decimalText(req.price, "price");
  const s = req.symbol;
  if (!isPlainOrderType(req.type)) {
    missing(
      s,
      "type",
      `type ${String(req.type)} is not LIMIT or MARKET (trigger orders use placeTriggerOrder)`,
    );
  }
  const exec_inst = req.postOnly ? ["POST_ONLY"] : undefined;
  assertValidOrder(inst, {
    instrument_name: s,
    side: req.side,
    type: req.type,
    quantity,
    notional,
    price,
    time_in_force: req.timeInForce,
    exec_inst,
  });
  return prune({
    instrument_name: s,
    side: req.side,
    type: req.type,
    price,
    quantity,
    notional,
    client_oid: clientOid,
    time_in_force: req.timeInForce,
    exec_inst,
  });
}

/**
 * private/advanced/create-order params for a trigger order. Field rules are `validateOrder`'s
 * (instruments.ts); this only refuses types that belong to another endpoint.
 */
export function triggerParams(
  inst: Instrument | undefined,
  req: Omit<TriggerOrderRequest, "intentId" | "refPrice"> & { refPrice?: DecimalText | undefined },
  clientOid: string,
): Record<string, string | string[]> {
  const quantity = decimalText(req.quantity, "quantity");
  const notional = decimalText(req.notional, "notional");
  const price = decimalText(req.price, "price");
  const refPrice = decimalText(req.refPrice, "ref_price");
  const s = req.symbol;
  if (!isTriggerType(req.type)) missing(s, "type", `type ${String(req.type)} is not a trigger type`);
  assertValidOrder(inst, {
    instrument_name: s,
    side: req.side,
    type: req.type,
    quantity,
    notional,
    price,
    ref_price: refPrice,
    time_in_force: req.timeInForce,
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
