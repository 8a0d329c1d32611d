/**
 * The migrator: brings a database to the latest schema of the one migration history, at open.
 *
 * Invariants:
 * - All of it runs in ONE transaction: the versions table, the version check and every missing
 *   migration commit together or not at all (both dialects have transactional DDL).
 * - PostgreSQL: the transaction first takes `pg_advisory_xact_lock(<migration class>, <schema>)`, so
 *   two processes starting together never both migrate; the second waits, then finds nothing to do.
 *   SQLite: `BEGIN IMMEDIATE` serialises the same way.
 * - A database whose version is above the highest known migration is refused with
 *   `SchemaTooNewError` (found and known versions in the message) before anything is written.
 */
import { sql } from "kysely";
import type { Db } from "./db.js";
import { SchemaTooNewError } from "./errors.js";
import { MIGRATIONS } from "./migrations/index.js";
import type { Migration } from "./migrations/types.js";
import { inTransaction } from "./transaction.js";
import type { StoreDialect } from "./types.js";

/** First key of the migration advisory lock ("atpm"); the second is the schema's hash. */
export const MIGRATION_LOCK_CLASS = 0x6174706d;

export interface MigrationRun {
  from: number;
  to: number;
  applied: string[];
}

export async function runMigrations(
  db: Db,
  dialect: StoreDialect,
  now: () => number,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrationRun> {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`migration ${m.name} has version ${m.version}, expected ${i + 1}`);
  });
  const known = migrations.length;
  return inTransaction(db, dialect, "now", async (conn) => {
    if (dialect === "postgres") {
      await sql`select pg_advisory_xact_lock(${sql.lit(MIGRATION_LOCK_CLASS)}, hashtext(current_schema()))`.execute(
        conn,
      );
    }
    await conn.schema
      .createTable("schema_migrations")
      .ifNotExists()
      .addColumn("version", "integer", (c) => c.primaryKey())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("applied_at", dialect === "postgres" ? "bigint" : "integer", (c) => c.notNull())
      .execute();
    const row = await conn
      .selectFrom("schema_migrations")
      .select((eb) => eb.fn.max("version").as("v"))
      .executeTakeFirst();
    const from = row?.v === null || row?.v === undefined ? 0 : Number(row.v);
    if (from > known) throw new SchemaTooNewError(from, known);
    const applied: string[] = [];
    for (const m of migrations.slice(from)) {
      await m.up(conn as unknown as Parameters<Migration["up"]>[0], dialect);
      await conn
        .insertInto("schema_migrations")
        .values({ version: m.version, name: m.name, applied_at: now() })
        .execute();
      applied.push(`${m.version}-${m.name}`);
    }
    return { from, to: Math.max(from, known), applied };
  });
}
