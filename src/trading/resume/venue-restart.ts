/**
 * A venue whose account lives in memory, after a restart (the dry-run broker; the demo's
 * in-process emulator): the venue that held the store's open work of that mode is gone, so at start
 * that work is brought back into a consistent state before the trader resumes.
 *
 * Invariants:
 * - Every order of the mode the store still holds as not final (protection legs, an exit in flight)
 *   is closed as CANCELED with `reason`, with an audit entry (before/after): the venue that held it
 *   is gone and it can never fill.
 * - Every intent of the mode not final ends FAILED with `reason` (nothing it sent exists any more;
 *   an entry in flight bought nothing in the new account).
 * - Every open lot of the mode goes back to protection NONE (its OCO is gone), so the trader's resume
 *   protects it again at once; a CLOSING lot goes back to OPEN (its exit restarts cleanly).
 * - The new account is `balances` plus the base quantity every open lot of the mode still holds, so
 *   its protection and its exit can be placed (spot: a SELL needs it). Amounts stay decimal.
 */
import type { Store } from "../../store/types.js";
import type { TradingMode } from "../../store/vocabulary.js";
import { Dec } from "../../util/decimal.js";

export interface VenueRestart {
  /** The balances the new account starts with. */
  balances: Record<string, string>;
  /** Open lots carried over (to be protected again). */
  lots: number;
  /** Orders closed as CANCELED with the reason. */
  orders: number;
}

/** Retires the store's open work of `mode` on a venue that restarted empty. */
export async function restartVenueWork(
  store: Store,
  mode: TradingMode,
  reason: string,
  balances: Readonly<Record<string, string>>,
): Promise<VenueRestart> {
  const funds = new Map<string, Dec>(Object.entries(balances).map(([c, v]) => [c, new Dec(v)]));
  const orders = await store.orders.listNonFinal({ mode });
  for (const order of orders) {
    await store.transaction(async (tx) => {
      const after = await tx.orders.setStatus(order.id, "CANCELED", reason);
      await tx.audit.append({
        actor: "engine",
        action: `${mode.toLowerCase()}.restart`,
        entity: "order",
        entityId: order.id,
        before: { status: order.status },
        after: { status: after?.status ?? "CANCELED", reason },
      });
    });
  }
  for (const intent of await store.intents.listOpen({ mode }))
    await store.intents.transition(intent.id, { to: "FAILED", reasonCode: reason });
  const lots = await store.lots.listOpen({ mode });
  for (const lot of lots) {
    await store.lots.update(lot.id, {
      protection: "NONE",
      ocoListId: null,
      ...(lot.status === "CLOSING" ? { status: "OPEN" as const } : {}),
    });
    const base = lot.symbol.split("_")[0];
    if (base) funds.set(base, (funds.get(base) ?? new Dec(0)).plus(lot.openQuantity));
  }
  return {
    balances: Object.fromEntries([...funds].map(([c, v]) => [c, v.toFixed()])),
    lots: lots.length,
    orders: orders.length,
  };
}
