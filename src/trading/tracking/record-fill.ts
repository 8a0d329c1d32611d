/**
 * Tracking: one trade the venue reports (the user stream's `user.trade`, the dry-run broker's
 * fills) stored as it arrives, so that the fills table is current without waiting for a
 * reconciliation pass, and a pass's `insert_fill` correction means what it says: a trade the
 * stream did not deliver.
 *
 * Invariants:
 * - `fills.insert` is idempotent by trade id: the stream, its gap-fill and a pass may all report
 *   the same trade; it is stored once, and only the first to store it counts.
 * - A fill takes the mode of the order it belongs to (looked up by client_oid, then by exchange
 *   order id); a fill of an order atp does not know takes the venue's mode.
 */
import type { Fill } from "../../exchange/types.js";
import type { Store } from "../../store/types.js";
import type { TradingMode } from "../../store/vocabulary.js";

/** The mode a fill is stored under: its order's, else `fallback` (the venue's). */
export async function fillMode(store: Store, fill: Fill, fallback: TradingMode): Promise<TradingMode> {
  const local =
    (fill.clientOid ? await store.orders.findByClientOid(fill.clientOid) : undefined) ??
    (await store.orders.findByExchangeId(fill.orderId));
  return local?.mode ?? fallback;
}

/** Stores `fill` unless it is stored already. */
export async function recordFill(store: Store, fill: Fill, venueMode: TradingMode): Promise<void> {
  if (await store.fills.get(fill.tradeId)) return;
  await store.fills.insert(fill, await fillMode(store, fill, venueMode));
}
