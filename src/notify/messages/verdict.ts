/**
 * The doctor's verdict as message lines: the top cause, its evidence and the fix, read from a stored
 * report (DoctorReport JSON, src/diagnostics/types.ts) or a fresh one. Every string is escaped.
 */
import type { Json } from "../../store/types.js";
import { b, escapeHtml } from "../html.js";
import { PayloadReader } from "./payload.js";

export function verdictLines(report: Json): string[] {
  const r = new PayloadReader(report);
  const causes = r.raw("causes");
  const top = Array.isArray(causes) && causes.length > 0 ? new PayloadReader(causes[0] ?? null) : undefined;
  if (!top) {
    const verdict = r.str("verdict");
    return [
      verdict === "ok" ? "Doctor: every check passed." : `Doctor: ${escapeHtml(verdict ?? "no verdict")}.`,
    ];
  }
  const lines = [
    `${b("Cause")}: ${escapeHtml(top.str("id") ?? "?")} (${escapeHtml(top.str("confidence") ?? "?")}): ${escapeHtml(top.str("summary") ?? "")}`,
  ];
  const evidence = top.strings("evidence");
  if (evidence.length > 0)
    lines.push(b("Evidence"), ...evidence.slice(0, 5).map((e) => `• ${escapeHtml(e)}`));
  const fix = top.strings("fix");
  if (fix.length > 0) lines.push(b("Fix"), ...fix.slice(0, 6).map((f, n) => `${n + 1}. ${escapeHtml(f)}`));
  const more = (causes as Json[]).length - 1;
  if (more > 0)
    lines.push(`(${more} more possible cause${more > 1 ? "s" : ""}: /diagnose for the full report)`);
  return lines;
}
