/**
 * Small fixed values for API tests: the test token, an "ok" exchange state, a doctor report.
 */
import type { ExchangeState } from "../../src/api/contract/types.js";
import type { DoctorReport } from "../../src/diagnostics/types.js";

export const TEST_API_TOKEN = "test-token-0123456789abcdef";

export function okExchangeState(at: number): ExchangeState {
  return {
    sync_status: "ok",
    reason: null,
    data_verified: true,
    last_sync: at,
    last_error: null,
    outbound_ip: "203.0.113.7",
    clock_offset_ms: 12,
  };
}

export function fakeDoctorReport(verdict: "ok" | "problem" = "ok"): DoctorReport {
  return {
    verdict,
    causes:
      verdict === "ok"
        ? []
        : [
            {
              id: "ip_not_whitelisted",
              confidence: "confirmed",
              summary: "IP not whitelisted",
              evidence: ["40101"],
              fix: ["whitelist 203.0.113.7"],
            },
          ],
    checks: [{ id: "config", status: "pass", detail: "ok", duration_ms: 1 }],
    outbound_ip: "203.0.113.7",
    clock_offset_ms: 12,
    base_url: "http://127.0.0.1:1/exchange/v1",
    via_proxy: false,
  };
}

/** Headers with the bearer token. */
export const bearer = (token = TEST_API_TOKEN) => ({ authorization: `Bearer ${token}` });
