/**
 * 003: the index of the order lists (issue 11's dashboard and `GET /api/orders?status=`): orders by
 * (status, created_at, id). A page of one status newest first is one index range read backwards,
 * with no sort; a page of several statuses (the open orders: `status in (…)`) reads one bounded range
 * per status and sorts only the rows those ranges hold (not the table). `orders_status` (status,
 * symbol) stays for the non-final reads by symbol.
 */
import type { Kysely } from "kysely";
import type { StoreDialect } from "../types.js";
import type { Migration } from "./types.js";

async function up(db: Kysely<unknown>, _dialect: StoreDialect): Promise<void> {
  await db.schema
    .createIndex("orders_status_created")
    .on("orders")
    .columns(["status", "created_at", "id"])
    .execute();
}

export const orderListsMigration: Migration = { version: 3, name: "order-lists", up };
