/**
 * Converging orders: what the exchange lists (open and recent history) against the store's rows.
 *
 * Invariants:
 * - An exchange order without a local row is adopted (`external: false`) when its client_oid
 *   starts with one of our prefixes, else recorded as external; either way with the venue's mode.
 * - A known order is updated only through `applyExchange` (never regresses). When the trader's
 *   `applyUpdate` hook is given it runs first (so its lot effects see a changed row), then the
 *   reconciler's own `applyExchange` (a no-op when the hook applied it) records the correction.
 * - A local non-final order the exchange no longer lists is looked up (order detail by id, then
 *   by client_oid, plain and trigger); never left as a ghost. An attempt the exchange does not know
 *   (PENDING_SUBMIT/UNKNOWN) becomes REJECTED `NOT_FOUND` only after that probe by client_oid said
 *   "not found" and only when older than the grace period; any other unknown order is left and
 *   counted as unresolved.
 */
import { isTriggerType } from "../../domain/orders.js";
import type { Order } from "../../exchange/types.js";
import type { AdoptAs, OrderRecord } from "../../store/types.js";
import { isFinalOrder, isInDoubt, type OrderRole } from "../../store/vocabulary.js";
import { orderDiffers, orderSummary, recordCorrection } from "./corrections.js";
import type { VenueSnapshot } from "./snapshot.js";
import type { ReconcileHooks, ReconcileReport, ReconcilerOptions } from "./types.js";

export interface OrderPassEnv {
  ctx: ReconcilerOptions["ctx"];
  venue: ReconcilerOptions["venue"];
  hooks: ReconcileHooks;
  ourPrefixes: readonly string[];
  pendingGraceMs: number;
  report: ReconcileReport;
}

function roleOf(o: Order): OrderRole {
  if (o.type === "STOP_LOSS" || o.type === "STOP_LIMIT") return "STOP_LOSS";
  if (o.type === "TAKE_PROFIT" || o.type === "TAKE_PROFIT_LIMIT") return "TAKE_PROFIT";
  if (o.listId && o.side === "SELL") return "TAKE_PROFIT";
  return o.side === "BUY" ? "ENTRY" : "EXIT";
}

async function findLocal(env: OrderPassEnv, o: Order): Promise<OrderRecord | undefined> {
  const orders = env.ctx.store.orders;
  return (
    (o.clientOid ? await orders.findByClientOid(o.clientOid) : undefined) ??
    (o.orderId ? await orders.findByExchangeId(o.orderId) : undefined)
  );
}

async function adopt(env: OrderPassEnv, o: Order): Promise<void> {
  const ours = o.clientOid !== "" && env.ourPrefixes.some((p) => o.clientOid.startsWith(p));
  const as: AdoptAs = { role: roleOf(o), mode: env.venue.mode, external: !ours };
  const at = env.ctx.time.now();
  const applied = await env.ctx.store.transaction(async (tx) => {
    const r = await tx.orders.applyExchange(o, as);
    if (!r.inserted) return r;
    await recordCorrection(tx, {
      action: ours ? "adopt" : "record_external",
      entity: "order",
      entityId: r.order.id,
      symbol: o.symbol,
      mode: env.venue.mode,
      before: null,
      after: orderSummary(r.order),
      at,
    });
    return r;
  });
  if (!applied.inserted) return;
  env.report.corrections += 1;
  if (ours) env.report.adopted += 1;
  else env.report.external += 1;
  if (env.hooks.applyUpdate) await env.hooks.applyUpdate(o, env.venue.mode);
}

/** Whether what the exchange says of an order would change its local row. */
function wouldChange(local: OrderRecord, o: Order): boolean {
  const more = o.filledQuantity.gt(local.filledQuantity);
  const final = isFinalOrder(local);
  return more || (!final && (local.status !== o.status || !local.exchangeOrderId));
}

