/**
 * Portfolio: balances (exactly as the API sent them, with whether the exchange verified them and
 * when), the total in USD, and the positions with protection state, entry, mark and P&L.
 * Balances the API could not read are never shown as zeros: the page says why there are none.
 */
import { PositionsTable } from "../components/PositionsTable.js";
import { useDashboard } from "../state/dashboard.js";
import { DASH, text, time } from "../state/format.js";

export function PortfolioPage() {
  const { state } = useDashboard();
  if (!state) return null;
  const ex = state.exchange;
  const open = state.positions.filter((p) => p.status !== "CLOSED");
  const closed = state.positions.filter((p) => p.status === "CLOSED");
  return (
    <section>
      <div className="cards-row">
        <div className="stat">
          <div className="muted small">Total (USD)</div>
          <div className="big" data-testid="total-usd">
            {text(state.portfolio.total_usd)}
          </div>
          <div className="muted small">as of {time(state.portfolio.as_of)}</div>
        </div>
        <div className="stat">
          <div className="muted small">Exchange</div>
          <div className={`big sync-${ex.sync_status}`}>{ex.sync_status}</div>
          <div className="muted small">
            {ex.data_verified ? "balances verified" : "balances NOT verified"} · last sync{" "}
            {time(ex.last_sync)}
          </div>
        </div>
        <div className="stat">
          <div className="muted small">Open positions</div>
          <div className="big">{open.length}</div>
          <div className="muted small">{state.open_orders.length} open orders</div>
        </div>
      </div>

      <h2>Balances</h2>
      {!ex.data_verified && state.balances.length > 0 && (
        <p className="note warn">
          Last verified balances (as of {time(state.portfolio.as_of)}); the exchange has not confirmed them
          since{ex.reason ? `: ${ex.reason}` : "."}
        </p>
      )}
      {state.balances.length === 0 ? (
        <p className="note" data-testid="no-balances">
          No balances read yet{state.errors.length ? `: ${state.errors.join("; ")}` : "."}
        </p>
      ) : (
        <table className="grid cards" data-testid="balances">
          <thead>
            <tr>
              <th>Currency</th>
              <th className="num">Total</th>
              <th className="num">Available</th>
              <th className="num">Reserved</th>
              <th className="num">USD value</th>
            </tr>
          </thead>
          <tbody>
            {state.balances.map((b) => (
              <tr key={b.currency}>
                <td data-label="Currency">
                  <strong>{b.currency}</strong>
                </td>
                <td className="num" data-label="Total">
                  {b.total}
                </td>
                <td className="num" data-label="Available">
                  {b.available}
                </td>
                <td className="num" data-label="Reserved">
                  {b.reserved}
                </td>
                <td className="num" data-label="USD value">
                  {b.usd_value ?? DASH}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>Positions</h2>
      <PositionsTable positions={open} empty="No open positions." testId="positions" />
      {closed.length > 0 && (
        <details>
          <summary>Closed positions ({closed.length})</summary>
          <PositionsTable positions={closed} empty="" testId="closed-positions" />
        </details>
      )}
    </section>
  );
}
