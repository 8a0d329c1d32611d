/**
 * Diagnostics: the doctor's last report (verdict, ranked causes with evidence and fixes, checks),
 * the outbound IP, clock offset and key fingerprint, a "Run diagnosis" button
 * (POST /api/diagnostics/run, then the stored report is read again) and the incident history.
 */
import { api } from "../api/client.js";
import type { DiagnosticsState } from "../api/types.js";
import { CauseList } from "../components/CauseList.js";
import { DemoFault } from "../components/DemoFault.js";
import { ReadFailed } from "../components/ReadStatus.js";
import { useAction } from "../state/action.js";
import { useApiRead } from "../state/api-read.js";
import { useDashboard } from "../state/dashboard.js";
import { DASH, text, time } from "../state/format.js";
import { reportView } from "../state/report.js";

export function DiagnosticsPage() {
  const { state } = useDashboard();
  const action = useAction();
  const lastId = state?.diagnosis?.id;
  // read again when a new diagnosis is stored, and every 2 s while the read fails
  const read = useApiRead<DiagnosticsState>(() => api.diagnostics(), [lastId]);
  const diag = read.value;
  const load = read.reload;
  const run = async () => {
    await action.run(() => api.runDiagnosis({}));
    load();
  };
  const last = diag?.last ?? null;
  const report = reportView(last?.report);
  const ex = state?.exchange;
  const offset = report.clockOffsetMs ?? ex?.clock_offset_ms ?? null;
  return (
    <section>
      <div className="row spread">
        <h2>Diagnostics</h2>
        <button type="button" onClick={() => void run()} disabled={action.busy} data-testid="run-diagnosis">
          {action.busy ? "Running…" : "Run diagnosis"}
        </button>
      </div>
      <ReadFailed error={read.error} what="diagnostics" />
      {action.error && <p className="error">{action.error}</p>}
      <dl className="facts">
        <dt>Outbound IP</dt>
        <dd className="mono" data-testid="outbound-ip">
          {report.outboundIp ?? ex?.outbound_ip ?? DASH}
        </dd>
        <dt>Clock offset</dt>
        <dd>{offset === null ? DASH : `${offset} ms`}</dd>
        <dt>API key</dt>
        <dd className="mono">{text(diag?.key_fingerprint)}</dd>
        <dt>Exchange</dt>
        <dd>
          {text(report.baseUrl)}
          {report.viaProxy ? " (via signing proxy)" : ""}
        </dd>
      </dl>
      <h3>Last report</h3>
      {last ? (
        <div data-testid="last-report">
          <p>
            <span className={`pill verdict-${last.verdict}`}>{last.verdict}</span> {time(last.at)} · trigger{" "}
            {last.trigger}
            {last.top_cause && (
              <>
                {" "}
                · top cause <code>{last.top_cause}</code>
              </>
            )}
          </p>
          <CauseList causes={report.causes} />
          {report.checks.length > 0 && (
            <details>
              <summary>Checks ({report.checks.length})</summary>
              <ul className="checks">
                {report.checks.map((c) => (
                  <li key={c.id}>
                    <span className={`pill check-${c.status}`}>{c.status}</span> <code>{c.id}</code>{" "}
                    {c.detail}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>
      ) : (
        <p className="muted">No diagnosis stored yet: run one.</p>
      )}
      <h3>Incidents</h3>
      {diag && diag.incidents.length > 0 ? (
        <table className="grid cards" data-testid="incidents">
          <thead>
            <tr>
              <th>Opened</th>
              <th>Closed</th>
              <th>Method</th>
              <th>Code</th>
              <th>Category</th>
              <th className="num">Probes</th>
            </tr>
          </thead>
          <tbody>
            {diag.incidents.map((i) => (
              <tr key={i.id}>
                <td data-label="Opened">{time(i.opened_at)}</td>
                <td data-label="Closed">
                  {i.closed_at === null ? <strong>open</strong> : time(i.closed_at)}
                </td>
                <td data-label="Method" className="mono small">
                  {i.method}
                </td>
                <td data-label="Code">{i.code ?? DASH}</td>
                <td data-label="Category">{i.category}</td>
                <td className="num" data-label="Probes">
                  {i.probes}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No incidents.</p>
      )}
      {state?.bot_status.mode === "DEMO" && <DemoFault />}
    </section>
  );
}
