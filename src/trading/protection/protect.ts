/**
 * Protecting a lot until it is protected, or flattening it at the deadline.
 *
 * Invariants:
 * - Before a new attempt, every earlier attempt of the lot that is PENDING_SUBMIT/UNKNOWN is
 *   resolved by client_oid; legs found live make the lot PROTECTED without a new OCO.
 * - Attempts are retried with backoff (settings.protection.retryInitialMs doubling to retryMaxMs);
 *   at `lot.protectDeadline` an unprotected lot is flattened (deadline.ts).
 * - A lot whose protection the venue rules refuse (too small) is flattened at once if possible.
 * - PROTECTED, the OCO list id, the prices and `protection.placed` are one transaction, which reads
 *   the legs itself: a leg's status is only ever moved out of doubt, never back from what an update
 *   applied meanwhile said.
 */
import type { Intent, Lot, OrderRecord } from "../../store/types.js";
import { isFinalOrder, isInDoubt } from "../../store/vocabulary.js";
import { type Venue, venueFor } from "../context.js";
import type { TraderRuntime } from "../pipeline/runtime.js";
import { flattenLot } from "./deadline.js";
import { placeProtection, resolveLegs } from "./place-oco.js";

const isLeg = (o: OrderRecord) => o.role === "TAKE_PROFIT" || o.role === "STOP_LOSS";
const LIVE_STATES: readonly OrderRecord["status"][] = ["NEW", "ACTIVE", "PENDING"];

export type ProtectOutcome = "protected" | "flattened" | "failed" | "skipped" | "pending";

async function protectIntent(rt: TraderRuntime, lot: Lot): Promise<Intent> {
  const { store } = rt.ctx;
  const open = (await store.intents.listOpen({ symbol: lot.symbol, mode: lot.mode })).find(
    (i) => i.kind === "PROTECT" && i.lotId === lot.id,
  );
  if (open) return open;
  const r = await store.intents.create({
    idempotencyKey: `protect:${lot.id}:${rt.ctx.time.now()}`,
    kind: "PROTECT",
    symbol: lot.symbol,
    side: "SELL",
    mode: lot.mode,
    quantity: lot.openQuantity,
    lotId: lot.id,
    actor: "trader",
  });
  return r.created ? r.intent : r.existing;
}

async function markProtected(rt: TraderRuntime, lot: Lot, intent: Intent, listId: string): Promise<boolean> {
  return rt.ctx.store.transaction(async (tx) => {
    // read in the transaction: an update applied meanwhile (a leg ACTIVE, even FILLED) is never
    // written back over with the status read before it
    const legs = (await tx.orders.listByLot(lot.id)).filter((o) => isLeg(o) && o.intentId === intent.id);
    const mine = legs.filter((l) => l.listId === listId || l.attempt === intent.attempt);
    for (const l of mine) {
      await tx.orders.link(l.id, { listId });
      if (isInDoubt(l)) await tx.orders.setStatus(l.id, "NEW");
    }
    const tp = mine.find((l) => l.role === "TAKE_PROFIT");
    const sl = mine.find((l) => l.role === "STOP_LOSS");
    const u = await tx.lots.update(
      lot.id,
      {
        protection: "PROTECTED",
        ocoListId: listId,
        tpPrice: tp?.price ?? null,
        slPrice: sl?.refPrice ?? null,
        protectDeadline: null,
      },
      ["OPEN"],
    );
    await tx.intents.transition(intent.id, { to: "DONE" });
    if (!u) return false;
    await tx.events.append({
      kind: "protection.placed",
      symbol: lot.symbol,
      payload: {
        mode: lot.mode,
        lotId: lot.id,
        listId,
        quantity: tp?.quantity?.toFixed() ?? null,
        tpPrice: tp?.price?.toFixed() ?? null,
        slTrigger: sl?.refPrice?.toFixed() ?? null,
        slLimit: sl?.price?.toFixed() ?? null,
        slType: sl?.type ?? null,
      },
    });
    return true;
  });
}

export async function protectLotNow(rt: TraderRuntime, lotId: string): Promise<ProtectOutcome> {
  const { ctx } = rt;
  const first = await ctx.store.lots.get(lotId);
  if (first?.status !== "OPEN") return "skipped";
  if (first.protection === "FLATTENING") {
    const v = venueFor(ctx, first.mode);
    return v ? flattenLot(rt, v, first, "resuming a flatten") : "pending";
  }
  if (first.protection === "PROTECTED" || first.protection === "NOT_NEEDED") return "skipped";
  const venue = venueFor(ctx, first.mode);
  if (!venue) return "pending";
  const settings = (await ctx.store.settings.get("protection")).value;
  let lot = first;
  if (lot.protectDeadline === undefined) {
    lot =
      (await ctx.store.lots.update(lot.id, {
        protectDeadline: ctx.time.now() + settings.deadlineS * 1000,
      })) ?? lot;
  }
  const deadline = lot.protectDeadline ?? ctx.time.now();
  const intent = await protectIntent(rt, lot);
  let delay = settings.retryInitialMs;
  for (;;) {
    if (!rt.act()) return "pending";
    const cur = await ctx.store.lots.get(lotId);
    if (cur?.status !== "OPEN" || cur.protection === "PROTECTED")
      return cur?.protection === "PROTECTED" ? "protected" : "skipped";
    const listed = await leftover(rt, venue, cur, deadline);
    if (listed === "unresolved") {
      if (ctx.time.now() >= deadline)
        return flattenLot(rt, venue, cur, "protection not confirmed by the deadline");
      await rt.sleep(Math.max(1, Math.min(delay, deadline - ctx.time.now())));
      continue;
    }
    const fresh = (await ctx.store.intents.get(intent.id)) ?? intent;
    if (listed) return (await markProtected(rt, cur, fresh, listed)) ? "protected" : "skipped";
    if (ctx.time.now() >= deadline)
      return flattenLot(rt, venue, cur, "protection not confirmed by the deadline");
    const a = await placeProtection(rt, venue, fresh, cur, settings, deadline);
    if (a.kind === "placed") {
      const again = (await ctx.store.intents.get(intent.id)) ?? fresh;
      return (await markProtected(rt, cur, again, a.listId)) ? "protected" : "skipped";
    }
    if (a.kind === "refused")
      return flattenLot(rt, venue, cur, `protection refused by the venue rules: ${a.detail}`);
    ctx.logger.warn({ lot: lotId, detail: a.detail }, "protection attempt failed; retrying");
    const left = deadline - ctx.time.now();
    if (left <= 0) continue;
    await rt.sleep(Math.max(1, Math.min(delay, left)));
    delay = Math.min(delay * 2, settings.retryMaxMs);
  }
}

/** Earlier attempts: a live list id, "unresolved" while one is still ambiguous, or undefined. */
async function leftover(
  rt: TraderRuntime,
  venue: Venue,
  lot: Lot,
  deadline: number,
): Promise<string | "unresolved" | undefined> {
  const legs = (await rt.ctx.store.orders.listByLot(lot.id)).filter(isLeg);
  const live = legs.find((l) => LIVE_STATES.includes(l.status) && l.listId);
  if (live?.listId) return live.listId;
  const pending = legs.filter(isInDoubt);
  if (pending.length === 0) return undefined;
  const oldest = Math.min(...pending.map((l) => l.createdAt));
  const r = await resolveLegs(rt, venue, pending, oldest + rt.attemptStaleMs, deadline);
  if (r.kind === "placed") return r.listId;
  if (r.kind === "retry") return undefined;
  return legs.some((l) => !isFinalOrder(l) && !LIVE_STATES.includes(l.status)) ? "unresolved" : undefined;
}
