/** Catalogue: the signing proxy unreachable, refusing our token, or refused upstream by the exchange. */
import { maskSecret } from "../../util/secrets.js";
import { type Outcome, outcomeText } from "../outcome.js";
import type { PathFailure } from "../path-failure.js";
import { entry } from "./entry.js";
import { errnoTag, hostOf, offsetMeaning, signedMs } from "./phrases.js";

const privatePath = (url: string) => `POST ${url}/proxy/private`;

export const PROXY_UNREACHABLE = entry({
  id: "proxy_unreachable",
  title: "Signing proxy unreachable",
  when: "USE_CRYPTO_PROXY=true and the proxy does not answer (or no proxy URL is set).",
  found: "`GET {proxy}/health` and the proxied read fail at DNS/TCP/timeout (confirmed).",
  evidence: "The proxy URL and the transport error.",
  fix: [
    "Start the proxy (`systemctl status atp-proxy`) or correct CRYPTO_PROXY_URL; or set USE_CRYPTO_PROXY=false to go direct.",
  ],
  codes: [],
  text: {
    noUrlSummary: "USE_CRYPTO_PROXY=true but CRYPTO_PROXY_URL is not set: private calls have nowhere to go",
    noUrlEvidence: "CRYPTO_PROXY_URL: not set",
    noUrlFix: [
      "Set CRYPTO_PROXY_URL to the proxy (e.g. http://10.0.0.5:9000), or USE_CRYPTO_PROXY=false to go direct.",
    ],
    silentSummary: (url: string) => `the signing proxy at ${url} does not answer`,
    readFailed: (url: string, f: PathFailure) => `${privatePath(url)}: ${f.detail}${errnoTag(f)}`,
    healthFailed: (url: string, f: PathFailure) => `GET ${url}/health: ${f.detail}`,
    silentFix: (url: string) => [
      `Start the proxy on its host (\`systemctl status atp-proxy\`, or \`atp proxy\`) and check that ${hostOf(url)} is reachable from here.`,
      "Or set USE_CRYPTO_PROXY=false to sign locally and go direct (the direct IP must then be whitelisted).",
    ],
    notTheProxySummary: (url: string) =>
      `something answers at ${url} but it does not work as the signing proxy`,
    notTheProxyEvidence: (url: string, status: number, message: string | undefined) =>
      `${privatePath(url)} → HTTP ${status}: ${message ?? ""}`.trim(),
    notTheProxyFix: [
      'Check CRYPTO_PROXY_URL points at the signing proxy (its /health answers {"status":"healthy"}) and the proxy\'s log.',
    ],
  },
});

export const PROXY_TOKEN_REJECTED = entry({
  id: "proxy_token_rejected",
  title: "Proxy refuses the token",
  when: "The proxy answers but refuses our token (HTTP 401/403).",
  found: "The proxied read answers HTTP 401/403 from the proxy itself (confirmed).",
  evidence: "The proxy's HTTP status, the token's fingerprint.",
  fix: ["Set CRYPTO_PROXY_TOKEN to the token the proxy was started with (compare fingerprints)."],
  codes: [],
  text: {
    summary: (status: number) => `the proxy refuses our token (HTTP ${status})`,
    throttledSummary:
      "the proxy holds this client back (throttled): it refuses a client after failed token attempts, so our token is most likely wrong",
    evidence: (url: string, status: number, token: string | undefined) => [
      `${privatePath(url)} → HTTP ${status} from the proxy itself (nothing was forwarded to the exchange)`,
      token ? `CRYPTO_PROXY_TOKEN ${maskSecret(token, "secret")}` : "CRYPTO_PROXY_TOKEN is not set",
    ],
    fix: [
      "Set CRYPTO_PROXY_TOKEN to the token the proxy was started with (compare the fingerprints: `atp check-config` here, the proxy's start-up log there).",
    ],
  },
});

export const PROXY_UPSTREAM_REJECTED = entry({
  id: "proxy_upstream_rejected",
  title: "Exchange rejects the proxy's requests",
  when: "The proxy signs and forwards but the exchange rejects it.",
  found:
    "The proxied read's upstream answer is an auth code (confirmed); the proxy's own outbound IP comes from `GET {proxy}/proxy/outbound-ip` (atp extension).",
  evidence: "The upstream code and the proxy's own outbound IP (the one to whitelist for the proxy's key).",
  fix: [
    "40103: whitelist the proxy's outbound IP on the proxy's key; 40102: sync the proxy host's clock; 40101: fix the proxy's key/secret.",
  ],
  codes: [40101, 40102, 40103],
  text: {
    forwarded: (upstream: Outcome) =>
      `the proxy signed and forwarded private/user-balance; the exchange answered ${outcomeText(upstream)}`,
    proxyIp: (ip: string | undefined, problem: string | undefined) =>
      ip
        ? `the proxy's own outbound IP (what the exchange sees): ${ip}`
        : `the proxy's outbound IP is unknown: ${problem ?? "not measured"}`,
    proxyKey: "the proxy's API key",
    proxyHost: "the proxy host",
    ipSummary: (ip: string | undefined, code: string) =>
      `the exchange refuses the proxy's IP${ip ? ` ${ip}` : ""} (${code})`,
    nonceSummary: (code: string) =>
      `the exchange refuses the proxy's nonces (${code}): the proxy host's clock is off`,
    proxyClock: (offsetMs: number) =>
      `proxy host clock offset to the exchange: ${signedMs(offsetMs)} (±1000 ms; from the proxy's Date header): ${offsetMeaning(offsetMs, "the proxy host's clock")}`,
    permissionSummary: (code: string) =>
      `the exchange refuses the proxy's key for its permissions or account (${code})`,
    permissionFix: (remedy: string | undefined) => [
      remedy ??
        "Check the proxy's API key permissions and account on exchange.crypto.com → Settings → API Keys.",
    ],
    keySummary: (code: string) =>
      `the exchange refuses the proxy's key (${code}): the proxy's key or secret is invalid or revoked`,
    keyFix: [
      "On the proxy host, check EXCHANGE_CUSTOM_API_KEY / EXCHANGE_CUSTOM_API_SECRET in the proxy's environment (its own credentials) against exchange.crypto.com → Settings → API Keys.",
    ],
    direct: (direct: Outcome) =>
      `the same read sent directly with the local credentials: ${outcomeText(direct)}`,
    goDirect: "Or set USE_CRYPTO_PROXY=false: the direct path works.",
  },
});
