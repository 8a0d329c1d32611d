/**
 * Watchlist: one row per coin (market view, decision with its per-condition trace, settings edited
 * inline, toggles, remove), a form to add a coin, and the selected coin's candlestick chart
 * (`#/watchlist/SYMBOL`; the first coin when none is selected).
 */
import { AddCoin } from "../components/AddCoin.js";
import { CandleChart } from "../components/CandleChart.js";
import { WatchRow } from "../components/WatchRow.js";
import { useDashboard } from "../state/dashboard.js";

export function WatchlistPage({ selected }: { selected: string }) {
  const { state } = useDashboard();
  if (!state) return null;
  const items = state.watchlist;
  const symbol = items.some((w) => w.symbol === selected) ? selected : (items[0]?.symbol ?? "");
  const presets = [...new Set(items.flatMap((w) => (w.preset ? [w.preset] : [])).concat("external"))];
  const position = state.positions.find((p) => p.symbol === symbol && p.status !== "CLOSED") ?? null;
  return (
    <section className="watch-page">
      <h2>Watchlist</h2>
      <AddCoin presets={presets} />
      {items.length === 0 ? (
        <p className="muted">The watchlist is empty: add a coin above.</p>
      ) : (
        <table className="grid cards watchlist" data-testid="watchlist">
          <thead>
            <tr>
              <th>Symbol</th>
              <th className="num">Price</th>
              <th className="num">RSI</th>
              <th className="num">EMA10</th>
              <th className="num">MA50</th>
              <th className="num">MA200</th>
              <th className="num">Vol ratio</th>
              <th>Decision</th>
              <th className="num">Amount USD</th>
              <th className="num">SL %</th>
              <th className="num">TP %</th>
              <th>Preset</th>
              <th>Trade</th>
              <th>Alerts</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((w) => (
              <WatchRow key={w.symbol} item={w} selected={w.symbol === symbol} />
            ))}
          </tbody>
        </table>
      )}
      {symbol && <CandleChart key={symbol} symbol={symbol} position={position} />}
    </section>
  );
}
