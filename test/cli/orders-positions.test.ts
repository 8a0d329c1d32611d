/**
 * `atp orders` and `atp positions` in-process on a SQLite store seeded through its repositories in
 * a temporary ATP_DATA_DIR: tables with modes and exact decimals, JSON, filters, the empty store,
 * and no leader lock taken (they work while another process holds it).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acquireLeadership } from "../../src/store/leader.js";
import { openStore } from "../../src/store/open.js";
import type { Store } from "../../src/store/types.js";
import { dec } from "../../src/util/decimal.js";
import { runMain } from "../helpers/in-process.js";
import { quietLogger } from "../store/helpers.js";

const T0 = Date.UTC(2026, 0, 5, 9, 30, 0);

async function seed(dataDir: string): Promise<void> {
  let t = T0;
  const store = await openStore({ dataDir, logger: quietLogger(), now: () => t });
  try {
    const intent = async (key: string, mode: "LIVE" | "DRY_RUN" | "DEMO", symbol: string) => {
      const r = await store.intents.create({
        idempotencyKey: key,
        kind: "ENTRY",
        symbol,
        side: "BUY",
        mode,
        actor: "engine",
      });
      if (!r.created) throw new Error("dup");
      return r.intent.id;
    };
    // the oldest: a stop-limit leg, cancelled (its limit price and its trigger)
    t = T0 - 60_000;
    const sl = await store.orders.insertAttempt({
      intentId: await intent("s1", "LIVE", "SOL_USD"),
      attempt: 1,
      clientOid: "atp-s1-1",
      symbol: "SOL_USD",
      side: "SELL",
      type: "STOP_LIMIT",
      role: "STOP_LOSS",
      mode: "LIVE",
      quantity: dec("1.5"),
      price: dec("140.5"),
      refPrice: dec("141"),
    });
    await store.orders.setStatus(sl.id, "CANCELED");
    t = T0;
    const lot = await store.lots.create({
      symbol: "BTC_USD",
      mode: "LIVE",
      status: "OPEN",
      protection: "PROTECTED",
      entryPrice: dec("97123.45"),
      quantity: dec("0.00011119"),
      tpPrice: dec("101008.38"),
      slPrice: dec("95181.0"),
      openedAt: T0,
    });
    const e = await store.orders.insertAttempt({
      intentId: await intent("e1", "LIVE", "BTC_USD"),
      attempt: 1,
      clientOid: "atp-e1-1",
      symbol: "BTC_USD",
      side: "BUY",
      type: "MARKET",
      role: "ENTRY",
      mode: "LIVE",
      notional: dec("10.80000000000000000001"),
      lotId: lot.id,
    });
    await store.orders.setStatus(e.id, "FILLED");
    t += 60_000;
    const tp = await store.orders.insertAttempt({
      intentId: await intent("p1", "LIVE", "BTC_USD"),
      attempt: 1,
      clientOid: "atp-p1-1",
      symbol: "BTC_USD",
      side: "SELL",
      type: "LIMIT",
      role: "TAKE_PROFIT",
      mode: "LIVE",
      quantity: dec("0.00011119"),
      price: dec("101008.38"),
      lotId: lot.id,
    });
    await store.orders.setStatus(tp.id, "NEW");
    t += 60_000;
    await store.orders.insertAttempt({
      intentId: await intent("d1", "DRY_RUN", "ETH_USD"),
      attempt: 1,
      clientOid: "atp-d1-1",
      symbol: "ETH_USD",
      side: "BUY",
      type: "MARKET",
      role: "ENTRY",
      mode: "DRY_RUN",
      notional: dec("25"),
    });
    const closed = await store.lots.create({
      symbol: "ETH_USD",
      mode: "DRY_RUN",
      status: "OPEN",
      entryPrice: dec("3300"),
      quantity: dec("0.0075"),
      openedAt: T0 - 86_400_000,
    });
    await store.lots.update(closed.id, {
      status: "CLOSED",
      openQuantity: dec("0"),
      exitReason: "STOP_LOSS",
      realisedPnl: dec("-0.4950000001"),
      fees: dec("0.02"),
      closedAt: T0 - 3_600_000,
    });
  } finally {
    await store.close();
  }
}

describe("atp orders / atp positions", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "atp-cli-orders-"));
  const emptyDir = mkdtempSync(join(tmpdir(), "atp-cli-empty-"));
  const env = { ATP_DATA_DIR: dataDir };
  beforeAll(() => seed(dataDir));
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(emptyDir, { recursive: true, force: true });
  });

  it("orders: an aligned table, newest first, with the mode and exact decimals", async () => {
    const r = await runMain(["orders"], { cwd: dataDir, env });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      /^CREATED \(UTC\)\s+MODE\s+SYMBOL\s+SIDE\s+TYPE\s+ROLE\s+STATUS\s+QUANTITY\s+NOTIONAL\s+PRICE\s+TRIGGER\s/,
    );
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(
      /^2026-01-05 09:32:00\s+DRY_RUN\s+ETH_USD\s+BUY\s+MARKET\s+ENTRY\s+PENDING_SUBMIT\s+-\s+25\s/,
    );
    expect(lines[2]).toMatch(
      /LIVE\s+BTC_USD\s+SELL\s+LIMIT\s+TAKE_PROFIT\s+NEW\s+0\.00011119\s+-\s+101008\.38\s+-\s/,
    );
    expect(lines[3]).toContain("10.80000000000000000001");
    // a stop-limit: its limit price, then its trigger
    expect(lines[4]).toMatch(
      /LIVE\s+SOL_USD\s+SELL\s+STOP_LIMIT\s+STOP_LOSS\s+CANCELED\s+1\.5\s+-\s+140\.5\s+141\s/,
    );
    // aligned: the MODE column starts at the same offset on every line
    const at = lines[0]!.indexOf("MODE");
    for (const l of lines.slice(1)) expect(l.slice(at)).toMatch(/^(LIVE|DRY_RUN|DEMO)\b/);
  });

  it("orders --open --symbol, --limit and --json", async () => {
    let r = await runMain(["orders", "--open", "--symbol", "BTC_USD"], { cwd: dataDir, env });
    expect(
      r.stdout
        .trimEnd()
        .split("\n")
        .slice(1)
        .map((l) => l.match(/atp-\S+/)?.[0]),
    ).toEqual(["atp-p1-1"]);
    r = await runMain(["orders", "--limit", "1"], { cwd: dataDir, env });
    expect(r.stdout).toContain("(more orders: showing the newest 1; raise --limit)");
    r = await runMain(["orders", "--json"], { cwd: dataDir, env });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { orders: Record<string, unknown>[]; next_cursor: string | null };
    expect(out.next_cursor).toBeNull();
    expect(out.orders.map((o) => [o.clientOid, o.mode, o.notional])).toEqual([
      ["atp-d1-1", "DRY_RUN", "25"],
      ["atp-p1-1", "LIVE", undefined],
      ["atp-e1-1", "LIVE", "10.80000000000000000001"],
      ["atp-s1-1", "LIVE", undefined],
    ]);
    r = await runMain(["orders", "--limit", "0"], { cwd: dataDir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--limit must be an integer from 1 to 500/);
  });

  it("positions: open then closed, with protection and exact P&L; --open; --json", async () => {
    let r = await runMain(["positions"], { cwd: dataDir, env });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^OPENED \(UTC\)\s+MODE\s+SYMBOL\s+STATUS\s+PROTECTION/);
    expect(lines[1]).toMatch(
      /^2026-01-05 09:30:00\s+LIVE\s+BTC_USD\s+OPEN\s+PROTECTED\s+0\.00011119\s+0\.00011119\s+97123\.45\s+101008\.38\s+95181\s+NEW\s+-\s+0\s+0\s+-\s+-$/,
    );
    expect(lines[2]).toMatch(
      /DRY_RUN\s+ETH_USD\s+CLOSED\s+NONE\s+0\.0075\s+0\s+3300\s.*-0\.4950000001\s+0\.02\s+STOP_LOSS\s+2026-01-05 08:30:00$/,
    );
    r = await runMain(["positions", "--open"], { cwd: dataDir, env });
    expect(r.stdout.trimEnd().split("\n")).toHaveLength(2);
    r = await runMain(["positions", "--json", "--symbol", "ETH_USD"], { cwd: dataDir, env });
    const out = JSON.parse(r.stdout) as { positions: Record<string, unknown>[] };
    expect(out.positions).toHaveLength(1);
    expect(out.positions[0]).toMatchObject({
      symbol: "ETH_USD",
      mode: "DRY_RUN",
      realisedPnl: "-0.4950000001",
      exitReason: "STOP_LOSS",
      take_profit_order: null,
    });
  });

  it("an empty store: a clear line, exit 0 (table and JSON)", async () => {
    const e = { ATP_DATA_DIR: emptyDir };
    let r = await runMain(["orders"], { cwd: emptyDir, env: e });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^no orders yet \(store: /);
    r = await runMain(["orders", "--open", "--symbol", "BTC_USD"], { cwd: emptyDir, env: e });
    expect(r.stdout).toMatch(/^no open orders for BTC_USD yet/);
    r = await runMain(["positions"], { cwd: emptyDir, env: e });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^no positions yet/);
    r = await runMain(["positions", "--json"], { cwd: emptyDir, env: e });
    expect(JSON.parse(r.stdout)).toEqual({ positions: [] });
  });

  it("they take no leader lock: they work while another process holds it", async () => {
    const store: Store = await openStore({ dataDir, logger: quietLogger(), now: () => T0 });
    const lead = await acquireLeadership(store, { instanceId: "engine-under-test", onLost: () => undefined });
    try {
      const r = await runMain(["orders", "--open"], { cwd: dataDir, env });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("atp-p1-1");
      expect((await runMain(["positions"], { cwd: dataDir, env })).code).toBe(0);
    } finally {
      await lead.release();
      await store.close();
    }
  });
});
