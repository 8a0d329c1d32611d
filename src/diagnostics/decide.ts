/**
 * From observations to causes: every rule of the cause catalogue, with run-specific evidence and
 * fixes. Pure (no I/O), so each rule has a unit test besides the emulator scenarios.
 *
 * Rules of evidence (docs/doctor.md "Confidence"):
 * - confirmed: the exchange (or the proxy, or the network stack) answered it to one of our own
 *   controlled calls, or a deterministic local check proves it;
 * - likely: strong inference (the usual reading of an ambiguous code, a heuristic, a measurement
 *   close to a limit);
 * - possible: not ruled out (e.g. the engine's error that the doctor cannot reproduce now).
 * An exchange answer that a cause predicts but that did not happen rules the cause out.
 */
import { CREDENTIAL_PAIR_ORDER } from "../config/variables.js";
import { NONCE_WINDOW_MS, PRODUCTION, UAT } from "../exchange/cryptocom/constants.js";
import { rateLimitFor } from "../exchange/cryptocom/endpoints.js";
import { codeInfo } from "../exchange/cryptocom/error-codes.js";
import type { OrderFields } from "../exchange/cryptocom/instruments.js";
import { last4, maskSecret, showsLast4 } from "../util/secrets.js";
import { describeKey, describeSecret, keyPlace } from "./credentials.js";
import { type Observations, ran } from "./observations.js";
import { describeOrder, fmt, type OrderAssessment, orderJson } from "./order-check.js";
import { type Outcome, outcomeText } from "./outcome.js";
import type { PathFailure } from "./path-failure.js";
import {
  answered,
  codeName,
  credentialsSwapped,
  isRateLimited,
  KEY_PERMISSION_CODE,
  probeVerdict,
  servesNoApi,
} from "./rules/readings.js";
import type { Cause, CauseId, Confidence } from "./types.js";

/** |offset| beyond which clock_skew is at least likely: half the documented 60 s nonce window. */
export const SKEW_LIKELY_MS = NONCE_WINDOW_MS / 2;

const ORDER_CATEGORIES = new Set(["invalid_order", "insufficient_funds", "not_tradable"]);

export {
  answered,
  credentialsSwapped,
  isRateLimited,
  type ProbeVerdict,
  probeVerdict,
  servesNoApi,
  swappedWorks,
} from "./rules/readings.js";

/** How the report names the configured key: never by the last 4 of a value that is the secret. */
function keyText(o: Observations): string {
  return keyPlace(o.creds, credentialsSwapped(o));
}

function keyFacts(o: Observations): string {
  return describeKey(o.creds, credentialsSwapped(o));
}

function cause(
  id: CauseId,
  confidence: Confidence,
  summary: string,
  evidence: string[],
  fix: string[],
): Cause {
  return { id, confidence, summary: summary.charAt(0).toUpperCase() + summary.slice(1), evidence, fix };
}

export function signedMs(ms: number): string {
  return `${ms >= 0 ? "+" : ""}${Math.round(ms)} ms`;
}

/** "this host's clock is 90.0 s behind the exchange" */
export function offsetMeaning(offsetMs: number, who = "this host's clock"): string {
  const s = (Math.abs(offsetMs) / 1000).toFixed(1);
  if (Math.abs(offsetMs) < 1000) return `${who} agrees with the exchange to within a second`;
  return `${who} is ${s} s ${offsetMs > 0 ? "behind" : "ahead of"} the exchange`;
}

function clockFix(offsetMs: number | undefined, host = "this host"): string[] {
  const lines = [
    `Turn on time synchronisation on ${host}: \`sudo timedatectl set-ntp true\` (systemd) or \`sudo chronyc makestep\` (chrony).`,
    'Check with `timedatectl status` ("System clock synchronized: yes"); on Docker Desktop/WSL restart the VM (`wsl --shutdown`).',
  ];
  if (offsetMs !== undefined) {
    const what = offsetMeaning(offsetMs, `${host}'s clock`);
    lines.unshift(`${what.charAt(0).toUpperCase()}${what.slice(1)} (offset ${signedMs(offsetMs)}).`);
  }
  lines.push("Run `atp doctor` again: the clock offset should be within ±1000 ms.");
  return lines;
}

function whitelistFix(
  o: Observations,
  ip: string | undefined,
  keyText: string,
  where = "this host",
): string[] {
  return [
    `Open exchange.crypto.com → Settings → API Keys → edit ${keyText} → IP whitelist.`,
    ip
      ? `Add exactly ${ip} (the outbound IP of ${where} as the exchange sees it) and save.`
      : `Add the outbound IP of ${where} (run \`curl ${o.outboundIpUrl}\` there; it must go out through the same interface as atp).`,
    "Wait 30-60 s for the change to propagate, then run `atp doctor` again.",
  ];
}

function ipEvidence(o: Observations, ip: string | undefined, problem: string | undefined): string {
  if (ip) {
    const bound = o.localAddress ? `, connections bound to ${o.localAddress}` : "";
    return `outbound IP as seen from outside: ${ip} (via ${o.outboundIpUrl}${bound}; logged as CRYPTO_COM_OUTBOUND_IP)`;
  }
  return `the outbound IP could not be learned: ${problem ?? "no answer"}`;
}

