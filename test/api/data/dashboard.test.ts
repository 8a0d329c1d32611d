/**
 * GET /api/dashboard/state: balances are never zeros standing in for "could not read"; a part that
 * fails makes the answer partial (with the reason), never a 500; decimals and ids are strings.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { DashboardState } from "../../../src/api/contract/types.js";
import { dec } from "../../../src/util/decimal.js";
import type { ApiTestServer } from "../../helpers/api-deps.js";
import { fakeDoctorReport } from "../../helpers/api-deps.js";
import { apiDataServer, dashboardStateOf, seedOrder } from "../../helpers/api-deps-data.js";

let t: ApiTestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function state(s: ApiTestServer): Promise<DashboardState> {
  const r = await dashboardStateOf(s);
  expect(r.status).toBe(200);
  return r.state;
}

describe("GET /api/dashboard/state", () => {
  it("shows no balances, and says why, when they were never read", async () => {
    t = await apiDataServer();
    t.exchange.state = { ...t.exchange.state, sync_status: "auth_failed", data_verified: false };
    t.exchange.balances = {
      balances: [],
      totalUsd: null,
      asOf: null,
      verified: false,
      reason: "key rejected (40101)",
    };
    const s = await state(t);
    expect(s.balances).toEqual([]);
    expect(s.portfolio).toEqual({ total_usd: null, as_of: null });
    expect(s.partial).toBe(true);
    expect(s.errors).toContain("balances: not read: key rejected (40101)");
    expect(s.exchange.data_verified).toBe(false);
  });

  it("shows the last verified balances, unverified, with their time", async () => {
    t = await apiDataServer();
    const asOf = t.time.now() - 60_000;
    const usd = {
      currency: "USD",
      total: "1000.50",
      available: "900.25",
      reserved: "100.25",
      usd_value: "1000.50",
    };
    t.exchange.balances = {
      balances: [usd],
      totalUsd: "1000.50",
      asOf,
      verified: false,
      reason: "exchange maintenance (9010001)",
    };
    const s = await state(t);
    expect(s.balances).toEqual([usd]);
    expect(s.portfolio).toEqual({ total_usd: "1000.50", as_of: asOf });
    expect(s.exchange.data_verified).toBe(false);
    expect(s.partial).toBe(true);
    expect(s.errors[0]).toMatch(/^balances: not verified now \(last verified at .*\): exchange maintenance/);
  });

  it("is complete when everything reads, with orders, positions, watchlist and the last diagnosis", async () => {
    t = await apiDataServer();
    t.exchange.balances = {
      balances: [
        {
          currency: "BTC",
          total: "0.00012345678901234567",
          available: "0",
          reserved: "0.00012345678901234567",
          usd_value: null,
        },
      ],
      totalUsd: "8.02",
      asOf: t.time.now(),
      verified: true,
      reason: null,
    };
    await t.store.watchlist.upsert({ symbol: "BTC_USD", tradeEnabled: true, amountUsd: dec("25.50") });
    t.market.views.set("BTC_USD", {
      price: "65000.5",
      decision: null,
      indicators: null,
      fresh: true,
      staleReason: null,
    });
    const open = await seedOrder(t.store, { status: "ACTIVE" });
    await seedOrder(t.store, { status: "FILLED" });
    const lot = await t.store.lots.create({
      symbol: "BTC_USD",
      mode: "DRY_RUN",
      status: "OPEN",
      entryPrice: dec("64000.5"),
      quantity: dec("0.001"),
    });
    await t.store.reports.insert({
      trigger: "start",
      context: null,
      verdict: "problem",
      topCause: "ip_not_whitelisted",
      report: fakeDoctorReport("problem") as never,
    });
    const s = await state(t);
    expect(s.partial).toBe(false);
    expect(s.errors).toEqual([]);
    expect(s.balances[0]?.total).toBe("0.00012345678901234567");
    expect(s.open_orders.map((o) => o.id)).toEqual([open.id]);
    expect(s.recent_orders).toHaveLength(2);
    expect(s.positions).toMatchObject([{ id: lot.id, mark_price: "65000.5", unrealised_pnl: "1" }]);
    expect(s.watchlist).toMatchObject([
      { symbol: "BTC_USD", amount_usd: "25.5", price: "65000.5", data_fresh: true },
    ]);
    expect(s.bot_status).toEqual({
      mode: "DRY_RUN",
      live_trading: false,
      kill_switch: false,
      leader: true,
      running: true,
    });
    expect(s.diagnosis).toMatchObject({
      verdict: "problem",
      top_cause: "ip_not_whitelisted",
      summary: "IP not whitelisted",
    });
  });

  it("answers partial, not 500, when sources throw", async () => {
    t = await apiDataServer();
    await t.store.watchlist.upsert({ symbol: "ETH_USD" });
    t.deps.exchange.state = () => {
      throw new Error("status source broken");
    };
    t.deps.market.view = () => {
      throw new Error("feed gone");
    };
    t.deps.engine.mode = async () => {
      throw new Error("mode unknown");
    };
    const s = await state(t);
    expect(s.partial).toBe(true);
    expect(s.errors).toEqual(
      expect.arrayContaining(["exchange: status source broken", "bot_status.mode: mode unknown"]),
    );
    expect(s.exchange).toMatchObject({ sync_status: "degraded", data_verified: false });
    expect(s.bot_status.mode).toBe("DRY_RUN");
    expect(s.watchlist).toMatchObject([
      { symbol: "ETH_USD", data_fresh: false, stale_reason: "market data not available: feed gone" },
    ]);
  });
});
