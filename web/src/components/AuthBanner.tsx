/**
 * The banner shown while the exchange rejects our credentials (exchange.sync_status auth_failed):
 * what was refused, the doctor's diagnosis (top cause and summary) and a link to the full report.
 * Trading is paused by the auth circuit breaker meanwhile; the balances shown are the last verified.
 */
import type { DashboardState } from "../api/types.js";
import { time } from "../state/format.js";
import { routeHref } from "../state/route.js";

export function AuthBanner({ state }: { state: DashboardState }) {
  const ex = state.exchange;
  if (ex.sync_status !== "auth_failed") return null;
  const d = state.diagnosis;
  return (
    <div className="banner danger" role="alert" data-testid="auth-banner">
      <strong>The exchange rejects our API credentials — trading is paused.</strong>
      {ex.reason ? (
        <span> {ex.reason}</span>
      ) : (
        ex.last_error && (
          <span>
            {" "}
            {ex.last_error.method}: {ex.last_error.name}
            {ex.last_error.code !== null ? ` (${ex.last_error.code})` : ""} at {time(ex.last_error.at)}.
          </span>
        )
      )}
      <div className="banner-diagnosis">
        {d ? (
          <>
            Diagnosis{d.top_cause ? <code>{d.top_cause}</code> : null}: {d.summary}{" "}
          </>
        ) : (
          "No diagnosis yet. "
        )}
        <a href={routeHref("diagnostics")}>See the diagnosis and how to fix it →</a>
      </div>
    </div>
  );
}
