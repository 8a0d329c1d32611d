/**
 * Advanced order management (reference §5.4): trigger orders and OCO lists. Their states arrive
 * on `user.advanced.order` (and on `user.order` once triggered).
 */

import { isJsonObject, type JsonObject, scalarText } from "../../domain/json-text.js";
import type { CallContext, EmulatedExchange, Handler } from "../exchange.js";
import { fail, ok, type Reply } from "../http/envelope.js";
import type { VenueOrderRequest } from "../matching/types.js";
import {
  cancelAll,
  cancelOrder,
  createOrder,
  openOrders,
  orderDetail,
  orderHistory,
  readOrder,
} from "./orders.js";
import { ParamError, reqString } from "./params.js";

/** Legs of an OCO list: exactly one LIMIT and one trigger order (reference §5.4). */
export const OCO_LEGS = 2;

/* {"id":…,"method":"private/advanced/create-oco","code":0,"result":{"list_id":"6498090546073120100"}} */
function createOco(ex: EmulatedExchange, ctx: CallContext): Reply {
  const key = ctx.key!;
  const list = ctx.params.order_list;
  const log = (code: number, p: JsonObject, orderId: string | null, listId: string | null) =>
    ex.recordReceived({
      api_key: key.apiKey,
      account: key.account,
      method: ctx.method,
      transport: ctx.transport,
      client_oid: scalarText(p.client_oid) ?? null,
      order_id: orderId,
      list_id: listId,
      instrument_name: scalarText(p.instrument_name) ?? null,
      side: scalarText(p.side) ?? null,
      type: scalarText(p.type) ?? null,
      response_code: code,
    });
  // The list's shape first, before any leg is read or logged: a list of the wrong length is one
  // rejected request (one log entry), however many legs it carries.
  if (!Array.isArray(list) || list.length !== OCO_LEGS || list.some((l) => !isJsonObject(l))) {
    const message =
      Array.isArray(list) && list.length !== OCO_LEGS
        ? `Invalid order_list: an OCO list has exactly ${OCO_LEGS} orders (one LIMIT and one trigger), got ${list.length}`
        : "Missing or invalid argument: order_list must be an array of 2 order objects";
    log(40004, Object.create(null), null, null);
    return fail(40004, message);
  }
  const legsIn = list as JsonObject[];
  const logLegs = (code: number, listId: string | null, ids: readonly (string | null)[]) => {
    for (const [i, p] of legsIn.entries()) log(code, p, ids[i] ?? null, listId);
  };
  let legs: VenueOrderRequest[];
  try {
    legs = legsIn.map((leg, i) => readOrder(leg, `${ctx.nonceText ?? ""}-${i + 1}`));
  } catch (err) {
    if (err instanceof ParamError) logLegs(err.code, null, []);
    throw err;
  }
  const r = ex.engine.submitOco(key.account, legs);
  if (!r.ok) {
    logLegs(r.code, null, []);
    return fail(r.code, r.message);
  }
  const ids = r.orders.map((o) => o.orderId);
  logLegs(0, r.listId, ids);
  return {
    ...ok({ list_id: r.listId }),
    after: () => {
      for (const id of ids) ex.scheduleExecute(id);
    },
  };
}

function cancelOco(ex: EmulatedExchange, ctx: CallContext): Reply {
  const listId = reqString(ctx.params, "list_id");
  const r = ex.engine.cancelList(ctx.key!.account, listId);
  if (!r.ok) return fail(r.code, r.message);
  return ok();
}

export const ADVANCED_METHODS: ReadonlyArray<readonly [string, Handler]> = [
  ["private/advanced/create-order", (ex, ctx) => createOrder(ex, ctx, "advanced")],
  ["private/advanced/create-oco", createOco],
  ["private/advanced/cancel-oco", cancelOco],
  ["private/advanced/cancel-order", cancelOrder],
  ["private/advanced/cancel-all-orders", (ex, ctx) => cancelAll(ex, ctx, "advanced")],
  ["private/advanced/get-open-orders", (ex, ctx) => openOrders(ex, ctx, "advanced")],
  ["private/advanced/get-order-detail", orderDetail],
  ["private/advanced/get-order-history", (ex, ctx) => orderHistory(ex, ctx, "advanced")],
];
