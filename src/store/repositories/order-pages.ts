/**
 * Pages of orders, newest first by (created_at, id), shared by `orders.page` (full records) and
 * `orders.listingPage` (listings: the listed columns only, money as decimal text): one filter, one
 * order, one cursor format, so a cursor of either is valid for both.
 *
 * Invariants:
 * - Every page is bounded (`limit + 1` rows read to know whether there is a next page) and ordered
 *   by the indexed (created_at, id) — with a status filter, by (status, created_at, id) (migration 003).
 * - A listing reads neither the exchange's raw object nor anything else the lists do not show, and
 *   its money is the exact text `Dec.toFixed()` would give (codec.ts `moneyTextOut`).
 */
import type { SelectQueryBuilder } from "kysely";
import { boolOut, moneyTextOut, moneyTextOutReq, optOut } from "../codec.js";
import { limitOf } from "../context.js";
import type { Database } from "../db.js";
import { StoreInputError } from "../errors.js";
import type { OrderListing, StoredOrderFilter } from "../types.js";
import {
  ORDER_ROLES,
  ORDER_TYPES,
  parseMember,
  SIDES,
  STORED_ORDER_STATUSES,
  TRADING_MODES,
} from "../vocabulary.js";

export type OrderPageFilter = StoredOrderFilter & { cursor?: string | undefined; limit?: number };

/** Cursor of a page: the (created_at, id) of its last row. */
export function encodeOrderCursor(r: { createdAt: number; id: string }): string {
  return Buffer.from(`${r.createdAt}:${r.id}`, "utf8").toString("base64url");
}

function decodeOrderCursor(cursor: string): { createdAt: number; id: string } {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const m = /^(\d{1,16}):(.{1,200})$/s.exec(text);
  const createdAt = m ? Number(m[1]) : Number.NaN;
  if (!m || !Number.isSafeInteger(createdAt))
    throw new StoreInputError("cursor: not a cursor this store issued");
  return { createdAt, id: m[2]! };
}

/** The page's limit (default 50, at most 500). */
export function orderPageLimit(filter: OrderPageFilter): number {
  return limitOf(filter.limit, 50, 500);
}

/** The filter, order, cursor and limit of a page on `q`; undefined when no status can match. */
export function orderPageQuery<O>(
  q: SelectQueryBuilder<Database, "orders", O>,
  filter: OrderPageFilter,
): SelectQueryBuilder<Database, "orders", O> | undefined {
  let out = q
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(orderPageLimit(filter) + 1);
  if (filter.status !== undefined) {
    const list: readonly string[] = typeof filter.status === "string" ? [filter.status] : filter.status;
    if (list.length === 0) return undefined;
    out = out.where("status", "in", [...list]);
  }
  if (filter.symbol !== undefined) out = out.where("symbol", "=", filter.symbol);
  if (filter.role !== undefined) out = out.where("role", "=", filter.role);
  if (filter.mode !== undefined) out = out.where("mode", "=", filter.mode);
  if (filter.since !== undefined) out = out.where("created_at", ">=", filter.since);
  if (filter.cursor !== undefined) {
    const c = decodeOrderCursor(filter.cursor);
    out = out.where((eb) =>
      eb.or([
        eb("created_at", "<", c.createdAt),
        eb.and([eb("created_at", "=", c.createdAt), eb("id", "<", c.id)]),
      ]),
    );
  }
  return out;
}

/** Cuts the `limit + 1` rows read to the page and its next cursor. */
export function pageOf<T extends { createdAt: number; id: string }>(
  rows: T[],
  filter: OrderPageFilter,
): { items: T[]; nextCursor: string | undefined } {
  const limit = orderPageLimit(filter);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeOrderCursor(last) : undefined };
}

/** The columns a listing reads. */
export const LISTING_COLUMNS = [
  "id",
  "intent_id",
  "client_oid",
  "exchange_order_id",
  "list_id",
  "symbol",
  "side",
  "type",
  "role",
  "parent_id",
  "lot_id",
  "status",
  "quantity",
  "notional",
  "price",
  "ref_price",
  "filled_quantity",
  "avg_price",
  "fee",
  "fee_currency",
  "reason",
  "mode",
  "external",
  "created_at",
  "updated_at",
] as const;

type ListingRow = Pick<Database["orders"], (typeof LISTING_COLUMNS)[number]>;

/**
 * An order row's listed columns, with its money as `money` makes it (exact text for a listing,
 * `Dec` for a record: orders.ts `fromRow` adds the columns a listing leaves out).
 */
export function orderColumnsOf<M>(
  r: ListingRow,
  money: (v: string | null, where: string) => M | undefined,
  moneyReq: (v: string | null, where: string) => M,
) {
  return {
    id: r.id,
    intentId: optOut(r.intent_id),
    clientOid: optOut(r.client_oid),
    exchangeOrderId: optOut(r.exchange_order_id),
    listId: optOut(r.list_id),
    symbol: r.symbol,
    side: parseMember(SIDES, r.side, "orders.side"),
    type: parseMember(ORDER_TYPES, r.type, "orders.type"),
    role: parseMember(ORDER_ROLES, r.role, "orders.role"),
    parentId: optOut(r.parent_id),
    lotId: optOut(r.lot_id),
    status: parseMember(STORED_ORDER_STATUSES, r.status, "orders.status"),
    quantity: money(r.quantity, "orders.quantity"),
    notional: money(r.notional, "orders.notional"),
    price: money(r.price, "orders.price"),
    refPrice: money(r.ref_price, "orders.ref_price"),
    filledQuantity: moneyReq(r.filled_quantity, "orders.filled_quantity"),
    avgPrice: money(r.avg_price, "orders.avg_price"),
    fee: moneyReq(r.fee, "orders.fee"),
    feeCurrency: optOut(r.fee_currency),
    reason: optOut(r.reason),
    mode: parseMember(TRADING_MODES, r.mode, "orders.mode"),
    external: boolOut(r.external, "orders.external"),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function listingOf(r: ListingRow): OrderListing {
  return orderColumnsOf(r, moneyTextOut, moneyTextOutReq);
}
