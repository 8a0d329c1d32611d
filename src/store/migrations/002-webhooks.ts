/**
 * 002: webhooks (issue 11). One row per named webhook: its secret's SHA-256 (hex), never the secret.
 * `name` is the primary key: a name is created once (the second create finds the first).
 */
import type { Kysely } from "kysely";
import { columnTypes } from "../columns.js";
import type { StoreDialect } from "../types.js";
import type { Migration } from "./types.js";

async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable("webhooks")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("secret_hash", "text", (c) => c.notNull())
    .addColumn("created_at", t.ms, (c) => c.notNull())
    .addColumn("last_used_at", t.ms)
    .execute();
}

export const webhooksMigration: Migration = { version: 2, name: "webhooks", up };
