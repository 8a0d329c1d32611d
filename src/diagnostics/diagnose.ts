/**
 * `diagnose(context) → DoctorReport`: runs the checklist, concurrently where independent, and
 * names the causes. Used by `atp doctor`, and by the engine, the API and Telegram with the failing
 * request's context.
 *
 * Invariants:
 * - Runs on any configuration, however broken; never throws for a configuration or network problem.
 * - Never places an order. The only trade call is `private/cancel-order` for a random order id
 *   that cannot exist. Bounded calls per run (docs/doctor.md "Calls"): ≤ 4 public exchange GETs,
 *   ≤ 2 `private/user-balance`, ≤ 1 `private/cancel-order`, ≤ 2 IP echoes (ours, the proxy's) and
 *   ≤ 1 proxy health check: 10 at most, paced by the client's rate limiter.
 * - Every call has its own timeout (`callMs`) and the whole run a deadline (`totalMs`, default 8 s):
 *   a hung endpoint costs at most one call timeout per dependent step, never more than the deadline.
 * - The swapped-credentials experiment sends the secret as `api_key`; it only runs against
 *   Crypto.com's own hosts or a loopback address, never a third-party mirror.
 * - The report never contains a configured secret (redacted by value as a last line of defence).
 */
import { randomInt } from "node:crypto";
import { lookup as dnsLookup } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import { ClockOffset, type OffsetSample } from "../exchange/cryptocom/clock.js";
import { ExchangeError } from "../exchange/cryptocom/errors.js";
import { parseInstruments, parseTickers } from "../exchange/cryptocom/parsers/market.js";
import { authLog, logOutboundIp, silentLogger } from "../log/logger.js";
import { Redactor } from "../log/redact.js";
import { type Credentials, codeOf, DoctorCalls, type Outcome, type ProxyTarget } from "./calls.js";
import { buildChecks } from "./checks.js";
import { assessCredentials, isAssessedFinding } from "./credentials.js";
import { answered, decide } from "./decide.js";
import { classifyBaseUrl } from "./environment.js";
import { Deadline, type HttpFailure, ProbeHttp } from "./http.js";
import type { ClockReading, DnsReading, EngineErrorInfo, Observations, Skipped } from "./observations.js";
import {
  assessOrder,
  availableBalances,
  type MarketPrices,
  type NormalisedOrder,
  normaliseOrder,
  type OrderAssessment,
  OrderInputError,
} from "./order-check.js";
import { rankCauses } from "./rank.js";
import { type NumberHazard, numberHazards, runSelfTest } from "./self-test.js";
import {
  type CheckId,
  DEFAULT_TIMEOUTS,
  type DoctorContext,
  type DoctorReport,
  type DoctorTimeouts,
  type EngineFailure,
  type FailingOrderInput,
} from "./types.js";

const BALANCE = "private/user-balance";
const CANCEL = "private/cancel-order";
const TICKERS = "public/get-tickers";
const INSTRUMENTS = "public/get-instruments";
const DEFAULT_TICKER = "BTC_USD";

const skip = (why: string): Skipped => ({ skipped: why });

/** An order id that cannot exist: 19 digits starting 9000000 (inside a signed 64-bit long). */
export function probeOrderId(): string {
  let s = "9000000";
  while (s.length < 19) s += String(randomInt(0, 10));
  return s;
}

function engineInfo(e: EngineFailure | undefined): EngineErrorInfo | undefined {
  if (!e) return undefined;
  const err =
    e instanceof ExchangeError
      ? e
      : new ExchangeError({ method: e.method ?? "request", code: e.code, httpStatus: e.httpStatus });
  return {
    method: e.method,
    code: err.code,
    httpStatus: err.httpStatus,
    category: err.category,
    codeName: err.codeName,
  };
}

/** The order from the context, or from the failing request when it is a create-order. */
function orderInput(ctx: DoctorContext): FailingOrderInput | undefined {
  if (ctx.order) return ctx.order;
  const r = ctx.request;
  if (r && /create-order$/.test(r.method) && r.params && typeof r.params === "object") {
    return r.params as FailingOrderInput;
  }
  return undefined;
}

