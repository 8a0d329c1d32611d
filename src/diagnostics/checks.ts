/**
 * The checklist part of a report: one line per check, always all of them in CHECK_IDS order
 * ("skip" with the reason when a check did not apply or could not run), each with its duration.
 * Statuses: pass (fine), fail (a problem), warn (works but deserves attention), skip.
 */

import { CLOCK_WARN_MS, NONCE_WINDOW_MS } from "../exchange/cryptocom/constants.js";
import { maskSecret } from "../util/secrets.js";
import { offsetMeaning, signedMs } from "./catalogue/phrases.js";
import { describeKey, describeSecret } from "./credentials.js";
import { isSkipped, type Observations, ran } from "./observations.js";
import { describeOrder, fmt } from "./order-check.js";
import { isServerFailure, outcomeText } from "./outcome.js";
import { SKEW_LIKELY_MS } from "./rules/facts.js";
import { withdrawLine } from "./rules/key-hygiene.js";
import { answered, credentialsSwapped, probeVerdict, servesNoApi, swappedWorks } from "./rules/readings.js";
import { CHECK_IDS, type CheckId, type CheckResult, type CheckStatus } from "./types.js";

type Line = { status: CheckStatus; detail: string };

function configLine(o: Observations): Line {
  const c = o.creds;
  const parts: string[] = [];
  if (o.viaProxy) {
    parts.push(
      `private calls via proxy ${o.proxyUrl ?? "(no URL)"}, token ${o.proxyToken ? maskSecret(o.proxyToken, "secret") : "<not set>"}`,
    );
    parts.push(
      c.key || c.secret
        ? `local credentials ${c.pair ?? ""} (used only for the direct comparison)`
        : "no local credentials (the proxy holds them)",
    );
  } else {
    parts.push(
      `credentials ${c.pair ?? "not configured"}: ${describeKey(c, credentialsSwapped(o))}, ${describeSecret(c)}`,
    );
  }
  parts.push(`base URL ${o.baseUrl} (${o.env.kind}: ${o.env.reason})`);
  if (o.localAddress) parts.push(`bound to ${o.localAddress}`);
  parts.push(o.liveTrading ? "LIVE_TRADING on" : "live trading off");
  const problems = [
    ...(!o.viaProxy ? c.missing.map((m) => `${m.variable} ${m.problem}`) : []),
    ...c.malformed.map((m) => `${m.variable} ${m.problem}`),
    ...o.otherErrors.map((e) => `${e.variable}: ${e.problem}`),
  ];
  const warnings = [
    ...c.cleaned.map((w) => `${w.variable}: ${w.problem}`),
    ...c.implausible.map((w) => `${w.variable} ${w.problem}`),
    ...o.otherWarnings.map((w) => `${w.variable}: ${w.problem}`),
    ...(o.env.kind === "uat" ? ["the UAT sandbox: orders are not real and production keys do not work"] : []),
  ];
  if (problems.length > 0)
    return { status: "fail", detail: `${parts.join("; ")}. Problems: ${problems.join("; ")}` };
  if (warnings.length > 0)
    return { status: "warn", detail: `${parts.join("; ")}. Warnings: ${warnings.join("; ")}` };
  return { status: "pass", detail: parts.join("; ") };
}

function signingLine(o: Observations): Line {
  const st = o.selfTest;
  const base = `${st.vectorCount - st.failedVectors.length}/${st.vectorCount} known-answer vectors, serialisation round trip ${st.roundTripProblem ? `FAILS (${st.roundTripProblem})` : "OK"}`;
  if (st.failedVectors.length > 0 || st.roundTripProblem) {
    return { status: "fail", detail: `${base}; failing: ${st.failedVectors.join(", ")}` };
  }
  if (o.hazards.length > 0) {
    return {
      status: "fail",
      detail: `${base}; the failing request has JSON numbers in params: ${o.hazards.map((h) => `${h.path}=${h.text}`).join(", ")}`,
    };
  }
  return { status: "pass", detail: base };
}

