/**
 * Store test fixtures for both dialects. SQLite: a fresh temporary directory per store. PostgreSQL:
 * 127.0.0.1:5432, trust auth, user postgres, database `test`; every store gets its own schema
 * (random suffix) named by `search_path` in the connection options, dropped afterwards, so parallel
 * runs never collide. PostgreSQL not reachable is a FAILURE saying how to start it, never a skip.
 */

import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { createLogger } from "../../src/log/logger.js";
import { internalsOf } from "../../src/store/internals.js";
import { openStore } from "../../src/store/open.js";
import type { Store, StoreDialect } from "../../src/store/types.js";

export const PG_BASE_URL = process.env.ATP_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export const quietLogger = () => createLogger({ level: "silent", pretty: false });

/** A settable clock (tests never read the wall clock for stored times). */
export function testClock(start = Date.UTC(2026, 0, 2, 3, 4, 5)) {
  let t = start;
  return {
    now: () => t,
    set: (ms: number) => {
      t = ms;
    },
    advance: (ms: number) => {
      t += ms;
    },
  };
}

export function pgUrl(schema: string): string {
  return `${PG_BASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_BASE_URL, connectionTimeoutMillis: 5000 });
  try {
    await c.connect();
  } catch (e) {
    throw new Error(
      `PostgreSQL is not reachable at ${PG_BASE_URL} (${e instanceof Error ? e.message : String(e)}). ` +
        "The store's PostgreSQL tests need it: start it with " +
        "`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` (.ci/run does this in CI), " +
        "or point ATP_TEST_PG_URL at a server with trust auth and a database `test`.",
    );
  }
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A new empty schema; `drop()` removes it with everything in it. */
export async function createPgSchema(): Promise<{ schema: string; url: string; drop(): Promise<void> }> {
  const schema = `atp_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  await admin((c) => c.query(`create schema ${schema}`));
  return {
    schema,
    url: pgUrl(schema),
    drop: () => admin((c) => c.query(`drop schema if exists ${schema} cascade`)).then(() => undefined),
  };
}

/** Runs SQL as the admin connection (terminating backends, inspecting locks). */
export function pgAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  return admin(fn);
}

/** Where a store of a dialect lives: `open()` opens (or reopens) a store on it; `dispose()` removes it. */
export interface StoreHome {
  dialect: StoreDialect;
  url: string | undefined;
  dataDir: string;
  clock: ReturnType<typeof testClock>;
  open(): Promise<Store>;
  dispose(): Promise<void>;
}

export async function storeHome(dialect: StoreDialect): Promise<StoreHome> {
  const clock = testClock();
  const dataDir = mkdtempSync(join(tmpdir(), "atp-store-"));
  const pgSchema = dialect === "postgres" ? await createPgSchema() : undefined;
  const opened: Store[] = [];
  return {
    dialect,
    url: pgSchema?.url,
    dataDir,
    clock,
    async open() {
      const store = await openStore({ url: pgSchema?.url, dataDir, logger: quietLogger(), now: clock.now });
      opened.push(store);
      return store;
    },
    async dispose() {
      for (const s of opened) await s.close();
      await pgSchema?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const DIALECTS: StoreDialect[] = ["sqlite", "postgres"];

const TABLES_CHILD_FIRST = [
  "fills",
  "orders",
  "intents",
  "signals",
  "lots",
  "auth_incidents",
  "diagnosis_reports",
  "events",
  "outbox",
  "audit_log",
  "throttle",
  "settings",
  "watchlist",
  "leadership",
] as const;

/** Empties every table (between the tests of one store). */
export async function resetStore(store: Store): Promise<void> {
  const { db } = internalsOf(store);
  for (const t of TABLES_CHILD_FIRST) await db.deleteFrom(t).execute();
}

/**
 * A store of `dialect` for one describe block: opened before its tests, emptied before each test,
 * removed after them. Read `home` and `store` inside the tests (they exist once `beforeAll` ran).
 */
export function storePerSuite(dialect: StoreDialect): { readonly home: StoreHome; readonly store: Store } {
  let home: StoreHome | undefined;
  let store: Store | undefined;
  beforeAll(async () => {
    home = await storeHome(dialect);
    store = await home.open();
  });
  afterAll(async () => {
    await home?.dispose();
  });
  beforeEach(async () => {
    if (store) await resetStore(store);
  });
  const opened = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error("storePerSuite: read home and store inside a test");
    return v;
  };
  return {
    get home() {
      return opened(home);
    },
    get store() {
      return opened(store);
    },
  };
}
