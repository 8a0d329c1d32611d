/**
 * Column types of the one migration history, chosen per dialect. A migration names what a column
 * holds (money, a time, JSON, a flag); these helpers pick the type that holds it exactly:
 *
 * | holds            | SQLite                              | PostgreSQL                          |
 * |------------------|-------------------------------------|-------------------------------------|
 * | money (decimal)  | TEXT (decimal text, never REAL)     | NUMERIC (unconstrained: exact)      |
 * | time (ms)        | INTEGER                             | BIGINT                              |
 * | JSON             | TEXT                                | TEXT                                |
 * | flag             | INTEGER (1/0)                       | BOOLEAN                             |
 * | sequence key     | INTEGER PRIMARY KEY AUTOINCREMENT   | BIGINT GENERATED ALWAYS AS IDENTITY |
 *
 * Invariant: no migration writes a dialect-specific type by hand; it asks here.
 */
import type { ColumnDefinitionBuilder, CreateTableBuilder } from "kysely";
import type { StoreDialect } from "./types.js";

export type ColumnType = "text" | "numeric" | "integer" | "bigint" | "boolean";

export interface ColumnTypes {
  money: ColumnType;
  ms: ColumnType;
  json: ColumnType;
  bool: ColumnType;
}

export function columnTypes(dialect: StoreDialect): ColumnTypes {
  return dialect === "postgres"
    ? { money: "numeric", ms: "bigint", json: "text", bool: "boolean" }
    : { money: "text", ms: "integer", json: "text", bool: "integer" };
}

/** Adds an auto-incrementing primary key column (events.seq, outbox.id, audit_log.id). */
export function withSequenceKey<T extends string, C extends string>(
  table: CreateTableBuilder<T, C>,
  dialect: StoreDialect,
  name: string,
): CreateTableBuilder<T, C> {
  return dialect === "postgres"
    ? table.addColumn(name, "bigint", (c: ColumnDefinitionBuilder) =>
        c.primaryKey().generatedAlwaysAsIdentity(),
      )
    : table.addColumn(name, "integer", (c: ColumnDefinitionBuilder) => c.primaryKey().autoIncrement());
}
