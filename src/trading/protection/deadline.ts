/**
 * Flattening: a lot that could not be protected by its deadline is sold at market.
 *
 * Invariants:
 * - FLATTENING and the critical `protection.failed` event are one transaction, raised once.
 * - Protection legs still open (or unknown) are cancelled by client_oid first and confirmed final,
 *   so the flatten sells only what is still held (open quantity − what legs filled), never more,
 *   and never also sells through a late OCO.
 * - One FLATTEN intent per lot (`flatten:<lot id>`); its MARKET order is re-attempted only after the
 *   previous attempt was confirmed absent (or definitely rejected).
 * - A flatten the venue rules refuse raises the critical `position.unprotected` event.
 * - Once the legs are confirmed final, the lot's open PROTECT intents end (FAILED,
 *   PROTECTION_DEADLINE): nothing resumes a protection that was given up.
 */
import type { Lot } from "../../store/types.js";
import type { Venue } from "../context.js";
import { cancelLegsAndConfirm, sellLot } from "../exits/sell-lot.js";
import { runGuards } from "../guards/index.js";
import type { TraderRuntime } from "../pipeline/runtime.js";

export async function flattenLot(
  rt: TraderRuntime,
  venue: Venue,
  lot: Lot,
  why: string,
): Promise<"flattened" | "failed" | "pending"> {
  const { ctx } = rt;
  if (!rt.act()) return "pending";
  await ctx.store.transaction(async (tx) => {
    const u = await tx.lots.update(lot.id, { protection: "FLATTENING" }, ["OPEN"]);
    if (u && lot.protection !== "FLATTENING") {
      await tx.events.append({
        kind: "protection.failed",
        symbol: lot.symbol,
        payload: {
          mode: lot.mode,
          lotId: lot.id,
          reason: why,
          critical: true,
          openQuantity: lot.openQuantity.toFixed(),
        },
      });
    }
  });
  const verdict = await runGuards(ctx, venue, {
    kind: "FLATTEN",
    symbol: lot.symbol,
    side: "SELL",
    mode: lot.mode,
    quantity: lot.openQuantity,
    protective: true,
    actor: "trader",
    now: ctx.time.now(),
  });
  if (!verdict.ok) return "pending";
  const confirmed = await cancelLegsAndConfirm(rt, venue, lot);
  if (!confirmed) return "pending";
  for (const p of await ctx.store.intents.listOpen({ symbol: lot.symbol, mode: lot.mode })) {
    if (p.kind === "PROTECT" && p.lotId === lot.id)
      await ctx.store.intents.transition(p.id, { to: "FAILED", reasonCode: "PROTECTION_DEADLINE" });
  }
  const intent = await ctx.store.intents
    .create({
      idempotencyKey: `flatten:${lot.id}`,
      kind: "FLATTEN",
      symbol: lot.symbol,
      side: "SELL",
      mode: lot.mode,
      lotId: lot.id,
      actor: "trader",
    })
    .then((r) => (r.created ? r.intent : r.existing));
  const r = await sellLot(rt, venue, lot, intent);
  if (r === "refused") {
    await ctx.store.events.append({
      kind: "position.unprotected",
      symbol: lot.symbol,
      payload: {
        mode: lot.mode,
        lotId: lot.id,
        reason: "flatten refused by the venue rules",
        critical: true,
      },
    });
    return "failed";
  }
  return r === "sold" || r === "closed" ? "flattened" : r === "pending" ? "pending" : "failed";
}
