/**
 * Fills, lots and balances of one pass.
 *
 * Invariants:
 * - Trades are inserted through `fills.insert` (idempotent by trade id); each new one is a
 *   correction (the stream missed it: the trader stores the stream's trades as they arrive,
 *   tracking/record-fill.ts), in one transaction with its audit entry and event.
 * - An OPEN lot without protection is handed to `hooks.protect` — except a lot whose protection
 *   is PENDING before its deadline (the trader's own retry loop owns it until then) and a lot being
 *   flattened. When `protect` throws the lot is flagged: one critical `position.unprotected` event
 *   per lot and reconciler (not one per pass) until it is seen protected.
 * - Balances are compared, never corrected: lots holding more of a currency than the account
 *   holds are logged and counted.
 */
import type { Fill } from "../../exchange/types.js";
import type { Lot } from "../../store/types.js";
import { Dec } from "../../util/decimal.js";
import { fillMode } from "../tracking/record-fill.js";
import { recordCorrection } from "./corrections.js";
import type { OrderPassEnv } from "./orders.js";
import type { VenueSnapshot } from "./snapshot.js";

export async function insertTrades(env: OrderPassEnv, trades: readonly Fill[]): Promise<void> {
  const store = env.ctx.store;
  for (const t of trades) {
    if (await store.fills.get(t.tradeId)) continue;
    const mode = await fillMode(store, t, env.venue.mode);
    const at = env.ctx.time.now();
    const inserted = await store.transaction(async (tx) => {
      const r = await tx.fills.insert(t, mode);
      if (!r.inserted) return false;
      await recordCorrection(tx, {
        action: "insert_fill",
        entity: "fill",
        entityId: t.tradeId,
        symbol: t.symbol,
        mode,
        before: null,
        after: { orderId: t.orderId, price: t.price.toFixed(), quantity: t.quantity.toFixed() },
        at,
      });
      return true;
    });
    if (inserted) {
      env.report.fills += 1;
      env.report.corrections += 1;
    }
  }
}

function needsProtect(lot: Lot, now: number): boolean {
  if (lot.status !== "OPEN") return false;
  if (lot.protection === "FLATTENING") return false;
  if (lot.protection === "PENDING" && lot.protectDeadline !== undefined && lot.protectDeadline > now) {
    return false;
  }
  return lot.protection === "NONE" || lot.protection === "PENDING" || lot.protection === "FAILED";
}

export async function protectLots(env: OrderPassEnv, flagged: Set<string>): Promise<void> {
  const lots = await env.ctx.store.lots.listUnprotected({ mode: env.venue.mode });
  const still = new Set(lots.map((l) => l.id));
  for (const id of [...flagged]) if (!still.has(id)) flagged.delete(id);
  for (const lot of lots) {
    if (!needsProtect(lot, env.ctx.time.now())) continue;
    try {
      env.report.protectRequested += 1;
      await env.hooks.protect(lot.id);
    } catch (e) {
      env.ctx.logger.error({ err: e, lotId: lot.id }, "reconcile: an open lot could not be protected");
      if (flagged.has(lot.id)) continue;
      flagged.add(lot.id);
      env.report.flagged += 1;
      await env.ctx.store.events.append({
        kind: "position.unprotected",
        symbol: lot.symbol,
        at: env.ctx.time.now(),
        payload: {
          lotId: lot.id,
          mode: lot.mode,
          protection: lot.protection,
          openQuantity: lot.openQuantity.toFixed(),
          severity: "critical",
          reason: e instanceof Error ? e.name : "error",
        },
      });
    }
  }
}

export async function compareBalances(env: OrderPassEnv, snap: VenueSnapshot): Promise<void> {
  const lots = await env.ctx.store.lots.listOpen({ mode: env.venue.mode });
  const held = new Map<string, Dec>();
  for (const lot of lots) {
    const inst = await env.venue.client.getInstrument(lot.symbol);
    if (!inst) continue;
    held.set(inst.baseCcy, (held.get(inst.baseCcy) ?? new Dec(0)).plus(lot.openQuantity));
  }
  const totals = new Map(snap.balance.currencies.map((c) => [c.currency, c.total]));
  for (const [ccy, qty] of held) {
    const total = totals.get(ccy) ?? new Dec(0);
    if (qty.lte(total)) continue;
    env.report.balanceMismatches += 1;
    env.ctx.logger.warn(
      { currency: ccy, lots: qty.toFixed(), balance: total.toFixed() },
      "reconcile: open lots hold more than the account's balance",
    );
  }
}
