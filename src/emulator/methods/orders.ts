/**
 * Trading methods (reference §5.3). VenueOrder creation is asynchronous as on the exchange: the response
 * only acknowledges (`{order_id, client_oid}`); the order is processed `order_latency_ms` later and
 * its states arrive on `user.order` and through get-order-detail. Every create request that passed
 * authentication is logged for the admin API, accepted or not.
 */
import { type JsonObject, scalarText } from "../../domain/json-text.js";
import {
  isTriggerType,
  type OrderType,
  type RefPriceType,
  type Side,
  type TimeInForce,
  TRIGGER_TYPES,
} from "../../domain/orders.js";
import { CLIENT_OID_MAX } from "../../exchange/cryptocom/constants.js";
import type { CallContext, EmulatedExchange, Handler } from "../exchange.js";
import { fail, ok, type Reply } from "../http/envelope.js";
import type { Origin, VenueOrderRequest } from "../matching/types.js";
import { fillToWire, orderToWire } from "../matching/wire.js";
import {
  optEnum,
  optInt,
  optString,
  optStringArray,
  optTime,
  ParamError,
  reqEnum,
  reqString,
} from "./params.js";

const SIDES: readonly Side[] = ["BUY", "SELL"];
const KINDS: readonly OrderType[] = ["LIMIT", "MARKET", ...TRIGGER_TYPES];
const TIFS: readonly TimeInForce[] = ["GOOD_TILL_CANCEL", "IMMEDIATE_OR_CANCEL", "FILL_OR_KILL"];
const REF_TYPES: readonly RefPriceType[] = ["MARK_PRICE", "INDEX_PRICE", "LAST_PRICE"];
const DAY = 86_400_000;

/** Reads create-order params into an VenueOrderRequest (enum codes: 220 side, 218 type, 221 TIF, 230 ref type). */
export function readOrder(p: JsonObject, defaultClientOid: string): VenueOrderRequest {
  const instrument_name = reqString(p, "instrument_name");
  const side = reqEnum(p, "side", SIDES, 220);
  const type = reqEnum(p, "type", KINDS, 218);
  const client_oid = optString(p, "client_oid") ?? defaultClientOid;
  if (client_oid.length > CLIENT_OID_MAX) {
    throw new ParamError(40004, `Invalid client_oid: at most ${CLIENT_OID_MAX} characters`);
  }
  let exec_inst: string[] | undefined;
  const raw = p.exec_inst;
  if (typeof raw === "string") exec_inst = [raw];
  else exec_inst = optStringArray(p, "exec_inst", 219);
  if (optString(p, "spot_margin") === "MARGIN") {
    throw new ParamError(40004, "Invalid spot_margin: the emulator trades spot only (SPOT)");
  }
  return {
    instrument_name,
    side,
    type,
    quantity: optString(p, "quantity"),
    notional: optString(p, "notional"),
    price: optString(p, "price"),
    ref_price: optString(p, "ref_price") ?? optString(p, "trigger_price"),
    ref_price_type: optEnum(p, "ref_price_type", REF_TYPES, 230),
    time_in_force: optEnum(p, "time_in_force", TIFS, 221),
    exec_inst,
    client_oid,
  };
}

function raw(p: JsonObject, name: string): string | null {
  return scalarText(p[name]) ?? null;
}

/** Shared by create-order and advanced/create-order. */
export function createOrder(ex: EmulatedExchange, ctx: CallContext, origin: Origin): Reply {
  const key = ctx.key!;
  const p = ctx.params;
  const log = (code: number, orderId: string | null, clientOid: string | null) =>
    ex.recordReceived({
      api_key: key.apiKey,
      account: key.account,
      method: ctx.method,
      transport: ctx.transport,
      client_oid: clientOid,
      order_id: orderId,
      list_id: null,
      instrument_name: raw(p, "instrument_name"),
      side: raw(p, "side"),
      type: raw(p, "type"),
      response_code: code,
    });
  let req: VenueOrderRequest;
  try {
    req = readOrder(p, ctx.nonceText ?? "");
    if (origin === "plain" && isTriggerType(req.type)) {
      if (ex.config.switches.trigger_types_on_create_order === "reject") {
        throw new ParamError(
          140001,
          `${req.type} orders are no longer accepted on private/create-order; use private/advanced/create-order`,
        );
      }
    }
    if (origin === "advanced" && !isTriggerType(req.type)) {
      throw new ParamError(218, `Invalid type: ${req.type} (advanced/create-order takes trigger types)`);
    }
  } catch (err) {
    if (err instanceof ParamError) log(err.code, null, raw(p, "client_oid") ?? ctx.nonceText ?? null);
    throw err;
  }
  const r = ex.engine.submit(key.account, req, { origin });
  if (r.ok) {
    log(0, r.order.orderId, req.client_oid);
    const id = r.order.orderId;
    return { ...ok({ order_id: id, client_oid: req.client_oid }), after: () => ex.scheduleExecute(id) };
  }
  log(r.code, r.order?.orderId ?? null, req.client_oid);
  return fail(
    r.code,
    r.message,
    r.order ? { order_id: r.order.orderId, client_oid: r.order.clientOid } : undefined,
  );
}

