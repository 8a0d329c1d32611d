/**
 * Failover with real processes on one PostgreSQL schema: two `atp start` (A and B, each with its
 * own API key on one emulator account, so the emulator's ledger names the sender of every order).
 *
 * - SIGKILL: A leads and trades a BUY from the inbox (entry + OCO protection); A is killed; B
 *   prints "leading" well within 15 s, trades the next BUY, and the ledger shows no duplicate: one
 *   entry and one protection per lot, every client_oid once, nothing of A's lot re-sent by B.
 * - pg_terminate_backend on A's lock connection (found in pg_locks): A prints "not leading" and
 *   trades nothing more — a BUY written while B is frozen (SIGSTOP) stays PENDING for 5 of A's ticks
 *   although A's pooled connections still work — then B (SIGCONT) takes over and trades it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EmulatorHandle } from "../../src/emulator/index.js";
import { currentLeader, LEADER_LOCK_CLASS } from "../../src/store/leader.js";
import { openStore } from "../../src/store/open.js";
import type { Lot, Store } from "../../src/store/types.js";
import { systemTime } from "../../src/util/clock.js";
import { createPgSchema, pgAdmin, quietLogger } from "../store/helpers.js";
import {
  acceptedOrders,
  failoverEmulator,
  inboxBuy,
  seedTrading,
  sender,
  startEnv,
  until,
} from "./fixtures.js";
import { type AtpProcess, spawnAtp, stopAll } from "./procs.js";

const TICK = ["--no-signals", "--tick-ms", "100", "--reconcile-s", "60"];
const READY = 20_000;
/** The followers' retry period (the default, 5 s, gives takeovers of ~0–5 s: docs/trading/failover.md). */
const RETRY_MS = 300;

// one emulator (one account, one ledger) per test: a store reconciles the account's orders it
// finds as its own, so a test must not see another test's orders
let emu: EmulatorHandle;
beforeEach(async () => {
  emu = await failoverEmulator();
});

interface Home {
  store: Store;
  env: (who: "A" | "B") => Record<string, string>;
  schema: string;
  dispose(): Promise<void>;
}
let home: Home | undefined;

