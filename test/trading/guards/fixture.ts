/**
 * Guard test fixture: a real store (SQLite in a temp dir, or a PostgreSQL schema), a TradingContext
 * around it, and a venue whose client implements only `getBalance` (every other method throws: the
 * guards must make no other exchange call). Seeding goes through the store's repositories.
 */

import type { TradingMode } from "../../../src/domain/trading.js";
import type { AccountBalance, ExchangeClient, OrderUpdateSource } from "../../../src/exchange/types.js";
import type { Lot, Store, StoreDialect } from "../../../src/store/types.js";
import type { TradingContext, Venue } from "../../../src/trading/context.js";
import type { GuardRequest } from "../../../src/trading/guards/index.js";
import { ManualTime } from "../../../src/util/clock.js";
import { dec } from "../../../src/util/decimal.js";
import { quietLogger, resetStore, type StoreHome, storeHome } from "../../store/helpers.js";

/** 2026-01-05 12:00:00 UTC. */
export const NOW = Date.UTC(2026, 0, 5, 12, 0, 0);
export const DAY_START = Date.UTC(2026, 0, 5);

export function balanceOf(
  ccys: Record<string, string>,
  marketValues?: Record<string, string>,
): AccountBalance {
  return {
    totalAvailable: dec("0"),
    totalCash: undefined,
    totalMargin: undefined,
    currencies: Object.entries(ccys).map(([currency, q]) => ({
      currency,
      total: dec(q),
      reserved: dec("0"),
      available: dec(q),
      marketValue: marketValues?.[currency] !== undefined ? dec(marketValues[currency]!) : undefined,
      maxWithdrawal: undefined,
    })),
  };
}

export class BalanceStub {
  calls = 0;
  balance: AccountBalance = balanceOf({ USD: "10000" });
  failure: unknown;
  readonly client: ExchangeClient;
  constructor() {
    const target = {
      venue: "stub",
      getBalance: async () => {
        this.calls++;
        if (this.failure) throw this.failure;
        return this.balance;
      },
    };
    this.client = new Proxy(target, {
      get(t, prop) {
        if (Object.hasOwn(t, prop)) return t[prop as keyof typeof t];
        throw new Error(`the guards called ExchangeClient.${String(prop)}`);
      },
    }) as unknown as ExchangeClient;
  }
}

const noUpdates: OrderUpdateSource = { on: () => undefined, off: () => undefined, connected: true };

export interface GuardFixture {
  home: StoreHome;
  store: Store;
  ctx: TradingContext;
  venue: Venue;
  stub: BalanceStub;
  leader: { value: boolean };
  /** A request: a 50 USD BUY entry of BTC_USD in DRY_RUN by the engine at NOW, unless overridden. */
  req(over?: Partial<GuardRequest>): GuardRequest;
  /** BTC_USD in the watchlist, trading on, 50 USD. */
  watch(symbol?: string, over?: { tradeEnabled?: boolean; amountUsd?: string | null }): Promise<void>;
  /** A stored ENTRY order of `symbol` created at `at` (the store's clock). */
  entryOrder(
    at: number,
    o?: { symbol?: string; mode?: TradingMode; notional?: string; reject?: boolean },
  ): Promise<void>;
  /** An open lot (or a closed one with `closed`). */
  lot(o?: {
    symbol?: string;
    mode?: TradingMode;
    qty?: string;
    closed?: { at: number; pnl: string; reason: "STOP_LOSS" | "TAKE_PROFIT" | "SIGNAL" };
  }): Promise<Lot>;
  reset(): Promise<void>;
  dispose(): Promise<void>;
}

let seq = 0;

export async function guardFixture(dialect: StoreDialect = "sqlite"): Promise<GuardFixture> {
  const home = await storeHome(dialect);
  const store = await home.open();
  const stub = new BalanceStub();
  const leader = { value: true };
  const venue: Venue = { client: stub.client, updates: noUpdates, mode: "DRY_RUN" };
  const ctx: TradingContext = {
    store,
    venues: { dry: venue },
    time: new ManualTime(NOW),
    logger: quietLogger(),
    envLiveTrading: false,
    isLeader: () => leader.value,
  };
  return {
    home,
    store,
    ctx,
    venue,
    stub,
    leader,
    req: (over = {}) => ({
      kind: "ENTRY",
      symbol: "BTC_USD",
      side: "BUY",
      mode: "DRY_RUN",
      protective: false,
      actor: "engine",
      now: NOW,
      ...over,
    }),
    async watch(symbol = "BTC_USD", over = {}) {
      await store.watchlist.upsert({
        symbol,
        tradeEnabled: over.tradeEnabled ?? true,
        amountUsd: over.amountUsd === null ? null : dec(over.amountUsd ?? "50"),
      });
    },
    async entryOrder(at, o = {}) {
      const symbol = o.symbol ?? "BTC_USD";
      const mode = o.mode ?? "DRY_RUN";
      home.clock.set(at);
      const key = `k${++seq}`;
      const r = await store.intents.create({
        idempotencyKey: key,
        kind: "ENTRY",
        symbol,
        side: "BUY",
        mode,
        actor: "engine",
      });
      if (!r.created) throw new Error("duplicate key");
      const order = await store.orders.insertAttempt({
        intentId: r.intent.id,
        attempt: 1,
        clientOid: `atp-${key}`,
        symbol,
        side: "BUY",
        type: "MARKET",
        role: "ENTRY",
        mode,
        notional: dec(o.notional ?? "50"),
      });
      await store.intents.transition(r.intent.id, { to: o.reject ? "FAILED" : "DONE" });
      if (o.reject) await store.orders.setStatus(order.id, "REJECTED", "NOT_SENT");
      else await store.orders.setStatus(order.id, "FILLED");
    },
    async lot(o = {}) {
      const lot = await store.lots.create({
        symbol: o.symbol ?? "BTC_USD",
        mode: o.mode ?? "DRY_RUN",
        status: "OPEN",
        protection: "PROTECTED",
        entryPrice: dec("50000"),
        quantity: dec(o.qty ?? "0.001"),
        openedAt: NOW - 3_600_000,
      });
      if (!o.closed) return lot;
      const closed = await store.lots.update(lot.id, {
        status: "CLOSED",
        openQuantity: dec("0"),
        exitReason: o.closed.reason,
        realisedPnl: dec(o.closed.pnl),
        closedAt: o.closed.at,
      });
      return closed!;
    },
    reset: () => resetStore(store),
    dispose: () => home.dispose(),
  };
}
