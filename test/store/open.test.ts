/**
 * Opening a store: which database a URL names, the SQLite settings durability rests on, the
 * PostgreSQL type parsers (per pool), the migrator (one history, the newer-schema refusal, two
 * processes starting together), and the errors an operator sees (typed, without passwords).
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { targetOf } from "../../src/store/connect.js";
import {
  SchemaTooNewError,
  StoreConfigError,
  StoreDataError,
  StoreUnavailableError,
} from "../../src/store/errors.js";
import { internalsOf } from "../../src/store/internals.js";
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from "../../src/store/migrations/index.js";
import type { Migration } from "../../src/store/migrations/types.js";
import { runMigrations } from "../../src/store/migrator.js";
import { openStore } from "../../src/store/open.js";
import { createPgSchema, DIALECTS, pgUrl, quietLogger, storeHome, testClock } from "./helpers.js";

const tmp = mkdtempSync(join(tmpdir(), "atp-open-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const open = (url: string | undefined, dataDir = join(tmp, "d")) =>
  openStore({ url, dataDir, logger: quietLogger(), now: testClock().now });

describe("which database", () => {
  it("no URL is SQLite at <dataDir>/atp.db; postgres:// and postgresql:// are PostgreSQL", () => {
    expect(targetOf(undefined, "/srv/atp")).toEqual({ dialect: "sqlite", file: "/srv/atp/atp.db" });
    expect(targetOf("  ", "rel")).toMatchObject({ dialect: "sqlite" });
    expect(targetOf("postgres://h/db", "x")).toEqual({ dialect: "postgres", url: "postgres://h/db" });
    expect(targetOf("PostgreSQL://h/db", "x")).toMatchObject({ dialect: "postgres" });
  });

  it("any other URL is a configuration error that names the variable and hides the password", () => {
    let err: unknown;
    try {
      targetOf("mysql://root:hunter2secret@db/atp", "x");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StoreConfigError);
    expect((err as Error).message).toMatch(/^DATABASE_URL: .*not a postgres:\/\/ or postgresql:\/\/ URL/);
    expect((err as Error).message).not.toContain("hunter2secret");
  });
});

describe("SQLite", () => {
  it("creates the data directory with mode 0700 and runs WAL, synchronous=FULL, foreign keys, busy timeout", async () => {
    const dir = join(tmp, "nested", "data");
    const store = await open(undefined, dir);
    try {
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(store.location).toBe(join(dir, "atp.db"));
      const { db } = internalsOf(store);
      const pragma = async (name: string) =>
        Object.values((await sql.raw(`pragma ${name}`).execute(db)).rows[0] as object)[0];
      expect(await pragma("journal_mode")).toBe("wal");
      expect(await pragma("synchronous")).toBe(2); // FULL
      expect(await pragma("foreign_keys")).toBe(1);
      expect(await pragma("busy_timeout")).toBe(5000);
    } finally {
      await store.close();
    }
  });

  it("a data directory that cannot be created is a configuration error naming it", async () => {
    const file = join(tmp, "a-file");
    writeFileSync(file, "x");
    await expect(open(undefined, join(file, "data"))).rejects.toThrow(
      new StoreConfigError(
        `data directory ${join(file, "data")}: cannot create it (ENOTDIR: not a directory, mkdir '${join(file, "data")}'); set ATP_DATA_DIR to a writable directory`,
      ),
    );
  });
});

describe("PostgreSQL connection", () => {
  it("an unreachable server is StoreUnavailableError naming the URL without its password", async () => {
    const err = await open("postgres://atp:topsecretpw@127.0.0.1:1/test").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect((err as Error).message).toMatch(
      /^cannot reach PostgreSQL at postgres:\/\/atp:<len=11 fp=[0-9a-f]+>@127\.0\.0\.1:1\/test: /,
    );
    expect((err as Error).message).not.toContain("topsecretpw");
  });

  it("a search_path naming no schema is a configuration error", async () => {
    const err = await open(pgUrl("atp_no_such_schema")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreConfigError);
    expect((err as Error).message).toMatch(/search_path names no existing schema/);
  });

  it("numeric stays exact text and int8 becomes a number only when safe, per pool (pg's globals untouched)", async () => {
    const home = await storeHome("postgres");
    try {
      const { db } = internalsOf(await home.open());
      const r = await sql<{
        n: string;
        t: number;
      }>`select 12345678901234567890.123456789::numeric as n, 1767322000000::int8 as t`.execute(db);
      expect(r.rows[0]).toEqual({ n: "12345678901234567890.123456789", t: 1767322000000 });
      await expect(sql`select 9007199254740993::int8 as big`.execute(db)).rejects.toBeInstanceOf(
        StoreDataError,
      );
      expect((await sql<{ ok: number }>`select 1::int8 as ok`.execute(db)).rows[0]?.ok).toBe(1); // the pool survived
      expect(pg.types.getTypeParser(20, "text")("9007199254740993")).toBe("9007199254740993");
    } finally {
      await home.dispose();
    }
  });
});

describe.each(DIALECTS)("migrations: %s", (dialect) => {
  it("refuses a database whose schema is newer than this atp knows, naming both versions", async () => {
    const home = await storeHome(dialect);
    try {
      const store = await home.open();
      await store.watchlist.upsert({ symbol: "KEEP_USD" });
      await internalsOf(store)
        .db.insertInto("schema_migrations")
        .values({ version: 7, name: "future", applied_at: 1 })
        .execute();
      await store.close();
      const err = await home.open().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SchemaTooNewError);
      expect((err as Error).message).toBe(
        `database schema version 7 is newer than this atp knows (up to ${LATEST_SCHEMA_VERSION}): upgrade atp, or restore a backup made by this version`,
      );
      expect(err).toMatchObject({
        found: 7,
        known: LATEST_SCHEMA_VERSION,
        errorCode: "store.schema_too_new",
      });
    } finally {
      await home.dispose();
    }
  });

  it("applies only the missing migrations, in order, in one transaction", async () => {
    const home = await storeHome(dialect);
    try {
      const store = await home.open();
      const { db } = internalsOf(store);
      const extra = (version: number, table: string, fail = false): Migration => ({
        version,
        name: table,
        async up(conn) {
          await conn.schema.createTable(table).addColumn("x", "text").execute();
          if (fail) throw new Error(`migration ${version} failed`);
        },
      });
      const known = MIGRATIONS.map((m) => m.version);
      const v = known.length; // the latest version this atp knows
      const now = home.clock.now;
      const more = (failLast = false) => [...MIGRATIONS, extra(v + 1, "m_a"), extra(v + 2, "m_b", failLast)];
      await expect(runMigrations(db, dialect, now, more(true))).rejects.toThrow(`migration ${v + 2} failed`);
      const versions = async () =>
        (await db.selectFrom("schema_migrations").select("version").orderBy("version").execute()).map(
          (r) => r.version,
        );
      expect(await versions()).toEqual(known); // v+1 rolled back with v+2
      const run = await runMigrations(db, dialect, now, more());
      expect(run).toEqual({ from: v, to: v + 2, applied: [`${v + 1}-m_a`, `${v + 2}-m_b`] });
      expect(await versions()).toEqual([...known, v + 1, v + 2]);
      expect(await runMigrations(db, dialect, now, more())).toEqual({ from: v + 2, to: v + 2, applied: [] });
      await expect(runMigrations(db, dialect, now, [extra(2, "gap")])).rejects.toThrow(/expected 1/);
    } finally {
      await home.dispose();
    }
  });
});

describe("PostgreSQL: processes starting together", () => {
  it("two stores opening a fresh schema at once migrate it once (advisory transaction lock)", async () => {
    const schema = await createPgSchema();
    try {
      const stores = await Promise.all([1, 2, 3].map(() => open(schema.url)));
      const rows = await internalsOf(stores[0]!).db.selectFrom("schema_migrations").selectAll().execute();
      expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
      for (const s of stores) await s.close();
    } finally {
      await schema.drop();
    }
  });
});
