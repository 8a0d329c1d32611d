/**
 * Rules: the path to the exchange, the IP echo service and, behind the proxy, the exchange. A DNS,
 * TCP or TLS failure is confirmed; a connection that never answers is likely; the run's deadline
 * only makes it possible. The proxy's 502/504 say the proxy cannot reach the exchange (likely).
 */
import { NETWORK_UNREACHABLE } from "../catalogue/network.js";
import { cause, failureLine, hostOf } from "../catalogue/phrases.js";
import { type Observations, ran } from "../observations.js";
import type { PathFailure } from "../path-failure.js";
import type { Cause } from "../types.js";

/** The first failure on the way to the exchange: its DNS, the public probe, or the direct read. */
function exchangeFailure(o: Observations): PathFailure | undefined {
  const pub = o.publicProbe;
  const read = ran(o.read);
  return (
    o.dns?.failure ??
    (pub?.kind === "transport" ? pub.failure : undefined) ??
    (read?.kind === "transport" && read.via === "direct" ? read.failure : undefined)
  );
}

export function networkCauses(o: Observations, out: Cause[]): void {
  const t = NETWORK_UNREACHABLE.text;
  const host = o.env.host || hostOf(o.baseUrl);
  const failure = exchangeFailure(o);
  if (failure && failure.reading !== "deadline") {
    const confirmed = failure.reading === "dns" || failure.reading === "tcp" || failure.reading === "tls";
    out.push(
      cause(
        "network_unreachable",
        confirmed ? "confirmed" : "likely",
        t.summary(o.env.host || o.baseUrl, failure.reading),
        [failureLine(failure), t.baseUrl(o.baseUrl), ...(o.localAddress ? [t.bound(o.localAddress)] : [])],
        t.fix(failure.reading, host, o.localAddress),
      ),
    );
  } else if (failure?.reading === "deadline") {
    out.push(
      cause(
        "network_unreachable",
        "possible",
        t.deadlineSummary,
        [failure.detail],
        t.fix("timeout", host, o.localAddress),
      ),
    );
  }
  const echo = o.directIp;
  if (echo && !echo.ip && echo.failure && echo.failure.reading !== "deadline") {
    out.push(
      cause(
        "network_unreachable",
        echo.failure.reading === "timeout" ? "likely" : "confirmed",
        t.echoSummary(o.outboundIpUrl),
        [failureLine(echo.failure), ...(failure ? [] : [t.exchangeReachable])],
        t.echoFix(o.outboundIpUrl),
      ),
    );
  }
  const read = ran(o.read);
  if (read?.kind === "proxy" && (read.error.proxyStatus === 502 || read.error.proxyStatus === 504)) {
    const status = read.error.proxyStatus;
    out.push(
      cause(
        "network_unreachable",
        "likely",
        t.behindProxySummary(status),
        [t.behindProxyEvidence(o.proxyUrl, status), ...(o.proxyIp?.ip ? [t.proxyIp(o.proxyIp.ip)] : [])],
        t.behindProxyFix,
      ),
    );
  }
}
