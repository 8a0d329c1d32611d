/**
 * One watchlist row: market view (price, RSI, EMA10, MA50, MA200, volume ratio, decision) and the
 * coin's settings, edited inline (amount, SL %, TP %, preset: Edit → Save sends only what changed
 * to PATCH /api/watchlist/{symbol}; a cleared field is sent as null) and toggles that apply at once.
 */
import { useState } from "react";
import { api } from "../api/client.js";
import type { ApiWatchlistItem, ApiWatchlistPatch } from "../api/types.js";
import { useAction } from "../state/action.js";
import { placesOf, rounded, text } from "../state/format.js";
import { routeHref } from "../state/route.js";
import { DecisionCell } from "./DecisionCell.js";

type Draft = { amount_usd: string; sl_pct: string; tp_pct: string; preset: string };

function draftOf(w: ApiWatchlistItem): Draft {
  return {
    amount_usd: w.amount_usd ?? "",
    sl_pct: w.sl_pct ?? "",
    tp_pct: w.tp_pct ?? "",
    preset: w.preset ?? "",
  };
}

function patchOf(w: ApiWatchlistItem, d: Draft): ApiWatchlistPatch {
  const patch: ApiWatchlistPatch = {};
  const before = draftOf(w);
  for (const key of ["amount_usd", "sl_pct", "tp_pct", "preset"] as const) {
    const value = d[key].trim();
    if (value !== before[key]) patch[key] = value === "" ? null : value;
  }
  return patch;
}

/** An indicator cell: rounded for reading (moving averages to the price's decimals), every digit in its title. */
function Indicator({
  label,
  value,
  places,
}: {
  label: string;
  value: string | null | undefined;
  places: number;
}) {
  return (
    <td className="num" data-label={label} title={value ?? undefined}>
      {rounded(value, places)}
    </td>
  );
}

export function WatchRow({ item: w, selected }: { item: ApiWatchlistItem; selected: boolean }) {
  const action = useAction();
  const [draft, setDraft] = useState<Draft | null>(null);
  const ind = w.indicators;
  const pricePlaces = placesOf(w.price);
  const edit = (key: keyof Draft, label: string) =>
    draft ? (
      <input
        className="cell-input"
        aria-label={`${label} ${w.symbol}`}
        name={key}
        value={draft[key]}
        inputMode={key === "preset" ? "text" : "decimal"}
        onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
      />
    ) : (
      text(w[key])
    );
  const save = async () => {
    if (!draft) return;
    const patch = patchOf(w, draft);
    if (Object.keys(patch).length === 0) return setDraft(null);
    if (await action.run(() => api.editCoin(w.symbol, patch))) setDraft(null);
  };
  const toggle = (key: "trade_enabled" | "alerts_enabled") =>
    action.run(() => api.editCoin(w.symbol, { [key]: !w[key] }));
  const remove = () => {
    if (window.confirm(`Remove ${w.symbol} from the watchlist?`))
      void action.run(() => api.removeCoin(w.symbol));
  };
  return (
    <tr className={selected ? "selected" : ""} data-testid={`watch-${w.symbol}`}>
      <td data-label="Symbol">
        <a href={routeHref("watchlist", w.symbol)}>
          <strong>{w.symbol}</strong>
        </a>
        {w.data_state === "waiting" ? (
          <span
            className="pill"
            title={w.stale_reason ?? "no market data yet"}
            style={{ color: "var(--muted)" }}
          >
            waiting
          </span>
        ) : (
          !w.data_fresh && (
            <span className="pill stale" title={w.stale_reason ?? "stale"}>
              stale
            </span>
          )
        )}
      </td>
      <td className="num" data-label="Price">
        {text(w.price)}
      </td>
      <Indicator label="RSI" value={ind?.rsi} places={1} />
      <Indicator label="EMA10" value={ind?.ema10} places={pricePlaces} />
      <Indicator label="MA50" value={ind?.ma50} places={pricePlaces} />
      <Indicator label="MA200" value={ind?.ma200} places={pricePlaces} />
      <Indicator label="Vol ratio" value={ind?.volume_ratio} places={2} />
      <td data-label="Decision">
        <DecisionCell decision={w.decision} symbol={w.symbol} />
      </td>
      <td className="num" data-label="Amount USD">
        {edit("amount_usd", "Amount USD")}
      </td>
      <td className="num" data-label="SL %">
        {edit("sl_pct", "SL %")}
      </td>
      <td className="num" data-label="TP %">
        {edit("tp_pct", "TP %")}
      </td>
      <td data-label="Preset">{edit("preset", "Preset")}</td>
      <td data-label="Trade">
        <input
          type="checkbox"
          aria-label={`Trade ${w.symbol}`}
          checked={w.trade_enabled}
          disabled={action.busy}
          onChange={() => void toggle("trade_enabled")}
        />
      </td>
      <td data-label="Alerts">
        <input
          type="checkbox"
          aria-label={`Alerts ${w.symbol}`}
          checked={w.alerts_enabled}
          disabled={action.busy}
          onChange={() => void toggle("alerts_enabled")}
        />
      </td>
      <td className="actions" data-label="">
        {draft ? (
          <>
            <button type="button" onClick={() => void save()} disabled={action.busy}>
              Save
            </button>
            <button type="button" className="secondary" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </>
        ) : (
          <>
            <button type="button" className="secondary" onClick={() => setDraft(draftOf(w))}>
              Edit
            </button>
            <button type="button" className="danger" onClick={remove} disabled={action.busy}>
              Remove
            </button>
          </>
        )}
        {action.error && <div className="error">{action.error}</div>}
      </td>
    </tr>
  );
}
