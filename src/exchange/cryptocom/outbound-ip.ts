/**
 * The outbound IP as an IP echo service (OUTBOUND_IP_URL) sees it: the one fetcher of the connection
 * test, the doctor (its own IP and the signing proxy's GET /proxy/outbound-ip), the signing proxy's
 * GET /proxy/outbound-ip and `atp start`. It asks through the transport it is given, normally the
 * exchange client's (`CryptoComClient.outboundIp`), so the answer is the address the exchange sees
 * for the same local address binding (EXCHANGE_LOCAL_ADDRESS) and the same DNS.
 *
 * Invariants:
 * - Only an HTTP 200 whose body is exactly one IP address counts (src/util/ip.ts): an HTML error
 *   page or a captive portal is "no IP", never a value to log as CRYPTO_COM_OUTBOUND_IP.
 * - Never throws for a network failure or a bad answer (both are in the result); no retries.
 */
import { parseIpAnswer } from "../../util/ip.js";
import { type HttpTransport, TransportError } from "./transport.js";

export interface OutboundIp {
  /** The address, when the answer was exactly one IP. */
  ip: string | undefined;
  /** HTTP status of the answer; undefined when there was none (see `failure`). */
  status: number | undefined;
  /** Why there was no answer (its stage, errno, how far the request got). */
  failure: TransportError | undefined;
  latencyMs: number;
}

export interface OutboundIpOptions {
  /** Extra headers (the proxy's token for its /proxy/outbound-ip). */
  headers?: Record<string, string> | undefined;
  /** Deadline of this request (default: the transport's request deadline). */
  timeoutMs?: number | undefined;
}

/** Something that can ask an echo service through its own network path (CryptoComClient). */
export interface OutboundIpSource {
  outboundIp(url: string, opts?: OutboundIpOptions): Promise<OutboundIp>;
}

/** Echo services answer text, or JSON with ?format=json; the proxy's endpoint answers {"ip", "via"}. */
const ACCEPT = "text/plain, application/json";

export async function fetchOutboundIp(
  transport: HttpTransport,
  url: string,
  opts: OutboundIpOptions = {},
): Promise<OutboundIp> {
  try {
    const res = await transport.get(url, undefined, {
      headers: { accept: ACCEPT, ...opts.headers },
      timeoutMs: opts.timeoutMs,
    });
    const ip = res.status === 200 ? parseIpAnswer(res.text) : undefined;
    return { ip, status: res.status, failure: undefined, latencyMs: res.latencyMs };
  } catch (err) {
    if (!(err instanceof TransportError)) throw err;
    return { ip: undefined, status: undefined, failure: err, latencyMs: err.latencyMs };
  }
}
