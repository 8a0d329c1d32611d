/**
 * An operator change, audited: the change, its audit entry (actor, before, after) and its event are
 * written in one store transaction, so either all three are stored or none is.
 *
 * Invariants:
 * - `before` and `after` are JSON with money as decimal strings (a `Dec` writes itself exactly);
 *   a missing value is `null`.
 * - The event payload names the key or symbol, the actor, before and after.
 */
import type { Json, Store, Tx } from "../../store/types.js";

/** A record as audit JSON: Dec → decimal string, undefined fields left out, undefined → null. */
export function auditJsonOf(value: unknown): Json {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value)) as Json;
}

export interface AuditedChange<T> {
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  /** The event kind appended with the change. */
  event: string;
  symbol?: string | undefined;
  /** Reads the state before, inside the transaction. */
  before(tx: Tx): Promise<unknown>;
  /** Makes the change; returns the result and the state after (undefined: nothing changed, no audit). */
  apply(tx: Tx): Promise<{ result: T; after: unknown; changed: boolean }>;
}

export function applyAudited<T>(store: Store, c: AuditedChange<T>): Promise<T> {
  return store.transaction(async (tx) => {
    const before = auditJsonOf(await c.before(tx));
    const { result, after, changed } = await c.apply(tx);
    if (!changed) return result;
    const afterJson = auditJsonOf(after);
    await tx.audit.append({
      actor: c.actor,
      action: c.action,
      entity: c.entity,
      entityId: c.entityId,
      before,
      after: afterJson,
    });
    await tx.events.append({
      kind: c.event,
      symbol: c.symbol,
      payload: {
        [c.entity === "settings" ? "key" : "symbol"]: c.entityId,
        actor: c.actor,
        before,
        after: afterJson,
      },
    });
    return result;
  });
}
