/**
 * The cause catalogue: for each stable cause id, when it applies, how the doctor finds it, the
 * evidence it shows and the generic fix. docs/troubleshooting.md is generated from this table and
 * the exchange error catalogue; the run-specific evidence and fix texts are built in decide.ts.
 *
 * `PRECEDENCE` orders causes of equal confidence: the order in which a request meets the problem
 * on its way (local configuration → network → proxy → exchange gateway → key → IP → nonce →
 * signature → permission → rate limit → order validation, the exchange's documented check order,
 * reference §3.5). The first problem on the path is the error the user sees now and the one to fix first.
 */
import { CREDENTIAL_PAIRS, PRIMARY_PAIR } from "../config/variables.js";
import { PRODUCTION } from "../exchange/cryptocom/constants.js";
import type { CauseId } from "./types.js";

const { key: KEY_VAR, secret: SECRET_VAR } = CREDENTIAL_PAIRS[PRIMARY_PAIR];

export interface CauseInfo {
  id: CauseId;
  title: string;
  /** When the cause applies (the definition). */
  when: string;
  /** How the doctor establishes it, and with which confidence. */
  found: string;
  /** The evidence a report shows for it. */
  evidence: string;
  /** Generic fix (reports give the exact values for the user). */
  fix: string[];
  /** Exchange codes that point to it (for the troubleshooting index). */
  codes: number[];
}

