/**
 * Orders: one row per attempt of an intent (committed as PENDING_SUBMIT before the request is
 * written) and per order reconciliation adopts. `client_oid` and `exchange_order_id` are UNIQUE.
 *
 * Invariants of `applyExchange` (what the exchange says of an order):
 * - matched by client_oid first, then by exchange order id; an unknown order is adopted (inserted)
 *   as the caller says, by default as an external order with a role from its side and type;
 * - never regresses: a final status is not replaced by a non-final one, the filled quantity never
 *   decreases, and an update older than the stored exchange time changes nothing (`changed: false`);
 * - the exchange object is kept as received (`raw`, money as decimal strings).
 */
import type { Selectable, Updateable } from "kysely";
import type { Order as ExchangeOrder } from "../../exchange/types.js";
import type { Dec } from "../../util/decimal.js";
import { boolIn, intOutOpt, jsonIn, jsonOut, moneyIn, moneyInOpt, moneyOut, moneyOutReq } from "../codec.js";
import type { RepoContext } from "../context.js";
import type { OrdersTable } from "../db.js";
import { StoreInputError } from "../errors.js";
import { placeholders, Shape } from "../prepared.js";
import type { AdoptAs, Json, NewAttempt, OrderRecord, OrdersRepo } from "../types.js";
import {
  FINAL_ORDER_STATUSES,
  NON_FINAL_ORDER_STATUSES,
  ORDER_STATUSES,
  ORDER_TYPES,
  type OrderRole,
  type OrderType,
  parseMember,
  SIDES,
  type Side,
} from "../vocabulary.js";
import { LISTING_COLUMNS, listingOf, orderColumnsOf, orderPageQuery, pageOf } from "./order-pages.js";
import { entryValuesSince } from "./order-values.js";

type Row = Selectable<OrdersTable>;

/** An attempt row as one statement compiled once (prepared.ts): the trading path writes one per order. */
const INSERT_ATTEMPT = new Shape<never>("orders.insertAttempt", (db, p, row) =>
  db.insertInto("orders").values(placeholders(row, p) as never),
);

function fromRow(r: Row): OrderRecord {
  return {
    ...orderColumnsOf(r, moneyOut, moneyOutReq),
    attempt: intOutOpt(r.attempt, "orders.attempt"),
    raw: jsonOut(r.raw, "orders.raw"),
    exchangeTime: intOutOpt(r.exchange_time, "orders.exchange_time"),
  };
}

/** The role an order found on the exchange gets when the caller does not say. */
function defaultRole(side: Side, type: OrderType): OrderRole {
  if (type === "STOP_LOSS" || type === "STOP_LIMIT") return "STOP_LOSS";
  if (type === "TAKE_PROFIT" || type === "TAKE_PROFIT_LIMIT") return "TAKE_PROFIT";
  return side === "BUY" ? "ENTRY" : "EXIT";
}

const nonEmpty = (s: string | undefined): string | undefined => (s === undefined || s === "" ? undefined : s);