/** `order_id` (string or number text) or `client_oid`. */
export function orderQuery(p: JsonObject): { orderId?: string; clientOid?: string } {
  const orderId = optString(p, "order_id");
  const clientOid = optString(p, "client_oid");
  if (orderId === undefined && clientOid === undefined) {
    throw new ParamError(40004, "Missing or invalid argument: order_id or client_oid is required");
  }
  return orderId !== undefined ? { orderId } : { clientOid: clientOid! };
}

export function cancelOrder(ex: EmulatedExchange, ctx: CallContext): Reply {
  const r = ex.engine.cancel(ctx.key!.account, orderQuery(ctx.params));
  if (!r.ok) return fail(r.code, r.message);
  return ok({ order_id: r.order.orderId, client_oid: r.order.clientOid }, "NO_ERROR");
}

export function cancelAll(ex: EmulatedExchange, ctx: CallContext, origin: Origin): Reply {
  const instrument = optString(ctx.params, "instrument_name");
  if (instrument !== undefined && !ex.engine.instrument(instrument)) {
    return fail(209, `Invalid instrument_name: ${instrument}`);
  }
  const kinds = origin === "plain" ? (["LIMIT", "ALL"] as const) : (["LIMIT", "TRIGGER", "ALL"] as const);
  const kind = optEnum(ctx.params, "type", kinds) ?? "ALL";
  ex.engine.cancelAll(ctx.key!.account, { instrument, origin, kind });
  return ok();
}

export function openOrders(ex: EmulatedExchange, ctx: CallContext, origin: Origin): Reply {
  const instrument = optString(ctx.params, "instrument_name");
  const orders = ex.engine.open(ctx.key!.account, { instrument, origin });
  return ok({ data: orders.map(orderToWire) });
}

export function orderDetail(ex: EmulatedExchange, ctx: CallContext): Reply {
  const o = ex.engine.order(ctx.key!.account, orderQuery(ctx.params));
  if (!o) return fail(40401, "NOT_FOUND");
  return ok(orderToWire(o));
}

function window(ex: EmulatedExchange, p: JsonObject): { startTime: number; endTime: number; limit: number } {
  const endTime = optTime(p, "end_time") ?? ex.clock.now();
  const startTime = optTime(p, "start_time") ?? endTime - DAY;
  const limit = optInt(p, "limit", 1, 100) ?? 100;
  return { startTime, endTime, limit };
}

export function orderHistory(ex: EmulatedExchange, ctx: CallContext, origin: Origin): Reply {
  const instrument = optString(ctx.params, "instrument_name");
  const orders = ex.engine.history(ctx.key!.account, { instrument, origin, ...window(ex, ctx.params) });
  return ok({ data: orders.map(orderToWire) });
}

const getTrades: Handler = (ex, ctx) => {
  const instrument = optString(ctx.params, "instrument_name");
  const fills = ex.engine.trades(ctx.key!.account, { instrument, ...window(ex, ctx.params) });
  return ok({ data: fills.map(fillToWire) });
};

export const ORDER_METHODS: ReadonlyArray<readonly [string, Handler]> = [
  ["private/create-order", (ex, ctx) => createOrder(ex, ctx, "plain")],
  ["private/cancel-order", cancelOrder],
  ["private/cancel-all-orders", (ex, ctx) => cancelAll(ex, ctx, "plain")],
  ["private/get-open-orders", (ex, ctx) => openOrders(ex, ctx, "plain")],
  ["private/get-order-detail", orderDetail],
  ["private/get-order-history", (ex, ctx) => orderHistory(ex, ctx, "plain")],
  ["private/get-trades", getTrades],
];
