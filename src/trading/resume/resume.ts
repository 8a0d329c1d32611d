/**
 * Resume on start: every open intent and every open lot continues where it stood.
 *
 * Invariants:
 * - First, every PENDING_SUBMIT/UNKNOWN attempt is probed by client_oid before anything else
 *   happens for its intent: found → applied at once; not found → called absent only by a probe
 *   after it is stale (its creation + the nonce window). That wait runs in the background: it
 *   never delays start(), other intents or the protection of lots.
 * - An ENTRY never re-sends: an attempt confirmed absent fails the intent (NOT_FOUND); an entry
 *   interrupted before its request was written fails as INTERRUPTED (a stale signal is not traded).
 * - Open exchange orders of ours are polled once, so fills missed while down reach tracking.
 * - Lots whose protection is not PROTECTED are (re)protected or flattened; CLOSING lots finish
 *   their exit (retried until it is no longer pending), and the SELL requests whose exits were
 *   interrupted end (DONE when their lots closed; FAILED INTERRUPTED when killed before the guards).
 * - A lot's EXIT intent killed before its lot became CLOSING fails INTERRUPTED (the lot stays OPEN
 *   and protected); its request ends EXIT_FAILED.
 */
import type { OrderRecord } from "../../store/types.js";
import { isFinalOrder, isInDoubt } from "../../store/vocabulary.js";
import { type Venue, venueFor } from "../context.js";
import { continueExit, finishExitRequest } from "../exits/exit.js";
import { resolveAttempt } from "../pipeline/ambiguity.js";
import { pollOnce } from "../pipeline/confirmation.js";
import { failIntent } from "../pipeline/intake.js";
import type { TraderRuntime } from "../pipeline/runtime.js";

const isLeg = (o: OrderRecord) => o.role === "TAKE_PROFIT" || o.role === "STOP_LOSS";

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
    // Probe every attempt in doubt now: one the exchange has is resolved at once. One it does not
    // have yet can only be called absent at its stale instant — that wait runs in the background,
    // so it never holds the start, the other intents or the lots' protection behind it.
    let waiting = false;
    for (const o of (await ctx.store.orders.listByIntent(intent.id)).filter(isInDoubt)) {
      const r = await resolveAttempt(rt, venue, o, o.createdAt + rt.attemptStaleMs, isLeg(o), ctx.time.now());
      if (r.kind === "unresolved") waiting = true;
    }
    if (waiting) rt.background(`resume:${intent.id}`, () => finishIntent(rt, venue, intent.id));
    else await finishIntent(rt, venue, intent.id);
  }
}

/** Resolves the intent's attempts still in doubt (waiting for their stale instant), polls its open orders, ends an entry that never went out. */
async function finishIntent(rt: TraderRuntime, venue: Venue, intentId: string): Promise<void> {
  const { ctx } = rt;
  for (const o of (await ctx.store.orders.listByIntent(intentId)).filter(isInDoubt)) {
    if (!rt.act()) return;
    await resolveAttempt(rt, venue, o, o.createdAt + rt.attemptStaleMs, isLeg(o));
  }
  if (!rt.act()) return;
  const after = await ctx.store.orders.listByIntent(intentId);
  for (const o of after.filter((x) => !isFinalOrder(x))) await pollOnce(rt, venue, o);
  const fresh = await ctx.store.intents.get(intentId);
  if (!fresh) return;
  if (fresh.kind === "ENTRY" && !["DONE", "FAILED", "BLOCKED"].includes(fresh.status)) {
    const now = await ctx.store.orders.listByIntent(intentId);
    if (now.length === 0) await failIntent(rt, fresh, "INTERRUPTED");
    else if (now.every((o) => o.status === "REJECTED" && o.reason === "NOT_FOUND"))
      await failIntent(rt, fresh, "NOT_FOUND");
  }
}

/**
 * A lot's EXIT intent that never started its exit (no sale attempted) while its lot is not CLOSING.
 * The intent and the CLOSING are one commit now (exits/exit.ts `exitLot`); a store written before
 * that can hold one left by a kill between the two. The lot is still OPEN under its protection, so
 * the exit is not resumed (a stale signal is not traded, as for an entry): the intent fails
 * INTERRUPTED and its request ends EXIT_FAILED. One whose lot closed meanwhile ends DONE.
 */
async function endUnstartedLotExits(rt: TraderRuntime, stillOpen: ReadonlySet<string>): Promise<void> {
  const { ctx } = rt;
  for (const i of await ctx.store.intents.listOpen()) {
    if (!rt.act()) return;
    if (i.kind !== "EXIT" || i.lotId === undefined || i.attempt > 0) continue;
    if (stillOpen.has(i.lotId)) await failIntent(rt, i, "INTERRUPTED");
    else if ((await ctx.store.lots.get(i.lotId))?.status === "CLOSED")
      await ctx.store.intents.transition(i.id, { to: "DONE" });
  }
}

export async function resumeLots(rt: TraderRuntime, hooks: ResumeHooks): Promise<void> {
  const { ctx } = rt;
  const stillOpen = new Set<string>();
  for (const lot of await ctx.store.lots.listOpen()) {
    if (!rt.act()) return;
    const venue = venueFor(ctx, lot.mode);
    if (!venue) continue;
    for (const o of (await ctx.store.orders.listByLot(lot.id)).filter(
      (x) => !isFinalOrder(x) && !x.external,
    )) {
      if (o.status !== "PENDING_SUBMIT" && o.status !== "UNKNOWN") await pollOnce(rt, venue, o);
    }
    const cur = await ctx.store.lots.get(lot.id);
    if (!cur || cur.status === "CLOSED") continue;
    if (cur.status === "CLOSING") {
      continueExit(rt, cur, `resume:${cur.id}`, "trader", hooks.reprotect);
      continue;
    }
    stillOpen.add(cur.id);
    if (cur.protection !== "PROTECTED" && cur.protection !== "NOT_NEEDED") hooks.protect(cur.id);
  }
  await endUnstartedLotExits(rt, stillOpen);
  // request-level EXIT intents (a SELL over the symbol's lots) end once their lots' exits have
  for (const i of await ctx.store.intents.listOpen()) {
    if (i.kind === "EXIT" && i.lotId === undefined)
      rt.background(`exit-request:${i.id}`, () => finishExitRequest(rt, i.id));
  }
}
