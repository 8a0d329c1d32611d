/**
 * Tracking: one exchange order update (stream, poll or probe) applied to the store, with its
 * effects on the intent and the lot, in ONE transaction with the events it raises.
 *
 * Invariants:
 * - The store never regresses (orders.applyExchange): a stale or repeated update changes nothing
 *   and raises nothing, so the stream and polling may both deliver the same state.
 * - A final ENTRY with a filled quantity opens exactly one lot (the intent's `lotId` is the guard):
 *   quantity = filled − a base-currency fee, floored to the quantity step; protection PENDING with
 *   its deadline = now + settings.protection.deadlineS. A final ENTRY with nothing filled fails its
 *   intent with the exchange's reason.
 * - Effects outside the transaction (protect a lot, settle a lot) are returned as follow-ups.
 */
import { isFinalStatus } from "../../domain/orders.js";
import type { Instrument, Order } from "../../exchange/types.js";
import type { AdoptAs, OrderRecord, Tx } from "../../store/types.js";
import { isFinalOrder, type TradingMode } from "../../store/vocabulary.js";
import type { TradingContext, Venue } from "../context.js";
import { feeInQuote } from "./pnl.js";

export type TrackingFollowUp = { kind: "protect"; lotId: string } | { kind: "settle"; lotId: string };

export interface AppliedUpdate {
  record: OrderRecord;
  changed: boolean;
  followUps: TrackingFollowUp[];
}

function adoptExternal(order: Order, mode: TradingMode): AdoptAs {
  const t = order.type;
  const role =
    t === "STOP_LOSS" || t === "STOP_LIMIT"
      ? "STOP_LOSS"
      : t === "TAKE_PROFIT" || t === "TAKE_PROFIT_LIMIT"
        ? "TAKE_PROFIT"
        : order.side === "BUY"
          ? "ENTRY"
          : "EXIT";
  return { role, mode, external: true };
}

export async function applyOrderUpdate(
  ctx: TradingContext,
  venue: Venue,
  order: Order,
  mode: TradingMode,
): Promise<AppliedUpdate> {
  const known =
    (order.clientOid ? await ctx.store.orders.findByClientOid(order.clientOid) : undefined) ??
    (order.orderId ? await ctx.store.orders.findByExchangeId(order.orderId) : undefined);
  const inst =
    known?.role === "ENTRY" && isFinalStatus(order.status)
      ? await venue.client.getInstrument(order.symbol)
      : undefined;
  return ctx.store.transaction(async (tx) => {
    const res = await tx.orders.applyExchange(order, known ? undefined : adoptExternal(order, mode));
    const rec = res.order;
    const followUps: TrackingFollowUp[] = [];
    if (!res.changed) return { record: rec, changed: false, followUps };
    const wasFinal = res.before !== undefined && isFinalOrder(res.before);
    if (rec.status === "FILLED" && res.before?.status !== "FILLED") {
      await tx.events.append({
        kind: "order.filled",
        symbol: rec.symbol,
        payload: {
          mode: rec.mode,
          orderId: rec.id,
          role: rec.role,
          side: rec.side,
          filledQuantity: rec.filledQuantity.toFixed(),
          avgPrice: rec.avgPrice?.toFixed() ?? null,
          lotId: rec.lotId ?? null,
        },
      });
    }
    if (rec.role === "ENTRY" && rec.intentId && isFinalOrder(rec) && !wasFinal && !rec.external) {
      const lotId = await openLotForEntry(ctx, tx, venue, rec, inst);
      if (lotId) followUps.push({ kind: "protect", lotId });
    } else if (rec.lotId && rec.side === "SELL" && !rec.external) {
      followUps.push({ kind: "settle", lotId: rec.lotId });
    }
    return { record: rec, changed: true, followUps };
  });
}

async function openLotForEntry(
  ctx: TradingContext,
  tx: Tx,
  venue: Venue,
  rec: OrderRecord,
  inst: Instrument | undefined,
): Promise<string | undefined> {
  const intent = rec.intentId ? await tx.intents.get(rec.intentId) : undefined;
  if (!intent) return undefined;
  if (intent.lotId) return undefined;
  if (rec.filledQuantity.isZero()) {
    await tx.intents.transition(intent.id, {
      to: "FAILED",
      reasonCode: `EXCHANGE_${rec.reason ?? rec.status}`,
    });
    return undefined;
  }
  const feeBase = inst && rec.feeCurrency === inst.baseCcy ? rec.fee : rec.fee.mul(0);
  const net = rec.filledQuantity.minus(feeBase);
  const quantity = inst ? venue.client.rules.floorQuantity(inst, net) : net;
  const price = rec.avgPrice ?? rec.price;
  const entryFee =
    price && inst ? feeInQuote(rec.fee, rec.feeCurrency, inst.quoteCcy, price) : rec.fee.mul(0);
  const protection = await tx.settings.get("protection");
  const now = ctx.time.now();
  const lot = await tx.lots.create({
    symbol: rec.symbol,
    mode: rec.mode,
    status: "OPEN",
    protection: "PENDING",
    entryOrderId: rec.id,
    entryPrice: price,
    quantity,
    openQuantity: quantity,
    protectDeadline: now + protection.value.deadlineS * 1000,
    openedAt: now,
  });
  await tx.lots.update(lot.id, { fees: entryFee });
  await tx.orders.link(rec.id, { lotId: lot.id });
  await tx.intents.transition(intent.id, { to: "DONE", lotId: lot.id });
  return lot.id;
}
