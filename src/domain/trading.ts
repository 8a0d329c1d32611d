/**
 * Vocabulary of the trading engine to come (the `trader`, src/trading): settled here so the store's
 * columns, the API's response types and the dashboard's types are copied from one place.
 *
 * - An order's **role** says why the trader placed it: to open a position (`ENTRY`), to protect it
 *   (`STOP_LOSS`, `TAKE_PROFIT`, often placed together as an OCO pair) or to close it at the market
 *   or on a signal (`EXIT`). The exchange does not know roles; the trader records them beside the
 *   order's `client_oid`.
 * - The **mode** says what an order does: `LIVE` sends it to the configured exchange with real money,
 *   `DRY_RUN` runs the whole pipeline against the real market but fills on the local matching core
 *   (nothing is sent), `DEMO` trades against the emulator (`atp demo`). Only `LIVE` moves money and
 *   only `LIVE_TRADING=true` selects it; anything else means `DRY_RUN` (fail closed).
 */
import { oneOf } from "./one-of.js";

export const ORDER_ROLES = ["ENTRY", "STOP_LOSS", "TAKE_PROFIT", "EXIT"] as const;
export type OrderRole = (typeof ORDER_ROLES)[number];
export const isOrderRole = oneOf(ORDER_ROLES);

export const TRADING_MODES = ["LIVE", "DRY_RUN", "DEMO"] as const;
export type TradingMode = (typeof TRADING_MODES)[number];
export const isTradingMode = oneOf(TRADING_MODES);

/** What a mode does with an order: whether it reaches a real exchange account. */
export const MODE_MOVES_MONEY: Readonly<Record<TradingMode, boolean>> = {
  LIVE: true,
  DRY_RUN: false,
  DEMO: false,
};