function withinWindow(o: Observations): boolean | undefined {
  if (!o.clock) return undefined;
  return Math.abs(o.clock.offsetMs) + o.clock.uncertaintyMs < NONCE_WINDOW_MS;
}

function clockEvidence(o: Observations): string | undefined {
  if (!o.clock) return undefined;
  return `clock offset to the exchange: ${signedMs(o.clock.offsetMs)} ± ${Math.round(o.clock.uncertaintyMs)} ms (${o.clock.samples} samples of the HTTP Date header): ${offsetMeaning(o.clock.offsetMs)}; the exchange accepts nonces within ±${NONCE_WINDOW_MS / 1000} s`;
}

// ---------------------------------------------------------------------------------------------

function configurationCauses(o: Observations, out: Cause[]): void {
  const c = o.creds;
  if (!o.viaProxy && c.missing.length > 0) {
    out.push(
      cause(
        "credentials_missing",
        "confirmed",
        `${c.missing.map((m) => m.variable).join(" and ")} ${c.missing.length > 1 ? "are" : "is"} not configured: atp cannot sign private calls`,
        [
          ...c.missing.map((m) => `${m.variable}: ${m.problem}`),
          `credential pair looked at: ${c.pair ?? `${CREDENTIAL_PAIR_ORDER.join(", then ")} (nothing set in either)`}`,
          `private calls go direct to ${o.baseUrl} (USE_CRYPTO_PROXY is off)`,
        ],
        [
          `Set ${c.keyVar} and ${c.secretVar} in .env.local (or the environment), as one line each; see .env.example.`,
          "Restart atp, then run `atp doctor` again.",
        ],
      ),
    );
  }
  if (c.malformed.length > 0) {
    out.push(
      cause(
        "credentials_malformed",
        o.viaProxy ? "possible" : "confirmed",
        `${c.malformed.map((m) => m.variable).join(" and ")} ${c.malformed.length > 1 ? "are" : "is"} malformed`,
        [
          ...c.malformed.map((m) => `${m.variable}: ${m.problem}`),
          ...(o.viaProxy ? ["not used for private calls while USE_CRYPTO_PROXY=true (the proxy signs)"] : []),
        ],
        [
          `Copy the key and secret again from exchange.crypto.com (Settings → API Keys) into ${c.keyVar} and ${c.secretVar}: one line each, no spaces, quotes or line breaks inside.`,
          "If the secret is lost (it is shown only once), create a new key with Read + Trade and whitelist the outbound IP.",
        ],
      ),
    );
  }
  if (c.implausible.length > 0 && !o.viaProxy) {
    const read = ran(o.read);
    const refused = answered(read, "auth");
    const swapped = credentialsSwapped(o);
    if (refused || !read) {
      out.push(
        cause(
          "credentials_malformed",
          refused ? "likely" : "possible",
          `${c.implausible.map((m) => m.variable).join(" and ")} do${c.implausible.length > 1 ? "" : "es"} not look like a Crypto.com credential`,
          [
            ...c.implausible.map((m) => `${m.variable}: ${m.problem}`),
            keyFacts(o),
            describeSecret(c),
            ...(refused ? [`the exchange refused the signed read: ${outcomeText(refused)}`] : []),
          ],
          [
            `Compare ${c.keyVar} with the key shown on exchange.crypto.com (Settings → API Keys): same length${c.key && showsLast4(c.key) && !swapped ? ` and last 4 characters (${last4(c.key)})` : ""}.`,
            "Paste both values again, as plain ASCII without quotes.",
          ],
        ),
      );
    }
  }
  if (o.viaProxy && !o.proxyUrl) {
    out.push(
      cause(
        "proxy_unreachable",
        "confirmed",
        "USE_CRYPTO_PROXY=true but CRYPTO_PROXY_URL is not set: private calls have nowhere to go",
        ["CRYPTO_PROXY_URL: not set"],
        [
          "Set CRYPTO_PROXY_URL to the proxy (e.g. http://10.0.0.5:9000), or USE_CRYPTO_PROXY=false to go direct.",
        ],
      ),
    );
  }
}

