/**
 * The wire protocol between atp's client and the signing proxy (`atp proxy`, src/proxy), in one
 * place for both sides: its headers, its two answer forms and the proxy's own failure codes.
 *
 *   request  POST {url}/proxy/private  {method, params}
 *            X-Proxy-Token: <token>
 *            X-Proxy-Protocol: passthrough      (atp's client always sends it; `envelope` asks for the other form)
 *   answer   passthrough: the exchange's HTTP status and body unchanged, with `X-Request-Id` and the
 *            marker `X-Proxy-Protocol: passthrough` (so a client knows the form without guessing);
 *            the default when a request names no form, unless the proxy runs with
 *            CRYPTO_PROXY_ENVELOPE=true;
 *            envelope (asked for, or that default; the original platform's contract,
 *            original-platform.md §3.4, for its backend): HTTP 200 `{status, body, rid}`;
 *            the proxy's own failure: JSON `{error, code, source: "proxy", rid}` with
 *            `X-Proxy-Error: <code>` and its own HTTP status (the table below).
 *
 * Invariants:
 * - A proxy failure is recognised by its `X-Proxy-Error` code, never by the text of the answer, and
 *   its category comes from that code (PROXY_FAILURES); an unknown code is `unknown`, ambiguous.
 * - `ambiguous` says whether the exchange may have acted on the request: false only where the proxy
 *   answered before forwarding anything (token, throttle, body, method, route).
 */
import type { ErrorCategory } from "./error-codes.js";

export const PROXY_TOKEN_HEADER = "x-proxy-token";
export const PROXY_PROTOCOL_HEADER = "x-proxy-protocol";
export const PROXY_ERROR_HEADER = "x-proxy-error";
export const REQUEST_ID_HEADER = "x-request-id";
/** The value of `X-Proxy-Protocol` that asks for (and marks) the passthrough form. */
export const PASSTHROUGH = "passthrough";
/** The value of `X-Proxy-Protocol` that asks for the original platform's envelope. */
export const ENVELOPE = "envelope";

export type ProxyAnswerForm = typeof PASSTHROUGH | typeof ENVELOPE;

/** The form a request asks for (`X-Proxy-Protocol`), else the proxy's default (passthrough unless CRYPTO_PROXY_ENVELOPE). */
export function answerForm(
  headers: { [name: string]: string | string[] | undefined },
  fallback: ProxyAnswerForm,
): ProxyAnswerForm {
  const asked = headers[PROXY_PROTOCOL_HEADER]?.toString().trim().toLowerCase();
  return asked === PASSTHROUGH || asked === ENVELOPE ? asked : fallback;
}

/** One of the proxy's own failures: the HTTP status it answers with and what the client makes of it. */
export interface ProxyFailureSpec {
  status: number;
  category: ErrorCategory;
  /** The exchange may have acted on the request (an order is probed, never blindly re-sent). */
  ambiguous: boolean;
  /** For humans: what happened and what to do (never parsed). */
  what: (method: string) => string;
}

/** The proxy's failure codes (`X-Proxy-Error` values). */
export type ProxyFailureCode =
  | "bad_token"
  | "method_not_allowed"
  | "throttled"
  | "bad_request"
  | "body_too_large"
  | "not_found"
  | "upstream_unreachable"
  | "upstream_timeout"
  | "internal";

const FAILURE_SPECS: Record<ProxyFailureCode, ProxyFailureSpec> = {
  bad_token: {
    status: 401,
    category: "auth",
    ambiguous: false,
    what: () => "the proxy refused X-Proxy-Token (check CRYPTO_PROXY_TOKEN on both sides)",
  },
  method_not_allowed: {
    status: 403,
    category: "permission",
    ambiguous: false,
    what: (m) =>
      `the proxy refuses to sign ${m} (it signs only the methods atp uses, never withdrawals unless CRYPTO_PROXY_ALLOW_METHODS names them)`,
  },
  throttled: {
    status: 429,
    category: "rate_limit",
    ambiguous: false,
    what: () =>
      "the proxy blocks this address for a while after failed tokens (check CRYPTO_PROXY_TOKEN; it retries after Retry-After)",
  },
  bad_request: {
    status: 400,
    category: "bad_request",
    ambiguous: false,
    what: (m) => `the proxy refused the request for ${m} as malformed (nothing was forwarded)`,
  },
  body_too_large: {
    status: 413,
    category: "bad_request",
    ambiguous: false,
    what: () => "the proxy refused a request body over its size limit (nothing was forwarded)",
  },
  not_found: {
    status: 404,
    category: "bad_request",
    ambiguous: false,
    what: () => "the proxy has no such route: CRYPTO_PROXY_URL must be its base URL, without /proxy/private",
  },
  upstream_unreachable: {
    status: 502,
    category: "network",
    ambiguous: true,
    what: () => "the proxy could not reach the exchange",
  },
  upstream_timeout: {
    status: 504,
    category: "timeout",
    ambiguous: true,
    what: () => "the proxy timed out waiting for the exchange",
  },
  internal: {
    status: 500,
    category: "server",
    ambiguous: true,
    what: () => "the proxy failed internally (see its log)",
  },
};

/** Every failure code, looked up by the `X-Proxy-Error` value an answer carries. */
export const PROXY_FAILURES: ReadonlyMap<string, ProxyFailureSpec> = new Map(Object.entries(FAILURE_SPECS));

/** The spec of one of the proxy's own codes (the proxy answers with its status). */
export function proxyFailureSpec(code: ProxyFailureCode): ProxyFailureSpec {
  return FAILURE_SPECS[code];
}
