/** Positions: symbol, status, protection state, quantities, entry, mark, SL/TP and P&L (strings as sent). */
import type { ApiPosition } from "../api/types.js";
import { signClass, text } from "../state/format.js";

export function PositionsTable({
  positions,
  empty,
  testId,
}: {
  positions: ApiPosition[];
  empty: string;
  testId: string;
}) {
  if (positions.length === 0) return <p className="muted">{empty}</p>;
  return (
    <table className="grid cards" data-testid={testId}>
      <thead>
        <tr>
          <th>Symbol</th>
          <th>Status</th>
          <th>Protection</th>
          <th className="num">Quantity</th>
          <th className="num">Entry</th>
          <th className="num">Mark</th>
          <th className="num">SL / TP</th>
          <th className="num">Unrealised P&amp;L</th>
          <th className="num">Realised</th>
        </tr>
      </thead>
      <tbody>
        {positions.map((p) => (
          <tr key={p.id}>
            <td data-label="Symbol">
              <strong>{p.symbol}</strong> <span className="muted small">{p.mode}</span>
            </td>
            <td data-label="Status">{p.status}</td>
            <td data-label="Protection">
              <span className={`pill prot-${p.protection}`}>{p.protection}</span>
            </td>
            <td className="num" data-label="Quantity">
              {p.open_quantity}
              {p.open_quantity !== p.quantity && <span className="muted"> / {p.quantity}</span>}
            </td>
            <td className="num" data-label="Entry">
              {text(p.entry_price)}
            </td>
            <td className="num" data-label="Mark">
              {text(p.mark_price)}
            </td>
            <td className="num" data-label="SL / TP">
              {text(p.sl_price)} / {text(p.tp_price)}
            </td>
            <td className={`num ${signClass(p.unrealised_pnl)}`} data-label="Unrealised P&L">
              {text(p.unrealised_pnl)}
            </td>
            <td className={`num ${signClass(p.realised_pnl)}`} data-label="Realised">
              {p.realised_pnl}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
