/** Shared by the dry-run tests: bounded waits for real I/O, and a recorder of order updates. */
import type { Fill, Order, OrderUpdateSource, UpdateSource } from "../../../src/exchange/types.js";

/** Polls `cond` with short real waits (loopback I/O must complete), failing after `ms`. */
export async function until(cond: () => boolean, what: string, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface UpdateLog {
  orders: [Order, UpdateSource][];
  triggers: [Order, UpdateSource][];
  fills: Fill[];
  balances: number;
  ready: number;
  /** The last update of an order (by client_oid) from either channel. */
  last(clientOid: string): Order | undefined;
}

export function recordUpdates(src: OrderUpdateSource): UpdateLog {
  const log: UpdateLog = {
    orders: [],
    triggers: [],
    fills: [],
    balances: 0,
    ready: 0,
    last(clientOid) {
      const all = [...log.orders, ...log.triggers]
        .map(([o]) => o)
        .filter((o) => o.clientOid === clientOid)
        .sort((a, b) => a.updateTime - b.updateTime);
      // final statuses win over a later-arriving non-final copy of the same instant
      return (
        all.find((o) => o.status === "FILLED" || o.status === "CANCELED" || o.status === "REJECTED") ??
        all[all.length - 1]
      );
    },
  };
  src.on("order", (o, s) => log.orders.push([o, s]));
  src.on("triggerOrder", (o, s) => log.triggers.push([o, s]));
  src.on("trade", (f) => log.fills.push(f));
  src.on("balance", () => log.balances++);
  src.on("ready", () => log.ready++);
  return log;
}
