/**
 * The always-visible status: mode badge (LIVE / DRY RUN / DEMO), kill switch state and the
 * stale-data badge, whose tooltip (and expanded text) lists every reason the data may be old.
 */
import type { DashboardState } from "../api/types.js";
import type { DashboardView } from "../state/dashboard.js";
import { modeLabel } from "../state/format.js";

export function staleReasons(view: DashboardView): string[] {
  const reasons: string[] = [];
  if (view.error) reasons.push(`state not updated: ${view.error}`);
  if (!view.streamConnected) reasons.push("live updates disconnected");
  const s: DashboardState | null = view.state;
  if (!s) return reasons;
  if (s.exchange.sync_status !== "ok")
    reasons.push(`exchange ${s.exchange.sync_status}${s.exchange.reason ? `: ${s.exchange.reason}` : ""}`);
  if (!s.exchange.data_verified) reasons.push("balances not verified by the exchange");
  for (const w of s.watchlist)
    if (!w.data_fresh) reasons.push(`${w.symbol}: ${w.stale_reason ?? "market data stale"}`);
  if (s.partial) reasons.push(...s.errors);
  return reasons;
}

export function StatusBar({ view }: { view: DashboardView }) {
  const s = view.state;
  const reasons = staleReasons(view);
  const mode = s?.bot_status.mode;
  return (
    <div className="status-bar">
      <span className={`badge mode-${mode ?? "unknown"}`} data-testid="mode-badge">
        {mode ? modeLabel(mode) : "…"}
      </span>
      {s && (
        <a
          href="#/settings"
          className={`badge ${s.bot_status.kill_switch ? "kill-on" : "kill-off"}`}
          data-testid="kill-badge"
          title="Kill switch (Settings)"
        >
          {s.bot_status.kill_switch ? "KILL SWITCH ON" : "kill switch off"}
        </a>
      )}
      {reasons.length > 0 ? (
        <span className="badge stale" data-testid="stale-badge" title={reasons.join("\n")}>
          STALE DATA ({reasons.length})
        </span>
      ) : (
        <span className="badge fresh" data-testid="fresh-badge">
          data fresh
        </span>
      )}
    </div>
  );
}
