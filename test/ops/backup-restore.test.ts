/**
 * `atp backup` / `atp restore` on the SQLite store (in process, runMain): a backup taken while the
 * store is open and written to, restored, holds every order; restore refuses while an engine holds
 * the store's lock, refuses a file that is not a store or has a newer schema, and keeps the old
 * store aside. PostgreSQL: both print the pg_dump path and exit 2.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Order as ExchangeOrder } from "../../src/exchange/types.js";
import { createLogger } from "../../src/log/logger.js";
import { acquireLeadership } from "../../src/store/leader.js";
import { openStore } from "../../src/store/open.js";
import type { Store } from "../../src/store/types.js";
import { dec } from "../../src/util/decimal.js";
import { exchangeOrder } from "../helpers/exchange-order.js";
import { runMain } from "../helpers/in-process.js";

let dir: string;
const logger = createLogger({ level: "silent", pretty: false });
const open = () => openStore({ dataDir: join(dir, "data"), logger, now: () => 1_750_000_000_000 });
const env = () => ({ ATP_DATA_DIR: join(dir, "data") });

function order(i: number): ExchangeOrder {
  return exchangeOrder({
    orderId: String(6_000_000_000_000_000_000n + BigInt(i)),
    clientOid: `atp-backup-${i}`,
    quantity: dec("0.00011119"),
    price: dec(`${50_000 + i}.5`),
    createTime: 1_000 + i,
    updateTime: 1_000 + i,
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "atp-backup-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("atp backup / atp restore (SQLite)", () => {
  const backup = () => join(dir, "atp-backup.db");

  it("backs up online (the store open and written to) and restores every order; the old store is kept aside", async () => {
    const store: Store = await open();
    for (let i = 0; i < 40; i++) await store.orders.applyExchange(order(i));
    const b = await runMain(["backup", "--out", backup()], { env: env() });
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toMatch(/wrote .*atp-backup\.db \(\d+ bytes, schema version \d+ of \d+, 40 orders\)/);
    // written after the backup: must be gone after the restore
    await store.orders.applyExchange(order(99));
    await store.close();

    const again = await runMain(["backup", "--out", backup()], { env: env() });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists/);

    const r = await runMain(["restore", backup()], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/40 orders/);
    const aside = readdirSync(join(dir, "data")).filter((f) => f.startsWith("atp.db.before-restore-"));
    expect(aside).toHaveLength(1);

    const restored = await open();
    try {
      for (let i = 0; i < 40; i++) {
        const o = await restored.orders.findByClientOid(`atp-backup-${i}`);
        expect(o?.price?.toFixed()).toBe(`${50_000 + i}.5`);
        expect(o?.quantity?.toFixed()).toBe("0.00011119");
      }
      expect(await restored.orders.findByClientOid("atp-backup-99")).toBeUndefined();
    } finally {
      await restored.close();
    }
    const old = new Database(join(dir, "data", aside[0]!), { readonly: true });
    expect((old.prepare("select count(*) as n from orders").get() as { n: number }).n).toBe(41);
    old.close();
  });

  it("refuses to restore while an engine holds the store, and changes nothing", async () => {
    const store = await open();
    const lead = await acquireLeadership(store, { instanceId: "engine-under-test", onLost: () => undefined });
    try {
      const before = readdirSync(join(dir, "data")).sort();
      const r = await runMain(["restore", backup()], { env: env() });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/in use by a running atp/);
      expect(readdirSync(join(dir, "data")).sort()).toEqual(before);
    } finally {
      await lead.release();
      await store.close();
    }
  });

  it("refuses a file that is not an atp store, and one with a newer schema", async () => {
    const junk = join(dir, "junk.db");
    writeFileSync(junk, "not a database at all, just text");
    const a = await runMain(["restore", junk], { env: env() });
    expect(a.code).toBe(2);
    const newer = join(dir, "newer.db");
    const db = new Database(newer);
    db.exec("create table schema_migrations (version integer primary key, name text, applied_at integer)");
    db.prepare("insert into schema_migrations values (99, 'future', 0)").run();
    db.close();
    const b = await runMain(["restore", newer], { env: env() });
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/schema version 99; this atp knows up to \d+: upgrade atp first/);
  });

  it("PostgreSQL: prints the pg_dump / pg_restore path and exits 2", async () => {
    const pgEnv = { ...env(), DATABASE_URL: "postgres://atp:s3cretpw@127.0.0.1:5432/test" };
    const b = await runMain(["backup"], { env: pgEnv });
    expect(b.code).toBe(2);
    expect(b.stderr).toContain("pg_dump --format=custom");
    expect(b.stderr).not.toContain("s3cretpw");
    const r = await runMain(["restore", backup()], { env: pgEnv });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("pg_restore");
    expect(existsSync(backup())).toBe(true);
  });
});
