/**
 * The always-visible status: mode badge (LIVE / DRY RUN / DEMO), kill switch state and the data
 * badge: STALE DATA (with every reason the data may be old in its tooltip), WAITING FOR DATA right
 * after a start while the first data is still on its way (nothing failed; the API's grace rule,
 * `freshness`, and the event stream's first connection), or "data fresh".
 */
import type { DashboardState } from "../api/types.js";
import type { DashboardView } from "../state/dashboard.js";
import { modeLabel } from "../state/format.js";

export interface DataReasons {
  /** Stale, failing or unreadable: the STALE DATA badge. */
  stale: string[];
  /** Not arrived yet, nothing failed: the WAITING FOR DATA badge (when nothing is stale). */
  waiting: string[];
}

export function dataReasons(view: DashboardView): DataReasons {
  const stale: string[] = [];
  const waiting: string[] = [];
  if (view.error) stale.push(`state not updated: ${view.error}`);
  if (view.stream === "down") stale.push("live updates disconnected");
  else if (view.stream === "connecting") waiting.push("connecting to live updates");
  const s: DashboardState | null = view.state;
  if (!s) {
    if (!view.error) waiting.push("reading the dashboard state");
    return { stale, waiting };
  }
  stale.push(...s.freshness.stale);
  waiting.push(...s.freshness.waiting);
  return { stale, waiting };
}

/** Every reason the shown data may be old (the STALE DATA badge's tooltip). */
export function staleReasons(view: DashboardView): string[] {
  return dataReasons(view).stale;
}

export function StatusBar({ view }: { view: DashboardView }) {
  const s = view.state;
  const { stale, waiting } = dataReasons(view);
  const mode = s?.bot_status.mode;
  const awaited = waiting.length > 0 ? `\nwaiting for:\n${waiting.join("\n")}` : "";
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
      {stale.length > 0 ? (
        <span className="badge stale" data-testid="stale-badge" title={`${stale.join("\n")}${awaited}`}>
          STALE DATA ({stale.length})
        </span>
      ) : waiting.length > 0 ? (
        <span
          className="badge"
          data-testid="waiting-badge"
          title={`the first data since the start is on its way (nothing failed):\n${waiting.join("\n")}`}
          style={{ color: "var(--muted)", cursor: "help" }}
        >
          WAITING FOR DATA
        </span>
      ) : (
        <span className="badge fresh" data-testid="fresh-badge">
          data fresh
        </span>
      )}
    </div>
  );
}
