/**
 * Orders as a table (strings exactly as sent); an optional Cancel button for orders still working.
 * A stop-limit or take-profit-limit order shows its limit price and, under it, its trigger (the API's
 * `trigger_price`: which types trigger is the server's to say).
 */
import { api } from "../api/client.js";
import type { ApiOrder } from "../api/types.js";
import { useAction } from "../state/action.js";
import { text, time } from "../state/format.js";

const WORKING = new Set(["NEW", "PENDING", "ACTIVE"]);

function CancelButton({ order }: { order: ApiOrder }) {
  const action = useAction();
  const cancel = () => {
    if (window.confirm(`Cancel ${order.side} ${order.symbol} (${order.role})?`))
      void action.run(() => api.cancelOrder(order.id));
  };
  return (
    <>
      <button
        type="button"
        className="danger small"
        onClick={cancel}
        disabled={action.busy}
        data-testid={`cancel-${order.id}`}
      >
        Cancel
      </button>
      {action.error && <div className="error">{action.error}</div>}
    </>
  );
}

export function OrdersTable({
  orders,
  testId,
  cancel = false,
  empty,
}: {
  orders: ApiOrder[];
  testId: string;
  cancel?: boolean;
  empty: string;
}) {
  if (orders.length === 0) return <p className="muted">{empty}</p>;
  return (
    <table className="grid cards" data-testid={testId}>
      <thead>
        <tr>
          <th>Time</th>
          <th>Symbol</th>
          <th>Side</th>
          <th>Role</th>
          <th>Type</th>
          <th>Status</th>
          <th className="num">Quantity</th>
          <th className="num">Price</th>
          <th className="num">Filled @ avg</th>
          <th className="num">Fee</th>
          <th>Exchange id</th>
          {cancel && <th />}
        </tr>
      </thead>
      <tbody>
        {orders.map((o) => (
          <tr key={o.id} data-testid={`order-${o.id}`}>
            <td data-label="Time">{time(o.created_at)}</td>
            <td data-label="Symbol">
              <strong>{o.symbol}</strong> <span className="muted small">{o.mode}</span>
            </td>
            <td data-label="Side" className={o.side === "BUY" ? "pos" : "neg"}>
              {o.side}
            </td>
            <td data-label="Role">{o.role}</td>
            <td data-label="Type">{o.type}</td>
            <td data-label="Status">
              <span className={`pill status-${o.status}`}>{o.status}</span>
              {o.reason && <div className="muted small">{o.reason}</div>}
            </td>
            <td className="num" data-label="Quantity">
              {o.quantity ?? (o.notional ? `${o.notional} USD` : "—")}
            </td>
            <td className="num" data-label="Price">
              {text(o.price ?? o.ref_price)}
              {o.price && o.trigger_price && (
                <div className="muted small" data-testid={`trigger-${o.id}`}>
                  trigger {o.trigger_price}
                </div>
              )}
            </td>
            <td className="num" data-label="Filled @ avg">
              {o.filled_quantity} @ {text(o.avg_price)}
            </td>
            <td className="num" data-label="Fee">
              {o.fee} {o.fee_currency ?? ""}
            </td>
            <td data-label="Exchange id" className="mono small wide">
              {text(o.exchange_order_id)}
            </td>
            {cancel && <td data-label="">{WORKING.has(o.status) && <CancelButton order={o} />}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
