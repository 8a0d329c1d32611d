/**
 * The live switch (turning it on asks the user to type LIVE; refused while LIVE_TRADING is not set)
 * and the kill switch (stops every new entry at once; protection keeps working).
 * A failed read of the trading state is shown and tried again (state/api-read.ts), never left as
 * "Loading" until some event happens to come.
 */
import { type FormEvent, useState } from "react";
import { api } from "../api/client.js";
import type { TradingState } from "../api/types.js";
import { useAction } from "../state/action.js";
import { useApiRead } from "../state/api-read.js";
import { useDashboard } from "../state/dashboard.js";
import { modeLabel } from "../state/format.js";
import { ReadFailed, ReadPending } from "./ReadStatus.js";

export function TradingControls() {
  const { state, eventCount } = useDashboard();
  const action = useAction();
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState("");
  const kill = state?.bot_status.kill_switch;
  const live = state?.bot_status.live_trading;
  // read again when the switches change or an event comes, and every 2 s while it fails
  const trading = useApiRead<TradingState>(() => api.trading(), [kill, live, eventCount]);
  const t = trading.value;
  const apply = async (fn: () => Promise<TradingState>) => {
    const next = await action.run(fn);
    if (next) trading.set(next);
  };
  const turnOn = async (e: FormEvent) => {
    e.preventDefault();
    await apply(() => api.setLive({ enabled: true, confirm: typed }));
    setConfirming(false);
    setTyped("");
  };
  if (!t) return <ReadPending error={trading.error} what="trading state" />;
  return (
    <div className="panel" data-testid="trading-controls">
      <h3>Trading</h3>
      <ReadFailed error={trading.error} what="trading state" />
      <p>
        Mode <span className={`badge mode-${t.mode}`}>{modeLabel(t.mode)}</span>
      </p>
      <div className="control">
        <div>
          <strong>Kill switch</strong>{" "}
          <span data-testid="kill-state" className={t.kill_switch ? "neg" : "pos"}>
            {t.kill_switch ? "ON — no new entries" : "off"}
          </span>
        </div>
        <button
          type="button"
          className={t.kill_switch ? "" : "danger"}
          disabled={action.busy}
          data-testid="kill-toggle"
          onClick={() => void apply(() => api.setKill({ enabled: !t.kill_switch }))}
        >
          {t.kill_switch ? "Release kill switch" : "Engage kill switch"}
        </button>
      </div>
      <div className="control">
        <div>
          <strong>Live trading</strong> <span data-testid="live-state">{t.live_trading ? "on" : "off"}</span>
          {!t.env_live_trading && (
            <div className="muted small">
              LIVE_TRADING is not set to true: the switch cannot be turned on.
            </div>
          )}
        </div>
        {t.live_trading ? (
          <button
            type="button"
            className="secondary"
            disabled={action.busy}
            onClick={() => void apply(() => api.setLive({ enabled: false }))}
          >
            Turn live trading off
          </button>
        ) : (
          <button
            type="button"
            className="danger"
            disabled={action.busy || !t.env_live_trading}
            onClick={() => setConfirming(true)}
            data-testid="live-on"
          >
            Turn live trading on…
          </button>
        )}
      </div>
      {confirming && (
        <form className="confirm" onSubmit={turnOn} data-testid="live-confirm">
          <p>
            Real orders with real money. Type <code>LIVE</code> to confirm.
          </p>
          <input
            aria-label="Type LIVE to confirm"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
          />
          <button type="submit" className="danger" disabled={typed !== "LIVE" || action.busy}>
            Turn on
          </button>
          <button type="button" className="secondary" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </form>
      )}
      {action.error && <p className="error">{action.error}</p>}
    </div>
  );
}
