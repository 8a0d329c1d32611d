/**
 * Store orders and positions in the API's shapes (src/api/contract/types.ts).
 *
 * Invariants:
 * - Every decimal is its exact `Dec.toFixed()` text (never a JSON number, never exponent notation);
 *   exchange ids, client order ids and list ids stay strings as stored.
 * - An absent optional value is `null` (never omitted), so every field of the contract is present.
 * - `trigger_price` is the `ref_price` of a trigger order (STOP_LOSS, STOP_LIMIT, TAKE_PROFIT,
 *   TAKE_PROFIT_LIMIT: domain/orders.ts `isTriggerType`), null for any other type.
 * - Unrealised P&L is exact: (mark − entry) × open quantity − the open share of the lot's fees
 *   (fees × open/quantity); null when the mark, the entry or a non-zero quantity is unknown.
 */
import { isTriggerType } from "../../domain/orders.js";
import type { Lot, OrderListing, OrderRecord } from "../../store/types.js";
import type { PositionView } from "../../trading/services/index.js";
import { Dec } from "../../util/decimal.js";
import type { ApiOrder, ApiPosition } from "../contract/types.js";

/** Exact decimal text, or null. */
export function apiDecText(v: Dec | undefined): string | null {
  return v === undefined ? null : v.toFixed();
}

/** A stored order as the API's order: its money as exact text, then the listing's mapping. */
export function apiOrderOf(o: OrderRecord): ApiOrder {
  const text = (v: Dec | undefined) => (v === undefined ? undefined : v.toFixed());
  return apiOrderOfListing({
    ...o,
    quantity: text(o.quantity),
    notional: text(o.notional),
    price: text(o.price),
    refPrice: text(o.refPrice),
    filledQuantity: o.filledQuantity.toFixed(),
    avgPrice: text(o.avgPrice),
    fee: o.fee.toFixed(),
  });
}

/** A listed order (the store's listing: money already exact decimal text) as the API's order. */
export function apiOrderOfListing(o: OrderListing): ApiOrder {
  return {
    id: o.id,
    intent_id: o.intentId ?? null,
    client_oid: o.clientOid ?? null,
    exchange_order_id: o.exchangeOrderId ?? null,
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    role: o.role,
    status: o.status,
    quantity: o.quantity ?? null,
    notional: o.notional ?? null,
    price: o.price ?? null,
    ref_price: o.refPrice ?? null,
    trigger_price: isTriggerType(o.type) ? (o.refPrice ?? null) : null,
    filled_quantity: o.filledQuantity,
    avg_price: o.avgPrice ?? null,
    fee: o.fee,
    fee_currency: o.feeCurrency ?? null,
    list_id: o.listId ?? null,
    parent_id: o.parentId ?? null,
    lot_id: o.lotId ?? null,
    mode: o.mode,
    reason: o.reason ?? null,
    external: o.external,
    created_at: o.createdAt,
    updated_at: o.updatedAt,
  };
}

/** The mark price as a Dec, when it is a usable decimal text. */
function markOf(price: string | null | undefined): Dec | undefined {
  if (price === null || price === undefined) return undefined;
  try {
    const d = new Dec(price);
    return d.isFinite() && d.gt(0) ? d : undefined;
  } catch {
    return undefined;
  }
}

/** (mark − entry) × open − fees × open / quantity; undefined when it cannot be known. */
export function unrealisedPnl(lot: Lot, mark: Dec | undefined): Dec | undefined {
  if (mark === undefined || lot.entryPrice === undefined || lot.status === "CLOSED") return undefined;
  if (lot.quantity.isZero()) return undefined;
  const gross = mark.minus(lot.entryPrice).times(lot.openQuantity);
  const feeShare = lot.fees.times(lot.openQuantity).div(lot.quantity);
  return gross.minus(feeShare);
}

/** A lot with the ids of its newest legs (a PositionView, or the dashboard's lighter read). */
export type PositionLegs = Pick<PositionView, "lot"> & {
  takeProfit: { id: string } | undefined;
  stopLoss: { id: string } | undefined;
};

/** A position with its mark price (`price` from the market view, decimal text or null). */
export function apiPositionOf(
  view: PositionView | PositionLegs,
  price: string | null | undefined,
): ApiPosition {
  const { lot } = view;
  const mark = lot.status === "CLOSED" ? undefined : markOf(price);
  return {
    id: lot.id,
    symbol: lot.symbol,
    mode: lot.mode,
    status: lot.status,
    protection: lot.protection,
    entry_price: apiDecText(lot.entryPrice),
    quantity: lot.quantity.toFixed(),
    open_quantity: lot.openQuantity.toFixed(),
    sl_price: apiDecText(lot.slPrice),
    tp_price: apiDecText(lot.tpPrice),
    mark_price: apiDecText(mark),
    unrealised_pnl: apiDecText(unrealisedPnl(lot, mark)),
    realised_pnl: lot.realisedPnl.toFixed(),
    fees: lot.fees.toFixed(),
    take_profit_order_id: view.takeProfit?.id ?? null,
    stop_loss_order_id: view.stopLoss?.id ?? null,
    exit_reason: lot.exitReason ?? null,
    opened_at: lot.openedAt,
    closed_at: lot.closedAt ?? null,
  };
}
