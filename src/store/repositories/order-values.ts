/**
 * What the pace guards (cooldown, orders and notional per symbol per day) read of the entry orders:
 * when each was created and what it is worth — the few columns they use, not the whole record.
 *
 * Invariants:
 * - The ENTRY orders of one symbol and mode created at or after `since`, every status but
 *   REJECTED (an order the exchange refused, or that never left, opened nothing), newest first;
 *   read by the (symbol, created_at, id) index, so the history before `since` costs nothing.
 * - Money is `Dec`, parsed from the stored exact text.
 */

import type { Selectable } from "kysely";
import { moneyOut } from "../codec.js";
import type { RepoContext } from "../context.js";
import type { OrdersTable } from "../db.js";
import { Shape } from "../prepared.js";
import type { EntryOrderValue } from "../types.js";
import type { TradingMode } from "../vocabulary.js";

type ValueRow = Pick<
  Selectable<OrdersTable>,
  "created_at" | "notional" | "quantity" | "price" | "avg_price" | "ref_price"
>;

/** Compiled once (prepared.ts): each entry decision reads it. */
const ENTRY_VALUES = new Shape<ValueRow>("orders.entryValuesSince", (db, p) =>
  db
    .selectFrom("orders")
    .select(["created_at", "notional", "quantity", "price", "avg_price", "ref_price"])
    .where("symbol", "=", p("symbol"))
    .where("created_at", ">=", p("since"))
    .where("role", "=", "ENTRY")
    .where("mode", "=", p("mode"))
    .where("status", "<>", "REJECTED")
    .orderBy("created_at", "desc")
    .orderBy("id", "desc"),
);

export async function entryValuesSince(
  ctx: RepoContext,
  f: { symbol: string; mode: TradingMode; since: number },
): Promise<EntryOrderValue[]> {
  const values = { symbol: f.symbol, since: f.since, mode: f.mode };
  const rows = (await ENTRY_VALUES.run(ctx.db, ctx.dialect, values)).rows;
  return rows.map((r) => ({
    createdAt: r.created_at,
    notional: moneyOut(r.notional, "orders.notional"),
    quantity: moneyOut(r.quantity, "orders.quantity"),
    price: moneyOut(r.price, "orders.price"),
    avgPrice: moneyOut(r.avg_price, "orders.avg_price"),
    refPrice: moneyOut(r.ref_price, "orders.ref_price"),
  }));
}
