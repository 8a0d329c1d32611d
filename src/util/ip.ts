/**
 * Answers of IP echo services (OUTBOUND_IP_URL) and of the signing proxy's GET /proxy/outbound-ip.
 * Only a real IPv4/IPv6 address is accepted: an HTML error page, a captive portal or any other text
 * is "no IP", never something to log as CRYPTO_COM_OUTBOUND_IP or to tell the user to whitelist.
 */
import { isIP } from "node:net";

function jsonIp(text: string): unknown {
  if (!text.startsWith("{")) return undefined;
  try {
    return (JSON.parse(text) as { ip?: unknown } | null)?.ip;
  } catch {
    return undefined;
  }
}

/*
 * Echo services answer the caller's address as plain text ("203.0.113.7\n"), or as JSON
 * ({"ip":"203.0.113.7"}) with ?format=json; the proxy's /proxy/outbound-ip answers {"ip", "via"}.
 */
/** The IP address in an echo answer, or undefined when the answer is not exactly one IP. */
export function parseIpAnswer(text: string): string | undefined {
  const t = text.trim();
  if (isIP(t)) return t;
  const ip = jsonIp(t);
  if (typeof ip === "string" && isIP(ip.trim())) return ip.trim();
  return undefined;
}