/** The clock offset from Date-header samples (the exchange's, or the proxy host's), in time order. */
function clockReading(list: readonly OffsetSample[]): ClockReading | undefined {
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

function dnsLookupTimed(
  host: string,
  lookup: LookupFunction,
  timeoutMs: number,
): Promise<{ addresses: string[]; failure: HttpFailure | undefined; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const timer = setTimeout(
      () =>
        resolve({
          addresses: [],
          failure: {
            stage: "dns",
            errno: "ETIMEOUT",
            detail: `DNS lookup of ${host} did not answer within ${timeoutMs} ms`,
            connected: false,
            latencyMs: timeoutMs,
          },
          ms: performance.now() - t0,
        }),
      timeoutMs,
    );
    timer.unref();
    lookup(host, { all: true }, (err, addresses) => {
      clearTimeout(timer);
      const ms = performance.now() - t0;
      if (err) {
        const errno = (err as NodeJS.ErrnoException).code ?? "ENOTFOUND";
        resolve({
          addresses: [],
          failure: {
            stage: "dns",
            errno,
            detail: `DNS lookup of ${host} failed (${errno})`,
            connected: false,
            latencyMs: ms,
          },
          ms,
        });
        return;
      }
      const list = Array.isArray(addresses) ? addresses.map((a) => a.address) : [String(addresses)];
      resolve({ addresses: list, failure: undefined, ms });
    });
  });
}

/** Best bid, ask and last price of the order's instrument from the reachability ticker. */
function marketPrices(pub: Outcome | undefined, order: NormalisedOrder): MarketPrices | undefined {
  if (pub?.kind !== "ok") return undefined;
  try {
    const t = parseTickers(pub.result).find((x) => x.symbol === order.instrument_name);
    return t ? { bid: t.bid, ask: t.ask, last: t.last } : undefined;
  } catch {
    return undefined;
  }
}

