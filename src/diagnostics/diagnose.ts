/**
 * `diagnose(context) → DoctorReport`: runs the checklist, concurrently where independent, and
 * names the causes. Used by `atp doctor`, and by the engine, the API and Telegram with the failing
 * request's context.
 *
 * The run: offline readings (probes/offline.ts), then the probe tasks (probes/network.ts,
 * probes/signed.ts), each returning a typed reading, over one ProbeClient (the exchange client and
 * transport of this run); their readings become the Observations that decide.ts turns into causes
 * and checks.ts into the checklist.
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

import { ExchangeError } from "../exchange/cryptocom/errors.js";
import { parseInstruments, parseTickers } from "../exchange/cryptocom/parsers/market.js";
import { authLog, silentLogger } from "../log/logger.js";
import { Redactor } from "../log/redact.js";
import { buildChecks } from "./checks.js";
import { assessCredentials } from "./credentials.js";
import { Deadline } from "./deadline.js";
import { decide } from "./decide.js";
import { classifyBaseUrl } from "./environment.js";
import type { EngineErrorInfo, Observations } from "./observations.js";
import {
  assessOrder,
  availableBalances,
  type MarketPrices,
  type NormalisedOrder,
  type OrderAssessment,
} from "./order-check.js";
import type { Outcome } from "./outcome.js";
import { ProbeClient, type ProbeCredentials, type ProxyTarget } from "./probe-client.js";
import {
  clockReading,
  probeInstruments,
  probeOutboundIp,
  probeProxyHealth,
  probeReachability,
} from "./probes/network.js";
import { readConfig, readSigning } from "./probes/offline.js";
import { Durations, type ProbeRun } from "./probes/run.js";
import { probeDirectComparison, probeOrderId, probeSignedPath, type SignedPath } from "./probes/signed.js";
import { rankCauses } from "./rank.js";
import { withdrawWarnings } from "./rules/key-hygiene.js";
import {
  DEFAULT_TIMEOUTS,
  type DoctorContext,
  type DoctorReport,
  type DoctorTimeouts,
  type EngineFailure,
} from "./types.js";

const DEFAULT_TICKER = "BTC_USD";

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

/** 9. the failing order, validated against the rules, the market and the balance, never sent. */
function orderReading(
  order: NormalisedOrder,
  instruments: Outcome | undefined,
  publicProbe: Outcome | undefined,
  read: Observations["read"],
): OrderAssessment {
  let list: ReturnType<typeof parseInstruments> | undefined;
  if (instruments?.kind === "ok") {
    try {
      list = parseInstruments(instruments.result);
    } catch {
      list = undefined;
    }
  }
  const balances = !("skipped" in read) && read.kind === "ok" ? availableBalances(read.result) : undefined;
  return assessOrder({ order, instruments: list, market: marketPrices(publicProbe, order), balances });
}

export async function diagnose(ctx: DoctorContext): Promise<DoctorReport> {
  const t: DoctorTimeouts = { ...DEFAULT_TIMEOUTS, ...ctx.timeouts };
  const log = ctx.logger ?? silentLogger();
  const cfg = ctx.config.config;
  const baseUrl = cfg.exchange.baseUrl.replace(/\/+$/, "");
  const env = classifyBaseUrl(baseUrl);
  const viaProxy = cfg.proxy.enabled;
  const creds = assessCredentials(ctx.config);
  const durations = new Durations();

  // 1. configuration and 2. signing self-test: offline.
  const config = readConfig(ctx.config, durations);
  const signing = readSigning(ctx, durations);
  const order = signing.order;

  const proxy: ProxyTarget | undefined =
    viaProxy && cfg.proxy.url
      ? { url: cfg.proxy.url.replace(/\/+$/, ""), token: cfg.proxy.token ?? "" }
      : undefined;
  const local: ProbeCredentials | undefined = creds.usable
    ? { apiKey: creds.key!, apiSecret: creds.secret! }
    : undefined;
  const deadline = new Deadline(t.totalMs, ctx.signal);
  const calls = new ProbeClient({
    baseUrl,
    localAddress: cfg.exchange.localAddress,
    lookup: ctx.lookup,
    callMs: t.callMs,
    deadline,
    credentials: local,
    proxy,
    onCall: (c) => ctx.onCall?.(c),
  });
  const run: ProbeRun = { calls, deadline, timeouts: t, lookup: ctx.lookup, durations };

  // 3.-9. the probe tasks, concurrently; the signed path's follow-ups wait only for what they need.
  const symbol =
    order && /^[A-Z0-9]+_[A-Z0-9]+$/.test(order.instrument_name) ? order.instrument_name : DEFAULT_TICKER;
  const reachability = probeReachability(run, env, symbol);
  const signedPath: SignedPath = {
    viaProxy,
    proxy,
    local,
    creds,
    env,
    probeOrderId: probeOrderId(),
    measuredClock: async () => {
      await reachability;
      return clockReading(calls.exchangeSamples);
    },
  };
  const [ips, reach, instruments, proxyHealth, signed, direct] = await Promise.all([
    probeOutboundIp(run, {
      url: cfg.exchange.outboundIpUrl,
      proxy,
      localAddress: cfg.exchange.localAddress,
      log,
    }),
    reachability,
    order ? probeInstruments(run) : undefined,
    proxy ? probeProxyHealth(run, proxy) : undefined,
    probeSignedPath(run, signedPath),
    probeDirectComparison(run, signedPath),
  ]);
  const deadlineHit = deadline.expired;
  deadline.dispose();
  await calls.close();

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
    ...config,
    selfTest: signing.selfTest,
    hazards: signing.hazards,
    ...ips,
    ...reach,
    clock: clockReading(calls.exchangeSamples),
    proxyClockOffsetMs: clockReading(calls.proxySamples)?.offsetMs,
    proxyHealth,
    ...signed,
    probeOrderId: signedPath.probeOrderId,
    direct,
    order: order ? orderReading(order, instruments, reach.publicProbe, signed.read) : undefined,
    orderProblem: signing.orderProblem,
    engine: engineInfo(ctx.error),
    serverErrors: calls.serverErrors,
    deadlineHit,
  };

  const causes = rankCauses(decide(obs));
  const checks = buildChecks(obs, durations.all);
  const outbound = viaProxy ? (obs.proxyIp?.ip ?? null) : (obs.directIp?.ip ?? null);
  const raw: DoctorReport = {
    verdict: causes.length > 0 || checks.some((c) => c.status === "fail") ? "problem" : "ok",
    causes,
    checks,
    warnings: withdrawWarnings(obs),
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
