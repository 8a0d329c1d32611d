/**
 * Response handling (reference §2.2, §2.3).
 *
 * Rules, in order:
 * 1. The body's `code` decides: 0 is success, anything else is an `ExchangeError` classified by the
 *    code's catalogue entry, whatever the HTTP status. `code` and `id` are accepted as numbers or strings.
 * 2. Only when the body is not a JSON envelope (not JSON, or JSON without a usable `code`) does the
 *    HTTP status classify the failure.
 * 3. A non-zero code that comes with a `result` (e.g. 306/315/43004 with `{order_id, client_oid}`)
 *    is still a failure; the result is kept on the error (`error.result`) because it says the
 *    exchange created an order before rejecting or cancelling it. `result` never implies success.
 * 4. The `original` field of error bodies (an echo of our request, api_key and sig included) is never kept.
 */
import { ExchangeError } from "./errors.js";
import type { TransportError } from "./transport.js";

export interface ResponseEnvelope {
  /** Echoed request id as received (number or string), -1/undefined for public or error bodies. */
  id: number | string | undefined;
  method: string | undefined;
  code: number;
  message: string | undefined;
  result: unknown;
}

export type Interpreted =
  | { ok: true; envelope: ResponseEnvelope; result: unknown; body: unknown }
  | { ok: false; error: ExchangeError; envelope: ResponseEnvelope | undefined; body: unknown };

/** A code as the exchange sends it: a JSON integer or a string of digits (possibly negative). */
export function wireCode(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isSafeInteger(v) ? v : undefined;
  if (typeof v === "string" && /^-?\d{1,15}$/.test(v.trim())) return Number(v.trim());
  return undefined;
}

function wireId(v: unknown): number | string | undefined {
  if (typeof v === "number" || typeof v === "string") return v;
  return undefined;
}

function messageOf(body: Record<string, unknown>): string | undefined {
  const m = body.message ?? body.msg;
  return typeof m === "string" ? m : undefined;
}

function snippet(text: string): string {
  const t = text.replace(/\s+/g, " ").trim();
  return t.length > 200 ? `${t.slice(0, 200)}…` : t;
}

/** Parses a response body text; returns undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * A response body without the exchange's `original` field (an echo of our request, api_key and sig
 * included), so it can be kept, shown or forwarded. Other values are returned as they are.
 */
export function withoutOriginal(body: unknown): unknown {
  if (body === null || typeof body !== "object" || Array.isArray(body) || !("original" in body)) return body;
  const { original: _drop, ...rest } = body as Record<string, unknown>;
  return rest;
}

/**
 * Interprets one response. `body` is the parsed JSON when there is one (undefined otherwise);
 * `text` is the raw text for the non-JSON message. The returned `body` never holds `original`.
 */
export function interpret(method: string, httpStatus: number, parsed: unknown, text: string): Interpreted {
  const body = withoutOriginal(parsed);
  if (body !== null && typeof body === "object" && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    const code = wireCode(b.code);
    if (code !== undefined) {
      const envelope: ResponseEnvelope = {
        id: wireId(b.id),
        method: typeof b.method === "string" ? b.method : undefined,
        code,
        message: messageOf(b),
        result: b.result,
      };
      if (code === 0) return { ok: true, envelope, result: b.result, body };
      return {
        ok: false,
        envelope,
        body,
        error: new ExchangeError({
          method,
          httpStatus,
          code,
          message: envelope.message,
          result: b.result,
        }),
      };
    }
    // JSON but not an envelope: the HTTP status is all we can classify by.
    return {
      ok: false,
      envelope: undefined,
      body,
      error: nonEnvelopeError(method, httpStatus, messageOf(b) ?? snippet(text)),
    };
  }
  return {
    ok: false,
    envelope: undefined,
    body: body === undefined ? text : body,
    error: nonEnvelopeError(method, httpStatus, text ? `non-JSON body: ${snippet(text)}` : "empty body"),
  };
}

function nonEnvelopeError(method: string, httpStatus: number, message: string): ExchangeError {
  if (httpStatus >= 200 && httpStatus < 300) {
    // A 2xx without an envelope: something answered, and we cannot tell whether the request was acted on.
    return new ExchangeError({ method, httpStatus, category: "unknown", message, ambiguous: true });
  }
  // Without a code, a 5xx (or a gateway timeout) says nothing about whether the request was acted on.
  const ambiguous = httpStatus >= 500;
  return new ExchangeError({ method, httpStatus, message, ambiguous });
}

/** A transport failure as an ExchangeError: `timeout` or `network`, ambiguous when the request was written. */
export function transportError(method: string, err: TransportError): ExchangeError {
  return new ExchangeError({
    method,
    category: err.isTimeout ? "timeout" : "network",
    message: err.message,
    ambiguous: err.written,
    cause: err,
  });
}
