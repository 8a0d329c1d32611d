/**
 * The log of every order request received, accepted or not (admin `GET /emulator/admin/orders`),
 * bounded by `limits.order_log_size`.
 *
 * Invariants:
 * - Every entry has a `seq`, increasing by one per request received, never reused: a reader pages
 *   with `after=<last seq seen>` and misses nothing that is still retained, whatever was dropped.
 * - Beyond the capacity the oldest *final* entries are dropped (a request that never became an
 *   order, or whose order is FILLED, CANCELED, REJECTED or EXPIRED) and counted in `dropped`. An
 *   entry whose order is still open is never dropped, so the log may exceed the capacity by the
 *   number of open orders (themselves bounded by the open-order limits).
 * - The log outlives the matching engine's memory of final orders (`limits.max_final_orders`): when
 *   the engine forgets an order, its entry keeps the order's final state (`settle`).
 */

/** One order request as received. */
export interface ReceivedOrder {
  received_at: number;
  api_key: string;
  account: string;
  method: string;
  transport: "rest" | "ws";
  client_oid: string | null;
  order_id: string | null;
  list_id: string | null;
  instrument_name: string | null;
  side: string | null;
  type: string | null;
  response_code: number;
}

export interface LoggedOrder extends ReceivedOrder {
  /** Position in the order of arrival, from 1. */
  seq: number;
}

/** The last state of an order the matching engine no longer keeps. */
export interface SettledOrder {
  status: string;
  reason: number | null;
  cumulative_quantity: string;
}

export class OrderLog {
  /** By seq; a Map iterates in insertion order, which is seq order. */
  private readonly entries = new Map<number, LoggedOrder>();
  /** Retained entries with an order, by order id. */
  private readonly seqOfOrder = new Map<string, number>();
  /** Final states of retained entries' orders that the engine forgot. */
  private readonly settledOrders = new Map<string, SettledOrder>();
  private lastSeq = 0;
  private droppedCount = 0;

  constructor(
    private readonly capacity: number,
    /** Whether the order with this id is still open (not in a final status). */
    private readonly isOpen: (orderId: string) => boolean,
  ) {}

  add(r: ReceivedOrder): LoggedOrder {
    const entry: LoggedOrder = { seq: ++this.lastSeq, ...r };
    this.entries.set(entry.seq, entry);
    if (entry.order_id !== null) this.seqOfOrder.set(entry.order_id, entry.seq);
    if (this.entries.size > this.capacity) this.dropOldestFinal();
    return entry;
  }

  private dropOldestFinal(): void {
    for (const [seq, e] of this.entries) {
      if (e.order_id !== null && this.isOpen(e.order_id)) continue;
      this.entries.delete(seq);
      if (e.order_id !== null && this.seqOfOrder.get(e.order_id) === seq) {
        this.seqOfOrder.delete(e.order_id);
        this.settledOrders.delete(e.order_id);
      }
      this.droppedCount++;
      return;
    }
  }

  /** Keeps the final state of an order the engine forgets (only while its entry is retained). */
  settle(orderId: string, state: SettledOrder): void {
    if (this.seqOfOrder.has(orderId)) this.settledOrders.set(orderId, state);
  }

  /** The final state kept by `settle`, if any. */
  settled(orderId: string): SettledOrder | undefined {
    return this.settledOrders.get(orderId);
  }

  /** Requests received since start (retained or dropped). */
  get received(): number {
    return this.lastSeq;
  }

  /** Entries dropped to stay within the capacity (all of them final). */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Entries retained. */
  get size(): number {
    return this.entries.size;
  }

  /** Every retained entry, oldest first. */
  all(): LoggedOrder[] {
    return [...this.entries.values()];
  }

  /** Up to `limit` retained entries with seq > `after`, oldest first; `next` is the cursor of the following page (undefined on the last). */
  page(after: number, limit: number): { entries: LoggedOrder[]; next: number | undefined } {
    const entries: LoggedOrder[] = [];
    let more = false;
    for (const e of this.entries.values()) {
      if (e.seq <= after) continue;
      if (entries.length === limit) {
        more = true;
        break;
      }
      entries.push(e);
    }
    return { entries, next: more ? entries.at(-1)?.seq : undefined };
  }
}
