/**
 * Parsers for orders, fills and order acknowledgements (reference §5.3, §5.4, §7 user channels).
 * Side, order type, status and time-in-force go through the tables of enums.ts: an unknown value is
 * a shape error, never a string passed through.
 */
import type { CancelAck, Fill, Order } from "../../types.js";
import { wireLiquidity, wireOrderType, wireSide, wireStatus, wireTimeInForce } from "./enums.js";
import { arr, dataArray, decField, decOpt, decOr0, int, ms, obj, str, strOpt } from "./wire.js";

/*
 * An order, as in private/get-open-orders, get-order-detail, get-order-history, the advanced
 * variants and user.order / user.advanced.order pushes:
 * {"account_id":"52e7c00f-…","order_id":"19848525","client_oid":"1613571154900","order_type":"LIMIT",
 *  "time_in_force":"GOOD_TILL_CANCEL","side":"BUY","exec_inst":[],"quantity":"0.0100",
 *  "limit_price":"50000.0","order_value":"500.000000","maker_fee_rate":"0.000250",
 *  "taker_fee_rate":"0.000400","avg_price":"0.0","cumulative_quantity":"0.0000",
 *  "cumulative_value":"0.0000","cumulative_fee":"0.0000","status":"ACTIVE","update_user_id":"…",
 *  "order_date":"2021-02-17","instrument_name":"BTC_USD","fee_instrument_name":"USD",
 *  "create_time":1613575617173,"create_time_ns":"1613575617173123456","update_time":1613575617173}
 * Rejected/cancelled orders add "reason" (a §4 code, number or string). Trigger orders add
 * "ref_price", "ref_price_type"; OCO legs add "list_id", "contingency_type", "leg_id".
 * Live data also showed "trigger_price"/"ref_price" of "0" on plain orders (treated as absent).
 */
export function parseOrder(v: unknown, path = "order"): Order {
  const r = obj(v, path);
  const filled = decOr0(r.cumulative_quantity, `${path}.cumulative_quantity`);
  const avg = decOpt(r.avg_price, `${path}.avg_price`);
  const refPrice = decOpt(r.ref_price ?? r.trigger_price, `${path}.ref_price`);
  const limit = decOpt(r.limit_price ?? r.price, `${path}.limit_price`);
  const reason =
    r.reason === undefined || r.reason === null || r.reason === "" ? 0 : int(r.reason, `${path}.reason`);
  const createTime = ms(r.create_time, `${path}.create_time`);
  return {
    orderId: str(r.order_id, `${path}.order_id`),
    clientOid: strOpt(r.client_oid) ?? "",
    symbol: str(r.instrument_name, `${path}.instrument_name`),
    side: wireSide(r.side, `${path}.side`),
    type: wireOrderType(r.order_type ?? r.type, `${path}.order_type`),
    status: wireStatus(r.status, `${path}.status`),
    timeInForce: wireTimeInForce(r.time_in_force, `${path}.time_in_force`),
    execInst: Array.isArray(r.exec_inst) ? r.exec_inst.filter((x): x is string => typeof x === "string") : [],
    quantity: decOr0(r.quantity, `${path}.quantity`),
    price: limit && !limit.isZero() ? limit : undefined,
    refPrice: refPrice && !refPrice.isZero() ? refPrice : undefined,
    orderValue: decOpt(r.order_value, `${path}.order_value`),
    avgPrice: avg && !avg.isZero() ? avg : undefined,
    filledQuantity: filled,
    filledValue: decOr0(r.cumulative_value, `${path}.cumulative_value`),
    fee: decOr0(r.cumulative_fee, `${path}.cumulative_fee`).abs(),
    feeCurrency: strOpt(r.fee_instrument_name),
    reason: reason === 0 ? undefined : reason,
    createTime,
    updateTime: ms(r.update_time, `${path}.update_time`) || createTime,
    listId: strOpt(r.list_id),
    contingencyType: strOpt(r.contingency_type),
  };
}

