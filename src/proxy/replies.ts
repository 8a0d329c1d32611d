/**
 * How the signing proxy answers (the protocol, shared with the client: exchange/cryptocom/
 * proxy-protocol.ts). Every answer carries `x-request-id`. The proxy's own failures are JSON
 * `{error, code, source: "proxy", rid}` with header `x-proxy-error: <code>` and the code's status
 * (PROXY_FAILURES), so a client can never take one for the exchange's answer:
 *   400 bad_request, 401 bad_token, 403 method_not_allowed, 404 not_found, 413 body_too_large,
 *   429 throttled, 502 upstream_unreachable, 504 upstream_timeout, 500 internal.
 * The exchange's answer is relayed in one of two forms, chosen per request (proxy-protocol.ts
 * answerForm):
 *   - passthrough (the default, and what atp's client asks for): the exchange's HTTP status and
 *     body as they came, with `x-request-id` and the marker `x-proxy-protocol: passthrough` added
 *     (the client reads the form from it, never guesses);
 *   - envelope (`x-proxy-protocol: envelope`, or every request that names no form when the proxy
 *     runs with CRYPTO_PROXY_ENVELOPE=true; the original platform's contract, original-platform.md
 *     §3.4, which the original backend reads): HTTP 200 `{status, body, rid}`.
 * Invariant (both forms): the exchange's `original` echo of the signed request (api_key and sig)
 * is removed from the body; a body without one is relayed byte for byte.
 */
import type { ServerResponse } from "node:http";
import {
  PASSTHROUGH,
  PROXY_ERROR_HEADER,
  PROXY_PROTOCOL_HEADER,
  type ProxyFailureCode,
  proxyFailureSpec,
  REQUEST_ID_HEADER,
} from "../exchange/cryptocom/proxy-protocol.js";
import { parseJson, withoutOriginal } from "../exchange/cryptocom/response.js";

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** One of the proxy's own failures, with the code's HTTP status. */
export function sendFailure(
  res: ServerResponse,
  code: ProxyFailureCode,
  error: string,
  rid: string | undefined,
  headers: Record<string, string> = {},
): void {
  sendJson(
    res,
    proxyFailureSpec(code).status,
    { error, code, source: "proxy", ...(rid ? { rid } : {}) },
    {
      [PROXY_ERROR_HEADER]: code,
      ...(rid ? { [REQUEST_ID_HEADER]: rid } : {}),
      ...headers,
    },
  );
}

/** The upstream text without the `original` echo (unchanged when there is none). */
export function relayedText(text: string): { text: string; json: unknown } {
  const json = parseJson(text);
  if (json === undefined) return { text, json: undefined };
  const stripped = withoutOriginal(json);
  return stripped === json ? { text, json } : { text: JSON.stringify(stripped), json: stripped };
}

/** The exchange's answer, relayed in the form the client asked for. */
export function sendUpstream(
  res: ServerResponse,
  passthrough: boolean,
  rid: string,
  upstream: { status: number; text: string; contentType: string | undefined },
): void {
  const r = relayedText(upstream.text);
  if (!passthrough) {
    sendJson(
      res,
      200,
      { status: upstream.status, body: r.json ?? r.text, rid },
      { [REQUEST_ID_HEADER]: rid },
    );
    return;
  }
  res.writeHead(upstream.status, {
    "content-type": upstream.contentType ?? "application/json",
    "content-length": Buffer.byteLength(r.text),
    [REQUEST_ID_HEADER]: rid,
    [PROXY_PROTOCOL_HEADER]: PASSTHROUGH,
  });
  res.end(r.text);
}
