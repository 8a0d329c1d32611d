/**
 * The dashboard's freshness (src/api/data-freshness.ts): right after a start, data not arrived yet
 * is "waiting", not stale — no ticker, the market stream not connected, no balance read — within the
 * grace period and only while nothing failed; a failed call, an auth failure, a part that could not
 * be read, data seen current before, or the grace period over: stale.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { DashboardState } from "../../../src/api/contract/types.js";
import { DASHBOARD_MAX_AGE_MS } from "../../../src/api/dashboard-snapshot.js";
import { DATA_GRACE_MS } from "../../../src/api/data-freshness.js";
import type { ApiTestServer } from "../../helpers/api-deps.js";
import { apiDataServer, dashboardStateOf } from "../../helpers/api-deps-data.js";

let t: ApiTestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const state = async (s: ApiTestServer): Promise<DashboardState> => (await dashboardStateOf(s)).state;

const noData = {
  price: null,
  decision: null,
  indicators: null,
  fresh: false,
  staleReason: "BTC_USD: no ticker received yet",
};
const live = { price: "65000", decision: null, indicators: null, fresh: true, staleReason: null };

/** The first seconds of a start: a watched coin without data, the stream not up, no balance read. */
async function starting(): Promise<ApiTestServer> {
  const s = await apiDataServer();
  await s.store.watchlist.upsert({ symbol: "BTC_USD", tradeEnabled: true });
  s.market.views.set("BTC_USD", noData);
  s.exchange.state = {
    ...s.exchange.state,
    sync_status: "degraded",
    reason: "market data stale: market stream disconnected; polling REST",
    data_verified: false,
    last_sync: null,
    last_error: null,
  };
  s.exchange.balances = { balances: [], totalUsd: null, asOf: null, verified: false, reason: "not read yet" };
  return s;
}

