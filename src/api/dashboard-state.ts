/**
 * `GET /api/dashboard/state`: everything the dashboard's first screen shows, in one answer.
 *
 * Invariants:
 * - Every part is read independently: a part that fails leaves its safe empty value, sets
 *   `partial: true` and adds "<part>: <why>" to `errors`; the answer is never a 500 because of one.
 * - Balances are never zeros standing in for "could not read": the source's last verified values
 *   (with `exchange.data_verified: false` and an error saying since when), or none with the reason.
 * - Switches read fail-safe (store): unreadable live switch → off, unreadable kill switch → on.
 * - Decimals are exact text (the mappers); the market source is asked once per symbol.
 */
import type { DashboardState, ExchangeState } from "./contract/types.js";
import type { ApiDeps, SymbolView } from "./deps.js";
import { diagnosisSummaryOf } from "./mappers/diagnosis.js";
import { keyHygieneOf } from "./mappers/key-hygiene.js";
import { apiWatchlistItemOf } from "./mappers/market.js";
import { apiOrderOf, apiPositionOf } from "./mappers/orders.js";

export const DASHBOARD_OPEN_ORDERS_LIMIT = 200;
export const DASHBOARD_RECENT_ORDERS_LIMIT = 50;

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

export async function dashboardState(deps: ApiDeps): Promise<DashboardState> {
  const errors: string[] = [];
  async function part<T>(name: string, fallback: T, read: () => Promise<T> | T): Promise<T> {
    try {
      return await read();
    } catch (e) {
      errors.push(`${name}: ${why(e)}`);
      return fallback;
    }
  }
  const views = new Map<string, SymbolView | string>();
  const { store, services, engine } = deps;

  const exchange = await part("exchange", { ...UNKNOWN_EXCHANGE }, () => ({ ...deps.exchange.state() }));
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

  const open = await part("open_orders", [], async () =>
    (await services.listOrders({ open: true, limit: DASHBOARD_OPEN_ORDERS_LIMIT })).items.map(apiOrderOf),
  );
  const recent = await part("recent_orders", [], async () =>
    (await services.listOrders({ limit: DASHBOARD_RECENT_ORDERS_LIMIT })).items.map(apiOrderOf),
  );
  const positions = await part("positions", [], async () =>
    (await services.listPositions({ open: true })).map((p) =>
      apiPositionOf(p, markOf(deps, p.lot.symbol, views)),
    ),
  );
  const watchlist = await part("watchlist", [], async () =>
    (await store.watchlist.list()).map((item) => {
      let v = views.get(item.symbol);
      if (v === undefined) {
        v = symbolViewOf(deps, item.symbol);
        views.set(item.symbol, v);
      }
      return apiWatchlistItemOf(item, v);
    }),
  );
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
  };
}
