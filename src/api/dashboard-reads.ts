/**
 * The dashboard state's store reads, one `VersionedRead` per section (versioned-read.ts): each is
 * read again only when this process committed a write to its tables, or when it is older than the
 * age its caller allows. The parts that do not come from the store (prices, indicators, balances,
 * the exchange status, the engine's flags) are not here: dashboard-state.ts reads them at every build.
 *
 * Invariants:
 * - Every read is bounded and indexed: open orders (≤ 200) and recent orders (≤ 50) are order
 *   listings (the listed columns only, money as text, by (status, created_at, id) and
 *   (created_at, id)); the open positions' legs are one query for all lots, not one per lot.
 * - The order lists are kept mapped and serialised (`json`, UTF-8): a build that finds them current
 *   re-serialises nothing of them.
 * - Switches read fail-safe (store): the reads throw, the caller falls back (live off, kill on).
 */
import type { OrderListing, Store, WatchlistItem } from "../store/types.js";
import { NON_FINAL_ORDER_STATUSES } from "../store/vocabulary.js";
import type { Clock } from "../util/clock.js";
import type { ApiOrder, DiagnosisSummary } from "./contract/types.js";
import { diagnosisSummaryOf } from "./mappers/diagnosis.js";
import { apiOrderOfListing, type PositionLegs } from "./mappers/orders.js";
import { VersionedRead } from "./versioned-read.js";

export const DASHBOARD_OPEN_ORDERS_LIMIT = 200;
export const DASHBOARD_RECENT_ORDERS_LIMIT = 50;
/** Lots per legs query (the store's bound for `listingsByLots`). */
const LOTS_PER_QUERY = 500;

/** An order list as the API shows it, and the same serialised. */
export interface OrderSection {
  orders: ApiOrder[];
  json: Buffer;
}

/** The watchlist rows, in the store's order and by symbol. */
export interface WatchlistRows {
  items: WatchlistItem[];
  bySymbol: Map<string, WatchlistItem>;
}

const orderSection = (items: OrderListing[]): OrderSection => {
  const orders = items.map(apiOrderOfListing);
  return { orders, json: Buffer.from(JSON.stringify(orders), "utf8") };
};

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

/** The watchlist as one versioned read (shared by the dashboard and the webhook route). */
export function watchlistRead(store: Store, clock: Clock): VersionedRead<WatchlistRows> {
  return new VersionedRead(store, clock, ["watchlist"], async () => {
    const items = await store.watchlist.list();
    return { items, bySymbol: new Map(items.map((i) => [i.symbol, i])) };
  });
}

export class DashboardReads {
  readonly openOrders: VersionedRead<OrderSection>;
  readonly recentOrders: VersionedRead<OrderSection>;
  readonly positions: VersionedRead<PositionLegs[]>;
  readonly watchlist: VersionedRead<WatchlistRows>;
  readonly liveTrading: VersionedRead<boolean>;
  readonly killSwitch: VersionedRead<boolean>;
  readonly diagnosis: VersionedRead<DiagnosisSummary | null>;

  constructor(store: Store, clock: Clock, watchlist = watchlistRead(store, clock)) {
    const read = <T>(tables: Parameters<Store["writeVersion"]>[0], fn: () => Promise<T>) =>
      new VersionedRead(store, clock, tables, fn);
    this.openOrders = read(["orders"], async () =>
      orderSection(
        (
          await store.orders.listingPage({
            status: NON_FINAL_ORDER_STATUSES,
            limit: DASHBOARD_OPEN_ORDERS_LIMIT,
          })
        ).items,
      ),
    );
    this.recentOrders = read(["orders"], async () =>
      orderSection((await store.orders.listingPage({ limit: DASHBOARD_RECENT_ORDERS_LIMIT })).items),
    );
    this.positions = read(["lots", "orders"], () => openPositions(store));
    this.watchlist = watchlist;
    this.liveTrading = read(["settings"], async () => (await store.settings.liveTrading()).value);
    this.killSwitch = read(["settings"], async () => (await store.settings.killSwitch()).value);
    this.diagnosis = read(["diagnosis_reports"], async () => {
      const [last] = await store.reports.list(1);
      return last ? diagnosisSummaryOf(last) : null;
    });
  }

  /** Store reads done so far, all sections (tests, the bench). */
  get reads(): number {
    return [
      this.openOrders,
      this.recentOrders,
      this.positions,
      this.watchlist,
      this.liveTrading,
      this.killSwitch,
      this.diagnosis,
    ].reduce((n, r) => n + r.reads, 0);
  }
}
