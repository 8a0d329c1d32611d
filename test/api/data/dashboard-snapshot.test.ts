/**
 * GET /api/dashboard/state from its snapshot: the same bytes until something changed, and every
 * change in the next answer — a new order, a kill-switch toggle through the API, a balance update,
 * a lost leadership, a new diagnosis — while prices and the exchange status show within the max age
 * (1 s); concurrent readers share one build; the answer is what `dashboardState` builds (partial,
 * errors and data_verified as before), byte for byte. A rebuild reads again only the store sections
 * whose tables changed; another process's writes show within the store sections' age (5 s); while
 * the dashboard is read, a change is built in the background before the next request.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { DashboardState } from "../../../src/api/contract/types.js";
import {
  DASHBOARD_ACTIVE_MS,
  DASHBOARD_MAX_AGE_MS,
  DASHBOARD_STORE_MAX_AGE_MS,
  DASHBOARD_TICK_MS,
} from "../../../src/api/dashboard-snapshot.js";
import { dashboardState } from "../../../src/api/dashboard-state.js";
import { DataFreshness } from "../../../src/api/data-freshness.js";
import { createLogger } from "../../../src/log/logger.js";
import { openStore } from "../../../src/store/open.js";
import { dec } from "../../../src/util/decimal.js";
import type { ApiTestServer } from "../../helpers/api-deps.js";
import { bearer, fakeDoctorReport } from "../../helpers/api-deps.js";
import { apiDataServer, seedOrder } from "../../helpers/api-deps-data.js";

let t: ApiTestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function get(s: ApiTestServer): Promise<{ body: string; state: DashboardState }> {
  const r = await s.server.inject({ method: "GET", url: "/api/dashboard/state" });
  expect(r.statusCode).toBe(200);
  expect(r.headers["content-type"]).toBe("application/json; charset=utf-8");
  return { body: r.body, state: r.json() as DashboardState };
}

const builds = (s: ApiTestServer) => s.server.internals.dashboard?.builds ?? -1;
const storeReads = (s: ApiTestServer) => s.server.internals.dashboard?.reads.reads ?? -1;

const verified = (total: string, at: number) => ({
  balances: [{ currency: "USD", total, available: total, reserved: "0", usd_value: total }],
  totalUsd: total,
  asOf: at,
  verified: true,
  reason: null,
});

describe("the dashboard state's snapshot", () => {
  it("serves the same bytes while nothing changed, and rebuilds at the max age", async () => {
    t = await apiDataServer();
    await t.store.watchlist.upsert({ symbol: "BTC_USD", tradeEnabled: true });
    t.market.views.set("BTC_USD", {
      price: "65000",
      decision: null,
      indicators: null,
      fresh: true,
      staleReason: null,
    });
    const a = await get(t);
    const n = builds(t);
    // a price moves: in memory, without a version — not in the snapshot yet …
    t.market.views.set("BTC_USD", {
      price: "65001.5",
      decision: null,
      indicators: null,
      fresh: true,
      staleReason: null,
    });
    const b = await get(t);
    expect(b.body).toBe(a.body);
    expect(builds(t)).toBe(n);
    // … and in the answer once the snapshot is the max age old
    await t.time.advance(DASHBOARD_MAX_AGE_MS);
    const c = await get(t);
    expect(c.state.watchlist[0]?.price).toBe("65001.5");
    expect(builds(t)).toBe(n + 1);
  });

  it("shows every change in the next answer: order, kill switch, balances, leadership, diagnosis", async () => {
    t = await apiDataServer();
    const first = await get(t);
    expect(first.state.open_orders).toEqual([]);

    const order = await seedOrder(t.store, { status: "ACTIVE" });
    expect((await get(t)).state.open_orders.map((o) => o.id)).toEqual([order.id]);

    const kill = await t.server.inject({
      method: "POST",
      url: "/api/trading/kill-switch",
      headers: bearer(),
      payload: { enabled: true },
    });
    expect(kill.statusCode).toBe(200);
    expect((await get(t)).state.bot_status.kill_switch).toBe(true);

    t.exchange.balances = verified("1000.25", t.time.now());
    let s = (await get(t)).state;
    expect(s.balances[0]?.total).toBe("1000.25");
    expect(s.portfolio.total_usd).toBe("1000.25");
    t.exchange.balances.balances[0]!.total = "999.75"; // changed in place: still seen
    expect((await get(t)).state.balances[0]?.total).toBe("999.75");

    t.engine.leader = false;
    expect((await get(t)).state.bot_status.leader).toBe(false);

    await t.store.reports.insert({
      trigger: "api",
      context: null,
      verdict: "problem",
      topCause: "ip_not_whitelisted",
      report: fakeDoctorReport("problem") as never,
    });
    s = (await get(t)).state;
    expect(s.diagnosis?.top_cause).toBe("ip_not_whitelisted");

    await t.store.orders.setStatus(order.id, "CANCELED");
    s = (await get(t)).state;
    expect(s.open_orders).toEqual([]);
    expect(s.recent_orders.map((o) => [o.id, o.status])).toEqual([[order.id, "CANCELED"]]);
  });

  it("concurrent readers share one build; the answer is dashboardState's", async () => {
    t = await apiDataServer();
    await seedOrder(t.store, { status: "ACTIVE" });
    await t.store.watchlist.upsert({ symbol: "ETH_USD", amountUsd: dec("12.5") });
    const n = builds(t);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => t!.server.inject({ method: "GET", url: "/api/dashboard/state" })),
    );
    expect(builds(t)).toBe(n + 1);
    expect(new Set(answers.map((r) => r.body)).size).toBe(1);
    const direct = await dashboardState(t.deps, new DataFreshness(t.time.now()));
    // the order lists spliced in as kept bytes: the same text as serialising the whole state
    expect(answers[0]!.body).toBe(JSON.stringify(direct));
  });

  it("a rebuild reads again only the store sections whose tables changed", async () => {
    t = await apiDataServer();
    await seedOrder(t.store, { status: "ACTIVE" });
    await t.store.watchlist.upsert({ symbol: "BTC_USD", tradeEnabled: true });
    const view = { price: "65000", decision: null, indicators: null, fresh: true, staleReason: null };
    t.market.views.set("BTC_USD", view);
    await get(t);
    const reads = storeReads(t);
    // the max age: prices again, no store section read again
    t.market.views.set("BTC_USD", { ...view, price: "65010" });
    await t.time.advance(DASHBOARD_MAX_AGE_MS);
    expect((await get(t)).state.watchlist[0]?.price).toBe("65010");
    expect(storeReads(t)).toBe(reads);
    // an order: the open and recent lists and the positions (lots + orders) only
    const second = await seedOrder(t.store, { status: "ACTIVE" });
    expect((await get(t)).state.open_orders.map((o) => o.id)).toContain(second.id);
    expect(storeReads(t)).toBe(reads + 3);
    // the watchlist: that section only
    await t.store.watchlist.upsert({ symbol: "ETH_USD" });
    expect((await get(t)).state.watchlist.map((w) => w.symbol)).toEqual(["BTC_USD", "ETH_USD"]);
    expect(storeReads(t)).toBe(reads + 4);
  });

  it("another process's writes show within the store sections' age", async () => {
    t = await apiDataServer();
    await get(t);
    // a second connection to the same SQLite file: its writes are not counted by this store
    const logger = createLogger({ level: "silent", pretty: false });
    const other = await openStore({ dataDir: t.dataDir, logger, now: () => t!.time.now() });
    try {
      await other.watchlist.upsert({ symbol: "SOL_USD", tradeEnabled: true });
      await t.time.advance(DASHBOARD_STORE_MAX_AGE_MS);
      expect((await get(t)).state.watchlist.map((w) => w.symbol)).toEqual(["SOL_USD"]);
    } finally {
      await other.close();
    }
  });

  it("while read, a change is built in the background before the next request; idle, nothing runs", async () => {
    t = await apiDataServer();
    const snap = t.server.internals.dashboard!;
    const idleTimers = t.time.pendingCount;
    await get(t);
    const order = await seedOrder(t.store, { status: "ACTIVE" });
    const n = builds(t);
    const background = snap.backgroundBuilds;
    await t.time.advance(DASHBOARD_TICK_MS);
    expect(snap.backgroundBuilds).toBe(background + 1);
    expect(builds(t)).toBe(n + 1);
    // the next reader finds it built
    expect((await get(t)).state.open_orders.map((o) => o.id)).toEqual([order.id]);
    expect(builds(t)).toBe(n + 1);
    // not read for DASHBOARD_ACTIVE_MS: the timer ends, later changes wait for a reader
    await t.time.advance(DASHBOARD_ACTIVE_MS + DASHBOARD_TICK_MS);
    expect(t.time.pendingCount).toBe(idleTimers);
    const after = builds(t);
    await seedOrder(t.store, { status: "ACTIVE" });
    await t.time.advance(10 * DASHBOARD_TICK_MS);
    expect(builds(t)).toBe(after);
    expect((await get(t)).state.open_orders).toHaveLength(2);
    expect(builds(t)).toBe(after + 1);
  });

  it("partial, errors and data_verified as before, and recovered in the next answer after the max age", async () => {
    t = await apiDataServer();
    const state = t.deps.exchange.state;
    t.deps.exchange.state = () => {
      throw new Error("status source broken");
    };
    t.exchange.balances = {
      ...verified("5", t.time.now()),
      verified: false,
      reason: "maintenance (9010001)",
    };
    let s = (await get(t)).state;
    expect(s.partial).toBe(true);
    expect(s.errors[0]).toBe("exchange: status source broken");
    expect(s.errors[1]).toMatch(
      /^balances: not verified now \(last verified at .*\): maintenance \(9010001\)$/,
    );
    expect(s.exchange.data_verified).toBe(false);
    expect(s.balances[0]?.total).toBe("5");

    // balances verified again: the next answer (a change of the balances)
    t.exchange.balances = verified("5", t.time.now());
    s = (await get(t)).state;
    expect(s.errors).toEqual(["exchange: status source broken"]);
    // the status source recovers: within the max age
    t.deps.exchange.state = state;
    await t.time.advance(DASHBOARD_MAX_AGE_MS);
    s = (await get(t)).state;
    expect(s.partial).toBe(false);
    expect(s.errors).toEqual([]);
    expect(s.exchange.data_verified).toBe(true);
  });
});
