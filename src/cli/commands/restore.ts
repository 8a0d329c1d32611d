/**
 * `atp restore FILE`: puts a backup made by `atp backup` in place of the SQLite store.
 *
 * Invariants:
 * - Refuses (exit 2, nothing changed) while an engine holds the store: it takes the same
 *   exclusive `<atp.db>.lock` an `atp start` takes (store/leader.ts) and keeps it until done, so
 *   no engine can start halfway.
 * - Refuses a FILE that is not an atp store, fails `integrity_check`, or has a schema version
 *   newer than this atp knows (an older one is migrated at the next start).
 * - The old store is kept aside as `atp.db.before-restore-<UTC time>` in ATP_DATA_DIR or --aside DIR
 *   (a consistent copy, its WAL included), never deleted; the new file arrives by rename (never a half-written store).
 * - PostgreSQL: prints the pg_restore commands and exits 2.
 */
import { existsSync, renameSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { invalidConfigText, loadConfig } from "../../config/load.js";
import { SQLITE_FILE } from "../../store/connect.js";
import { LATEST_SCHEMA_VERSION } from "../../store/migrations/index.js";
import { defineCommand, option } from "../define-command.js";
import { copyStoreFile, inspectStoreFile, PG_DUMP_HELP } from "./backup.js";

export const command = defineCommand({
  name: "restore",
  summary: "Replace the SQLite store with a backup (refused while atp runs; the old store is kept aside)",
  notes:
    "Exit codes: 0 restored, 2 refused (atp running, not a store, schema too new) or configuration error.",
  options: {
    aside: option.string("directory for the copy of the current store (default: ATP_DATA_DIR)", {
      value: "DIR",
    }),
  },
  positionals: [{ name: "FILE", help: "a backup written by `atp backup`" }],
  run: (values, ctx) => run(ctx.positionals[0]!, values.aside),
});

/** The engine's exclusive lock (store/leader.ts), or undefined when another process holds it. */
function takeStoreLock(file: string): Database.Database | undefined {
  let lock: Database.Database | undefined;
  try {
    lock = new Database(`${file}.lock`, { timeout: 0 });
    lock.pragma("locking_mode = EXCLUSIVE");
    lock.exec(
      "BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS holder (pid INTEGER, at INTEGER); DELETE FROM holder;",
    );
    lock.prepare("INSERT INTO holder VALUES (?, ?)").run(process.pid, Date.now());
    lock.exec("COMMIT");
    return lock;
  } catch (e) {
    lock?.close();
    const code = (e as { code?: unknown }).code;
    if (code === "SQLITE_BUSY" || code === "SQLITE_LOCKED") return undefined;
    throw e;
  }
}

function stamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
}

async function run(given: string, asideDir: string | undefined): Promise<number> {
  const fail = (text: string) => {
    process.stderr.write(`atp restore: ${text}\n`);
    return 2;
  };
  const report = loadConfig();
  const invalid = invalidConfigText(report);
  if (invalid) return fail(invalid.trimEnd());
  if (report.config.databaseUrl) return fail(PG_DUMP_HELP);
  const source = resolve(given);
  let facts: ReturnType<typeof inspectStoreFile>;
  try {
    facts = inspectStoreFile(source);
  } catch (e) {
    return fail(`${source}: ${(e as Error).message}`);
  }
  if (facts.integrity !== "ok") return fail(`${source} fails its integrity check: ${facts.integrity}`);
  if (facts.schemaVersion > LATEST_SCHEMA_VERSION) {
    return fail(
      `${source} has schema version ${facts.schemaVersion}; this atp knows up to ${LATEST_SCHEMA_VERSION}: upgrade atp first`,
    );
  }
  const dataDir = resolve(report.config.dataDir);
  const file = join(dataDir, SQLITE_FILE);
  const lock = takeStoreLock(file);
  if (!lock)
    return fail(`the store ${file} is in use by a running atp (atp start): stop it first, then restore`);
  try {
    const incoming = `${file}.restoring`;
    await copyStoreFile(source, incoming);
    let aside: string | undefined;
    if (existsSync(file)) {
      aside = join(resolve(asideDir ?? dataDir), `${SQLITE_FILE}.before-restore-${stamp(Date.now())}`);
      await copyStoreFile(file, aside);
      for (const suffix of ["-wal", "-shm"]) rmSync(`${file}${suffix}`, { force: true });
    }
    renameSync(incoming, file);
    process.stdout.write(
      `atp restore: restored ${source} to ${file} (schema version ${facts.schemaVersion}, ${facts.orders} orders)` +
        `${aside ? `; the previous store is kept at ${aside}` : ""}\n` +
        (facts.schemaVersion < LATEST_SCHEMA_VERSION
          ? `the next atp start migrates it from version ${facts.schemaVersion} to ${LATEST_SCHEMA_VERSION}\n`
          : ""),
    );
    return 0;
  } finally {
    lock.close();
  }
}
