/**
 * Selling what one lot still holds, at market (signal exits and flattening share it).
 *
 * Invariants:
 * - Protection legs are cancelled and confirmed final (update or poll) before anything is sold; a
 *   cancel that is not confirmed sells nothing. A leg in doubt (PENDING_SUBMIT/UNKNOWN: never
 *   acknowledged, so no update will come) is looked up by its client_oid at once and called absent
 *   at its stale instant, never waited for like a live order.
 * - The quantity is what the lot still holds (open quantity − what its SELL orders filled), capped
 *   by the available base balance and floored to the step: never more.
 * - Earlier attempts of the intent are resolved first; a new MARKET attempt is made only after the
 *   previous one was confirmed absent.
 * - One sale per lot at a time (per trader): a signal exit, an exit resumed after a restart and a
 *   flatten of the same lot run one after another, so none sizes its order from a held quantity
 *   the other is selling at that moment (the later one finds the lot closed, or what is left).
 */
import type { Intent, Lot, OrderRecord } from "../../store/types.js";
import { isFinalOrder, isInDoubt } from "../../store/vocabulary.js";
import { type Dec, dec } from "../../util/decimal.js";
import type { Venue } from "../context.js";
import { resolveAttempt } from "../pipeline/ambiguity.js";
import { confirmFinal } from "../pipeline/confirmation.js";
import { failIntent } from "../pipeline/intake.js";
import { placePlainOrder } from "../pipeline/placement.js";
import { errText, type TraderRuntime } from "../pipeline/runtime.js";
import { sizeSell } from "../sizing.js";
import { settleLot } from "../tracking/settle.js";

const isLeg = (o: OrderRecord) => o.role === "TAKE_PROFIT" || o.role === "STOP_LOSS";

/** What the lot still holds: its open quantity minus what its SELL orders filled. */
export function heldBy(lot: Lot, orders: readonly OrderRecord[]): Dec {
  const sold = orders
    .filter((o) => o.side === "SELL" && !o.external)
    .reduce((a, o) => a.plus(o.filledQuantity), dec("0"));
  const left = lot.openQuantity.minus(sold);
  return left.isNegative() ? dec("0") : left;
}

/** Cancels the lot's open protection legs and waits until each is final; false when not confirmed. */
export async function cancelLegsAndConfirm(rt: TraderRuntime, venue: Venue, lot: Lot): Promise<boolean> {
  const legs = (await rt.ctx.store.orders.listByLot(lot.id)).filter((o) => isLeg(o) && !isFinalOrder(o));
  if (legs.length === 0) return true;
  if (!rt.act()) return false;
  const lists = new Set(legs.map((l) => l.listId).filter((x): x is string => x !== undefined));
  for (const listId of lists) await cancelLeg(rt, venue, { listId });
  for (const l of legs.filter((x) => !x.listId && x.clientOid)) await cancelLeg(rt, venue, l);
  for (const l of legs) {
    const cur = await rt.ctx.store.orders.get(l.id);
    const r =
      cur && isInDoubt(cur)
        ? await settleLegInDoubt(rt, venue, cur)
        : await confirmFinal(rt, venue, l.id, rt.confirmTimeoutMs);
    if (!r || !isFinalOrder(r)) return false;
  }
  return true;
}

/** Cancels one OCO (by its list id) or one unlisted leg (by its client_oid); a failure is logged. */
async function cancelLeg(
  rt: TraderRuntime,
  venue: Venue,
  leg: { listId?: string | undefined; clientOid?: string | undefined; id?: string },
): Promise<void> {
  const sent = leg.listId
    ? venue.client.cancelOco(leg.listId)
    : venue.client.cancelOrder({ clientOid: leg.clientOid! });
  await sent.catch((e) =>
    rt.ctx.logger.warn(
      { err: errText(e), listId: leg.listId, order: leg.id },
      "cancel of a protection leg failed",
    ),
  );
}

/**
 * A leg in doubt was never acknowledged, so no update will come for it: it is looked up by its
 * client_oid at once, and again at its stale instant (when "not found" means absent). Found open,
 * it is cancelled and confirmed final like any listed leg; what comes back is the leg as it stands.
 */
