/**
 * One transaction on one connection: SQLite `BEGIN IMMEDIATE` (the write lock is taken at the start,
 * so a transaction that reads and then writes never fails half-way on a busy database; the wait is
 * bounded by busy_timeout), PostgreSQL `BEGIN` on a connection taken from the pool for the whole
 * transaction. Committed when `fn` resolves, rolled back when it throws (or when the commit fails).
 *
 * `durability: "with-next"` (types.ts TransactionOptions): SQLite `synchronous=NORMAL` for this
 * commit only, PostgreSQL `SET LOCAL synchronous_commit = off`.
 *
 * The SQLite driver has one connection behind a mutex, so every other query of this process waits
 * for the transaction to end: transactions are serial within a process on SQLite.
 */
import { CompiledQuery } from "kysely";
import type { Db } from "./db.js";
import type { StoreDialect, TransactionOptions } from "./types.js";

/** The transaction's own statements, compiled once (raw SQL: not parsed, written as is). */
const STATEMENTS = {
  beginSqlite: CompiledQuery.raw("begin immediate"),
  beginPostgres: CompiledQuery.raw("begin"),
  commit: CompiledQuery.raw("commit"),
  rollback: CompiledQuery.raw("rollback"),
  deferPostgres: CompiledQuery.raw("set local synchronous_commit = off"),
  deferSqlite: CompiledQuery.raw("pragma synchronous = NORMAL"),
  durableSqlite: CompiledQuery.raw("pragma synchronous = FULL"),
} as const;

export async function inTransaction<T>(
  db: Db,
  dialect: StoreDialect,
  durability: NonNullable<TransactionOptions["durability"]>,
  fn: (conn: Db) => Promise<T>,
): Promise<T> {
  const deferred = durability === "with-next";
  return db.connection().execute(async (conn) => {
    // SQLite: the connection's synchronous level for this one commit (NORMAL: no WAL fsync of its
    // own; the next FULL commit's fsync covers its frames), set back to FULL whatever happens
    if (deferred && dialect === "sqlite") await conn.executeQuery(STATEMENTS.deferSqlite);
    try {
      await conn.executeQuery(dialect === "sqlite" ? STATEMENTS.beginSqlite : STATEMENTS.beginPostgres);
      if (deferred && dialect === "postgres") await conn.executeQuery(STATEMENTS.deferPostgres);
      let result: T;
      try {
        result = await fn(conn);
        await conn.executeQuery(STATEMENTS.commit);
      } catch (error) {
        // nothing to roll back when the commit itself ended the transaction
        await conn.executeQuery(STATEMENTS.rollback).catch(() => undefined);
        throw error;
      }
      return result;
    } finally {
      if (deferred && dialect === "sqlite") await conn.executeQuery(STATEMENTS.durableSqlite);
    }
  });
}
