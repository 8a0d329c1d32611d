/**
 * A watchlist row's decision (BUY / SELL / WAIT) with its trace: a tooltip listing each condition
 * (pass or not, value against threshold) and the reasons. Opens on hover and focus, and toggles on
 * tap for touch screens.
 */
import { useState } from "react";
import type { ApiDecision } from "../api/types.js";
import { DASH, rounded, time } from "../state/format.js";

/** A condition's value and threshold, to read at a glance (the API keeps every digit). */
const CONDITION_PLACES = 4;

export function DecisionCell({ decision, symbol }: { decision: ApiDecision | null; symbol: string }) {
  const [open, setOpen] = useState(false);
  if (!decision) return <span className="muted">{DASH}</span>;
  const passed = decision.conditions.filter((c) => c.pass).length;
  return (
    <span className={`tip ${open ? "open" : ""}`}>
      <button
        type="button"
        className={`pill action-${decision.action}`}
        onClick={() => setOpen((o) => !o)}
        aria-expanded={open}
        data-testid={`decision-${symbol}`}
      >
        {decision.action}{" "}
        <span className="small">
          {passed}/{decision.conditions.length}
        </span>
      </button>
      <span className="tip-body" role="tooltip">
        <strong>
          {decision.strategy} · {decision.timeframe}
        </strong>
        <span className="muted small"> at {time(decision.evaluated_at)}</span>
        <ul className="conditions">
          {decision.conditions.map((c) => (
            <li key={c.name} className={c.pass ? "pass" : "fail"}>
              <span aria-hidden="true">{c.pass ? "✓" : "✗"}</span> {c.name}
              {c.value !== null && (
                <span className="muted">
                  {" "}
                  {rounded(c.value, CONDITION_PLACES)}
                  {c.threshold !== null ? ` vs ${rounded(c.threshold, CONDITION_PLACES)}` : ""}
                </span>
              )}
            </li>
          ))}
        </ul>
        {decision.reasons.length > 0 && <span className="small">{decision.reasons.join("; ")}</span>}
      </span>
    </span>
  );
}
