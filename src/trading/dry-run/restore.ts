/**
 * A dry run after a restart. The broker's simulated account lives in memory only, so at start the
 * store's open DRY_RUN work is brought back into a consistent state before the trader resumes:
 *
 * Invariants:
 * - Every DRY_RUN order the store still holds as not final (protection legs, an exit in flight) is
 *   closed as CANCELED with reason `DRY_RUN_RESTART`, with an audit entry (before/after): the
 *   simulated venue that held it is gone and it can never fill.
 * - Every DRY_RUN intent not final ends FAILED with `DRY_RUN_RESTART` (nothing it sent exists any
 *   more; an entry in flight bought nothing in the new account).
 * - Every open DRY_RUN lot goes back to protection NONE (its simulated OCO is gone), so the trader's
 *   resume protects it again at once; a CLOSING lot goes back to OPEN (its exit restarts cleanly).
 * - The virtual account starts with the configured balances plus the base quantity every open
 *   DRY_RUN lot still holds, so its protection and its exit can be placed (spot: a SELL needs it).
 */
import type { Store } from "../../store/types.js";
import { Dec } from "../../util/decimal.js";

export const DRY_RUN_RESTART = "DRY_RUN_RESTART";

/** Restores the store's DRY_RUN state; returns the balances the broker starts with. */
export async function restoreDryRun(
  store: Store,
  balances: Readonly<Record<string, string>>,
): Promise<Record<string, string>> {
  const funds = new Map<string, Dec>(Object.entries(balances).map(([c, v]) => [c, new Dec(v)]));
  for (const order of await store.orders.listNonFinal({ mode: "DRY_RUN" })) {
    await store.transaction(async (tx) => {
      const after = await tx.orders.setStatus(order.id, "CANCELED", DRY_RUN_RESTART);
      await tx.audit.append({
        actor: "engine",
        action: "dry_run.restart",
        entity: "order",
        entityId: order.id,
        before: { status: order.status },
        after: { status: after?.status ?? "CANCELED", reason: DRY_RUN_RESTART },
      });
    });
  }
  for (const intent of await store.intents.listOpen({ mode: "DRY_RUN" }))
    await store.intents.transition(intent.id, { to: "FAILED", reasonCode: DRY_RUN_RESTART });
  for (const lot of await store.lots.listOpen({ mode: "DRY_RUN" })) {
    await store.lots.update(lot.id, {
      protection: "NONE",
      ocoListId: null,
      ...(lot.status === "CLOSING" ? { status: "OPEN" as const } : {}),
    });
    const base = lot.symbol.split("_")[0];
    if (base) funds.set(base, (funds.get(base) ?? new Dec(0)).plus(lot.openQuantity));
  }
  return Object.fromEntries([...funds].map(([c, v]) => [c, v.toFixed()]));
}
