/**
 * Retry policy.
 *
 * Invariants:
 * - Reads (and cancels, which cannot create exposure when repeated) retry with jittered
 *   exponential back-off on the retryable categories: network, timeout, server (5xx, 50001),
 *   rate_limit (42901/429) and maintenance.
 * - Order creation is never blindly retried. It is re-sent only after a *definite* refusal that
 *   proves nothing was processed: 42901 answered by the exchange, a nonce refused (40102) once the
 *   clock offset has been re-measured, or a connection that failed before the request was written.
 *   Every re-send carries the same client_oid, so even a wrong guess becomes a 204 duplicate, not
 *   a second order. Any ambiguous failure is probed instead (see client.ts).
 */
import type { ExchangeError } from "./errors.js";
import { ProxyError } from "./proxy.js";

export interface RetryPolicy {
  /** Total attempts including the first. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 250, maxDelayMs: 4_000 };

/** "Equal jitter": half the exponential step fixed, half random, so a retry never fires instantly. */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (step / 2) * random());
}

export function isRetryableRead(err: ExchangeError): boolean {
  if (err instanceof ProxyError && err.category === "auth") return false;
  return err.retryable;
}

/**
 * For order creation: the failure proves the exchange did not act on the request AND is worth
 * re-sending: 42901 or 40102 from the exchange itself, a bare HTTP 429, or a transport failure
 * before the request was written. (A refused proxy token also proves nothing was forwarded, but
 * re-sending cannot help: it is final.)
 */
export function isDefinitelyUnprocessed(err: ExchangeError): boolean {
  if (err instanceof ProxyError) return false;
  if (err.code !== undefined) return err.category === "rate_limit" || err.category === "nonce";
  if (err.category === "network" || err.category === "timeout") return !err.ambiguous;
  return err.category === "rate_limit" && err.httpStatus === 429;
}

/**
 * For order creation: the exchange may or may not have acted; probe by client_oid before anything
 * else. Transport failures after the write, a 5xx without a code, server-side codes (50001,
 * 10001, 120009), 40801 and codes the catalogue does not know.
 */
export function isAmbiguous(err: ExchangeError): boolean {
  if (err.ambiguous) return true;
  if (err.code === undefined) return false;
  return err.category === "server" || err.category === "timeout" || err.category === "unknown";
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
