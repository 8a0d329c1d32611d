/**
 * Settling a lot from its orders: when a protection leg fills, the sibling is cancelled (or
 * confirmed cancelled by the exchange); when everything sold is final, the lot closes with its
 * realised P&L and fees.
 *
 * Invariants:
 * - A lot closes only when none of its SELL orders is still open and either everything it held
 *   is sold or one of its EXIT orders (signal exit, flatten) is final with a fill.
 * - Exit reason: an EXIT order that filled decides (FLATTEN for a flatten intent, else SIGNAL);
 *   otherwise the leg that filled (TAKE_PROFIT / STOP_LOSS).
 * - An OPEN lot whose protection legs all ended without a fill (cancelled or expired outside atp)
 *   is no longer protected: its protection becomes NONE and the caller re-protects it.
 * - The close, its P&L and the `position.closed` event are one transaction, guarded by the lot's
 *   status (a second settle changes nothing).
 * - A closed lot leaves no open intent behind: in the same transaction its open EXIT / FLATTEN
 *   intents become DONE (the lot is sold) and its open PROTECT intents FAILED (LOT_CLOSED) — a
 *   process killed right after the close cannot leave them open for ever.
 */
import type { OrderRecord } from "../../store/types.js";
import type { LotExitReason } from "../../store/vocabulary.js";
import { isFinalOrder } from "../../store/vocabulary.js";
import { dec } from "../../util/decimal.js";
import type { Venue } from "../context.js";
import { exchangeFailureOf } from "../exchange-failure.js";
import { errText, type TraderRuntime } from "../pipeline/runtime.js";
import { lotClose } from "./pnl.js";

const isLeg = (o: OrderRecord) => o.role === "TAKE_PROFIT" || o.role === "STOP_LOSS";

export type SettleResult = "closed" | "open" | "unprotected" | "waiting";

export async function settleLot(rt: TraderRuntime, venue: Venue, lotId: string): Promise<SettleResult> {
  const { store } = rt.ctx;
  const lot = await store.lots.get(lotId);
  if (!lot || lot.status === "CLOSED") return "closed";
  const orders = (await store.orders.listByLot(lotId)).filter((o) => !o.external);
  const legs = orders.filter(isLeg);
  const filledLeg = legs.find((o) => !o.filledQuantity.isZero());
  if (filledLeg && rt.act()) {
    for (const sib of legs) {
      if (sib.id === filledLeg.id || isFinalOrder(sib) || !sib.clientOid) continue;
      if (sib.listId !== undefined && sib.listId !== filledLeg.listId) continue;
      try {
        await venue.client.cancelOrder({ clientOid: sib.clientOid });
      } catch (e) {
        // the exchange ends an OCO's other leg itself when one fills: "not found" (316) is that
        if (exchangeFailureOf(e)?.category === "not_found")
          rt.ctx.logger.info({ order: sib.id }, "sibling already ended on the exchange; confirming by probe");
        else
          rt.ctx.logger.warn(
            { err: errText(e), order: sib.id },
            "sibling cancel failed; confirming by probe",
          );
      }
      const seen = await venue.client.probeOrder(sib.clientOid, true).catch(() => undefined);
      if (seen) await rt.apply(seen, sib);
    }
  }
  const fresh = (await store.orders.listByLot(lotId)).filter((o) => !o.external && o.side === "SELL");
  if (fresh.some((o) => !isFinalOrder(o) && o.status !== "PENDING_SUBMIT")) return "waiting";
  if (fresh.some((o) => o.status === "PENDING_SUBMIT")) return "waiting";
  const sold = fresh.reduce((a, o) => a.plus(o.filledQuantity), dec("0"));
  const exits = fresh.filter((o) => o.role === "EXIT" && !o.filledQuantity.isZero());
  if (sold.isZero() || (sold.lessThan(lot.quantity) && exits.length === 0)) {
    const everyLegEnded = legs.length > 0 && legs.every(isFinalOrder);
    if (lot.status === "OPEN" && lot.protection === "PROTECTED" && everyLegEnded && sold.isZero()) {
      await store.transaction(async (tx) => {
        const u = await tx.lots.update(lotId, { protection: "NONE", ocoListId: null }, ["OPEN"]);
        if (u)
          await tx.events.append({
            kind: "position.unprotected",
            symbol: lot.symbol,
            payload: {
              mode: lot.mode,
              lotId,
              reason: "protection legs ended without a fill",
              critical: true,
            },
          });
      });
      return "unprotected";
    }
    return "open";
  }
  let reason: LotExitReason = filledLeg?.role === "STOP_LOSS" ? "STOP_LOSS" : "TAKE_PROFIT";
  if (exits.length > 0) {
    const intent = exits[0]?.intentId ? await store.intents.get(exits[0].intentId) : undefined;
    reason = intent?.kind === "FLATTEN" ? "FLATTEN" : "SIGNAL";
  }
  const inst = await venue.client.getInstrument(lot.symbol);
  const close = lotClose(lot, fresh, inst?.quoteCcy ?? "USD", lot.fees);
  const closed = await store.transaction(async (tx) => {
    const u = await tx.lots.update(
      lotId,
      {
        status: "CLOSED",
        openQuantity: dec("0"),
        exitReason: reason,
        realisedPnl: close.realisedPnl,
        fees: close.fees,
        closedAt: rt.ctx.time.now(),
        protection: lot.protection === "PROTECTED" ? "PROTECTED" : "NOT_NEEDED",
      },
      ["OPEN", "CLOSING", "OPENING"],
    );
    if (!u) return false;
    for (const i of await tx.intents.listOpen({ symbol: lot.symbol, mode: lot.mode })) {
      if (i.lotId !== lotId) continue;
      if (i.kind === "EXIT" || i.kind === "FLATTEN") await tx.intents.transition(i.id, { to: "DONE" });
      else if (i.kind === "PROTECT")
        await tx.intents.transition(i.id, { to: "FAILED", reasonCode: "LOT_CLOSED" });
    }
    await tx.events.append({
      kind: "position.closed",
      symbol: lot.symbol,
      payload: {
        mode: lot.mode,
        lotId,
        exitReason: reason,
        soldQuantity: close.soldQuantity.toFixed(),
        proceeds: close.proceeds.toFixed(),
        fees: close.fees.toFixed(),
        realisedPnl: close.realisedPnl.toFixed(),
      },
    });
    return true;
  });
  return closed ? "closed" : "open";
}
