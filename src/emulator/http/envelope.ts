/**
 * Response envelopes (reference §2.2): `{id, method, code, result}` on success and
 * `{id, method, code, message}` on failure (plus `result` for rejections that carry one).
 * `id` echoes the request id digits exactly; with `response_number_types` off, `id` and `code`
 * are strings (the 2026 OpenAPI examples) instead of numbers (every earlier live capture).
 */

import { JsonNumberText, type JsonValue } from "../../domain/json-text.js";
import { codeInfo } from "../../exchange/cryptocom/error-codes.js";

export interface Reply {
  code: number;
  result?: unknown;
  message?: string;
  /** Overrides the HTTP status the code catalogue gives. */
  httpStatus?: number;
  /** Work done after the response is written (asynchronous order processing). */
  after?: () => void;
}

export function ok(result?: unknown, message?: string): Reply {
  const r: Reply = { code: 0 };
  if (message !== undefined) r.message = message;
  if (result !== undefined) r.result = result;
  return r;
}

export function fail(code: number, message: string, result?: unknown): Reply {
  return result === undefined ? { code, message } : { code, message, result };
}

/**
 * The message of an injected `error` fault without its own `message`, on both transports: the
 * catalogue name of the code (42901 → TOO_MANY_REQUESTS), except 50001, which the exchange's
 * documented examples answer with `INTERNAL_SERVER_ERROR` (reference §2.3).
 */
export function faultMessage(code: number): string {
  return code === 50001 ? "INTERNAL_SERVER_ERROR" : codeInfo(code).name;
}

const INTEGER = /^-?\d+$/;

/** The JSON text of the response `id` for a request id (absent → -1). */
export function idToken(id: JsonValue | undefined, numberTypes: boolean): string {
  let text: string;
  if (id instanceof JsonNumberText) text = id.text;
  else if (typeof id === "string") text = id;
  else text = "-1";
  if (numberTypes && INTEGER.test(text)) return text;
  return JSON.stringify(text);
}

export function envelope(idTok: string, method: string, reply: Reply, numberTypes: boolean): string {
  const code = numberTypes ? String(reply.code) : `"${reply.code}"`;
  let out = `{"id":${idTok},"method":${JSON.stringify(method)},"code":${code}`;
  if (reply.message !== undefined) out += `,"message":${JSON.stringify(reply.message)}`;
  if (reply.result !== undefined) out += `,"result":${JSON.stringify(reply.result)}`;
  return `${out}}`;
}
