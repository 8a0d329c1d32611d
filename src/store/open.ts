/**
 * `openStore`: the one way to get a `Store`. Picks the dialect from the URL (none → SQLite at
 * `<dataDir>/atp.db`; `postgres://` or `postgresql://` → PostgreSQL), opens it, runs the migrations
 * (refusing a schema newer than this atp knows), and returns the store. Every failure is a typed
 * store error (errors.ts) whose message names the database without user info; the CLI maps them to
 * exit 2.
 */
import { sql } from "kysely";
import type { Logger } from "../log/logger.js";
import { systemTime, type TimeSource } from "../util/clock.js";
import { Checkpointer, type CheckpointPolicy, DEFAULT_CHECKPOINT_POLICY } from "./checkpoint.js";
import { type DbConnection, openPostgres, openSqlite, targetOf } from "./connect.js";
import { setInternals } from "./internals.js";
import { runMigrations } from "./migrator.js";
import { buildStore } from "./store.js";
import type { Store } from "./types.js";
import { WriteCounter } from "./write-counter.js";

export interface OpenStoreOptions {
  /** DATABASE_URL: a postgres:// URL, or undefined/empty for SQLite. */
  url?: string | undefined;
  /** ATP_DATA_DIR (default ./data, resolved by the caller): where the SQLite file lives. */
  dataDir: string;
  logger: Logger;
  /** The clock of every timestamp the store writes when the caller gives none. */
  now: () => number;
  /** SQLite's checkpoints (checkpoint.ts): their timers (default the system's) and policy. */
  checkpoint?: { time?: TimeSource; policy?: Partial<CheckpointPolicy> } | undefined;
}

export async function openStore(opts: OpenStoreOptions): Promise<Store> {
  const target = targetOf(opts.url, opts.dataDir);
  const opened: DbConnection =
    target.dialect === "sqlite"
      ? openSqlite(target.file, opts.dataDir, opts.logger)
      : await openPostgres(target.url, opts.logger);
  // every write after the migrations is counted (Store.writeVersion); one pool either way
  let checkpointer: Checkpointer | undefined;
  const writes = new WriteCounter(() => checkpointer?.wrote());
  const connection: DbConnection = { ...opened, db: opened.db.withPlugin(writes.plugin) };
  if (connection.dialect === "sqlite")
    checkpointer = new Checkpointer(
      async () => {
        await sql.raw("pragma wal_checkpoint(PASSIVE)").execute(connection.db);
      },
      opts.checkpoint?.time ?? systemTime,
      opts.logger,
      { ...DEFAULT_CHECKPOINT_POLICY, ...opts.checkpoint?.policy },
    );
  let run: Awaited<ReturnType<typeof runMigrations>>;
  try {
    run = await runMigrations(connection.db, connection.dialect, opts.now);
  } catch (e) {
    await closeConnection(connection).catch(() => undefined);
    throw e;
  }
  if (run.applied.length > 0)
    opts.logger.info(
      { location: connection.location, from: run.from, to: run.to, applied: run.applied },
      "store migrated",
    );
  const store = buildStore({
    connection,
    schemaVersion: run.to,
    now: opts.now,
    close: async () => {
      await checkpointer?.stop();
      await closeConnection(connection);
    },
    writes,
  });
  setInternals(store, { ...connection, logger: opts.logger, now: opts.now, checkpointer });
  return store;
}

async function closeConnection(connection: DbConnection): Promise<void> {
  await connection.db.destroy();
}
