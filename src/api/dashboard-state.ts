/**
 * `GET /api/dashboard/state`: everything the dashboard's first screen shows, in one answer
 * (built here; served by dashboard-snapshot.ts, which rebuilds it only when something changed).
 *
 * A build reads the store through `DashboardReads` (dashboard-reads.ts: one versioned read per
 * section, read again only after a committed write of this process to its tables or past the age
 * the caller allows) and the in-memory sources at every build: the exchange status, the balances,
 * the market views (prices, indicators, freshness), the engine's mode and flags, key hygiene.
 *
 * Invariants:
 * - Every part is read independently: a part that fails leaves its safe empty value, sets
 *   `partial: true` and adds "<part>: <why>" to `errors`; the answer is never a 500 because of one.
 * - Balances are never zeros standing in for "could not read": the source's last verified values
 *   (with `exchange.data_verified: false` and an error saying since when), or none with the reason.
 * - Switches read fail-safe (store): unreadable live switch → off, unreadable kill switch → on.
 * - Decimals are exact text (the mappers); the market source is asked once per symbol.
 * - `freshness` and each row's `data_state` follow the grace rule of data-freshness.ts.
 * - The serialised answer (`serialiseDashboard`) is byte for byte `JSON.stringify` of the state:
 *   the order lists' kept serialisation is spliced in where their arrays would be.
 */
import type { ApiWatchlistItem, DashboardState, ExchangeState } from "./contract/types.js";
import { DashboardReads, type OrderSection } from "./dashboard-reads.js";
import type { DataFreshness } from "./data-freshness.js";
import type { ApiDeps, SymbolView } from "./deps.js";
import { keyHygieneOf } from "./mappers/key-hygiene.js";
import { apiWatchlistItemOf } from "./mappers/market.js";
import { apiPositionOf } from "./mappers/orders.js";

const UNKNOWN_EXCHANGE: ExchangeState = {
  sync_status: "degraded",
  reason: "exchange status not available",
  data_verified: false,
  last_sync: null,
  last_error: null,
  outbound_ip: null,
  clock_offset_ms: null,
};

const NO_ORDERS: OrderSection = { orders: [], json: Buffer.from("[]") };

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

/** One build: the state, and the order lists as kept serialised. */
export interface DashboardBuild {
  state: DashboardState;
  orderJson: { open_orders: Buffer; recent_orders: Buffer };
}

/**
 * Builds the state; the store sections come from `reads`, each read again unless current and at
 * most `storeMaxAgeMs` old (0: every section is read).
 */
export async function buildDashboard(
  deps: ApiDeps,
  freshness: DataFreshness,
  reads: DashboardReads,
  storeMaxAgeMs: number,
): Promise<DashboardBuild> {
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
  const { engine } = deps;

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

  const open = await part("open_orders", NO_ORDERS, () => reads.openOrders.get(storeMaxAgeMs));
  const recent = await part("recent_orders", NO_ORDERS, () => reads.recentOrders.get(storeMaxAgeMs));
  const positions = await part("positions", [], async () =>
    (await reads.positions.get(storeMaxAgeMs)).map((p) =>
      apiPositionOf(p, markOf(deps, p.lot.symbol, views)),
    ),
  );
  const rows = await part("watchlist", [], async () =>
    (await reads.watchlist.get(storeMaxAgeMs)).items.map((item) => {
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
    live_trading: await part("bot_status.live_trading", false, () => reads.liveTrading.get(storeMaxAgeMs)),
    kill_switch: await part("bot_status.kill_switch", true, () => reads.killSwitch.get(storeMaxAgeMs)),
    leader: await part("bot_status.leader", false, () => engine.leader()),
    running: await part("bot_status.running", false, () => engine.running()),
  };
  const diagnosis = await part("diagnosis", null, () => reads.diagnosis.get(storeMaxAgeMs));
  const fresh = freshness.classify({
    now: deps.time.now(),
    watchlist: rows,
    exchange,
    balances: bal ?? undefined,
    errors: errors.filter((e) => !balanceErrors.includes(e)),
    balanceErrors,
  });
  return {
    state: {
      balances,
      portfolio,
      open_orders: open.orders,
      recent_orders: recent.orders,
      positions,
      watchlist,
      bot_status,
      exchange,
      diagnosis,
      partial: errors.length > 0,
      errors,
      key_hygiene: keyHygieneOf(engine),
      freshness: fresh,
    },
    orderJson: { open_orders: open.json, recent_orders: recent.json },
  };
}

/** The state read now, every section from the store. */
export async function dashboardState(deps: ApiDeps, freshness: DataFreshness): Promise<DashboardState> {
  return (await buildDashboard(deps, freshness, new DashboardReads(deps.store, deps.time), 0)).state;
}

/** `JSON.stringify(build.state)` as UTF-8, with the order lists' kept serialisation spliced in. */
export function serialiseDashboard(build: DashboardBuild): Buffer {
  const parts: Buffer[] = [];
  let text = "{";
  let first = true;
  for (const [key, value] of Object.entries(build.state)) {
    if (value === undefined) continue;
    text += `${first ? "" : ","}${JSON.stringify(key)}:`;
    first = false;
    if (key === "open_orders" || key === "recent_orders") {
      parts.push(Buffer.from(text, "utf8"), build.orderJson[key]);
      text = "";
    } else text += JSON.stringify(value);
  }
  parts.push(Buffer.from(`${text}}`, "utf8"));
  return Buffer.concat(parts);
}
