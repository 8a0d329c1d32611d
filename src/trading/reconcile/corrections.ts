/**
 * Every change the reconciler makes is a correction: one audit entry (actor `reconciler`, before
 * and after) and one `reconcile.correction` event, in the same transaction as the change itself
 * when the reconciler makes the change.
 *
 * Invariant: what is recorded is a summary of the row (status, quantities as decimal strings,
 * ids), never the raw exchange object.
 */
import type { TradingMode } from "../../domain/trading.js";
import type { Json, OrderRecord, Tx } from "../../store/types.js";

export interface Correction {
  action: string;
  entity: "order" | "fill" | "lot";
  entityId: string;
  symbol: string | undefined;
  mode: TradingMode;
  before: Json;
  after: Json;
  at: number;
}

/** What the audit log keeps of an order row. */
export function orderSummary(o: OrderRecord | undefined): Json {
  if (!o) return null;
  return {
    status: o.status,
    filledQuantity: o.filledQuantity.toFixed(),
    avgPrice: o.avgPrice?.toFixed() ?? null,
    exchangeOrderId: o.exchangeOrderId ?? null,
    clientOid: o.clientOid ?? null,
    role: o.role,
    external: o.external,
    reason: o.reason ?? null,
  };
}

/** True when the row changed in a way worth recording. */
export function orderDiffers(a: OrderRecord | undefined, b: OrderRecord | undefined): boolean {
  if (!a || !b) return a !== b;
  return (
    a.status !== b.status ||
    !a.filledQuantity.eq(b.filledQuantity) ||
    a.exchangeOrderId !== b.exchangeOrderId ||
    a.reason !== b.reason
  );
}

export async function recordCorrection(tx: Tx, c: Correction): Promise<void> {
  await tx.audit.append({
    actor: "reconciler",
    action: c.action,
    entity: c.entity,
    entityId: c.entityId,
    before: c.before,
    after: c.after,
    at: c.at,
  });
  await tx.events.append({
    kind: "reconcile.correction",
    symbol: c.symbol,
    at: c.at,
    payload: { action: c.action, entity: c.entity, entityId: c.entityId, mode: c.mode, after: c.after },
  });
}
