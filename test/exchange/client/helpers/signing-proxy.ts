/**
 * The real signing proxy (src/proxy, what `atp` users run on the whitelisted host) for client tests,
 * with its log captured: what it did with each request (refused a token, forwarded, upstream failed)
 * is read from its own log records, never from a test double.
 */
import { createLogger } from "../../../../src/log/logger.js";
import {
  type SigningProxy,
  type SigningProxyOptions,
  startSigningProxy,
} from "../../../../src/proxy/index.js";
import { logLines } from "../../../helpers/log-lines.js";

/** The messages the proxy logs once per request, by outcome (src/proxy/signing-proxy.ts). */
export const PROXY_LOG = {
  refusedToken: "proxy: refused a request with a wrong or missing X-Proxy-Token",
  forwarded: "proxy: forwarded",
  upstreamFailed: "proxy: upstream failed",
} as const;

export interface ProxyLogRecord {
  msg: string;
  method?: string;
  upstream_status?: number;
  failure?: string;
  [k: string]: unknown;
}

export interface ProxyUnderTest extends SigningProxy {
  /** Every record the proxy logged, in order. */
  records(): ProxyLogRecord[];
  /** The records with this message. */
  logged(msg: string): ProxyLogRecord[];
}

export async function startProxyUnderTest(
  opts: Omit<SigningProxyOptions, "logger" | "outboundIpUrl"> & { outboundIpUrl?: string },
): Promise<ProxyUnderTest> {
  const { destination, lines } = logLines();
  const proxy = await startSigningProxy({
    outboundIpUrl: "http://127.0.0.1:9/ip",
    ...opts,
    logger: createLogger({ destination, level: "info", pretty: false }),
  });
  const records = () => lines.map((l) => JSON.parse(l) as ProxyLogRecord);
  return {
    ...proxy,
    records,
    logged: (msg) => records().filter((r) => r.msg === msg),
  };
}
