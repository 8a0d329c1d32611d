/**
 * The cause catalogue: for each stable cause id, when it applies, how the doctor finds it, the
 * evidence it shows and the generic fix, plus the templates of its run-specific summary, evidence
 * and fix lines (one file per area in catalogue/; the rules in rules/ fill them in).
 * docs/troubleshooting.md is generated from this table and the exchange error catalogue.
 *
 * `PRECEDENCE` orders causes of equal confidence: the order in which a request meets the problem
 * on its way (local configuration → network → proxy → exchange gateway → key → IP → nonce →
 * signature → permission → rate limit → order validation, the exchange's documented check order,
 * reference §3.5). The first problem on the path is the error the user sees now and the one to fix first.
 */
import { CLOCK_SKEW } from "./catalogue/clock.js";
import {
  CREDENTIALS_MALFORMED,
  CREDENTIALS_MISSING,
  CREDENTIALS_SWAPPED,
  KEY_INVALID_OR_REVOKED,
} from "./catalogue/credentials.js";
import type { CauseInfo } from "./catalogue/entry.js";
import { WRONG_ENVIRONMENT } from "./catalogue/environment.js";
import { EXCHANGE_MAINTENANCE, RATE_LIMITED } from "./catalogue/exchange-state.js";
import { IP_NOT_WHITELISTED } from "./catalogue/ip-whitelist.js";
import { NETWORK_UNREACHABLE } from "./catalogue/network.js";
import { ORDER_REJECTED } from "./catalogue/order.js";
import { MISSING_TRADE_PERMISSION } from "./catalogue/permission.js";
import { PROXY_TOKEN_REJECTED, PROXY_UNREACHABLE, PROXY_UPSTREAM_REJECTED } from "./catalogue/proxy.js";
import { SIGNATURE_MISMATCH } from "./catalogue/signing.js";
import type { CauseId } from "./types.js";

export type { CauseInfo } from "./catalogue/entry.js";

/** The catalogue, in the order of docs/troubleshooting.md. */
export const CAUSES: readonly CauseInfo[] = [
  CREDENTIALS_MISSING,
  CREDENTIALS_MALFORMED,
  CREDENTIALS_SWAPPED,
  KEY_INVALID_OR_REVOKED,
  WRONG_ENVIRONMENT,
  IP_NOT_WHITELISTED,
  CLOCK_SKEW,
  MISSING_TRADE_PERMISSION,
  PROXY_UNREACHABLE,
  PROXY_TOKEN_REJECTED,
  PROXY_UPSTREAM_REJECTED,
  NETWORK_UNREACHABLE,
  EXCHANGE_MAINTENANCE,
  RATE_LIMITED,
  SIGNATURE_MISMATCH,
  ORDER_REJECTED,
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
