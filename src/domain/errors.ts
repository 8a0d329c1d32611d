/**
 * One base class for atp's errors and the one question a running bot asks of each: what now?
 *
 * | disposition | meaning                                                        | examples                          |
 * |-------------|----------------------------------------------------------------|-----------------------------------|
 * | `fatal`     | stop the bot (for the account): nothing will work until fixed  | bad config, bad key, clock, bugs  |
 * | `skip`      | skip this action (this order, this input); carry on with others | order refused, bad order input    |
 * | `retry`     | transient: retry later, through the same idempotent path       | network, timeout, 5xx, rate limit |
 *
 * `retry` never means "send the order again": an order whose outcome is ambiguous is probed by its
 * `client_oid` first (placement.ts); `retry` only says the failure says nothing about the request.
 *
 * Every error class in src/ extends `AtpError` and states its `disposition` and a stable dotted
 * `errorCode` (`exchange.auth`, `config.strategy`, …) that logs, the store and the API can key on
 * (`code` is not used: `ExchangeError.code` is the exchange's numeric code). docs/architecture.md
 * has the table of classes.
 */

export const DISPOSITIONS = ["fatal", "skip", "retry"] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

export abstract class AtpError extends Error {
  /** Stable dotted identifier of the failure, e.g. `exchange.rate_limit`. */
  abstract readonly errorCode: string;
  /** What a running bot does about it: stop, skip the action, or retry later. */
  abstract readonly disposition: Disposition;
}

/** Why an exchange call failed, by exchange code first and transport failure second. */
export const ERROR_CATEGORIES = [
  "auth",
  "ip_not_whitelisted",
  "nonce",
  "permission",
  "rate_limit",
  "invalid_order",
  "insufficient_funds",
  "not_found",
  "not_tradable",
  "bad_request",
  "server",
  "maintenance",
  "network",
  "timeout",
  "unknown",
] as const;
export type ErrorCategory = (typeof ERROR_CATEGORIES)[number];

/**
 * The disposition of an exchange failure, by category. Authentication, IP whitelist, nonce (the
 * client already re-based once) and permission failures stop trading for the account: every signed
 * call would fail the same way. Transient failures are retried later. Everything else concerns the
 * one request (an order the exchange refused, a symbol it does not know, a code atp does not know)
 * and skips that action.
 */
export const CATEGORY_DISPOSITION: Readonly<Record<ErrorCategory, Disposition>> = {
  auth: "fatal",
  ip_not_whitelisted: "fatal",
  nonce: "fatal",
  permission: "fatal",
  rate_limit: "retry",
  invalid_order: "skip",
  insufficient_funds: "skip",
  not_found: "skip",
  not_tradable: "skip",
  bad_request: "skip",
  server: "retry",
  maintenance: "retry",
  network: "retry",
  timeout: "retry",
  unknown: "skip",
};
