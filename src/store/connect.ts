/**
 * Opening the database of each dialect, with the settings the store's guarantees rest on.
 *
 * SQLite (`better-sqlite3`): `journal_mode=WAL` (readers, e.g. `atp orders`, never block the
 * engine's writes and vice versa), `synchronous=FULL` (every commit is fsynced before it returns: an
 * intent or attempt row is on disk before the request it leads to leaves), `busy_timeout=5000`,
 * `foreign_keys=ON`, `wal_autocheckpoint=0` (the store checkpoints off the trading path:
 * checkpoint.ts). The data directory is created with mode 0700. Prepared statements are kept in
 * a bounded cache (`SQLITE_STATEMENT_CACHE` texts, the oldest dropped): Kysely prepares every
 * query again otherwise; a cached statement still being iterated is never handed out twice.
 *
 * PostgreSQL (`pg`): one pool per store, with its own type parsers (never pg's global ones):
 * NUMERIC stays decimal text, INT8 becomes a number only when it is a safe integer (ms timestamps,
 * counts, sequences) — anything larger is refused rather than rounded. Commits are durable with the
 * server's default `synchronous_commit=on`. The schema is whatever `search_path` names (a
 * connection option), and it must exist.
 */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, sql } from "kysely";
import type pg from "pg";
import type { Logger } from "../log/logger.js";
import { displayUrl } from "../util/url.js";
import type { Db } from "./db.js";
import { StoreConfigError, StoreDataError, StoreUnavailableError } from "./errors.js";
import { pgDriver } from "./pg-driver.js";
import type { StoreDialect } from "./types.js";

export const SQLITE_FILE = "atp.db";
export const BUSY_TIMEOUT_MS = 5000;

export type Target = { dialect: "sqlite"; file: string } | { dialect: "postgres"; url: string };

export interface DbConnection {
  db: Db;
  dialect: StoreDialect;
  target: Target;
  /** Where the data lives, without user info. */
  location: string;
}

/** Which database a URL (or its absence) names. */
export function targetOf(url: string | undefined, dataDir: string): Target {
  const u = url?.trim() ?? "";
  if (u === "") return { dialect: "sqlite", file: resolve(join(dataDir, SQLITE_FILE)) };
  if (/^postgres(ql)?:\/\//i.test(u)) return { dialect: "postgres", url: u };
  throw new StoreConfigError(
    `DATABASE_URL: ${JSON.stringify(displayUrl(u))} is not a postgres:// or postgresql:// URL; leave it unset to use SQLite in the data directory`,
  );
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n))
    throw new StoreDataError("bigint column", `${text} is beyond the safe integer range`);
  return n;
}

/** The pool's type parsers: numeric as text, int8 as a safe number, everything else as pg does. */
export const PG_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if (format === undefined || format === "text") {
      if (oid === INT8_OID) return parseInt8;
      if (oid === NUMERIC_OID) return (text: string) => text;
    }
    return pgDriver().types.getTypeParser(oid, format as "text");
  }) as pg.CustomTypesConfig["getTypeParser"],
};

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** How many distinct SQL texts keep their prepared statement (the store issues a few dozen). */
export const SQLITE_STATEMENT_CACHE = 256;

/**
 * `database` as Kysely sees it, with a bounded cache of prepared statements by SQL text: a hit is
 * one lookup; when the cache is full the oldest text is dropped (the store's few dozen texts never
 * fill it; a caller building endless distinct texts only costs re-preparing).
 */
export function cachedStatements(database: Database.Database, max = SQLITE_STATEMENT_CACHE) {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => database.close(),
    prepare(text: string): Database.Statement {
      const hit = cache.get(text);
      if (hit && !hit.busy) return hit;
      const stmt = database.prepare(text);
      if (hit) return stmt; // the cached one is mid-iteration: a private statement for this use
      cache.set(text, stmt);
      if (cache.size > max) cache.delete(cache.keys().next().value as string);
      return stmt;
    },
  };
}

export function openSqlite(file: string, dataDir: string, log: Logger): DbConnection {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new StoreConfigError(
      `data directory ${dataDir}: cannot create it (${message(e)}); set ATP_DATA_DIR to a writable directory`,
    );
  }
  let database: Database.Database;
  try {
    database = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    const mode = database.pragma("journal_mode = WAL", { simple: true });
    if (String(mode).toLowerCase() !== "wal")
      log.warn({ file, mode }, "SQLite did not switch to WAL journal mode");
    database.pragma("synchronous = FULL");
    database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    database.pragma("foreign_keys = ON");
    database.pragma("wal_autocheckpoint = 0"); // checkpoints run off the trading path (checkpoint.ts)
  } catch (e) {
    throw new StoreUnavailableError(`cannot open the SQLite database ${file}: ${message(e)}`, { cause: e });
  }
  const db = new Kysely({ dialect: new SqliteDialect({ database: cachedStatements(database) }) }) as Db;
  return {
    db,
    dialect: "sqlite",
    target: { dialect: "sqlite", file },
    location: file,
  };
}

/** A pg client config for `url` (used by the pool and by the leader's dedicated connection). */
export function pgConfig(url: string): pg.ClientConfig {
  return {
    connectionString: url,
    types: PG_TYPES,
    application_name: "atp",
    keepAlive: true,
    connectionTimeoutMillis: 10_000,
  };
}

export async function openPostgres(url: string, log: Logger): Promise<DbConnection> {
  const shown = displayUrl(url);
  const pool = new (pgDriver().Pool)({ ...pgConfig(url), max: 10 });
  // an idle client losing its connection must not end the process: the next query reports it
  pool.on("error", (e) => log.warn({ err: message(e), url: shown }, "PostgreSQL pool connection lost"));
  const db = new Kysely({ dialect: new PostgresDialect({ pool }) }) as Db;
  let schema: string | null;
  try {
    const r = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
    schema = r.rows[0]?.schema ?? null;
  } catch (e) {
    await db.destroy().catch(() => undefined);
    throw new StoreUnavailableError(
      `cannot reach PostgreSQL at ${shown}: ${displayUrl(message(e))} (is the server running? pg_isready -h <host> tells)`,
      { cause: e },
    );
  }
  if (schema === null) {
    await db.destroy().catch(() => undefined);
    throw new StoreConfigError(
      `DATABASE_URL ${shown}: its search_path names no existing schema; create the schema first (CREATE SCHEMA …)`,
    );
  }
  return { db, dialect: "postgres", target: { dialect: "postgres", url }, location: shown };
}
