/**
 * SQLite checkpoints off the event loop (src/store/checkpointer.ts): the engine's store turns the
 * automatic checkpoint off and a worker thread checkpoints instead; a worker that cannot run gives
 * the automatic checkpoint back at once, so the WAL never grows without bound.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log/logger.js";
import { startBackgroundCheckpoints, WAL_AUTOCHECKPOINT_PAGES } from "../../src/store/checkpointer.js";
import { internalsOf } from "../../src/store/internals.js";
import { openStore } from "../../src/store/open.js";
import { dec } from "../../src/util/decimal.js";
import { quietLogger, testClock } from "./helpers.js";

const tmp = mkdtempSync(join(tmpdir(), "atp-ckpt-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("background checkpoints", () => {
  it("the writer never checkpoints itself; the worker copies every committed frame into the database file", async () => {
    const dataDir = join(tmp, "bg");
    const store = await openStore({
      dataDir,
      logger: quietLogger(),
      now: testClock().now,
      checkpoints: "background",
    });
    const { db, checkpointer } = internalsOf(store);
    const auto = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db);
    expect(auto.rows[0]?.wal_autocheckpoint).toBe(0);
    for (let i = 0; i < 300; i++)
      await store.watchlist.upsert({
        symbol: `C${i}_USD`,
        tradeEnabled: false,
        alertsEnabled: true,
        amountUsd: dec("10.5"),
      });
    const r = await checkpointer!.checkpointNow();
    expect(r.log).toBeGreaterThan(0);
    expect(r.checkpointed).toBe(r.log);
    // what the worker copied is in the database file itself: read it with the WAL left aside
    const file = join(dataDir, "atp.db");
    expect(statSync(file).size).toBeGreaterThan(100 * 1024);
    await store.close();
    const again = await openStore({ dataDir, logger: quietLogger(), now: testClock().now });
    expect((await again.watchlist.list()).length).toBe(300);
    expect((await again.watchlist.get("C299_USD"))?.amountUsd?.toFixed()).toBe("10.5");
    await again.close();
  });

  it("a worker that cannot start turns the automatic checkpoint back on and says so", async () => {
    const file = join(tmp, "fallback.db");
    const writer = new Database(file);
    writer.pragma("journal_mode = WAL");
    const lines: string[] = [];
    const log = createLogger({
      level: "warn",
      pretty: false,
      destination: { write: (l: string) => lines.push(l) } as never,
    });
    const ckpt = startBackgroundCheckpoints(writer, file, log, 500, join(tmp, "no-such-driver.js"));
    expect(writer.pragma("wal_autocheckpoint", { simple: true })).toBe(0);
    await expect(ckpt.checkpointNow()).rejects.toThrow(/checkpoint worker/);
    expect(writer.pragma("wal_autocheckpoint", { simple: true })).toBe(WAL_AUTOCHECKPOINT_PAGES);
    expect(lines.join("")).toMatch(/automatic checkpoints are back on/);
    await ckpt.stop();
    writer.close();
  });
});
