/**
 * Proxy mode (USE_CRYPTO_PROXY; original-platform.md §3.4). Private calls are POSTed as
 * `{method, params}` to `{proxyUrl}/proxy/private` with header `X-Proxy-Token`; the proxy signs them
 * with its own key and nonce and answers HTTP 200 with `{status: <upstream HTTP status>,
 * body: <upstream JSON or text>, rid}`.
 *
 * Invariants:
 * - The upstream status/body go through exactly the same response handling as a direct call.
 * - Anything else the proxy answers (401 token refused, 502 upstream network error, 504 upstream
 *   timeout, 500, or a 200 that is not the envelope) is a `ProxyError`: `source: "proxy"`, so an
 *   operator never mistakes "the proxy refused my token" for "the exchange refused my key".
 *   401 (token refused) → category `auth`; 403 (the proxy refuses to sign that method, e.g. a
 *   withdrawal) → `permission`; everything else → `network`. 502/504/500 are ambiguous for orders
 *   (the proxy may have forwarded the request); 401/403 are not (nothing was forwarded).
 */

import type { ErrorCategory } from "./error-codes.js";
import { ExchangeError } from "./errors.js";
import { parseJson } from "./response.js";
import type { HttpResponse } from "./transport.js";

export interface ProxyConfig {
  /** Base URL of the proxy, e.g. http://127.0.0.1:9000 */
  url: string;
  token: string;
}

export const PROXY_TOKEN_HEADER = "x-proxy-token";

export function proxyEndpoint(proxy: ProxyConfig): string {
  return `${proxy.url.replace(/\/+$/, "")}/proxy/private`;
}

export class ProxyError extends ExchangeError {
  readonly source = "proxy" as const;
  /** HTTP status the proxy itself answered with. */
  readonly proxyStatus: number;
  readonly rid: string | undefined;

  constructor(method: string, proxyStatus: number, category: ErrorCategory, message: string, rid?: string) {
    // a refused token (401) or method (403) was never forwarded: not ambiguous
    const ambiguous = category !== "auth" && category !== "permission";
    super({ method, httpStatus: proxyStatus, category, message: `proxy: ${message}`, ambiguous });
    this.name = "ProxyError";
    this.proxyStatus = proxyStatus;
    this.rid = rid;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), source: this.source, proxy_status: this.proxyStatus, rid: this.rid };
  }
}

export interface Unwrapped {
  /** Upstream HTTP status. */
  status: number;
  /** Upstream JSON when it is JSON (parsed), undefined otherwise. */
  json: unknown;
  /** Upstream text (the JSON re-serialised when the proxy sent an object). */
  text: string;
  rid: string | undefined;
}

/** Unwraps the proxy's envelope, or returns the ProxyError describing why the proxy itself failed. */
export function unwrapProxyResponse(method: string, res: HttpResponse): Unwrapped | ProxyError {
  const outer = parseJson(res.text) as Record<string, unknown> | undefined;
  const rid = outer && typeof outer.rid === "string" ? outer.rid : undefined;
  if (res.status !== 200) {
    const category: ErrorCategory =
      res.status === 401 ? "auth" : res.status === 403 ? "permission" : "network";
    const what =
      res.status === 401
        ? "the proxy refused X-Proxy-Token (check CRYPTO_PROXY_TOKEN)"
        : res.status === 403
          ? `the proxy refuses to sign ${method} (it signs only the methods atp uses, never withdrawals)`
          : res.status === 504
            ? "the proxy timed out waiting for the exchange"
            : res.status === 502
              ? "the proxy could not reach the exchange"
              : `the proxy failed with HTTP ${res.status}`;
    return new ProxyError(method, res.status, category, what, rid);
  }
  if (!outer || typeof outer !== "object" || typeof outer.status !== "number" || !("body" in outer)) {
    return new ProxyError(method, res.status, "network", "HTTP 200 without the {status, body} envelope", rid);
  }
  const body = outer.body;
  if (typeof body === "string") {
    return { status: outer.status, json: parseJson(body), text: body, rid };
  }
  return { status: outer.status, json: body, text: JSON.stringify(body) ?? "", rid };
}