function signingCauses(o: Observations, out: Cause[]): void {
  const st = o.selfTest;
  if (st.failedVectors.length > 0 || st.roundTripProblem) {
    out.push(
      cause(
        "signature_mismatch",
        "confirmed",
        "atp's own signing self-test fails: every signed request would be refused (40101 UNAUTHORIZED)",
        [
          ...(st.failedVectors.length > 0
            ? [
                `${st.failedVectors.length}/${st.vectorCount} known-answer vectors fail: ${st.failedVectors.join(", ")}`,
              ]
            : []),
          ...(st.roundTripProblem ? [`serialisation round trip: ${st.roundTripProblem}`] : []),
        ],
        ["Reinstall atp (`npm ci`) and run `npm test`; report the failing vector names if it persists."],
      ),
    );
  }
  if (o.hazards.length > 0) {
    const certain = o.hazards.filter((h) => h.differing.length > 0);
    out.push(
      cause(
        "signature_mismatch",
        certain.length > 0 ? "confirmed" : "likely",
        `the failing request sends ${o.hazards.length === 1 ? "a number" : "numbers"} in params (${o.hazards.map((h) => h.path).join(", ")}): the exchange signs its own re-serialisation of them`,
        [
          ...o.hazards.map((h) =>
            h.differing.length > 0
              ? `${h.path} is the JSON number ${h.text}; the exchange may sign it as: ${h.differing.join("; ")}`
              : `${h.path} is the JSON number ${h.text}; the exchange requires every number as a string ("${h.text}")`,
          ),
          "the exchange's rule: all numbers must be strings in double quotes (reference §2.1, §3.4)",
        ],
        [
          `Send ${o.hazards.map((h) => `${h.path.replace(/^params\./, "")}: "${h.text}"`).join(", ")} as strings, formatted once from a decimal type (atp's client refuses fractional numbers for this reason).`,
        ],
      ),
    );
  }
}

function networkCauses(o: Observations, out: Cause[]): void {
  const pub = o.publicProbe;
  const failure =
    o.dns?.failure ?? (pub?.kind === "transport" ? pub.failure : undefined) ?? directTransport(o)?.failure;
  if (failure && failure.reading !== "deadline") {
    const confirmed = failure.reading === "dns" || failure.reading === "tcp" || failure.reading === "tls";
    out.push(
      cause(
        "network_unreachable",
        confirmed ? "confirmed" : "likely",
        `the exchange at ${o.env.host || o.baseUrl} cannot be reached (${failure.reading} stage)`,
        [
          `${failure.reading.toUpperCase()}: ${failure.detail}${failure.errno ? ` [${failure.errno}]` : ""}`,
          `base URL: ${o.baseUrl}`,
          ...(o.localAddress ? [`connections are bound to EXCHANGE_LOCAL_ADDRESS=${o.localAddress}`] : []),
        ],
        networkFix(failure.reading, o),
      ),
    );
  } else if (failure?.reading === "deadline") {
    out.push(
      cause(
        "network_unreachable",
        "possible",
        `the exchange did not answer before the doctor's deadline`,
        [failure.detail],
        networkFix("timeout", o),
      ),
    );
  }
  const echo = o.directIp;
  if (echo && !echo.ip && echo.failure && echo.failure.reading !== "deadline") {
    out.push(
      cause(
        "network_unreachable",
        echo.failure.reading === "timeout" ? "likely" : "confirmed",
        `the IP echo service ${o.outboundIpUrl} cannot be reached, so the outbound IP is unknown`,
        [
          `${echo.failure.reading.toUpperCase()}: ${echo.failure.detail}${echo.failure.errno ? ` [${echo.failure.errno}]` : ""}`,
          ...(failure ? [] : ["the exchange itself is reachable"]),
        ],
        [
          `Allow outbound HTTPS to ${hostOf(o.outboundIpUrl)}, or set OUTBOUND_IP_URL to an echo service this host may reach (it must answer the caller's IP as text).`,
        ],
      ),
    );
  }
  // The proxy could not reach the exchange.
  const read = ran(o.read);
  if (read?.kind === "proxy" && (read.error.proxyStatus === 502 || read.error.proxyStatus === 504)) {
    out.push(
      cause(
        "network_unreachable",
        "likely",
        `the proxy cannot reach the exchange (it answered HTTP ${read.error.proxyStatus})`,
        [
          `POST ${o.proxyUrl}/proxy/private → HTTP ${read.error.proxyStatus}: ${read.error.proxyStatus === 504 ? "the exchange did not answer the proxy in time" : "network error between the proxy and the exchange"}`,
          ...(o.proxyIp?.ip ? [`the proxy's outbound IP: ${o.proxyIp.ip}`] : []),
        ],
        [
          `On the proxy host, check DNS and outbound HTTPS to ${hostOf(PRODUCTION.rest)} (\`curl -sI ${PRODUCTION.rest}/public/get-instruments\`).`,
        ],
      ),
    );
  }
}

