/**
 * Proxy mode (USE_CRYPTO_PROXY; original-platform.md §3.4), the client's side. Private calls are
 * POSTed as `{method, params}` to `{proxyUrl}/proxy/private` with `X-Proxy-Token` and
 * `X-Proxy-Protocol: passthrough`; the proxy signs them with its own key and nonce. Its answers
 * (proxy-protocol.ts) are read in this order:
 *   1. `X-Proxy-Error: <code>`: the proxy's own failure → `ProxyError`, category by the code;
 *   2. `X-Proxy-Protocol: passthrough`: the exchange's HTTP status and body as they came;
 *   3. neither (the original platform's proxy, or one that ignores the header): the envelope,
 *      recognised by its shape: HTTP 200 `{status, body, rid}`; any other answer is that proxy's
 *      own failure, classified by its HTTP status (it sends no failure codes).
 *
 * Invariants:
 * - The upstream status/body go through exactly the same response handling as a direct call.
 * - A proxy failure is a `ProxyError` (`source: "proxy"`), so an operator never mistakes "the proxy
 *   refused my token" for "the exchange refused my key"; its category comes from the failure code
 *   (or, without one, the status), never from text. Answers the proxy gave before forwarding
 *   (token, throttle, method, body) are not ambiguous; 502/504/500 are (it may have forwarded).
 * - The request id (`X-Request-Id`, else the body's `rid`) is kept for the logs in every form.
 */

import type { ErrorCategory } from "./error-codes.js";
import { ExchangeError } from "./errors.js";
import {
  PASSTHROUGH,
  PROXY_ERROR_HEADER,
  PROXY_FAILURES,
  PROXY_PROTOCOL_HEADER,
  REQUEST_ID_HEADER,
} from "./proxy-protocol.js";
import { parseJson } from "./response.js";
import type { HttpResponse } from "./transport.js";

export { PROXY_TOKEN_HEADER } from "./proxy-protocol.js";

export interface ProxyConfig {
  /** Base URL of the proxy, e.g. http://127.0.0.1:9000 */
  url: string;
  token: string;
}

export function proxyEndpoint(proxy: ProxyConfig): string {
  return `${proxy.url.replace(/\/+$/, "")}/proxy/private`;
}

export class ProxyError extends ExchangeError {
  readonly source = "proxy" as const;
  /** HTTP status the proxy itself answered with. */
  readonly proxyStatus: number;
  /** Its failure code (`X-Proxy-Error`); undefined for a proxy that sends none (the original's). */
  readonly proxyCode: string | undefined;
  readonly rid: string | undefined;

  constructor(
    method: string,
    proxyStatus: number,
    category: ErrorCategory,
    message: string,
    rid?: string,
    more: { proxyCode?: string | undefined; ambiguous?: boolean | undefined } = {},
  ) {
    // by default, a refused token (auth) or method (permission) was never forwarded: not ambiguous
    const ambiguous = more.ambiguous ?? (category !== "auth" && category !== "permission");
    super({ method, httpStatus: proxyStatus, category, message: `proxy: ${message}`, ambiguous });
    this.name = "ProxyError";
    this.proxyStatus = proxyStatus;
    this.proxyCode = more.proxyCode;
    this.rid = rid;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      source: this.source,
      proxy_status: this.proxyStatus,
      proxy_code: this.proxyCode,
      rid: this.rid,
    };
  }
}

export interface Unwrapped {
  /** Which form the proxy answered in. */
  form: "passthrough" | "envelope";
  /** Upstream HTTP status. */
  status: number;
  /** Upstream JSON when it is JSON (parsed), undefined otherwise. */
  json: unknown;
  /** Upstream text (the JSON re-serialised when an envelope carried an object). */
  text: string;
  rid: string | undefined;
}

/** The exchange's answer the proxy relayed, or the ProxyError describing why the proxy itself failed. */
export function unwrapProxyResponse(method: string, res: HttpResponse): Unwrapped | ProxyError {
  const failure = res.headers[PROXY_ERROR_HEADER];
  if (failure !== undefined) return coded(method, res, failure.trim());
  const rid = res.headers[REQUEST_ID_HEADER];
  if (res.headers[PROXY_PROTOCOL_HEADER]?.trim().toLowerCase() === PASSTHROUGH) {
    return { form: "passthrough", status: res.status, json: parseJson(res.text), text: res.text, rid };
  }
  return envelope(method, res);
}

function bodyRid(res: HttpResponse): string | undefined {
  const outer = parseJson(res.text) as Record<string, unknown> | undefined;
  return outer && typeof outer === "object" && typeof outer.rid === "string" ? outer.rid : undefined;
}

/** A failure with the proxy's code: the code decides (an unknown one: category unknown, ambiguous). */
function coded(method: string, res: HttpResponse, code: string): ProxyError {
  const rid = res.headers[REQUEST_ID_HEADER] ?? bodyRid(res);
  const spec = PROXY_FAILURES.get(code);
  return new ProxyError(
    method,
    res.status,
    spec?.category ?? "unknown",
    spec ? spec.what(method) : `the proxy failed with ${code} (HTTP ${res.status})`,
    rid,
    { proxyCode: code, ambiguous: spec?.ambiguous ?? true },
  );
}

/** The original platform's form: HTTP 200 `{status, body, rid}`; anything else is its own failure. */
function envelope(method: string, res: HttpResponse): Unwrapped | ProxyError {
  const outer = parseJson(res.text) as Record<string, unknown> | undefined;
  const rid = res.headers[REQUEST_ID_HEADER] ?? bodyRid(res);
  if (res.status !== 200) {
    // no failure code: the status is all there is (401 token, 403 method, else on the way)
    const code = res.status === 401 ? "bad_token" : res.status === 403 ? "method_not_allowed" : undefined;
    const spec = code ? PROXY_FAILURES.get(code) : undefined;
    const what = spec
      ? spec.what(method)
      : res.status === 504
        ? "the proxy timed out waiting for the exchange"
        : res.status === 502
          ? "the proxy could not reach the exchange"
          : `the proxy failed with HTTP ${res.status}`;
    return new ProxyError(method, res.status, spec?.category ?? "network", what, rid, {
      ambiguous: spec?.ambiguous ?? true,
    });
  }
  if (!outer || typeof outer !== "object" || typeof outer.status !== "number" || !("body" in outer)) {
    return new ProxyError(
      method,
      res.status,
      "network",
      "HTTP 200 without the {status, body} envelope (and no X-Proxy-Protocol: passthrough)",
      rid,
      { ambiguous: true },
    );
  }
  const body = outer.body;
  if (typeof body === "string") {
    return { form: "envelope", status: outer.status, json: parseJson(body), text: body, rid };
  }
  return { form: "envelope", status: outer.status, json: body, text: JSON.stringify(body) ?? "", rid };
}
