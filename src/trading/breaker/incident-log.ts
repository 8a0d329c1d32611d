/**
 * The breaker's writes to the store: opening an incident (with its one event), storing the
 * doctor's verdict, recording probes and closing it (with its recovery event).
 *
 * Invariants:
 * - At most one incident is open: opening reads `incidents.current()` in the same transaction and
 *   joins an open one (no second row, no second event) — after a restart, or from a second process
 *   on a shared database.
 * - The incident row and its event (`auth.incident_opened` / `auth.incident_closed`) commit in one
 *   transaction, so a notifier never reports an incident that is not stored, nor misses one.
 * - Payloads carry method, code, category and times only: never a request body, key or signature.
 */
import type { TradingMode } from "../../domain/trading.js";
import type { ExchangeFailure } from "../../exchange/types.js";
import type { AuthIncident, Json, Store } from "../../store/types.js";

export interface AuthDiagnosis {
  verdict: string;
  topCause?: string | undefined;
  report: Json;
}

export interface AuthDiagnosisContext {
  method: string;
  code: number | undefined;
  category: string;
  request?: Json;
}

export type AuthDiagnose = (context: AuthDiagnosisContext) => Promise<AuthDiagnosis>;

/** Opens an incident for `failure`, or joins the one already open (`created: false`). */
export async function openIncidentRecord(
  store: Store,
  input: { failure: ExchangeFailure; method: string; now: number; nextProbeAt: number; mode: TradingMode },
): Promise<{ incident: AuthIncident; created: boolean }> {
  return store.transaction(async (tx) => {
    const existing = await tx.incidents.current();
    if (existing) return { incident: existing, created: false };
    const { failure, method } = input;
    const incident = await tx.incidents.open({
      openedAt: input.now,
      method,
      code: failure.code,
      category: failure.category,
      nextProbeAt: input.nextProbeAt,
    });
    await tx.events.append({
      kind: "auth.incident_opened",
      at: input.now,
      payload: {
        incidentId: incident.id,
        method,
        code: failure.code ?? null,
        category: failure.category,
        codeName: failure.codeName,
        nextProbeAt: input.nextProbeAt,
        mode: input.mode,
      },
    });
    return { incident, created: true };
  });
}

/** Stores the doctor's report and links it to the incident. */
export async function storeDiagnosis(
  store: Store,
  incidentId: string,
  context: AuthDiagnosisContext,
  diagnosis: AuthDiagnosis,
): Promise<string> {
  return store.transaction(async (tx) => {
    const report = await tx.reports.insert({
      trigger: "auth_incident",
      context: {
        incidentId,
        method: context.method,
        code: context.code ?? null,
        category: context.category,
        request: context.request ?? null,
      },
      verdict: diagnosis.verdict,
      topCause: diagnosis.topCause,
      report: diagnosis.report,
    });
    await tx.incidents.setDiagnosis(incidentId, report.id);
    return report.id;
  });
}

/** Records the successful probe, closes the incident and appends the recovery event; undefined when closed already. */
export async function closeIncidentRecord(
  store: Store,
  incident: AuthIncident,
  now: number,
  mode: TradingMode,
): Promise<AuthIncident | undefined> {
  return store.transaction(async (tx) => {
    const current = await tx.incidents.get(incident.id);
    if (!current || current.closedAt !== undefined) return undefined;
    await tx.incidents.recordProbe(incident.id, undefined);
    const closed = await tx.incidents.close(incident.id, now);
    await tx.events.append({
      kind: "auth.incident_closed",
      at: now,
      payload: {
        incidentId: incident.id,
        method: incident.method,
        code: incident.code ?? null,
        category: incident.category,
        durationMs: now - incident.openedAt,
        probes: closed?.probes ?? current.probes,
        mode,
      },
    });
    return closed;
  });
}
