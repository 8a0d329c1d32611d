/**
 * Crypto.com's order rules behind the venue-neutral `OrderRules` port (exchange/types.ts): the
 * instrument rules of instruments.ts, applied to an `OrderRequest` / `TriggerOrderRequest` exactly
 * as the client's order params apply them before sending. An order `check` passes is an order
 * `placeOrder` / `placeTriggerOrder` would send; one it refuses they would refuse locally too.
 */
import { ceilToStep, type Dec, dec, floorToStep } from "../../util/decimal.js";
import type { Instrument, OrderRequest, OrderRules, RuleViolation, TriggerOrderRequest } from "../types.js";
import { floorQuantity, formatNotional, type OrderFields, validateOrder } from "./instruments.js";
import { decimalText } from "./order-params.js";

function fieldsOf(req: OrderRequest | TriggerOrderRequest): OrderFields {
  const trigger = "refPrice" in req;
  return {
    instrument_name: req.symbol,
    side: req.side,
    type: req.type,
    quantity: decimalText(req.quantity, "quantity"),
    notional: decimalText(req.notional, "notional"),
    price: decimalText(req.price, "price"),
    ref_price: trigger ? decimalText(req.refPrice, "ref_price") : undefined,
    time_in_force: req.timeInForce,
    exec_inst: !trigger && req.postOnly ? ["POST_ONLY"] : undefined,
  };
}

export const cryptoComOrderRules: OrderRules = {
  floorQuantity: (inst: Instrument, qty: Dec) => floorQuantity(inst, qty),
  roundPrice: (inst: Instrument, price: Dec, direction: "down" | "up") =>
    direction === "down" ? floorToStep(price, inst.priceTickSize) : ceilToStep(price, inst.priceTickSize),
  floorNotional: (inst: Instrument, notional: Dec) => dec(formatNotional(inst, notional)),
  check(inst: Instrument, req: OrderRequest | TriggerOrderRequest, marketPrice?: Dec): RuleViolation[] {
    return validateOrder(inst, fieldsOf(req), { marketPrice }).map((v) => ({
      field: v.field,
      rule: v.rule,
      code: v.code,
      corrected: v.corrected,
    }));
  },
};