export async function diagnose(ctx: DoctorContext): Promise<DoctorReport> {
  const t: DoctorTimeouts = { ...DEFAULT_TIMEOUTS, ...ctx.timeouts };
  const log = ctx.logger ?? silentLogger();
  const cfg = ctx.config.config;
  const baseUrl = cfg.exchange.baseUrl.replace(/\/+$/, "");
  const env = classifyBaseUrl(baseUrl);
  const viaProxy = cfg.proxy.enabled;
  const creds = assessCredentials(ctx.config);
  const durations: Partial<Record<CheckId, number>> = {};
  const timed = async <T>(id: CheckId, f: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await f();
    } finally {
      durations[id] = (durations[id] ?? 0) + (performance.now() - t0);
    }
  };

  // 1. configuration and 5. signing self-test: offline.
  let t0 = performance.now();
  // findings assessCredentials turns into credential issues are not repeated as they are
  const otherErrors = ctx.config.errors.filter((e) => !isAssessedFinding(e));
  const otherWarnings = ctx.config.warnings.filter((w) => !isAssessedFinding(w));
  durations.config = performance.now() - t0;

  t0 = performance.now();
  const selfTest = runSelfTest();
  const hazards: NumberHazard[] = ctx.request?.params !== undefined ? numberHazards(ctx.request.params) : [];
  let order: NormalisedOrder | undefined;
  let orderProblem: string | undefined;
  const oi = orderInput(ctx);
  if (oi) {
    try {
      order = normaliseOrder(oi);
      for (const h of order.numbers) if (!hazards.some((x) => x.path === h.path)) hazards.push(h);
    } catch (err) {
      if (!(err instanceof OrderInputError)) throw err;
      orderProblem = err.message;
    }
  }
  durations.signing = performance.now() - t0;

  const deadline = new Deadline(t.totalMs, ctx.signal);
  const http = new ProbeHttp({
    localAddress: cfg.exchange.localAddress,
    lookup: ctx.lookup,
    callMs: t.callMs,
    deadline,
  });
  const calls = new DoctorCalls(http, baseUrl, (c) => ctx.onCall?.(c));
  const proxy: ProxyTarget | undefined =
    viaProxy && cfg.proxy.url
      ? { url: cfg.proxy.url.replace(/\/+$/, ""), token: cfg.proxy.token ?? "" }
      : undefined;
  const local: Credentials | undefined = creds.usable
    ? { apiKey: creds.key!, apiSecret: creds.secret! }
    : undefined;
  const probeId = probeOrderId();

  const obs: Observations = {
    baseUrl,
    env,
    viaProxy,
    proxyUrl: proxy?.url,
    proxyToken: cfg.proxy.token,
    liveTrading: cfg.liveTrading,
    localAddress: cfg.exchange.localAddress,
    outboundIpUrl: cfg.exchange.outboundIpUrl,
    creds,
    otherErrors,
    otherWarnings,
    selfTest,
    hazards,
    directIp: undefined,
    proxyIp: undefined,
    dns: undefined,
    publicProbe: undefined,
    clock: undefined,
    proxyClockOffsetMs: undefined,
    proxyHealth: undefined,
    read: skip("not run"),
    tradeProbe: skip("not run"),
    probeOrderId: probeId,
    swapped: skip("only after a 40101 on the signed read"),
    nonceRetry: skip("only after a 40102 on the signed read"),
    direct: skip(viaProxy ? "no local credentials to compare with" : "USE_CRYPTO_PROXY is off"),
    order: undefined,
    orderProblem,
    engine: engineInfo(ctx.error),
    serverErrors: calls.serverErrors,
    deadlineHit: false,
  };

  // 2. outbound IP, through the same network path as the private calls.
  const ipTask = timed("outbound_ip", async () => {
    const [direct, viaP] = await Promise.all([
      calls.outboundIp(cfg.exchange.outboundIpUrl),
      proxy ? calls.proxyOutboundIp(proxy) : Promise.resolve(undefined),
    ]);
    obs.directIp = direct;
    obs.proxyIp = viaP;
    if (direct.ip)
      logOutboundIp(
        log,
        direct.ip,
        cfg.exchange.localAddress ? `direct, bound to ${cfg.exchange.localAddress}` : "direct",
      );
    if (viaP?.ip && proxy) logOutboundIp(log, viaP.ip, `proxy ${proxy.url}`);
  });

  // 3. reachability (DNS, then public GETs) and 4. clock samples from the same GETs.
  const symbol =
    order && /^[A-Z0-9]+_[A-Z0-9]+$/.test(order.instrument_name) ? order.instrument_name : DEFAULT_TICKER;
  const publicTask = timed("reachability", async () => {
    if (env.host && !isIP(env.host.replace(/^\[|\]$/g, ""))) {
      const d = await dnsLookupTimed(env.host, ctx.lookup ?? (dnsLookup as LookupFunction), t.callMs);
      obs.dns = { host: env.host, ...d } satisfies DnsReading;
      if (d.failure) return;
    }
    const c0 = performance.now();
    for (let i = 0; i < Math.max(1, t.clockSamples); i++) {
      if (i > 0 && t.clockSampleGapMs > 0) await new Promise((r) => setTimeout(r, t.clockSampleGapMs));
      if (deadline.remainingMs() < t.callMs / 2) break;
      const s0 = performance.now();
      const out = await calls.publicGet(TICKERS, { instrument_name: symbol });
      if (i === 0) obs.publicProbe = out;
      if (out.kind === "transport" || performance.now() - s0 > 1_000) break;
    }
    durations.clock = performance.now() - c0;
  });

  const instrumentsTask = order
    ? timed("order", () => calls.publicGet(INSTRUMENTS))
    : Promise.resolve(undefined as Outcome | undefined);

  const proxyTask = proxy
    ? timed("proxy", async () => {
        obs.proxyHealth = await calls.proxyHealth(proxy);
      })
    : Promise.resolve();

  // 6. signed read, then 7. trade probe or 8. the discriminating experiments.
  const send = (method: string, params: Record<string, string>, c?: Credentials, nonceOffsetMs = 0) =>
    proxy
      ? calls.privateViaProxy(method, params, proxy)
      : calls.privateDirect(method, params, c!, nonceOffsetMs);
  const probe = (c?: Credentials, nonceOffsetMs = 0) =>
    timed("trade_permission", () => send(CANCEL, { order_id: probeId }, c, nonceOffsetMs));

  const readTask = (async () => {
    if (viaProxy && !proxy) {
      obs.read = skip("no proxy URL");
      obs.tradeProbe = skip("no proxy URL");
      return;
    }
    if (!proxy && !local) {
      const why = creds.malformed.length > 0 ? "the credentials are malformed" : "no credentials configured";
      obs.read = skip(why);
      obs.tradeProbe = skip(why);
      return;
    }
    const read = await timed("signed_read", () => send(BALANCE, {}, local));
    obs.read = read;
    if (read.kind === "ok") {
      obs.tradeProbe = await probe(local);
      return;
    }
    obs.tradeProbe = skip("the signed read failed: the probe would fail the same way");
    if (proxy || !local) return;
    // only an auth refusal (40101) can mean swapped credentials; a permission refusal (10002) cannot
    if (answered(read, "auth")) {
      if (env.official || env.loopback) {
        obs.swapped = await timed("swapped_credentials", () =>
          calls.privateDirect(BALANCE, {}, { apiKey: local.apiSecret, apiSecret: local.apiKey }),
        );
      } else {
        obs.swapped = skip(
          `not run against ${env.host}: it would send the secret as the key to a host that is not Crypto.com's`,
        );
      }
    } else if (answered(read, "nonce")) {
      await publicTask;
      const clock = clockReading(calls.exchangeSamples);
      if (!clock) {
        obs.nonceRetry = skip("the clock offset could not be measured");
        return;
      }
      const retry = await timed("nonce_window", () =>
        calls.privateDirect(BALANCE, {}, local, clock.offsetMs),
      );
      obs.nonceRetry = retry;
      if (retry.kind === "ok") obs.tradeProbe = await probe(local, clock.offsetMs);
    } else if (answered(read, "ip_not_whitelisted")) {
      obs.swapped = skip(`after a ${codeOf(read)} the key is known to the exchange: not swapped`);
    }
  })();

  const directTask =
    proxy && local
      ? timed("direct_vs_proxy", async () => {
          obs.direct = await calls.privateDirect(BALANCE, {}, local);
        })
      : Promise.resolve();

  const [instruments] = await Promise.all([
    instrumentsTask,
    ipTask,
    publicTask,
    proxyTask,
    readTask,
    directTask,
  ]);
  obs.deadlineHit = deadline.expired;
  deadline.dispose();
  calls.dispose();
  await http.close();

  obs.clock = clockReading(calls.exchangeSamples);
  obs.proxyClockOffsetMs = clockReading(calls.proxySamples)?.offsetMs;

  // 9. the failing order, validated without sending it.
  if (order) {
    let list: ReturnType<typeof parseInstruments> | undefined;
    if (instruments?.kind === "ok") {
      try {
        list = parseInstruments(instruments.result);
      } catch {
        list = undefined;
      }
    }
    const read = obs.read && !("skipped" in obs.read) ? obs.read : undefined;
    const balances = read?.kind === "ok" ? availableBalances(read.result) : undefined;
    obs.order = assessOrder({
      order,
      instruments: list,
      market: marketPrices(obs.publicProbe, order),
      balances,
    }) satisfies OrderAssessment;
  }

  const causes = rankCauses(decide(obs));
  const checks = buildChecks(obs, durations);
  const outbound = viaProxy ? (obs.proxyIp?.ip ?? null) : (obs.directIp?.ip ?? null);
  const raw: DoctorReport = {
    verdict: causes.length > 0 || checks.some((c) => c.status === "fail") ? "problem" : "ok",
    causes,
    checks,
    outbound_ip: outbound,
    clock_offset_ms: obs.clock ? Math.round(obs.clock.offsetMs) : null,
    base_url: baseUrl,
    via_proxy: viaProxy,
  };
  const report = new Redactor(ctx.config.secrets).value(raw) as DoctorReport;
  if (report.verdict === "problem" && report.causes[0]) {
    const c = report.causes[0];
    authLog(
      log,
      "warn",
      { cause: c.id, confidence: c.confidence },
      `doctor: ${c.id} (${c.confidence}): ${c.summary}`,
    );
  } else {
    authLog(log, "info", { verdict: report.verdict }, `doctor: verdict ${report.verdict}`);
  }
  if (ctx.onReport) await ctx.onReport(report);
  return report;
}
