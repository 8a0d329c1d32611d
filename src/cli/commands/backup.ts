/**
 * `atp backup [--out FILE]`: an online, consistent copy of the SQLite store while atp runs, made
 * with SQLite's backup API (better-sqlite3 `db.backup()`: page by page, restarted when a writer
 * changes a page, so the copy is one committed state; WAL readers never block the engine), then
 * checked (integrity_check, schema version). Default FILE: <ATP_DATA_DIR>/backups/atp-<UTC time>.db.
 * PostgreSQL (DATABASE_URL set): prints the pg_dump / pg_restore commands (docs/operations.md) and
 * exits 2; atp does not wrap pg_dump.
 *
 * Invariants: never writes to the store; the backup file is created with mode 0600 inside a
 * 0700 directory; the password of DATABASE_URL is never printed.
 */
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import Database from "better-sqlite3";
import { invalidConfigText, loadConfig } from "../../config/load.js";
import { SQLITE_FILE } from "../../store/connect.js";
import { LATEST_SCHEMA_VERSION } from "../../store/migrations/index.js";
import { defineCommand, type OptionValues, option } from "../define-command.js";

/** What a store file holds, read without writing to it. */
export interface StoreFileFacts {
  schemaVersion: number;
  orders: number;
  integrity: string;
}

/** Reads `file`'s schema version, order count and integrity (throws when it is not an atp store). */
export function inspectStoreFile(file: string): StoreFileFacts {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = String(db.pragma("integrity_check", { simple: true }));
    const tables = new Set(
      (db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map(
        (r) => r.name,
      ),
    );
    if (!tables.has("schema_migrations"))
      throw new Error(`${file} is not an atp store (no schema_migrations table)`);
    const v = db.prepare("select max(version) as v from schema_migrations").get() as { v: number | null };
    const orders = tables.has("orders")
      ? (db.prepare("select count(*) as n from orders").get() as { n: number }).n
      : 0;
    return { schemaVersion: v.v ?? 0, orders, integrity };
  } finally {
    db.close();
  }
}

/** Copies the database at `from` to `to` consistently (SQLite backup API), via a temp file. */
export async function copyStoreFile(from: string, to: string): Promise<void> {
  mkdirSync(dirname(to), { recursive: true, mode: 0o700 });
  const tmp = `${to}.partial`;
  rmSync(tmp, { force: true });
  const src = new Database(from, { readonly: true, fileMustExist: true });
  try {
    await src.backup(tmp);
  } finally {
    src.close();
  }
  chmodSync(tmp, 0o600);
  renameSync(tmp, to);
}

export const PG_DUMP_HELP = [
  "PostgreSQL (DATABASE_URL is set): back up with pg_dump while atp runs (a consistent snapshot):",
  '  pg_dump --format=custom --file atp-$(date -u +%Y%m%dT%H%M%SZ).dump "$DATABASE_URL"',
  "restore with every atp stopped (the schema version is checked at the next start):",
  '  pg_restore --clean --if-exists --no-owner --dbname "$DATABASE_URL" atp-….dump',
  "See docs/operations.md#backup-and-restore.",
].join("\n");

const options = {
  out: option.string("where to write the backup (default <ATP_DATA_DIR>/backups/atp-<UTC time>.db)", {
    value: "FILE",
  }),
};

export const command = defineCommand({
  name: "backup",
  summary: "Copy the SQLite store consistently while atp runs (PostgreSQL: prints the pg_dump commands)",
  notes: "Exit codes: 0 written and checked, 1 the copy failed its check, 2 configuration or file error.",
  options,
  run,
});

function stamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
}

async function run(values: OptionValues<typeof options>): Promise<number> {
  const report = loadConfig();
  const invalid = invalidConfigText(report);
  if (invalid) {
    process.stderr.write(`atp backup: ${invalid}`);
    return 2;
  }
  if (report.config.databaseUrl) {
    process.stderr.write(`atp backup: ${PG_DUMP_HELP}\n`);
    return 2;
  }
  const dataDir = resolve(report.config.dataDir);
  const file = join(dataDir, SQLITE_FILE);
  if (!existsSync(file)) {
    process.stderr.write(
      `atp backup: no store at ${file} (ATP_DATA_DIR=${report.config.dataDir}); nothing to back up\n`,
    );
    return 2;
  }
  const out = resolve(values.out ?? join(dataDir, "backups", `atp-${stamp(Date.now())}.db`));
  if (existsSync(out)) {
    process.stderr.write(`atp backup: ${out} exists; pick another --out (a backup never overwrites)\n`);
    return 2;
  }
  try {
    await copyStoreFile(file, out);
  } catch (e) {
    process.stderr.write(`atp backup: cannot copy ${file} to ${out}: ${(e as Error).message}\n`);
    return 2;
  }
  const facts = inspectStoreFile(out);
  if (facts.integrity !== "ok") {
    process.stderr.write(`atp backup: the copy at ${out} fails its integrity check: ${facts.integrity}\n`);
    return 1;
  }
  process.stdout.write(
    `atp backup: wrote ${out} (${statSync(out).size} bytes, schema version ${facts.schemaVersion} of ${LATEST_SCHEMA_VERSION}, ${facts.orders} orders)\n`,
  );
  return 0;
}
