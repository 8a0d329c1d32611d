/**
 * Resume on start: every open intent and every open lot continues where it stood.
 *
 * Invariants:
 * - First, every PENDING_SUBMIT/UNKNOWN attempt is probed by client_oid (after it is stale, i.e.
 *   its creation + the nonce window) before anything else happens for its intent.
 * - An ENTRY never re-sends: an attempt confirmed absent fails the intent (NOT_FOUND); an entry
 *   interrupted before its request was written fails as INTERRUPTED (a stale signal is not traded).
 * - Open exchange orders of ours are polled once, so fills missed while down reach tracking.
 * - Lots whose protection is not PROTECTED are (re)protected or flattened; CLOSING lots finish
 *   their exit.
 */
import type { OrderRecord } from "../../store/types.js";
import { FINAL_ORDER_STATUSES } from "../../store/vocabulary.js";
import { venueFor } from "../context.js";
import { exitChildIntent, exitLot } from "../exits/exit.js";
import { resolveAttempt } from "../pipeline/ambiguity.js";
import { pollOnce } from "../pipeline/confirmation.js";
import { failIntent } from "../pipeline/intake.js";
import { ATTEMPT_STALE_MS, type TraderRuntime } from "../pipeline/runtime.js";

const isLeg = (o: OrderRecord) => o.role === "TAKE_PROFIT" || o.role === "STOP_LOSS";
const isFinal = (o: OrderRecord) => FINAL_ORDER_STATUSES.includes(o.status);

export interface ResumeHooks {
  protect(lotId: string): void;
  reprotect(lotId: string): void;
}

export async function resumeIntents(rt: TraderRuntime): Promise<void> {
  const { ctx } = rt;
  for (const intent of await ctx.store.intents.listOpen()) {
    if (!rt.act()) return;
    const venue = venueFor(ctx, intent.mode);
    if (!venue) continue;
    const orders = await ctx.store.orders.listByIntent(intent.id);
    for (const o of orders.filter((x) => x.status === "PENDING_SUBMIT" || x.status === "UNKNOWN")) {
      await resolveAttempt(rt, venue, o, o.createdAt + ATTEMPT_STALE_MS, isLeg(o));
    }
    const after = await ctx.store.orders.listByIntent(intent.id);
    for (const o of after.filter((x) => !isFinal(x))) await pollOnce(rt, venue, o);
    const fresh = await ctx.store.intents.get(intent.id);
    if (!fresh) continue;
    if (fresh.kind === "ENTRY" && !["DONE", "FAILED", "BLOCKED"].includes(fresh.status)) {
      const now = await ctx.store.orders.listByIntent(intent.id);
      if (now.length === 0) await failIntent(rt, fresh, "INTERRUPTED");
      else if (now.every((o) => o.status === "REJECTED" && o.reason === "NOT_FOUND"))
        await failIntent(rt, fresh, "NOT_FOUND");
    }
  }
}

export async function resumeLots(rt: TraderRuntime, hooks: ResumeHooks): Promise<void> {
  const { ctx } = rt;
  for (const lot of await ctx.store.lots.listOpen()) {
    if (!rt.act()) return;
    const venue = venueFor(ctx, lot.mode);
    if (!venue) continue;
    for (const o of (await ctx.store.orders.listByLot(lot.id)).filter((x) => !isFinal(x) && !x.external)) {
      if (o.status !== "PENDING_SUBMIT" && o.status !== "UNKNOWN") await pollOnce(rt, venue, o);
    }
    const cur = await ctx.store.lots.get(lot.id);
    if (!cur || cur.status === "CLOSED") continue;
    if (cur.status === "CLOSING") {
      const open = (await ctx.store.intents.listOpen({ symbol: cur.symbol, mode: cur.mode })).find(
        (i) => i.kind === "EXIT" && i.lotId === cur.id,
      );
      const child = open ?? (await exitChildIntent(rt, `resume:${cur.id}`, cur, "trader"));
      rt.background(`exit:${cur.id}`, async () => {
        await exitLot(rt, cur, child, hooks.reprotect);
      });
      continue;
    }
    if (cur.protection !== "PROTECTED" && cur.protection !== "NOT_NEEDED") hooks.protect(cur.id);
  }
}