async function settleLegInDoubt(
  rt: TraderRuntime,
  venue: Venue,
  leg: OrderRecord,
): Promise<OrderRecord | undefined> {
  const stale = leg.createdAt + rt.attemptStaleMs;
  let res = await resolveAttempt(rt, venue, leg, stale, true, rt.ctx.time.now());
  if (res.kind === "unresolved") res = await resolveAttempt(rt, venue, res.record, stale, true);
  if (res.kind !== "found" || isFinalOrder(res.record)) return res.record;
  await cancelLeg(rt, venue, res.record);
  return confirmFinal(rt, venue, res.record.id, rt.confirmTimeoutMs);
}

export type SellOutcome = "sold" | "closed" | "refused" | "failed" | "pending";

const selling = new WeakMap<TraderRuntime, Map<string, Promise<SellOutcome>>>();

export function sellLot(rt: TraderRuntime, venue: Venue, lot: Lot, intent: Intent): Promise<SellOutcome> {
  let running = selling.get(rt);
  if (!running) {
    running = new Map();
    selling.set(rt, running);
  }
  const lots = running;
  const prev = lots.get(lot.id);
  const run = (prev ? prev.catch(() => "failed" as const) : Promise.resolve()).then(() =>
    sellLotNow(rt, venue, lot, intent),
  );
  lots.set(lot.id, run);
  const clear = () => {
    if (lots.get(lot.id) === run) lots.delete(lot.id);
  };
  run.then(clear, clear);
  return run;
}

async function sellLotNow(rt: TraderRuntime, venue: Venue, lot: Lot, intent: Intent): Promise<SellOutcome> {
  const { ctx } = rt;
  const closed = async (): Promise<SellOutcome> => {
    await ctx.store.intents.transition(intent.id, { to: "DONE" });
    return "closed";
  };
  for (let round = 0; round < 3; round++) {
    if ((await settleLot(rt, venue, lot.id)) === "closed") return closed();
    const mine = await ctx.store.orders.listByIntent(intent.id);
    for (const o of mine.filter(isInDoubt)) {
      const r = await resolveAttempt(rt, venue, o, o.createdAt + rt.attemptStaleMs, false);
      if (r.kind === "unresolved") return "pending";
    }
    const live = (await ctx.store.orders.listByIntent(intent.id)).find((o) => !isFinalOrder(o));
    if (live) {
      await confirmFinal(rt, venue, live.id, rt.confirmTimeoutMs);
      const after = await ctx.store.orders.get(live.id);
      if (!after || !isFinalOrder(after)) return "pending";
      continue;
    }
    const now = await ctx.store.intents.get(intent.id);
    if (!now || now.status === "DONE" || now.status === "FAILED" || now.status === "BLOCKED") {
      return (await settleLot(rt, venue, lot.id)) === "closed" ? closed() : "failed";
    }
    const inst = await venue.client.getInstrument(lot.symbol);
    if (!inst) return "refused";
    const cur = (await ctx.store.lots.get(lot.id)) ?? lot;
    const held = heldBy(cur, await ctx.store.orders.listByLot(lot.id));
    const bal = await venue.client.getBalance().catch(() => undefined);
    const available = bal?.currencies.find((c) => c.currency === inst.baseCcy)?.available;
    const sized = sizeSell(
      venue.client.rules,
      inst,
      held,
      bal ? (available ?? dec("0")) : undefined,
      cur.entryPrice,
    );
    if (!sized.ok || !sized.quantity) {
      await failIntent(rt, now, "SIZE_BELOW_MINIMUM");
      return "refused";
    }
    const placed = await placePlainOrder(rt, venue, now, {
      type: "MARKET",
      role: "EXIT",
      quantity: sized.quantity,
      lotId: lot.id,
      parentId: lot.entryOrderId,
    });
    if (placed.kind === "not_leader" || placed.kind === "unresolved") return "pending";
    if (placed.kind === "rejected") {
      await failIntent(rt, now, `EXCHANGE_${placed.code ?? placed.category}`);
      return "failed";
    }
    if (placed.kind === "absent" || placed.kind === "not_sent") continue;
    const rec = await confirmFinal(rt, venue, placed.record.id, rt.confirmTimeoutMs);
    if (!rec || !isFinalOrder(rec)) return "pending";
    if (!rec.filledQuantity.isZero()) {
      await ctx.store.intents.transition(intent.id, { to: "DONE" });
      await settleLot(rt, venue, lot.id);
      return "sold";
    }
  }
  return "failed";
}
