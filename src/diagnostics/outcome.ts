/**
 * One doctor call as the decision rules read it: the client's observation (RawResponse) reduced to
 * what happened — an answer with code 0, a refusal with a code (or a bare HTTP status), a failure on
 * the way (read by path-failure.ts), or the signing proxy's own refusal or failure.
 */
import type { ExchangeError } from "../exchange/cryptocom/errors.js";
import { ProxyError } from "../exchange/cryptocom/proxy.js";
import type { RawResponse } from "../exchange/cryptocom/raw-response.js";
import { type PathFailure, type ReadContext, readTransportFailure } from "./path-failure.js";

export type Via = "direct" | "proxy";

export type Outcome =
  | { kind: "ok"; method: string; via: Via; httpStatus: number; result: unknown; latencyMs: number }
  | { kind: "error"; method: string; via: Via; error: ExchangeError; latencyMs: number }
  /** Could not reach the exchange (direct) or the proxy (via proxy). */
  | { kind: "transport"; method: string; via: Via; failure: PathFailure }
  /** The proxy itself refused (401/403: token) or failed (502/504/500, no envelope). */
  | { kind: "proxy"; method: string; via: "proxy"; error: ProxyError; latencyMs: number };

export function outcomeOf(raw: RawResponse, ctx: ReadContext): Outcome {
  const { method, latencyMs } = raw;
  const via: Via = raw.request.viaProxy ? "proxy" : "direct";
  if (raw.transport)
    return { kind: "transport", method, via, failure: readTransportFailure(raw.transport, ctx) };
  if (raw.ok)
    return { kind: "ok", method, via, httpStatus: raw.httpStatus ?? 0, result: raw.result, latencyMs };
  const error = raw.error!;
  if (error instanceof ProxyError) return { kind: "proxy", method, via: "proxy", error, latencyMs };
  return { kind: "error", method, via, error, latencyMs };
}

/** Short text of an outcome: `0 OK`, `40103 IP_ILLEGAL (HTTP 401)`, `ECONNREFUSED`... */
export function outcomeText(o: Outcome): string {
  switch (o.kind) {
    case "ok":
      return `code 0 (OK, HTTP ${o.httpStatus}, ${Math.round(o.latencyMs)} ms)`;
    case "error":
      return o.error.code !== undefined
        ? `${o.error.code} ${o.error.codeName}${o.error.httpStatus !== undefined ? ` (HTTP ${o.error.httpStatus})` : ""}`
        : `HTTP ${o.error.httpStatus ?? "?"} without an exchange code`;
    case "transport":
      return o.failure.detail;
    case "proxy":
      return `the proxy answered HTTP ${o.error.proxyStatus}`;
  }
}

export function codeOf(o: Outcome | undefined): number | undefined {
  if (!o) return undefined;
  if (o.kind === "ok") return 0;
  if (o.kind === "error") return o.error.code;
  return undefined;
}

/**
 * An answer that says the exchange is failing. With a code, its category decides, whatever the HTTP
 * status: server-side codes (50001 ERR_INTERNAL comes with HTTP 400 per §2.3, 10001, 120009...) count,
 * while the 5xx statuses documented for ordinary codes (212, 306, 415...) do not. Without a code
 * only the HTTP status is left: any 5xx counts.
 */
export function isServerFailure(err: ExchangeError): boolean {
  if (err.code !== undefined) return err.category === "server" || err.category === "timeout";
  return (err.httpStatus ?? 0) >= 500;
}
