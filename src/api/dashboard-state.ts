/**
 * `GET /api/dashboard/state`: everything the dashboard's first screen shows, in one answer
 * (built here; served by dashboard-snapshot.ts, which rebuilds it only when something changed).
 *
 * Invariants:
 * - Every part is read independently: a part that fails leaves its safe empty value, sets
 *   `partial: true` and adds "<part>: <why>" to `errors`; the answer is never a 500 because of one.
 * - Balances are never zeros standing in for "could not read": the source's last verified values
 *   (with `exchange.data_verified: false` and an error saying since when), or none with the reason.
 * - Switches read fail-safe (store): unreadable live switch → off, unreadable kill switch → on.
 * - Decimals are exact text (the mappers); the market source is asked once per symbol.
 * - Every store read is bounded and indexed: open orders (≤ 200) and recent orders (≤ 50) are
 *   order listings (the listed columns only, money as text, by (status, created_at, id) and
 *   (created_at, id)); the open positions' legs are one query for all lots, not one per lot.
 * - `freshness` and each row's `data_state` follow the grace rule of data-freshness.ts.
 */
import type { OrderListing, Store } from "../store/types.js";
import { FINAL_ORDER_STATUSES, STORED_ORDER_STATUSES } from "../store/vocabulary.js";
import type { ApiWatchlistItem, DashboardState, ExchangeState } from "./contract/types.js";
import type { DataFreshness } from "./data-freshness.js";
import type { ApiDeps, SymbolView } from "./deps.js";
import { diagnosisSummaryOf } from "./mappers/diagnosis.js";
import { keyHygieneOf } from "./mappers/key-hygiene.js";
import { apiWatchlistItemOf } from "./mappers/market.js";
import { apiOrderOfListing, apiPositionOf, type PositionLegs } from "./mappers/orders.js";

export const DASHBOARD_OPEN_ORDERS_LIMIT = 200;
export const DASHBOARD_RECENT_ORDERS_LIMIT = 50;
const OPEN_STATUSES = STORED_ORDER_STATUSES.filter((st) => !FINAL_ORDER_STATUSES.includes(st));
/** Lots per legs query (the store's bound for `listingsByLots`). */
const LOTS_PER_QUERY = 500;

const UNKNOWN_EXCHANGE: ExchangeState = {
  sync_status: "degraded",
  reason: "exchange status not available",
  data_verified: false,
  last_sync: null,
  last_error: null,
  outbound_ip: null,
  clock_offset_ms: null,
};

