/** Catalogue: the exchange (or the IP echo service, or the exchange behind the proxy) unreachable. */
import { PRODUCTION } from "../../exchange/cryptocom/constants.js";
import type { FailureReading } from "../path-failure.js";
import { entry } from "./entry.js";
import { hostOf } from "./phrases.js";

/** What to check for a failure at `reading` on the way to `host`. */
function fixFor(reading: FailureReading, host: string, localAddress: string | undefined): string[] {
  switch (reading) {
    case "dns":
      return [
        `Check that ${host} resolves on this host: \`getent hosts ${host}\`; fix /etc/resolv.conf or the container's DNS.`,
        `Check EXCHANGE_CUSTOM_BASE_URL for a typo (production: ${PRODUCTION.rest}).`,
      ];
    case "tcp":
      return [
        `Check that this host may open TCP connections to ${host} (firewall, security group, egress proxy).`,
        ...(localAddress
          ? [
              `Check that EXCHANGE_LOCAL_ADDRESS=${localAddress} is an address of this host (\`ip -br addr\`).`,
            ]
          : []),
      ];
    case "tls":
      return [
        "Check the system clock and CA certificates (`update-ca-certificates`); a TLS-intercepting proxy must be trusted.",
      ];
    default:
      return [
        `${host} accepted the connection but did not answer in time: retry in a minute; check https://status.crypto.com and any egress proxy.`,
      ];
  }
}

export const NETWORK_UNREACHABLE = entry({
  id: "network_unreachable",
  title: "Exchange (or IP echo service) unreachable",
  when: "DNS, TCP or TLS failure reaching the exchange (or the IP echo service).",
  found:
    "Reachability check (DNS lookup, then a public GET) and the IP echo (confirmed for DNS/TCP/TLS errors, likely for a connection that never answers).",
  evidence: "The stage that failed (dns/tcp/tls/http), the error code, the host.",
  fix: [
    "Check DNS and the firewall/egress rules for the host; if EXCHANGE_LOCAL_ADDRESS is set, check that address is on this host.",
  ],
  codes: [],
  text: {
    summary: (where: string, reading: FailureReading) =>
      `the exchange at ${where} cannot be reached (${reading} stage)`,
    baseUrl: (url: string) => `base URL: ${url}`,
    bound: (localAddress: string) => `connections are bound to EXCHANGE_LOCAL_ADDRESS=${localAddress}`,
    fix: fixFor,
    deadlineSummary: "the exchange did not answer before the doctor's deadline",
    echoSummary: (url: string) =>
      `the IP echo service ${url} cannot be reached, so the outbound IP is unknown`,
    exchangeReachable: "the exchange itself is reachable",
    echoFix: (url: string) => [
      `Allow outbound HTTPS to ${hostOf(url)}, or set OUTBOUND_IP_URL to an echo service this host may reach (it must answer the caller's IP as text).`,
    ],
    behindProxySummary: (status: number) =>
      `the proxy cannot reach the exchange (it answered HTTP ${status})`,
    behindProxyEvidence: (proxyUrl: string | undefined, status: number) =>
      `POST ${proxyUrl}/proxy/private → HTTP ${status}: ${status === 504 ? "the exchange did not answer the proxy in time" : "network error between the proxy and the exchange"}`,
    proxyIp: (ip: string) => `the proxy's outbound IP: ${ip}`,
    behindProxyFix: [
      `On the proxy host, check DNS and outbound HTTPS to ${hostOf(PRODUCTION.rest)} (\`curl -sI ${PRODUCTION.rest}/public/get-instruments\`).`,
    ],
  },
});
