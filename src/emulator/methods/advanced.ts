/**
 * Advanced order management (reference §5.4): trigger orders and OCO lists. Their states arrive
 * on `user.advanced.order` (and on `user.order` once triggered).
 */

import { isJsonObject, scalarText } from "../../exchange/cryptocom/json-text.js";
import type { CallContext, EmulatedExchange, Handler } from "../exchange.js";
import { fail, ok, type Reply } from "../http/envelope.js";
import type { OrderRequest } from "../matching/types.js";
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

/* {"id":…,"method":"private/advanced/create-oco","code":0,"result":{"list_id":"6498090546073120100"}} */
function createOco(ex: EmulatedExchange, ctx: CallContext): Reply {
  const key = ctx.key!;
  const list = ctx.params.order_list;
  const logLegs = (code: number, listId: string | null, ids: (string | null)[]) => {
    const legs = Array.isArray(list) ? list : [];
    legs.forEach((leg, i) => {
      const p = isJsonObject(leg) ? leg : {};
      ex.recordReceived({
        api_key: key.apiKey,
        account: key.account,
        method: ctx.method,
        transport: ctx.transport,
        client_oid: scalarText(p.client_oid) ?? null,
        order_id: ids[i] ?? null,
        list_id: listId,
        instrument_name: scalarText(p.instrument_name) ?? null,
        side: scalarText(p.side) ?? null,
        type: scalarText(p.type) ?? null,
        response_code: code,
      });
    });
  };
  let legs: OrderRequest[];
  try {
    if (!Array.isArray(list) || list.some((l) => !isJsonObject(l))) {
      throw new ParamError(
        40004,
        "Missing or invalid argument: order_list must be an array of order objects",
      );
    }
    legs = list.map((leg, i) => readOrder(leg as Record<string, never>, `${ctx.nonceText ?? ""}-${i + 1}`));
  } catch (err) {
    if (err instanceof ParamError) logLegs(err.code, null, []);
    throw err;
  }
  const r = ex.engine.submitOco(key.account, legs);
  if (!r.ok) {
    logLegs(r.code, null, []);
    return fail(r.code, r.message);
  }
  logLegs(
    0,
    r.listId,
    r.orders.map((o) => o.orderId),
  );
  const ids = r.orders.map((o) => o.orderId);
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

export const ADVANCED_METHODS: Record<string, Handler> = {
  "private/advanced/create-order": (ex, ctx) => createOrder(ex, ctx, "advanced"),
  "private/advanced/create-oco": createOco,
  "private/advanced/cancel-oco": cancelOco,
  "private/advanced/cancel-order": cancelOrder,
  "private/advanced/cancel-all-orders": (ex, ctx) => cancelAll(ex, ctx, "advanced"),
  "private/advanced/get-open-orders": (ex, ctx) => openOrders(ex, ctx, "advanced"),
  "private/advanced/get-order-detail": orderDetail,
  "private/advanced/get-order-history": (ex, ctx) => orderHistory(ex, ctx, "advanced"),
};
