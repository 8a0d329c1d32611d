/**
 * `TradingServices`: the one façade the CLI (now), the API and Telegram (later) call to read orders,
 * positions and settings and to change the switches and the watchlist. Thin: it reads and writes
 * the store; manual orders go through the injected `submit` (the Trader, which runs the guards).
 *
 * Invariants:
 * - No exchange call here: placing an order is `submit`'s (the same pipeline as the engine's).
 * - Every change (live switch, kill switch, notification settings, watchlist upsert/removal) is
 *   written with its audit entry (actor, before, after) and an event (`settings.changed`,
 *   `watchlist.changed`) in one transaction (audited.ts).
 * - Reads never take the leader lock: they work while another process trades.
 */
import type { Side } from "../../domain/orders.js";
import type {
  OrderPage,
  SettingRead,
  Store,
  TelegramNotificationSettings,
  WatchlistInput,
  WatchlistItem,
} from "../../store/types.js";
import { NON_FINAL_ORDER_STATUSES } from "../../store/vocabulary.js";
import type { Dec } from "../../util/decimal.js";
import { applyAudited } from "./audited.js";
import { type PositionView, positionViewOf, type TradingSettingsView } from "./views.js";

export type { PositionView, TradingSettingsView } from "./views.js";

/**
 * What a manual order asks (a structural subset of the Trader's TradeRequest, src/trading/requests.ts,
 * which the composition root passes in).
 */
export interface ManualOrderRequest {
  symbol: string;
  side: Side;
  amountUsd?: Dec | undefined;
  quantity?: Dec | undefined;
  actor: string;
}

/** `Req`/`Res`: the Trader's TradeRequest/TradeResult (inferred from `submit`). */
export interface TradingServicesOptions<Req = ManualOrderRequest, Res = unknown> {
  store: Store;
  /** The Trader's `submit` (absent: manual orders are not available in this process). */
  submit?: ((req: Req) => Promise<Res>) | undefined;
}

export interface OrderListQuery {
  /** Only orders not in a final status. */
  open?: boolean;
  symbol?: string;
  limit?: number;
  cursor?: string;
}

export class TradingServices<Req = ManualOrderRequest, Res = unknown> {
  private readonly store: Store;
  private readonly submit: ((req: Req) => Promise<Res>) | undefined;

  constructor(o: TradingServicesOptions<Req, Res>) {
    this.store = o.store;
    this.submit = o.submit;
  }

  /** Orders newest first, a page at a time (`nextCursor` for the next page). */
  listOrders(q: OrderListQuery = {}): Promise<OrderPage> {
    return this.store.orders.page({
      ...(q.open ? { status: NON_FINAL_ORDER_STATUSES } : {}),
      ...(q.symbol !== undefined ? { symbol: q.symbol } : {}),
      ...(q.limit !== undefined ? { limit: q.limit } : {}),
      ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
    });
  }

  /** Positions (lots) with their protection legs and P&L: open ones, oldest first, then (unless `open`) closed ones. */
  async listPositions(q: { open?: boolean; symbol?: string } = {}): Promise<PositionView[]> {
    const filter = q.symbol !== undefined ? { symbol: q.symbol } : {};
    const lots = await this.store.lots.listOpen(filter);
    if (!q.open) lots.push(...(await this.store.lots.closedSince(0, filter)));
    const out: PositionView[] = [];
    for (const lot of lots) out.push(positionViewOf(lot, await this.store.orders.listByLot(lot.id)));
    return out;
  }

  async getSettings(): Promise<TradingSettingsView> {
    const s = this.store.settings;
    return {
      liveTrading: await s.liveTrading(),
      killSwitch: await s.killSwitch(),
      limits: await s.get("limits"),
      lossProtection: await s.get("loss_protection"),
      protection: await s.get("protection"),
    };
  }

  setLiveTrading(on: boolean, actor: string): Promise<boolean> {
    return this.setSwitch("live_trading", on, actor);
  }

  setKillSwitch(on: boolean, actor: string): Promise<boolean> {
    return this.setSwitch("kill_switch", on, actor);
  }

  private setSwitch(key: "live_trading" | "kill_switch", on: boolean, actor: string): Promise<boolean> {
    return applyAudited(this.store, {
      actor,
      action: "settings.set",
      entity: "settings",
      entityId: key,
      event: "settings.changed",
      before: async (tx) => {
        const r = key === "live_trading" ? await tx.settings.liveTrading() : await tx.settings.killSwitch();
        return r.why === "stored" ? r.value : null;
      },
      apply: async (tx) => {
        const after = await tx.settings.set(key, on);
        return { result: after, after, changed: true };
      },
    });
  }

  /** The Telegram notification switches, daily summary and throttle (stored, or the defaults). */
  getNotificationSettings(): Promise<SettingRead<"telegram">> {
    return this.store.settings.get("telegram");
  }

  /**
   * Applies `change` to the current notification settings inside one transaction (no lost update
   * between two editors), validates and stores the result, audited as `actor`. A change that
   * leaves the value as it was writes nothing and audits nothing.
   */
  updateNotificationSettings(
    change: (current: TelegramNotificationSettings) => TelegramNotificationSettings,
    actor: string,
  ): Promise<TelegramNotificationSettings> {
    let stored = true;
    return applyAudited(this.store, {
      actor,
      action: "settings.set",
      entity: "settings",
      entityId: "telegram",
      event: "settings.changed",
      before: async (tx) => {
        const r = await tx.settings.get("telegram");
        stored = r.source === "stored";
        return stored ? r.value : null;
      },
      apply: async (tx) => {
        const current = (await tx.settings.get("telegram")).value;
        const next = change(structuredClone(current));
        if (stored && JSON.stringify(next) === JSON.stringify(current))
          return { result: current, after: current, changed: false };
        const after = await tx.settings.set("telegram", next);
        return { result: after, after, changed: true };
      },
    });
  }

  upsertWatchlist(input: WatchlistInput, actor: string): Promise<WatchlistItem> {
    return applyAudited(this.store, {
      actor,
      action: "watchlist.upsert",
      entity: "watchlist",
      entityId: input.symbol,
      symbol: input.symbol,
      event: "watchlist.changed",
      before: (tx) => tx.watchlist.get(input.symbol),
      apply: async (tx) => {
        const after = await tx.watchlist.upsert(input);
        return { result: after, after, changed: true };
      },
    });
  }

  /** True when the symbol was in the watchlist (and is now removed); nothing is audited otherwise. */
  removeWatchlist(symbol: string, actor: string): Promise<boolean> {
    return applyAudited(this.store, {
      actor,
      action: "watchlist.remove",
      entity: "watchlist",
      entityId: symbol,
      symbol,
      event: "watchlist.changed",
      before: (tx) => tx.watchlist.get(symbol),
      apply: async (tx) => {
        const removed = await tx.watchlist.remove(symbol);
        return { result: removed, after: null, changed: removed };
      },
    });
  }

  /** True when this process can place manual orders (a Trader was given). */
  get canSubmit(): boolean {
    return this.submit !== undefined;
  }

  /** A manual order through the Trader (guards, sizing, placement, protection). */
  submitManualOrder(req: Req): Promise<Res> {
    if (!this.submit)
      return Promise.reject(new Error("manual orders need the trading engine (no Trader here)"));
    return this.submit(req);
  }
}