/** Applies what the exchange says of a known order; true when the row changed. */
async function update(env: OrderPassEnv, local: OrderRecord, o: Order, action: string): Promise<boolean> {
  if (!wouldChange(local, o)) return false;
  if (env.hooks.applyUpdate) await env.hooks.applyUpdate(o, local.mode);
  const at = env.ctx.time.now();
  return env.ctx.store.transaction(async (tx) => {
    const r = await tx.orders.applyExchange(o);
    if (!orderDiffers(local, r.order)) return false;
    await recordCorrection(tx, {
      action,
      entity: "order",
      entityId: local.id,
      symbol: local.symbol,
      mode: local.mode,
      before: orderSummary(local),
      after: orderSummary(r.order),
      at,
    });
    return true;
  });
}

/** Looks a local order up on the exchange: by id (plain, then trigger), then by client_oid. */
async function lookUp(env: OrderPassEnv, local: OrderRecord): Promise<Order | undefined> {
  const c = env.venue.client;
  const advancedFirst = isTriggerType(local.type) || local.listId !== undefined;
  if (local.exchangeOrderId) {
    const ref = { orderId: local.exchangeOrderId };
    const found = advancedFirst
      ? ((await c.getTriggerOrder(ref)) ?? (await c.getOrder(ref)))
      : ((await c.getOrder(ref)) ?? (await c.getTriggerOrder(ref)));
    if (found) return found;
  }
  if (!local.clientOid) return undefined;
  return (
    (await c.probeOrder(local.clientOid, advancedFirst)) ??
    (await c.probeOrder(local.clientOid, !advancedFirst))
  );
}

async function resolveGhost(env: OrderPassEnv, local: OrderRecord): Promise<void> {
  const found = await lookUp(env, local);
  if (found) {
    if (await update(env, local, found, "resolve_from_exchange")) {
      env.report.resolved += 1;
      env.report.corrections += 1;
    }
    return;
  }
  const attempt = isInDoubt(local);
  const now = env.ctx.time.now();
  if (attempt && local.clientOid && now - local.createdAt >= env.pendingGraceMs) {
    await env.ctx.store.transaction(async (tx) => {
      const after = await tx.orders.setStatus(local.id, "REJECTED", "NOT_FOUND");
      await recordCorrection(tx, {
        action: "resolve_not_placed",
        entity: "order",
        entityId: local.id,
        symbol: local.symbol,
        mode: local.mode,
        before: orderSummary(local),
        after: orderSummary(after),
        at: now,
      });
    });
    env.report.resolved += 1;
    env.report.corrections += 1;
    return;
  }
  if (!attempt) {
    env.report.unresolved += 1;
    env.ctx.logger.warn(
      { orderId: local.id, exchangeOrderId: local.exchangeOrderId, status: local.status },
      "reconcile: a local open order the exchange neither lists nor finds",
    );
  }
}

export async function convergeOrders(env: OrderPassEnv, snap: VenueSnapshot): Promise<void> {
  const seen = new Set<string>();
  // One read of the non-final rows instead of one per listed order: a listed order whose row (by
  // client_oid, unique) already agrees is done. Rows never regress and the snapshot was read
  // first, so a row that agreed here needs nothing from this snapshot later in the pass either;
  // any other listed order is read afresh below, as before.
  const agreeing = new Map<string, OrderRecord>();
  for (const r of await env.ctx.store.orders.listNonFinal({ mode: env.venue.mode }))
    if (r.clientOid) agreeing.set(r.clientOid, r);
  for (const [listing, o] of [
    ...[...snap.open.values()].map((o) => ["open", o] as const),
    ...[...snap.history.values()].map((o) => ["history", o] as const),
  ]) {
    const known = o.clientOid ? agreeing.get(o.clientOid) : undefined;
    if (known && !wouldChange(known, o)) {
      seen.add(known.id);
      continue;
    }
    const local = await findLocal(env, o);
    if (!local) {
      await adopt(env, o);
      continue;
    }
    seen.add(local.id);
    if (await update(env, local, o, listing === "open" ? "update_from_open" : "resolve_from_history")) {
      env.report.corrections += 1;
      if (listing === "open") env.report.updated += 1;
      else env.report.resolved += 1;
    }
  }
  const ghosts = await env.ctx.store.orders.listNonFinal({ mode: env.venue.mode });
  for (const local of ghosts) if (!seen.has(local.id)) await resolveGhost(env, local);
}
