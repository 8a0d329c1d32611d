/**
 * `atp order` in process against the emulator over loopback, on a SQLite store in a temporary
 * ATP_DATA_DIR: a live BUY is filled and protected by an OCO before the command returns, a SELL
 * exits only what the lot holds, a dry run never reaches the exchange, guards block with their code,
 * bad input is a usage error (exit 2), and with another process holding the store the order is
 * handed over through the inbox.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acquireLeadership } from "../../src/store/leader.js";
import { openStore } from "../../src/store/open.js";
import type { Store } from "../../src/store/types.js";
import { dec } from "../../src/util/decimal.js";
import { useEmulator } from "../exchange/client/helpers/emulator.js";
import { runMain } from "../helpers/in-process.js";
import { quietLogger } from "../store/helpers.js";

const fx = useEmulator({ order_latency_ms: 0 });
const dirs: string[] = [];

async function dataDir(opts: { live: boolean; watch?: boolean }): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "atp-order-"));
  dirs.push(dir);
  const store = await openStore({ dataDir: dir, logger: quietLogger(), now: () => Date.now() });
  if (opts.watch !== false)
    await store.watchlist.upsert({
      symbol: "BTC_USD",
      tradeEnabled: true,
      amountUsd: dec("40"),
      slPct: dec("2"),
      tpPct: dec("3"),
    });
  await store.settings.set("live_trading", opts.live);
  await store.close();
  return dir;
}

function env(dir: string, live: boolean): Record<string, string> {
  return {
    ATP_DATA_DIR: dir,
    EXCHANGE_CUSTOM_BASE_URL: fx.emu.baseUrl,
    EXCHANGE_CUSTOM_API_KEY: "demo-key",
    EXCHANGE_CUSTOM_API_SECRET: "demo-secret",
    LOG_LEVEL: "warn",
    ...(live ? { LIVE_TRADING: "true" } : {}),
  };
}

async function withStore<T>(dir: string, fn: (s: Store) => Promise<T>): Promise<T> {
  const store = await openStore({ dataDir: dir, logger: quietLogger(), now: () => Date.now() });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

const ledgerSize = () => fx.emu.admin.orders().length;

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("atp order", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await dataDir({ live: true });
  });

  it("buys at market, protects the filled quantity with an OCO, and prints it all (JSON, exact decimals)", async () => {
    const before = ledgerSize();
    const r = await runMain(["order", "buy", "BTC_USD", "--amount-usd", "25.5", "--yes", "--json"], {
      env: env(dir, true),
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.outcome).toBe("filled");
    expect(out.intent.mode).toBe("LIVE");
    const roles = out.orders.map((o: { role: string; status: string }) => `${o.role}:${o.status}`).sort();
    expect(roles).toEqual(["ENTRY:FILLED", "STOP_LOSS:NEW", "TAKE_PROFIT:NEW"]);
    const entry = out.orders.find((o: { role: string }) => o.role === "ENTRY");
    expect(entry.notional).toBe("25.5");
    expect(out.lot.protection).toBe("PROTECTED");
    expect(typeof out.lot.openQuantity).toBe("string");
    // the create-order and the OCO's create reached the emulator, nothing else
    const sent = fx.emu.admin.orders().slice(before);
    expect(sent.map((e) => e.method).sort()).toEqual(
      ["private/advanced/create-oco", "private/advanced/create-oco", "private/create-order"].sort(),
    );
  });

  it("sells only what the open lot holds after cancelling its protection", async () => {
    const r = await runMain(["order", "sell", "BTC_USD", "--yes"], { env: env(dir, true) });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/EXIT\s+MARKET SELL qty [\d.]+ → FILLED/);
    expect(r.stdout).toMatch(/TAKE_PROFIT LIMIT SELL .* → CANCELED/);
    await withStore(dir, async (s) => {
      const lots = await s.lots.closedSince(0, { symbol: "BTC_USD" });
      expect(lots).toHaveLength(1);
      const exit = (await s.orders.listByLot(lots[0]!.id)).find((o) => o.role === "EXIT");
      expect(exit?.quantity?.eq(lots[0]!.quantity)).toBe(true);
    });
  });

  it("a SELL with no open position is blocked with NO_POSITION (exit 1)", async () => {
    const r = await runMain(["order", "sell", "BTC_USD", "--yes"], { env: env(dir, true) });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("NO_POSITION");
  });

  it("in dry run the exchange receives no order", async () => {
    const dry = await dataDir({ live: false });
    const before = ledgerSize();
    const r = await runMain(["order", "buy", "BTC_USD", "--yes"], { env: env(dry, true) });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("mode DRY_RUN");
    expect(r.stdout).toMatch(/ENTRY\s+MARKET BUY notional 40 → FILLED/);
    expect(ledgerSize()).toBe(before);
  });

  it("a guard's block is printed with its code, nothing sent (exit 1)", async () => {
    const unlisted = await dataDir({ live: true, watch: false });
    const before = ledgerSize();
    const r = await runMain(["order", "buy", "ETH_USD", "--amount-usd", "10", "--yes"], {
      env: env(unlisted, true),
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("blocked by NOT_IN_WATCHLIST");
    expect(ledgerSize()).toBe(before);
  });

  it.each([
    [["order", "hold", "BTC_USD"], 'SIDE must be one of buy, sell, not "hold"'],
    [["order", "buy", "btc"], "SYMBOL must look like BTC_USD"],
    [["order", "buy", "BTC_USD", "--amount-usd", "1e3"], "--amount-usd must be a positive decimal"],
    [["order", "buy", "BTC_USD", "--amount-usd", "0"], "--amount-usd must be a positive decimal"],
    [["order", "buy"], "missing SYMBOL"],
  ])("%j is a usage error naming the argument (exit 2)", async (args, message) => {
    const r = await runMain(args, { env: env(dir, true) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it("without --yes and no terminal it places nothing (exit 1) and says how to confirm", async () => {
    const before = ledgerSize();
    const r = await runMain(["order", "buy", "BTC_USD"], { env: env(dir, true) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("add --yes");
    expect(ledgerSize()).toBe(before);
  });

  it("while another process holds the store, hands the order to it through the inbox", async () => {
    const held = await dataDir({ live: true });
    const store = await openStore({ dataDir: held, logger: quietLogger(), now: () => Date.now() });
    const lead = await acquireLeadership(store, { instanceId: "other", onLost: () => undefined });
    try {
      const r = await runMain(["order", "buy", "BTC_USD", "--amount-usd", "12", "--yes", "--wait", "1"], {
        env: env(held, true),
      });
      expect(r.stdout).toMatch(/an engine is running; handed over as signal \S+/);
      expect(r.code).toBe(1); // nobody answered within 1 s: this test's "engine" does not trade
      const pending = await store.signals.list({ symbol: "BTC_USD" });
      expect(pending).toHaveLength(1);
      expect(pending[0]).toMatchObject({ source: "cli", status: "PENDING" });
      expect(pending[0]!.trace).toEqual({ request: { actor: "operator:cli", amountUsd: "12" } });
    } finally {
      await lead.release();
      await store.close();
    }
  });
});
