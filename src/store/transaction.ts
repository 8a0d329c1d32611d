/**
 * One transaction on one connection: SQLite `BEGIN IMMEDIATE` (the write lock is taken at the start,
 * so a transaction that reads and then writes never fails half-way on a busy database; the wait is
 * bounded by busy_timeout), PostgreSQL `BEGIN` on a connection taken from the pool for the whole
 * transaction. Committed when `fn` resolves, rolled back when it throws (or when the commit fails).
 *
 * The SQLite driver has one connection behind a mutex, so every other query of this process waits
 * for the transaction to end: transactions are serial within a process on SQLite.
 */
import { sql } from "kysely";
import type { Db } from "./db.js";
import type { StoreDialect } from "./types.js";

export async function inTransaction<T>(
  db: Db,
  dialect: StoreDialect,
  fn: (conn: Db) => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql.raw(dialect === "sqlite" ? "begin immediate" : "begin").execute(conn);
    let result: T;
    try {
      result = await fn(conn);
      await sql.raw("commit").execute(conn);
    } catch (error) {
      await sql
        .raw("rollback")
        .execute(conn)
        .catch(() => undefined); // nothing to roll back when the commit itself ended the transaction
      throw error;
    }
    return result;
  });
}
