/**
 * 001: the tables of issue 10 (docs/store.md has the reference). Constraints that carry invariants:
 * - `intents.idempotency_key` UNIQUE: one intent per idempotency key, ever (no duplicate order).
 * - `orders.client_oid` UNIQUE: one row per client_oid (attempt rows and adopted orders).
 * - `orders.exchange_order_id` UNIQUE (NULLs allowed: an attempt not yet acknowledged has none).
 * - `fills.trade_id` PRIMARY KEY: a trade is stored once, however often it is reported.
 * - `outbox.dedup_key` UNIQUE: one notification per deduplication key.
 * - Foreign keys where the referenced row always exists first: intents → lots/signals,
 *   orders → intents/orders (parent)/lots, auth_incidents → diagnosis_reports. Fills reference the
 *   exchange order id without a key (a trade can arrive before reconciliation adopts its order);
 *   lots.entry_order_id likewise (orders reference lots, not the other way).
 */
import type { Kysely } from "kysely";
import { columnTypes, withSequenceKey } from "../columns.js";
import type { StoreDialect } from "../types.js";
import type { Migration } from "./types.js";

async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  const t = columnTypes(dialect);
  const s = db.schema;

  await s
    .createTable("watchlist")
    .addColumn("symbol", "text", (c) => c.primaryKey())
    .addColumn("alerts_enabled", t.bool, (c) => c.notNull())
    .addColumn("trade_enabled", t.bool, (c) => c.notNull())
    .addColumn("amount_usd", t.money)
    .addColumn("sl_pct", t.money)
    .addColumn("tp_pct", t.money)
    .addColumn("preset", "text")
    .addColumn("overrides", t.json, (c) => c.notNull())
    .addColumn("created_at", t.ms, (c) => c.notNull())
    .addColumn("updated_at", t.ms, (c) => c.notNull())
    .execute();

  await s
    .createTable("settings")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", t.json, (c) => c.notNull())
    .addColumn("updated_at", t.ms, (c) => c.notNull())
    .execute();

  await s
    .createTable("signals")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("symbol", "text", (c) => c.notNull())
    .addColumn("side", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("strategy", "text", (c) => c.notNull())
    .addColumn("price", t.money)
    .addColumn("candle_time", t.ms)
    .addColumn("received_at", t.ms, (c) => c.notNull())
    .addColumn("trace", t.json, (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("reason_code", "text")
    .addColumn("intent_id", "text")
    .execute();
  await s.createIndex("signals_inbox").on("signals").columns(["status", "received_at", "id"]).execute();
  await s.createIndex("signals_symbol").on("signals").columns(["symbol", "received_at"]).execute();

  await s
    .createTable("lots")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("symbol", "text", (c) => c.notNull())
    .addColumn("mode", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("protection", "text", (c) => c.notNull())
    .addColumn("entry_order_id", "text")
    .addColumn("entry_price", t.money)
    .addColumn("quantity", t.money, (c) => c.notNull())
    .addColumn("open_quantity", t.money, (c) => c.notNull())
    .addColumn("sl_price", t.money)
    .addColumn("tp_price", t.money)
    .addColumn("oco_list_id", "text")
    .addColumn("protect_deadline", t.ms)
    .addColumn("exit_reason", "text")
    .addColumn("realised_pnl", t.money, (c) => c.notNull())
    .addColumn("fees", t.money, (c) => c.notNull())
    .addColumn("opened_at", t.ms, (c) => c.notNull())
    .addColumn("closed_at", t.ms)
    .execute();
  await s.createIndex("lots_open").on("lots").columns(["status", "symbol", "opened_at"]).execute();
  await s.createIndex("lots_closed").on("lots").columns(["closed_at"]).execute();

  await s
    .createTable("intents")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("idempotency_key", "text", (c) => c.notNull().unique())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("symbol", "text", (c) => c.notNull())
    .addColumn("side", "text", (c) => c.notNull())
    .addColumn("mode", "text", (c) => c.notNull())
    .addColumn("amount_usd", t.money)
    .addColumn("quantity", t.money)
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("reason_code", "text")
    .addColumn("attempt", "integer", (c) => c.notNull())
    .addColumn("lot_id", "text", (c) => c.references("lots.id"))
    .addColumn("signal_id", "text", (c) => c.references("signals.id"))
    .addColumn("guard_trace", t.json, (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("created_at", t.ms, (c) => c.notNull())
    .addColumn("updated_at", t.ms, (c) => c.notNull())
    .execute();
  await s.createIndex("intents_status").on("intents").columns(["status", "created_at"]).execute();
  await s.createIndex("intents_symbol").on("intents").columns(["symbol", "created_at"]).execute();

  await s
    .createTable("orders")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("intent_id", "text", (c) => c.references("intents.id"))
    .addColumn("attempt", "integer")
    .addColumn("client_oid", "text", (c) => c.unique())
    .addColumn("exchange_order_id", "text", (c) => c.unique())
    .addColumn("list_id", "text")
    .addColumn("symbol", "text", (c) => c.notNull())
    .addColumn("side", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("parent_id", "text", (c) => c.references("orders.id"))
    .addColumn("lot_id", "text", (c) => c.references("lots.id"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("quantity", t.money)
    .addColumn("notional", t.money)
    .addColumn("price", t.money)
    .addColumn("ref_price", t.money)
    .addColumn("filled_quantity", t.money, (c) => c.notNull())
    .addColumn("avg_price", t.money)
    .addColumn("fee", t.money, (c) => c.notNull())
    .addColumn("fee_currency", "text")
    .addColumn("reason", "text")
    .addColumn("mode", "text", (c) => c.notNull())
    .addColumn("raw", t.json, (c) => c.notNull())
    .addColumn("external", t.bool, (c) => c.notNull())
    .addColumn("created_at", t.ms, (c) => c.notNull())
    .addColumn("updated_at", t.ms, (c) => c.notNull())
    .addColumn("exchange_time", t.ms)
    .execute();
  await s.createIndex("orders_intent").on("orders").columns(["intent_id", "attempt"]).execute();
  await s.createIndex("orders_list").on("orders").columns(["list_id"]).execute();
  await s.createIndex("orders_lot").on("orders").columns(["lot_id"]).execute();
  await s.createIndex("orders_status").on("orders").columns(["status", "symbol"]).execute();
  await s.createIndex("orders_created").on("orders").columns(["created_at", "id"]).execute();
  await s.createIndex("orders_symbol_created").on("orders").columns(["symbol", "created_at", "id"]).execute();

  await s
    .createTable("fills")
    .addColumn("trade_id", "text", (c) => c.primaryKey())
    .addColumn("order_id", "text", (c) => c.notNull())
    .addColumn("client_oid", "text")
    .addColumn("symbol", "text", (c) => c.notNull())
    .addColumn("side", "text", (c) => c.notNull())
    .addColumn("price", t.money, (c) => c.notNull())
    .addColumn("quantity", t.money, (c) => c.notNull())
    .addColumn("fee", t.money, (c) => c.notNull())
    .addColumn("fee_currency", "text")
    .addColumn("liquidity", "text")
    .addColumn("time", t.ms, (c) => c.notNull())
    .addColumn("mode", "text", (c) => c.notNull())
    .execute();
  await s.createIndex("fills_order").on("fills").columns(["order_id"]).execute();
  await s.createIndex("fills_symbol_time").on("fills").columns(["symbol", "time"]).execute();

  await s
    .createTable("diagnosis_reports")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("created_at", t.ms, (c) => c.notNull())
    .addColumn("trigger", "text", (c) => c.notNull())
    .addColumn("context", t.json, (c) => c.notNull())
    .addColumn("verdict", "text", (c) => c.notNull())
    .addColumn("top_cause", "text")
    .addColumn("report", t.json, (c) => c.notNull())
    .execute();
  await s.createIndex("diagnosis_reports_created").on("diagnosis_reports").columns(["created_at"]).execute();

  await s
    .createTable("auth_incidents")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("opened_at", t.ms, (c) => c.notNull())
    .addColumn("closed_at", t.ms)
    .addColumn("method", "text", (c) => c.notNull())
    .addColumn("code", "integer")
    .addColumn("category", "text", (c) => c.notNull())
    .addColumn("diagnosis_id", "text", (c) => c.references("diagnosis_reports.id"))
    .addColumn("probes", "integer", (c) => c.notNull())
    .addColumn("next_probe_at", t.ms)
    .execute();
  await s
    .createIndex("auth_incidents_open")
    .on("auth_incidents")
    .columns(["closed_at", "opened_at"])
    .execute();

  await withSequenceKey(s.createTable("events"), dialect, "seq")
    .addColumn("at", t.ms, (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("symbol", "text")
    .addColumn("payload", t.json, (c) => c.notNull())
    .execute();

  await withSequenceKey(s.createTable("outbox"), dialect, "id")
    .addColumn("dedup_key", "text", (c) => c.notNull().unique())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("payload", t.json, (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull())
    .addColumn("next_at", t.ms, (c) => c.notNull())
    .addColumn("sent_at", t.ms)
    .addColumn("created_at", t.ms, (c) => c.notNull())
    .execute();
  await s.createIndex("outbox_due").on("outbox").columns(["state", "next_at"]).execute();

  await withSequenceKey(s.createTable("audit_log"), dialect, "id")
    .addColumn("at", t.ms, (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("entity", "text", (c) => c.notNull())
    .addColumn("entity_id", "text", (c) => c.notNull())
    .addColumn("before", t.json, (c) => c.notNull())
    .addColumn("after", t.json, (c) => c.notNull())
    .execute();
  await s.createIndex("audit_log_entity").on("audit_log").columns(["entity", "entity_id", "id"]).execute();

  await s
    .createTable("throttle")
    .addColumn("symbol", "text", (c) => c.notNull())
    .addColumn("strategy", "text", (c) => c.notNull())
    .addColumn("side", "text", (c) => c.notNull())
    .addColumn("price", "text", (c) => c.notNull())
    .addColumn("at", t.ms, (c) => c.notNull())
    .addColumn("config_hash", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("throttle_pk", ["symbol", "strategy", "side"])
    .execute();

  await s
    .createTable("leadership")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("instance_id", "text", (c) => c.notNull())
    .addColumn("pid", "integer", (c) => c.notNull())
    .addColumn("host", "text", (c) => c.notNull())
    .addColumn("acquired_at", t.ms, (c) => c.notNull())
    .execute();
}

export const initial: Migration = { version: 1, name: "initial", up };
