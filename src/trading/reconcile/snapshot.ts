/**
 * What one pass reads from the venue: open orders (plain and trigger/OCO), recent history, recent
 * trades and the balance.
 *
 * Invariants:
 * - Every read happens before anything is written: a pass works from one snapshot.
 * - One entry per exchange order id, open or past; when listings repeat an order, the newest update
 *   wins and a final state beats an open one.
 * - A read failure fails the whole snapshot (a pass never converges from half a picture).
 */
import { isFinalStatus } from "../../domain/orders.js";
import type { AccountBalance, ExchangeClient, Fill, Order } from "../../exchange/types.js";

export interface VenueSnapshot {
  /** Open orders by exchange order id. */
  open: Map<string, Order>;
  /** Recent final orders by exchange order id (not also open). */
  history: Map<string, Order>;
  trades: Fill[];
  balance: AccountBalance;
}

function byId(target: Map<string, Order>, orders: readonly Order[]): void {
  for (const o of orders) {
    const prev = target.get(o.orderId);
    if (!prev || o.updateTime >= prev.updateTime) target.set(o.orderId, o);
  }
}

export async function readVenueSnapshot(client: ExchangeClient, since: number): Promise<VenueSnapshot> {
  const [plain, trigger, history, trades, balance] = await Promise.all([
    client.getOpenOrders(),
    client.getOpenTriggerOrders(),
    client.getOrderHistory({ startTime: since, limit: 100 }),
    client.getMyTrades({ startTime: since, limit: 100 }),
    client.getBalance(),
  ]);
  const open = new Map<string, Order>();
  byId(open, plain);
  byId(open, trigger);
  const past = new Map<string, Order>();
  byId(past, history);
  for (const [id, o] of past) {
    // listed open by one call and final by the next: the final state is the newer one
    if (open.has(id) && isFinalStatus(o.status)) open.delete(id);
    else if (open.has(id)) past.delete(id);
  }
  return { open, history: past, trades, balance };
}