function directTransport(o: Observations): { failure: PathFailure } | undefined {
  const read = ran(o.read);
  if (read?.kind === "transport" && read.via === "direct") return read;
  return undefined;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function networkFix(stage: string, o: Observations): string[] {
  const host = o.env.host || hostOf(o.baseUrl);
  switch (stage) {
    case "dns":
      return [
        `Check that ${host} resolves on this host: \`getent hosts ${host}\`; fix /etc/resolv.conf or the container's DNS.`,
        `Check EXCHANGE_CUSTOM_BASE_URL for a typo (production: ${PRODUCTION.rest}).`,
      ];
    case "tcp":
      return [
        `Check that this host may open TCP connections to ${host} (firewall, security group, egress proxy).`,
        ...(o.localAddress
          ? [
              `Check that EXCHANGE_LOCAL_ADDRESS=${o.localAddress} is an address of this host (\`ip -br addr\`).`,
            ]
          : []),
      ];
    case "tls":
      return [
        "Check the system clock and CA certificates (`update-ca-certificates`); a TLS-intercepting proxy must be trusted.",
      ];
    default:
      return [
        `${host} accepted the connection but did not answer in time: retry in a minute; check https://status.crypto.com and any egress proxy.`,
      ];
  }
}

function proxyCauses(o: Observations, out: Cause[]): void {
  if (!o.viaProxy || !o.proxyUrl) return;
  const read = ran(o.read);
  // the exchange refused the request the proxy signed and forwarded
  const upstream = answered(read, "auth", "ip_not_whitelisted", "nonce", "permission");
  const healthFail = o.proxyHealth && !o.proxyHealth.ok ? o.proxyHealth : undefined;
  if (read?.kind === "transport") {
    const f = read.failure;
    out.push(
      cause(
        "proxy_unreachable",
        f.reading === "deadline" ? "possible" : f.reading === "timeout" ? "likely" : "confirmed",
        `the signing proxy at ${o.proxyUrl} does not answer`,
        [
          `POST ${o.proxyUrl}/proxy/private: ${f.detail}${f.errno ? ` [${f.errno}]` : ""}`,
          ...(healthFail?.failure ? [`GET ${o.proxyUrl}/health: ${healthFail.failure.detail}`] : []),
        ],
        [
          `Start the proxy on its host (\`systemctl status crypto-proxy\`, or \`atp proxy\`) and check that ${hostOf(o.proxyUrl)} is reachable from here.`,
          "Or set USE_CRYPTO_PROXY=false to sign locally and go direct (the direct IP must then be whitelisted).",
        ],
      ),
    );
  } else if (read?.kind === "proxy") {
    const st = read.error.proxyStatus;
    if (st === 401 || st === 403) {
      out.push(
        cause(
          "proxy_token_rejected",
          "confirmed",
          `the proxy refuses our token (HTTP ${st})`,
          [
            `POST ${o.proxyUrl}/proxy/private → HTTP ${st} from the proxy itself (nothing was forwarded to the exchange)`,
            o.proxyToken
              ? `CRYPTO_PROXY_TOKEN ${maskSecret(o.proxyToken, "secret")}`
              : "CRYPTO_PROXY_TOKEN is not set",
          ],
          [
            "Set CRYPTO_PROXY_TOKEN to the token the proxy was started with (compare the fingerprints: `atp check-config` here, the proxy's start-up log there).",
          ],
        ),
      );
    } else if (st !== 502 && st !== 504) {
      out.push(
        cause(
          "proxy_unreachable",
          "likely",
          `something answers at ${o.proxyUrl} but it does not work as the signing proxy`,
          [`POST ${o.proxyUrl}/proxy/private → HTTP ${st}: ${read.error.exchangeMessage ?? ""}`.trim()],
          [
            'Check CRYPTO_PROXY_URL points at the signing proxy (its /health answers {"status":"healthy"}) and the proxy\'s log.',
          ],
        ),
      );
    }
  } else if (upstream) {
    const what = codeName(upstream.error);
    const pip = o.proxyIp?.ip;
    const evidence = [
      `the proxy signed and forwarded private/user-balance; the exchange answered ${outcomeText(upstream)}`,
      pip
        ? `the proxy's own outbound IP (what the exchange sees): ${pip}`
        : `the proxy's outbound IP is unknown: ${o.proxyIp?.problem ?? "not measured"}`,
    ];
    let summary: string;
    let fix: string[];
    if (upstream.error.category === "ip_not_whitelisted") {
      summary = `the exchange refuses the proxy's IP${pip ? ` ${pip}` : ""} (${what})`;
      fix = whitelistFix(o, pip, "the proxy's API key", "the proxy host");
    } else if (upstream.error.category === "nonce") {
      const proxyOffset =
        o.clock && o.proxyClockOffsetMs !== undefined ? o.clock.offsetMs - o.proxyClockOffsetMs : undefined;
      summary = `the exchange refuses the proxy's nonces (${what}): the proxy host's clock is off`;
      if (proxyOffset !== undefined) {
        evidence.push(
          `proxy host clock offset to the exchange: ${signedMs(proxyOffset)} (±1000 ms; from the proxy's Date header): ${offsetMeaning(proxyOffset, "the proxy host's clock")}`,
        );
      }
      fix = clockFix(proxyOffset, "the proxy host");
    } else if (upstream.error.category === "permission") {
      summary = `the exchange refuses the proxy's key for its permissions or account (${what})`;
      fix = [
        upstream.error.info?.remedy ??
          "Check the proxy's API key permissions and account on exchange.crypto.com → Settings → API Keys.",
      ];
    } else {
      summary = `the exchange refuses the proxy's key (${what}): the proxy's key or secret is invalid or revoked`;
      fix = [
        "On the proxy host, check CRYPTO_API_KEY / CRYPTO_API_SECRET (the proxy's own credentials) against exchange.crypto.com → Settings → API Keys.",
      ];
    }
    const direct = ran(o.direct);
    if (direct) {
      evidence.push(`the same read sent directly with the local credentials: ${outcomeText(direct)}`);
      if (direct.kind === "ok") fix.push("Or set USE_CRYPTO_PROXY=false: the direct path works.");
    }
    out.push(cause("proxy_upstream_rejected", "confirmed", summary, evidence, fix));
  }
}

function maintenanceAndLimits(o: Observations, out: Cause[]): void {
  const all = [
    o.publicProbe,
    ran(o.read),
    ran(o.tradeProbe),
    ran(o.swapped),
    ran(o.nonceRetry),
    ran(o.direct),
  ];
  const maint = all.map((x) => answered(x, "maintenance")).filter((x) => x !== undefined);
  if (maint.length > 0) {
    out.push(
      cause(
        "exchange_maintenance",
        "confirmed",
        `the exchange is in maintenance (${codeName(maint[0]!.error)})`,
        maint.map((m) => `${m.method}${m.via === "proxy" ? " (via proxy)" : ""} → ${outcomeText(m)}`),
        [
          "Wait for the maintenance to end (https://status.crypto.com); atp holds new orders and retries reads meanwhile.",
        ],
      ),
    );
  } else if (o.serverErrors.length >= 1) {
    out.push(
      cause(
        "exchange_maintenance",
        o.serverErrors.length >= 2 ? "likely" : "possible",
        `the exchange answers with server errors (${o.serverErrors.length} of the doctor's calls)`,
        o.serverErrors,
        ["Retry in a few minutes and check https://status.crypto.com; nothing to change on this host."],
      ),
    );
  }
  const limited = all.filter((x) => x !== undefined && isRateLimited(x)) as Outcome[];
  if (limited.length > 0) {
    const readLimit = rateLimitFor("private/user-balance");
    out.push(
      cause(
        "rate_limited",
        "confirmed",
        `the exchange rate-limits this key or IP (${outcomeText(limited[0]!)})`,
        [
          ...limited.map((m) => `${m.method} → ${outcomeText(m)}`),
          `the doctor itself stays within the documented per-method limits (${readLimit.limit} per ${readLimit.windowMs} ms for reads)`,
        ],
        [
          "Stop other programs (another bot, a second atp instance) that use the same API key; atp queues its own calls within the limits.",
          "Wait a few seconds and run `atp doctor` again.",
        ],
      ),
    );
  }
}

function environmentCauses(o: Observations, out: Cause[]): void {
  const read = ran(o.read);
  const pub = o.publicProbe;
  const readFailed = read !== undefined && read.kind === "error";
  const pubNoApi = servesNoApi(pub);
  const prodFix = [
    `Set EXCHANGE_CUSTOM_BASE_URL=${PRODUCTION.rest} (production), with a production API key.`,
    `Or, to test on the sandbox, use a UAT API key (UAT access is by invitation) with ${UAT.rest}.`,
  ];
  if (o.env.kind === "legacy") {
    out.push(
      cause(
        "wrong_environment",
        readFailed || pubNoApi || read?.kind === "error" ? "confirmed" : "likely",
        `EXCHANGE_CUSTOM_BASE_URL points at a legacy API: ${o.env.reason}`,
        [
          `base URL: ${o.baseUrl}`,
          `atp speaks the Exchange v1 API only (${PRODUCTION.rest})`,
          ...(read ? [`private/user-balance → ${outcomeText(read)}`] : []),
          ...(pub && pub.kind !== "ok" ? [`${pub.method} → ${outcomeText(pub)}`] : []),
        ],
        prodFix.slice(0, 1),
      ),
    );
    return;
  }
  const authRefusal = answered(read, "auth");
  if (o.env.kind === "uat" && authRefusal) {
    out.push(
      cause(
        "wrong_environment",
        "likely",
        `the base URL is the UAT sandbox and it refuses the key (${codeName(authRefusal.error)}): production keys do not work on UAT`,
        [`base URL: ${o.baseUrl} (${o.env.reason})`, `private/user-balance → ${outcomeText(authRefusal)}`],
        prodFix,
      ),
    );
    return;
  }
  if (o.env.kind === "custom" && pub && pubNoApi) {
    out.push(
      cause(
        "wrong_environment",
        "likely",
        `the base URL does not serve the Exchange v1 API (${pub.method} → ${outcomeText(pub)})`,
        [`base URL: ${o.baseUrl} (${o.env.reason})`, `${pub.method} → ${outcomeText(pub)}`],
        [
          `Set EXCHANGE_CUSTOM_BASE_URL to the v1 root, e.g. ${PRODUCTION.rest} or http://127.0.0.1:8100/exchange/v1 (emulator).`,
        ],
      ),
    );
  }
}

function authCauses(o: Observations, out: Cause[]): void {
  if (o.viaProxy) return; // the proxy path is judged in proxyCauses
  const read = ran(o.read);
  const swapped = ran(o.swapped);
  const retry = ran(o.nonceRetry);
  const c = o.creds;
  const isSwapped = credentialsSwapped(o);
  const keyName = keyText(o);

  // credentials_swapped: the exchange knows the swapped "key".
  if (swapped && isSwapped && read) {
    out.push(
      cause(
        "credentials_swapped",
        "confirmed",
        `${c.keyVar} and ${c.secretVar} are the wrong way round`,
        [
          `private/user-balance with the key and secret as configured → ${outcomeText(read)}`,
          `the same read with them exchanged → ${outcomeText(swapped)}${swapped.kind === "ok" ? "" : " (a refusal that proves the exchange knows that key)"}`,
          `${keyFacts(o)} (it holds the secret, so it is shown as one)`,
        ],
        [`Exchange the values of ${c.keyVar} and ${c.secretVar}, restart atp and run \`atp doctor\` again.`],
      ),
    );
  }

  // IP whitelist: from the read, the swapped read, or the corrected-nonce read.
  const ipRefusal = [read, swapped, retry]
    .map((x) => answered(x, "ip_not_whitelisted"))
    .find((x) => x !== undefined);
  if (ipRefusal) {
    const ip = o.directIp?.ip;
    const what = codeName(ipRefusal.error);
    out.push(
      cause(
        "ip_not_whitelisted",
        "confirmed",
        ip
          ? `the exchange refuses requests from ${ip}: it is not in the key's IP whitelist (${what})`
          : `the exchange refuses this host's IP: it is not in the key's IP whitelist (${what})`,
        [
          `${ipRefusal.method} → ${outcomeText(ipRefusal)}`,
          ipEvidence(o, ip, o.directIp?.problem),
          ...(ip?.includes(":")
            ? [
                "this host reaches the echo service over IPv6: whitelist that address (or force IPv4 with EXCHANGE_LOCAL_ADDRESS)",
              ]
            : []),
        ],
        whitelistFix(o, ip, keyName),
      ),
    );
  }

  // Clock: the exchange's nonce refusal or the measurement.
  const nonceRefusal = [read, swapped].map((x) => answered(x, "nonce")).find((x) => x !== undefined);
  const skewMeasured = o.clock ? Math.abs(o.clock.offsetMs) - o.clock.uncertaintyMs : undefined;
  if (nonceRefusal || (skewMeasured !== undefined && skewMeasured > SKEW_LIKELY_MS)) {
    const evidence: string[] = [];
    if (nonceRefusal) evidence.push(`${nonceRefusal.method} → ${outcomeText(nonceRefusal)}`);
    const ce = clockEvidence(o);
    if (ce) evidence.push(ce);
    if (retry) {
      evidence.push(
        retry.kind === "ok"
          ? `the same read with the nonce corrected by the measured offset (${signedMs(o.clock?.offsetMs ?? 0)}) succeeds`
          : `the same read with the nonce corrected by the measured offset → ${outcomeText(retry)}`,
      );
    }
    let confidence: Confidence;
    if (nonceRefusal || (skewMeasured !== undefined && skewMeasured >= NONCE_WINDOW_MS))
      confidence = "confirmed";
    else confidence = "likely";
    if (!nonceRefusal && skewMeasured !== undefined && skewMeasured < NONCE_WINDOW_MS) {
      evidence.push(
        `inside the ${NONCE_WINDOW_MS / 1000} s window today, but less than ${Math.round((NONCE_WINDOW_MS - skewMeasured) / 1000)} s of margin; the exchange's future-side tolerance was reported tighter`,
      );
    }
    if (nonceRefusal && withinWindow(o) === true) {
      evidence.push(
        "the measured offset is inside the documented window: the exchange uses a narrower one, or the clock stepped",
      );
    }
    out.push(
      cause(
        "clock_skew",
        confidence,
        o.clock
          ? `${offsetMeaning(o.clock.offsetMs)} (offset ${signedMs(o.clock.offsetMs)}): nonces fall outside the exchange's window`
          : `the exchange refuses our nonces (${nonceRefusal ? codeName(nonceRefusal.error) : "nonce"}): this host's clock is off`,
        evidence,
        clockFix(o.clock?.offsetMs),
      ),
    );
  }

  // An auth refusal (40101) of the read, not explained by swapped keys.
  const authRefusal = answered(read, "auth");
  const permissionRefusal = answered(read, "permission");
  if (authRefusal && !isSwapped) {
    if (o.env.kind === "legacy") return;
    const selfOk = o.selfTest.failedVectors.length === 0 && !o.selfTest.roundTripProblem;
    const clockOk = withinWindow(o);
    const measuredAll = selfOk && clockOk === true && swapped !== undefined;
    const evidence = [
      `private/user-balance → ${outcomeText(authRefusal)}`,
      selfOk
        ? `the signing self-test passes (${o.selfTest.vectorCount} known-answer vectors and a serialisation round trip)`
        : "the signing self-test FAILS",
      clockEvidence(o) ?? "the clock offset could not be measured",
      swapped
        ? `the read with key and secret exchanged → ${outcomeText(swapped)}: they are not swapped`
        : `the swapped-credentials experiment was not run (${(o.swapped as { skipped?: string }).skipped ?? "n/a"})`,
      keyFacts(o),
      describeSecret(c),
    ];
    out.push(
      cause(
        "key_invalid_or_revoked",
        measuredAll && o.env.kind !== "uat" && c.implausible.length === 0 ? "confirmed" : "likely",
        `the exchange does not accept ${keyName} with this secret (${codeName(authRefusal.error)} on a correctly signed, correctly timed read)`,
        evidence,
        [
          `On exchange.crypto.com → Settings → API Keys, check that ${keyName} exists and is enabled (not deleted, not expired).`,
          `If it is, the secret does not belong to it: create a new key (Read + Trade, no Withdraw), whitelist ${o.directIp?.ip ?? "this host's outbound IP"}, and set ${c.keyVar} / ${c.secretVar} again.`,
          "Restart atp and run `atp doctor` again.",
        ],
      ),
    );
  } else if (permissionRefusal) {
    const p = permissionRefusal;
    out.push(
      cause(
        "key_invalid_or_revoked",
        "likely",
        `the account behind ${keyName} may not use the API (${outcomeText(p)})`,
        [`private/user-balance → ${outcomeText(p)}: ${p.error.info?.meaning ?? ""}`.trim(), keyFacts(o)],
        [p.error.info?.remedy ?? "Contact Crypto.com support about the account's API access."],
      ),
    );
  }
}

function permissionCauses(o: Observations, out: Cause[]): void {
  const probe = ran(o.tradeProbe);
  if (probeVerdict(probe) !== "refused" || probe?.kind !== "error") return;
  const who = o.viaProxy ? "the proxy's API key" : keyText(o);
  const certain = probe.error.category === "auth" || probe.error.code === KEY_PERMISSION_CODE;
  out.push(
    cause(
      "missing_trade_permission",
      certain ? "confirmed" : "likely",
      `${who} can read but not trade: it lacks the Trade permission`,
      [
        `private/user-balance (needs Read) → code 0: the key, signature, IP and clock are fine`,
        `private/cancel-order for order id ${o.probeOrderId}, which cannot exist (needs Trade) → ${outcomeText(probe)}: refused for auth, where a key with Trade gets "not found"`,
        "the doctor never places an order: a cancel of a non-existent order cannot create exposure",
      ],
      [
        `Open exchange.crypto.com → Settings → API Keys → edit ${who === "the proxy's API key" ? "the proxy's key" : who} → enable Trade (keep Withdraw off) and save.`,
        "Run `atp doctor` again: the trade-permission check should pass.",
      ],
    ),
  );
}

/** The order's fix: the corrected order, else each finding's own fix, the nearest placeable order, the balance. */
function orderFixes(a: OrderAssessment): string[] {
  const fix: string[] = [];
  const check = (x: OrderFields) =>
    `Check it before sending: atp doctor --order '${orderJson(x)}' (the order check must pass).`;
  if (a.corrected && a.violations.length > 0) {
    fix.push(
      `Send ${describeOrder(a.corrected)} (atp's order path floors quantities to the tick and rounds prices safely).`,
      check(a.corrected),
    );
    return fix;
  }
  if (a.suggestions.length > 0) {
    fix.push(
      `Use an exact instrument name from public/get-instruments, e.g. ${a.suggestions[0]} (case-sensitive).`,
    );
  }
  for (const v of a.violations) {
    const line = `${v.fix.charAt(0).toUpperCase()}${v.fix.slice(1)}.`;
    if (a.suggestions.length === 0 && !fix.includes(line)) fix.push(line);
  }
  if (a.shortfall) {
    fix.push(
      `Fund the account with at least ${fmt(a.shortfall.needed.minus(a.shortfall.available))} ${a.shortfall.currency} more, or reduce the order; balances reserved by open orders are not available.`,
    );
  }
  if (a.alternative) {
    fix.push(
      `Or send ${describeOrder(a.alternative.order)}: ${a.alternative.why}.`,
      check(a.alternative.order),
    );
  } else if (a.noOrderFits) {
    fix.push(`No order fits: ${a.noOrderFits}.`);
  }
  return fix;
}

function orderCauses(o: Observations, out: Cause[]): boolean {
  const a = o.order;
  const engine = o.engine;
  const engineOrderCode =
    engine && engine.code !== undefined && ORDER_CATEGORIES.has(engine.category) ? engine : undefined;
  if (!a && !engineOrderCode) return false;
  const evidence: string[] = [];
  const fix: string[] = [];
  let confirmed = false;
  let likely = false;
  if (engineOrderCode) {
    const info = codeInfo(engineOrderCode.code!);
    evidence.push(
      `the exchange answered the order with ${engineOrderCode.code} ${engineOrderCode.codeName}${info ? `: ${info.meaning}` : ""} — an order problem, not authentication`,
    );
    confirmed = true;
    if (info && (!a || a.violations.length === 0)) fix.push(info.remedy);
  }
  if (a) {
    evidence.unshift(`failing order: ${describeOrder(a.order, a.order.amount)}`);
    for (const v of a.violations) {
      const name = codeInfo(v.code)?.name ?? "";
      evidence.push(
        `${v.field}: ${v.rule} → exchange code ${v.code} ${name}${v.corrected ? `; corrected: ${v.corrected}` : ""}`.trim(),
      );
      if (v.certain) confirmed = true;
      else likely = true;
    }
    if (a.suggestions.length > 0)
      evidence.push(`instruments with a similar name: ${a.suggestions.join(", ")}`);
    if (a.sizing) evidence.push(a.sizing.text);
    const read = ran(o.read);
    if (engine?.code !== undefined && !engineOrderCode && read?.kind === "ok" && a.violations.length > 0) {
      evidence.push(
        `the engine reported ${engine.code} ${engine.codeName}, but the doctor's signed read${probeVerdict(ran(o.tradeProbe)) === "pass" ? " and trade-permission probe" : ""} pass with the same credentials: the failure is the order, not authentication`,
      );
    }
    if (a.shortfall) {
      evidence.push(
        `available ${a.shortfall.currency}: ${fmt(a.shortfall.available)}, the order needs ${fmt(a.shortfall.needed)} → exchange code 306 INSUFFICIENT_AVAILABLE_BALANCE`,
      );
      if (engineOrderCode?.code === 306) confirmed = true;
      else likely = true;
    }
    if (a.corrected && a.violations.length > 0)
      evidence.push(`atp would send instead: ${describeOrder(a.corrected)}`);
    fix.push(...orderFixes(a));
    if (!a.rulesKnown && !engineOrderCode) return false;
  }
  if (!confirmed && !likely) return false;
  const first = a?.violations[0];
  const summary = first
    ? `the order is invalid (${first.field}: exchange code ${first.code} ${codeInfo(first.code)?.name ?? ""}), not an authentication failure`.replace(
        " )",
        ")",
      )
    : a?.shortfall
      ? `the balance is insufficient for the order (${a.shortfall.currency}), not an authentication failure`
      : `the exchange rejected the order (${engineOrderCode?.code} ${engineOrderCode?.codeName}), not an authentication failure`;
  out.push(cause("order_rejected", confirmed ? "confirmed" : "likely", summary, evidence, fix));
  return confirmed;
}

/** The engine's auth-looking error that the doctor's own calls cannot reproduce now. */
function unreproducedEngineError(o: Observations, out: Cause[], orderExplains: boolean): void {
  const e = o.engine;
  if (!e || e.code === undefined || orderExplains) return;
  const read = ran(o.read);
  if (read?.kind !== "ok") return; // the doctor's read failed: its causes explain it
  const probe = ran(o.tradeProbe);
  const ev = [
    `the engine's ${e.method ?? "request"} got ${e.code} ${e.codeName}`,
    `now private/user-balance → ${outcomeText(read)}${probe ? `, trade-permission probe → ${outcomeText(probe)}` : ""}: not reproduced`,
  ];
  const what = `${e.code} ${e.codeName}`;
  switch (e.category) {
    case "auth":
      out.push(
        cause(
          "key_invalid_or_revoked",
          "possible",
          `the engine was refused (${what}) but the same credentials work now: the engine may run with other (older) credentials`,
          [...ev, keyFacts(o)],
          [
            "Restart the engine so it loads the credentials the doctor used (compare the key fingerprint in its start-up log).",
          ],
        ),
      );
      break;
    case "ip_not_whitelisted":
      out.push(
        cause(
          "ip_not_whitelisted",
          "possible",
          `the engine was refused for its IP (${what}) but this host's IP ${o.directIp?.ip ?? ""} is accepted now: the engine may run elsewhere`.replace(
            "  ",
            " ",
          ),
          [...ev, ipEvidence(o, o.directIp?.ip, o.directIp?.problem)],
          whitelistFix(o, undefined, keyText(o), "the host or container the engine runs in"),
        ),
      );
      break;
    case "nonce":
      out.push(
        cause(
          "clock_skew",
          "possible",
          `the engine's nonce was refused (${what}) but the clock is fine now: it may have stepped`,
          [...ev, clockEvidence(o) ?? "clock offset not measured"],
          clockFix(o.clock?.offsetMs),
        ),
      );
      break;
    case "permission":
      out.push(
        cause(
          "missing_trade_permission",
          "possible",
          `the engine was refused for its key's permissions or account (${what}) but the doctor's calls pass now`,
          [...ev, keyFacts(o)],
          [
            e.code !== undefined
              ? codeInfo(e.code).remedy
              : "Check the key's permissions on exchange.crypto.com → Settings → API Keys.",
          ],
        ),
      );
      break;
    case "rate_limit":
      out.push(
        cause(
          "rate_limited",
          "likely",
          `the engine's request was rate-limited (${what}); it is not limited now`,
          ev,
          ["Nothing to fix if it was a burst; otherwise stop other programs using the same key."],
        ),
      );
      break;
    case "maintenance":
      out.push(
        cause(
          "exchange_maintenance",
          "likely",
          `the engine's request hit a maintenance window (${what}); the exchange answers again now`,
          ev,
          ["Nothing to fix: retry the order."],
        ),
      );
      break;
    default:
      break;
  }
}

export function decide(o: Observations): Cause[] {
  const out: Cause[] = [];
  configurationCauses(o, out);
  signingCauses(o, out);
  networkCauses(o, out);
  proxyCauses(o, out);
  maintenanceAndLimits(o, out);
  environmentCauses(o, out);
  authCauses(o, out);
  permissionCauses(o, out);
  const orderExplains = orderCauses(o, out);
  unreproducedEngineError(o, out, orderExplains);
  return out;
}