export function ordersRepo(ctx: RepoContext): OrdersRepo {
  const one = async (c: RepoContext, col: "id" | "client_oid" | "exchange_order_id", value: string) => {
    const r = await c.db.selectFrom("orders").selectAll().where(col, "=", value).executeTakeFirst();
    return r && fromRow(r);
  };
  const many = async (col: "list_id" | "intent_id" | "lot_id", value: string) => {
    const rows = await ctx.db
      .selectFrom("orders")
      .selectAll()
      .where(col, "=", value)
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    return rows.map(fromRow);
  };
  /** One row's columns set; answers the row as it is now (undefined: no such order). */
  const updateOne = async (id: string, set: Updateable<OrdersTable>) => {
    const row = await ctx.db
      .updateTable("orders")
      .set(set)
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirst();
    return row && fromRow(row);
  };

  return {
    async insertAttempt(input: NewAttempt) {
      const now = ctx.now();
      const row: Row = {
        id: input.id ?? ctx.newId(),
        intent_id: input.intentId,
        attempt: input.attempt,
        client_oid: input.clientOid,
        exchange_order_id: null,
        list_id: input.listId ?? null,
        symbol: input.symbol,
        side: input.side,
        type: input.type,
        role: input.role,
        parent_id: input.parentId ?? null,
        lot_id: input.lotId ?? null,
        status: "PENDING_SUBMIT",
        quantity: moneyInOpt(input.quantity),
        notional: moneyInOpt(input.notional),
        price: moneyInOpt(input.price),
        ref_price: moneyInOpt(input.refPrice),
        filled_quantity: "0",
        avg_price: null,
        fee: "0",
        fee_currency: null,
        reason: null,
        mode: input.mode,
        raw: "null",
        external: boolIn(false),
        created_at: now,
        updated_at: now,
        exchange_time: null,
      };
      await INSERT_ATTEMPT.run(ctx.db, ctx.dialect, row);
      return fromRow(row);
    },

    applyExchange(order: ExchangeOrder, adoptAs?: AdoptAs) {
      return ctx.run(async (_tx, c) => {
        const clientOid = nonEmpty(order.clientOid);
        const exchangeId = nonEmpty(order.orderId);
        const status = parseMember(ORDER_STATUSES, order.status, "exchange order status");
        const type = parseMember(ORDER_TYPES, order.type, "exchange order type");
        const side = parseMember(SIDES, order.side, "exchange order side");
        const before =
          (clientOid ? await one(c, "client_oid", clientOid) : undefined) ??
          (exchangeId ? await one(c, "exchange_order_id", exchangeId) : undefined);
        const now = c.now();
        const raw = jsonIn(order as unknown as Json);
        const reason = order.reason === undefined ? null : String(order.reason);
        if (!before) {
          const as = adoptAs ?? { role: defaultRole(side, type), mode: "LIVE" as const, external: true };
          const row: Row = {
            id: c.newId(),
            intent_id: as.intentId ?? null,
            attempt: as.attempt ?? null,
            client_oid: clientOid ?? null,
            exchange_order_id: exchangeId ?? null,
            list_id: nonEmpty(order.listId) ?? null,
            symbol: order.symbol,
            side,
            type,
            role: as.role,
            parent_id: as.parentId ?? null,
            lot_id: as.lotId ?? null,
            status,
            quantity: order.quantity.isZero() ? null : moneyIn(order.quantity),
            notional: moneyInOpt(order.orderValue),
            price: moneyInOpt(order.price),
            ref_price: moneyInOpt(order.refPrice),
            filled_quantity: moneyIn(order.filledQuantity),
            avg_price: moneyInOpt(order.avgPrice),
            fee: moneyIn(order.fee),
            fee_currency: order.feeCurrency ?? null,
            reason,
            mode: as.mode,
            raw,
            external: boolIn(as.external),
            created_at: order.createTime > 0 ? order.createTime : now,
            updated_at: now,
            exchange_time: order.updateTime,
          };
          await c.db.insertInto("orders").values(row).execute();
          return { order: fromRow(row), before: undefined, inserted: true, changed: true };
        }
        const stale =
          (before.exchangeTime !== undefined && order.updateTime < before.exchangeTime) ||
          (FINAL_ORDER_STATUSES.includes(before.status) && !FINAL_ORDER_STATUSES.includes(status)) ||
          order.filledQuantity.lessThan(before.filledQuantity);
        if (stale) return { order: before, before, inserted: false, changed: false };
        const keep = (incoming: Dec | undefined, current: Dec | undefined) => moneyInOpt(incoming ?? current);
        const after = await c.db
          .updateTable("orders")
          .set({
            client_oid: before.clientOid ?? clientOid ?? null,
            exchange_order_id: before.exchangeOrderId ?? exchangeId ?? null,
            list_id: nonEmpty(order.listId) ?? before.listId ?? null,
            status,
            quantity: order.quantity.isZero() ? moneyInOpt(before.quantity) : moneyIn(order.quantity),
            price: keep(order.price, before.price),
            ref_price: keep(order.refPrice, before.refPrice),
            filled_quantity: moneyIn(order.filledQuantity),
            avg_price: keep(order.avgPrice, before.avgPrice),
            fee: moneyIn(order.fee),
            fee_currency: order.feeCurrency ?? before.feeCurrency ?? null,
            reason: reason ?? before.reason ?? null,
            raw,
            updated_at: now,
            exchange_time: order.updateTime,
          })
          .where("id", "=", before.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        return { order: fromRow(after), before, inserted: false, changed: true };
      });
    },

    async setStatus(id, status, reason) {
      const set: { status: string; updated_at: number; reason?: string } = { status, updated_at: ctx.now() };
      if (reason !== undefined) set.reason = reason;
      return updateOne(id, set);
    },

    async link(id, link) {
      const set: { updated_at: number; list_id?: string; lot_id?: string; parent_id?: string } = {
        updated_at: ctx.now(),
      };
      if (link.listId !== undefined) set.list_id = link.listId;
      if (link.lotId !== undefined) set.lot_id = link.lotId;
      if (link.parentId !== undefined) set.parent_id = link.parentId;
      return updateOne(id, set);
    },

    get: (id) => one(ctx, "id", id),
    findByClientOid: (oid) => one(ctx, "client_oid", oid),
    findByExchangeId: (eid) => one(ctx, "exchange_order_id", eid),
    listByListId: (listId) => many("list_id", listId),
    listByIntent: (intentId) => many("intent_id", intentId),
    listByLot: (lotId) => many("lot_id", lotId),

    async listNonFinal(filter = {}) {
      let q = ctx.db
        .selectFrom("orders")
        .selectAll()
        .where("status", "in", NON_FINAL_ORDER_STATUSES)
        .orderBy("created_at")
        .orderBy("id");
      if (filter.symbol !== undefined) q = q.where("symbol", "=", filter.symbol);
      if (filter.mode !== undefined) q = q.where("mode", "=", filter.mode);
      return (await q.execute()).map(fromRow);
    },

    entryValuesSince: (filter) => entryValuesSince(ctx, filter),

    async page(filter = {}) {
      const q = orderPageQuery(ctx.db.selectFrom("orders").selectAll(), filter);
      if (!q) return { items: [], nextCursor: undefined };
      return pageOf((await q.execute()).map(fromRow), filter);
    },

    async listingPage(filter = {}) {
      const q = orderPageQuery(ctx.db.selectFrom("orders").select(LISTING_COLUMNS), filter);
      if (!q) return { items: [], nextCursor: undefined };
      return pageOf((await q.execute()).map(listingOf), filter);
    },

    async listingsByLots(lotIds) {
      if (lotIds.length > 500) throw new StoreInputError("listingsByLots: at most 500 lots at a time");
      if (lotIds.length === 0) return [];
      const rows = await ctx.db
        .selectFrom("orders")
        .select(LISTING_COLUMNS)
        .where("lot_id", "in", [...lotIds])
        .orderBy("created_at")
        .orderBy("id")
        .execute();
      return rows.map(listingOf);
    },
  };
}
