/**
 * Confirmation: wait until an order is final, from the order update stream, polling the exchange
 * when the stream is not connected or silent for `pollMs`.
 *
 * Invariants:
 * - Every update (stream or poll) goes through tracking (`rt.apply`), so the store, the lot and
 *   the events change the same way whichever path saw the update first.
 * - Bounded by `timeoutMs`: the order is returned as it stands (tick() keeps confirming later).
 * - No poll when this process may not act.
 */
import type { Order } from "../../exchange/types.js";
import type { OrderRecord } from "../../store/types.js";
import { isFinalOrder } from "../../store/vocabulary.js";
import type { Venue } from "../context.js";
import { errText, type TraderRuntime } from "./runtime.js";

const isTriggerLike = (r: OrderRecord) => r.role === "TAKE_PROFIT" || r.role === "STOP_LOSS";

/** Looks an order up on the exchange by its client_oid (legs: plain, then trigger orders). */
export async function fetchOrder(venue: Venue, record: OrderRecord): Promise<Order | undefined> {
  if (!record.clientOid) return undefined;
  if (isTriggerLike(record)) return venue.client.probeOrder(record.clientOid, true);
  return venue.client.getOrder({ clientOid: record.clientOid });
}

/** Polls one order once and applies what the exchange says. */
export async function pollOnce(rt: TraderRuntime, venue: Venue, record: OrderRecord): Promise<void> {
  if (!rt.act()) return;
  try {
    const o = await fetchOrder(venue, record);
    if (o) await rt.apply(o, record);
  } catch (e) {
    rt.ctx.logger.warn({ err: errText(e), order: record.id }, "order poll failed");
  }
}

export async function confirmFinal(
  rt: TraderRuntime,
  venue: Venue,
  orderId: string,
  timeoutMs: number,
): Promise<OrderRecord | undefined> {
  const { ctx } = rt;
  const deadline = ctx.time.now() + timeoutMs;
  let first = true;
  for (;;) {
    const rec = await ctx.store.orders.get(orderId);
    if (!rec || isFinalOrder(rec) || !rec.clientOid) return rec;
    if (!rt.act()) return rec;
    if (first && !venue.updates.connected) {
      first = false;
      await pollOnce(rt, venue, rec);
      continue;
    }
    first = false;
    if (ctx.time.now() >= deadline) return rec;
    const heard = await rt.waitUpdate([rec.clientOid], rt.pollMs);
    if (heard && venue.updates.connected) continue;
    await pollOnce(rt, venue, rec);
  }
}
