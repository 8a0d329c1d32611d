/** Catalogue: the outbound IP not in the key's whitelist (this host's, the proxy's, the engine's). */
import { entry } from "./entry.js";

/** How to whitelist: `ip` when it was measured, else how to find it on `where`. */
export function whitelistFix(
  outboundIpUrl: string,
  ip: string | undefined,
  keyText: string,
  where = "this host",
): string[] {
  return [
    `Open exchange.crypto.com → Settings → API Keys → edit ${keyText} → IP whitelist.`,
    ip
      ? `Add exactly ${ip} (the outbound IP of ${where} as the exchange sees it) and save.`
      : `Add the outbound IP of ${where} (run \`curl ${outboundIpUrl}\` there; it must go out through the same interface as atp).`,
    "Wait 30-60 s for the change to propagate, then run `atp doctor` again.",
  ];
}

export const IP_NOT_WHITELISTED = entry({
  id: "ip_not_whitelisted",
  title: "Outbound IP not whitelisted",
  when: "The exchange answers 40103 (IP_ILLEGAL).",
  found:
    "Signed read answers 40103 (confirmed); the outbound IP is measured through the same network path (same local address binding).",
  evidence: "The 40103 and the outbound IP as the exchange sees it: the exact value to whitelist.",
  fix: [
    "exchange.crypto.com → Settings → API Keys → edit the key → IP whitelist → add the shown IP.",
    "Save and wait 30-60 s for propagation, then run `atp doctor` again.",
  ],
  codes: [40103, 10003],
  text: {
    summary: (ip: string | undefined, code: string) =>
      ip
        ? `the exchange refuses requests from ${ip}: it is not in the key's IP whitelist (${code})`
        : `the exchange refuses this host's IP: it is not in the key's IP whitelist (${code})`,
    ipv6: "this host reaches the echo service over IPv6: whitelist that address (or force IPv4 with EXCHANGE_LOCAL_ADDRESS)",
    engineSummary: (what: string, ip: string | undefined) =>
      `the engine was refused for its IP (${what}) but this host's IP${ip ? ` ${ip}` : ""} is accepted now: the engine may run elsewhere`,
    engineHost: "the host or container the engine runs in",
  },
});