function ipLine(o: Observations): Line {
  const d = o.directIp;
  const direct = d?.ip
    ? `this host: ${d.ip} (via ${o.outboundIpUrl}${o.localAddress ? `, bound to ${o.localAddress}` : ""})`
    : `this host: unknown (${d?.problem ?? "not measured"})`;
  if (o.viaProxy) {
    const p = o.proxyIp;
    const proxy = p?.ip
      ? `proxy: ${p.ip} (its own outbound IP, what the exchange sees)`
      : `proxy: unknown (${p?.problem ?? "not measured"})`;
    return { status: p?.ip ? (d?.ip ? "pass" : "warn") : "warn", detail: `${proxy}; ${direct}` };
  }
  return { status: d?.ip ? "pass" : "fail", detail: direct };
}

function reachabilityLine(o: Observations): Line {
  const parts: string[] = [];
  if (o.dns) {
    parts.push(
      o.dns.failure
        ? `DNS ${o.dns.host}: ${o.dns.failure.detail}`
        : `DNS ${o.dns.host} → ${o.dns.addresses.join(", ") || "?"} (${Math.round(o.dns.ms)} ms)`,
    );
  }
  const p = o.publicProbe;
  if (!p) {
    // the public probe is not attempted when DNS already failed: that is a failed check, not a skipped one
    if (o.dns?.failure) return { status: "fail", detail: parts.join("; ") };
    return { status: "skip", detail: parts.join("; ") || "not run" };
  }
  parts.push(`GET ${p.method} → ${outcomeText(p)}`);
  if (o.dns?.failure || p.kind === "transport") return { status: "fail", detail: parts.join("; ") };
  if (answered(p, "maintenance") || (p.kind === "error" && isServerFailure(p.error))) {
    return { status: "fail", detail: parts.join("; ") };
  }
  if (servesNoApi(p)) {
    return { status: "fail", detail: `${parts.join("; ")}: the base URL does not serve the Exchange v1 API` };
  }
  return { status: "pass", detail: `${parts.join("; ")}${p.kind === "error" ? " (reachable)" : ""}` };
}

function clockLine(o: Observations): Line {
  const c = o.clock;
  if (!c) return { status: "skip", detail: "no exchange response with a Date header" };
  const abs = Math.abs(c.offsetMs) - c.uncertaintyMs;
  const detail = `offset ${signedMs(c.offsetMs)} ± ${Math.round(c.uncertaintyMs)} ms from ${c.samples} Date header sample(s): ${offsetMeaning(c.offsetMs)}; nonce window ±${NONCE_WINDOW_MS / 1000} s`;
  if (abs > SKEW_LIKELY_MS) return { status: o.viaProxy ? "warn" : "fail", detail };
  if (abs > CLOCK_WARN_MS) return { status: "warn", detail };
  return { status: "pass", detail };
}

function proxyLine(o: Observations): Line {
  if (!o.viaProxy) return { status: "skip", detail: "USE_CRYPTO_PROXY is off" };
  if (!o.proxyUrl) return { status: "fail", detail: "CRYPTO_PROXY_URL is not set" };
  const h = o.proxyHealth;
  if (!h) return { status: "skip", detail: "not run" };
  const clock =
    o.proxyClockOffsetMs !== undefined && o.clock
      ? `; proxy host clock offset to the exchange ${signedMs(o.clock.offsetMs - o.proxyClockOffsetMs)} (±1000 ms)`
      : "";
  if (h.failure) return { status: "fail", detail: `GET ${o.proxyUrl}/health: ${h.failure.detail}` };
  return {
    status: h.ok ? "pass" : "fail",
    detail: `GET ${o.proxyUrl}/health → HTTP ${h.status}${clock}`,
  };
}

function readLine(o: Observations): Line {
  if (isSkipped(o.read)) return { status: "skip", detail: o.read?.skipped ?? "not run" };
  const r = o.read;
  const via = r.via === "proxy" ? " via the proxy" : " direct";
  return {
    status: r.kind === "ok" ? "pass" : "fail",
    detail: `private/user-balance${via} → ${outcomeText(r)}`,
  };
}

function probeLine(o: Observations): Line {
  if (isSkipped(o.tradeProbe)) return { status: "skip", detail: o.tradeProbe?.skipped ?? "not run" };
  const p = o.tradeProbe;
  const base = `private/cancel-order for non-existent order id ${o.probeOrderId} → ${outcomeText(p)}`;
  switch (probeVerdict(p)) {
    case "pass":
      return { status: "pass", detail: `${base}: Trade permission present` };
    case "refused":
      return { status: "fail", detail: `${base}: refused for auth, Trade permission missing` };
    default:
      return { status: "warn", detail: `${base}: inconclusive` };
  }
}

