/**
 * What the matching core remembers of orders and fills, bounded: every open order always, and the
 * `maxFinal` orders that became final (FILLED, CANCELED, REJECTED, EXPIRED) most recently, with
 * their fills. Beyond that the order that became final longest ago is forgotten: by id and by
 * client_oid (get-order-detail no longer finds it, its client_oid may be used again), in the history
 * and with its fills (get-trades). An OCO list is forgotten with its last leg.
 *
 * Invariants:
 * - An order is in exactly one of `open` (time priority) and `finals` (retention order) while it is
 *   remembered; `byId` holds both.
 * - The client_oid index keeps the order a client_oid first named: a REJECTED record never replaces
 *   an earlier order, and an accepted order replaces only a final one (reuse allowed by
 *   duplicate_client_oid_scope "open"), so lookups and cancels by client_oid reach the live order.
 * - Fills iterate in the order they happened (trade ids increase).
 */
import { FINAL_STATUSES } from "../../domain/orders.js";
import type { VenueFill, VenueOrder } from "./types.js";

/** Final orders kept when the caller does not say (documented in docs/emulator.md). */
export const DEFAULT_MAX_FINAL_ORDERS = 10_000;

export class OrderStore {
  private readonly byId = new Map<string, VenueOrder>();
  private readonly clientOids = new Map<string, Map<string, VenueOrder>>();
  /** Open orders in time priority. */
  private readonly open = new Map<string, VenueOrder>();
  /** Final orders, the one that became final longest ago first. */
  private readonly finals = new Map<string, VenueOrder>();
  /** Fills by trade id, in the order they happened. */
  private readonly fillsById = new Map<string, VenueFill>();
  private readonly fillsOf = new Map<string, string[]>();
  private readonly lists = new Map<string, VenueOrder[]>();
  private forgottenCount = 0;

  constructor(
    private readonly maxFinal: number,
    /** Called for each order forgotten (after it left every index). */
    private readonly onForget: (order: VenueOrder) => void,
  ) {
    if (!Number.isInteger(maxFinal) || maxFinal < 1) {
      throw new RangeError(`maxFinalOrders must be an integer of at least 1, got ${maxFinal}`);
    }
  }

  /** Records a new (open) order; `rejected` marks a REJECTED record of a refused request. */
  add(order: VenueOrder, rejected: boolean): void {
    this.byId.set(order.orderId, order);
    let byOid = this.clientOids.get(order.account);
    if (!byOid) {
      byOid = new Map();
      this.clientOids.set(order.account, byOid);
    }
    const prev = byOid.get(order.clientOid);
    if (!prev || (!rejected && FINAL_STATUSES.has(prev.status))) byOid.set(order.clientOid, order);
    this.open.set(order.orderId, order);
  }

  addList(listId: string, legs: VenueOrder[]): void {
    this.lists.set(listId, legs);
  }

  list(listId: string): readonly VenueOrder[] | undefined {
    return this.lists.get(listId);
  }

  /** Moves an order that reached a final status out of the open set; forgets the oldest beyond maxFinal. */
  settle(order: VenueOrder): void {
    this.open.delete(order.orderId);
    if (!this.byId.has(order.orderId) || this.finals.has(order.orderId)) return;
    this.finals.set(order.orderId, order);
    while (this.finals.size > this.maxFinal) {
      const oldest = this.finals.values().next().value as VenueOrder;
      this.forget(oldest);
    }
  }

  private forget(o: VenueOrder): void {
    this.finals.delete(o.orderId);
    this.byId.delete(o.orderId);
    const byOid = this.clientOids.get(o.account);
    if (byOid?.get(o.clientOid) === o) {
      byOid.delete(o.clientOid);
      if (byOid.size === 0) this.clientOids.delete(o.account);
    }
    for (const t of this.fillsOf.get(o.orderId) ?? []) this.fillsById.delete(t);
    this.fillsOf.delete(o.orderId);
    if (o.listId && this.lists.get(o.listId)?.every((leg) => !this.byId.has(leg.orderId))) {
      this.lists.delete(o.listId);
    }
    this.forgottenCount++;
    this.onForget(o);
  }

  addFill(fill: VenueFill): void {
    this.fillsById.set(fill.tradeId, fill);
    const ids = this.fillsOf.get(fill.orderId);
    if (ids) ids.push(fill.tradeId);
    else this.fillsOf.set(fill.orderId, [fill.tradeId]);
  }

  get(orderId: string): VenueOrder | undefined {
    return this.byId.get(orderId);
  }

  byClientOid(account: string, clientOid: string): VenueOrder | undefined {
    return this.clientOids.get(account)?.get(clientOid);
  }

  /** Open orders in time priority (live view: copy before finishing orders while iterating). */
  openOrders(): IterableIterator<VenueOrder> {
    return this.open.values();
  }

  /** Final orders still remembered, the oldest final first. */
  finalOrders(): IterableIterator<VenueOrder> {
    return this.finals.values();
  }

  fills(): IterableIterator<VenueFill> {
    return this.fillsById.values();
  }

  /** Every order remembered, in creation order. */
  all(): VenueOrder[] {
    return [...this.byId.values()];
  }

  get openCount(): number {
    return this.open.size;
  }

  get finalCount(): number {
    return this.finals.size;
  }

  /** Final orders forgotten since start. */
  get forgotten(): number {
    return this.forgottenCount;
  }
}
