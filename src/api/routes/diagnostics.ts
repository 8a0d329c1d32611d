/**
 * `GET /api/diagnostics` (the doctor's last stored report, the auth-incident history and the key's
 * masked fingerprint) and `POST /api/diagnostics/run` (runs the doctor, optionally checking an
 * order; the source stores the report; answers the new state).
 *
 * Invariant: nothing here sees a key or secret — only the fingerprint the source hands over.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { AuthIncident, DiagnosisReportRecord } from "../../store/types.js";
import type { ApiIncident, DiagnosticsState } from "../contract/types.js";
import type { ApiDeps } from "../deps.js";
import { defineRoute } from "../route.js";

const INCIDENTS = 50;

const incidentSchema = z.object({
  id: z.string(),
  opened_at: z.number(),
  closed_at: z.number().nullable(),
  method: z.string(),
  code: z.number().nullable(),
  category: z.string(),
  diagnosis_id: z.string().nullable(),
  probes: z.number(),
  next_probe_at: z.number().nullable(),
});
const diagnosticsSchema = z.object({
  last: z
    .object({
      id: z.string(),
      at: z.number(),
      trigger: z.string(),
      verdict: z.string(),
      top_cause: z.string().nullable(),
      report: z.unknown(),
    })
    .nullable(),
  incidents: z.array(incidentSchema),
  key_fingerprint: z.string().nullable(),
});

export function apiIncidentOf(i: AuthIncident): ApiIncident {
  return {
    id: i.id,
    opened_at: i.openedAt,
    closed_at: i.closedAt ?? null,
    method: i.method,
    code: i.code ?? null,
    category: i.category,
    diagnosis_id: i.diagnosisId ?? null,
    probes: i.probes,
    next_probe_at: i.nextProbeAt ?? null,
  };
}

const lastOf = (r: DiagnosisReportRecord | undefined): DiagnosticsState["last"] =>
  r
    ? {
        id: r.id,
        at: r.createdAt,
        trigger: r.trigger,
        verdict: r.verdict,
        top_cause: r.topCause ?? null,
        report: r.report,
      }
    : null;

export async function diagnosticsStateOf(deps: ApiDeps): Promise<DiagnosticsState> {
  const [reports, incidents] = await Promise.all([
    deps.store.reports.list(1),
    deps.store.incidents.list(INCIDENTS),
  ]);
  return {
    last: lastOf(reports[0]),
    incidents: incidents.map(apiIncidentOf),
    key_fingerprint: deps.diagnostics.keyFingerprint,
  };
}

export async function registerDiagnosticsRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/diagnostics",
      auth: "read",
      response: diagnosticsSchema,
      summary: "The doctor's last report, the auth-incident history and the key fingerprint",
      tags: ["diagnostics"],
    },
    () => diagnosticsStateOf(deps),
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/diagnostics/run",
      auth: "write",
      body: z.strictObject({ order: z.record(z.string(), z.unknown()).optional() }),
      response: diagnosticsSchema,
      summary: "Runs the doctor now (optionally checking an order, the doctor's --order JSON)",
      tags: ["diagnostics"],
    },
    async ({ body }) => {
      await deps.diagnostics.run(body.order);
      return diagnosticsStateOf(deps);
    },
  );
}