function swappedLine(o: Observations): Line {
  if (isSkipped(o.swapped)) return { status: "skip", detail: o.swapped?.skipped ?? "not run" };
  const s = o.swapped;
  const works = swappedWorks(s);
  return {
    status: works ? "fail" : "pass",
    detail: `read with key and secret exchanged → ${outcomeText(s)}: ${works ? "they ARE swapped" : "not swapped"}`,
  };
}

function nonceLine(o: Observations): Line {
  if (isSkipped(o.nonceRetry)) return { status: "skip", detail: o.nonceRetry?.skipped ?? "not run" };
  const r = o.nonceRetry;
  const off = o.clock ? signedMs(o.clock.offsetMs) : "?";
  return r.kind === "ok"
    ? {
        status: "fail",
        detail: `the read succeeds with the nonce corrected by ${off}: the local clock is the problem`,
      }
    : { status: "warn", detail: `the read with the nonce corrected by ${off} → ${outcomeText(r)}` };
}

function directLine(o: Observations): Line {
  if (isSkipped(o.direct)) return { status: "skip", detail: o.direct?.skipped ?? "not run" };
  const d = o.direct;
  const p = ran(o.read);
  const detail = `direct (local credentials, this host's IP) → ${outcomeText(d)}; via proxy → ${p ? outcomeText(p) : "not run"}`;
  if (p?.kind === "ok") return { status: "pass", detail };
  return {
    status: d.kind === "ok" ? "warn" : "pass",
    detail: d.kind === "ok" ? `${detail}: the direct path works, the proxy path does not` : detail,
  };
}

function orderLine(o: Observations): Line {
  if (o.orderProblem) return { status: "fail", detail: o.orderProblem };
  const a = o.order;
  if (!a) return { status: "skip", detail: "no failing order given" };
  if (!a.rulesKnown)
    return {
      status: "skip",
      detail: `${describeOrder(a.order)}: instrument rules unavailable (public/get-instruments failed)`,
    };
  const sized = a.sizing ? `${a.sizing.text}; ` : "";
  const checked = a.checked ?? a.order;
  if (a.violations.length === 0 && !a.shortfall) {
    const notes = [
      ...a.assumptions.map((x) => `checked against an assumption: ${x}`),
      ...a.unknowns.map((x) => `not checked: ${x}`),
      "not checkable before sending: the open-order limit (318)",
    ];
    return {
      status: a.unknowns.length > 0 ? "warn" : "pass",
      detail:
        a.passed.length > 0
          ? `${sized}${describeOrder(checked)} passes ${a.passed.join(", ")} (${notes.join("; ")})`
          : `${describeOrder(checked)}: not checked (${a.unknowns.join("; ")})`,
    };
  }
  const parts = a.violations.map((v) => `${v.field}: ${v.rule} (code ${v.code})`);
  if (a.shortfall)
    parts.push(
      `available ${a.shortfall.currency} ${fmt(a.shortfall.available)} < ${fmt(a.shortfall.needed)} (code 306)`,
    );
  const instead = a.corrected
    ? `; atp would send ${describeOrder(a.corrected)}`
    : a.alternative
      ? `; instead: ${describeOrder(a.alternative.order)} (${a.alternative.why})`
      : a.noOrderFits
        ? `; no order fits: ${a.noOrderFits}`
        : "";
  return { status: "fail", detail: `${sized}${describeOrder(checked)}: ${parts.join("; ")}${instead}` };
}

const BUILDERS: Record<CheckId, (o: Observations) => Line> = {
  config: configLine,
  signing: signingLine,
  outbound_ip: ipLine,
  reachability: reachabilityLine,
  clock: clockLine,
  proxy: proxyLine,
  signed_read: readLine,
  trade_permission: probeLine,
  withdraw_permission: withdrawLine,
  swapped_credentials: swappedLine,
  nonce_window: nonceLine,
  direct_vs_proxy: directLine,
  order: orderLine,
};

export function buildChecks(o: Observations, durations: Partial<Record<CheckId, number>>): CheckResult[] {
  return CHECK_IDS.map((id) => {
    const line = BUILDERS[id](o);
    return { id, status: line.status, detail: line.detail, duration_ms: Math.round(durations[id] ?? 0) };
  });
}
