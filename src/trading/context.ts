/**
 * What the trader works with: the store, the venues an order can go to, the clock and the logger.
 * Everything in src/trading takes a `TradingContext` (or the part of it it needs) and constructs
 * nothing concrete: the composition root (src/app) builds the venues and the store.
 *
 * Invariants:
 * - The mode of an intent is decided once, when the intent is opened (`resolveMode`), and kept by
 *   every order and lot that follows from it: a lot opened in dry run is protected and closed in
 *   dry run even if live trading is switched on meanwhile, and the other way round.
 * - Live trading fails closed: an intent is LIVE (or DEMO) only when the environment allows it
 *   (`LIVE_TRADING=true`, or the demo), nothing refuses live orders (`liveRefusal`: key hygiene)
 *   *and* the store's live switch reads true; a store read error, a missing row or no live venue
 *   means DRY_RUN.
 * - Every wait and timestamp goes through `time` (tests run on ManualTime).
 */
import type { TradingMode } from "../domain/trading.js";
import type { ExchangeClient, OrderUpdateSource } from "../exchange/types.js";
import type { Logger } from "../log/logger.js";
import type { SettingsSnapshot, Store } from "../store/types.js";
import type { TimeSource } from "../util/clock.js";

/** A venue the trader can send orders to, with the account's order updates. */
export interface Venue {
  /** The client (live Crypto.com client, or the dry-run broker). */
  client: ExchangeClient;
  updates: OrderUpdateSource;
  /** The mode orders sent here are recorded with. */
  mode: TradingMode;
}

export interface Venues {
  /** The exchange (or, in the demo, the emulator): mode LIVE or DEMO. Absent without credentials. */
  live?: Venue | undefined;
  /** The dry-run broker: real market data, simulated fills; never a private call. Always present. */
  dry: Venue;
}

export interface TradingContext {
  store: Store;
  venues: Venues;
  time: TimeSource;
  logger: Logger;
  /** The environment allows live orders (`LIVE_TRADING=true`, or the demo on its emulator). */
  envLiveTrading: boolean;
  /** This process may act (the leader); checked before every side effect. */
  isLeader(): boolean;
  /** Why no live order may be sent now (ATP_REFUSE_WITHDRAW_KEYS and a key that can withdraw); undefined: they may. */
  liveRefusal?: (() => string | undefined) | undefined;
}

/** Why an intent got the mode it got (kept in its guard trace). */
export interface ModeDecision {
  mode: TradingMode;
  reason: "live" | "env_off" | "live_refused" | "switch_off" | "switch_unreadable" | "no_live_venue";
  detail?: string | undefined;
}

/**
 * The mode a new intent gets: live only when the environment, the store's switch and a live venue
 * all say so. `settings`: the decision's settings read, when it has one (else the switch is read).
 */
export async function resolveMode(ctx: TradingContext, settings?: SettingsSnapshot): Promise<ModeDecision> {
  const dry = ctx.venues.dry.mode;
  if (!ctx.envLiveTrading) return { mode: dry, reason: "env_off" };
  const refused = ctx.liveRefusal?.();
  if (refused !== undefined) return { mode: dry, reason: "live_refused", detail: refused };
  const live = ctx.venues.live;
  if (!live) return { mode: dry, reason: "no_live_venue" };
  const sw = settings ? settings.liveTrading : await ctx.store.settings.liveTrading();
  if (sw.why === "read_error" || sw.why === "invalid") {
    return { mode: dry, reason: "switch_unreadable", detail: sw.detail };
  }
  if (!sw.value) return { mode: dry, reason: "switch_off" };
  return { mode: live.mode, reason: "live" };
}

/** The venue orders of `mode` go to; undefined when it does not exist in this process. */
export function venueFor(ctx: TradingContext, mode: TradingMode): Venue | undefined {
  if (ctx.venues.dry.mode === mode) return ctx.venues.dry;
  return ctx.venues.live?.mode === mode ? ctx.venues.live : undefined;
}
