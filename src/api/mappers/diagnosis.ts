/**
 * A stored doctor report (store.reports) as the dashboard's `DiagnosisSummary`.
 *
 * Invariants: the report JSON is read by own properties only (it is stored data, never trusted to
 * have a shape); a report without a readable cause summary still yields a summary line.
 */
import type { DiagnosisReportRecord, Json } from "../../store/types.js";
import type { DiagnosisSummary } from "../contract/types.js";

function own(obj: Json | undefined, key: string): Json | undefined {
  if (obj === null || obj === undefined || typeof obj !== "object" || Array.isArray(obj)) return undefined;
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** The first cause's one-sentence summary, when the report has one. */
function firstCauseSummary(report: Json): string | undefined {
  const causes = own(report, "causes");
  if (!Array.isArray(causes) || causes.length === 0) return undefined;
  const s = own(causes[0], "summary");
  return typeof s === "string" && s.length > 0 ? s : undefined;
}

export function diagnosisSummaryOf(r: DiagnosisReportRecord): DiagnosisSummary {
  const summary =
    firstCauseSummary(r.report) ??
    (r.verdict === "ok" ? "no problem found" : `verdict ${r.verdict}${r.topCause ? `: ${r.topCause}` : ""}`);
  return { id: r.id, verdict: r.verdict, top_cause: r.topCause ?? null, summary, at: r.createdAt };
}
