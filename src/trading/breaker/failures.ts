/**
 * What counts as an auth failure for the breaker, and the error a call refused by the open breaker
 * carries.
 *
 * Invariants:
 * - Decided by `ExchangeFailure.category` alone, never by message text: the four categories whose
 *   disposition is `fatal` (src/domain/errors.ts) — `auth` (40101, 409, and a 401/403 without a
 *   body), `ip_not_whitelisted` (40103, 10003), `nonce` (40102, 10007; the client re-based once
 *   already) and `permission` (missing permission as configured: 40101 or legacy 10002; 202, 406,
 *   40104, …). Every signed call of the account would fail the same way. Anything else (213, 306,
 *   5xx, timeouts, rate limits) is not auth and passes through untouched.
 * - A call the open breaker refuses never left the process: `status: "not_sent"` with an
 *   `AuthCircuitOpenError` (category `auth`, disposition `fatal`, `ambiguous: false`), so nothing
 *   downstream can mistake it for an order that may exist.
 */
import { AtpError, type ErrorCategory } from "../../domain/errors.js";
import type { ExchangeFailure, PlaceOcoOutcome, PlaceOrderOutcome } from "../../exchange/types.js";
import type { Json } from "../../store/types.js";
import { Dec } from "../../util/decimal.js";
import { exchangeFailureOf } from "../exchange-failure.js";

/** The categories that open an incident (the `fatal` ones). */
export const AUTH_INCIDENT_CATEGORIES: ReadonlySet<ErrorCategory> = new Set<ErrorCategory>([
  "auth",
  "ip_not_whitelisted",
  "nonce",
  "permission",
]);

/** The failure, when it is of an auth category. */
export function authFailureOf(value: unknown): ExchangeFailure | undefined {
  const f = exchangeFailureOf(value);
  return f && AUTH_INCIDENT_CATEGORIES.has(f.category) ? f : undefined;
}

/** The auth failure a placement outcome carries (its error, or the probe's), if any. */
export function authFailureInOutcome(
  outcome: PlaceOrderOutcome | PlaceOcoOutcome,
): ExchangeFailure | undefined {
  if (outcome.status === "accepted") return undefined;
  const direct = authFailureOf(outcome.error);
  if (direct) return direct;
  return outcome.status === "unknown" ? authFailureOf(outcome.probeError) : undefined;
}

/** Refusal of a private trading call while an auth incident is open: nothing was sent. */
export class AuthCircuitOpenError extends AtpError implements ExchangeFailure {
  readonly errorCode = "trading.auth_circuit_open";
  readonly disposition = "fatal" as const;
  readonly category = "auth" as const;
  readonly code = undefined;
  readonly codeName = "AUTH_CIRCUIT_OPEN";
  readonly httpStatus = undefined;
  readonly retryable = false;
  readonly ambiguous = false;
  readonly method: string;
  readonly incidentId: string | undefined;

  constructor(method: string, incidentId: string | undefined) {
    super(
      `${method}: not sent, the auth circuit is open${incidentId ? ` (incident ${incidentId})` : ""}; ` +
        "trading resumes by itself when the probe succeeds",
    );
    this.name = "AuthCircuitOpenError";
    this.method = method;
    this.incidentId = incidentId;
  }
}

/** A request as JSON for the doctor (money as decimal strings; undefined fields dropped). */
export function requestJson(value: unknown): Json {
  if (value === null || value === undefined) return null;
  if (value instanceof Dec) return value.toFixed();
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (Array.isArray(value)) return value.map(requestJson);
  if (typeof value === "object") {
    const out: { [key: string]: Json } = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = requestJson(v);
    return out;
  }
  return String(value);
}
