/**
 * The configuration the doctor diagnoses when the venue is an emulator this process runs (the demo):
 * the loaded configuration with the emulator's base URL, its key, its IP echo as OUTBOUND_IP_URL and
 * no signing proxy, so the doctor examines the exchange atp actually trades on.
 *
 * Invariants:
 * - The emulator's secret joins the report's secrets (the doctor redacts by them).
 * - Nothing else of the loaded configuration changes (data dir, server, live trading flag).
 */
import type { ConfigReport } from "../../config/load.js";
import type { EmulatorHandle } from "../../emulator/index.js";

export function emulatorDoctorReport(
  report: ConfigReport,
  emulator: Pick<EmulatorHandle, "baseUrl" | "ipEchoUrl">,
  credentials: { apiKey: string; apiSecret: string; label?: string } | undefined,
): ConfigReport {
  const {
    apiKey: _k,
    apiSecret: _s,
    credentialPair: _p,
    localAddress: _l,
    ...exchange
  } = report.config.exchange;
  return {
    ...report,
    config: {
      ...report.config,
      exchange: {
        ...exchange,
        baseUrl: emulator.baseUrl,
        outboundIpUrl: emulator.ipEchoUrl,
        ...(credentials ? { apiKey: credentials.apiKey, apiSecret: credentials.apiSecret } : {}),
      },
      proxy: { enabled: false },
    },
    secrets: credentials
      ? [
          ...report.secrets,
          { value: credentials.apiSecret, kind: "secret", label: credentials.label ?? "emulator secret" },
        ]
      : report.secrets,
  };
}