function why(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** What the market source knows of a symbol, or the reason it could not say (never throws). */
export function symbolViewOf(deps: ApiDeps, symbol: string): SymbolView | string {
  try {
    return deps.market.view(symbol);
  } catch (e) {
    return `market data not available: ${why(e)}`;
  }
}

function markOf(deps: ApiDeps, symbol: string, cache: Map<string, SymbolView | string>): string | null {
  let v = cache.get(symbol);
  if (v === undefined) {
    v = symbolViewOf(deps, symbol);
    cache.set(symbol, v);
  }
  return typeof v === "string" ? null : v.price;
}

/** The open lots with their newest take-profit and stop-loss legs (one query per 500 lots). */
async function openPositions(store: Store): Promise<PositionLegs[]> {
  const lots = await store.lots.listOpen();
  const byLot = new Map<string, OrderListing[]>();
  for (let i = 0; i < lots.length; i += LOTS_PER_QUERY)
    for (const o of await store.orders.listingsByLots(lots.slice(i, i + LOTS_PER_QUERY).map((l) => l.id))) {
      if (o.lotId === undefined) continue;
      const list = byLot.get(o.lotId);
      if (list) list.push(o);
      else byLot.set(o.lotId, [o]);
    }
  return lots.map((lot) => {
    // the same rule as the services' positionViewOf: the newest leg of each role by (created_at, id)
    const sorted = (byLot.get(lot.id) ?? []).sort(
      (a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id),
    );
    const newest = (role: OrderListing["role"]) => sorted.filter((o) => o.role === role).at(-1);
    return { lot, takeProfit: newest("TAKE_PROFIT"), stopLoss: newest("STOP_LOSS") };
  });
}

export async function dashboardState(deps: ApiDeps, freshness: DataFreshness): Promise<DashboardState> {
  const errors: string[] = [];
  const balanceErrors: string[] = [];
  async function part<T>(name: string, fallback: T, read: () => Promise<T> | T): Promise<T> {
    try {
      return await read();
    } catch (e) {
      errors.push(`${name}: ${why(e)}`);
      return fallback;
    }
  }
  const views = new Map<string, SymbolView | string>();
  const { store, engine } = deps;

  const exchange = await part("exchange", { ...UNKNOWN_EXCHANGE }, () => ({ ...deps.exchange.state() }));
  const errorsBefore = errors.length;
  const bal = await part("balances", null, () => deps.exchange.balances());
  let balances: DashboardState["balances"] = [];
  let portfolio: DashboardState["portfolio"] = { total_usd: null, as_of: null };
  if (bal) {
    balances = bal.balances;
    portfolio = { total_usd: bal.totalUsd, as_of: bal.asOf };
    if (!bal.verified) {
      exchange.data_verified = false;
      const since = bal.asOf === null ? "" : ` (last verified at ${new Date(bal.asOf).toISOString()})`;
      if (balances.length === 0) errors.push(`balances: not read${bal.reason ? `: ${bal.reason}` : ""}`);
      else errors.push(`balances: not verified now${since}${bal.reason ? `: ${bal.reason}` : ""}`);
    }
  } else exchange.data_verified = false;
  balanceErrors.push(...errors.slice(errorsBefore));

  const open = await part("open_orders", [], async () =>
    (await store.orders.listingPage({ status: OPEN_STATUSES, limit: DASHBOARD_OPEN_ORDERS_LIMIT })).items.map(
      apiOrderOfListing,
    ),
  );
  const recent = await part("recent_orders", [], async () =>
    (await store.orders.listingPage({ limit: DASHBOARD_RECENT_ORDERS_LIMIT })).items.map(apiOrderOfListing),
  );
  const positions = await part("positions", [], async () =>
    (await openPositions(store)).map((p) => apiPositionOf(p, markOf(deps, p.lot.symbol, views))),
  );
  const rows = await part("watchlist", [], async () =>
    (await store.watchlist.list()).map((item) => {
      let v = views.get(item.symbol);
      if (v === undefined) {
        v = symbolViewOf(deps, item.symbol);
        views.set(item.symbol, v);
      }
      return { item: apiWatchlistItemOf(item, v), createdAt: item.createdAt };
    }),
  );
  const watchlist: ApiWatchlistItem[] = rows.map((r) => r.item);
  const bot_status = {
    mode: await part("bot_status.mode", "DRY_RUN" as const, () => engine.mode()),
    live_trading: await part(
      "bot_status.live_trading",
      false,
      async () => (await store.settings.liveTrading()).value,
    ),
    kill_switch: await part(
      "bot_status.kill_switch",
      true,
      async () => (await store.settings.killSwitch()).value,
    ),
    leader: await part("bot_status.leader", false, () => engine.leader()),
    running: await part("bot_status.running", false, () => engine.running()),
  };
  const diagnosis = await part("diagnosis", null, async () => {
    const [last] = await store.reports.list(1);
    return last ? diagnosisSummaryOf(last) : null;
  });
  const fresh = freshness.classify({
    now: deps.time.now(),
    watchlist: rows,
    exchange,
    balances: bal ?? undefined,
    errors: errors.filter((e) => !balanceErrors.includes(e)),
    balanceErrors,
  });
  return {
    balances,
    portfolio,
    open_orders: open,
    recent_orders: recent,
    positions,
    watchlist,
    bot_status,
    exchange,
    diagnosis,
    partial: errors.length > 0,
    errors,
    key_hygiene: keyHygieneOf(engine),
    freshness: fresh,
  };
}
