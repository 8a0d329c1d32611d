/**
 * The network probes: this host's (and the proxy's) outbound IP, reachability of the exchange (its
 * host's DNS, then public GETs that are also the clock samples), the proxy's health and the
 * instrument list for a failing order. Each returns a typed reading.
 *
 * Invariants: at most `clockSamples` public GETs (≥ 1), stopping at the first failure on the way, at
 * a slow answer (> 1 s) or when less than half a call timeout is left before the deadline; the DNS
 * lookup uses the run's lookup and never outlives the call timeout.
 */
import { lookup as dnsLookup } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import { ClockOffset, type OffsetSample } from "../../exchange/cryptocom/clock.js";
import { type Logger, logOutboundIp } from "../../log/logger.js";
import type { EnvironmentInfo } from "../environment.js";
import type { ClockReading, DnsReading } from "../observations.js";
import type { Outcome } from "../outcome.js";
import { dnsFailure } from "../path-failure.js";
import type { IpAnswer, ProxyHealth, ProxyTarget } from "../probe-client.js";
import type { ProbeRun } from "./run.js";

const TICKERS = "public/get-tickers";
const INSTRUMENTS = "public/get-instruments";

export interface IpReading {
  directIp: IpAnswer;
  /** The proxy's own outbound IP (proxy mode). */
  proxyIp: IpAnswer | undefined;
}

export interface ReachabilityReading {
  dns: DnsReading | undefined;
  /** The first public call. */
  publicProbe: Outcome | undefined;
}

/** The outbound IPs, each logged with CRYPTO_COM_OUTBOUND_IP. */
export function probeOutboundIp(
  run: ProbeRun,
  o: { url: string; proxy: ProxyTarget | undefined; localAddress: string | undefined; log: Logger },
): Promise<IpReading> {
  return run.durations.timed("outbound_ip", async () => {
    const [directIp, proxyIp] = await Promise.all([
      run.calls.outboundIp(o.url),
      o.proxy ? run.calls.proxyOutboundIp(o.proxy) : Promise.resolve(undefined),
    ]);
    if (directIp.ip) {
      logOutboundIp(o.log, directIp.ip, o.localAddress ? `direct, bound to ${o.localAddress}` : "direct");
    }
    if (proxyIp?.ip && o.proxy) logOutboundIp(o.log, proxyIp.ip, `proxy ${o.proxy.url}`);
    return { directIp, proxyIp };
  });
}

function dnsLookupTimed(host: string, lookup: LookupFunction, timeoutMs: number): Promise<DnsReading> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      const ms = performance.now() - t0;
      resolve({ host, addresses: [], failure: dnsFailure(host, "ETIMEOUT", timeoutMs, true), ms });
    }, timeoutMs);
    timer.unref();
    lookup(host, { all: true }, (err, addresses) => {
      clearTimeout(timer);
      const ms = performance.now() - t0;
      if (err) {
        const errno = (err as NodeJS.ErrnoException).code ?? "ENOTFOUND";
        resolve({ host, addresses: [], failure: dnsFailure(host, errno, ms, false), ms });
        return;
      }
      const list = Array.isArray(addresses) ? addresses.map((a) => a.address) : [String(addresses)];
      resolve({ host, addresses: list, failure: undefined, ms });
    });
  });
}

/** DNS of the exchange host (a name, not an IP), then the public GETs that also sample the clock. */
export function probeReachability(
  run: ProbeRun,
  env: EnvironmentInfo,
  symbol: string,
): Promise<ReachabilityReading> {
  const t = run.timeouts;
  return run.durations.timed("reachability", async () => {
    let dns: DnsReading | undefined;
    if (env.host && !isIP(env.host.replace(/^\[|\]$/g, ""))) {
      dns = await dnsLookupTimed(env.host, run.lookup ?? (dnsLookup as LookupFunction), t.callMs);
      if (dns.failure) return { dns, publicProbe: undefined };
    }
    let publicProbe: Outcome | undefined;
    await run.durations.timed("clock", async () => {
      for (let i = 0; i < Math.max(1, t.clockSamples); i++) {
        if (i > 0 && t.clockSampleGapMs > 0) await new Promise((r) => setTimeout(r, t.clockSampleGapMs));
        if (run.deadline.remainingMs() < t.callMs / 2) break;
        const s0 = performance.now();
        const out = await run.calls.publicGet(TICKERS, { instrument_name: symbol });
        if (i === 0) publicProbe = out;
        if (out.kind === "transport" || performance.now() - s0 > 1_000) break;
      }
    });
    return { dns, publicProbe };
  });
}

export function probeInstruments(run: ProbeRun): Promise<Outcome> {
  return run.durations.timed("order", () => run.calls.publicGet(INSTRUMENTS));
}

export function probeProxyHealth(run: ProbeRun, proxy: ProxyTarget): Promise<ProxyHealth> {
  return run.durations.timed("proxy", () => run.calls.proxyHealth(proxy));
}

/** The clock offset from Date-header samples (the exchange's, or the proxy host's), in time order. */
export function clockReading(list: readonly OffsetSample[]): ClockReading | undefined {
  const samples = [...list].sort((a, b) => a.at - b.at);
  if (samples.length === 0) return undefined;
  const c = new ClockOffset();
  let used = 0;
  for (const s of samples) {
    const before = c.estimate;
    const after = c.add(s);
    used = before && after !== s ? used + 1 : 1;
  }
  const e = c.estimate!;
  return { offsetMs: e.offsetMs, uncertaintyMs: Math.max(0, (e.highMs - e.lowMs) / 2), samples: used };
}
