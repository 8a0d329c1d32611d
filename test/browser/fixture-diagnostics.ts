/**
 * The doctor's side of the fake API: a stored report in the doctor's JSON shape (causes with
 * evidence and fix, checks, outbound IP, clock offset) and one closed auth incident.
 */
import type { DiagnosticsState } from "../../src/api/contract/types.js";
import { FIXTURE_T0 } from "./fixtures.js";

export function fixtureDoctorReport(cause: string | null, at: number) {
  const causes = cause
    ? [
        {
          id: cause,
          confidence: "confirmed",
          summary: `The exchange refused the key: ${cause}.`,
          evidence: ["private/user-balance answered 40101"],
          fix: ["Create a new API key on the exchange and set it in .env"],
        },
      ]
    : [];
  return {
    verdict: cause ? "problem" : "ok",
    causes,
    checks: [
      { id: "config", status: "pass", detail: "credentials present", duration_ms: 1 },
      {
        id: "signed_read",
        status: cause ? "fail" : "pass",
        detail: cause ? "40101" : "balances read",
        duration_ms: 12,
      },
    ],
    outbound_ip: "203.0.113.7",
    clock_offset_ms: 42,
    base_url: "http://127.0.0.1/exchange/v1",
    via_proxy: false,
    at,
  };
}

export function fixtureDiagnostics(): DiagnosticsState {
  return {
    last: {
      id: "diag-1",
      at: FIXTURE_T0 - 3_600_000,
      trigger: "start",
      verdict: "ok",
      top_cause: null,
      report: fixtureDoctorReport(null, FIXTURE_T0),
    },
    incidents: [
      {
        id: "inc-1",
        opened_at: FIXTURE_T0 - 7_200_000,
        closed_at: FIXTURE_T0 - 7_000_000,
        method: "private/user-balance",
        code: 40101,
        category: "auth",
        diagnosis_id: null,
        probes: 2,
        next_probe_at: null,
      },
    ],
    key_fingerprint: "DEMO…a1b2",
  };
}