async function pgHome(): Promise<Home> {
  const pg = await createPgSchema();
  const dataDir = mkdtempSync(join(tmpdir(), "atp-failover-"));
  // the processes stamp with the wall clock; the test's writes (inbox signals) share it
  const store = await openStore({ url: pg.url, dataDir, logger: quietLogger(), now: () => systemTime.now() });
  home = {
    store,
    schema: pg.schema,
    env: (who) => startEnv(emu, { databaseUrl: pg.url, dataDir }, who),
    async dispose() {
      await store.close();
      await pg.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return home;
}

afterEach(async () => {
  await stopAll();
  await home?.dispose();
  home = undefined;
  await emu.close();
});

async function startPair(
  h: Home,
  retry: { A: number; B: number },
): Promise<{ a: AtpProcess; b: AtpProcess }> {
  const args = (who: "A" | "B") => [
    "start",
    ...TICK,
    "--instance-id",
    who,
    "--leader-retry-ms",
    String(retry[who]),
  ];
  const a = await spawnAtp("A", args("A"), h.env("A"));
  await a.line(/^atp start: ready \(store postgres .*, leader\)$/, READY);
  const b = await spawnAtp("B", args("B"), h.env("B"));
  await b.line(/^atp start: ready \(store postgres .*, follower\)$/, READY);
  return { a, b };
}

/** The lot of the inbox signal once its entry filled and its OCO is confirmed. */
async function protectedLot(store: Store, signalId: string, procs: AtpProcess[]): Promise<Lot> {
  try {
    return await until(`the lot of signal ${signalId} protected`, 15_000, async () => {
      const intent = await store.intents.findByKey(`signal:${signalId}`);
      const lot = intent?.lotId ? await store.lots.get(intent.lotId) : undefined;
      return lot?.protection === "PROTECTED" ? lot : undefined;
    });
  } catch (e) {
    const signal = await store.signals.get(signalId);
    const intent = await store.intents.findByKey(`signal:${signalId}`);
    const lot = intent?.lotId ? await store.lots.get(intent.lotId) : undefined;
    const state = JSON.stringify({ signal, intent, lot });
    const logs = procs.map((p) => `--- ${p.name} stderr (tail)\n${p.stderr.slice(-4000)}`).join("\n");
    throw new Error(`${(e as Error).message}\n${state}\n${logs}`);
  }
}

function ledgerOf(symbol: string) {
  return acceptedOrders(emu).filter((o) => o.instrument_name === symbol);
}

function expectNoDuplicate(): void {
  const oids = acceptedOrders(emu)
    .map((o) => o.client_oid)
    .filter((c): c is string => c !== null);
  expect(new Set(oids).size).toBe(oids.length);
}

describe("failover on PostgreSQL (two atp processes)", () => {
  it("SIGKILL of the leader: the follower leads within 15 s and trades on, no order sent twice", async () => {
    const h = await pgHome();
    await seedTrading(h.store, ["BTC_USD", "ETH_USD"]);
    const { a, b } = await startPair(h, { A: RETRY_MS, B: RETRY_MS });

    const first = await inboxBuy(h.store, "BTC_USD");
    await protectedLot(h.store, first, [a, b]);
    const btc = ledgerOf("BTC_USD");
    expect(btc.map(sender)).toEqual(btc.map(() => "A"));
    expect(btc.filter((o) => o.side === "BUY")).toHaveLength(1);
    expect(b.lines.some((l) => l.text === "atp start: leading")).toBe(false);

    const killedAt = performance.now();
    a.kill("SIGKILL");
    await a.exited(5000);
    const led = await b.line(/^atp start: leading$/, 15_000);
    const takeoverMs = led.at - killedAt;
    console.info(
      `failover: SIGKILL → follower leading in ${takeoverMs.toFixed(0)} ms (retry ${RETRY_MS} ms)`,
    );
    expect(takeoverMs).toBeLessThan(15_000);

    const second = await inboxBuy(h.store, "ETH_USD");
    await protectedLot(h.store, second, [b]);
    const eth = ledgerOf("ETH_USD");
    expect(eth.map(sender)).toEqual(eth.map(() => "B"));
    expect(eth.filter((o) => o.side === "BUY")).toHaveLength(1);
    // B resumed A's protected lot without sending anything for it
    expect(ledgerOf("BTC_USD")).toEqual(btc);
    expectNoDuplicate();
    expect((await currentLeader(h.store))?.instanceId).toBe("B");
  });

  it("pg_terminate_backend on the leader's lock connection: it stops trading at once, the follower takes over", async () => {
    const h = await pgHome();
    await seedTrading(h.store, ["BTC_USD"]);
    // A retries slower than B, so B (not A again) is the next leader
    const { a, b } = await startPair(h, { A: 5000, B: RETRY_MS });

    const lockPids = await pgAdmin(async (c) => {
      const r = await c.query<{ pid: number }>(
        `select l.pid from pg_locks l join pg_stat_activity s on s.pid = l.pid
         where l.locktype = 'advisory' and l.granted and l.objsubid = 2
           and l.classid::bigint = $1 and l.objid::bigint = (hashtext($2)::bigint & 4294967295)
           and s.datname = current_database()`,
        [LEADER_LOCK_CLASS, h.schema],
      );
      return r.rows.map((row) => row.pid);
    });
    expect(lockPids).toHaveLength(1);

    b.kill("SIGSTOP"); // B cannot take over until SIGCONT: any order meanwhile would be A's
    const terminatedAt = performance.now();
    await pgAdmin((c) => c.query("select pg_terminate_backend($1)", [lockPids[0]]));
    const lost = await a.line(/^atp start: not leading$/, 10_000);
    console.info(
      `failover: lock connection terminated → "not leading" in ${(lost.at - terminatedAt).toFixed(0)} ms`,
    );

    const signal = await inboxBuy(h.store, "BTC_USD");
    // 5 of A's 100 ms ticks: a leader still trading would have claimed it (its pool is intact)
    await new Promise((r) => setTimeout(r, 500));
    expect((await h.store.signals.get(signal))?.status).toBe("PENDING");
    expect(acceptedOrders(emu).filter((o) => sender(o) === "A")).toHaveLength(0);

    const resumedAt = performance.now();
    b.kill("SIGCONT");
    const led = await b.line(/^atp start: leading$/, 15_000);
    console.info(
      `failover: terminate → follower leading in ${(led.at - terminatedAt).toFixed(0)} ms ` +
        `(${(led.at - resumedAt).toFixed(0)} ms after it was let run)`,
    );
    expect(led.at - terminatedAt).toBeLessThan(15_000);

    await protectedLot(h.store, signal, [a, b]);
    const orders = acceptedOrders(emu);
    expect(orders.length).toBeGreaterThan(0);
    expect(orders.filter((o) => sender(o) === "A")).toHaveLength(0);
    expectNoDuplicate();
    expect((await currentLeader(h.store))?.instanceId).toBe("B");
    expect(a.running).toBe(true);
    expect(a.lines.filter((l) => l.text === "atp start: leading")).toHaveLength(1);
  });
});
