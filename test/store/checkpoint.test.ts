/**
 * SQLite checkpoints off the trading path (src/store/checkpoint.ts): SQLite's own checkpoint is off
 * (no commit copies the WAL into the database file), the store checkpoints after a quiet moment or
 * when the WAL's bound is reached, and a checkpoint waits for an open transaction and loses nothing.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { Checkpointer } from "../../src/store/checkpoint.js";
import { internalsOf } from "../../src/store/internals.js";
import { openStore } from "../../src/store/open.js";
import type { Store } from "../../src/store/types.js";
import { ManualTime } from "../../src/util/clock.js";
import { quietLogger, testClock } from "./helpers.js";

const POLICY = { idleMs: 200, minWrites: 3, maxWrites: 10 };

describe("Checkpointer (policy)", () => {
  it("waits for a quiet moment after enough writes, and forces one at the WAL's bound", async () => {
    const time = new ManualTime();
    let runs = 0;
    const c = new Checkpointer(async () => void runs++, time, quietLogger(), POLICY);
    c.wrote();
    c.wrote();
    await time.advance(1_000);
    expect(runs).toBe(0); // two writes: not worth one
    c.wrote(); // the third arms the idle timer
    await time.advance(150);
    c.wrote(); // still busy: the timer re-checks and waits for the quiet moment
    await time.advance(150);
    expect(runs).toBe(0);
    await time.advance(60);
    await time.settle();
    expect(runs).toBe(1);
    for (let i = 0; i < 10; i++) {
      c.wrote();
      await time.advance(50); // never quiet for 200 ms
    }
    await time.settle();
    expect(runs).toBe(2); // the bound forced it
    await c.stop();
    c.wrote();
    await time.advance(10_000);
    expect(runs).toBe(2); // stopped
  });

  it("a failed checkpoint is logged and retried at the next quiet moment", async () => {
    const time = new ManualTime();
    let calls = 0;
    const c = new Checkpointer(
      async () => {
        calls++;
        if (calls === 1) throw new Error("database is locked");
      },
      time,
      quietLogger(),
      POLICY,
    );
    for (let i = 0; i < 3; i++) c.wrote();
    await time.advance(200);
    await time.settle();
    for (let i = 0; i < 3; i++) c.wrote();
    await time.advance(200);
    await time.settle();
    expect(calls).toBe(2);
    expect(c.done).toBe(1);
    await c.stop();
  });
});

describe("SQLite store checkpoints", () => {
  let dir: string | undefined;
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("never checkpoints inside a commit; checkpoints when quiet, keeping every row", async () => {
    dir = mkdtempSync(join(tmpdir(), "atp-ckpt-"));
    const time = new ManualTime();
    const clock = testClock();
    store = await openStore({
      dataDir: dir,
      logger: quietLogger(),
      now: clock.now,
      checkpoint: { time, policy: POLICY },
    });
    const { db, checkpointer } = internalsOf(store);
    const auto = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db);
    expect(auto.rows[0]?.wal_autocheckpoint).toBe(0);
    const wal = join(dir, "atp.db-wal");
    for (let i = 0; i < 5; i++)
      await store.signals.insert({ symbol: "BTC_USD", side: "BUY", source: "engine", strategy: `s${i}` });
    expect(checkpointer?.done).toBe(0);
    const frames = async () =>
      (await sql<{ log: number; checkpointed: number }>`pragma wal_checkpoint(NOOP)`.execute(db)).rows[0];
    expect(existsSync(wal) && statSync(wal).size > 0).toBe(true);
    // a transaction is open when the quiet moment comes: the checkpoint waits for it
    let release!: () => void;
    const open = store.transaction(async (tx) => {
      await tx.signals.insert({ symbol: "ETH_USD", side: "BUY", source: "engine", strategy: "in-tx" });
      await new Promise<void>((r) => {
        release = r;
      });
    });
    await time.settle();
    await time.advance(200);
    await time.settle();
    expect(checkpointer?.done).toBe(0);
    release();
    await open;
    await checkpointer?.stop(); // waits for the checkpoint that was waiting
    expect(checkpointer?.done).toBe(1);
    const f = await frames();
    expect(f?.log).toBeGreaterThan(0);
    expect(f?.checkpointed).toBe(f?.log); // every committed frame is in the database file
    expect((await store.signals.list({ limit: 100 })).map((s) => s.strategy).sort()).toEqual([
      "in-tx",
      "s0",
      "s1",
      "s2",
      "s3",
      "s4",
    ]);
  });
});