describe("freshness: waiting for data after a start, stale otherwise", () => {
  it("before the first data arrives: waiting, not stale (the parts say so, partial as before)", async () => {
    t = await starting();
    const s = await state(t);
    expect(s.freshness).toEqual({
      status: "waiting",
      waiting: [
        "BTC_USD: no ticker received yet",
        "exchange degraded: market data stale: market stream disconnected; polling REST",
        "balances not verified by the exchange",
        "balances: not read: not read yet",
      ],
      stale: [],
      grace_until: t.time.now() + DATA_GRACE_MS,
    });
    expect(s.watchlist[0]).toMatchObject({ data_fresh: false, data_state: "waiting" });
    // the other fields are as they were: not verified, the reason in errors
    expect(s.exchange.data_verified).toBe(false);
    expect(s.partial).toBe(true);
    expect(s.errors).toEqual(["balances: not read: not read yet"]);
    // GET /api/watchlist says the same of the row
    const rows = (await t.server.inject({ method: "GET", url: "/api/watchlist" })).json();
    expect(rows[0]).toMatchObject({ symbol: "BTC_USD", data_state: "waiting" });
  });

  it("once everything arrived: fresh", async () => {
    t = await starting();
    await state(t);
    t.market.views.set("BTC_USD", live);
    t.exchange.state = { ...t.exchange.state, sync_status: "ok", reason: null, data_verified: true };
    t.exchange.balances = {
      balances: [],
      totalUsd: "0",
      asOf: t.time.now(),
      verified: true,
      reason: null,
    };
    await t.time.advance(DASHBOARD_MAX_AGE_MS);
    const s = await state(t);
    expect(s.freshness).toMatchObject({ status: "fresh", waiting: [], stale: [] });
    expect(s.watchlist[0]?.data_state).toBe("fresh");
  });

  it("data seen current and then not is stale at once, even within the grace period", async () => {
    t = await starting();
    t.market.views.set("BTC_USD", live);
    await state(t);
    t.market.views.set("BTC_USD", { ...noData, staleReason: "BTC_USD: no ticker for 95 s" });
    await t.time.advance(DASHBOARD_MAX_AGE_MS);
    const s = await state(t);
    expect(s.freshness.status).toBe("stale");
    expect(s.freshness.stale).toContain("BTC_USD: no ticker for 95 s");
    expect(s.watchlist[0]?.data_state).toBe("stale");
  });

  it("a failed exchange call is stale from the first second (never hidden as waiting)", async () => {
    t = await starting();
    t.exchange.state = {
      ...t.exchange.state,
      reason:
        "1 exchange method failing; last: rate limited (42901 TOO_MANY_REQUESTS) on private/user-balance",
      last_error: {
        code: 42901,
        name: "TOO_MANY_REQUESTS",
        category: "rate_limit",
        method: "private/user-balance",
        at: t.time.now(),
      },
    };
    t.exchange.balances = { ...t.exchange.balances, reason: "balance read failed: rate limited" };
    const s = await state(t);
    expect(s.freshness.status).toBe("stale");
    expect(s.freshness.stale).toEqual([
      "exchange degraded: 1 exchange method failing; last: rate limited (42901 TOO_MANY_REQUESTS) on private/user-balance",
      "balances not verified by the exchange",
      "balances: not read: balance read failed: rate limited",
    ]);
    // the coin itself has simply not had data yet
    expect(s.freshness.waiting).toEqual(["BTC_USD: no ticker received yet"]);
  });

  it("auth failures and unreadable parts are stale; so is everything still missing after the grace period", async () => {
    t = await starting();
    t.exchange.state = {
      ...t.exchange.state,
      sync_status: "auth_failed",
      reason: "40101 on private/user-balance",
    };
    let s = await state(t);
    expect(s.freshness.stale[0]).toBe("exchange auth_failed: 40101 on private/user-balance");

    t.exchange.state = { ...t.exchange.state, sync_status: "degraded", reason: "market data stale: …" };
    t.deps.engine.mode = async () => {
      throw new Error("mode unknown");
    };
    await t.time.advance(DASHBOARD_MAX_AGE_MS);
    s = await state(t);
    expect(s.freshness.stale).toEqual(["bot_status.mode: mode unknown"]);
    expect(s.freshness.status).toBe("stale");

    await t.time.advance(DATA_GRACE_MS);
    s = await state(t);
    expect(s.freshness.waiting).toEqual([]);
    expect(s.freshness.stale).toEqual([
      "BTC_USD: no ticker received yet",
      "exchange degraded: market data stale: …",
      "balances not verified by the exchange",
      "balances: not read: not read yet",
      "bot_status.mode: mode unknown",
    ]);
    expect(s.watchlist[0]?.data_state).toBe("stale");
  });

  it("a coin added later waits from its own creation", async () => {
    t = await starting();
    t.market.views.set("BTC_USD", live);
    t.exchange.state = { ...t.exchange.state, sync_status: "ok", reason: null };
    await state(t);
    await t.time.advance(DATA_GRACE_MS * 2);
    await t.store.watchlist.upsert({ symbol: "ETH_USD", tradeEnabled: true });
    t.market.views.set("ETH_USD", { ...noData, staleReason: "ETH_USD: backfill in progress" });
    // the exchange is degraded only by the new coin's market data (no failed call)
    t.exchange.state = {
      ...t.exchange.state,
      sync_status: "degraded",
      reason: "market data stale: ETH_USD: backfill in progress",
    };
    const s = await state(t);
    expect(s.watchlist.map((w) => [w.symbol, w.data_state])).toEqual([
      ["BTC_USD", "fresh"],
      ["ETH_USD", "waiting"],
    ]);
    expect(s.freshness.waiting).toEqual([
      "ETH_USD: backfill in progress",
      "exchange degraded: market data stale: ETH_USD: backfill in progress",
    ]);
    // the balances, never read in two grace periods, are stale
    expect(s.freshness.stale).toEqual([
      "balances not verified by the exchange",
      "balances: not read: not read yet",
    ]);
  });
});
