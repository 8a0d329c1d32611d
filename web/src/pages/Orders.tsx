/**
 * Orders: open entry/exit orders (with Cancel), the protection legs (stop-loss and take-profit
 * orders, open and recent, with Cancel while working), executed orders of the recent past, orders refused
 * of the recent past (rejected before anything filled: a guard, or the auth breaker's NOT_SENT), and the full history
 * from GET /api/orders with filters and cursor paging.
 */
import { useEffect, useState } from "react";
import { api, describeError } from "../api/client.js";
import type { ApiOrder } from "../api/types.js";
import { OrdersTable } from "../components/OrdersTable.js";
import { useDashboard } from "../state/dashboard.js";

const PROTECTION = new Set(["STOP_LOSS", "TAKE_PROFIT"]);

function History() {
  const [status, setStatus] = useState("");
  const [symbol, setSymbol] = useState("");
  const [items, setItems] = useState<ApiOrder[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = async (from: string | null) => {
    try {
      const page = await api.orders({
        status,
        symbol: symbol.trim().toUpperCase(),
        ...(from ? { cursor: from } : {}),
      });
      setItems((prev) => (from ? [...prev, ...page.items] : page.items));
      setCursor(page.next_cursor);
      setError(null);
    } catch (e) {
      setError(describeError(e));
    }
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when a filter changes
  useEffect(() => void load(null), [status]);
  return (
    <details>
      <summary>History (all stored orders)</summary>
      <div className="row">
        <select value={status} onChange={(e) => setStatus(e.target.value)} aria-label="Status filter">
          <option value="">any status</option>
          {["NEW", "PENDING", "ACTIVE", "FILLED", "CANCELED", "REJECTED", "EXPIRED"].map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <input
          placeholder="Symbol"
          value={symbol}
          onChange={(e) => setSymbol(e.target.value)}
          aria-label="Symbol filter"
        />
        <button type="button" className="secondary" onClick={() => void load(null)}>
          Search
        </button>
      </div>
      {error && <p className="error">{error}</p>}
      <OrdersTable orders={items} testId="history" empty="No orders." />
      {cursor && (
        <button type="button" className="secondary" onClick={() => void load(cursor)}>
          Load more
        </button>
      )}
    </details>
  );
}

export function OrdersPage() {
  const { state } = useDashboard();
  if (!state) return null;
  const all = [
    ...state.open_orders,
    ...state.recent_orders.filter((o) => !state.open_orders.some((x) => x.id === o.id)),
  ];
  const open = state.open_orders.filter((o) => !PROTECTION.has(o.role));
  const legs = all.filter((o) => PROTECTION.has(o.role));
  const executed = state.recent_orders.filter((o) => /[1-9]/.test(o.filled_quantity)); // filled > 0, read from the text
  const refused = state.recent_orders.filter(
    (o) => o.status === "REJECTED" && !/[1-9]/.test(o.filled_quantity),
  );
  return (
    <section>
      <h2>Open orders</h2>
      <OrdersTable orders={open} testId="open-orders" cancel empty="No open entry or exit orders." />
      <h2>Protection legs</h2>
      <OrdersTable
        orders={legs}
        testId="protection-legs"
        cancel
        empty="No stop-loss or take-profit orders."
      />
      <h2>Executed</h2>
      <OrdersTable orders={executed} testId="executed-orders" empty="No executed orders yet." />
      <h2>Refused</h2>
      <OrdersTable orders={refused} testId="refused-orders" empty="No refused orders." />
      <History />
    </section>
  );
}
