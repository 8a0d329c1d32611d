/**
 * Rules: the signing proxy (proxy mode). The proxied read tells them apart: a failure on the way is
 * `proxy_unreachable`; the proxy's own 401/403 (an atp proxy: its `bad_token`, or `throttled` after
 * failed token attempts, read by the x-proxy-error code) is `proxy_token_rejected`; another answer of its own
 * (not 502/504, which network.ts reads) means something else answers there; an upstream auth-type
 * code is `proxy_upstream_rejected`, read by its category (IP → the proxy's IP, nonce → the proxy
 * host's clock, permission → the proxy key's account, auth → the proxy's key).
 */
import { clockFix } from "../catalogue/clock.js";
import { whitelistFix } from "../catalogue/ip-whitelist.js";
import { cause } from "../catalogue/phrases.js";
import { PROXY_TOKEN_REJECTED, PROXY_UNREACHABLE, PROXY_UPSTREAM_REJECTED } from "../catalogue/proxy.js";
import { type Observations, ran } from "../observations.js";
import type { Cause } from "../types.js";
import { answered, codeName, type Refusal } from "./readings.js";

export function proxyCauses(o: Observations, out: Cause[]): void {
  const url = o.proxyUrl;
  if (!o.viaProxy || !url) return;
  const read = ran(o.read);
  if (read?.kind === "transport") {
    const t = PROXY_UNREACHABLE.text;
    const f = read.failure;
    const health = o.proxyHealth && !o.proxyHealth.ok ? o.proxyHealth.failure : undefined;
    out.push(
      cause(
        "proxy_unreachable",
        f.reading === "deadline" ? "possible" : f.reading === "timeout" ? "likely" : "confirmed",
        t.silentSummary(url),
        [t.readFailed(url, f), ...(health ? [t.healthFailed(url, health)] : [])],
        t.silentFix(url),
      ),
    );
  } else if (read?.kind === "proxy") {
    const st = read.error.proxyStatus;
    // an atp proxy names its failure (x-proxy-error); any other proxy is read by its HTTP status
    const code = read.error.proxyCode;
    const refused =
      code !== undefined ? code === "bad_token" || code === "throttled" : st === 401 || st === 403;
    const onTheWay =
      code !== undefined
        ? code === "upstream_unreachable" || code === "upstream_timeout"
        : st === 502 || st === 504;
    if (refused) {
      const t = PROXY_TOKEN_REJECTED.text;
      // throttled: the proxy holds back a client after failed token attempts
      const summary = code === "throttled" ? t.throttledSummary : t.summary(st);
      out.push(
        cause(
          "proxy_token_rejected",
          code === "throttled" ? "likely" : "confirmed",
          summary,
          t.evidence(url, st, o.proxyToken),
          t.fix,
        ),
      );
    } else if (!onTheWay) {
      const t = PROXY_UNREACHABLE.text;
      out.push(
        cause(
          "proxy_unreachable",
          "likely",
          t.notTheProxySummary(url),
          [t.notTheProxyEvidence(url, st, read.error.exchangeMessage)],
          t.notTheProxyFix,
        ),
      );
    }
  } else {
    // the exchange refused the request the proxy signed and forwarded
    const upstream = answered(read, "auth", "ip_not_whitelisted", "nonce", "permission");
    if (upstream) out.push(upstreamRejected(o, upstream));
  }
}

function upstreamRejected(o: Observations, upstream: Refusal): Cause {
  const t = PROXY_UPSTREAM_REJECTED.text;
  const what = codeName(upstream.error);
  const pip = o.proxyIp?.ip;
  const evidence = [t.forwarded(upstream), t.proxyIp(pip, o.proxyIp?.problem)];
  let summary: string;
  let fix: string[];
  switch (upstream.error.category) {
    case "ip_not_whitelisted":
      summary = t.ipSummary(pip, what);
      fix = whitelistFix(o.outboundIpUrl, pip, t.proxyKey, t.proxyHost);
      break;
    case "nonce": {
      // the proxy host's clock: ours to the exchange minus ours to the proxy host
      const proxyOffset =
        o.clock && o.proxyClockOffsetMs !== undefined ? o.clock.offsetMs - o.proxyClockOffsetMs : undefined;
      summary = t.nonceSummary(what);
      if (proxyOffset !== undefined) evidence.push(t.proxyClock(proxyOffset));
      fix = clockFix(proxyOffset, t.proxyHost);
      break;
    }
    case "permission":
      summary = t.permissionSummary(what);
      fix = t.permissionFix(upstream.error.info?.remedy);
      break;
    default:
      summary = t.keySummary(what);
      fix = [...t.keyFix];
  }
  const direct = ran(o.direct);
  if (direct) {
    evidence.push(t.direct(direct));
    if (direct.kind === "ok") fix.push(t.goDirect);
  }
  return cause("proxy_upstream_rejected", "confirmed", summary, evidence, fix);
}