/** `{data: [Order]}` (open orders, history, advanced open orders). */
export function parseOrderList(result: unknown): Order[] {
  return dataArray(result, "result").map((v, i) => parseOrder(v, `result.data[${i}]`));
}

/*
 * private/get-order-detail, private/advanced/get-order-detail → result: one Order object (as above).
 * Some servers wrap it as {"order_info": Order}; both are accepted.
 */
export function parseOrderDetail(result: unknown): Order {
  const r = obj(result, "result");
  return parseOrder(r.order_info ?? r, r.order_info ? "result.order_info" : "result");
}

/*
 * private/get-trades → result (user.trade pushes the same objects, "transaction_time" for create_time)
 * {"data":[{"account_id":"…","event_date":"2021-02-17","journal_type":"TRADING",
 *   "traded_quantity":"0.0500","traded_price":"51278.5","fees":"-1.28196250","order_id":"19708564",
 *   "trade_id":"38554669","trade_match_id":"76423","client_oid":"7665b001-…","taker_side":"MAKER",
 *   "side":"BUY","instrument_name":"BTC_USD","fee_instrument_name":"USD","create_time":1613640326848,
 *   "create_time_ns":"1613640326848000000","transact_time_ns":"1613640326848000000"}]}
 * "fees" is negative for a debit; Fill.fee is positive for a fee paid.
 */
export function parseFill(v: unknown, path = "trade"): Fill {
  const r = obj(v, path);
  return {
    tradeId: str(r.trade_id, `${path}.trade_id`),
    orderId: str(r.order_id, `${path}.order_id`),
    clientOid: strOpt(r.client_oid),
    symbol: str(r.instrument_name, `${path}.instrument_name`),
    side: wireSide(r.side, `${path}.side`),
    price: decField(r.traded_price, `${path}.traded_price`),
    quantity: decField(r.traded_quantity, `${path}.traded_quantity`),
    fee: decOr0(r.fees, `${path}.fees`).negated(),
    feeCurrency: strOpt(r.fee_instrument_name),
    liquidity: wireLiquidity(r.taker_side),
    time: ms(r.create_time ?? r.transaction_time, `${path}.create_time`),
  };
}

export function parseFills(result: unknown): Fill[] {
  return dataArray(result, "result").map((v, i) => parseFill(v, `result.data[${i}]`));
}

/*
 * private/create-order, private/advanced/create-order, private/cancel-order → result
 * {"client_oid":"c5f682ed-7108-4f1c-b755-972fcdca0f02","order_id":"18342311"}
 * (also the result carried by a rejection such as {"code":315,…,"result":{…}}).
 */
export function parseOrderAck(result: unknown): { orderId: string; clientOid: string | undefined } {
  const r = obj(result, "result");
  return { orderId: str(r.order_id, "result.order_id"), clientOid: strOpt(r.client_oid) };
}

export function parseCancelAck(result: unknown): CancelAck {
  if (result === undefined || result === null) return { orderId: undefined, clientOid: undefined };
  const r = obj(result, "result");
  return { orderId: strOpt(r.order_id), clientOid: strOpt(r.client_oid) };
}

/** order_id from a rejection's result, when it carries one. */
export function rejectedOrderId(result: unknown): string | undefined {
  if (result === null || typeof result !== "object" || Array.isArray(result)) return undefined;
  return strOpt((result as Record<string, unknown>).order_id);
}

/*
 * private/advanced/create-oco → result
 * {"list_id":"6498090546073120100"}
 */
export function parseListAck(result: unknown): string {
  return str(obj(result, "result").list_id, "result.list_id");
}

/** Re-export for WS user pushes that carry arrays of orders/fills directly in `data`. */
export function parseOrderArray(v: unknown, path: string): Order[] {
  return arr(v, path).map((o, i) => parseOrder(o, `${path}[${i}]`));
}

export function parseFillArray(v: unknown, path: string): Fill[] {
  return arr(v, path).map((o, i) => parseFill(o, `${path}[${i}]`));
}
