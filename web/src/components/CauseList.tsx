/** The doctor's causes, ranked as the report has them: summary, evidence and the exact fix steps. */
import type { ReportCause } from "../state/report.js";

export function CauseList({ causes }: { causes: ReportCause[] }) {
  if (causes.length === 0) return <p className="ok-text">No problem found.</p>;
  return (
    <ol className="causes" data-testid="causes">
      {causes.map((c, i) => (
        <li key={c.id} className={i === 0 ? "cause top" : "cause"}>
          <div>
            <code>{c.id}</code> <span className={`pill conf-${c.confidence}`}>{c.confidence}</span>
          </div>
          <p>{c.summary}</p>
          {c.evidence.length > 0 && (
            <>
              <div className="muted small">Evidence</div>
              <ul>
                {c.evidence.map((e) => (
                  <li key={e}>{e}</li>
                ))}
              </ul>
            </>
          )}
          {c.fix.length > 0 && (
            <>
              <div className="muted small">Fix</div>
              <ol>
                {c.fix.map((f) => (
                  <li key={f}>{f}</li>
                ))}
              </ol>
            </>
          )}
        </li>
      ))}
    </ol>
  );
}
