/**
 * The structured observation of one request (`CryptoComClient.request()`): what was sent (signing
 * facts, never the string to sign), what came back (HTTP status, code, body, `Date`, timing) or where
 * it failed (the transport's stage, errno, how far it got). The client's typed methods turn it into
 * results or a thrown `ExchangeError`; the doctor reads it as it is, so both see one taxonomy.
 *
 * Invariants:
 * - `error` is set exactly when `ok` is false, classified by code (response.ts), by the proxy's own
 *   answer (proxy.ts) or by the transport failure (`transport`, then no HTTP status).
 * - A proxied answer goes through exactly the same interpretation as a direct one, after unwrapping.
 * - `body` never holds the exchange's `original` echo (api_key and sig).
 */
import type { OffsetSample } from "./clock.js";
import type { ExchangeError } from "./errors.js";
import { ProxyError, unwrapProxyResponse } from "./proxy.js";
import { interpret, parseJson, transportError } from "./response.js";
import type { HttpResponse, TransportError } from "./transport.js";

/** Options of one low-level request: the doctor's experiments go through the same path as every call. */
export interface RequestOptions {
  /** Sign with this key/secret instead of the configured pair (always direct, never via the proxy). */
  apiKey?: string | undefined;
  apiSecret?: string | undefined;
  /** Added to the nonce (e.g. −120000 to show what a slow clock does). */
  nonceOffsetMs?: number | undefined;
  /** Use exactly this nonce / id. */
  nonce?: number | undefined;
  id?: number | undefined;
  /** Route a private call through the configured proxy (default: when configured). */
  viaProxy?: boolean | undefined;
  /** Wait for the client-side rate limiter (default true). */
  rateLimit?: boolean | undefined;
  /**
   * A refusal is an expected answer (key hygiene's `private/get-deposit-address`): not logged as an
   * auth refusal and not reported to `onCall` (a healthy key must not look like a failing exchange).
   */
  quiet?: boolean | undefined;
}

/** What was sent. */
export interface RequestFacts {
  url: string;
  viaProxy: boolean;
  signed: boolean;
  id: number | undefined;
  nonce: number | undefined;
  paramStringLength: number | undefined;
  stringToSignLength: number | undefined;
  /** Key fingerprint (8 hex of SHA-256) of the key that signed. */
  keyFingerprint: string | undefined;
  bytes: number;
}

export interface RawResponse {
  method: string;
  ok: boolean;
  /** `result` of a successful (code 0) envelope. */
  result: unknown;
  error: ExchangeError | undefined;
  /** HTTP status from the exchange (or the proxy's upstream status); undefined on transport failure. */
  httpStatus: number | undefined;
  code: number | undefined;
  /** The `id` echoed by the exchange, as received. */
  responseId: number | string | undefined;
  message: string | undefined;
  /** Parsed JSON body, or its text when it is not JSON. */
  body: unknown;
  /** Response `Date` header (the exchange's; in proxy mode the proxy's). */
  date: string | undefined;
  latencyMs: number;
  sentAt: number | undefined;
  receivedAt: number | undefined;
  /** Offset sample from this response's Date header (direct calls only). */
  clockSample: OffsetSample | undefined;
  /** Whether the request reached the socket (false: safe to re-send). */
  written: boolean;
  /** The transport failure (stage, kind, errno, connected, written) when nothing was answered. */
  transport: TransportError | undefined;
  request: RequestFacts;
  /** Proxy request id, when the call went through the proxy. */
  proxyRid: string | undefined;
}

export function requestFacts(url: string, viaProxy: boolean): RequestFacts {
  return {
    url,
    viaProxy,
    signed: false,
    id: undefined,
    nonce: undefined,
    paramStringLength: undefined,
    stringToSignLength: undefined,
    keyFingerprint: undefined,
    bytes: 0,
  };
}

/** A request that got no answer: refused locally (`written` false) or failed in transport. */
export function failedResponse(
  method: string,
  req: RequestFacts,
  error: ExchangeError,
  written: boolean,
  transport?: TransportError,
): RawResponse {
  return {
    method,
    ok: false,
    result: undefined,
    error,
    httpStatus: error.httpStatus,
    code: error.code,
    responseId: undefined,
    message: error.exchangeMessage,
    body: undefined,
    date: undefined,
    latencyMs: transport?.latencyMs ?? 0,
    sentAt: undefined,
    receivedAt: undefined,
    clockSample: undefined,
    written,
    transport,
    request: req,
    proxyRid: error instanceof ProxyError ? error.rid : undefined,
  };
}

export function transportFailure(method: string, req: RequestFacts, err: TransportError): RawResponse {
  return failedResponse(method, req, transportError(method, err), err.written, err);
}

function timing(res: HttpResponse): Pick<RawResponse, "date" | "latencyMs" | "sentAt" | "receivedAt"> {
  return { date: res.date, latencyMs: res.latencyMs, sentAt: res.sentAt, receivedAt: res.receivedAt };
}

/** An HTTP answer of the exchange itself (direct call): its code decides. */
export function directAnswer(
  method: string,
  req: RequestFacts,
  res: HttpResponse,
  clockSample: OffsetSample | undefined,
): RawResponse {
  return answer(method, req, res, res.status, parseJson(res.text), res.text, clockSample, undefined);
}

/**
 * An HTTP answer of the signing proxy: the exchange's answer it relayed (passthrough, or the
 * original's envelope unwrapped), or the proxy's own refusal or failure (proxy.ts).
 */
export function proxiedAnswer(method: string, req: RequestFacts, res: HttpResponse): RawResponse {
  const unwrapped = unwrapProxyResponse(method, res);
  if (unwrapped instanceof ProxyError) {
    return {
      ...failedResponse(method, req, unwrapped, true),
      ...timing(res),
      body: parseJson(res.text) ?? res.text,
    };
  }
  const { status, json, text, rid } = unwrapped;
  return answer(method, req, res, status, json, text, undefined, rid);
}

function answer(
  method: string,
  req: RequestFacts,
  res: HttpResponse,
  status: number,
  json: unknown,
  text: string,
  clockSample: OffsetSample | undefined,
  proxyRid: string | undefined,
): RawResponse {
  const out = interpret(method, status, json, text);
  return {
    method,
    ok: out.ok,
    result: out.ok ? out.result : undefined,
    error: out.ok ? undefined : out.error,
    httpStatus: status,
    code: out.envelope?.code,
    responseId: out.envelope?.id,
    message: out.envelope?.message,
    body: out.body,
    clockSample,
    written: true,
    transport: undefined,
    request: req,
    proxyRid,
    ...timing(res),
  };
}