export const CAUSES: readonly CauseInfo[] = [
  {
    id: "credentials_missing",
    title: "API key or secret not configured",
    when: "The key or the secret is not set (or is still the `.env.example` placeholder) and private calls go direct.",
    found:
      "Configuration check, offline (confirmed). In proxy mode the proxy holds the credentials, so this does not apply.",
    evidence: "Which variables are unset; which credential pair atp looked at.",
    fix: [
      `Set ${KEY_VAR} and ${SECRET_VAR} in .env.local (or the environment).`,
      "Restart atp, then run `atp doctor` again.",
    ],
    codes: [],
  },
  {
    id: "credentials_malformed",
    title: "API key or secret malformed",
    when: "Whitespace, quotes, line breaks or non-printable characters inside the key or secret, or an implausible length or character set.",
    found:
      "Configuration check (confirmed for characters atp cannot clean; likely for an implausible length or character set when the exchange refuses the key).",
    evidence: "The variable, what is wrong with it (never the value), its length and fingerprint.",
    fix: [
      "Copy the key and secret again from the exchange (Settings → API Keys) as one line each, without quotes or spaces.",
    ],
    codes: [40101],
  },
  {
    id: "credentials_swapped",
    title: "API key and secret swapped",
    when: "The key and the secret are the wrong way round.",
    found:
      "Discriminating experiment after an auth refusal (40101; not after a permission refusal such as 10002): the same harmless signed read with key and secret exchanged succeeds (or is refused by a check the exchange makes only after finding the key: IP whitelist 40103, nonce 40102, permission). Only against the official hosts or loopback, since it sends the secret as the key.",
    evidence:
      "The 40101 of the normal read and the answer to the swapped read. The key variable then holds the secret, so it is shown like a secret (length and fingerprint, no last 4).",
    fix: [`Exchange the values of ${KEY_VAR} and ${SECRET_VAR}.`],
    codes: [40101],
  },
  {
    id: "key_invalid_or_revoked",
    title: "API key invalid, revoked, or the secret does not belong to it",
    when: "40101 on a correctly signed, correctly timed read from an allowed IP.",
    found:
      "Signed read answers 40101 while the signing self-test passes, the clock offset is inside the window and the swapped experiment fails (confirmed when all of that was measured, likely otherwise).",
    evidence:
      "The 40101, the self-test result, the measured offset, the key's last 4 characters and fingerprint.",
    fix: [
      "Check on the exchange that the key ending in the shown last 4 characters exists and is enabled.",
      "If it does, the secret is wrong: create a new key (Read + Trade), whitelist the outbound IP, and set both values again.",
    ],
    codes: [40101, 10002],
  },
  {
    id: "wrong_environment",
    title: "Wrong environment (UAT sandbox or legacy API)",
    when: "Auth fails while the base URL points at the UAT sandbox (keys are per environment) or at a legacy API (`/v2`, the pre-2021 `/v1`). A custom URL (a local emulator, a mirror) is not by itself a wrong environment.",
    found:
      "Base URL classification plus the signed read's failure (likely for UAT + 40101, confirmed for a legacy path that fails).",
    evidence: "The base URL, why it is UAT or legacy, and the exchange's answer.",
    fix: [
      `Set EXCHANGE_CUSTOM_BASE_URL=${PRODUCTION.rest} for production keys (or use UAT keys with the UAT URL).`,
    ],
    codes: [40101, 40002],
  },
  {
    id: "ip_not_whitelisted",
    title: "Outbound IP not whitelisted",
    when: "The exchange answers 40103 (IP_ILLEGAL).",
    found:
      "Signed read answers 40103 (confirmed); the outbound IP is measured through the same network path (same local address binding).",
    evidence: "The 40103 and the outbound IP as the exchange sees it: the exact value to whitelist.",
    fix: [
      "exchange.crypto.com → Settings → API Keys → edit the key → IP whitelist → add the shown IP.",
      "Save and wait 30-60 s for propagation, then run `atp doctor` again.",
    ],
    codes: [40103, 10003],
  },
  {
    id: "clock_skew",
    title: "Clock skew",
    when: "40102 (INVALID_NONCE), or a measured offset to the exchange clock beyond the tolerance (30 s: half the documented 60 s window).",
    found:
      "Clock offset from the exchange's HTTP Date header (several samples, midpoint method), compared with the nonce window; after a 40102 the read is repeated with the nonce corrected by the measured offset (confirmed when that succeeds or the offset is outside the window).",
    evidence: "The offset in ms (and its uncertainty), the exchange's 40102, the corrected-nonce experiment.",
    fix: [
      "Enable NTP: `sudo timedatectl set-ntp true` (or `sudo chronyc makestep`); on Docker Desktop/WSL restart the VM.",
    ],
    codes: [40102, 10007],
  },
  {
    id: "missing_trade_permission",
    title: "API key lacks the Trade permission",
    when: "Signed reads succeed but a harmless trade-permission probe is rejected for auth.",
    found:
      "`private/cancel-order` for a random order id that cannot exist: a not-found, invalid-order or bad-request answer proves the permission (the exchange checks content only after auth and permission); an auth or permission answer disproves it (confirmed for 40101 and 10002, likely for account states such as 40104 USER_TIER_INVALID). Never places an order.",
    evidence: "The read's success and the probe's auth code.",
    fix: ["exchange.crypto.com → Settings → API Keys → edit the key → enable Trade (keep Withdraw off)."],
    codes: [40101, 10002, 40104],
  },
  {
    id: "proxy_unreachable",
    title: "Signing proxy unreachable",
    when: "USE_CRYPTO_PROXY=true and the proxy does not answer (or no proxy URL is set).",
    found: "`GET {proxy}/health` and the proxied read fail at DNS/TCP/timeout (confirmed).",
    evidence: "The proxy URL and the transport error.",
    fix: [
      "Start the proxy (`systemctl status crypto-proxy`) or correct CRYPTO_PROXY_URL; or set USE_CRYPTO_PROXY=false to go direct.",
    ],
    codes: [],
  },
  {
    id: "proxy_token_rejected",
    title: "Proxy refuses the token",
    when: "The proxy answers but refuses our token (HTTP 401/403).",
    found: "The proxied read answers HTTP 401/403 from the proxy itself (confirmed).",
    evidence: "The proxy's HTTP status, the token's fingerprint.",
    fix: ["Set CRYPTO_PROXY_TOKEN to the token the proxy was started with (compare fingerprints)."],
    codes: [],
  },
  {
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
  },
  {
    id: "network_unreachable",
    title: "Exchange (or IP echo service) unreachable",
    when: "DNS, TCP or TLS failure reaching the exchange (or the IP echo service).",
    found:
      "Reachability check (DNS lookup, then a public GET) and the IP echo (confirmed for DNS/TCP/TLS errors, likely for a connection that never answers).",
    evidence: "The stage that failed (dns/tcp/tls/http), the error code, the host.",
    fix: [
      "Check DNS and the firewall/egress rules for the host; if EXCHANGE_LOCAL_ADDRESS is set, check that address is on this host.",
    ],
    codes: [],
  },
  {
    id: "exchange_maintenance",
    title: "Exchange in maintenance or failing",
    when: "9010001, or repeated server errors from the exchange.",
    found:
      "Any call answering 9010001 (confirmed); server errors: a server-side code such as 50001 ERR_INTERNAL whatever its HTTP status (§2.3 documents HTTP 400), or a 5xx without a code. Two or more (likely), one (possible).",
    evidence: "Which calls answered what.",
    fix: ["Wait for the maintenance to end (status.crypto.com); atp holds new orders meanwhile."],
    codes: [9010001, 50001],
  },
  {
    id: "rate_limited",
    title: "Rate limited",
    when: "42901 / HTTP 429.",
    found:
      "Any of the doctor's calls answering 42901/429 (confirmed); the engine's own 42901 that the doctor does not reproduce (likely).",
    evidence: "Which call was limited.",
    fix: [
      "Stop other programs using the same API key; atp's client queues requests within the documented limits.",
    ],
    codes: [42901, 10006],
  },
  {
    id: "signature_mismatch",
    title: "Signature cannot verify",
    when: "A local self-check shows the request we send cannot verify (e.g. numbers in params).",
    found:
      "Signing self-test on the known vectors and a round trip of our own serialisation (confirmed if it fails); the failing request's params checked for JSON numbers the exchange would re-serialise differently (confirmed when a re-serialisation differs, likely otherwise).",
    evidence: "The vector or param path that fails and how the exchange would render it.",
    fix: [
      "Send every decimal and id as a string formatted once (atp's client does); update atp if its self-test fails.",
    ],
    codes: [40101],
  },
  {
    id: "order_rejected",
    title: "Order invalid (not an authentication problem)",
    when: "The failing order is invalid for a reason that is not auth: quantity/price precision (213/308), below minimum (415), insufficient balance (306), unknown or untradable instrument (209/309).",
    found:
      "The order is validated against the instrument rules from `public/get-instruments` without being sent, and against the balance from the signed read (confirmed when a rule is broken or the engine's code says so).",
    evidence: "The field, the rule and the corrected value: what atp would send instead.",
    fix: [
      "Send the corrected order shown (atp's own order path floors quantities and rounds prices this way).",
    ],
    codes: [213, 308, 415, 306, 209, 309, 208, 315, 40004],
  },
];

/** Order of equal-confidence causes (see the module comment and docs/doctor.md "Precedence"). */
export const PRECEDENCE: readonly CauseId[] = [
  "credentials_missing",
  "credentials_malformed",
  "network_unreachable",
  "proxy_unreachable",
  "proxy_token_rejected",
  "exchange_maintenance",
  "wrong_environment",
  "credentials_swapped",
  "key_invalid_or_revoked",
  "proxy_upstream_rejected",
  "ip_not_whitelisted",
  "clock_skew",
  "signature_mismatch",
  "missing_trade_permission",
  "rate_limited",
  "order_rejected",
];

export const CAUSE_BY_ID: ReadonlyMap<CauseId, CauseInfo> = new Map(CAUSES.map((c) => [c.id, c]));

/** Causes that are authentication problems (the seed's mislabel must never produce one of these). */
export const AUTH_CAUSES: ReadonlySet<CauseId> = new Set<CauseId>([
  "credentials_missing",
  "credentials_malformed",
  "credentials_swapped",
  "key_invalid_or_revoked",
  "wrong_environment",
  "ip_not_whitelisted",
  "clock_skew",
  "missing_trade_permission",
  "proxy_token_rejected",
  "proxy_upstream_rejected",
  "signature_mismatch",
]);
