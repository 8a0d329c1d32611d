/**
 * SQLite is one process: with `atp start` A running on a data directory, a second `atp start` on
 * the same directory says at start that another atp (naming its pid) uses the file and exits 2,
 * quickly; A keeps running and trading (a BUY written to the inbox becomes its dry-run order), and
 * `atp orders` (read-only, no lock) works meanwhile and shows that order. A has neither credentials
 * nor strategy signals (nothing but the command itself holds its event loop) and still runs until
 * SIGTERM, then exits 0.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmulatorHandle } from "../../src/emulator/index.js";
import { openStore } from "../../src/store/open.js";
import type { Store } from "../../src/store/types.js";
import { systemTime } from "../../src/util/clock.js";
import { quietLogger } from "../store/helpers.js";
import { failoverEmulator, inboxBuy, startEnv, until } from "./fixtures.js";
import { spawnAtp, stopAll } from "./procs.js";

let emu: EmulatorHandle;
let dataDir: string;
let store: Store;

beforeAll(async () => {
  emu = await failoverEmulator();
  dataDir = mkdtempSync(join(tmpdir(), "atp-failover-sqlite-"));
  store = await openStore({ dataDir, logger: quietLogger(), now: () => systemTime.now() });
  await store.watchlist.upsert({ symbol: "BTC_USD", tradeEnabled: true });
});

afterAll(async () => {
  await stopAll();
  await store?.close();
  await emu?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("SQLite: one atp per store file", () => {
  it("a second atp start exits 2 naming the running one; the first keeps trading; atp orders reads meanwhile", async () => {
    // no credentials: dry run on the emulator's public market data
    const env = startEnv(emu, { dataDir });
    const a = await spawnAtp("A", ["start", "--no-signals", "--tick-ms", "100"], env);
    await a.line(
      /^atp start: ready \(store sqlite .*atp\.db, no credentials: dry run only, leader\)$/,
      20_000,
    );

    const startedAt = performance.now();
    const second = await spawnAtp("second", ["start", "--no-signals"], env);
    const exit = await second.exited(15_000);
    console.info(
      `failover: second atp start on the SQLite file exited in ${(exit.at - startedAt).toFixed(0)} ms`,
    );
    expect(exit.code, second.stderr).toBe(2);
    expect(second.stderr).toContain(`another atp (pid ${a.pid} `);
    expect(second.stderr).toContain(join(dataDir, "atp.db"));
    expect(second.lines.map((l) => l.text)).not.toContainEqual(expect.stringMatching(/ready/));

    expect(a.running).toBe(true);
    const signal = await inboxBuy(store, "BTC_USD");
    const intent = await until("A's dry-run order for the inbox BUY", 15_000, async () => {
      const i = await store.intents.findByKey(`signal:${signal}`);
      return i && (i.status === "PLACED" || i.status === "DONE") ? i : undefined;
    });
    expect(intent.mode).toBe("DRY_RUN");

    const orders = await spawnAtp("orders", ["orders", "--json"], env);
    expect((await orders.exited(15_000)).code).toBe(0);
    const listed = JSON.parse(orders.lines.map((l) => l.text).join("\n"));
    expect(JSON.stringify(listed)).toContain(intent.id);
    expect(a.running).toBe(true);

    // … until it is asked to stop: then in order, exit 0
    a.kill("SIGTERM");
    expect((await a.exited(15_000)).code).toBe(0);
    expect(a.lines.map((l) => l.text)).toContain("atp start: stopping");
  });
});
